/**
 * Read-only queries over the search index (`search_doc`, see migrations/0002-search.ts and
 * search-index.ts). The engine only ever sees pre-processed terms (`[a-z0-9]+`, from
 * src/domain/text) combined as an AND of OR-groups:
 *
 * - SQLite: `search_fts MATCH '("pytk" OR "pytk"* OR "pytka" OR "pytka"*) AND ("siz" OR "sizo" OR "sizo"*)'`,
 *   ranked by bm25;
 * - PostgreSQL: `tsv @@ to_tsquery('simple', '(pytk | pytk:* | pytka | pytka:*) & (siz | sizo | sizo:*)')`,
 *   ranked by ts_rank (normalised by document length, like bm25).
 * A term of four letters or more also matches as a prefix (ranked below the word itself).
 *
 * The expression is always a bound parameter, never spliced into the SQL text, and every term is
 * checked to be `[a-z0-9]+` before it is put into an expression.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { searchDocVisibleTo } from './allegation-access.repository.ts';

export const SEARCH_ENTITY_TYPES = ['facility', 'source', 'statement', 'allegation'] as const;
export type SearchEntityType = (typeof SEARCH_ENTITY_TYPES)[number];

/** The facets of a search, one per filterable column of `search_doc`. */
export const FACET_DIMENSIONS = ['facility', 'classification', 'status', 'year', 'type'] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];

/** Filters on the columns of a search document; each narrows the match set (AND). */
export interface SearchFilters {
  readonly types?: readonly SearchEntityType[] | undefined;
  readonly facilityId?: string | undefined;
  readonly classification?: string | undefined;
  readonly status?: string | undefined;
  readonly year?: number | undefined;
}

/** What to match: the dialect's engine and the query's AND of OR-groups (empty: every document). */
export interface MatchSpec {
  readonly dialect: 'sqlite' | 'postgres';
  readonly groups: readonly (readonly string[])[];
  /**
   * Need-to-know (src/domain/policy.ts): leave out the allegations and sources this user may not
   * see; undefined only for Vigil's own work. Required, so no search forgets it.
   */
  readonly visibleTo: string | undefined;
}

/** A matching document as listed on a result page. */
export interface MatchRow {
  docId: number;
  entityType: SearchEntityType;
  entityId: string;
  title: string;
  body: string;
  score: number;
}

/** A matching document with its facet values (no text), as the phrase scan collects it. */
export interface MatchFacts {
  docId: number;
  entityType: SearchEntityType;
  entityId: string;
  facilityId: string | null;
  classification: string | null;
  status: string | null;
  year: number | null;
  score: number;
}

/** Whether facet values pass the filters, leaving out the filter on `except`. */
export function passesFilters(
  m: Pick<FacetCombo, 'entityType' | 'facilityId' | 'classification' | 'status' | 'year'>,
  f: SearchFilters,
  except?: FacetDimension,
): boolean {
  if (f.types && f.types.length > 0 && except !== 'type' && !f.types.includes(m.entityType)) return false;
  if (f.facilityId !== undefined && except !== 'facility' && m.facilityId !== f.facilityId) return false;
  if (f.classification !== undefined && except !== 'classification' && m.classification !== f.classification)
    return false;
  if (f.status !== undefined && except !== 'status' && m.status !== f.status) return false;
  if (f.year !== undefined && except !== 'year' && m.year !== f.year) return false;
  return true;
}

/** How many matching documents share one combination of facet values. */
export interface FacetCombo {
  entityType: SearchEntityType;
  facilityId: string | null;
  classification: string | null;
  status: string | null;
  year: number | null;
  count: number;
}

const TERM_RE = /^[a-z0-9]+$/;

function checkTerm(term: string): string {
  if (!TERM_RE.test(term)) throw new Error(`not a search term: ${JSON.stringify(term)}`);
  return term;
}

/**
 * Whether a term also matches the longer words it begins (`polupodval` finds `polupodvalnom`): a
 * term of four letters or more that is not a number. A document with the word itself matches both
 * the term and its prefix, so it ranks above one with only a longer word.
 */
function prefixes(term: string): boolean {
  return term.length >= 4 && /[a-z]/.test(term);
}

/** The FTS5 MATCH expression: each term a quoted string (and its prefix query), OR within a group, AND between groups. */
export function fts5Expression(groups: readonly (readonly string[])[]): string {
  const alternatives = (t: string) => {
    const quoted = `"${checkTerm(t).replaceAll('"', '""')}"`;
    return prefixes(t) ? [quoted, `${quoted}*`] : [quoted];
  };
  return groups.map((g) => `(${g.flatMap(alternatives).join(' OR ')})`).join(' AND ');
}

/** The `to_tsquery` text: `(a | a:* | b) & (c)`; terms are plain lexemes (no operators, no quotes possible). */
export function tsqueryExpression(groups: readonly (readonly string[])[], opts: { prefix?: boolean } = {}): string {
  const alternatives = (t: string) =>
    opts.prefix !== false && prefixes(checkTerm(t)) ? [t, `${t}:*`] : [checkTerm(t)];
  return groups.map((g) => `(${g.flatMap(alternatives).join(' | ')})`).join(' & ');
}

interface Engine {
  /** FROM clause; the search document is aliased `d`. */
  from: RawBuilder<unknown>;
  /** The match condition. */
  match: RawBuilder<unknown>;
  /** Relevance, higher is better. */
  score: RawBuilder<number>;
  /** The document id column the engine can range over cheaply (for keyset scans). */
  docId: RawBuilder<number>;
  /** Byte-order collation for tie-breaks, so both dialects order ties alike (PostgreSQL's default may be a locale's). */
  binary: RawBuilder<unknown>;
}

function engine(spec: MatchSpec): Engine {
  const e = matchEngine(spec);
  // Every query (pages, totals, facets, phrase scans) goes through `match`, so hidden documents are nowhere.
  return spec.visibleTo === undefined ? e : { ...e, match: sql`${e.match} AND ${searchDocVisibleTo(spec.visibleTo)}` };
}

function matchEngine(spec: MatchSpec): Engine {
  if (spec.groups.length === 0) {
    return {
      from: sql`search_doc d`,
      match: sql`1 = 1`,
      score: sql<number>`0`,
      docId: sql<number>`d.doc_id`,
      binary: binaryCollation(spec),
    };
  }
  if (spec.dialect === 'sqlite') {
    const expr = fts5Expression(spec.groups);
    return {
      from: sql`search_fts JOIN search_doc d ON d.doc_id = search_fts.rowid`,
      match: sql`search_fts MATCH ${expr}`,
      // bm25 is lower-is-better (negative); flip it so every score reads higher-is-better.
      score: sql<number>`(-bm25(search_fts))`,
      docId: sql<number>`search_fts.rowid`,
      binary: binaryCollation(spec),
    };
  }
  const expr = tsqueryExpression(spec.groups);
  const exact = tsqueryExpression(spec.groups, { prefix: false });
  return {
    from: sql`search_doc d`,
    match: sql`d.tsv @@ to_tsquery('simple', ${expr})`,
    // normalisation 1: divide by 1 + log(document length), so long documents do not win by size alone (as in bm25).
    // ts_rank weighs a word and its prefix alike, so the words themselves are ranked once more: a document
    // with «полуподвал» comes before one with only «полуподвальном» (FTS5's bm25 does this by itself).
    score: sql<number>`(ts_rank(d.tsv, to_tsquery('simple', ${exact}), 1) + ts_rank(d.tsv, to_tsquery('simple', ${expr}), 1))`,
    docId: sql<number>`d.doc_id`,
    binary: binaryCollation(spec),
  };
}

function binaryCollation(spec: MatchSpec): RawBuilder<unknown> {
  return spec.dialect === 'postgres' ? sql`COLLATE "C"` : sql`COLLATE BINARY`;
}

/** The filter conditions in SQL (same rules as {@link passesFilters}). */
function filterConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (f.types && f.types.length > 0) out.push(sql`d.entity_type IN (${sql.join(f.types)})`);
  if (f.facilityId !== undefined) out.push(sql`d.facility_id = ${f.facilityId}`);
  if (f.classification !== undefined) out.push(sql`d.classification = ${f.classification}`);
  if (f.status !== undefined) out.push(sql`d.status = ${f.status}`);
  if (f.year !== undefined) out.push(sql`d.year = ${f.year}`);
  return out;
}

function where(e: Engine, conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return sql.join([e.match, ...conditions], sql` AND `);
}

/**
 * The match set (no filters) grouped by every facet value at once: one row per combination of
 * entity type, facility, classification, status and year, with its count. Totals and facets
 * (each with its own set of filters) are then tallied from these rows without another pass over
 * the index.
 */
export async function matchCombos(db: Kysely<Database>, spec: MatchSpec): Promise<FacetCombo[]> {
  const e = engine(spec);
  const r = await sql<{
    entity_type: SearchEntityType;
    facility_id: string | null;
    classification: string | null;
    status: string | null;
    year: number | null;
    n: number | string;
  }>`
    SELECT d.entity_type, d.facility_id, d.classification, d.status, d.year, count(*) AS n
    FROM ${e.from}
    WHERE ${e.match}
    GROUP BY d.entity_type, d.facility_id, d.classification, d.status, d.year`.execute(db);
  return r.rows.map((x) => ({
    entityType: x.entity_type,
    facilityId: x.facility_id,
    classification: x.classification,
    status: x.status,
    year: x.year === null ? null : Number(x.year),
    count: Number(x.n),
  }));
}

/** One page of matches, best first; ties broken by entity id, then entity type, so both dialects list ties alike. */
export async function pageMatches(
  db: Kysely<Database>,
  spec: MatchSpec,
  filters: SearchFilters,
  limit: number,
  offset: number,
): Promise<MatchRow[]> {
  const e = engine(spec);
  const r = await sql<{
    doc_id: number;
    entity_type: SearchEntityType;
    entity_id: string;
    title: string;
    body: string;
    score: number;
  }>`
    SELECT d.doc_id, d.entity_type, d.entity_id, d.title, d.body, ${e.score} AS score
    FROM ${e.from}
    WHERE ${where(e, filterConditions(filters))}
    ORDER BY score DESC, d.entity_id ${e.binary} ASC, d.entity_type ${e.binary} ASC
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows.map((x) => ({
    docId: Number(x.doc_id),
    entityType: x.entity_type,
    entityId: x.entity_id,
    title: x.title,
    body: x.body,
    score: Number(x.score),
  }));
}

/**
 * Every document matching the query (no filters), in batches by document id, with its text;
 * `keep` decides from the text whether it is a match (used to confirm phrases) and only the
 * facts of kept documents are returned, so memory holds no text beyond one batch.
 */
export async function scanMatches(
  db: Kysely<Database>,
  spec: MatchSpec,
  keep: (title: string, body: string) => boolean,
  batchSize = 1000,
): Promise<MatchFacts[]> {
  const e = engine(spec);
  const out: MatchFacts[] = [];
  let after = 0;
  for (;;) {
    const r = await sql<{
      doc_id: number;
      entity_type: SearchEntityType;
      entity_id: string;
      title: string;
      body: string;
      facility_id: string | null;
      classification: string | null;
      status: string | null;
      year: number | null;
      score: number;
    }>`
      SELECT d.doc_id, d.entity_type, d.entity_id, d.title, d.body, d.facility_id, d.classification, d.status, d.year, ${e.score} AS score
      FROM ${e.from}
      WHERE ${where(e, [sql`${e.docId} > ${after}`])}
      ORDER BY ${e.docId}
      LIMIT ${batchSize}`.execute(db);
    for (const x of r.rows) {
      if (!keep(x.title, x.body)) continue;
      out.push({
        docId: Number(x.doc_id),
        entityType: x.entity_type,
        entityId: x.entity_id,
        facilityId: x.facility_id,
        classification: x.classification,
        status: x.status,
        year: x.year === null ? null : Number(x.year),
        score: Number(x.score),
      });
    }
    const last = r.rows[r.rows.length - 1];
    if (r.rows.length < batchSize || last === undefined) return out;
    after = Number(last.doc_id);
  }
}

/** The text of some documents, by document id. */
export async function documentTexts(
  db: Kysely<Database>,
  docIds: readonly number[],
): Promise<Map<number, { title: string; body: string }>> {
  if (docIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('search_doc')
    .select(['doc_id', 'title', 'body'])
    .where('doc_id', 'in', [...docIds])
    .execute();
  return new Map(rows.map((r) => [Number(r.doc_id), { title: r.title, body: r.body }]));
}

/** Facility names by id (labels of the facility facet). */
export async function facilityNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('facility')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
