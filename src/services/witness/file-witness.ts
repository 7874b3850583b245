/**
 * A witness file (VIGIL_WITNESS_FILE): one JSON signed head a line, only ever appended to, each
 * line flushed to disk before the push counts as delivered. Meant to live on another disk or
 * another machine's mount (ideally append-only there, e.g. `chattr +a`), so that whoever rewrites
 * the database, the key file and the local checkpoint still finds the old heads in it.
 *
 * The file is never rewritten: a line torn by a crash stays, the next line starts on a line of
 * its own, and the reader skips a torn last line only.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { SignedHeadBody } from '../../domain/entities/signed-head.ts';
import type { SignedHead } from '../../store/audit-signature.ts';
import type { Witness } from './witness.ts';

/** The line of a head: its fields in a fixed order. */
export function headLine(h: SignedHead): string {
  return `${JSON.stringify({ instance: h.instance, seq: h.seq, hash: h.hash, at: h.at, key: h.key, signature: h.signature })}\n`;
}

/** Appends heads to a witness file. */
export class FileWitness implements Witness {
  readonly id: string;
  readonly file: string;

  constructor(file: string) {
    this.file = path.resolve(file);
    this.id = `file:${this.file}`;
  }

  /** Appends the head (unless it is the last line already) and flushes it; throws when the file cannot be written. */
  async deliver(head: SignedHead): Promise<void> {
    const created = !(await exists(this.file));
    // 'a': O_APPEND, so concurrent writers never overwrite each other; 0600 for a file made here.
    const fd = await fs.open(this.file, 'a+', 0o600);
    try {
      const { size, mode } = await fd.stat();
      if ((mode & 0o077) !== 0) await fd.chmod(0o600);
      const tail = await readTail(fd, size);
      if (tail.lastLine !== undefined && sameHead(tail.lastLine, head)) return;
      await fd.write(`${tail.endsInNewline ? '' : '\n'}${headLine(head)}`);
      await fd.sync();
    } finally {
      await fd.close();
    }
    // A new file's name must survive a crash too.
    if (created) await syncDirectory(path.dirname(this.file));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // Some file systems (and platforms) cannot fsync a directory; the line itself is flushed.
  } finally {
    await d.close();
  }
}

/** The last complete line of the file and whether the file ends in a newline (empty file: true). */
async function readTail(fd: fs.FileHandle, size: number): Promise<{ lastLine?: string; endsInNewline: boolean }> {
  if (size === 0) return { endsInNewline: true };
  const len = Math.min(size, 4096);
  const buf = Buffer.alloc(len);
  await fd.read(buf, 0, len, size - len);
  const text = buf.toString('utf8');
  const endsInNewline = text.endsWith('\n');
  if (!endsInNewline) return { endsInNewline };
  const lines = text.slice(0, -1).split('\n');
  return { lastLine: lines[lines.length - 1], endsInNewline };
}

function sameHead(line: string, h: SignedHead): boolean {
  try {
    const o = JSON.parse(line) as Partial<SignedHead>;
    return o.instance === h.instance && o.seq === h.seq && o.hash === h.hash && o.signature === h.signature;
  } catch {
    return false;
  }
}

/** What a witness file holds: its heads with their line numbers, and lines that are not heads. */
export interface WitnessFileContent {
  heads: Array<{ line: number; head: SignedHead }>;
  /** Lines that are not a signed head (a torn last line is not counted: a crash can leave one). */
  badLines: number[];
  /** Whether the last line was torn (no newline after it, and not a head). */
  tornLastLine: boolean;
}

/** Reads every head of a witness file, streaming (a file of years of heads never sits in memory whole). */
export async function readWitnessFile(file: string): Promise<WitnessFileContent> {
  const heads: WitnessFileContent['heads'] = [];
  const badLines: number[] = [];
  const { size } = await fs.stat(file);
  let endsInNewline = true;
  if (size > 0) {
    const fd = await fs.open(file, 'r');
    try {
      const b = Buffer.alloc(1);
      await fd.read(b, 0, 1, size - 1);
      endsInNewline = b[0] === 0x0a;
    } finally {
      await fd.close();
    }
  }
  const rl = readline.createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n += 1;
    if (text.trim() === '') continue;
    const head = parseHeadLine(text);
    if (head) heads.push({ line: n, head });
    else badLines.push(n);
  }
  const tornLastLine = !endsInNewline && badLines.at(-1) === n;
  if (tornLastLine) badLines.pop();
  return { heads, badLines, tornLastLine };
}

function parseHeadLine(text: string): SignedHead | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const r = SignedHeadBody.safeParse(parsed);
  return r.success ? r.data : null;
}
