/**
 * Phrase lookup over the words of a text: aliases from the gazetteers are compared word by word
 * on stem keys (so Russian case forms match one nominative alias), abbreviations in capitals
 * exactly. The longest alias wins at each position.
 */
import { stemKey, words, type Word } from './text.ts';

/** A word of the text with its comparison key. */
export interface KeyedWord extends Word {
  key: string;
  /** Starts with a capital letter. */
  cap: boolean;
}

const ABBREV_RE = /^[\p{Lu}\d][\p{Lu}\d.\-/]*$/u;
const CAP_RE = /^\p{Lu}/u;

const keyCache = new Map<string, string>();

/** The comparison key of one word: exact for abbreviations in capitals, else the stem. */
export function wordKey(text: string): string {
  if (text.length <= 6 && text.length >= 2 && ABBREV_RE.test(text)) return `=${text}`;
  const lower = text.toLowerCase().replace(/’/g, "'");
  let k = keyCache.get(lower);
  if (k === undefined) {
    k = CYRILLIC_RE.test(lower) ? lightRussianStem(lower) : stemKey(lower);
    if (keyCache.size > 50_000) keyCache.clear();
    keyCache.set(lower, k);
  }
  return k;
}

const CYRILLIC_RE = /[\u0400-\u04ff]/;
// Case endings of Russian nouns, adjectives and names, longest first. Snowball over-stems proper
// names (Астана → аста, Астане → астан); one ending off is enough to join the cases of a name.
const RU_ENDING_RE =
  /(?:ыми|ими|ами|ями|ого|его|ому|ему|ыми|ими|ой|ей|ий|ый|ая|яя|ое|ее|ую|юю|ые|ие|ых|их|ым|им|ом|ем|ах|ях|ам|ям|ов|ев|ью|ы|и|а|я|е|у|ю|о|ь|й)$/u;

/** A Russian word without its case ending (stem of at least three letters). */
function lightRussianStem(lower: string): string {
  const w = lower.replace(/ё/g, 'е');
  const m = RU_ENDING_RE.exec(w);
  if (!m || w.length - m[0].length < 3) return w;
  return w.slice(0, w.length - m[0].length);
}

/** Words of a text with their keys. */
export function keyedWords(text: string): KeyedWord[] {
  return words(text).map((w) => ({ ...w, key: wordKey(w.text), cap: CAP_RE.test(w.text) }));
}

/** One alias entry: its word keys and what it stands for. */
export interface Alias<T> {
  keys: string[];
  value: T;
  /** The alias must start with a capital letter in the text. */
  needsCap: boolean;
  phrase: string;
}

/** A match of an alias in a text. */
export interface PhraseMatch<T> {
  value: T;
  start: number;
  end: number;
  /** Index of the first and one past the last word. */
  from: number;
  to: number;
  alias: string;
}

/** A dictionary of phrases indexed by their first word's key. */
export class PhraseIndex<T> {
  private byFirst = new Map<string, Alias<T>[]>();

  /** Adds a phrase; `needsCap` requires its first word capitalised in the text. */
  add(phrase: string, value: T, needsCap = false): void {
    const keys = words(phrase).map((w) => wordKey(w.text));
    const [firstKey] = keys;
    if (firstKey === undefined) return;
    const list = this.byFirst.get(firstKey) ?? [];
    list.push({ keys, value, needsCap, phrase });
    list.sort((a, b) => b.keys.length - a.keys.length);
    this.byFirst.set(firstKey, list);
  }

  /** The longest alias starting at word `i`, or null. `text` is the text the words came from. */
  matchAt(ws: KeyedWord[], i: number, text: string): PhraseMatch<T> | null {
    const first = ws[i];
    if (!first) return null;
    const list = this.byFirst.get(first.key);
    if (!list) return null;
    for (const a of list) {
      if (a.needsCap && !first.cap) continue;
      if (i + a.keys.length > ws.length) continue;
      let ok = true;
      for (let k = 1; k < a.keys.length; k++) {
        const [prev, w] = [ws[i + k - 1], ws[i + k]];
        if (!prev || !w || w.key !== a.keys[k] || !joinable(text.slice(prev.end, w.start))) {
          ok = false;
          break;
        }
      }
      const last = ws[i + a.keys.length - 1];
      if (ok && last) {
        return { value: a.value, start: first.start, end: last.end, from: i, to: i + a.keys.length, alias: a.phrase };
      }
    }
    return null;
  }

  /** All non-overlapping longest matches, left to right. */
  findAll(ws: KeyedWord[], text: string): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    for (let i = 0; i < ws.length; i++) {
      const m = this.matchAt(ws, i, text);
      if (m) {
        out.push(m);
        i = m.to - 1;
      }
    }
    return out;
  }
}

/** Words of one phrase may be separated by spaces, hyphens, apostrophes, dots of abbreviations. */
function joinable(gap: string): boolean {
  return gap.length <= 4 && /^[\s\-'’.]*$/.test(gap) && !/\.\s/.test(gap);
}
