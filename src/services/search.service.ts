/**
 * Full-text search over facilities, sources, statements and allegations (the `search_doc` index).
 *
 * ## Query
 * The query text goes through `parseQuery` (src/domain/text): every word becomes a group of
 * alternatives (its stem and full form, transliterated to ASCII), and a document matches when it
 * has at least one alternative of every group (AND of ORs). So `пытка` finds `пытки`, `tortured`
 * finds `torture`, `SIZO` finds `СИЗО`, and `LA-155/18` finds `ЛА-155/18` (and back).
 * People's identities are never in the index, so a name given only as a sealed identity is never found.
 *
 * ## Phrases
 * Text in quotes (`"torture room"`, `«пыточная комната»`) must occur as consecutive words. The
 * index stores each word's forms side by side (`pytk pytki v …`), so index positions are not word
 * positions and neither engine can check adjacency exactly (and both must agree). A phrase query
 * therefore matches its words like any other query in the engine, then each candidate's text is
 * checked for the phrase with `matchesQuery` (same word logic as the index). Totals, facets and
 * pages of phrase queries are exact; they cost one pass over the candidates' text.
 *
 * ## Empty query
 * A query with no searchable word (empty, blanks, punctuation only) returns no results and
 * `total: 0`, but its facets are counted over every indexed document (filters applied as below),
 * so a search page can show what there is to search before anything is typed. `emptyQuery: true`
 * says so.
 *
 * ## Filters
 * `types`, `facilityId` (id or external id; an unknown one is `reference.missing`),
 * `classification`, `status` and `year` narrow the match set (AND). Bad input is
 * `validation.invalid` with the field's path; `limit` is 1–100 (default 20).
 *
 * ## Facets
 * Each facet counts the whole match set, not the page, with every filter applied except the
 * facet's own: choosing a facility still shows the other facilities with their counts, as
 * alternatives. With no filter on a dimension, the facet's counts add up to `total` minus the
 * documents without a value there (sources have no facility, facilities no year…); such documents
 * are left out of that facet. `status` is the allegation's verification status, a statement's
 * stance or a source's kind. Facets are ordered by count (descending), then value.
 *
 * ## Ranking
 * bm25 on SQLite, `ts_rank` (length-normalised) on PostgreSQL, reported higher-is-better; a
 * document with more occurrences of the query's words (or with the exact word form as well as
 * the stem) comes first. Ties are broken by entity id, then entity type. Scores are comparable only
 * within one result list, and the two engines' formulas differ: both dialects return the same
 * matches, totals and facets, and the same order except where the two formulas weigh documents
 * of very different lengths differently.
 */
import { z } from 'zod';
import {
  CLASSIFICATIONS, SOURCE_KINDS, STATEMENT_STANCES, VERIFICATION_STATUSES,
} from '../domain/vocabularies.ts';
import { highlightSnippet, matchesQuery, parseQuery } from '../domain/text/index.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import {
  countMatches, documentTexts, FACET_DIMENSIONS, facetCounts, facilityNames, pageMatches, scanMatches,
  SEARCH_ENTITY_TYPES, type FacetCount, type FacetDimension, type MatchFacts, type MatchSpec, type SearchEntityType,
  type SearchFilters,
} from '../store/repositories/search.repository.ts';
import type { Services } from './context.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

export { SEARCH_ENTITY_TYPES, type SearchEntityType } from '../store/repositories/search.repository.ts';

const EntityType = z.enum(SEARCH_ENTITY_TYPES);
const Filter = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** The input of a search. Numbers may come as strings (query parameters) and are coerced. */
export const SearchInput = z.strictObject({
  q: z.string().max(1000, 'must be at most 1000 characters').default(''),
  /** One type or a list; absent means every type. */
  types: z
    .union([EntityType, z.array(EntityType).min(1, 'give at least one type').max(SEARCH_ENTITY_TYPES.length)])
    .transform((t) => [...new Set(Array.isArray(t) ? t : [t])])
    .optional(),
  facilityId: Filter.optional(),
  classification: Filter.optional(),
  status: Filter.optional(),
  year: z.coerce.number().int('must be a whole year').min(1000, 'must be a four-digit year').max(9999, 'must be a four-digit year').optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  offset: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(100_000, 'must be at most 100000').default(0),
});
export type SearchInput = z.input<typeof SearchInput>;

export interface SearchResult {
  entityType: SearchEntityType;
  entityId: string;
  title: string;
  /** An excerpt of title and text around the first match, matching words wrapped in «». */
  snippet: string;
  /** Relevance, higher is better; comparable only within one result list. */
  score: number;
}

export interface FacetEntry {
  /** The filter value to pass back (`year` as its digits). */
  value: string;
  /** Facility name, vocabulary label (English), year, or entity type label. */
  label: string;
  count: number;
}

export type SearchFacets = Record<FacetDimension, FacetEntry[]>;

export interface SearchResponse {
  /** Matches of the query with every filter applied. */
  total: number;
  results: SearchResult[];
  facets: SearchFacets;
  /** True when the query had no searchable word: no results, facets over the whole index. */
  emptyQuery: boolean;
}

const TYPE_LABELS: Record<SearchEntityType, string> = {
  facility: 'Facility',
  source: 'Source',
  statement: 'Statement',
  allegation: 'Allegation',
};

function vocabularyLabel(lists: readonly (readonly { id: string; en: string }[])[], value: string): string {
  for (const list of lists) {
    const t = list.find((x) => x.id === value);
    if (t) return t.en;
  }
  return value;
}

function sortFacet(entries: FacetEntry[]): FacetEntry[] {
  return entries.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function labelFor(dim: FacetDimension, value: string, storeLabel: string | null): string {
  switch (dim) {
    case 'facility':
      return storeLabel ?? value;
    case 'classification':
      return vocabularyLabel([CLASSIFICATIONS], value);
    case 'status':
      return vocabularyLabel([VERIFICATION_STATUSES, STATEMENT_STANCES, SOURCE_KINDS], value);
    case 'type':
      return TYPE_LABELS[value as SearchEntityType] ?? value;
    case 'year':
      return value;
  }
}

function toEntries(dim: FacetDimension, counts: readonly FacetCount[]): FacetEntry[] {
  return sortFacet(counts.map((c) => ({ value: c.value, label: labelFor(dim, c.value, c.label), count: c.count })));
}

/** Searches the index; see the module comment for query, phrase, facet and ranking semantics. */
export async function search(svc: Services, input: unknown): Promise<SearchResponse> {
  const d = parseInput(SearchInput, input);
  const parsed = parseQuery(d.q);
  const spec: MatchSpec = { dialect: svc.store.dialect, groups: parsed.groups };
  const empty = parsed.groups.length === 0;

  return readSnapshot(svc.store, async (db) => {
    // A facility may be named by id or external id, like every other reference.
    const facilityId = d.facilityId === undefined ? undefined : await resolveRef(db, 'facility', d.facilityId, 'facilityId');
    const filters: SearchFilters = {
      types: d.types, facilityId, classification: d.classification, status: d.status, year: d.year,
    };
    if (!empty && parsed.phrases.length > 0) {
      const matches = await scanMatches(db, spec, (title, body) => matchesQuery(`${title}\n${body}`, parsed));
      return respondFromFacts(db, d.q, matches, filters, d.limit, d.offset);
    }
    const facets = {} as SearchFacets;
    for (const dim of FACET_DIMENSIONS) facets[dim] = toEntries(dim, await facetCounts(db, spec, filters, dim));
    if (empty) return { total: 0, results: [], facets, emptyQuery: true };
    const total = await countMatches(db, spec, filters);
    const page = total > d.offset ? await pageMatches(db, spec, filters, d.limit, d.offset) : [];
    const results = page.map((m) => ({
      entityType: m.entityType, entityId: m.entityId, title: m.title, snippet: highlightSnippet(`${m.title}\n${m.body}`, d.q), score: m.score,
    }));
    return { total, results, facets, emptyQuery: false };
  });
}

/** The value of a match on a facet dimension (null: not counted in that facet). */
function factValue(m: MatchFacts, dim: FacetDimension): string | null {
  switch (dim) {
    case 'facility':
      return m.facilityId;
    case 'classification':
      return m.classification;
    case 'status':
      return m.status;
    case 'year':
      return m.year === null ? null : String(m.year);
    case 'type':
      return m.entityType;
  }
}

function passes(m: MatchFacts, f: SearchFilters, except?: FacetDimension): boolean {
  if (f.types && f.types.length > 0 && except !== 'type' && !f.types.includes(m.entityType)) return false;
  if (f.facilityId !== undefined && except !== 'facility' && m.facilityId !== f.facilityId) return false;
  if (f.classification !== undefined && except !== 'classification' && m.classification !== f.classification) return false;
  if (f.status !== undefined && except !== 'status' && m.status !== f.status) return false;
  if (f.year !== undefined && except !== 'year' && m.year !== f.year) return false;
  return true;
}

/** Total, facets and page computed from confirmed matches (phrase queries), with the same semantics as the SQL path. */
async function respondFromFacts(
  db: Parameters<typeof documentTexts>[0],
  q: string,
  matches: readonly MatchFacts[],
  filters: SearchFilters,
  limit: number,
  offset: number,
): Promise<SearchResponse> {
  const counts = new Map<FacetDimension, Map<string, number>>(FACET_DIMENSIONS.map((dim) => [dim, new Map()]));
  for (const m of matches) {
    for (const dim of FACET_DIMENSIONS) {
      const v = factValue(m, dim);
      if (v === null || !passes(m, filters, dim)) continue;
      const c = counts.get(dim)!;
      c.set(v, (c.get(v) ?? 0) + 1);
    }
  }
  const names = await facilityNames(db, [...counts.get('facility')!.keys()]);
  const facets = {} as SearchFacets;
  for (const dim of FACET_DIMENSIONS) {
    const list = [...counts.get(dim)!].map(([value, count]) => ({ value, label: dim === 'facility' ? names.get(value) ?? null : null, count }));
    facets[dim] = toEntries(dim, list);
  }
  const hits = matches
    .filter((m) => passes(m, filters))
    .sort((a, b) => b.score - a.score || cmp(a.entityId, b.entityId) || cmp(a.entityType, b.entityType));
  const page = hits.slice(offset, offset + limit);
  const texts = await documentTexts(db, page.map((m) => m.docId));
  const results = page.map((m) => {
    const t = texts.get(m.docId) ?? { title: '', body: '' };
    return { entityType: m.entityType, entityId: m.entityId, title: t.title, snippet: highlightSnippet(`${t.title}\n${t.body}`, q), score: m.score };
  });
  return { total: hits.length, results, facets, emptyQuery: false };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
