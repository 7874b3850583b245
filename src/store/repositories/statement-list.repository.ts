import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReportedFigure, Statement } from '../../domain/entities/statement.ts';
import type { Database, ReportedFigureTable, StatementTable } from '../schema.ts';

/** A statement row as the domain shape; the review is null until an analyst has rated it. */
export function toStatement(r: Selectable<StatementTable>): Statement {
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
export function toReportedFigure(r: Selectable<ReportedFigureTable>): ReportedFigure {
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
export interface DateKey {
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
