import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ephemeralSigningKey, headSignerOf } from '../../evidence/signing-key.ts';
import { signHead } from '../../store/audit-signature.ts';
import { FileWitness, headLine, readWitnessFile } from './file-witness.ts';

const signer = headSignerOf(ephemeralSigningKey());
const head = (seq: number) =>
  signHead(signer, {
    seq,
    hash: String(seq % 10).repeat(64),
    at: new Date(Date.UTC(2022, 1, 1, 9, 0, seq)).toISOString(),
  });

describe('witness file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-witness-'));
    file = path.join(dir, 'mount', 'heads.jsonl');
    fs.mkdirSync(path.dirname(file));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON head a line, mode 0600, and never rewrites what is there', async () => {
    const w = new FileWitness(file);
    expect(w.id).toBe(`file:${file}`);
    await w.deliver(head(1));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const first = fs.readFileSync(file);
    await w.deliver(head(2));
    await w.deliver(head(2)); // the last line already: not appended twice
    const after = fs.readFileSync(file);
    expect(after.subarray(0, first.length).equals(first)).toBe(true);
    expect(after.toString()).toBe(headLine(head(1)) + headLine(head(2)));
    expect((await readWitnessFile(file)).heads.map((h) => h.head)).toEqual([head(1), head(2)]);
  });

  it('makes a file that others could read private before appending', async () => {
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    await new FileWitness(file).deliver(head(1));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('starts a new line after a torn one, and the reader skips a torn last line only', async () => {
    const w = new FileWitness(file);
    await w.deliver(head(1));
    fs.appendFileSync(file, '{"instance":"torn by a cra');
    expect(await readWitnessFile(file)).toMatchObject({ heads: [{ line: 1 }], badLines: [], tornLastLine: true });
    await w.deliver(head(2));
    const read = await readWitnessFile(file);
    expect(read.heads.map((h) => [h.line, h.head.seq])).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(read.badLines).toEqual([2]);
    expect(read.tornLastLine).toBe(false);
  });

  it('throws when the file cannot be written, so the queue keeps the push', async () => {
    await expect(new FileWitness(path.join(dir, 'no-such-mount', 'heads.jsonl')).deliver(head(1))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
