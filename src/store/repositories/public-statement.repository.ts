/**
 * Reviewed statements and reported figures as the public sees them. A statement is public when
 * (all three):
 * - an analyst has reviewed it (`review_rating` set): the review is the act of publication;
 * - its source is of a kind that is itself published — `news_article`, `official_statement`,
 *   `ngo_report`, `visit_report` — never testimony, a relative's or lawyer's report, a medical
 *   record, a messenger or social-media post (often a relative's own account) or a procedural
 *   document (whose titles name parties);
 * - its speaker is not a private person: no speaker person, or one with a public name (only
 *   officials can have one). A victim's own words never become a public claim, reviewed or not.
 *   Like the custody rule in public counts, this reads `person.public_name` inside EXISTS only.
 *
 * A reported figure is public when its source is of a published kind; its link to a statement
 * is shown only when that statement is public. Columns are named one by one (an allow-list):
 * never the source's summary, content or handle, the reviewer's id, or any external id.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { required } from '../../domain/required.ts';
import type { Database } from '../schema.ts';

/** Source kinds whose title, address and outlet are public already. */
const PUBLIC_SOURCE_KINDS = ['news_article', 'official_statement', 'ngo_report', 'visit_report'] as const;

const publicKinds = () => sql.join(PUBLIC_SOURCE_KINDS.map((k) => sql`${k}`));

/** The condition that statement `alias` is public (see the module comment). */
export function publishedStatement(alias: string): Expression<SqlBool> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  return sql<SqlBool>`(${c('review_rating')} IS NOT NULL
    AND EXISTS (SELECT 1 FROM source ps WHERE ps.id = ${c('source_id')} AND ps.kind IN (${publicKinds()}))
    AND (${c('speaker_person_id')} IS NULL
      OR EXISTS (SELECT 1 FROM person sp WHERE sp.id = ${c('speaker_person_id')} AND sp.public_name IS NOT NULL)))`;
}

/** A source as the public sees it. */
interface PublicSourceRow {
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
  publishedAt: string | null;
}

/** A reviewed statement's public fields. */
export interface PublicStatementRow {
  id: string;
  speakerLabel: string;
  /** `person` when the speaker is an official recorded as a person, else `organization`. */
  speakerKind: 'person' | 'organization';
  statedOn: string | null;
  statedPrecision: string;
  statedText: string | null;
  stance: string;
  gist: string;
  quote: string | null;
  facility: { id: string; name: string } | null;
  source: PublicSourceRow;
  /** `publicReview` is the text the analyst wrote for publication; the internal rationale is never read here. */
  review: { rating: string; publicReview: string | null; reviewedAt: string | null };
}

/** A reported figure's public fields. */
export interface PublicReportedFigureRow {
  id: string;
  value: number;
  valueMax: number | null;
  counts: string;
  countsLabel: string;
  scope: string;
  asOf: string | null;
  asOfPrecision: string;
  asOfText: string | null;
  speakerLabel: string;
  /** The statement it was given in, when that statement is public. */
  statementId: string | null;
  source: PublicSourceRow;
}

// Dates are partial ISO text (2022, 2022-01, 2022-01-31): text order is date order; undated first.
const statedOn = sql<string>`coalesce(s.stated_on, '')`;

function statementQuery(db: Kysely<Database>) {
  return db
    .selectFrom('statement as s')
    .innerJoin('source as src', 'src.id', 's.source_id')
    .leftJoin('facility as f', 'f.id', 's.facility_id')
    .select([
      's.id',
      's.speaker_label',
      's.speaker_person_id',
      's.stated_on',
      's.stated_precision',
      's.stated_text',
      's.stance',
      's.gist',
      's.quote',
      's.review_rating',
      's.review_public',
      's.reviewed_at',
      'f.id as facility_id',
      'f.name as facility_name',
      'src.kind as source_kind',
      'src.title as source_title',
      'src.url as source_url',
      'src.outlet as source_outlet',
      'src.published_at as source_published_at',
    ])
    .where(publishedStatement('s'));
}

type StatementColumns = Awaited<ReturnType<ReturnType<typeof statementQuery>['execute']>>[number];

function toPublicStatement(r: StatementColumns): PublicStatementRow {
  return {
    id: r.id,
    speakerLabel: r.speaker_label,
    speakerKind: r.speaker_person_id === null ? 'organization' : 'person',
    statedOn: r.stated_on,
    statedPrecision: r.stated_precision,
    statedText: r.stated_text,
    stance: r.stance,
    gist: r.gist,
    quote: r.quote,
    facility: r.facility_id === null || r.facility_name === null ? null : { id: r.facility_id, name: r.facility_name },
    source: {
      kind: r.source_kind,
      title: r.source_title,
      url: r.source_url,
      outlet: r.source_outlet,
      publishedAt: r.source_published_at,
    },
    review: {
      rating: required(r.review_rating, 'the rating of a published statement'),
      publicReview: r.review_public,
      reviewedAt: r.reviewed_at,
    },
  };
}

/** Public statements in the order they were made (stated date, then id), continuing after `after`. */
export async function listPublicStatements(
  db: Kysely<Database>,
  q: { limit?: number; after?: { date: string; id: string }; facilityId?: string } = {},
): Promise<PublicStatementRow[]> {
  let query = statementQuery(db).orderBy(statedOn).orderBy('s.id');
  if (q.limit !== undefined) query = query.limit(q.limit);
  if (q.facilityId !== undefined) query = query.where('s.facility_id', '=', q.facilityId);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(statedOn, '>', after.date), eb.and([eb(statedOn, '=', after.date), eb('s.id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toPublicStatement);
}

/** One public statement by id or external id; undefined when there is none or it is not public. */
export async function findPublicStatement(db: Kysely<Database>, key: string): Promise<PublicStatementRow | undefined> {
  const r = await statementQuery(db)
    .where((eb) => eb.or([eb('s.id', '=', key), eb('s.external_id', '=', key)]))
    .executeTakeFirst();
  return r && toPublicStatement(r);
}

/** Every public reported figure, by as-of date, then what it counts, then id. */
export async function listPublicReportedFigures(db: Kysely<Database>): Promise<PublicReportedFigureRow[]> {
  const rows = await db
    .selectFrom('reported_figure as r')
    .innerJoin('source as src', 'src.id', 'r.source_id')
    .leftJoin('statement as s', (j) => j.onRef('s.id', '=', 'r.statement_id').on(publishedStatement('s')))
    .select([
      'r.id',
      'r.value',
      'r.value_max',
      'r.counts',
      'r.counts_label',
      'r.scope',
      'r.as_of',
      'r.as_of_precision',
      'r.as_of_text',
      'r.speaker_label',
      's.id as public_statement_id',
      'src.kind as source_kind',
      'src.title as source_title',
      'src.url as source_url',
      'src.outlet as source_outlet',
      'src.published_at as source_published_at',
    ])
    .where('src.kind', 'in', [...PUBLIC_SOURCE_KINDS])
    .orderBy(sql`coalesce(r.as_of, '')`)
    .orderBy('r.counts')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    value: Number(r.value),
    valueMax: r.value_max === null ? null : Number(r.value_max),
    counts: r.counts,
    countsLabel: r.counts_label,
    scope: r.scope,
    asOf: r.as_of,
    asOfPrecision: r.as_of_precision,
    asOfText: r.as_of_text,
    speakerLabel: r.speaker_label,
    statementId: r.public_statement_id ?? null,
    source: {
      kind: r.source_kind,
      title: r.source_title,
      url: r.source_url,
      outlet: r.source_outlet,
      publishedAt: r.source_published_at,
    },
  }));
}
