import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { GENESIS_HASH, breaks, type VerifyBreak } from '../domain/audit-format.ts';
import { required } from '../domain/required.ts';
import type { SignatureRow } from './audit-reader.ts';
import { checkSignatureRow } from './audit-signature-check.ts';

/** What a worker is given: its SQLite file, its range of sequences and the trusted key. */
export interface RangeTask {
  file: string;
  from: number;
  to: number;
  publicKey: string | undefined;
}

/** What a worker answers for its range (audit-verify-worker.ts). */
export interface RangeResult {
  count: number;
  bytes: number;
  firstPrev: string | null;
  lastHash: string | null;
  firstAt: number | null;
  lastAt: number | null;
  brk: VerifyBreak | null;
  signatures: { checked: number; lastSigned: number | null; badRow: SignatureRow | null } | null;
}

/** The signed heads checked by the workers: how many, the last good one, and the first that failed (lowest sequence). */
export interface ParallelSignatures {
  checked: number;
  lastSigned: number;
  brk: VerifyBreak | null;
}

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_THRESHOLD = 200_000;

const WORKER = new URL('./audit-verify-worker.ts', import.meta.url).href;

/**
 * Worker threads do not inherit the tsx loader of the process (nor take it from `execArgv` on
 * Node 20), so each worker registers it before it imports its TypeScript module; the same code
 * runs under `npm start`, the CLI and vitest.
 */
function workerSource(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER)}); });`;
}

function verifyRange(
  file: string,
  from: number,
  to: number,
  publicKey: string | undefined,
  onProgress: (n: number) => void,
): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const task: RangeTask = { file, from, to, publicKey };
    const worker = new Worker(workerSource(), { eval: true, workerData: task });
    worker.on('message', (m: { progress?: number; done?: RangeResult }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.done) resolve(m.done);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`chain verification worker stopped with code ${code}`));
    });
  });
}

/**
 * Verifies entries 1..`total` of an SQLite audit chain in ranges, one worker thread and one
 * read-only connection per range, then checks that each range starts where the previous ended.
 * Entries up to `total` (the count in the caller's snapshot) are append-only, so the ranges and
 * the snapshot agree. Reports the break with the lowest sequence, as a sequential pass would.
 */
export async function verifyChainInParallel(
  file: string,
  total: number,
  onProgress?: (done: number) => void,
  publicKey?: string,
): Promise<{
  entries: number;
  bytes: number;
  lastHash: string;
  brk: VerifyBreak | null;
  signatures: ParallelSignatures | null;
}> {
  const n = Math.max(2, Math.min(os.availableParallelism(), 4));
  const size = Math.ceil(total / n);
  const done = new Array<number>(n).fill(0);
  const ranges = Array.from({ length: n }, (_, i) => [i * size + 1, Math.min(total, (i + 1) * size)] as const).filter(
    ([a, b]) => a <= b,
  );
  const results = await Promise.all(
    ranges.map(([a, b], i) =>
      verifyRange(file, a, b, publicKey, (k) => {
        done[i] = k;
        onProgress?.(done.reduce((x, y) => x + y, 0));
      }),
    ),
  );
  const found: VerifyBreak[] = [];
  let prevLast = GENESIS_HASH;
  let prevAt = Number.NEGATIVE_INFINITY;
  results.forEach((r, i) => {
    if (r.brk) found.push(r.brk);
    const [from] = required(ranges[i], 'the range of a chain check');
    if (r.count > 0 && r.firstPrev !== prevLast) {
      found.push(breaks.previousHashMismatch(from));
    }
    if (r.count > 0 && r.firstAt !== null && !(r.firstAt >= prevAt)) {
      found.push(breaks.timeBackwards(from));
    }
    prevLast = r.lastHash ?? prevLast;
    prevAt = r.lastAt ?? prevAt;
  });
  found.sort((x, y) => (x.seq ?? 0) - (y.seq ?? 0));
  const first = found[0];
  const entries = first?.seq !== undefined ? first.seq - 1 : results.reduce((s, r) => s + r.count, 0);
  return {
    entries,
    bytes: results.reduce((s, r) => s + r.bytes, 0),
    lastHash: prevLast,
    brk: found[0] ?? null,
    signatures: publicKey === undefined ? null : joinSignatures(results, publicKey),
  };
}

/** Joins the ranges' signature checks in order: the first failing head is worded with the signed head before it, wherever that was. */
function joinSignatures(results: RangeResult[], publicKey: string): ParallelSignatures {
  let checked = 0;
  let lastSigned = 0;
  for (const r of results) {
    const s = required(r.signatures, 'the signature check of a range checked with a key');
    if (s.badRow) {
      const brk = checkSignatureRow(s.badRow, publicKey, s.lastSigned ?? lastSigned);
      return { checked: checked + s.checked, lastSigned: s.lastSigned ?? lastSigned, brk };
    }
    checked += s.checked;
    lastSigned = s.lastSigned ?? lastSigned;
  }
  return { checked, lastSigned, brk: null };
}
