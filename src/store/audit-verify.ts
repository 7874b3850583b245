import { GENESIS_HASH, entryBytes } from './audit-chain.ts';
import { DELETE_ACTION } from './audited-writer.ts';
import { sha256Hex, stateHash } from './canonical.ts';
import type { Store } from './database.ts';
import { withSnapshot, type SnapshotReader } from './audit-reader.ts';
import { keyFingerprintOf } from './audit-signature.ts';
import { checkSignatureRow } from './audit-signature-check.ts';
import { PARALLEL_THRESHOLD, verifyChainInParallel } from './audit-chain-parallel.ts';
import { AUDITED_TABLES, type AuditEntryTable } from './schema.ts';

/** The first place where the store and its audit chain disagree. */
export interface VerifyBreak {
  kind:
    | 'sequence_gap'
    | 'previous_hash_mismatch'
    | 'entry_altered'
    | 'head_mismatch'
    | 'record_not_in_audit'
    | 'record_altered'
    | 'record_deleted_outside'
    | 'record_resurrected'
    | 'time_backwards'
    | 'unknown_actor'
    | 'signature_invalid'
    | 'signed_head_mismatch'
    | 'unsigned_entries';
  seq?: number;
  entity?: string;
  message: string;
}

/** How many signed heads were checked, and with which key; `unchecked` when no key was given. */
export type SignatureCount = { checked: number; key: string } | 'unchecked';

export type VerifyResult =
  | { ok: true; entries: number; records: number; bytes: number; signatures: SignatureCount }
  | { ok: false; entries: number; records: number; bytes: number; signatures: SignatureCount; break: VerifyBreak };

export type VerifyProgress = (phase: 'chain' | 'signatures' | 'records', done: number, total: number) => void;

/** Actors that are not users: Vigil itself, a signed-out visitor, an operator at the console (`cli:<name>`). */
export function isUserActor(actor: string): boolean {
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
  let expected = 1;
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
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastAtText = '';
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
    for await (const page of reader.pages('audit_entry', 'seq')) {
      for (const row of page) {
        const e = row as unknown as AuditEntryTable;
        const seq = e.seq;
        if (seq !== expected) {
          return fail({
            kind: 'sequence_gap',
            seq: expected,
            message: `entry ${expected} is missing (next is ${seq})`,
          });
        }
        if (e.prev_hash !== prev) {
          return fail({
            kind: 'previous_hash_mismatch',
            seq,
            entity: `${e.entity_type} ${e.entity_id}`,
            message: `entry ${seq} does not follow entry ${seq - 1}: previous hash differs`,
          });
        }
        const canon = entryBytes(e);
        bytes += Buffer.byteLength(canon);
        if (sha256Hex(canon) !== e.hash) {
          return fail({
            kind: 'entry_altered',
            seq,
            entity: `${e.entity_type} ${e.entity_id}`,
            message: `entry ${seq} was altered: its hash does not match its content`,
          });
        }
        const at = Date.parse(e.at);
        if (!(at >= lastAt)) {
          return fail({
            kind: 'time_backwards',
            seq,
            entity: `${e.entity_type} ${e.entity_id}`,
            message: `entry ${seq} is dated ${e.at}, before entry ${seq - 1} (${lastAtText}): time went backwards, an entry was back-dated or inserted`,
          });
        }
        lastAt = at;
        lastAtText = e.at;
        if (e.entity_type === 'app_user' && !users.has(e.entity_id)) users.set(e.entity_id, seq);
        if (isUserActor(e.actor)) {
          const since = users.get(e.actor);
          if (since === undefined || since >= seq) {
            return fail({
              kind: 'unknown_actor',
              seq,
              entity: `${e.entity_type} ${e.entity_id}`,
              message: `entry ${seq} names actor ${e.actor}, who was not a user at that time`,
            });
          }
        }
        if (e.state_hash !== null || e.action === DELETE_ACTION)
          latest.set(`${e.entity_type}\u0000${e.entity_id}`, e.state_hash);
        prev = e.hash;
        expected += 1;
        entries += 1;
      }
      onProgress?.('chain', entries, totalEntries);
    }
  }

  let head: { seq: number; hash: string } | undefined;
  for await (const page of reader.pages('audit_head', 'id')) {
    head = page[0] as typeof head;
    break; // closes the statement
  }
  if (!head || Number(head.seq) !== entries || head.hash !== prev) {
    return fail({
      kind: 'head_mismatch',
      seq: head ? Number(head.seq) : undefined,
      message: `the chain ends at entry ${entries} but its head says ${head ? head.seq : 'nothing'}: entries were removed from the end`,
    });
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
        if (!latest.has(key)) {
          return fail(
            {
              kind: 'record_not_in_audit',
              entity,
              message: `${entity} is not in the audit log: it was added outside Vigil`,
            },
            records,
          );
        }
        const recorded = latest.get(key);
        if (recorded === null) {
          return fail(
            {
              kind: 'record_resurrected',
              entity,
              message: `${entity} was deleted according to the audit log but exists`,
            },
            records,
          );
        }
        const actual = stateHash(table, row);
        if (actual !== recorded) {
          return fail(
            {
              kind: 'record_altered',
              entity,
              message: `${entity} differs from its last audited state (recorded ${recorded!.slice(0, 12)}…, found ${actual.slice(0, 12)}…)`,
            },
            records,
          );
        }
        latest.delete(key);
        records += 1;
      }
      onProgress?.('records', records, totalRecords);
    }
  }
  for (const [key, state] of latest) {
    if (state === null) continue;
    const [table, id] = key.split('\u0000');
    if (!(AUDITED_TABLES as readonly string[]).includes(table!)) continue;
    return fail(
      {
        kind: 'record_deleted_outside',
        entity: `${table} ${id}`,
        message: `${table} ${id} is in the audit log but missing: it was deleted outside Vigil`,
      },
      records,
    );
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
  if (lastSigned !== entries) {
    return {
      kind: 'unsigned_entries',
      seq: lastSigned + 1,
      message:
        lastSigned === 0
          ? `no head of the chain is signed by this instance's key ${fingerprint}: entries 1 to ${entries} cannot be told from a forgery`
          : `${lastSigned + 1 === entries ? `entry ${entries} was` : `entries ${lastSigned + 1} to ${entries} were`} appended without the instance's key ${fingerprint} (the last signed head is entry ${lastSigned})`,
    };
  }
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
    if (since === undefined || since >= e.seq) {
      return {
        kind: 'unknown_actor',
        seq: e.seq,
        entity: `${e.entity_type} ${e.entity_id}`,
        message: `entry ${e.seq} names actor ${e.actor}, who was not a user at that time`,
      };
    }
  }
  return null;
}
