/**
 * Counts: a number (digits or words, English or Russian) and the phrase after it that says what
 * it counts ("27 reports of torture", "шестеро задержанных", "от 5 до 10 человек"). Numbers that
 * are dates, years, ages, durations, sums, percentages, article or facility numbers are not counts.
 */
import { findNumbers, numberWord } from './numbers.ts';
import { clean, contentKeys } from './text.ts';
import type { ExtractedCount, Span } from './types.ts';

const EN_STOP = new Set(
  (
    'in on at to for from by with within who which that whose had have has were was are is been be being will would could should may might ' +
    'and or but as than then while when where after before during since under over into about against because if said says say told noted ' +
    'according reported stated including among per each this these those it they he she we i you his her their its our them whom whose'
  ).split(' '),
);
const RU_STOP = new Set(
  (
    'в во на с со к ко по за для при без над под у от до из и или а но что как это который которая которые которых где когда так же ' +
    'уже еще ещё также не ни раз разу был была было были будет будут есть он она они мы его ее её их этом этого этой эти'
  ).split(' '),
);
const DURATION_RE =
  /^[\s-]*(?:of\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|лет|год\p{L}*|месяц\p{L}*|недел\p{L}*|дн\p{L}*|день|суток|сутки|час\p{L}*|минут\p{L}*|секунд\p{L}*)(?![\p{L}])/iu;
const NOT_COUNT_AFTER_RE =
  /^(?:\s*(?:%|percent|per cent|процент\p{L}*|тенге|tenge|тг|долл\p{L}*|dollars?|\$|руб\p{L}*|млн|млрд|million|billion|евро|euros?|km|км|кг|kg|м\b|meters?|метр\p{L}*|[:.]\d|-?(?:year-old|years-old|летн\p{L}*|этажн\p{L}*|story|storey|stories|th\b|st\b|nd\b|rd\b|й\b|го\b|м\b)))/iu;
const NOT_COUNT_BEFORE_RE =
  /(?:(?<![\p{L}])(?:№|No\.?|number|Number|номер\p{L}*|article|Article|статьи|статья|ст\.|ч\.|part|Part|пункт\p{L}*|п\.|aged|age of|возраст\p{L}*|at|в|около))\s*$|[/\-:.]$/u;
const FLOORS_AHEAD_RE = /^\s*(?:and|or|и|или|-|–)\s*(?:\d+|\p{L}+)-(?:story|storey|этажн)/iu;

/** Counts of `text`; `exclude` are spans of dates, legal references and facility codes. */
export function extractCounts(text: string, exclude: Span[] = []): ExtractedCount[] {
  const nums = findNumbers(text);
  const out: ExtractedCount[] = [];
  let previousWhat: { what: string; sentenceEnd: number } | null = null;
  for (let i = 0; i < nums.length; i++) {
    const n = nums[i];
    if (n === undefined) break;
    if (exclude.some((s) => n.start < s.end && n.end > s.start)) continue;
    const before = text.slice(Math.max(0, n.start - 12), n.start);
    let after = text.slice(n.end, n.end + 200);
    if (NOT_COUNT_AFTER_RE.test(after) || DURATION_RE.test(after) || FLOORS_AHEAD_RE.test(after)) continue;
    if (!n.words && NOT_COUNT_BEFORE_RE.test(before) && !/(?:около|в)\s*$/u.test(before)) continue;
    if (!n.words && n.value >= 1900 && n.value <= 2100 && Number.isInteger(n.value)) continue;
    if (
      n.words &&
      n.value === 1 &&
      /^\s*(?:of|to|another|or|and|by|day|time|side|hand|way|thing|told|said)\b/i.test(after)
    )
      continue;
    if (n.words && n.value === 0) continue;
    // ranges: "from 5 to 10", "5–10", "от 5 до 10", "five or six"
    let valueMax: number | undefined;
    let end = n.end;
    const next = nums[i + 1];
    if (next) {
      const gap = text.slice(n.end, next.start);
      if (
        /^\s*(?:-|–|—|to|до|or|или)\s*$/u.test(gap) &&
        next.value > n.value &&
        (/^\s*(?:-|–)\s*$/.test(gap) || /(?:from|от|between)\s*$/iu.test(before) || /or|или/u.test(gap))
      ) {
        valueMax = next.value;
        end = next.end;
        after = text.slice(end, end + 200);
        i++;
        if (DURATION_RE.test(after)) continue;
      }
    }
    // "three of six dismissed police officers": the thing counted follows the second number
    const ofNumber = /^\s+(?:of|из)\s+(?=\S)/u.exec(after);
    if (ofNumber && next && next.start === end + ofNumber[0].length) {
      after = text.slice(next.end, next.end + 200);
    }
    let what = whatAfter(after);
    // "one" / "одно" is mostly an article ("одно спорное нововведение"): a count only after "ещё", "only", "another" … or of people and cases
    if (
      n.words &&
      n.value === 1 &&
      what &&
      !/(?:ещё|еще|лишь|только|всего|хотя бы|another|only|just|at least|one more)\s*$/iu.test(before) &&
      !COUNTED_NOUN_RE.test(what)
    )
      continue;
    // "по 18 из них начаты досудебные расследования": the thing counted follows the verb
    const ofThem = /^\s+(?:из них|of them|of which|из которых)\s+[\p{L}-]+\s+/u.exec(after);
    if (!what && ofThem) what = whatAfter(` ${after.slice(ofThem[0].length)}`);
    const sentenceEnd = text.indexOf('.', end);
    if (!what && /^\s*[—–-]\s/.test(after) && previousWhat && end < previousWhat.sentenceEnd) what = previousWhat.what;
    if (!what) continue;
    previousWhat = { what, sentenceEnd: sentenceEnd < 0 ? text.length : sentenceEnd };
    const conf = n.words ? 0.7 : 0.8;
    out.push({
      value: n.value,
      ...(valueMax !== undefined ? { value_max: valueMax } : {}),
      what,
      text: text.slice(n.start, end),
      span: { start: n.start, end },
      confidence: conf,
    });
  }
  // one count per value and thing counted: a repeated figure is the same fact (a large number is distinctive on its own)
  const kept: ExtractedCount[] = [];
  for (const c of out) {
    const dup = kept.some(
      (k) => k.value === c.value && k.value_max === c.value_max && (c.value >= 10 || sameThing(k.what, c.what)),
    );
    if (!dup) kept.push(c);
  }
  return kept;
}

/** Two descriptions of counted things share most of their content words (the smaller one's). */
function sameThing(a: string, b: string): boolean {
  const ka = new Set(contentKeys(a));
  const kb = new Set(contentKeys(b));
  if (ka.size === 0 || kb.size === 0) return false;
  let shared = 0;
  for (const k of ka) if (kb.has(k)) shared++;
  return shared / Math.min(ka.size, kb.size) >= 0.5;
}

const COUNTED_NOUN_RE =
  /\b(?:person|people|man|woman|detainee|prisoner|inmate|officer|victim|case|complaint|death|report|investigation|suspect|defendant)s?\b|(?<![\p{L}])(?:человек|задержанн|заключ[её]нн|осужд[её]нн|сотрудник|полицейск|потерпевш|пострадавш|случа|дел[оа]?(?![\p{L}])|жалоб|заявлени|смерт|расследован|подозреваем|обвиняем)/iu;

/** The noun phrase after a number: up to six words, one "of …"/"о …" complement, stopping at verbs and punctuation. */
function whatAfter(after: string): string {
  const parts: string[] = [];
  let rest = after;
  let complement = false;
  for (let k = 0; k < 8; k++) {
    const m = /^(\s+|\s*["«“]?)([\p{L}][\p{L}\d'’-]*)/u.exec(rest);
    if (!m) break;
    const [, lead = '', w = ''] = m;
    if (k > 0 && /[,;:.!?()\n—–]/.test(lead)) break;
    const lw = w.toLowerCase();
    if (lw === 'of' || lw === 'о' || lw === 'об') {
      if (complement || (parts.length === 0 && lw !== 'of')) break;
      complement = true;
      parts.push(w);
      rest = rest.slice(m[0].length);
      continue;
    }
    if (EN_STOP.has(lw) || RU_STOP.has(lw) || /\d/.test(w)) break;
    // a number inside the phrase only as part of a compound ("four and five-story buildings")
    if (numberWord(lw)) {
      const compound = /^\s+(?:and|or|и|или)\s+\p{L}+-(?:story|storey|этажн\p{L}*)/u.exec(rest.slice(m[0].length));
      if (!compound) break;
      parts.push(w + compound[0]);
      rest = rest.slice(m[0].length + compound[0].length);
      continue;
    }
    // a capitalised word right after the number is a name ("1 Службы"), not a counted thing
    if (k === 0 && /^\p{Lu}\p{Ll}/u.test(w)) break;
    if (
      /[\u0400-\u04ff]/.test(w) &&
      k > 0 &&
      /(?:ла|ли|ло|ется|ются|лся|лась|лись|ено|ена|ены|ано|аны|ют|ет|ит|ат|ят|ть|ться|тся|то)$/u.test(lw) &&
      parts.length > 0
    )
      break;
    if (
      /^[A-Za-z]/.test(w) &&
      k > 0 &&
      parts.length > 0 &&
      /(?:ed)$/.test(lw) &&
      !/^(?:detained|arrested|convicted|injured|wounded|accused|dismissed|tortured|killed|suspected)$/.test(lw) &&
      complement
    )
      break;
    parts.push(w);
    rest = rest.slice(m[0].length);
    if (parts.length >= 6) break;
  }
  for (
    let last = parts.at(-1);
    last !== undefined && /^(?:of|о|об|more|further|additional|other|ещё|еще|more)$/i.test(last);
    last = parts.at(-1)
  )
    parts.pop();
  if (parts.length === 1 && /^(?:of|из)$/i.test(parts[0] ?? '')) return '';
  return clean(parts.join(' '));
}
