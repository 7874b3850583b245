/**
 * Canonical key of a person's name for exact matching across scripts and spellings
 * (the input of the keyed hash of the blind index).
 *
 * ## Pipeline
 *
 * 0. Invisible characters (Unicode's default-ignorable code points: zero-width space U+200B,
 *    non-joiner U+200C, joiner U+200D, soft hyphen U+00AD, word joiner U+2060, BOM U+FEFF,
 *    variation selectors) are removed, so a name pasted from a web page or a messenger with them
 *    gives the same key as the name typed by hand.
 * 1. Cyrillic → Latin with {@link cyrillicToLatin} (Russian + Kazakh scheme), lowercase.
 * 2. Latin diacritics folded with {@link foldLatin} (NFKD, `ş`→`sh`, `ı`→`i`, …).
 * 3. Apostrophes (`' ’ ʼ ʻ ` ´`) removed (`O'Brien` = `OBrien`); every other character that is
 *    not a letter or digit separates tokens (space, `.`, `,`, `-`, …). Letters of other scripts
 *    (Arabic, Georgian, …) are kept as they are, so such names never collapse to an empty key.
 * 4. Spelling folds on the Latin text, in this order (C = consonant, V = vowel a e i o u y):
 *    1. consonant spellings: `shch`/`shh`/`sch` → `sh` (Щербаков = Shcherbakov = Scherbakov;
 *       this also merges щ with ш), `tch` → `ch`, `ph` → `f`, `ck` → `k`, `kh` → `h`
 *       (Ахметов = Akhmetov = Ahmetov), `gh` → `g`, `x` → `ks` (Alexey = Aleksey), `w` → `v`
 *       (German-style Iwanow), `q` → `k` (Kazakh Latin Qasym = Kasym),
 *       `c` not before `e i y h` → `k` (Victor = Viktor, Nicolai = Nikolai);
 *    2. й written y/j: V + `y`|`j` before a consonant → V + `i` (Aygerim = Aigerim, Gajdar = Gaidar);
 *    3. endings: a final run of `i`/`y`/`j` → `i` (Юрий: yurii = Yuriy = Yury = Yuri = Jurij-ending;
 *       Дмитрий = Dmitriy = Dmitry; Алексей: aleksei = Alexey = Aleksej; Белый: belyi = Belyy = Bely);
 *    4. ж/дж: `dzh`/`zh`/`dj` → `j` (Жанна = Zhanna = Janna, Джамбул = Dzhambul = Djambul = Jambul).
 *       Consequently a `j` is read as ж everywhere except in the folds 2–3 that run before it;
 *    5. е/ё: `ye` → `e` (Yerlan = Erlan, Aliyev = Aliev), C + `yo` → C + `e` (Fyodor = Fedor);
 *    6. я/ю: any `i…i`/`iy` before `a` or `u` → `y` (Maria = Mariya = Mariia = Мария → `marya`,
 *       Iulia = Yulia = Yuliya = Юлия → `yulya`, Iakov = Yakov). Note this also merges Мария with
 *       Марья and Алия with Аля, which romanize identically in practice;
 *    7. C + `yu` → C + `u` (Lyudmila = Liudmila = Ludmila, Dyusenbaev = Dusenbaev);
 *    8. doubled letters collapsed (Kassym = Kasym, Zhanna = Zhana, Anna = Ana).
 * 5. Tokens are sorted (order-insensitive: `Oraz Nurdilda` = `Nurdilda Oraz`) and joined by one space.
 *
 * ## Deliberately NOT folded (these stay different)
 *
 * - voicing: `z`/`s` (Ораз ≠ Орас), `d`/`t`, `b`/`p`, `g`/`k`, `v`/`f`;
 * - vowels: `a`/`e`/`o`, `i`/`y` inside a word (Ким ≠ Кым), `u`/`o`;
 * - `ts`/`c`/`tz` (Polish-style `c` for ц is read as `k` by the `c` fold);
 * - `ng` vs `n` for ң, `gh` only as a digraph;
 * - token counts: a patronymic or second surname makes a different key, so does an initial
 *   (`Ivanov I.` ≠ `Ivanov`); gender endings (Ivanov ≠ Ivanova); joined vs split names
 *   (`Abdulrahman` ≠ `Abdul Rahman`; a hyphen separates tokens, so `Мухаммед-Али` = `Muhammed Ali`).
 *
 * Returns `''` for a name without letters or digits.
 */
import { cyrillicToLatin, foldLatin } from './transliterate.ts';

const INVISIBLE_RE = /\p{Default_Ignorable_Code_Point}/gu;
const APOSTROPHES_RE = /['’ʼʻ`´]/g;
const SEPARATORS_RE = /[^\p{L}\p{N}]+/gu;

const CONSONANT_DIGRAPHS_RE = /shch|shh|sch|tch|ph|ck|kh|gh|x|w|q|c(?![eiyh])/g;
const CONSONANT_DIGRAPHS: Record<string, string> = {
  shch: 'sh',
  shh: 'sh',
  sch: 'sh',
  tch: 'ch',
  ph: 'f',
  ck: 'k',
  kh: 'h',
  gh: 'g',
  x: 'ks',
  w: 'v',
  q: 'k',
  c: 'k',
};
function consonantFold(m: string): string {
  return CONSONANT_DIGRAPHS[m] ?? m;
}

const VOWEL_YJ_BEFORE_CONSONANT_RE = /([aeiouy])[yj](?=[bcdfghjklmnpqrstvwxz])/g;
const FINAL_IYJ_RE = /\B[iyj]+\b/g;
const ZH_RE = /dzh|zh|dj/g;
const YE_RE = /ye/g;
const CONSONANT_YO_RE = /([bcdfghjklmnpqrstvwxz])yo/g;
const IOTATED_RE = /i+y?(?=[au])/g;
const CONSONANT_YU_RE = /([bcdfghjklmnpqrstvwxz])yu/g;
const DOUBLE_RE = /([a-z])\1+/g;

/** Apply the Latin spelling folds (step 4) to a space-separated lowercase string. */
function foldSpelling(s: string): string {
  return s
    .replace(CONSONANT_DIGRAPHS_RE, consonantFold)
    .replace(VOWEL_YJ_BEFORE_CONSONANT_RE, '$1i')
    .replace(FINAL_IYJ_RE, 'i')
    .replace(ZH_RE, 'j')
    .replace(YE_RE, 'e')
    .replace(CONSONANT_YO_RE, '$1e')
    .replace(IOTATED_RE, 'y')
    .replace(CONSONANT_YU_RE, '$1u')
    .replace(DOUBLE_RE, '$1');
}

/**
 * Canonical string for exact matching of a person's name across Cyrillic/Latin scripts,
 * letter case, word order, punctuation and common romanization variants (see module doc).
 */
export function normalizeNameKey(name: string): string {
  const latin = foldLatin(cyrillicToLatin(name.replace(INVISIBLE_RE, ''))).replace(APOSTROPHES_RE, '');
  const spaced = latin.replace(SEPARATORS_RE, ' ').trim();
  if (spaced === '') return '';
  const tokens = foldSpelling(spaced).split(' ');
  if (tokens.length > 1) tokens.sort();
  return tokens.join(' ');
}
