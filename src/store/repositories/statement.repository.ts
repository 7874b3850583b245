import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReportedFigure, Statement } from '../../domain/entities/statement.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database, ReportedFigureTable, StatementTable } from '../schema.ts';

/** A statement row as the domain shape; the review is null until an analyst has rated it. */
function toStatement(r: Selectable<StatementTable>): Statement {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    speakerLabel: r.speaker_label,
    speakerPersonId: r.speaker_person_id,
    speakerOrganizationId: r.speaker_organization_id,
    statedOn: r.stated_on,
    statedPrecision: r.stated_precision,
    statedText: r.stated_text,
    sourceId: r.source_id,
    stance: r.stance,
    gist: r.gist,
    quote: r.quote,
    facilityId: r.facility_id,
    review:
      r.review_rating === null
        ? null
        : {
            rating: r.review_rating,
            rationale: r.review_rationale,
            publicReview: r.review_public,
            reviewedBy: r.reviewed_by,
            reviewedAt: r.reviewed_at,
          },
  };
}

/** A reported-figure row as the domain shape. */
function toReportedFigure(r: Selectable<ReportedFigureTable>): ReportedFigure {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    value: r.value,
    valueMax: r.value_max,
    counts: r.counts,
    countsLabel: r.counts_label,
    scope: r.scope,
    asOf: r.as_of,
    asOfPrecision: r.as_of_precision,
    asOfText: r.as_of_text,
    speakerLabel: r.speaker_label,
    statementId: r.statement_id,
    sourceId: r.source_id,
  };
}

/** Keyset position: the (date, id) sort key of the last row already shown; an unknown date sorts as ''. */
interface DateKey {
  date: string;
  id: string;
}

/** Filters and keyset position for a page of statements. */
export interface StatementPageQuery {
  facilityId?: string;
  stance?: string;
  sourceId?: string;
  after?: DateKey;
  limit: number;
}

// Dates are partial ISO text (2022, 2022-01, 2022-01-31), so text order is date order;
// undated rows sort first as '' on both dialects.
const statedOn = sql<string>`coalesce(stated_on, '')`;
const asOf = sql<string>`coalesce(as_of, '')`;

/** Statements in the order they were made (stated date, then id). */
export async function listStatementPage(db: Kysely<Database>, q: StatementPageQuery): Promise<Statement[]> {
  let query = db.selectFrom('statement').selectAll().orderBy(statedOn).orderBy('id').limit(q.limit);
  if (q.facilityId) query = query.where('facility_id', '=', q.facilityId);
  if (q.stance) query = query.where('stance', '=', q.stance);
  if (q.sourceId) query = query.where('source_id', '=', q.sourceId);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(statedOn, '>', after.date), eb.and([eb(statedOn, '=', after.date), eb('id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toStatement);
}

/** One statement by id or external id. */
export async function findStatement(db: Kysely<Database>, key: string): Promise<Statement | undefined> {
  const r = await db
    .selectFrom('statement')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  return r && toStatement(r);
}

/** Filters and keyset position for a page of reported figures. */
export interface ReportedFigurePageQuery {
  counts?: string;
  statementId?: string;
  sourceId?: string;
  after?: DateKey;
  limit: number;
}

/** Reported figures by as-of date, then id. */
export async function listReportedFigurePage(
  db: Kysely<Database>,
  q: ReportedFigurePageQuery,
): Promise<ReportedFigure[]> {
  let query = db.selectFrom('reported_figure').selectAll().orderBy(asOf).orderBy('id').limit(q.limit);
  if (q.counts) query = query.where('counts', '=', q.counts);
  if (q.statementId) query = query.where('statement_id', '=', q.statementId);
  if (q.sourceId) query = query.where('source_id', '=', q.sourceId);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(asOf, '>', after.date), eb.and([eb(asOf, '=', after.date), eb('id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toReportedFigure);
}

/** Keeps the fields given: in an update, a field left out keeps its value. */
function given<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** A new statement (references resolved to ids), with its review when it comes with one. */
export interface NewStatement {
  id: string;
  externalId: string | null;
  speakerLabel: string;
  speakerPersonId: string | null;
  speakerOrganizationId: string | null;
  statedOn: string | null;
  statedPrecision: string;
  statedText: string | null;
  sourceId: string;
  stance: string;
  gist: string;
  quote: string | null;
  facilityId: string | null;
  review: StatementReviewFields | null;
}

/** A correction of a statement: the fields given change, the others keep their values. */
export type StatementChange = Partial<Omit<NewStatement, 'id' | 'externalId' | 'review'>>;

/** A statement's review: the rating, the internal rationale, the text published with it, and who made it when. */
export interface StatementReviewFields {
  rating: string;
  rationale: string | null;
  publicReview: string | null;
  reviewedBy: string;
  reviewedAt: string;
}

function statementColumns(d: StatementChange) {
  return {
    speaker_label: d.speakerLabel,
    speaker_person_id: d.speakerPersonId,
    speaker_organization_id: d.speakerOrganizationId,
    stated_on: d.statedOn,
    stated_precision: d.statedPrecision,
    stated_text: d.statedText,
    source_id: d.sourceId,
    stance: d.stance,
    gist: d.gist,
    quote: d.quote,
    facility_id: d.facilityId,
  };
}

/** Stores a new statement (audited); the stored row, for the search index. */
export function insertStatement(w: AuditedWriter, s: NewStatement): Promise<Selectable<StatementTable>> {
  return w.insert('statement', {
    id: s.id,
    external_id: s.externalId,
    speaker_label: s.speakerLabel,
    speaker_person_id: s.speakerPersonId,
    speaker_organization_id: s.speakerOrganizationId,
    stated_on: s.statedOn,
    stated_precision: s.statedPrecision,
    stated_text: s.statedText,
    source_id: s.sourceId,
    stance: s.stance,
    gist: s.gist,
    quote: s.quote,
    facility_id: s.facilityId,
    review_rating: s.review?.rating ?? null,
    review_rationale: s.review?.rationale ?? null,
    review_public: s.review?.publicReview ?? null,
    reviewed_by: s.review?.reviewedBy ?? null,
    reviewed_at: s.review?.reviewedAt ?? null,
  });
}

/** Corrects a statement: only the fields given change (audited). */
export function updateStatementFields(
  w: AuditedWriter,
  id: string,
  d: StatementChange,
  expectedVersion: number | undefined,
): Promise<Selectable<StatementTable>> {
  return w.update('statement', id, given(statementColumns(d)), { expectedVersion });
}

/** Stores an analyst's review of a statement (audited, `review`). */
export function updateStatementReview(
  w: AuditedWriter,
  id: string,
  r: StatementReviewFields,
  expectedVersion: number | undefined,
): Promise<Selectable<StatementTable>> {
  return w.update(
    'statement',
    id,
    {
      review_rating: r.rating,
      review_rationale: r.rationale,
      review_public: r.publicReview,
      reviewed_by: r.reviewedBy,
      reviewed_at: r.reviewedAt,
    },
    { expectedVersion, action: 'review' },
  );
}

/** A new reported figure (the statement and source resolved to ids). */
export interface NewReportedFigure {
  id: string;
  externalId: string | null;
  value: number;
  valueMax: number | null;
  counts: string;
  countsLabel: string;
  scope: string;
  asOf: string | null;
  asOfPrecision: string;
  asOfText: string | null;
  speakerLabel: string;
  statementId: string | null;
  sourceId: string;
}

/** A correction of a reported figure: the fields given change, the others keep their values. */
export type ReportedFigureChange = Partial<Omit<NewReportedFigure, 'id' | 'externalId'>>;

function figureColumns(d: ReportedFigureChange) {
  return {
    value: d.value,
    value_max: d.valueMax,
    counts: d.counts,
    counts_label: d.countsLabel,
    scope: d.scope,
    as_of: d.asOf,
    as_of_precision: d.asOfPrecision,
    as_of_text: d.asOfText,
    speaker_label: d.speakerLabel,
    statement_id: d.statementId,
    source_id: d.sourceId,
  };
}

/** Stores a new reported figure (audited). */
export async function insertReportedFigure(w: AuditedWriter, f: NewReportedFigure): Promise<void> {
  await w.insert('reported_figure', {
    id: f.id,
    external_id: f.externalId,
    value: f.value,
    value_max: f.valueMax,
    counts: f.counts,
    counts_label: f.countsLabel,
    scope: f.scope,
    as_of: f.asOf,
    as_of_precision: f.asOfPrecision,
    as_of_text: f.asOfText,
    speaker_label: f.speakerLabel,
    statement_id: f.statementId,
    source_id: f.sourceId,
  });
}

/** Corrects a reported figure: only the fields given change (audited); its new version and its stored range. */
export async function updateReportedFigureFields(
  w: AuditedWriter,
  id: string,
  d: ReportedFigureChange,
  expectedVersion: number | undefined,
): Promise<{ version: number; value: number; valueMax: number | null }> {
  const row = await w.update('reported_figure', id, given(figureColumns(d)), { expectedVersion });
  return { version: row.version, value: row.value, valueMax: row.value_max };
}
