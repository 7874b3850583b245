import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

describe('the Node version the README names', () => {
  it('runs every locked package: npm ci warns of no engine', () => {
    const ours: string = readJson('package.json').engines.node;
    const lock = readJson('package-lock.json') as { packages: Record<string, { engines?: { node?: string } }> };
    // Our oldest supported Node, and the one running the tests.
    const nodes = [semver.minVersion(ours)?.version ?? ours, process.versions.node];
    const unsupported = Object.entries(lock.packages).flatMap(([name, p]) => {
      const wants = p.engines?.node;
      if (!wants || name === '') return [];
      return nodes
        .filter((v) => !semver.satisfies(v, wants, { includePrerelease: true }))
        .map((v) => `${name.replace(/^.*node_modules\//, '')} wants node ${wants}, not ${v}`);
    });
    expect(unsupported).toEqual([]);
  });
});
