import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AuditedWriter } from '../store/audited-writer.ts';
import type { Keyring } from '../store/keyring.ts';
import { AUDITED_TABLES, type AuditedTable, type Database } from '../store/schema.ts';
import { IDENTITY_FIELDS, nameIndexOf } from './person.service.ts';
import { TOTP_SECRET_FIELD, totpSecretV1Context } from './second-factor-check.ts';

type ColumnOf<T extends keyof Database> = keyof Database[T] & string;

interface SealedColumnOf<T extends keyof Database> {
  readonly table: T;
  /** The column holding the sealed text. */
  readonly column: ColumnOf<T>;
  /** The field the value is sealed for; its first part (`person`, `app_user`) names the record's entity in the audit trail. */
  readonly field: string;
  /** The column holding the id of the record the value is bound to. */
  readonly recordId: ColumnOf<T>;
  /** A keyed blind index that follows the value's key: written again from the plain value whenever it is re-sealed. */
  readonly index?: { readonly column: ColumnOf<T>; readonly of: (keyring: Keyring, plain: string) => string | null };
  /** The additional data of its old format v1 values, when not the field alone. */
  readonly v1Field?: (recordId: string) => string;
}

/** A sealed column: its table, its column, the field it is sealed for and the column of the record id it is bound to. */
export type SealedColumn = { [T in keyof Database]: SealedColumnOf<T> }[keyof Database];

/**
 * Every sealed column in the database. Key checks, the upgrade of v1 values and key rotation walk
 * this list, so a new sealed column is added here (one line) or it is neither checked nor rotated.
 * People's identities are sealed (a name's blind index follows its key), and so are users' TOTP
 * secrets. Tables are walked in the order they first appear here.
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  ...IDENTITY_FIELDS.map(
    ([, column, field]): SealedColumn => ({
      table: 'person',
      column,
      field,
      recordId: 'id',
      ...(column === 'name_enc' ? { index: { column: 'name_index', of: nameIndexOf } } : {}),
    }),
  ),
  {
    table: 'user_second_factor',
    column: 'totp_secret',
    field: TOTP_SECRET_FIELD,
    recordId: 'user_id',
    v1Field: totpSecretV1Context,
  },
];

/** A table with sealed columns. */
export interface SealedTable {
  readonly table: keyof Database;
  readonly recordId: string;
  readonly columns: readonly SealedColumn[];
  /** The entity its records are audited as (the fields' first part). */
  readonly entity: string;
  /** The table is audited: its changes are `update` entries with a state hash, not notes. */
  readonly audited: AuditedTable | undefined;
}

/** The tables of {@link SEALED_COLUMNS}, in order, each with its columns. */
export const SEALED_TABLES: readonly SealedTable[] = (() => {
  const out: Array<{
    table: keyof Database;
    recordId: string;
    columns: SealedColumn[];
    entity: string;
    audited: AuditedTable | undefined;
  }> = [];
  for (const c of SEALED_COLUMNS) {
    let t = out.find((x) => x.table === c.table);
    if (!t) {
      const audited = (AUDITED_TABLES as readonly string[]).includes(c.table) ? (c.table as AuditedTable) : undefined;
      t = { table: c.table, recordId: c.recordId, columns: [], entity: c.field.split('.')[0]!, audited };
      out.push(t);
    }
    if (t.recordId !== c.recordId)
      throw new Error(`${c.table}: every sealed column must name the same record id column`);
    t.columns.push(c);
  }
  return out;
})();

/** One row of a sealed table as far as sealing goes: its record id and its sealed columns. */
export interface SealedRow {
  recordId: string;
  values: Record<string, string | null>;
}

/** Which of a table's rows: holding any sealed value, one not under a key id, or one of format v1. */
export type SealedFilter = { kind: 'any' } | { kind: 'not_under'; keyId: string } | { kind: 'v1' };

/** The SQL condition of a filter on one table. */
function sealedCondition(t: SealedTable, filter: SealedFilter = { kind: 'any' }): RawBuilder<boolean> {
  const one = (c: SealedColumn) => {
    const ref = sql.ref(c.column);
    if (filter.kind === 'v1') return sql`${ref} LIKE 'v1.%'`;
    if (filter.kind === 'not_under') return sql`(${ref} IS NOT NULL AND ${ref} NOT LIKE ${`v2.${filter.keyId}.%`})`;
    return sql`${ref} IS NOT NULL`;
  };
  return sql<boolean>`(${sql.join(t.columns.map(one), sql` OR `)})`;
}

/** Reads a table's rows that match `filter`, by record id (after `after`, at most `limit`). */
export async function sealedRows(
  db: Kysely<Database>,
  t: SealedTable,
  opts: { filter?: SealedFilter; after?: string | null; limit?: number } = {},
): Promise<SealedRow[]> {
  const rid = sql.ref(t.recordId);
  const cols = sql.join(t.columns.map((c) => sql.ref(c.column)));
  const after = opts.after == null ? sql`` : sql` AND ${rid} > ${opts.after}`;
  const limit = opts.limit === undefined ? sql`` : sql` LIMIT ${opts.limit}`;
  const q = sql<
    Record<string, string | null>
  >`SELECT ${rid} AS vigil_record_id, ${cols} FROM ${sql.table(t.table)} WHERE ${sealedCondition(t, opts.filter)}${after} ORDER BY ${rid}${limit}`;
  const { rows } = await q.execute(db);
  return rows.map((r) => ({
    recordId: String(r.vigil_record_id),
    values: Object.fromEntries(t.columns.map((c) => [c.column, r[c.column] ?? null])),
  }));
}

/** How many of a table's rows match `filter` (with record id up to `upTo`, if given). */
export async function countSealedRows(
  db: Kysely<Database>,
  t: SealedTable,
  opts: { filter?: SealedFilter; upTo?: string | null } = {},
): Promise<number> {
  const upTo = opts.upTo == null ? sql`` : sql` AND ${sql.ref(t.recordId)} <= ${opts.upTo}`;
  const { rows } = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM ${sql.table(t.table)} WHERE ${sealedCondition(t, opts.filter)}${upTo}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Writes a row's re-sealed values (with the blind indexes that follow them): an audited update of
 * the record with `action`, or, for a table outside the audit chain, the update and an audit note
 * `action` on the record's entity, in the writer's transaction.
 */
export async function writeSealedRow(
  w: AuditedWriter,
  t: SealedTable,
  recordId: string,
  cols: Record<string, unknown>,
  action: string,
): Promise<void> {
  if (t.audited) {
    await w.update(t.audited, recordId, cols, { action });
    return;
  }
  const set = sql.join(Object.entries(cols).map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
  await sql`UPDATE ${sql.table(t.table)} SET ${set} WHERE ${sql.ref(t.recordId)} = ${recordId}`.execute(w.trx);
  w.note(action, t.entity, recordId);
}

/** The blind indexes that follow re-sealed values: `plain` maps each re-sealed column to its plain value (null: removed). */
export function derivedColumns(
  keyring: Keyring,
  t: SealedTable,
  plain: Record<string, string | null>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of t.columns) {
    if (!c.index || !(c.column in plain)) continue;
    const v = plain[c.column];
    out[c.index.column] = v === null || v === undefined ? null : c.index.of(keyring, v);
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
          v1Field: c.v1Field ? c.v1Field(row.recordId) : c.field,
          sealed: v,
        };
    }
  }
  return undefined;
}
