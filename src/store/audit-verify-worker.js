// Verifies one range of the audit chain on its own SQLite connection (see audit-chain-parallel.ts).
// Plain JavaScript so it starts in any process; the hashing code itself is the TypeScript one, via tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import BetterSqlite3 from 'better-sqlite3';

register();
const { entryBytes } = await import('./audit-chain.ts');
const { sha256Hex } = await import('./canonical.ts');
const { checkSignatureRow } = await import('./audit-signature-check.ts');

const { file, from, to, publicKey } = workerData;
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
const stmt = db.prepare(
  'SELECT seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash, hash, changes FROM audit_entry WHERE seq BETWEEN ? AND ? ORDER BY seq',
);
let expected = from;
let prev = null;
let firstPrev = null;
let bytes = 0;
let brk = null;
let firstAt = null;
let lastAt = null;
let lastAtText = '';
for (const e of stmt.iterate(from, to)) {
  if (e.seq !== expected) {
    brk = { kind: 'sequence_gap', seq: expected, message: `entry ${expected} is missing (next is ${e.seq})` };
    break;
  }
  if (prev === null) firstPrev = e.prev_hash;
  else if (e.prev_hash !== prev) {
    brk = {
      kind: 'previous_hash_mismatch',
      seq: e.seq,
      entity: `${e.entity_type} ${e.entity_id}`,
      message: `entry ${e.seq} does not follow entry ${e.seq - 1}: previous hash differs`,
    };
    break;
  }
  const canon = entryBytes(e);
  bytes += Buffer.byteLength(canon);
  if (sha256Hex(canon) !== e.hash) {
    brk = {
      kind: 'entry_altered',
      seq: e.seq,
      entity: `${e.entity_type} ${e.entity_id}`,
      message: `entry ${e.seq} was altered: its hash does not match its content`,
    };
    break;
  }
  const at = Date.parse(e.at);
  if (lastAt === null) firstAt = at;
  else if (!(at >= lastAt)) {
    brk = {
      kind: 'time_backwards',
      seq: e.seq,
      entity: `${e.entity_type} ${e.entity_id}`,
      message: `entry ${e.seq} is dated ${e.at}, before entry ${e.seq - 1} (${lastAtText}): time went backwards, an entry was back-dated or inserted`,
    };
    break;
  }
  lastAt = at;
  lastAtText = e.at;
  prev = e.hash;
  expected += 1;
  if ((expected - from) % 50_000 === 0) parentPort.postMessage({ progress: expected - from });
}
if (!brk && expected !== to + 1) brk = { kind: 'sequence_gap', seq: expected, message: `entry ${expected} is missing` };
// The signed heads of this range, each against its entry (see checkSignatureRow).
let signatures = null;
if (publicKey !== undefined) {
  signatures = { checked: 0, lastSigned: null, badRow: null };
  const sigs = db.prepare(
    'SELECT s.seq, s.hash, s.at, s.key_fingerprint, s.public_key, s.signature, e.hash AS entry_hash, e.at AS entry_at FROM audit_signature s LEFT JOIN audit_entry e ON e.seq = s.seq WHERE s.seq BETWEEN ? AND ? ORDER BY s.seq',
  );
  for (const s of sigs.iterate(from, to)) {
    // The break's wording needs the signed head before it, which may be in an earlier range: the caller words it.
    if (checkSignatureRow(s, publicKey, 0)) {
      signatures.badRow = s;
      break;
    }
    signatures.lastSigned = s.seq;
    signatures.checked += 1;
  }
}
db.close();
parentPort.postMessage({
  done: { count: expected - from, bytes, firstPrev, lastHash: prev, firstAt, lastAt, brk, signatures },
});
