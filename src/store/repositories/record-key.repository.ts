/**
 * Records named by a key: an id or an external id (import files refer to records by their external
 * ids). An id wins over an external id that happens to equal it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditedTable, Database } from '../schema.ts';
import type { UntypedDb } from '../untyped-db.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** Tables whose records a key can name: every audited table but the parts of a record. */
export type KeyedTable = Exclude<
  AuditedTable,
  'allegation_act' | 'allegation_person' | 'allegation_source' | 'proceeding_stage'
>;

/** The id of the record of `table` whose id or external id is `key` (custody events: by id only); undefined when none. */
export async function findIdByKey(db: Handle, table: KeyedTable, key: string): Promise<string | undefined> {
  // One query over whichever table is asked for: the schema's per-table types do not help here.
  const t = db as unknown as UntypedDb;
  const name: string = table;
  const row = (await t
    .selectFrom(name)
    .select('id')
    // Custody events have no external id (they are never imported on their own).
    .where((eb) =>
      table === 'custody_event' ? eb('id', '=', key) : eb.or([eb('id', '=', key), eb('external_id', '=', key)]),
    )
    .orderBy(sql`case when id = ${key} then 0 else 1 end`)
    .executeTakeFirst()) as { id: string } | undefined;
  return row?.id;
}

/** The id of the record of `table` with this external id; undefined when none. */
export async function findIdByExternalId(
  db: Handle,
  table: KeyedTable,
  externalId: string,
): Promise<string | undefined> {
  const t = db as unknown as UntypedDb;
  const name: string = table;
  const row = (await t.selectFrom(name).select('id').where('external_id', '=', externalId).executeTakeFirst()) as
    | { id: string }
    | undefined;
  return row?.id;
}
