/**
 * What an audit entry says changed (issue 11, docs/audit-changes.md): the entry of an update lists
 * the fields whose value differs between the row before and the row after, as
 * `{ field, from, to }`; a sensitive field only as `{ field, changed: true }`, never its value. The
 * entry of a part added to or removed from a record (an act, a person or source linked, a case team
 * member, a proceeding's stage, a two-analyst proposal) carries its fields with `from: null` or `to: null`, so the
 * record's history can say what went, after the row is gone.
 *
 * What is sensitive (never a value in the log, which nobody can edit or erase afterwards):
 * - every field of `person`: identity fields are sealed, and the plain ones (roles, custody, risk,
 *   public name and role, organisation) can identify a victim or a witness together;
 * - any sealed column elsewhere (`*_enc`, the TOTP secret), and hashes of secrets (password,
 *   session, token and recovery code hashes: not audited tables today, covered by name in case);
 * - a source's `handle` (an account that names its holder) and `content` (the whole testimony or
 *   article text).
 * Bookkeeping columns (id, created_at, updated_at, version) and derived ones (a name's blind index,
 * which follows the name) are left out; a part's link to its parent is its entity id already.
 *
 * The stored text is RFC 8785 canonical JSON, so the entry's canonical bytes can include it as it
 * is (domain/audit-format.ts) and a verifier recomputes the same bytes from the parsed value.
 */
import { canonicalJsonValue } from '../domain/canonical-json.ts';

/** One changed field of an entry: its values before and after, or only that it changed. */
export type AuditChange = { field: string; from: unknown; to: unknown } | { field: string; changed: true };

type RowLike = Record<string, unknown>;

/** Columns that say nothing about the change itself. */
const BOOKKEEPING: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'version']);

/** Columns derived from another column: a change shows as the change of that one. */
const DERIVED: Readonly<Record<string, ReadonlySet<string>>> = { person: new Set(['name_index']) };

/** Tables none of whose values enter the log. */
const WHOLLY_SENSITIVE: ReadonlySet<string> = new Set(['person']);

/** Further columns whose values never enter the log, by table. */
const SENSITIVE_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  app_user: new Set(['password_hash']),
  source: new Set(['handle', 'content']),
};

/** Columns that hold JSON text: their values go into a change parsed, so a list reads as a list. */
const JSON_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  facility: new Set(['aliases']),
  organization: new Set(['aliases']),
  area: new Set(['declared_use']),
  person: new Set(['roles']),
  allegation: new Set(['consent', 'cat_checklist']),
  proceeding_stage: new Set(['details']),
  visit: new Set(['team', 'safeguards', 'area_ids', 'registers_examined', 'refused_access']),
  proposed_fact: new Set(['payload', 'edits']),
  custody_event: new Set(['detail']),
};

/**
 * Parts: rows that belong to one record and are added and removed rather than edited (and a
 * two-analyst proposal, which says what it proposes only in its fields). Their entries carry
 * their fields; the column naming the parent is left out (the entity id or the record says it).
 */
const PART_PARENT: Readonly<Record<string, string>> = {
  allegation_act: 'allegation_id',
  allegation_person: 'allegation_id',
  allegation_source: 'allegation_id',
  allegation_assignment: 'allegation_id',
  allegation_proposal: 'allegation_id',
  proceeding_stage: 'proceeding_id',
};

/** Whether a column's values stay out of the log (only "changed" is recorded). */
export function isSensitiveColumn(table: string, column: string): boolean {
  return (
    WHOLLY_SENSITIVE.has(table) ||
    SENSITIVE_COLUMNS[table]?.has(column) === true ||
    column.endsWith('_enc') ||
    column.includes('secret') ||
    /(^|_)(password|token|code|csrf_token)_hash$/.test(column)
  );
}

/** The field name a column is recorded under: a sealed column by the field it seals (`name_enc` → `name`). */
function fieldOf(column: string): string {
  return column.endsWith('_enc') ? column.slice(0, -4) : column;
}

function skipped(table: string, column: string): boolean {
  return BOOKKEEPING.has(column) || DERIVED[table]?.has(column) === true || PART_PARENT[table] === column;
}

function columnValue(table: string, column: string, v: unknown): unknown {
  if (typeof v === 'string' && JSON_COLUMNS[table]?.has(column)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v === undefined ? null : v;
}

function changeOf(table: string, column: string, from: unknown, to: unknown): AuditChange {
  const field = fieldOf(column);
  if (isSensitiveColumn(table, column)) return { field, changed: true };
  return { field, from: columnValue(table, column, from), to: columnValue(table, column, to) };
}

/** The fields of `table` that differ between a row before and after an update, in column order. */
export function updateChanges(table: string, before: RowLike, after: RowLike): AuditChange[] {
  const out: AuditChange[] = [];
  for (const column of Object.keys(after)) {
    if (skipped(table, column)) continue;
    const a = before[column] ?? null;
    const b = after[column] ?? null;
    if (a === b) continue;
    out.push(changeOf(table, column, a, b));
  }
  return out;
}

/**
 * The fields of a part added (`from: null`) or removed (`to: null`); undefined for a table that is
 * not a part (a record's own create and delete entries carry no changes: its state is the record).
 */
export function partChanges(table: string, row: RowLike, direction: 'added' | 'removed'): AuditChange[] | undefined {
  if (!(table in PART_PARENT)) return undefined;
  const out: AuditChange[] = [];
  for (const [column, v] of Object.entries(row)) {
    if (skipped(table, column) || v === null || v === undefined) continue;
    out.push(direction === 'added' ? changeOf(table, column, null, v) : changeOf(table, column, v, null));
  }
  return out;
}

/** The text stored in `audit_entry.changes`: canonical JSON, or null for no list at all. */
export function encodeChanges(changes: readonly AuditChange[] | undefined | null): string | null {
  if (changes === undefined || changes === null) return null;
  return canonicalJsonValue(changes);
}

/** The list stored in `audit_entry.changes` (null: an entry without one, e.g. written before 0012). */
export function decodeChanges(text: string | null | undefined): AuditChange[] | null {
  if (text === null || text === undefined) return null;
  const v = JSON.parse(text) as unknown;
  return Array.isArray(v) ? (v as AuditChange[]) : null;
}
