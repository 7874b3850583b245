/**
 * Dates, absolute and relative: "27 January 2022", "January 27, 2022", "27.01.2022", "in 2022",
 * "at the end of January", "в конце января", "23 февраля 2022 года", with their precision.
 * `iso` is set only when the text states the year.
 */
import type { ExtractedDate } from './types.ts';

const EN_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const EN_MONTH_RE = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)`;
// Russian month stems: genitive "января", prepositional "январе", nominative "январь".
const RU_MONTH_STEMS = [
  'январ',
  'феврал',
  'март',
  'апрел',
  'ма',
  'июн',
  'июл',
  'август',
  'сентябр',
  'октябр',
  'ноябр',
  'декабр',
];
const RU_MONTH_RE = String.raw`(?:январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])(?![\p{L}])`;

/** Month number (1–12) of an English or Russian month word, or null. */
export function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  const en = EN_MONTHS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w) && w !== 'ma'));
  if (en >= 0) return en + 1;
  if (/^ма[йяе]$/.test(w)) return 5;
  const ru = RU_MONTH_STEMS.findIndex((s, i) => i !== 4 && w.startsWith(s));
  return ru >= 0 ? ru + 1 : null;
}

const PART_EN: Record<string, 'start' | 'middle' | 'end'> = {
  beginning: 'start',
  start: 'start',
  early: 'start',
  end: 'end',
  late: 'end',
  middle: 'middle',
  mid: 'middle',
};
function partOf(word: string): 'start' | 'middle' | 'end' | undefined {
  const w = word.toLowerCase();
  if (w in PART_EN) return PART_EN[w];
  if (/^начал/.test(w)) return 'start';
  if (/^конц|^конец/.test(w)) return 'end';
  if (/^середин/.test(w)) return 'middle';
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const YEAR = String.raw`((?:19|20)\d\d)`;

interface Rule {
  re: RegExp;
  build(m: RegExpExecArray): Omit<ExtractedDate, 'span' | 'confidence' | 'text'> | null;
}

const RULES: Rule[] = [
  // 2022-01-27
  {
    re: new RegExp(String.raw`\b${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`, 'g'),
    build: (m) => ({ iso: `${m[1]}-${m[2]}-${m[3]}`, precision: 'day' }),
  },
  // 27.01.2022
  {
    re: new RegExp(String.raw`\b(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.${YEAR}\b`, 'g'),
    build: (m) => ({ iso: `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`, precision: 'day' }),
  },
  // at the end of January (2022), early February, mid-March, in late October
  {
    re: new RegExp(
      String.raw`\b(?:(?:at|in|by|until|since)\s+)?(?:the\s+)?(beginning|start|end|middle)\s+of\s+${EN_MONTH_RE}(?:,?\s+${YEAR})?|\b(early|late|mid)[\s-]+${EN_MONTH_RE}(?:,?\s+${YEAR})?`,
      'g',
    ),
    build: (m) => {
      const txt = m[0];
      const month = monthOf(
        /(January|February|March|April|May|June|July|August|September|October|November|December|\w+\.)(?=(?:,?\s+\d{4})?$)/.exec(
          txt,
        )?.[1] ?? '',
      );
      const year = m[2] ?? m[4];
      if (!month) return null;
      return {
        iso: year ? `${year}-${pad(month)}` : null,
        precision: 'part_of_month',
        part: partOf(m[1] ?? m[3] ?? ''),
        ...(year ? {} : { month }),
      };
    },
  },
  // в конце января (2022 года), в начале февраля, в середине марта
  {
    re: new RegExp(
      String.raw`(?:в\s+|с\s+|к\s+|до\s+)?(начал[ео]|конц[еау]|середин[еуы])\s+(${RU_MONTH_RE})(?:\s+${YEAR}(?:\s*(?:года|г\.))?)?`,
      'giu',
    ),
    build: (m) => {
      const month = monthOf(m[2] ?? '');
      if (!month) return null;
      return {
        iso: m[3] ? `${m[3]}-${pad(month)}` : null,
        precision: 'part_of_month',
        part: partOf(m[1] ?? ''),
        ...(m[3] ? {} : { month }),
      };
    },
  },
  // January 27, 2022 / January 27 / 27 January 2022 / 27th of January
  {
    re: new RegExp(
      String.raw`\b(${EN_MONTH_RE})\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+${YEAR})?|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${EN_MONTH_RE})(?:,?\s+${YEAR})?`,
      'g',
    ),
    build: (m) => {
      const month = monthOf(m[1] ?? m[5] ?? '');
      const day = Number(m[2] ?? m[4]);
      const year = m[3] ?? m[6];
      if (!month || day < 1 || day > 31) return null;
      return { iso: year ? `${year}-${pad(month)}-${pad(day)}` : null, precision: 'day', ...(year ? {} : { month }) };
    },
  },
  // 23 февраля 2022 года / 3 августа
  {
    re: new RegExp(
      String.raw`(?<![\d\p{L}])(\d{1,2})\s+(${RU_MONTH_RE})(?:\s+${YEAR}(?:\s*(?:года|году|г\.))?)?`,
      'giu',
    ),
    build: (m) => {
      const month = monthOf(m[2] ?? '');
      const day = Number(m[1]);
      if (!month || day < 1 || day > 31) return null;
      return { iso: m[3] ? `${m[3]}-${pad(month)}-${pad(day)}` : null, precision: 'day', ...(m[3] ? {} : { month }) };
    },
  },
  // January 2022 / in January / since October
  {
    re: new RegExp(
      String.raw`\b(?:(in|on|since|until|by|from|to|during|of|through|last|this|next|early|late)\s+)?(${EN_MONTH_RE.replace(/\|Jan\\\..*\)/, ')')})(?:,?\s+${YEAR}|\s+(?:last|this|next)\s+year)?\b`,
      'g',
    ),
    build: (m) => {
      const month = monthOf(m[2] ?? '');
      // A bare month name not after a preposition is a name of an event ("the January riots").
      if (!month || (!m[1] && !m[3])) return null;
      return { iso: m[3] ? `${m[3]}-${pad(month)}` : null, precision: 'month', ...(m[3] ? {} : { month }) };
    },
  },
  // в январе 2022 года / в январе / с октября
  {
    re: new RegExp(
      String.raw`(?:(?<![\p{L}])(в|во|с|до|к|по|за)\s+)?(?<![\p{L}])(${RU_MONTH_RE})(?:\s+${YEAR}(?:\s*(?:года|году|г\.))?|\s+(?:прошлого|этого|текущего)\s+года)?`,
      'giu',
    ),
    build: (m) => {
      const month = monthOf(m[2] ?? '');
      if (!month || (!m[1] && !m[3])) return null;
      if (month === 5 && !m[3] && m[2]?.toLowerCase() !== 'мае' && m[2]?.toLowerCase() !== 'мая') return null;
      return { iso: m[3] ? `${m[3]}-${pad(month)}` : null, precision: 'month', ...(m[3] ? {} : { month }) };
    },
  },
  // in 2022 / в 2022 году / 2021 year
  {
    re: new RegExp(
      String.raw`\b(?:in|since|until|by|of|from|during)\s+${YEAR}\b|(?<![\p{L}\d])(?:в|с|до|за|по)\s+${YEAR}(?:\s*(?:году|года|г\.))?|(?<![\d\p{L}])${YEAR}\s*(?:году|года|год|г\.)`,
      'gu',
    ),
    build: (m) => ({ iso: m[1] ?? m[2] ?? m[3] ?? '', precision: 'year' }),
  },
  // on Monday, в среду
  {
    re: /\b(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|(?<![\p{L}])(?:в|во|в прошлый|в прошлую|в минувший|в минувшую)\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?![\p{L}])/giu,
    build: () => ({ iso: null, precision: 'day' }),
  },
  // three days ago, два года назад, несколько дней назад
  {
    re: /\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+(days?|weeks?|months?|years?)\s+ago\b|(?<![\p{L}])(?:\d+|\p{L}+)\s+(дн\p{L}*|день|недел\p{L}*|месяц\p{L}*|год\p{L}*|лет)\s+назад(?![\p{L}])/giu,
    build: (m) => {
      const u = (m[1] ?? m[2] ?? '').toLowerCase();
      return {
        iso: null,
        precision: /^(?:year|год|лет)/.test(u) ? 'year' : /^(?:month|месяц)/.test(u) ? 'month' : 'unknown',
      };
    },
  },
  // last month, last year, в прошлом году, на прошлой неделе (deictic words such as "today" or "на днях" are not dates)
  {
    re: /\b(?:last|this|next|previous)\s+(month|week|year)\b|(?<![\p{L}])(?:в\s+(?:прошлом|этом|текущем)\s+(месяце|году)|(?:на\s+)?прошл(?:ой|ую)\s+(недел)\p{L}*|прошлого\s+(года))(?![\p{L}])/giu,
    build: (m) => {
      const unit = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase();
      return {
        iso: null,
        precision: /^(?:year|год)/.test(unit) ? 'year' : /^(?:month|месяц)/.test(unit) ? 'month' : 'unknown',
      };
    },
  },
];

/** Dates of `text`, left to right; a longer match wins over one it contains. */
export function extractDates(text: string): ExtractedDate[] {
  const found: ExtractedDate[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const d = rule.build(m as unknown as RegExpExecArray);
      if (!d) continue;
      const raw = m[0];
      const lead =
        /^(?:(?:at|in|on|by|until|since|from|to|during|of|through|в|во|с|к|до|по|за)\s+)?(?:the\s+)?/iu.exec(
          raw,
        )?.[0] ?? '';
      // keep "last"/"early"/"late" but drop the preposition
      const start = m.index + lead.length;
      const end = m.index + raw.trimEnd().length;
      if (end <= start) continue;
      if (found.some((f) => f.span.start <= start && f.span.end >= end)) continue;
      for (let i = found.length - 1; i >= 0; i--) {
        const f = found[i];
        if (f && start <= f.span.start && end >= f.span.end) found.splice(i, 1);
      }
      found.push({ text: text.slice(start, end), ...d, span: { start, end }, confidence: d.iso ? 0.9 : 0.75 });
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}
