/**
 * Facilities: a kind phrase ("pre-trial detention center", "СИЗО", "ИВС") with its number or
 * institutional code ("LA-155/18", "№1", "-1") and city ("in Almaty", "г. Алматы", "Алматы"),
 * and institutional codes on their own. Mentions of one kind that do not contradict each other
 * (at most one code and one city among them) are one facility.
 */
import data from './gazetteers/facility-kinds.json' with { type: 'json' };
import { cyrillicToLatin } from '../domain/text/index.ts';
import { keyedWords, PhraseIndex, type KeyedWord } from './gazetteer.ts';
import { placeIndex } from './places.ts';
import type { ExtractedFacility } from './types.ts';

type Kind = ExtractedFacility['kind'];
let index: PhraseIndex<Kind> | null = null;
function kindIndex(): PhraseIndex<Kind> {
  if (index) return index;
  index = new PhraseIndex<Kind>();
  for (const k of (data as { kinds: { kind: string; phrases: string[] }[] }).kinds)
    for (const p of k.phrases) index.add(p, k.kind as Kind);
  return index;
}

// Penitentiary codes of Kazakhstan: two letters, the number of the system and of the institution.
const CODE_RE = /(?<![\p{L}\d])([A-ZА-ЯЁ]{2})[\s-]?(\d{3})\/(\d{1,3})(?![\d])/gu;
const NUMBER_AFTER_RE = /^(?:\s*(?:№|No\.?|N|number|Number|nr\.?)\s*(\d{1,3})|-(\d{1,3})(?!\d|\/))/u;
const CONNECT_CITY_RE =
  /^[\])»"”]?(?:\s+(?:in|of|at|near|в|во|по)\s+(?:the\s+)?(?:city\s+of\s+|г\.\s*|городе?\s+|города\s+)?|\s+(?:ДП|ДВД|ДУИС|УП|ДКНБ)\s+(?:по\s+)?(?:г\.\s*|города\s+)?|\s+г\.\s*|\s+города\s+|\s+|,\s+)/u;

/** The code of a facility in Latin capitals: ЛА-155/18 → LA-155/18. */
export function normalizeFacilityCode(code: string): string {
  const c = code.replace(/^(?:№|No\.?|N)\s*/i, '').replace(/\s+/g, '');
  return cyrillicToLatin(c).toUpperCase();
}

interface Mention {
  kind: Kind | null;
  code: string | null;
  city: string | null;
  start: number;
  end: number;
  plural: boolean;
  /** Named only by a generic word ("detention center", "изолятор"): joins a facility it fits. */
  generic: boolean;
}

const GENERIC_RE = /^(?:detention (?:center|centre|facility)|place of detention|изолятор\p{L}*)$/iu;
const PLURAL_RE =
  /^(?:\S+(?:centers|centres|facilities|isolators|colonies|prisons|stations|jails)|(?:\S+\s)*(?:centers|centres|facilities|isolators|colonies|prisons|stations|jails)|изолятор(?:ах|ов|ы|ами)|колони(?:ях|ями)|тюрьм(?:ах|ами)|(?:\S+\s)?(?:изолятор|колони|тюрьм)(?:ах|ов|ы|ами|ях|ями)(?:\s.*)?)$/iu;

/** Facilities of `text`. */
export function extractFacilities(text: string, ws: KeyedWord[] = keyedWords(text)): ExtractedFacility[] {
  const mentions: Mention[] = [];
  const kinds = kindIndex().findAll(ws, text);
  for (const m of kinds) {
    const surface = text.slice(m.start, m.end);
    // "УК" is the Criminal Code unless a code number follows; "ИК"/"ОП"/"УП" alone are too ambiguous.
    if (/^(?:ИК|ИУ|ОП|УП|ОВД|ЦАН)$/.test(surface) && !/^\s*(?:№|-)?\s*\d/.test(text.slice(m.end, m.end + 6))) continue;
    if (
      /^(?:colony|prison|jail|колони\p{L}*|тюрьм\p{L}*|изолятор\p{L}*|detention (?:center|centre|facility))$/iu.test(
        surface,
      ) &&
      /^\s*(?:sentence|term|terms|of|for|staff|officials?|officers?|guards?|administration|system)/i.test(
        text.slice(m.end, m.end + 14),
      )
    ) {
      continue;
    }
    if (/^(?:prisoners?|jail(?:er|ers|ed)|imprison\w*|colonists?)$/i.test(surface)) continue;
    let end = m.end;
    let code: string | null = null;
    const num = NUMBER_AFTER_RE.exec(text.slice(end, end + 16));
    if (num) {
      code = num[1] ?? num[2] ?? null;
      end += num[0].length;
    }
    let codeM = new RegExp(CODE_RE.source, 'u').exec(text.slice(end, end + 14));
    if (codeM && codeM.index <= 2) {
      code = normalizeFacilityCode(codeM[0]);
      end += codeM.index + codeM[0].length;
    } else {
      // "учреждение ЛА-155/18 … СИЗО": a code just before the kind phrase
      codeM = null;
    }
    const { city, end: cityEnd } = cityAfter(text, end) ?? cityBefore(text, m.start) ?? { city: null, end };
    const plural = PLURAL_RE.test(surface);
    mentions.push({
      kind: m.value,
      code,
      city,
      start: m.start,
      end: Math.max(end, cityEnd),
      plural,
      generic: GENERIC_RE.test(surface) && !code,
    });
  }
  for (const m of text.matchAll(CODE_RE)) {
    if (/^(?:УК|UK)$/.test(m[1] ?? '') && /(?:ст\.|стать)/iu.test(text.slice(Math.max(0, m.index - 20), m.index)))
      continue;
    const code = normalizeFacilityCode(m[0]);
    if (mentions.some((x) => x.code === code && x.start <= m.index && x.end >= m.index)) continue;
    const c = cityAfter(text, m.index + m[0].length);
    mentions.push({
      kind: null,
      code,
      city: c?.city ?? null,
      start: m.index,
      end: c ? c.end : m.index + m[0].length,
      plural: false,
      generic: false,
    });
  }
  return merge(text, mentions);
}

function cityAt(text: string, at: number): { city: string; end: number } | null {
  const ws = keyedWords(text.slice(at, at + 60));
  const [first] = ws;
  if (!first || first.start > 0) return null;
  const m = placeIndex().matchAt(ws, 0, text.slice(at, at + 60));
  if (!m || (m.value.type !== 'city' && m.value.type !== 'region')) return null;
  return { city: m.value.name, end: at + m.end };
}

function cityAfter(text: string, at: number): { city: string; end: number } | null {
  const c = CONNECT_CITY_RE.exec(text.slice(at, at + 40));
  if (!c) return null;
  const r = cityAt(text, at + c[0].length);
  return r?.city ? r : null;
}

function cityBefore(text: string, at: number): { city: string; end: number } | null {
  // "Almaty SIZO", "Almaty's pre-trial detention center", "алматинском СИЗО"
  const before = text.slice(Math.max(0, at - 40), at);
  const m = /([\p{L}-]+)(?:'s|’s)?\s+$/u.exec(before);
  if (!m) return null;
  const start = at - before.length + m.index;
  const r = cityAt(text, start);
  return r ? { city: r.city, end: at } : null;
}

function merge(text: string, mentions: Mention[]): ExtractedFacility[] {
  mentions.sort((a, b) => a.start - b.start);
  // A bare code takes the kind of a kind phrase right before or after it in the same sentence.
  for (const m of mentions) {
    if (m.kind) continue;
    const near = mentions.find(
      (k) =>
        k.kind &&
        Math.abs(k.start - m.start) < 80 &&
        !/[.!?]\s/.test(text.slice(Math.min(k.end, m.end), Math.max(k.start, m.start))),
    );
    m.kind = near?.kind ?? 'other';
  }
  const groups: Array<[Mention, ...Mention[]]> = [];
  const ordered = [...mentions.filter((m) => !m.generic), ...mentions.filter((m) => m.generic)];
  for (const m of ordered) {
    if (m.plural && !m.code) continue;
    if (m.generic) {
      const fit = groups.find((g) => compatible(g, m) && (m.city === null || g.some((x) => x.city === m.city)));
      if (fit) {
        fit.push(m);
        continue;
      }
    }
    const g = groups.find((g) => g.some((x) => x.kind === m.kind || (m.code && x.code === m.code)) && compatible(g, m));
    if (g) g.push(m);
    else groups.push([m]);
  }
  const out: ExtractedFacility[] = [];
  for (const g of groups) {
    const withCode = g.find((x) => x.code);
    const withCity = g.find((x) => x.city && !/ Region$/.test(x.city)) ?? g.find((x) => x.city);
    const best = withCode ?? withCity ?? g[0];
    const code = withCode?.code ?? null;
    const city = withCity?.city ?? null;
    const kind = g.find((x) => x.kind && x.kind !== 'other')?.kind ?? g[0].kind ?? 'other';
    const confidence = code ? 0.9 : city ? 0.75 : 0.5;
    out.push({
      text: text.slice(best.start, best.end),
      kind,
      code: code && /^[A-Z]/.test(code) ? code : code,
      city,
      span: { start: best.start, end: best.end },
      confidence,
    });
  }
  // A facility with neither code nor city is kept only when no other facility of its kind is named.
  return out.filter((f) => f.code || f.city || !out.some((o) => o !== f && o.kind === f.kind));
}

function compatible(g: Mention[], m: Mention): boolean {
  const codes = new Set(g.map((x) => x.code).filter(Boolean));
  // "in Pavlodar" and "in Pavlodar region" do not contradict each other
  const town = (c: string | null) => c?.replace(/ Region$/, '') ?? null;
  const cities = new Set(g.map((x) => town(x.city)).filter(Boolean));
  if (m.code && codes.size > 0 && !codes.has(m.code)) return false;
  if (m.city && cities.size > 0 && !cities.has(town(m.city))) return false;
  return true;
}
