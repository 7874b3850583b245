/**
 * How a proposed fact is matched to a hand-made expected fact, field by field: the one place that
 * defines the evaluation (docs/extraction-format.md, "Scoring"). Each field lists its items on both
 * sides, a predicate says whether two items are the same fact, and a one-to-one assignment (best
 * similarity first) counts true positives; the rest are false positives and false negatives.
 */
import { normalizeNameKey } from '../../domain/text/index.ts';
import { monthOf } from '../dates.ts';
import { normalizeFacilityCode } from '../facilities.ts';
import { resolveOrganization } from '../organizations.ts';
import { resolvePlace } from '../places.ts';
import { contentKeys } from '../text.ts';
import type { Extraction, FactField } from '../types.ts';

/** Threshold of word overlap for free text ("what" of a count, labels, safeguards). */
const TEXT_OVERLAP = 0.5;
/** Threshold of word overlap between an expected gist and a proposed one (the gist is a paraphrase). */
const GIST_OVERLAP = 0.3;
/** Threshold of Dice similarity for names not in the gazetteers. */
const NAME_DICE = 0.6;

/** Counts of one field: true positives, false positives, false negatives. */
export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

type Item = Record<string, unknown>;
type Pair = (e: Item, p: Item) => number; // similarity > 0 when the items match, else 0

// ---------------------------------------------------------------------------------------------
// Normalizers

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
}

/** Overlap coefficient of the content word stems of two phrases: shared / size of the smaller. */
function overlap(a: string, b: string): number {
  const ka = new Set(contentKeys(a));
  const kb = new Set(contentKeys(b));
  if (ka.size === 0 || kb.size === 0) return 0;
  let shared = 0;
  for (const k of ka) if (kb.has(k)) shared++;
  return shared / Math.min(ka.size, kb.size);
}

/** Dice coefficient of the content word stems of two phrases. */
function dice(a: string, b: string): number {
  const ka = new Set(contentKeys(a));
  const kb = new Set(contentKeys(b));
  if (ka.size === 0 || kb.size === 0) return 0;
  let shared = 0;
  for (const k of ka) if (kb.has(k)) shared++;
  return (2 * shared) / (ka.size + kb.size);
}

function placeKey(name: string): string {
  return resolvePlace(name)?.toLowerCase() ?? normalizeNameKey(name);
}

function codeKey(code: unknown): string | null {
  const s = str(code);
  return s ? normalizeFacilityCode(s) : null;
}

function cityKey(city: unknown): string | null {
  const s = str(city);
  return s ? placeKey(s) : null;
}

/** Two name keys are one person: equal, or one's words all found (as case forms) among the other's. */
export function samePerson(a: string, b: string): boolean {
  const ka = normalizeNameKey(a);
  const kb = normalizeNameKey(b);
  if (!ka || !kb) return false;
  if (ka === kb) return true;
  const ta = ka.split(' ');
  const tb = kb.split(' ');
  const [small, large] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  return small.every((t) => large.some((u) => sameWordForm(t, u)));
}

function sameWordForm(t: string, u: string): boolean {
  if (t === u) return true;
  const n = Math.min(t.length, u.length);
  if (n < 4 || Math.abs(t.length - u.length) > 2) return false;
  const p = Math.max(4, n - 2);
  return t.slice(0, p) === u.slice(0, p);
}

function sameOrganization(a: string, b: string): number {
  const ra = resolveOrganization(a);
  const rb = resolveOrganization(b);
  if (ra && rb) return ra.id === rb.id ? 1 : 0;
  // one name is a known body and the other is not: a unit of it ("1 Служба Генеральной прокуратуры") is another body
  const d = dice(a, b);
  return d >= (ra || rb ? 0.8 : NAME_DICE) ? d : 0;
}

const AUTHOR_RE = /^(?:article author|author|the author|автор(?: статьи)?|редакция|editorial)$/i;

function sameSpeaker(a: string, b: string): number {
  const aa = AUTHOR_RE.test(a.trim());
  const ab = AUTHOR_RE.test(b.trim());
  if (aa || ab) return aa && ab ? 1 : 0;
  if (samePerson(a, b) && /\p{Lu}/u.test(a) && /\p{Lu}/u.test(b)) return 1;
  return sameOrganization(a, b) || (dice(a, b) >= 0.5 ? dice(a, b) : 0);
}

/** A date's comparable parts taken from its words: year, month, day, part of month. */
export function dateKey(text: string): string {
  const year = /(?:19|20)\d\d/.exec(text)?.[0] ?? '';
  let month = '';
  for (const w of text.split(/[^\p{L}.]+/u)) {
    const m = w.length >= 3 ? monthOf(w) : null;
    if (m) month = String(m);
  }
  const iso = /(\d{4})-(\d\d)(?:-(\d\d))?/.exec(text);
  const day = iso?.[3]
    ? String(Number(iso[3]))
    : (/(?<![\d])(\d{1,2})(?![\d])/.exec(text.replace(/(?:19|20)\d\d/, ''))?.[1] ?? '');
  const part = /\b(?:end|late)\b|конц|конец/iu.test(text)
    ? 'end'
    : /\b(?:beginning|start|early)\b|начал/iu.test(text)
      ? 'start'
      : /\b(?:middle|mid)\b|середин/iu.test(text)
        ? 'middle'
        : '';
  if (!year && !month && !iso) return '';
  return [iso ? iso[1] : year, iso ? String(Number(iso[2])) : month, day, part].join('|');
}

// ---------------------------------------------------------------------------------------------
// Items per field

const STAGE_KEYS: [string, RegExp][] = [
  ['inquiries', /official|internal|service|inquir|check|disciplin|служебн|проверк/i],
  ['rejected', /not_confirmed|unconfirmed|rejected|refus|dismissed_complaints|не_подтв/i],
  ['reports', /report|complaint|appeal|allegation|application|жалоб|заявлен|сообщен|обращен/i],
  ['investigations', /investigation|criminal_case|cases|pretrial|pre_trial|расследован|дел/i],
  ['convictions', /convict|sentenc|verdict|guilty|осужд|приговор/i],
  ['charges', /charge|indict|suspect|accused|defendant|обвин|подозрев/i],
  ['victims', /victim|death|died|tortured|потерпевш|погиб|смерт/i],
];

/** The funnel stage a key of an `accountability_funnel` object names ("official_investigations" → inquiries). */
export function stageOfKey(key: string): string {
  for (const [stage, re] of STAGE_KEYS) if (re.test(key)) return stage;
  return 'other';
}

function arr(v: unknown): Item[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'string' ? { name: x } : (x as Item)));
}

/** The items of one field of an expected.json (plain shape) or of an extraction. */
export function itemsOf(doc: Item, field: FactField): Item[] {
  if (field === 'facility_layout') {
    const l = doc.facility_layout as Item | null | undefined;
    if (!l) return [];
    const items: Item[] = [];
    for (const b of arr(l.buildings))
      items.push({ t: 'building', count: b.count, floors: String(b.floors ?? '').replace(/\s|–/g, '-') });
    const cells = typeof l.cells === 'number' ? l.cells : (l.cells as Item | null)?.value;
    if (typeof cells === 'number') items.push({ t: 'cells', value: cells });
    for (const r of arr(l.declared_rooms)) items.push({ t: 'room', label: `${r.label ?? ''}` });
    for (const s of arr(l.declared_safeguards)) items.push({ t: 'safeguard', label: str(s.text) ?? str(s.name) ?? '' });
    return items;
  }
  if (field === 'accountability_funnel') {
    if (Array.isArray(doc.reported_figures))
      return arr(doc.reported_figures).map((f) => ({ stage: f.stage, value: f.value }));
    const f = doc.accountability_funnel as Item | null | undefined;
    if (!f) return [];
    return Object.entries(f)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => ({ stage: stageOfKey(k), value: v }));
  }
  return arr(doc[field]);
}

const PAIRS: Record<FactField, Pair> = {
  facilities: (e, p) => {
    const ce = codeKey(e.code);
    const cp = codeKey(p.code);
    if (ce && cp) return ce === cp ? 1 : 0;
    return e.kind === p.kind && cityKey(e.city) === cityKey(p.city) ? 1 : 0;
  },
  places: (e, p) => (placeKey(String(e.name ?? '')) === placeKey(String(p.name ?? '')) ? 1 : 0),
  organizations: (e, p) => sameOrganization(String(e.name ?? ''), String(p.name ?? '')),
  people: (e, p) => (samePerson(String(e.name ?? ''), String(p.name ?? '')) ? 1 : 0),
  legal_refs: (e, p) =>
    str(e.code) === str(p.code) && str(e.article) === str(p.article) && (str(e.part) ?? null) === (str(p.part) ?? null)
      ? 1
      : 0,
  counts: (e, p) => {
    if (Number(e.value) !== Number(p.value)) return 0;
    if (e.value_max !== undefined && e.value_max !== null && Number(e.value_max) !== Number(p.value_max)) return 0;
    const o = overlap(String(e.what ?? ''), String(p.what ?? ''));
    return o >= TEXT_OVERLAP ? o : 0;
  },
  dates: (e, p) => {
    const ie = str(e.iso);
    const ip = str(p.iso);
    if (ie && ip) return ie === ip ? 1 : 0;
    const ke = dateKey(String(e.text ?? ''));
    const kp = dateKey(String(p.text ?? ''));
    if (ke && kp) return ke === kp ? 1 : 0;
    const d = dice(String(e.text ?? ''), String(p.text ?? ''));
    return d >= NAME_DICE ? d : 0;
  },
  facility_layout: (e, p) => {
    if (e.t !== p.t) return 0;
    if (e.t === 'building') return Number(e.count) === Number(p.count) && e.floors === p.floors ? 1 : 0;
    if (e.t === 'cells') return Number(e.value) === Number(p.value) ? 1 : 0;
    const o = overlap(String(e.label), String(p.label));
    return o >= TEXT_OVERLAP ? o : 0;
  },
  statements: (e, p) => {
    if (e.stance !== p.stance) return 0;
    const s = sameSpeaker(String(e.speaker ?? ''), String(p.speaker ?? ''));
    if (!s) return 0;
    const g = overlap(String(e.gist ?? ''), String(p.gist ?? ''));
    return g >= GIST_OVERLAP ? s * (0.5 + g) : 0;
  },
  accountability_funnel: (e, p) => (e.stage === p.stage && Number(e.value) === Number(p.value) ? 1 : 0),
};

/** True positives etc. of one field: a one-to-one assignment, most similar pairs first. */
export function matchField(
  field: FactField,
  expected: Item[],
  predicted: Item[],
): Tally & { pairs: [number, number][] } {
  const cand: [number, number, number][] = [];
  for (const [i, e] of expected.entries()) {
    for (const [j, p] of predicted.entries()) {
      const s = PAIRS[field](e, p);
      if (s > 0) cand.push([s, i, j]);
    }
  }
  cand.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedE = new Set<number>();
  const usedP = new Set<number>();
  const pairs: [number, number][] = [];
  for (const [, i, j] of cand) {
    if (usedE.has(i) || usedP.has(j)) continue;
    usedE.add(i);
    usedP.add(j);
    pairs.push([i, j]);
  }
  return { tp: pairs.length, fp: predicted.length - pairs.length, fn: expected.length - pairs.length, pairs };
}

/** Scores of one article, per field. */
export function scoreArticle(
  expected: Item,
  predicted: Extraction,
): Record<FactField, Tally & { pairs: [number, number][] }> {
  const out = {} as Record<FactField, Tally & { pairs: [number, number][] }>;
  const fields: FactField[] = [
    'facilities',
    'places',
    'organizations',
    'people',
    'legal_refs',
    'counts',
    'dates',
    'facility_layout',
    'statements',
    'accountability_funnel',
  ];
  for (const f of fields) out[f] = matchField(f, itemsOf(expected, f), itemsOf(predicted as unknown as Item, f));
  return out;
}
