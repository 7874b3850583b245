/**
 * Text helpers of the extractor: sentences (Intl.Segmenter, then re-joined after abbreviations
 * and initials), words with offsets (from the shared tokenizer, src/domain/text/tokenize.ts),
 * language guess, and the stem keys used to compare phrases.
 */
import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as russianStem } from '@orama/stemmers/russian';
import { cyrillicToLatin, foldLatin, scanWords } from '../domain/text/index.ts';

/** A sentence of the input with its offsets. */
export interface Sentence {
  start: number;
  end: number;
  text: string;
}

/** A word of the input: a run of letters/digits (hyphens and apostrophes inside kept). */
export interface Word {
  start: number;
  end: number;
  text: string;
  lower: string;
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string, granularity: 'sentence' | 'word'): Intl.Segmenter {
  const key = `${lang}:${granularity}`;
  let s = segmenters.get(key);
  if (!s) {
    s = new Intl.Segmenter(lang, { granularity });
    segmenters.set(key, s);
  }
  return s;
}

// A segment that ends with one of these is not the end of a sentence ("г. Алматы", "Mr. Oraz").
const ABBREVIATION_END_RE =
  /(?:^|[\s(«"“])(?:г|гг|ул|им|ст|ч|п|пп|т|д|р-н|обл|рис|см|тыс|млн|млрд|руб|тг|проф|акад|Mr|Mrs|Ms|Dr|Prof|St|No|Nos|Art|Arts|para|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gen|Col|Lt|Sgt|Capt|Maj|Gov|Rep|Sen|Jr|Sr|\p{Lu})\.\s*$/u;

/** Sentences of `text`, with offsets; line breaks always end a sentence. */
export function splitSentences(text: string, lang = 'en'): Sentence[] {
  const out: Sentence[] = [];
  // One line at a time: sentences never cross a line break, and the segmenter slows down on long inputs.
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (lineEnd > lineStart) splitLine(text, lineStart, lineEnd, lang, out);
    lineStart = lineEnd + 1;
  }
  return out;
}

function splitLine(text: string, from: number, to: number, lang: string, out: Sentence[]): void {
  const line = text.slice(from, to);
  let pending: Sentence | null = null;
  for (const seg of segmenter(lang, 'sentence').segment(line)) {
    const start = from + seg.index;
    const end = start + seg.segment.length;
    pending = pending
      ? { start: pending.start, end, text: text.slice(pending.start, end) }
      : { start, end, text: seg.segment };
    if (ABBREVIATION_END_RE.test(seg.segment) && end < to) continue;
    pushTrimmed(out, text, pending);
    pending = null;
  }
  if (pending) pushTrimmed(out, text, pending);
}

function pushTrimmed(out: Sentence[], text: string, s: Sentence): void {
  // A segment may hold several lines when the segmenter did not break at a newline.
  let pos = s.start;
  for (const line of text.slice(s.start, s.end).split('\n')) {
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body) out.push({ start: pos + lead, end: pos + lead + body.length, text: body });
    pos += line.length + 1;
  }
}

/**
 * Words of `text` with offsets (relative to `base`), as the shared tokenizer finds them: a hyphen
 * joins letters ("pre-trial", "Нур-Султан") but not a number ("SIZO-1", "LA-155/18").
 */
export function words(text: string, base = 0): Word[] {
  const out: Word[] = [];
  scanWords(text, 0, (s, e) => {
    const w = text.slice(s, e);
    out.push({ start: base + s, end: base + e, text: w, lower: w.toLowerCase() });
  });
  return out;
}

const CYRILLIC_RE = /[\u0400-\u04ff]/g;
const LATIN_RE = /[A-Za-z]/g;
const KAZAKH_RE = /[әғқңөұүһі]/gi;

/** Guess the language from the script of the letters: ru (or kk with Kazakh letters), en, other. */
export function detectLanguage(text: string): 'en' | 'ru' | 'kk' | 'other' {
  const sample = text.slice(0, 20000);
  const cyr = sample.match(CYRILLIC_RE)?.length ?? 0;
  const lat = sample.match(LATIN_RE)?.length ?? 0;
  if (cyr === 0 && lat === 0) return 'other';
  if (cyr > lat) {
    const kk = sample.match(KAZAKH_RE)?.length ?? 0;
    return kk > cyr * 0.02 ? 'kk' : 'ru';
  }
  return 'en';
}

const IS_CYRILLIC_RE = /[\u0400-\u04ff]/;

/** Stem key of one word, in Latin letters: the same key for the word's inflected forms. */
export function stemKey(word: string): string {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  if (IS_CYRILLIC_RE.test(w)) return cyrillicToLatin(russianStem(w));
  // British and American spellings compare equal: rumour/rumor, centre/center, defence/defense, organise/organize
  const us = foldLatin(w)
    .replace(/our(s?)$/, 'or$1')
    .replace(/([^aeiou])tre(s?)$/, '$1ter$2')
    .replace(/ence$/, 'ense')
    .replace(/is(e|ed|es|ing|ation|ations)$/, 'iz$1');
  return englishStem(us);
}

const STOP = new Set(
  (
    'a an the of in on at to for from by with and or but as is are was were be been being has have had this that these those ' +
    'it its their they them he she his her we our you your which who whom whose what there here also than then so such not no ' +
    'into onto over under about after before during more most some any all each other another only very said says more further ' +
    'и в во на с со к ко по о об от до из за для при без над под у же ли не ни а но или что как это этот эта эти тот та те ' +
    'его ее её их он она они мы вы я был была было были быть есть также еще ещё уже который которая которые которых где когда ' +
    'более менее ряд всех все всё весь так то чем'
  ).split(' '),
);

/** True for function words that carry no content (both languages). */
function isStopWord(lower: string): boolean {
  return STOP.has(lower);
}

/** The content stem keys of a phrase (stop words dropped). */
export function contentKeys(phrase: string): string[] {
  const out: string[] = [];
  for (const w of words(phrase)) {
    if (isStopWord(w.lower)) continue;
    out.push(stemKey(w.lower));
  }
  return out;
}

/** Collapses whitespace and trims punctuation at both ends. */
export function clean(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.\-–—"“”«»'()]+|[\s,;:\-–—"“”«»'(]+$/g, '')
    .trim();
}
