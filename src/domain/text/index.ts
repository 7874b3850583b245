/** Pure text functions for full-text search and the blind index of people's names. */
export { cyrillicToLatin, foldLatin } from './transliterate.ts';
export { normalizeNameKey } from './name-key.ts';
export {
  indexTerms,
  parseQuery,
  matchesQuery,
  highlightSnippet,
} from './search-terms.ts';
