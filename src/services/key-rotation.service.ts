import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import * as keyRecords from '../store/repositories/key-fingerprint.repository.ts';
import type { Store } from '../store/database.ts';
import { Keyring, parseSealed } from '../store/keyring.ts';
import { makeServices, type Actor, type Services } from './context.ts';
import { IDENTITY_KEY, readKeyRecord } from './identity-key.service.ts';
import { writeContext } from './record-write.ts';
import {
  countSealedRows,
  derivedColumns,
  SEALED_TABLES,
  sealedRows,
  writeSealedRow,
  type SealedFilter,
  type SealedRow,
  type SealedTable,
  type SealedValues,
} from './sealed-records.ts';

const short = (fingerprint: string) => fingerprint.slice(0, 16);

/** A rotation's two keys: the one the database was sealed with and the one it moves to. */
export interface RotationKeys {
  old: Buffer;
  next: Buffer;
}

/**
 * Records that a rotation from `old` to `next` has begun (an audited note). From here until it
 * finishes, every other command refuses with `key.rotation_unfinished`, and a new run resumes.
 * The old key must be the one the database recorded: otherwise `key.mismatch`, and nothing is written.
 */
export async function beginRotation(
  store: Store,
  keys: RotationKeys,
  ctx: { actor: Actor; clock: () => Date },
): Promise<void> {
  const old = new Keyring(keys.old);
  const next = new Keyring(keys.next);
  const at = ctx.clock().toISOString();
  await runWrite(store, { actor: ctx.actor.id, at, reason: `identity key rotation to ${next.keyId}` }, async (w) => {
    const record = await keyRecords.findKeyRecord(w.trx, IDENTITY_KEY);
    if (!record || record.fingerprint !== old.fingerprint) {
      throw new VigilError(
        'key.mismatch',
        `the old key (fingerprint ${short(old.fingerprint)}) is not the key this database was sealed with${record ? ` (fingerprint ${short(record.fingerprint)})` : ''}`,
      );
    }
    if (record.next_fingerprint)
      throw new VigilError(
        'key.rotation_unfinished',
        `a rotation to key ${short(record.next_fingerprint)} is already under way`,
      );
    await keyRecords.beginKeyRotation(w.trx, IDENTITY_KEY, next.fingerprint, at);
    w.note('key.rotation_started', 'key', old.keyId);
  });
}

/** The rotation's services: sealing and indexing under the new key, opening under either by key id. */
export function rotationServices(store: Store, keys: RotationKeys, opts: { clock?: () => Date } = {}): Services {
  return makeServices(store, new Keyring(keys.next, { alsoOpens: [keys.old] }), opts);
}

/** The cursor of a rotation: the table and the last record id done there, as `<table>:<id>`; a bare id (written before TOTP secrets were rotated) is a person's. */
function parseCursor(cursor: string | null): { index: number; after: string | null } {
  if (cursor === null) return { index: 0, after: null };
  const index = SEALED_TABLES.findIndex((t) => cursor.startsWith(`${t.table}:`));
  const table = SEALED_TABLES[index];
  if (!table)
    return {
      index: Math.max(
        0,
        SEALED_TABLES.findIndex((t) => t.table === 'person'),
      ),
      after: cursor,
    };
  return { index, after: cursor.slice(table.table.length + 1) };
}

const cursorOf = (t: SealedTable, recordId: string) => `${t.table}:${recordId}`;

/** Re-seals one row's values not yet under the current key; returns the columns to write, or undefined if there is nothing to do. */
function resealRow(keyring: Keyring, t: SealedTable, r: SealedRow): SealedValues | undefined {
  const cols: SealedValues = {};
  const plain: Record<string, string> = {};
  for (const { column, field } of t.columns) {
    const v = r.values[column];
    if (v === null || v === undefined) continue;
    const p = parseSealed(v);
    if (p?.version === 'v2' && p.keyId === keyring.keyId) continue;
    plain[column] = keyring.open(v, { field, recordId: r.recordId });
    cols[column] = keyring.seal(plain[column], { field, recordId: r.recordId });
  }
  if (Object.keys(cols).length === 0) return undefined;
  return { ...cols, ...derivedColumns(keyring, t, plain) };
}

/** What a rotation re-sealed: records per sealed table. */
export type ResealCounts = Partial<Record<SealedTable['table'], number>>;

/**
 * Re-seals every sealed value under the new key, table by table (see `SEALED_COLUMNS`: people's
 * identities, then users' TOTP secrets), in batches: each batch is one transaction that reads its
 * rows, writes them with one audit entry each (`key.rotate`: an update of a person, a note on the
 * user whose TOTP secret moved) and moves the cursor (the table and last record id done), so a run
 * killed at any moment resumes after the last committed batch. Then a sweep re-seals anything the
 * cursor passed but that is still under the old key (a write that raced the rotation), and the
 * database records the new fingerprint (`key.rotated`). A value that opens under neither key stops
 * the rotation with `crypto.decrypt_failed` and its record, before the old key is retired.
 */
export async function resealAll(
  svc: Services,
  actor: Actor,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ resealed: number; byTable: ResealCounts }> {
  const db = svc.store.db;
  const batchSize = opts.batchSize ?? 500;
  const record = await readKeyRecord(db);
  if (!record?.next_fingerprint) throw new VigilError('config.invalid', 'no key rotation is under way');
  if (record.next_fingerprint !== svc.keyring.fingerprint)
    throw new VigilError(
      'key.mismatch',
      `the new key is not the one this rotation began with (fingerprint ${short(record.next_fingerprint)})`,
    );
  const start = parseCursor(record.rotation_cursor);
  let total = 0;
  let done = 0;
  for (const [i, t] of SEALED_TABLES.entries()) {
    const n = await countSealedRows(db, t);
    total += n;
    if (i < start.index) done += n;
    else if (i === start.index && start.after !== null) done += await countSealedRows(db, t, { upTo: start.after });
  }
  const byTable: ResealCounts = {};
  opts.onProgress?.(done, total);

  const reason = `identity key rotation to ${svc.keyring.keyId}`;
  /** One batch in one transaction: the rows read there, re-sealed, and the cursor moved with them (unless sweeping). */
  const batch = (t: SealedTable, read: { after?: string | null; filter?: SealedFilter }, moveCursor: boolean) =>
    runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
      const rows = await sealedRows(w.trx, t, { ...read, limit: batchSize });
      for (const r of rows) {
        const cols = resealRow(svc.keyring, t, r);
        if (!cols) continue;
        await writeSealedRow(w, t, r.recordId, cols, 'key.rotate');
        byTable[t.table] = (byTable[t.table] ?? 0) + 1;
      }
      const last = rows[rows.length - 1];
      if (moveCursor && last) await keyRecords.moveRotationCursor(w.trx, IDENTITY_KEY, cursorOf(t, last.recordId));
      return { count: rows.length, last: last?.recordId };
    });

  for (const [i, t] of SEALED_TABLES.entries()) {
    if (i < start.index) continue;
    let after = i === start.index ? start.after : null;
    for (;;) {
      const { count, last } = await batch(t, { after }, true);
      if (count === 0 || last === undefined) break;
      after = last;
      done += count;
      opts.onProgress?.(Math.min(done, total), total);
    }
  }

  for (const t of SEALED_TABLES) {
    while ((await batch(t, { filter: { kind: 'not_under', keyId: svc.keyring.keyId } }, false)).count > 0);
  }

  await runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    await keyRecords.finishKeyRotation(w.trx, IDENTITY_KEY, svc.keyring.fingerprint, w.ctx.at);
    w.note('key.rotated', 'key', svc.keyring.keyId);
  });
  return { resealed: byTable.person ?? 0, byTable };
}
