/**
 * Pre-processing of text and queries for full-text search (SQLite FTS5 and PostgreSQL tsvector).
 *
 * The database never sees raw text: the index column stores {@link indexTerms}, and queries are
 * built from {@link queryTerms} / {@link parseQuery}. Both sides use the same per-token forms, so
 * the database only needs exact word matching (FTS5 `unicode61`, PostgreSQL `simple` config).
 *
 * ## Tokens
 *
 * A token is a segment of the shared tokenizer ({@link scanSegments} in `tokenize.ts`): a maximal
 * run of letters (with their combining marks) or a maximal run of decimal digits; everything else
 * separates tokens (spaces, punctuation, `-`, `/`, `№`, …). A change between letters and digits
 * also separates, so `ЛА-155/18`, `LA155/18` and `ЛА 155 18` all give `ла 155 18` / `la 155 18`,
 * and `СИЗО №1` gives `сизо 1`. Search lowercases the segments; the rest of this module gives
 * their forms.
 *
 * ## Forms of a token (all lowercase ASCII `[a-z0-9]+`)
 *
 * - digits: the digits as they are (non-ASCII digits are folded by NFKD where possible);
 * - Cyrillic (Russian or Kazakh) token: the Russian Snowball stem, transliterated, and the
 *   full token transliterated ({@link cyrillicToLatin}): `пытки` → `pytk pytki`, `СИЗО` → `siz sizo`;
 * - Latin token: diacritics folded ({@link foldLatin}), then the English Snowball stem and the
 *   full lowercased token: `tortured` → `tortur tortured`, `Almaty` → `almati almaty`;
 * - a token mixing Cyrillic and Latin letters (keyboard-layout slips such as `CИЗО` with a Latin
 *   `C`) is first repaired when the foreign letters are all look-alikes (a c e o p x y k m t b h i);
 * - tokens of other scripts (Arabic, Georgian, CJK, …) yield no forms and are not searchable.
 *
 * Identical forms of one token are deduplicated. Because Cyrillic text is transliterated, the same
 * word matches across scripts whenever the transliterations agree: `SIZO` ↔ `СИЗО`,
 * `Almaty` ↔ `Алматы`, `LA-155/18` ↔ `ЛА-155/18`.
 *
 * ## Queries
 *
 * A query is an AND of OR-groups: one group per query token, holding that token's forms. A
 * document matches when every group has at least one alternative among the document's terms.
 * A quoted phrase (`"…"`, `«…»`, `“…”`, `„…“`) additionally requires its words to be adjacent
 * and in order (each position matching one of that word's forms); the SQL layer can pre-filter
 * with the groups (which include the phrase words) and confirm phrases with {@link matchesQuery}.
 */
import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as russianStem } from '@orama/stemmers/russian';
import { scanSegments } from './tokenize.ts';
import { cyrillicToLatin, foldLatin } from './transliterate.ts';

const ASCII_LOWER_WORD_RE = /^[a-z]+$/;
const ASCII_DIGITS_RE = /^[0-9]+$/;
const CYRILLIC_RE = /[\u0400-\u052f]/;
const LATIN_LETTER_RE = /[a-z\u00c0-\u024f]/;
const COMBINING_RE = /\p{M}/u;
const NOT_ASCII_WORD_RE = /[^a-z0-9]+/g;
const NOT_ASCII_DIGIT_RE = /[^0-9]+/g;
const WHITESPACE_RUN_RE = /\s+/g;
const WHITESPACE_RE = /\s/;
const LETTER_RE = /\p{L}/u;

/** Latin look-alikes of Cyrillic letters (lowercase), both directions. */
const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  b: 'в',
  h: 'н',
  i: 'і',
};
const CYRILLIC_TO_LATIN_LOOKALIKE: Record<string, string> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC).map(([lat, cyr]) => [cyr, lat]),
);

// ---------------------------------------------------------------------------------------------
// Tokenizing

/**
 * Unicode-aware word tokens of `text`, lowercased, in the original script: runs of letters or of
 * digits; `-`, `/`, `№` and all other non-alphanumerics separate (`ЛА-155/18` → `ла`, `155`, `18`).
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  scanSegments(text, 0, (s, e) => {
    out.push(text.slice(s, e).toLowerCase());
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Forms of a token (cached)

interface Forms {
  readonly list: readonly string[];
  /** `list` joined by spaces ('' when there are no forms). */
  readonly joined: string;
}

const NO_FORMS: Forms = Object.freeze({ list: Object.freeze([]) as readonly string[], joined: '' });
const FORMS_CACHE_MAX = 100_000;
/** Longer tokens (hashes, run-together text) are not cached and not stemmed. */
const MAX_CACHED_TOKEN = 64;
const formsCache = new Map<string, Forms>();

function makeForms(a: string, b: string): Forms {
  if (a === '' && b === '') return NO_FORMS;
  if (a === '' || a === b) return { list: [b], joined: b };
  if (b === '') return { list: [a], joined: a };
  return { list: [a, b], joined: `${a} ${b}` };
}

function longTokenForms(token: string): Forms {
  const full = toAsciiWord(CYRILLIC_RE.test(token) ? cyrillicToLatin(token) : token);
  return full === '' ? NO_FORMS : { list: [full], joined: full };
}

function toAsciiWord(s: string): string {
  return foldLatin(s).replace(NOT_ASCII_WORD_RE, '');
}

function latinForms(folded: string): Forms {
  const word = folded.replace(NOT_ASCII_WORD_RE, '');
  if (word === '') return NO_FORMS;
  return makeForms(englishStem(word), word);
}

function cyrillicForms(token: string): Forms {
  const stem = cyrillicToLatin(russianStem(token));
  const full = cyrillicToLatin(token);
  return makeForms(toAsciiWord(stem), toAsciiWord(full));
}

/** Replace every char of `s` by `map[char]`; returns undefined when some letter has no mapping. */
function mapLookalikes(s: string, isForeign: (ch: string) => boolean, map: Record<string, string>): string | undefined {
  let out = '';
  for (const ch of s) {
    if (isForeign(ch)) {
      const m = map[ch];
      if (m === undefined) return undefined;
      out += m;
    } else {
      out += ch;
    }
  }
  return out;
}

function isLatinChar(ch: string): boolean {
  return LATIN_LETTER_RE.test(ch);
}
function isCyrillicChar(ch: string): boolean {
  return CYRILLIC_RE.test(ch);
}

function computeForms(token: string): Forms {
  if (ASCII_LOWER_WORD_RE.test(token)) return makeForms(englishStem(token), token);
  if (ASCII_DIGITS_RE.test(token)) return { list: [token], joined: token };

  let t = COMBINING_RE.test(token) ? token.normalize('NFC') : token;
  if (!LETTER_RE.test(t)) {
    // a run of non-ASCII decimal digits (or stray combining marks)
    const digits = t.normalize('NFKD').replace(NOT_ASCII_DIGIT_RE, '');
    return digits === '' ? NO_FORMS : { list: [digits], joined: digits };
  }
  const hasCyr = CYRILLIC_RE.test(t);
  if (hasCyr) {
    if (LATIN_LETTER_RE.test(t)) {
      // mixed-script token: repair look-alike letters towards the dominant-looking script
      const asCyr = mapLookalikes(t, isLatinChar, LATIN_TO_CYRILLIC);
      if (asCyr !== undefined) {
        t = asCyr;
      } else {
        const asLat = mapLookalikes(t, isCyrillicChar, CYRILLIC_TO_LATIN_LOOKALIKE);
        if (asLat !== undefined) return latinForms(foldLatin(asLat));
      }
    }
    return cyrillicForms(t);
  }
  return latinForms(foldLatin(t));
}

/**
 * The search forms of one token as it appears in the text (any case; see module doc),
 * deduplicated, stem first. Results are cached in a bounded map (keyed by the raw token, so the
 * common case needs no lowercasing). Empty for tokens of unsupported scripts.
 */
function formsOf(token: string): Forms {
  if (token.length > MAX_CACHED_TOKEN) return longTokenForms(token.toLowerCase());
  let f = formsCache.get(token);
  if (f === undefined) {
    f = computeForms(token.toLowerCase());
    if (formsCache.size >= FORMS_CACHE_MAX) {
      // evict the oldest entry (Map keeps insertion order)
      const oldest = formsCache.keys().next();
      if (!oldest.done) formsCache.delete(oldest.value);
    }
    formsCache.set(token, f);
  }
  return f;
}

/**
 * Search forms of a single word (stem and full form, lowercase ASCII, deduplicated, stem first):
 * `пытки` → `['pytk', 'pytki']`, `Almaty` → `['almati', 'almaty']`, `155` → `['155']`.
 */
export function termForms(word: string): readonly string[] {
  const forms: string[] = [];
  scanSegments(word, 0, (s, e) => {
    for (const f of formsOf(word.slice(s, e)).list) if (!forms.includes(f)) forms.push(f);
  });
  return forms;
}

// ---------------------------------------------------------------------------------------------
// Index side

/**
 * The string to store in the full-text index column: for each token of `text`, its forms
 * (deduplicated within the token), all joined by single spaces. Output words match `[a-z0-9]+`.
 * Example: `Пытки в СИЗО №1` → `pytk pytki v siz sizo 1`.
 */
export function indexTerms(text: string): string {
  const parts: string[] = [];
  scanSegments(text, 0, (s, e) => {
    const j = formsOf(text.slice(s, e)).joined;
    if (j !== '') parts.push(j);
  });
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Query side

/** A parsed search query. */
export interface ParsedQuery {
  /**
   * AND of ORs: every group must have at least one alternative among a document's terms.
   * One group per distinct query token, in query order, including the words of phrases.
   */
  readonly groups: string[][];
  /**
   * Quoted phrases of two or more words. Each phrase is a list of positions; each position is
   * the list of alternatives of that word. A phrase matches when consecutive tokens of the text
   * match its positions in order. Single-word quotes are plain groups only.
   */
  readonly phrases: string[][][];
}

const QUOTES = new Set(['"', '«', '»', '“', '”', '„']);

/**
 * Parse a user query: tokens outside quotes become groups; text between quote characters
 * (any of `" « » “ ” „`, toggling) becomes a phrase (an unclosed quote runs to the end).
 * Empty or whitespace-only query → `{ groups: [], phrases: [] }`.
 */
export function parseQuery(query: string): ParsedQuery {
  const groups: string[][] = [];
  const phrases: string[][][] = [];
  const seen = new Set<string>();

  const addGroup = (alts: readonly string[]): void => {
    const key = alts.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    groups.push([...alts]);
  };
  const addSegment = (segment: string, isPhrase: boolean): void => {
    const positions: string[][] = [];
    scanSegments(segment, 0, (s, e) => {
      const alts = formsOf(segment.slice(s, e)).list;
      if (alts.length === 0) return;
      addGroup(alts);
      if (isPhrase) positions.push([...alts]);
    });
    if (isPhrase && positions.length >= 2) phrases.push(positions);
  };

  let inQuote = false;
  let segStart = 0;
  for (let i = 0; i < query.length; i++) {
    if (QUOTES.has(query.charAt(i))) {
      addSegment(query.slice(segStart, i), inQuote);
      inQuote = !inQuote;
      segStart = i + 1;
    }
  }
  addSegment(query.slice(segStart), inQuote);
  return { groups, phrases };
}

/**
 * AND of ORs for a query: one group of alternatives (stem and full form, deduplicated) per
 * query token; words of quoted phrases are included as ordinary groups (use {@link parseQuery}
 * to get the phrase constraints too). Empty/whitespace query → `[]`.
 * Example: `пытка СИЗО` → `[['pytk', 'pytka'], ['siz', 'sizo']]`.
 */
export function queryTerms(query: string): string[][] {
  return parseQuery(query).groups;
}

/**
 * Exact evaluation of a query against a text, with the same term logic as the index: every
 * group must match some token's forms and every phrase must occur as consecutive tokens.
 * An empty query matches nothing. Use it to confirm phrase matches after an index pre-filter.
 */
export function matchesQuery(text: string, query: string | ParsedQuery): boolean {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  if (q.groups.length === 0) return false;
  const docForms: (readonly string[])[] = [];
  const all = new Set<string>();
  scanSegments(text, 0, (s, e) => {
    const list = formsOf(text.slice(s, e)).list;
    docForms.push(list);
    for (const f of list) all.add(f);
  });
  for (const g of q.groups) {
    if (!g.some((a) => all.has(a))) return false;
  }
  for (const phrase of q.phrases) {
    if (!containsPhrase(docForms, phrase)) return false;
  }
  return true;
}

function positionMatches(forms: readonly string[] | undefined, alts: readonly string[]): boolean {
  if (forms === undefined) return false;
  for (const f of forms) if (alts.includes(f)) return true;
  return false;
}

function containsPhrase(docForms: readonly (readonly string[])[], phrase: readonly string[][]): boolean {
  // tokens without forms (unsupported scripts) are skipped so they do not break adjacency
  const seq = docForms.filter((f) => f.length > 0);
  const n = phrase.length;
  outer: for (let i = 0; i + n <= seq.length; i++) {
    for (let j = 0; j < n; j++) {
      if (!positionMatches(seq[i + j], phrase[j] ?? [])) continue outer;
    }
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Snippets

/**
 * A short excerpt of `text` around the first token that matches the query (same term logic as
 * the index), with every matching token inside the excerpt wrapped in `open`…`close`. Adjacent
 * matching tokens separated only by non-space characters are wrapped together (`«LA-155/18»`).
 *
 * - `maxLen` bounds the number of source characters in the excerpt (markers and the `…` added
 *   at a cut are not counted); cuts are moved to whitespace when possible so words stay whole.
 * - Runs of whitespace (including newlines) are shown as one space.
 * - No match (or empty query): the beginning of the text, without markers.
 * - The text is not HTML-escaped: escape the result (choosing markers that survive escaping)
 *   before putting it into HTML.
 */
export function highlightSnippet(text: string, query: string, maxLen = 200, open = '«', close = '»'): string {
  const limit = Math.max(1, Math.floor(maxLen));
  const q = parseQuery(query);
  const wanted = new Set<string>();
  for (const g of q.groups) for (const a of g) wanted.add(a);

  const isMatch = (t: string): boolean => {
    if (wanted.size === 0) return false;
    for (const f of formsOf(t).list) if (wanted.has(f)) return true;
    return false;
  };

  // 1. first match
  let firstStart = -1;
  let firstEnd = -1;
  if (wanted.size > 0) {
    scanSegments(text, 0, (s, e) => {
      if (isMatch(text.slice(s, e))) {
        firstStart = s;
        firstEnd = e;
        return true;
      }
      return false;
    });
  }

  // 2. window
  const len = text.length;
  let start = 0;
  let end = len;
  if (len > limit) {
    if (firstStart >= 0) {
      const lead = Math.floor(limit * 0.3);
      start = Math.max(0, firstStart - lead);
      end = Math.min(len, start + limit);
      if (end === len) start = Math.max(0, len - limit);
      if (start > 0) {
        // move the start forward to just after a whitespace, but not past the match
        let k = start;
        while (k < firstStart && !WHITESPACE_RE.test(text.charAt(k - 1))) k++;
        start = k;
      }
      if (end < len) {
        // move the end back to a whitespace, but not before the end of the match
        let k = end;
        while (k > firstEnd && !WHITESPACE_RE.test(text.charAt(k))) k--;
        end = k > firstEnd ? k : Math.max(end, firstEnd);
      }
    } else {
      end = limit;
      let k = end;
      while (k > 0 && !WHITESPACE_RE.test(text.charAt(k))) k--;
      if (k > 0) end = k;
    }
  }

  // 3. matched ranges inside the window, merging neighbours joined by non-space separators
  const ranges: [number, number][] = [];
  if (firstStart >= 0) {
    scanSegments(text, start, (s, e) => {
      if (e > end) return true;
      if (!isMatch(text.slice(s, e))) return false;
      const last = ranges[ranges.length - 1];
      if (last !== undefined && s - last[1] <= 3 && !WHITESPACE_RE.test(text.slice(last[1], s))) {
        last[1] = e;
      } else {
        ranges.push([s, e]);
      }
      return false;
    });
  }

  // 4. assemble
  const clean = (s: string): string => s.replace(WHITESPACE_RUN_RE, ' ');
  let out = '';
  let pos = start;
  for (const [s, e] of ranges) {
    out += clean(text.slice(pos, s)) + open + clean(text.slice(s, e)) + close;
    pos = e;
  }
  out += clean(text.slice(pos, end));
  out = out.trim();
  if (start > 0) out = `…${out}`;
  if (end < len) out = `${out}…`;
  return out;
}
