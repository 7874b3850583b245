// Verifies one range of the audit chain on its own SQLite connection (see audit-chain-parallel.ts,
// which starts it with the tsx loader registered: worker threads do not inherit the parent's).
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { ChainWalk, breaks, type AuditEntry, type VerifyBreak } from '../domain/audit-format.ts';
import type { SignatureRow } from './audit-reader.ts';
import { checkSignatureRow } from './audit-signature-check.ts';
import type { RangeResult, RangeTask } from './audit-chain-parallel.ts';

if (!parentPort) throw new Error('audit-verify-worker.ts runs as a worker thread');
const port = parentPort;
const { file, from, to, publicKey } = workerData as RangeTask;
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
const stmt = db.prepare<[number, number], AuditEntry>(
  'SELECT seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash, hash, changes FROM audit_entry WHERE seq BETWEEN ? AND ? ORDER BY seq',
);
const walk = ChainWalk.range(from);
let brk: VerifyBreak | null = null;
for (const e of stmt.iterate(from, to)) {
  brk = walk.step(e);
  if (brk) break;
  if ((walk.expected - from) % 50_000 === 0) port.postMessage({ progress: walk.expected - from });
}
if (!brk && walk.expected !== to + 1) brk = breaks.sequenceGap(walk.expected);
// The signed heads of this range, each against its entry (see checkSignatureRow).
let signatures: RangeResult['signatures'] = null;
if (publicKey !== undefined) {
  signatures = { checked: 0, lastSigned: null, badRow: null };
  const sigs = db.prepare<[number, number], SignatureRow>(
    'SELECT s.seq, s.hash, s.at, s.key_fingerprint, s.public_key, s.signature, e.hash AS entry_hash, e.at AS entry_at FROM audit_signature s LEFT JOIN audit_entry e ON e.seq = s.seq WHERE s.seq BETWEEN ? AND ? ORDER BY s.seq',
  );
  for (const s of sigs.iterate(from, to)) {
    // The break's wording needs the signed head before it, which may be in an earlier range: the caller words it.
    if (checkSignatureRow(s, publicKey, 0)) {
      signatures.badRow = s;
      break;
    }
    signatures.lastSigned = Number(s.seq);
    signatures.checked += 1;
  }
}
db.close();
const done: RangeResult = {
  count: walk.expected - from,
  bytes: walk.bytes,
  firstPrev: walk.firstPrev,
  lastHash: walk.prev,
  firstAt: walk.firstAt,
  lastAt: walk.lastAt,
  brk,
  signatures,
};
port.postMessage({ done });
