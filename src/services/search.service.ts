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
import { CLASSIFICATIONS, SOURCE_KINDS, STATEMENT_STANCES, VERIFICATION_STATUSES } from '../domain/vocabularies.ts';
import { highlightSnippet, matchesQuery, parseQuery } from '../domain/text/index.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import {
  documentTexts,
  FACET_DIMENSIONS,
  facilityNames,
  matchCombos,
  pageMatches,
  passesFilters,
  scanMatches,
  SEARCH_ENTITY_TYPES,
  type FacetCombo,
  type FacetDimension,
  type MatchSpec,
  type SearchEntityType,
  type SearchFilters,
} from '../store/repositories/search.repository.ts';
import { limitedViewer } from './policy.ts';
import type { Actor, Services } from './context.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

export { SEARCH_ENTITY_TYPES } from '../store/repositories/search.repository.ts';

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
  year: z.coerce
    .number()
    .int('must be a whole year')
    .min(1000, 'must be a four-digit year')
    .max(9999, 'must be a four-digit year')
    .optional(),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(20),
  offset: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(100_000, 'must be at most 100000')
    .default(0),
});
export type SearchInput = z.input<typeof SearchInput>;

interface SearchResult {
  entityType: SearchEntityType;
  entityId: string;
  title: string;
  /** An excerpt of title and text around the first match, matching words wrapped in «». */
  snippet: string;
  /** Relevance, higher is better; comparable only within one result list. */
  score: number;
}

interface FacetEntry {
  /** The filter value to pass back (`year` as its digits). */
  value: string;
  /** Facility name, vocabulary label (English), year, or entity type label. */
  label: string;
  count: number;
}

type SearchFacets = Record<FacetDimension, FacetEntry[]>;

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
  return entries.sort((a, b) => b.count - a.count || cmp(a.value, b.value));
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

/** Total and facets from the match set grouped by facet values (each combo weighs its count). */
async function tally(
  db: Parameters<typeof facilityNames>[0],
  combos: readonly FacetCombo[],
  filters: SearchFilters,
): Promise<{ total: number; facets: SearchFacets }> {
  let total = 0;
  const counts = {} as Record<FacetDimension, Map<string, number>>;
  for (const dim of FACET_DIMENSIONS) counts[dim] = new Map();
  for (const c of combos) {
    if (passesFilters(c, filters)) total += c.count;
    for (const dim of FACET_DIMENSIONS) {
      const v = facetValue(c, dim);
      if (v === null || !passesFilters(c, filters, dim)) continue;
      const m = counts[dim];
      m.set(v, (m.get(v) ?? 0) + c.count);
    }
  }
  const names = await facilityNames(db, [...counts.facility.keys()]);
  const facets = {} as SearchFacets;
  for (const dim of FACET_DIMENSIONS) {
    facets[dim] = sortFacet(
      [...counts[dim]].map(([value, count]) => ({
        value,
        label: labelFor(dim, value, dim === 'facility' ? (names.get(value) ?? null) : null),
        count,
      })),
    );
  }
  return { total, facets };
}

/** The value of a document on a facet dimension (null: not counted in that facet). */
function facetValue(c: FacetCombo, dim: FacetDimension): string | null {
  switch (dim) {
    case 'facility':
      return c.facilityId;
    case 'classification':
      return c.classification;
    case 'status':
      return c.status;
    case 'year':
      return c.year === null ? null : String(c.year);
    case 'type':
      return c.entityType;
  }
}

function snippetOf(q: string, title: string, body: string): string {
  return highlightSnippet(`${title}\n${body}`, q);
}

/**
 * Searches the index; see the module comment for query, phrase, facet and ranking semantics.
 * Results, totals and facets leave out the allegations `actor` may not see (need-to-know,
 * access.service.ts). Without an actor nothing is left out: that is Vigil's own view, so every
 * request on behalf of a user must pass the user.
 */
export async function search(svc: Services, input: unknown, actor: Actor): Promise<SearchResponse> {
  const d = parseInput(SearchInput, input);
  const parsed = parseQuery(d.q);
  const spec: MatchSpec = { dialect: svc.store.dialect, groups: parsed.groups, visibleTo: limitedViewer(actor) };
  const empty = parsed.groups.length === 0;

  return readSnapshot(svc.store, async (db) => {
    // A facility may be named by id or external id, like every other reference.
    const facilityId =
      d.facilityId === undefined ? undefined : await resolveRef(db, 'facility', d.facilityId, 'facilityId', actor);
    const filters: SearchFilters = {
      types: d.types,
      facilityId,
      classification: d.classification,
      status: d.status,
      year: d.year,
    };

    if (!empty && parsed.phrases.length > 0) {
      // Phrases are confirmed on each candidate's text; everything after that is computed from the confirmed matches.
      const matches = await scanMatches(db, spec, (title, body) => matchesQuery(`${title}\n${body}`, parsed));
      const { total, facets } = await tally(
        db,
        matches.map((m) => ({ ...m, count: 1 })),
        filters,
      );
      const page = matches
        .filter((m) => passesFilters(m, filters))
        .sort((a, b) => b.score - a.score || cmp(a.entityId, b.entityId) || cmp(a.entityType, b.entityType))
        .slice(d.offset, d.offset + d.limit);
      const texts = await documentTexts(
        db,
        page.map((m) => m.docId),
      );
      const results = page.map((m) => {
        const t = texts.get(m.docId) ?? { title: '', body: '' };
        return {
          entityType: m.entityType,
          entityId: m.entityId,
          title: t.title,
          snippet: snippetOf(d.q, t.title, t.body),
          score: m.score,
        };
      });
      return { total, results, facets, emptyQuery: false };
    }

    const { total, facets } = await tally(db, await matchCombos(db, spec), filters);
    if (empty) return { total: 0, results: [], facets, emptyQuery: true };
    const page = total > d.offset ? await pageMatches(db, spec, filters, d.limit, d.offset) : [];
    const results = page.map((m) => ({
      entityType: m.entityType,
      entityId: m.entityId,
      title: m.title,
      snippet: snippetOf(d.q, m.title, m.body),
      score: m.score,
    }));
    return { total, results, facets, emptyQuery: false };
  });
}

/** Binary (code unit) order, as the SQL tie-break uses. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
