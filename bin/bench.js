#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs the benchmark bench/NAME.ts through tsx in a fresh Node process.
// Every figure a benchmark prints is a ratio against a baseline measured in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench');

/** Runnable scripts: bench/*.ts (helpers live in bench/lib/). */
function available() {
  return fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

const [name, ...args] = process.argv.slice(2);
const names = available();
if (!name || !names.includes(name)) {
  const what = name ? `unknown benchmark "${name}"` : 'no benchmark named';
  console.error(`bench: ${what}; available: ${names.join(', ')} (usage: npm run bench -- NAME [--option value ...])`);
  process.exit(2);
}

const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), path.join(benchDir, `${name}.ts`), ...args],
  { stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
