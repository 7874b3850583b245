/**
 * The tokenizer of Vigil's text: where words and their parts begin and end, for search and for
 * extraction alike. It only finds offsets; case folding, stemming and stop words belong to the
 * caller.
 *
 * Every character is classified once (a table of UTF-16 code units, astral code points looked
 * up whole): a letter (`\p{L}`), a combining mark (`\p{M}`), a decimal digit (`\p{Nd}`), another
 * number (`\p{Nl}`, `\p{No}`: `²`, `Ⅻ`, `½`), a joiner (`'`, `’`, `-`) or a separator. A hand-written
 * scanner over this table is several times faster than a Unicode regex. Two units are read from it:
 *
 * - a **segment** ({@link scanSegments}) is a maximal run of letters (with their combining
 *   marks) or a maximal run of decimal digits; everything else separates, and so does a change
 *   between letters and digits: `ЛА-155/18`, `LA155/18` and `ЛА 155 18` all give `ЛА 155 18`,
 *   `СИЗО №1` gives `СИЗО 1`. Search indexes and queries segments.
 * - a **word** ({@link scanWords}) is a run of letters and numbers in which a hyphen or an
 *   apostrophe followed by a letter is kept: `pre-trial`, `Нур-Султан`, `O'Brien`, `don’t` are one
 *   word, while a hyphen before a number separates (`SIZO-1`, `LA-155/18` give `LA`, `155`, `18`).
 *   A combining mark is not part of a word. Extraction reads words with their offsets.
 */

const C_UNKNOWN = 0;
const C_SEPARATOR = 1;
const C_LETTER = 2; // \p{L}
const C_MARK = 3; // \p{M}
const C_DIGIT = 4; // \p{Nd}
const C_NUMBER = 5; // \p{Nl}, \p{No}
const C_JOINER = 6; // ' ’ -
const C_HIGH_SURROGATE = 7; // classify the whole code point

/** The segment kind of each class: 0 separates, 1 letters (and marks), 2 decimal digits. */
const SEGMENT_KIND = Uint8Array.of(0, 0, 1, 1, 2, 0, 0, 0);
/** 1 for the classes a word is made of: letters and numbers. */
const IN_WORD = Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 0);

const CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  CLASS[c] =
    c >= 0x30 && c <= 0x39 ? C_DIGIT : (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? C_LETTER : C_SEPARATOR;
}
CLASS[0x27] = C_JOINER; // '
CLASS[0x2d] = C_JOINER; // -
CLASS[0x2019] = C_JOINER; // ’
for (let c = 0xd800; c <= 0xdbff; c++) CLASS[c] = C_HIGH_SURROGATE;
const LETTER_CHAR_RE = /^\p{L}$/u;
const MARK_CHAR_RE = /^\p{M}$/u;
const DIGIT_CHAR_RE = /^\p{Nd}$/u;
const NUMBER_CHAR_RE = /^\p{N}$/u;
const ASTRAL_CLASS = new Map<number, number>();

function classifyChar(ch: string): number {
  if (LETTER_CHAR_RE.test(ch)) return C_LETTER;
  if (MARK_CHAR_RE.test(ch)) return C_MARK;
  if (DIGIT_CHAR_RE.test(ch)) return C_DIGIT;
  return NUMBER_CHAR_RE.test(ch) ? C_NUMBER : C_SEPARATOR;
}

/** Class of the character at `i` and its width in code units (1 or 2), packed as class * 4 + width. */
function charAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  let k = CLASS[code] ?? C_UNKNOWN;
  if (k === C_UNKNOWN) {
    k = classifyChar(text.charAt(i));
    CLASS[code] = k;
  } else if (k === C_HIGH_SURROGATE) {
    const cp = text.codePointAt(i) ?? code;
    if (cp <= 0xffff) return C_SEPARATOR * 4 + 1; // lone surrogate
    let a = ASTRAL_CLASS.get(cp);
    if (a === undefined) {
      a = classifyChar(String.fromCodePoint(cp));
      if (ASTRAL_CLASS.size < 10_000) ASTRAL_CLASS.set(cp, a);
    }
    return a * 4 + 2;
  }
  return k * 4 + 1;
}

/** Called with the offsets of each unit found; returning true stops the scan. */
// biome-ignore lint/suspicious/noConfusingVoidType: most callbacks return nothing; some return true to stop the scan
type TokenVisitor = (start: number, end: number) => boolean | void;

/**
 * Calls `fn(start, end)` for every segment of `text` starting at or after `from`: a maximal run
 * of letters/marks or of decimal digits. Stops early when `fn` returns true.
 */
export function scanSegments(text: string, from: number, fn: TokenVisitor): void {
  const n = text.length;
  let i = from;
  while (i < n) {
    const ci = charAt(text, i);
    const k = SEGMENT_KIND[ci >> 2];
    if (k === 0) {
      i += ci & 3;
      continue;
    }
    const start = i;
    i += ci & 3;
    while (i < n) {
      const cj = charAt(text, i);
      if (SEGMENT_KIND[cj >> 2] !== k) break;
      i += cj & 3;
    }
    if (fn(start, i) === true) return;
  }
}

/**
 * Calls `fn(start, end)` for every word of `text` starting at or after `from`: a run of letters
 * and numbers, continued across a hyphen or apostrophe that a letter follows. Stops early when
 * `fn` returns true.
 */
export function scanWords(text: string, from: number, fn: TokenVisitor): void {
  const n = text.length;
  let i = from;
  while (i < n) {
    const ci = charAt(text, i);
    if (IN_WORD[ci >> 2] === 0) {
      i += ci & 3;
      continue;
    }
    const start = i;
    i += ci & 3;
    for (;;) {
      while (i < n) {
        const cj = charAt(text, i);
        if (IN_WORD[cj >> 2] === 0) break;
        i += cj & 3;
      }
      // a joiner is one code unit; the word goes on when a letter follows it
      if (i + 1 < n && charAt(text, i) >> 2 === C_JOINER && charAt(text, i + 1) >> 2 === C_LETTER) {
        i += 1;
        continue;
      }
      break;
    }
    if (fn(start, i) === true) return;
  }
}
