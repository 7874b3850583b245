import type { Kysely } from 'kysely';
import type { Keyring } from '../store/keyring.ts';
import type { Database, PersonTable } from '../store/schema.ts';
import { IDENTITY_FIELDS, nameIndexOf } from './person.service.ts';

/**
 * Every sealed column in the database. Key checks, the upgrade of v1 values and key rotation walk
 * this list, so a new sealed column is added here or it is neither checked nor rotated. Today only
 * people's identities are sealed; a name's blind index follows its key (see `derivedColumns`).
 */
export const SEALED_COLUMNS: ReadonlyArray<{ column: 'name_enc' | 'birth_date_enc' | 'contacts_enc' | 'notes_enc'; field: string }> =
  IDENTITY_FIELDS.map(([, column, field]) => ({ column, field }));

/** A person row as far as sealing goes. */
export type SealedRow = Pick<PersonTable, 'id' | 'name_enc' | 'birth_date_enc' | 'contacts_enc' | 'notes_enc'>;

/** The columns that follow a re-sealed name under the current key: its blind index (nothing when the name is not re-sealed). */
export function derivedColumns(keyring: Keyring, name: string | null | undefined): Record<string, unknown> {
  return name === undefined ? {} : { name_index: name === null ? null : nameIndexOf(keyring, name) };
}

/** True when any record holds a sealed value. */
export async function holdsSealedData(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where((eb) => eb.or(SEALED_COLUMNS.map(({ column }) => eb(column, 'is not', null))))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** One sealed value, to check a key against: the first by record id. */
export async function firstSealedValue(db: Kysely<Database>): Promise<{ recordId: string; field: string; sealed: string } | undefined> {
  const row = await db
    .selectFrom('person')
    .select(['id', ...SEALED_COLUMNS.map((c) => c.column)])
    .where((eb) => eb.or(SEALED_COLUMNS.map(({ column }) => eb(column, 'is not', null))))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  for (const { column, field } of SEALED_COLUMNS) {
    const v = row[column];
    if (v !== null) return { recordId: row.id, field, sealed: v };
  }
  return undefined;
}
