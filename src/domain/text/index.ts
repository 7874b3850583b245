/** Pure text functions for full-text search and the blind index of people's names. */
export { cyrillicToLatin, foldLatin, toLatin } from './transliterate.ts';
export { normalizeNameKey } from './name-key.ts';
export {
  tokenize,
  termForms,
  indexTerms,
  parseQuery,
  queryTerms,
  matchesQuery,
  highlightSnippet,
} from './search-terms.ts';
export type { ParsedQuery } from './search-terms.ts';
