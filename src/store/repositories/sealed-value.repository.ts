import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AuditedWriter } from '../audited-writer.ts';
import { AUDITED_TABLES, type AuditedTable, type Database } from '../schema.ts';

type Handle = Kysely<Database> | Transaction<Database>;
type ColumnOf<T extends keyof Database> = keyof Database[T] & string;

/** A person's identity fields: the name in the domain, the column holding it sealed, and the field it is sealed for. */
export const IDENTITY_FIELDS = [
  ['name', 'name_enc', 'person.name'],
  ['birthDate', 'birth_date_enc', 'person.birth_date'],
  ['contacts', 'contacts_enc', 'person.contacts'],
  ['notes', 'notes_enc', 'person.notes'],
] as const;

interface SealedColumnOf<T extends keyof Database> {
  readonly table: T;
  /** The column holding the sealed text. */
  readonly column: ColumnOf<T>;
  /** The field the value is sealed for; its first part (`person`, `app_user`) names the record's entity in the audit trail. */
  readonly field: string;
  /** The column holding the id of the record the value is bound to. */
  readonly recordId: ColumnOf<T>;
  /** The column of a keyed blind index that follows the value's key: written again from the plain value whenever it is re-sealed. */
  readonly indexColumn?: ColumnOf<T>;
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
      ...(column === 'name_enc' ? { indexColumn: 'name_index' } : {}),
    }),
  ),
  { table: 'user_second_factor', column: 'totp_secret', field: 'app_user.totp_secret', recordId: 'user_id' },
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

const auditedTable = (table: keyof Database): AuditedTable | undefined =>
  AUDITED_TABLES.find((t): t is AuditedTable => t === table);

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
      const [entity = c.field] = c.field.split('.');
      t = { table: c.table, recordId: c.recordId, columns: [], entity, audited: auditedTable(c.table) };
      out.push(t);
    }
    if (t.recordId !== c.recordId)
      throw new Error(`${c.table}: every sealed column must name the same record id column`);
    t.columns.push(c);
  }
  return out;
})();

/** Sealed values by column (null: no value), as read or to be written with the blind indexes that follow them. */
export type SealedValues = Record<string, string | null>;

/** One row of a sealed table as far as sealing goes: its record id and its sealed columns. */
export interface SealedRow {
  recordId: string;
  values: SealedValues;
}

/** Which of a table's rows: holding any sealed value, one not under a key id, or one of format v1. */
export type SealedFilter = { kind: 'any' } | { kind: 'not_under'; keyId: string } | { kind: 'v1' };

const isV1 = (column: string) => sql<boolean>`${sql.ref(column)} LIKE 'v1.%'`;

/** The SQL condition of a filter on one table. */
function sealedCondition(t: SealedTable, filter: SealedFilter = { kind: 'any' }): RawBuilder<boolean> {
  const one = (c: SealedColumn) => {
    const ref = sql.ref(c.column);
    if (filter.kind === 'v1') return isV1(c.column);
    if (filter.kind === 'not_under') return sql`(${ref} IS NOT NULL AND ${ref} NOT LIKE ${`v2.${filter.keyId}.%`})`;
    return sql`${ref} IS NOT NULL`;
  };
  return sql<boolean>`(${sql.join(t.columns.map(one), sql` OR `)})`;
}

/** Reads a table's rows that match `filter`, by record id (after `after`, at most `limit`). */
export async function sealedRows(
  db: Handle,
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
  db: Handle,
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
 * The v1 values of a person's sealed column held by more than one record, each with its holders
 * (the earliest recorded first, then by pseudonym).
 */
export async function sharedV1Values(
  db: Handle,
  c: SealedColumn,
): Promise<Array<{ value: string; holders: string[] }>> {
  if (c.table !== 'person') return [];
  const column = c.column;
  const dups = await db
    .selectFrom('person')
    .select(column)
    .where(isV1(column))
    .groupBy(column)
    .having(sql`count(*)`, '>', 1)
    .execute();
  const out: Array<{ value: string; holders: string[] }> = [];
  for (const d of dups) {
    const value = String(d[column]);
    const holders = await db
      .selectFrom('person')
      .select('id')
      .where(column, '=', value)
      .orderBy('created_at')
      .orderBy('pseudonym')
      .execute();
    out.push({ value, holders: holders.map((h) => h.id) });
  }
  return out;
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
  cols: SealedValues,
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

/** Removes a sealed value (and the blind index that follows it) from a record: an audited update with `action`. */
export async function removeSealedValue(
  w: AuditedWriter,
  c: SealedColumn,
  recordId: string,
  action: string,
): Promise<void> {
  const t = SEALED_TABLES.find((x) => x.table === c.table);
  if (!t) throw new Error(`${c.table} is not a sealed table`);
  await writeSealedRow(
    w,
    t,
    recordId,
    { [c.column]: null, ...(c.indexColumn ? { [c.indexColumn]: null } : {}) },
    action,
  );
}
