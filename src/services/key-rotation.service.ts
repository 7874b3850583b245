import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { Keyring, parseSealed } from '../store/keyring.ts';
import { makeServices, type Actor, type Services } from './context.ts';
import { IDENTITY_KEY, readKeyRecord } from './identity-key.service.ts';
import { writeContext } from './record-write.ts';
import { derivedColumns, SEALED_COLUMNS, type SealedRow } from './sealed-records.ts';

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
export async function beginRotation(store: Store, keys: RotationKeys, ctx: { actor: Actor; clock: () => Date }): Promise<void> {
  const old = new Keyring(keys.old);
  const next = new Keyring(keys.next);
  const at = ctx.clock().toISOString();
  await runWrite(store, { actor: ctx.actor.id, at, reason: `identity key rotation to ${next.keyId}` }, async (w) => {
    const record = await w.trx.selectFrom('key_fingerprint').selectAll().where('purpose', '=', IDENTITY_KEY).executeTakeFirst();
    if (!record || record.fingerprint !== old.fingerprint) {
      throw new VigilError('key.mismatch', `the old key (fingerprint ${short(old.fingerprint)}) is not the key this database was sealed with${record ? ` (fingerprint ${short(record.fingerprint)})` : ''}`);
    }
    if (record.next_fingerprint) throw new VigilError('key.rotation_unfinished', `a rotation to key ${short(record.next_fingerprint)} is already under way`);
    await w.trx.updateTable('key_fingerprint').set({ next_fingerprint: next.fingerprint, rotation_started_at: at, rotation_cursor: null }).where('purpose', '=', IDENTITY_KEY).execute();
    w.note('key.rotation_started', 'key', old.keyId);
  });
}

/** The rotation's services: sealing and indexing under the new key, opening under either by key id. */
export function rotationServices(store: Store, keys: RotationKeys, opts: { clock?: () => Date } = {}): Services {
  return makeServices(store, new Keyring(keys.next, { alsoOpens: [keys.old] }), opts);
}

/** Rows that hold at least one sealed value. */
const anySealed = (eb: ExpressionBuilder<Database, 'person'>): Expression<SqlBool> => eb.or(SEALED_COLUMNS.map(({ column }) => eb(column, 'is not', null)));

/** Re-seals one row's values not yet under the current key; returns the columns to write, or undefined if there is nothing to do. */
function resealRow(keyring: Keyring, r: SealedRow): Record<string, unknown> | undefined {
  const cols: Record<string, unknown> = {};
  let name: string | undefined;
  for (const { column, field } of SEALED_COLUMNS) {
    const v = r[column];
    if (v === null) continue;
    const p = parseSealed(v);
    if (p?.version === 'v2' && p.keyId === keyring.keyId) continue;
    const plain = keyring.open(v, { field, recordId: r.id });
    cols[column] = keyring.seal(plain, { field, recordId: r.id });
    if (column === 'name_enc') name = plain;
  }
  if (Object.keys(cols).length === 0) return undefined;
  return { ...cols, ...derivedColumns(keyring, name) };
}

/**
 * Re-seals every sealed value under the new key, in batches: each batch is one transaction with
 * its records' `key.rotate` audit entries and the moved cursor (the last record id done), so a run
 * killed at any moment resumes after the last committed batch. Then a sweep re-seals anything the
 * cursor passed but that is still under the old key (a write that raced the rotation), and the
 * database records the new fingerprint (`key.rotated`). A value that opens under neither key stops
 * the rotation with `crypto.decrypt_failed` and its record, before the old key is retired.
 */
export async function resealAll(
  svc: Services,
  actor: Actor,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ resealed: number }> {
  const db = svc.store.db;
  const batchSize = opts.batchSize ?? 500;
  const record = await readKeyRecord(db);
  if (!record?.next_fingerprint) throw new VigilError('config.invalid', 'no key rotation is under way');
  if (record.next_fingerprint !== svc.keyring.fingerprint) throw new VigilError('key.mismatch', `the new key is not the one this rotation began with (fingerprint ${short(record.next_fingerprint)})`);
  const columns = ['id', ...SEALED_COLUMNS.map((c) => c.column)] as const;
  const count = async (upTo: string | null) => {
    let q = db.selectFrom('person').select(sql<number>`count(*)`.as('n')).where(anySealed);
    if (upTo !== null) q = q.where('id', '<=', upTo);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const total = await count(null);
  let cursor = record.rotation_cursor;
  let done = cursor === null ? 0 : await count(cursor);
  let resealed = 0;
  opts.onProgress?.(done, total);

  const writeBatch = (rows: SealedRow[], moveCursor: boolean) =>
    runWrite(svc.store, writeContext(svc, actor, `identity key rotation to ${svc.keyring.keyId}`), async (w) => {
      for (const r of rows) {
        const cols = resealRow(svc.keyring, r);
        if (!cols) continue;
        await w.update('person', r.id, cols, { action: 'key.rotate' });
        resealed += 1;
      }
      if (moveCursor) await w.trx.updateTable('key_fingerprint').set({ rotation_cursor: rows[rows.length - 1]!.id }).where('purpose', '=', IDENTITY_KEY).execute();
    });

  for (;;) {
    let q = db.selectFrom('person').select(columns).where(anySealed).orderBy('id').limit(batchSize);
    if (cursor !== null) q = q.where('id', '>', cursor);
    const rows = await q.execute();
    if (rows.length === 0) break;
    await writeBatch(rows, true);
    cursor = rows[rows.length - 1]!.id;
    done += rows.length;
    opts.onProgress?.(Math.min(done, total), total);
  }

  const current = `v2.${svc.keyring.keyId}.%`;
  for (;;) {
    const stale = await db
      .selectFrom('person')
      .select(columns)
      .where((eb) => eb.or(SEALED_COLUMNS.map(({ column }) => eb.and([eb(column, 'is not', null), eb(column, 'not like', current)]))))
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (stale.length === 0) break;
    await writeBatch(stale, false);
  }

  await runWrite(svc.store, writeContext(svc, actor, `identity key rotation to ${svc.keyring.keyId}`), async (w) => {
    await w.trx
      .updateTable('key_fingerprint')
      .set({ fingerprint: svc.keyring.fingerprint, recorded_at: w.ctx.at, next_fingerprint: null, rotation_started_at: null, rotation_cursor: null })
      .where('purpose', '=', IDENTITY_KEY)
      .execute();
    w.note('key.rotated', 'key', svc.keyring.keyId);
  });
  return { resealed };
}
