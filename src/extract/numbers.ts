/**
 * Numbers written in digits or words, English and Russian (all cases and genders):
 * `27`, `1,200`, `1 200`, `seven`, `twenty-seven`, `двадцать семь`, `двадцати семи`, `трёхсот`.
 */

const EN_UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  dozen: 12,
};
const EN_TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const EN_SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };

// Russian: each value with the stem its case forms share, checked in this order (longest first).
const RU_FORMS: [RegExp, number, 'unit' | 'ten' | 'hundred' | 'scale'][] = [
  [/^одиннадцат(ь|и|ью)$/, 11, 'unit'],
  [/^двенадцат(ь|и|ью)$/, 12, 'unit'],
  [/^тринадцат(ь|и|ью)$/, 13, 'unit'],
  [/^четырнадцат(ь|и|ью)$/, 14, 'unit'],
  [/^пятнадцат(ь|и|ью)$/, 15, 'unit'],
  [/^шестнадцат(ь|и|ью)$/, 16, 'unit'],
  [/^семнадцат(ь|и|ью)$/, 17, 'unit'],
  [/^восемнадцат(ь|и|ью)$/, 18, 'unit'],
  [/^девятнадцат(ь|и|ью)$/, 19, 'unit'],
  [/^двадцат(ь|и|ью)$/, 20, 'ten'],
  [/^тридцат(ь|и|ью)$/, 30, 'ten'],
  [/^сорок(а)?$/, 40, 'ten'],
  [/^пят(ь)?десят(и|ью)?$|^пятидесят(и|ью)?$/, 50, 'ten'],
  [/^шест(ь)?десят(и|ью)?$|^шестидесят(и|ью)?$/, 60, 'ten'],
  [/^сем(ь)?десят(и|ью)?$|^семидесят(и|ью)?$/, 70, 'ten'],
  [/^восем(ь)?десят(и|ью)?$|^восьмидесят(и|ью)?$/, 80, 'ten'],
  [/^девяност(о|а)$/, 90, 'ten'],
  [/^ст(о|а)$/, 100, 'hundred'],
  [/^двест(и)$|^двухсот$|^двумстам$|^двумястами$|^двухстах$/, 200, 'hundred'],
  [/^трист(а)$|^тр[её]хсот$|^тр[её]мстам$|^тремястами$|^тр[её]хстах$/, 300, 'hundred'],
  [/^четырест(а)$|^четыр[её]хсот$|^четыр[её]мстам$|^четырьмястами$|^четыр[её]хстах$/, 400, 'hundred'],
  [/^пят(ь|и)сот$|^пятистам$|^пятьюстами$|^пятистах$/, 500, 'hundred'],
  [/^шест(ь|и)сот$|^шестистам$|^шестьюстами$|^шестистах$/, 600, 'hundred'],
  [/^сем(ь|и)сот$|^семистам$|^семьюстами$|^семистах$/, 700, 'hundred'],
  [/^восем(ь)?сот$|^восьмисот$|^восьмистам$|^восемьюстами$|^восьмистах$/, 800, 'hundred'],
  [/^девят(ь|и)сот$|^девятистам$|^девятьюстами$|^девятистах$/, 900, 'hundred'],
  [/^тысяч(а|и|у|ей|ью|ам|ами|ах)?$/, 1000, 'scale'],
  [/^миллион(а|у|ом|е|ов|ам|ами|ах)?$/, 1e6, 'scale'],
  [/^(один|одна|одно|одного|одной|одному|одним|одном|одну|одною)$/, 1, 'unit'],
  [/^(два|две|двух|двум|двумя)$/, 2, 'unit'],
  [/^(три|тр[её]х|тр[её]м|тремя)$/, 3, 'unit'],
  [/^(четыре|четыр[её]х|четыр[её]м|четырьмя)$/, 4, 'unit'],
  [/^(пять|пяти|пятью)$/, 5, 'unit'],
  [/^(шесть|шести|шестью)$/, 6, 'unit'],
  [/^(семь|семи|семью)$/, 7, 'unit'],
  [/^(восемь|восьми|восемью|восьмью)$/, 8, 'unit'],
  [/^(девять|девяти|девятью)$/, 9, 'unit'],
  [/^(десять|десяти|десятью)$/, 10, 'unit'],
  [/^(ноль|нуля)$/, 0, 'unit'],
  // collective numerals: "шестеро задержанных", "троих"
  [/^(двое|двоих|двоим|двоими)$/, 2, 'unit'],
  [/^(трое|троих|троим|троими)$/, 3, 'unit'],
  [/^(четверо|четверых|четверым|четверыми)$/, 4, 'unit'],
  [/^(пятеро|пятерых|пятерым|пятерыми)$/, 5, 'unit'],
  [/^(шестеро|шестерых|шестерым|шестерыми)$/, 6, 'unit'],
  [/^(семеро|семерых|семерым|семерыми)$/, 7, 'unit'],
  [/^(восьмеро|восьмерых)$/, 8, 'unit'],
  [/^(девятеро|девятерых)$/, 9, 'unit'],
  [/^(десятеро|десятерых)$/, 10, 'unit'],
];

type Part = { value: number; type: 'unit' | 'ten' | 'hundred' | 'scale' };

const wordCache = new Map<string, Part | null>();
const NUMBER_START_RE = /^(?:[otfsenhzdbmaw]|од|дв|тр|че|пя|ше|се|во|де|со|ст|ты|ми|но|ну)/;

/** The value and type of one number word, or null. */
export function numberWord(word: string): Part | null {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  if (!NUMBER_START_RE.test(w)) return null;
  const cached = wordCache.get(w);
  if (cached !== undefined) return cached;
  const part = parseNumberWord(w);
  if (wordCache.size > 20_000) wordCache.clear();
  wordCache.set(w, part);
  return part;
}

function parseNumberWord(w: string): Part | null {
  const unit = EN_UNITS[w];
  if (unit !== undefined) return { value: unit, type: 'unit' };
  const ten = EN_TENS[w];
  if (ten !== undefined) return { value: ten, type: 'ten' };
  if (w === 'hundred') return { value: 100, type: 'hundred' };
  const scale = EN_SCALES[w];
  if (scale !== undefined) return { value: scale, type: 'scale' };
  if (w === 'hundreds' || w === 'thousands' || w === 'dozens') return null;
  for (const [re, value, type] of RU_FORMS) if (re.test(w)) return { value, type };
  return null;
}

/** Combines a sequence of number words ("twenty seven", "две тысячи триста") into a value. */
function combineNumberWords(parts: Part[]): number | null {
  if (parts.length === 0) return null;
  let total = 0;
  let current = 0;
  for (const p of parts) {
    if (p.type === 'scale') {
      total += (current || 1) * p.value;
      current = 0;
    } else if (p.type === 'hundred') {
      // English "two hundred": multiply; Russian "двести": add.
      current = p.value === 100 && current > 0 && current < 10 ? current * 100 : current + p.value;
    } else current += p.value;
  }
  return total + current;
}

/** A number found in text: its value, offsets and whether it was written in words. */
export interface NumberMatch {
  value: number;
  start: number;
  end: number;
  words: boolean;
}

const DIGITS_RE =
  /(?<![\p{L}\p{N}\-/.,])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?:[.,](\d+))?(?![\p{L}\p{N}]|\/\d|-\d)/gu;
const WORD_TOKEN_RE = /[\p{L}]+/gu;

/**
 * All numbers of `text` with offsets: digit groups (a space, NBSP or comma as thousands
 * separator) and runs of number words joined by spaces, hyphens or "and".
 */
export function findNumbers(text: string): NumberMatch[] {
  const out: NumberMatch[] = [];
  for (const m of text.matchAll(DIGITS_RE)) {
    const intPart = (m[1] ?? '').replace(/[ \u00a0\u202f,]/g, '');
    // "1,5" in Russian or "3.5": a decimal; a comma followed by exactly 3 digits was taken as thousands above.
    const value = m[2] !== undefined ? Number(`${intPart}.${m[2]}`) : Number(intPart);
    if (Number.isFinite(value)) out.push({ value, start: m.index, end: m.index + m[0].length, words: false });
  }
  let run: { parts: Part[]; start: number; end: number } | null = null;
  const flush = () => {
    if (run) {
      const value = combineNumberWords(run.parts);
      if (value !== null) out.push({ value, start: run.start, end: run.end, words: true });
    }
    run = null;
  };
  for (const m of text.matchAll(WORD_TOKEN_RE)) {
    const part = numberWord(m[0]);
    const start = m.index;
    const end = start + m[0].length;
    if (part) {
      if (run && canJoin(text.slice(run.end, start), run.parts, part)) {
        run.parts.push(part);
        run.end = end;
      } else {
        flush();
        run = { parts: [part], start, end };
      }
    } else if (run && m[0] === 'and' && /^\s+$/.test(text.slice(run.end, start))) {
      // "one hundred and five": keep the run open across "and" (checked by the next word).
    } else flush();
  }
  flush();
  return out.sort((a, b) => a.start - b.start);
}

function canJoin(gap: string, parts: Part[], next: Part): boolean {
  if (!/^(?:[\s-]+|\s+and\s+)$/.test(gap)) return false;
  const last = parts.at(-1);
  if (!last) return false;
  if (next.type === 'scale') return last.type !== 'scale';
  if (next.type === 'hundred')
    return next.value === 100 ? last.type === 'unit' && last.value < 10 : last.type === 'scale';
  if (next.type === 'ten') return last.type === 'hundred' || last.type === 'scale';
  // a unit after a ten/hundred/scale ("twenty seven", "сто пять"), not after another unit ("one two")
  return last.type !== 'unit' && !(last.type === 'ten' && next.value >= 10);
}
