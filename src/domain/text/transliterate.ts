/**
 * Cyrillic → Latin transliteration and Latin diacritic folding.
 *
 * ## Scheme (one scheme for Russian and Kazakh Cyrillic; output is always lowercase)
 *
 * Russian letters follow a simplified BGN/PCGN-style passport scheme without apostrophes:
 *
 * | а a | б b | в v | г g | д d | е e | ё e | ж zh | з z | и i | й i | к k | л l |
 * | м m | н n | о o | п p | р r | с s | т t | у u | ф f | х kh | ц ts | ч ch |
 * | ш sh | щ shch | ъ — | ы y | ь — | э e | ю yu | я ya |
 *
 * Kazakh-specific letters follow the transliteration used in Kazakhstan identity documents,
 * so that names come out as they are printed in passports:
 *
 * | ә a | ғ g | қ k | ң n | ө o | ұ u | ү u | һ h | і i |
 *
 * A few neighbouring letters that appear in the region's data are mapped too:
 * Ukrainian є → e, ї → i, ґ → g; Belarusian/Uzbek ў → u; Uzbek/Tajik ҳ → h; ѐ → e, ѝ → i.
 * Any other Cyrillic letter is left as is (lowercased).
 *
 * Characters that are not Cyrillic are lowercased and kept unchanged. A combining mark
 * (U+0300–U+036F) directly after a Cyrillic letter is dropped, so a decomposed `й` (и + U+0306)
 * or `ё` (е + U+0308) gives the same result as the precomposed letter.
 */

const CYR_BASE = 0x400;
const CYR_END = 0x52f;

/** Lookup table indexed by (code point − 0x400); `undefined` = not mapped (kept as is). */
const TABLE: (string | undefined)[] = new Array<string | undefined>(CYR_END - CYR_BASE + 1);

const LOWER_MAP: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Kazakh
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  // neighbours
  є: 'e',
  ї: 'i',
  ґ: 'g',
  ў: 'u',
  ҳ: 'h',
  ѐ: 'e',
  ѝ: 'i',
};

for (const [cyr, lat] of Object.entries(LOWER_MAP)) {
  TABLE[cyr.charCodeAt(0) - CYR_BASE] = lat;
  const upper = cyr.toUpperCase();
  if (upper.length === 1 && upper !== cyr) TABLE[upper.charCodeAt(0) - CYR_BASE] = lat;
}

/**
 * Transliterate Russian and Kazakh Cyrillic to lowercase Latin (scheme documented above);
 * non-Cyrillic characters are lowercased and kept.
 * Example: `Нурдилда Ораз` → `nurdilda oraz`, `СИЗО №1` → `sizo №1`.
 */
export function cyrillicToLatin(s: string): string {
  const lower = s.toLowerCase();
  let out = '';
  let runStart = 0; // start of the pending run of characters copied verbatim
  let prevCyr = false;
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c >= CYR_BASE && c <= CYR_END) {
      const m = TABLE[c - CYR_BASE];
      if (m !== undefined) {
        if (i > runStart) out += lower.slice(runStart, i);
        out += m;
        runStart = i + 1;
      }
      prevCyr = true;
    } else if (prevCyr && c >= 0x300 && c <= 0x36f) {
      // combining mark on a Cyrillic letter: drop it
      if (i > runStart) out += lower.slice(runStart, i);
      runStart = i + 1;
    } else {
      prevCyr = false;
    }
  }
  if (runStart === 0) return lower;
  if (runStart < n) out += lower.slice(runStart);
  return out;
}

/**
 * Latin letters that Unicode decomposition (NFKD) does not reduce to ASCII, or that stand for
 * a digraph in Kazakh Latin (2021), Turkish and Slavic Latin orthographies:
 * ş/š → sh, ç/č → ch, ž → zh, ı → i, ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ/ð → d, þ → th.
 * (Other diacritics — ä ö ü ū ñ ğ é … — are simply stripped by NFKD.)
 */
const SPECIAL_LATIN: Record<string, string> = {
  ş: 'sh',
  š: 'sh',
  ç: 'ch',
  č: 'ch',
  ž: 'zh',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
};
const SPECIAL_LATIN_RE = /[şšçčžıßæœøłđðþ]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, control characters included
const NON_ASCII_RE = /[^\x00-\x7f]/;
const COMBINING_RE = /\p{M}+/gu;

function specialLatin(ch: string): string {
  return SPECIAL_LATIN[ch] ?? ch;
}

/**
 * Lowercase and fold Latin letters with diacritics to ASCII (`Şymkent` → `shymkent`,
 * `Ömirzaq` → `omirzaq`, `Café` → `cafe`). Characters of other scripts are kept (lowercased),
 * combining marks are removed. ASCII input is only lowercased.
 */
export function foldLatin(s: string): string {
  const lower = s.toLowerCase();
  if (!NON_ASCII_RE.test(lower)) return lower;
  // lowercase again: compatibility decomposition can yield capitals (𝐀 → A)
  return lower.replace(SPECIAL_LATIN_RE, specialLatin).normalize('NFKD').replace(COMBINING_RE, '').toLowerCase();
}

/** Transliterate Cyrillic (see scheme) and fold Latin diacritics: the common Latin form of any text. */
export function toLatin(s: string): string {
  return foldLatin(cyrillicToLatin(s));
}
