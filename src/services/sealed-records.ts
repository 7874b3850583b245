import type { Kysely } from 'kysely';
import type { Keyring } from '../store/keyring.ts';
import {
  SEALED_TABLES,
  sealedRows,
  type SealedColumn,
  type SealedTable,
  type SealedValues,
} from '../store/repositories/sealed-value.repository.ts';
import type { Database } from '../store/schema.ts';
import { nameIndexOf } from './person.service.ts';
import { TOTP_SECRET_FIELD, totpSecretV1Context } from './second-factor-check.ts';

export {
  countSealedRows,
  SEALED_TABLES,
  sealedRows,
  writeSealedRow,
  type SealedColumn,
  type SealedFilter,
  type SealedRow,
  type SealedTable,
  type SealedValues,
} from '../store/repositories/sealed-value.repository.ts';

/** How the blind index that follows a sealed field is made from its plain value, by field. */
const BLIND_INDEX: Readonly<Record<string, (keyring: Keyring, plain: string) => string | null>> = {
  'person.name': nameIndexOf,
};

/** The additional data of a field's old format v1 values, when not the field alone, by field. */
const V1_CONTEXT: Readonly<Record<string, (recordId: string) => string>> = {
  [TOTP_SECRET_FIELD]: totpSecretV1Context,
};

/** The additional data a value of format v1 was sealed with: its field, or for some fields the field and record. */
export function v1FieldOf(c: SealedColumn, recordId: string): string {
  const of = V1_CONTEXT[c.field];
  return of ? of(recordId) : c.field;
}

/** The blind indexes that follow re-sealed values: `plain` maps each re-sealed column to its plain value (null: removed). */
export function derivedColumns(keyring: Keyring, t: SealedTable, plain: Record<string, string | null>): SealedValues {
  const out: SealedValues = {};
  for (const c of t.columns) {
    if (!c.indexColumn || !(c.column in plain)) continue;
    const of = BLIND_INDEX[c.field];
    if (!of) throw new Error(`${c.table}.${c.column} has a blind index but no way to make it`);
    const v = plain[c.column];
    out[c.indexColumn] = v === null || v === undefined ? null : of(keyring, v);
  }
  return out;
}

/** True when any record holds a sealed value. */
export async function holdsSealedData(db: Kysely<Database>): Promise<boolean> {
  for (const t of SEALED_TABLES) if ((await sealedRows(db, t, { limit: 1 })).length > 0) return true;
  return false;
}

/** One sealed value, to check a key against: the first by record id of the first table holding any. */
export async function firstSealedValue(
  db: Kysely<Database>,
): Promise<{ recordId: string; field: string; v1Field: string; sealed: string } | undefined> {
  for (const t of SEALED_TABLES) {
    const [row] = await sealedRows(db, t, { limit: 1 });
    if (!row) continue;
    for (const c of t.columns) {
      const v = row.values[c.column];
      if (v != null)
        return {
          recordId: row.recordId,
          field: c.field,
          v1Field: v1FieldOf(c, row.recordId),
          sealed: v,
        };
    }
  }
  return undefined;
}
