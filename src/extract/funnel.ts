/**
 * Accountability figures: counts whose words (or the clause around them) name a stage of the
 * funnel — reports → investigations → inquiries → charges → convictions, and victims — with the
 * speaker and date of the statement they stand in.
 */
import type { ExtractedCount, ExtractedReportedFigure, ExtractedStatement, FunnelStage } from './types.ts';

// Checked in this order: "official investigations" are inquiries before they are investigations.
const STAGES: [FunnelStage, RegExp][] = [
  [
    'inquiries',
    /\b(?:official|internal|service|disciplinary)\s+(?:investigations?|inquir\w*|checks?)|\binquir\w*|(?<![\p{L}])(?:служебн\p{L}*\s+(?:расследован|проверк)\p{L}*|проверк\p{L}*|доследствен\p{L}*)/iu,
  ],
  [
    'investigations',
    /\b(?:pre-trial investigations?|pretrial investigations?|criminal (?:cases?|investigations?|proceedings)|investigations?|cases? (?:of|into|on) torture)\b|(?<![\p{L}])(?:досудебн\p{L}*\s+расследован\p{L}*|уголовн\p{L}*\s+дел\p{L}*|расследован\p{L}*|дел\p{L}{0,3}\s+о\s+пытк\p{L}*)/iu,
  ],
  [
    'reports',
    /\b(?:reports?|complaints?|appeals?|allegations?|applications?|claims?|statements?)\b|(?<![\p{L}])(?:жалоб\p{L}*|заявлени\p{L}*|сообщени\p{L}*|обращени\p{L}*)/iu,
  ],
  [
    'convictions',
    /\b(?:convict\w*|sentenced|found guilty|verdicts?)\b|(?<![\p{L}])(?:осужд\p{L}*|осуждён\p{L}*|приговор\p{L}*|признан\p{L}* виновн\p{L}*)/iu,
  ],
  [
    'charges',
    /\b(?:charged|indicted|suspects?|accused|defendants?)\b|(?<![\p{L}])(?:обвиня\p{L}*|обвинен\p{L}*|подозреваем\p{L}*|привлечен\p{L}*|привлечён\p{L}*)/iu,
  ],
  [
    'victims',
    /\b(?:victims?|tortured|died|dead|deaths?)\b|(?<![\p{L}])(?:потерпевш\p{L}*|пострадавш\p{L}*|погиб\p{L}*|скончал\p{L}*|умерл\p{L}*|смерт\p{L}*|летальн\p{L}*)/iu,
  ],
];

/** The funnel stage a count's words name, or null. */
function stageOf(what: string): FunnelStage | null {
  for (const [stage, re] of STAGES) if (re.test(what)) return stage;
  return null;
}

const PERSON_NOUN_RE =
  /\b(?:people|persons?|detainees?|prisoners?|inmates?|officers?|policemen|employees?|officials?|men|women|residents?|citizens?|participants?|servicemen)\b|(?<![\p{L}])(?:человек|лиц[оа]?|задержанн\p{L}*|заключ[её]нн\p{L}*|осужд[её]нн\p{L}*|сотрудник\p{L}*|полицейск\p{L}*|граждан\p{L}*|жител\p{L}*|участник\p{L}*|военнослужащ\p{L}*)/iu;
const CASE_NOUN_RE = /(?:facts?|факт\p{L}*|случа\p{L}*|cases?|эпизод\p{L}*)/iu;
const REJECTED_RE =
  /not confirmed|unconfirmed|were rejected|refused|не подтвердил\p{L}*|отказан\p{L}*|прекращен\p{L}*/iu;

/** The clause around a count: from the previous comma, semicolon or full stop to the next full stop or semicolon. */
function clauseOf(text: string, start: number, end: number): string {
  const from = Math.max(text.lastIndexOf(';', start), text.lastIndexOf('.', start), text.lastIndexOf('\n', start)) + 1;
  const ends = [';', '.', '\n'].map((ch) => text.indexOf(ch, end)).filter((i) => i >= 0);
  return text.slice(from, ends.length ? Math.min(...ends) : text.length);
}

/** The stage a count belongs to: by what it counts, else (people, cases) by what the clause says of them. */
function stageOfCount(text: string, c: ExtractedCount): FunnelStage | null {
  const clause = clauseOf(text, c.span.start, c.span.end);
  if (REJECTED_RE.test(clause)) return null;
  const byWhat = stageOf(c.what);
  if (byWhat && byWhat !== 'victims' && byWhat !== 'charges' && byWhat !== 'convictions') return byWhat;
  if (/victims?|потерпевш|defendants?|suspects?|подозреваем|обвиняем|convicts?|осужденн/iu.test(c.what)) return byWhat;
  const after = text.slice(c.span.end, Math.min(text.length, c.span.end + 160)).split(/[.;\n]/)[0] ?? '';
  if (PERSON_NOUN_RE.test(c.what)) {
    // the predicate may come first: "умерли шесть задержанных"
    const before =
      text
        .slice(Math.max(0, c.span.start - 40), c.span.start)
        .split(/[.;,\n]/)
        .pop() ?? '';
    if (/(?:скончал|погиб|умерл|умер)\p{L}*\s*$|\b(?:died|killed)\s*$/iu.test(before)) return 'victims';
    if (
      /tortured to death|died|dead|killed|recogni[sz]ed as victims|скончал\p{L}*|погиб\p{L}*|умерл\p{L}*|признан\p{L}* потерпевш\p{L}*/iu.test(
        after,
      )
    )
      return 'victims';
    if (
      /convicted|sentenced|found guilty|осужден\p{L}*|осуждён\p{L}*|приговорен\p{L}*|приговорён\p{L}*|признан\p{L}* виновн\p{L}*/iu.test(
        after,
      )
    )
      return 'convictions';
    if (
      /suspected|suspects|charged|arrested on charges|accused|подозрева\p{L}*|подозреваем\p{L}*|обвин\p{L}*|привлечен\p{L}* к (?:уголовной )?ответственност\p{L}*/iu.test(
        after,
      )
    )
      return 'charges';
    return null;
  }
  if (CASE_NOUN_RE.test(c.what)) {
    const st = stageOf(after) ?? stageOf(clause);
    return st === 'inquiries' || st === 'investigations' ? st : null;
  }
  return null;
}

/** Reported figures from the counts, with the speaker and date of the enclosing statement. */
export function extractReportedFigures(
  text: string,
  counts: ExtractedCount[],
  statements: ExtractedStatement[],
): ExtractedReportedFigure[] {
  const out: ExtractedReportedFigure[] = [];
  for (const c of counts) {
    // "three of six officers": the second number is the whole, not a figure of its own
    if (/(?:\bof|(?<![\p{L}])из)\s+$/iu.test(text.slice(Math.max(0, c.span.start - 6), c.span.start))) continue;
    // an elliptic count ("три — в области") is a part of the figure before it
    if (
      /^\s*[—–-]\s/.test(text.slice(c.span.end, c.span.end + 3)) &&
      !/^\s*[—–-]\s+\p{L}+/u.test(text.slice(c.span.end, c.span.end + 3))
    )
      continue;
    const stage = stageOfCount(text, c);
    if (!stage) continue;
    // a smaller figure of the same stage right after a larger one is a part of it ("2 of them in Almaty")
    const prev = out[out.length - 1];
    if (prev && prev.stage === stage && prev.value > c.value && c.span.start - prev.span.end < 300) continue;
    const st = statements.find((s) => c.span.start >= s.span.start && c.span.end <= s.span.end);
    const speaker = st && st.speaker !== 'article author' ? st.speaker : null;
    out.push({
      stage,
      value: c.value,
      what: c.what,
      speaker,
      date: st?.date ?? null,
      span: c.span,
      confidence: Math.min(c.confidence, st ? 0.8 : 0.6),
    });
  }
  return out;
}

/** The funnel in the scenario's shape: stage → value (the first figure of each stage). */
export function funnelOf(figures: ExtractedReportedFigure[]): Record<string, number> | null {
  if (figures.length === 0) return null;
  const out: Record<string, number> = {};
  for (const f of figures) if (!(f.stage in out)) out[f.stage] = f.value;
  return out;
}
