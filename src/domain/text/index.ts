/** Pure text functions: the tokenizer, full-text search terms and the blind index of people's names. */
export { scanWords } from './tokenize.ts';
export { cyrillicToLatin, foldLatin } from './transliterate.ts';
export { normalizeNameKey } from './name-key.ts';
export {
  indexTerms,
  parseQuery,
  matchesQuery,
  highlightSnippet,
} from './search-terms.ts';
