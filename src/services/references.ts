import { sql, type Transaction } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { GUARDED_KINDS, type GuardedKind, type Viewer } from '../domain/policy.ts';
import type { AuditedTable, Database } from '../store/schema.ts';
import { may } from './policy.ts';

type Keyed = Exclude<AuditedTable, 'allegation_act' | 'allegation_person' | 'allegation_source' | 'proceeding_stage'>;

const guarded = (table: string): table is GuardedKind => (GUARDED_KINDS as readonly string[]).includes(table);

/**
 * Resolves a reference given either as a record id or as an external id (import files refer
 * to records by their external ids). A missing record is `reference.missing` at `path`; so is a
 * record `viewer` may not reference (need-to-know: what you cannot see you cannot name, and the
 * answer is the same as for an id never used).
 */
export async function resolveRef(
  trx: Transaction<Database> | import('kysely').Kysely<Database>,
  table: Keyed,
  key: string,
  path: string,
  viewer: Viewer,
): Promise<string> {
  const t = trx as unknown as Transaction<any>;
  const name: string = table;
  const row = (await t
    .selectFrom(name)
    .select('id')
    .where((eb: any) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .orderBy(sql`case when id = ${key} then 0 else 1 end`)
    .executeTakeFirst()) as { id: string } | undefined;
  const missing = () => new VigilError('reference.missing', `no ${table.replace('_', ' ')} "${key}"`, { path });
  if (!row) throw missing();
  if (guarded(table) && !(await may(trx, viewer, 'reference', table, row.id))) throw missing();
  return row.id;
}

/** Resolves an optional reference; undefined stays undefined (stored as null). */
export async function resolveOptionalRef(
  trx: Transaction<Database> | import('kysely').Kysely<Database>,
  table: Keyed,
  key: string | undefined,
  path: string,
  viewer: Viewer,
): Promise<string | null> {
  return key === undefined ? null : resolveRef(trx, table, key, path, viewer);
}

/** Finds a record by external id, for idempotent imports: the same external id is the same record. */
export async function findByExternalId(
  trx: Transaction<Database> | import('kysely').Kysely<Database>,
  table: Keyed,
  externalId: string | undefined,
): Promise<string | null> {
  if (externalId === undefined) return null;
  const t = trx as unknown as Transaction<any>;
  const name: string = table;
  const row = (await t.selectFrom(name).select('id').where('external_id', '=', externalId).executeTakeFirst()) as
    | { id: string }
    | undefined;
  return row?.id ?? null;
}
