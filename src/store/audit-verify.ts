import { GENESIS_HASH, entryBytes } from './audit-chain.ts';
import { DELETE_ACTION } from './audited-writer.ts';
import { sha256Hex, stateHash } from './canonical.ts';
import type { Store } from './database.ts';
import { withSnapshot, type SnapshotReader } from './audit-reader.ts';
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
    | 'record_resurrected';
  seq?: number;
  entity?: string;
  message: string;
}

export type VerifyResult =
  | { ok: true; entries: number; records: number; bytes: number }
  | { ok: false; entries: number; records: number; bytes: number; break: VerifyBreak };

export type VerifyProgress = (phase: 'chain' | 'records', done: number, total: number) => void;


/**
 * Recomputes the audit chain (sequence, previous hash, own hash) and the state hash of every
 * audited record, and reports the first break. Rows changed, added or deleted by SQL outside
 * Vigil, and entries deleted, edited or reordered, all show up as a break.
 */
export async function verifyStore(store: Store, onProgress?: VerifyProgress, opts: { parallelFrom?: number } = {}): Promise<VerifyResult> {
  return withSnapshot(store, (reader) => verifyWith(reader, onProgress, opts.parallelFrom ?? PARALLEL_THRESHOLD));
}

async function verifyWith(reader: SnapshotReader, onProgress: VerifyProgress | undefined, parallelFrom: number): Promise<VerifyResult> {
  const totalEntries = await reader.count('audit_entry');
  const latest = new Map<string, string | null>();
  let expected = 1;
  let prev = GENESIS_HASH;
  let bytes = 0;
  let entries = 0;
  const fail = (b: VerifyBreak, records = 0): VerifyResult => ({ ok: false, entries, records, bytes, break: b });

  if (reader.sqliteFile && reader.stateChanges && totalEntries >= parallelFrom) {
    // Large chains: ranges hashed by worker threads, then the record states read in one pass.
    const chain = await verifyChainInParallel(reader.sqliteFile, totalEntries, (done) => onProgress?.('chain', done, totalEntries));
    entries = chain.entries;
    bytes = chain.bytes;
    if (chain.brk) return fail(chain.brk);
    prev = chain.lastHash;
    for (const e of reader.stateChanges()) latest.set(`${e.entity_type}\u0000${e.entity_id}`, e.state_hash);
  } else {
    for await (const page of reader.pages('audit_entry', 'seq')) {
      for (const row of page) {
        const e = row as unknown as AuditEntryTable;
        const seq = e.seq;
        if (seq !== expected) {
          return fail({ kind: 'sequence_gap', seq: expected, message: `entry ${expected} is missing (next is ${seq})` });
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
          return fail({ kind: 'entry_altered', seq, entity: `${e.entity_type} ${e.entity_id}`, message: `entry ${seq} was altered: its hash does not match its content` });
        }
        if (e.state_hash !== null || e.action === DELETE_ACTION) latest.set(`${e.entity_type}\u0000${e.entity_id}`, e.state_hash);
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

  let records = 0;
  let totalRecords = 0;
  for (const table of AUDITED_TABLES) totalRecords += await reader.count(table);
  for (const table of AUDITED_TABLES) {
    for await (const rows of reader.pages(table, 'id')) {
      for (const row of rows as Array<Record<string, unknown> & { id: string }>) {
        const key = `${table}\u0000${row.id}`;
        const entity = `${table} ${row.id}`;
        if (!latest.has(key)) {
          return fail({ kind: 'record_not_in_audit', entity, message: `${entity} is not in the audit log: it was added outside Vigil` }, records);
        }
        const recorded = latest.get(key);
        if (recorded === null) {
          return fail({ kind: 'record_resurrected', entity, message: `${entity} was deleted according to the audit log but exists` }, records);
        }
        const actual = stateHash(table, row);
        if (actual !== recorded) {
          return fail(
            { kind: 'record_altered', entity, message: `${entity} differs from its last audited state (recorded ${recorded!.slice(0, 12)}…, found ${actual.slice(0, 12)}…)` },
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
    return fail({ kind: 'record_deleted_outside', entity: `${table} ${id}`, message: `${table} ${id} is in the audit log but missing: it was deleted outside Vigil` }, records);
  }
  return { ok: true, entries, records, bytes };
}
