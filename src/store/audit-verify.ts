import { ChainWalk, GENESIS_HASH, breaks, type VerifyBreak } from '../domain/audit-format.ts';
import { stateHash } from '../domain/canonical-json.ts';
import { DELETE_ACTION } from './audited-writer.ts';
import type { Store } from './database.ts';
import { withSnapshot, type SnapshotReader } from './audit-reader.ts';
import { keyFingerprintOf } from './audit-signature.ts';
import { checkSignatureRow } from './audit-signature-check.ts';
import { PARALLEL_THRESHOLD, verifyChainInParallel } from './audit-chain-parallel.ts';
import { AUDITED_TABLES, type AuditEntryTable } from './schema.ts';

/** How many signed heads were checked, and with which key; `unchecked` when no key was given. */
type SignatureCount = { checked: number; key: string } | 'unchecked';

export type VerifyResult =
  | { ok: true; entries: number; records: number; bytes: number; signatures: SignatureCount }
  | { ok: false; entries: number; records: number; bytes: number; signatures: SignatureCount; break: VerifyBreak };

export type VerifyProgress = (phase: 'chain' | 'signatures' | 'records', done: number, total: number) => void;

/** Actors that are not users: Vigil itself, a signed-out visitor, an operator at the console (`cli:<name>`). */
function isUserActor(actor: string): boolean {
  return actor !== 'system' && actor !== 'anonymous' && !actor.startsWith('cli:');
}

/** Options of a verification: the instance's public key (raw base64) that every signed head must check with. */
export interface VerifyOptions {
  parallelFrom?: number;
  /** The trusted public key; defaults to the store's signer. Without either, signatures are not checked. */
  publicKey?: string;
}

/**
 * Recomputes the audit chain (sequence, previous hash, own hash) and the state hash of every
 * audited record, and reports the first break. Rows changed, added or deleted by SQL outside
 * Vigil, and entries deleted, edited or reordered, all show up as a break.
 */
export async function verifyStore(
  store: Store,
  onProgress?: VerifyProgress,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const publicKey = opts.publicKey ?? store.signer?.publicKey;
  return withSnapshot(store, (reader) =>
    verifyWith(reader, onProgress, opts.parallelFrom ?? PARALLEL_THRESHOLD, publicKey),
  );
}

async function verifyWith(
  reader: SnapshotReader,
  onProgress: VerifyProgress | undefined,
  parallelFrom: number,
  publicKey: string | undefined,
): Promise<VerifyResult> {
  const totalEntries = await reader.count('audit_entry');
  const latest = new Map<string, string | null>();
  let prev = GENESIS_HASH;
  let bytes = 0;
  let entries = 0;
  let signatures: SignatureCount = 'unchecked';
  const fail = (b: VerifyBreak, records = 0): VerifyResult => ({
    ok: false,
    entries,
    records,
    bytes,
    signatures,
    break: b,
  });
  // Users by the sequence of their first entry: an actor must have been created before it acts.
  const users = new Map<string, number>();
  let signedInWorkers: { checked: number; lastSigned: number } | undefined;

  if (reader.sqliteFile && reader.stateChanges && totalEntries >= parallelFrom) {
    // Large chains: ranges hashed by worker threads, then the record states read in one pass.
    const chain = await verifyChainInParallel(
      reader.sqliteFile,
      totalEntries,
      (done) => onProgress?.('chain', done, totalEntries),
      publicKey,
    );
    entries = chain.entries;
    bytes = chain.bytes;
    if (chain.brk) return fail(chain.brk);
    if (chain.signatures) {
      if (chain.signatures.brk) return fail(chain.signatures.brk);
      // Checked in the workers; what is left is whether the last entry is signed.
      signedInWorkers = { checked: chain.signatures.checked, lastSigned: chain.signatures.lastSigned };
    }
    prev = chain.lastHash;
    for (const e of reader.stateChanges()) latest.set(`${e.entity_type}\u0000${e.entity_id}`, e.state_hash);
    if (reader.actorsAndUsers) {
      const brk = checkActors(reader.actorsAndUsers());
      if (brk) return fail(brk);
    }
  } else {
    const walk = ChainWalk.fromStart();
    for await (const page of reader.pages('audit_entry', 'seq')) {
      for (const row of page) {
        const e = row as unknown as AuditEntryTable;
        const brk = walk.step(e);
        bytes = walk.bytes;
        if (brk) return fail(brk);
        const seq = e.seq;
        if (e.entity_type === 'app_user' && !users.has(e.entity_id)) users.set(e.entity_id, seq);
        if (isUserActor(e.actor)) {
          const since = users.get(e.actor);
          if (since === undefined || since >= seq) return fail(breaks.unknownActor(e));
        }
        if (e.state_hash !== null || e.action === DELETE_ACTION)
          latest.set(`${e.entity_type}\u0000${e.entity_id}`, e.state_hash);
        entries += 1;
      }
      onProgress?.('chain', entries, totalEntries);
    }
    prev = walk.prev ?? GENESIS_HASH;
  }

  let head: { seq: number; hash: string } | undefined;
  for await (const page of reader.pages('audit_head', 'id')) {
    head = page[0] as typeof head;
    break; // closes the statement
  }
  if (!head || Number(head.seq) !== entries || head.hash !== prev) {
    return fail(breaks.headMismatch(entries, head ? Number(head.seq) : undefined));
  }

  if (publicKey !== undefined) {
    const checked = signedInWorkers
      ? lastSignedCheck(signedInWorkers.checked, signedInWorkers.lastSigned, entries, keyFingerprintOf(publicKey))
      : await checkSignatures(reader, publicKey, entries, (done, total) => onProgress?.('signatures', done, total));
    if (typeof checked !== 'number') return fail(checked);
    signatures = { checked, key: keyFingerprintOf(publicKey) };
  }

  let records = 0;
  let totalRecords = 0;
  for (const table of AUDITED_TABLES) totalRecords += await reader.count(table);
  for (const table of AUDITED_TABLES) {
    for await (const rows of reader.pages(table, 'id')) {
      for (const row of rows as Array<Record<string, unknown> & { id: string }>) {
        const key = `${table}\u0000${row.id}`;
        const entity = `${table} ${row.id}`;
        const recorded = latest.get(key);
        if (recorded === undefined) {
          return fail(breaks.recordNotInAudit(entity), records);
        }
        if (recorded === null) {
          return fail(breaks.recordResurrected(entity), records);
        }
        const actual = stateHash(table, row);
        if (actual !== recorded) {
          return fail(breaks.recordAltered(entity, recorded, actual), records);
        }
        latest.delete(key);
        records += 1;
      }
      onProgress?.('records', records, totalRecords);
    }
  }
  for (const [key, state] of latest) {
    if (state === null) continue;
    const [table = '', id] = key.split('\u0000');
    if (!(AUDITED_TABLES as readonly string[]).includes(table)) continue;
    return fail(breaks.recordDeletedOutside(`${table} ${id}`), records);
  }
  return { ok: true, entries, records, bytes, signatures };
}

/**
 * Every signed head must check with the trusted key and match the chain at its entry, and the
 * chain's last entry must be signed: entries after the last signature were appended by someone
 * without the key (their own hashes are easy to compute). Returns how many heads were checked.
 */
async function checkSignatures(
  reader: SnapshotReader,
  publicKey: string,
  entries: number,
  onProgress: (done: number, total: number) => void,
): Promise<number | VerifyBreak> {
  const fingerprint = keyFingerprintOf(publicKey);
  const total = await reader.count('audit_signature');
  let lastSigned = 0;
  let checked = 0;
  for await (const page of reader.signatures()) {
    for (const s of page) {
      const brk = checkSignatureRow(s, publicKey, lastSigned);
      if (brk) return brk;
      lastSigned = Number(s.seq);
      checked += 1;
    }
    onProgress(checked, total);
  }
  return lastSignedCheck(checked, lastSigned, entries, fingerprint);
}

/** The chain's last entry must be signed: entries after the last signed head were appended by someone without the key. */
function lastSignedCheck(
  checked: number,
  lastSigned: number,
  entries: number,
  fingerprint: string,
): number | VerifyBreak {
  if (lastSigned !== entries) return breaks.unsignedEntries(lastSigned, entries, fingerprint);
  return checked;
}

/** The actor check over a whole chain, from entries read in order (the parallel path): the first entry whose actor was not yet a user. */
function checkActors(
  rows: Iterable<{ seq: number; actor: string; entity_type: string; entity_id: string }>,
): VerifyBreak | null {
  const users = new Map<string, number>();
  for (const e of rows) {
    if (e.entity_type === 'app_user' && !users.has(e.entity_id)) users.set(e.entity_id, e.seq);
    if (!isUserActor(e.actor)) continue;
    const since = users.get(e.actor);
    if (since === undefined || since >= e.seq) return breaks.unknownActor(e);
  }
  return null;
}
