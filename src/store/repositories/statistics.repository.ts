/**
 * Read-only aggregates for the statistics page: counts of Vigil's own records (GROUP BY in the
 * database, never by loading the rows) and the list of reported figures, which are only listed.
 */
import type { ReportedFigureView } from '../../domain/entities/statement.ts';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { CRIMINAL_CASE, isConviction, VERDICT_STAGE, type FunnelCounts } from '../../domain/funnel.ts';
import type { Database } from '../schema.ts';
import { parseJson } from './json-column.ts';
import { visibleCondition } from './need-to-know.repository.ts';

/** Which allegations are counted: at a facility, with a period start in [from, to] (text dates, see {@link upperBound}). */
export interface AllegationScope {
  readonly facilityId?: string | undefined;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: period_start ≥ from. */
  readonly from?: string | undefined;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: period_start within or before `to` (`2022` takes in all of 2022). */
  readonly to?: string | undefined;
  /**
   * The user whose need-to-know limits the counts (src/domain/policy.ts): confidential and
   * restricted allegations outside their case teams, and the proceedings of those, are not
   * counted. `undefined` only for Vigil's own work. Required, so no count forgets it.
   */
  readonly visibleTo: string | undefined;
}

/** The status of an allegation that repeats another: never counted twice. */
const DUPLICATE_STATUS = 'duplicate';

/**
 * The largest text date still inside partial date `to`: `2022` → `2022-99-99`, `2022-01` →
 * `2022-01-99`. Dates are compared as text (ISO order), so every date of the period sorts below it.
 */
function upperBound(to: string): string {
  return to.length >= 10 ? to : `${to}${'-99'.repeat((10 - to.length) / 3)}`;
}

function hasScope(s: AllegationScope): boolean {
  return s.facilityId !== undefined || s.from !== undefined || s.to !== undefined;
}

function dateConditions(
  column: RawBuilder<unknown>,
  s: { from?: string | undefined; to?: string | undefined },
): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  if (s.from !== undefined) c.push(sql`${column} >= ${s.from}`);
  if (s.to !== undefined) c.push(sql`${column} <= ${upperBound(s.to)}`);
  return c;
}

/** Conditions on `allegation a` for the scope; duplicates are left out unless asked for. */
function allegationWhere(s: AllegationScope, opts: { duplicates?: boolean } = {}): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [];
  if (!opts.duplicates) c.push(sql`a.verification_status <> ${DUPLICATE_STATUS}`);
  if (s.facilityId !== undefined) c.push(sql`a.facility_id = ${s.facilityId}`);
  if (s.visibleTo !== undefined) c.push(visibleCondition('allegation', 'a.id', s.visibleTo));
  c.push(...dateConditions(sql`a.period_start`, s));
  return c.length > 0 ? sql.join(c, sql` AND `) : sql`1 = 1`;
}

/** Conditions on `proceeding p`: every proceeding, or (with a scope) those of the allegations in scope. */
function proceedingWhere(s: AllegationScope): RawBuilder<unknown> {
  const visible = s.visibleTo === undefined ? sql`1 = 1` : visibleCondition('proceeding', 'p.id', s.visibleTo);
  if (!hasScope(s)) return visible;
  return sql`p.allegation_id IN (SELECT a.id FROM allegation a WHERE ${allegationWhere(s, { duplicates: true })}) AND ${visible}`;
}

type Count = number | string;
const n = (v: Count | null | undefined): number => Number(v ?? 0);

/** Allegations in scope, and how many duplicates the scope left out. */
export async function allegationTotals(
  db: Kysely<Database>,
  s: AllegationScope,
): Promise<{ total: number; duplicates: number }> {
  const r = await sql<{ all_n: Count; dup_n: Count | null }>`
    SELECT count(*) AS all_n, SUM(CASE WHEN a.verification_status = ${DUPLICATE_STATUS} THEN 1 ELSE 0 END) AS dup_n
    FROM allegation a WHERE ${allegationWhere(s, { duplicates: true })}`.execute(db);
  const row = r.rows[0];
  return { total: n(row?.all_n) - n(row?.dup_n), duplicates: n(row?.dup_n) };
}

/** Allegations per facility (null: no facility recorded), with the facility's name. */
export async function allegationsByFacility(
  db: Kysely<Database>,
  s: AllegationScope,
): Promise<{ facilityId: string | null; name: string | null; count: number }[]> {
  const r = await sql<{ facility_id: string | null; name: string | null; n: Count }>`
    SELECT g.facility_id, f.name, g.n
    FROM (SELECT a.facility_id, count(*) AS n FROM allegation a WHERE ${allegationWhere(s)} GROUP BY a.facility_id) g
    LEFT JOIN facility f ON f.id = g.facility_id`.execute(db);
  return r.rows.map((x) => ({ facilityId: x.facility_id, name: x.name, count: n(x.n) }));
}

/**
 * Allegations per start of period, cut to the month (`2022-01`), or to the year (`2022`) when only
 * the year is known; null when no start is recorded.
 */
export async function allegationsByStartMonth(
  db: Kysely<Database>,
  s: AllegationScope,
): Promise<{ period: string | null; count: number }[]> {
  const month = sql`substr(a.period_start, 1, 7)`;
  const r = await sql<{ period: string | null; n: Count }>`
    SELECT ${month} AS period, count(*) AS n FROM allegation a WHERE ${allegationWhere(s)} GROUP BY ${month}`.execute(
    db,
  );
  return r.rows.map((x) => ({ period: x.period, count: n(x.n) }));
}

/** Allegations per value of a column of `allegation`. */
export async function allegationsBy(
  db: Kysely<Database>,
  s: AllegationScope,
  column: 'classification' | 'verification_status',
): Promise<{ value: string; count: number }[]> {
  const col = sql.ref(`a.${column}`);
  const r = await sql<{ value: string; n: Count }>`
    SELECT ${col} AS value, count(*) AS n FROM allegation a WHERE ${allegationWhere(s)} GROUP BY ${col}`.execute(db);
  return r.rows.map((x) => ({ value: x.value, count: n(x.n) }));
}

/** Allegations alleging each act kind (an allegation with two beatings counts once for `beating`). */
export async function allegationsByAct(
  db: Kysely<Database>,
  s: AllegationScope,
): Promise<{ act: string; count: number }[]> {
  const r = await sql<{ kind: string; n: Count }>`
    SELECT x.kind, count(DISTINCT x.allegation_id) AS n
    FROM allegation_act x JOIN allegation a ON a.id = x.allegation_id
    WHERE ${allegationWhere(s)}
    GROUP BY x.kind`.execute(db);
  return r.rows.map((x) => ({ act: x.kind, count: n(x.n) }));
}

/**
 * The funnel's counts (src/domain/funnel.ts) over the proceedings `p` that `where` admits, read
 * from the stage history ("ever reached", ST5). Verdict details name the accused and their
 * sentences: they are read here only to decide "convicted or not" and never leave this function.
 */
export async function countFunnel(db: Kysely<Database>, where: RawBuilder<unknown>): Promise<FunnelCounts> {
  const kinds = await sql<{ kind: string; n: Count }>`
    SELECT p.kind, count(*) AS n FROM proceeding p WHERE ${where} GROUP BY p.kind`.execute(db);
  const reached = await sql<{ stage: string; n: Count }>`
    SELECT st.stage, count(DISTINCT st.proceeding_id) AS n
    FROM proceeding_stage st JOIN proceeding p ON p.id = st.proceeding_id
    WHERE p.kind = ${CRIMINAL_CASE} AND ${where}
    GROUP BY st.stage`.execute(db);
  const verdicts = await sql<{ proceeding_id: string; details: string }>`
    SELECT st.proceeding_id, st.details
    FROM proceeding_stage st JOIN proceeding p ON p.id = st.proceeding_id
    WHERE p.kind = ${CRIMINAL_CASE} AND st.stage = ${VERDICT_STAGE} AND ${where}`.execute(db);
  const convicted = new Set<string>();
  for (const v of verdicts.rows) if (isConviction(parseJson<unknown>(v.details, {}))) convicted.add(v.proceeding_id);
  return {
    byKind: new Map(kinds.rows.map((x) => [x.kind, n(x.n)])),
    criminalEverReached: new Map(reached.rows.map((x) => [x.stage, n(x.n)])),
    convicted: convicted.size,
  };
}

/** The funnel's counts over the proceedings in scope: every one, or those of the allegations in scope. */
export function funnelCounts(db: Kysely<Database>, s: AllegationScope): Promise<FunnelCounts> {
  return countFunnel(db, proceedingWhere(s));
}

/** A reported figure with the title of its source. */
export type ReportedFigureRow = ReportedFigureView;

/** Every reported figure whose as-of date falls in [from, to] (all of them without dates). */
export async function listReportedFigures(
  db: Kysely<Database>,
  s: { from?: string | undefined; to?: string | undefined },
): Promise<ReportedFigureRow[]> {
  const conds = dateConditions(sql`r.as_of`, s);
  const r = await sql<{
    id: string;
    external_id: string | null;
    value: number;
    value_max: number | null;
    counts: string;
    counts_label: string;
    scope: string;
    as_of: string | null;
    as_of_precision: string;
    as_of_text: string | null;
    speaker_label: string;
    source_id: string;
    source_title: string;
    source_url: string | null;
    statement_id: string | null;
  }>`
    SELECT r.id, r.external_id, r.value, r.value_max, r.counts, r.counts_label, r.scope, r.as_of, r.as_of_precision,
      r.as_of_text, r.speaker_label, r.source_id, s.title AS source_title, s.url AS source_url, r.statement_id
    FROM reported_figure r JOIN source s ON s.id = r.source_id
    WHERE ${conds.length > 0 ? sql.join(conds, sql` AND `) : sql`1 = 1`}`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    externalId: x.external_id,
    value: Number(x.value),
    valueMax: x.value_max === null ? null : Number(x.value_max),
    counts: x.counts,
    countsLabel: x.counts_label,
    scope: x.scope,
    asOf: x.as_of,
    asOfPrecision: x.as_of_precision,
    asOfText: x.as_of_text,
    speakerLabel: x.speaker_label,
    sourceId: x.source_id,
    sourceTitle: x.source_title,
    sourceUrl: x.source_url,
    statementId: x.statement_id,
  }));
}
