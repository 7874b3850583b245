import type { Kysely, Transaction } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { GUARDED_KINDS, type GuardedKind, type Viewer } from '../domain/policy.ts';
import { findIdByExternalId, findIdByKey, type KeyedTable } from '../store/repositories/record-key.repository.ts';
import type { Database } from '../store/schema.ts';
import { may } from './policy.ts';

type Keyed = KeyedTable;

const guarded = (table: string): table is GuardedKind => (GUARDED_KINDS as readonly string[]).includes(table);

/**
 * Resolves a reference given either as a record id or as an external id (import files refer
 * to records by their external ids). A missing record is `reference.missing` at `path`; so is a
 * record `viewer` may not reference (need-to-know: what you cannot see you cannot name, and the
 * answer is the same as for an id never used).
 */
export async function resolveRef(
  trx: Transaction<Database> | Kysely<Database>,
  table: Keyed,
  key: string,
  path: string,
  viewer: Viewer,
): Promise<string> {
  const id = await findIdByKey(trx, table, key);
  const missing = () => new VigilError('reference.missing', `no ${table.replace('_', ' ')} "${key}"`, { path });
  if (id === undefined) throw missing();
  if (guarded(table) && !(await may(trx, viewer, 'reference', table, id))) throw missing();
  return id;
}

/** Resolves an optional reference; undefined stays undefined (stored as null). */
export async function resolveOptionalRef(
  trx: Transaction<Database> | Kysely<Database>,
  table: Keyed,
  key: string | undefined,
  path: string,
  viewer: Viewer,
): Promise<string | null> {
  return key === undefined ? null : resolveRef(trx, table, key, path, viewer);
}

/** Finds a record by external id, for idempotent imports: the same external id is the same record. */
export async function findByExternalId(
  trx: Transaction<Database> | Kysely<Database>,
  table: Keyed,
  externalId: string | undefined,
): Promise<string | null> {
  if (externalId === undefined) return null;
  return (await findIdByExternalId(trx, table, externalId)) ?? null;
}
