/** Organizations: gazetteer of bodies (ministries, prosecutors, ombudsman, NGOs, UN …) plus patterns for departments, courts and quoted names. */
import data from './gazetteers/organizations.json' with { type: 'json' };
import { keyedWords, PhraseIndex, wordKey, type KeyedWord } from './gazetteer.ts';
import { placeIndex } from './places.ts';
import { contentKeys } from './text.ts';
import type { ExtractedOrganization } from './types.ts';

type OrgKind = ExtractedOrganization['kind'];
export interface OrgEntry {
  id: string;
  name: string;
  kind: OrgKind;
}
interface RawOrg extends OrgEntry {
  aliases: string[];
}

const CAPS_RE = /^[\p{Lu}\d][\p{Lu}\d./-]*$/u;
let index: PhraseIndex<OrgEntry> | null = null;
/** The organisation gazetteer as a phrase index (built once). */
export function orgIndex(): PhraseIndex<OrgEntry> {
  if (index) return index;
  index = new PhraseIndex<OrgEntry>();
  for (const o of (data as { organizations: RawOrg[] }).organizations) {
    const entry: OrgEntry = { id: o.id, name: o.name, kind: o.kind };
    // Names of media and NGOs are proper names: capitalised in the text. Abbreviations match exactly.
    for (const a of o.aliases) index.add(a, entry, o.kind === 'media' || CAPS_RE.test(a.split(' ')[0] ?? ''));
  }
  return index;
}

// Words that may follow a body's name and belong to it: "of Kazakhstan", "of the Republic of Kazakhstan", "РК".
const QUALIFIER_RE =
  /^(?:\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?Kazakhstan|\s+(?:Республики\s+Казахстан|Казахстана|РК))\b/u;
const COUNTRY_WORDS = new Set([
  ...'Kazakhstan Казахстан Казахстана Республика Республики Republic'.split(' ').map(wordKey),
  'рк',
  'rk',
  '=РК',
  '=RK',
]);

/**
 * The gazetteer id of a body's name (any alias, with or without "of Kazakhstan"), or null when
 * the name holds words the alias does not explain ("1 Служба Генеральной прокуратуры" is not the PGO).
 */
export function resolveOrganization(name: string): OrgEntry | null {
  const ws = keyedWords(name);
  for (let i = 0; i < ws.length; i++) {
    const m = orgIndex().matchAt(
      ws.map((w) => ({ ...w, cap: true })),
      i,
      name,
    );
    if (!m) continue;
    const rest = [...ws.slice(0, m.from), ...ws.slice(m.to)];
    // "of Kazakhstan", "РК", or the body's own abbreviation in brackets: "Committee of National Security (KNB)"
    const own = (w: KeyedWord) => orgIndex().matchAt([{ ...w, cap: true }], 0, w.text)?.value.id === m.value.id;
    // "органы прокуратуры", "the prosecution authorities": the bodies of X are X
    if (
      rest.every(
        (w) =>
          COUNTRY_WORDS.has(w.key) ||
          COUNTRY_WORDS.has(w.text.toLowerCase()) ||
          /^(?:the|of|a|органы|органов|органам|органами|bodies|authorities)$/i.test(w.text) ||
          own(w),
      )
    )
      return m.value;
    return null;
  }
  return null;
}

const HEADS_EN =
  'Department|Directorate|Committee|Agency|Service|Office|Court|Commission|Council|Bureau|Coalition|Foundation|Fund|Centre|Center|Union|Association|Ministry|Administration|Inspectorate|Institute|Party|Movement|Network|Group';
// "Taldykorgan City Court", "Kazakhstan NGO Coalition against Torture", "Department of Police of Almaty"
const EN_PROPER_RE = new RegExp(
  String.raw`(?:(?:[A-Z][\w’'.\-]*|of|for|and|the|on|against) )*?(?:[A-Z][\w’'\-]* )*(?:${HEADS_EN})\b(?: (?:of|for|on|against)(?: the)? (?:[A-Z][\w’'\-]*|and|for|of)(?: (?:[A-Z][\w’'\-]*|and|of|the))*)?`,
  'g',
);
// "police department of the East Kazakhstan region", "regional department of internal security", "the special prosecutors' office"
const EN_LOWER_RE =
  /\b(?:(?:regional|city|district|municipal|special|local|regional)\s+)*(?:police department|department of (?:internal security|police|internal affairs)|internal security department|prosecutors?[’']?s?[’']? office|police service|internal affairs department|department of the penal system|penal system department)(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){1,3}(?:region|district|city|oblast)|\s+of\s+(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?/g;
// Russian: head noun (any case) + genitive words / "по X" / "г. X"; «quoted names» after an org word.
const RU_HEAD = String.raw`(?:[Дд]епартамент\p{L}*|[Уу]правлени\p{L}*|[Сс]лужб\p{L}*|[Кк]омитет\p{L}*|[Аа]гентств\p{L}*|[Пп]рокуратур\p{L}*|[Сс]уд(?:а|у|ом|е|ы|ов)?|[Кк]омисси\p{L}*|[Оо]тдел(?:а|у|ом|е|ы|ов|ам|ами|ах|ени\p{L}*)?(?![\p{L}])|[Ии]нспекци\p{L}*|[Кк]оалици\p{L}*|ДУИС|ДП|УП|ДВД|ДКНБ|ДАП|УИС|[Оо]рган(?:ы|ов|ам|ами|ах)?)`;
const RU_ADJ = String.raw`(?:\p{L}+(?:ая|ой|ый|ий|ое|ого|ую|ые|ых|ому|ым|ыми|ими|ей|ее|ая)\s+)`;
const RU_ORG_RE = new RegExp(
  String.raw`(?<![\p{L}\-])(?:\d+\s+)?(?:${RU_ADJ}){0,3}${RU_HEAD}(?:\s+(?:по\s+)?(?:г\.\s*|города\s+)?(?:\p{Lu}{2,5}|\p{L}+(?:ой|ого|ых|ей|ии|ия|ов|ев|ы|и|а|я))(?![\p{L}]))(?:\s+[\p{L}\-]+(?:ой|ого|ых|ей|ии|ов|ев|ы|и|а)(?![\p{L}]))*`,
  'gu',
);
const RU_ADJ_BODY_RE =
  /(?<![\p{L}])\p{Lu}[\p{Ll}-]+(?:ск|цк)(?:ий|ого|ом|ому|им|ая|ой|ую|ое)\s+(?:(?:городск|районн|областн|межрайонн|специализированн|военн)\p{L}*\s+)?(?:суд(?:а|у|ом|е)?|\p{Lu}{2,6})(?![\p{L}])/gu;
const RU_QUOTED_RE =
  /(?:газет\p{L}*|издани\p{L}*|портал\p{L}*|агентств\p{L}*|телеканал\p{L}*|фонд\p{L}*|ОФ|ОО|РОО|ТОО|НПО|организаци\p{L}*|объединени\p{L}*|сайт\p{L}*|newspaper|agency|outlet|portal|foundation|fund)\s+[«"“]([^»"”]{2,60})[»"”]/gu;
const RU_STOP_HEAD =
  /^(?:суд(?:а|у|ом|е)?\s+(?:над|по\s+делу|присяжных|первой|приговорил|признал|назначил|вынес|установил|отказал|рассмотрел|удовлетворил))|^(?:орган(?:ы|ов)?\s+(?:власти)\b)/iu;

/** Organisations named in `text`: one per gazetteer id or per name, first mention's span. */
export function extractOrganizations(text: string, ws: KeyedWord[] = keyedWords(text)): ExtractedOrganization[] {
  const out: ExtractedOrganization[] = [];
  const seen = new Map<string, ExtractedOrganization>();
  const taken: [number, number][] = [];
  const add = (o: ExtractedOrganization, key: string) => {
    if (seen.has(key)) return;
    seen.set(key, o);
    out.push(o);
    taken.push([o.span.start, o.span.end]);
  };
  const overlapsTaken = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a && s >= a && e <= b);

  for (const m of orgIndex().findAll(ws, text)) {
    let end = m.end;
    const q = QUALIFIER_RE.exec(text.slice(end, end + 40));
    if (q) end += q[0].length;
    const name = text.slice(m.start, end);
    add(
      { name, canonical: m.value.id, kind: m.value.kind, text: name, span: { start: m.start, end }, confidence: 0.9 },
      m.value.id,
    );
  }
  // "the criminal prosecution service of the Prosecutor General's Office": a unit of a known body
  for (const o of [...out]) {
    const before = text.slice(Math.max(0, o.span.start - 80), o.span.start);
    const unit =
      /((?:[a-z][a-z-]*\s+){0,3}(?:service|department|directorate|division|unit|office|administration|board|committee)\s+of\s+(?:the\s+)?)$/.exec(
        before,
      );
    if (!unit || !o.canonical) continue;
    const unitText = (unit[1] ?? '').replace(/^(?:(?:the|a|an|of|and|by|at|to|in)\s+)+/, '');
    if (
      !/^(?:[a-z][a-z-]*\s+){0,3}(?:service|department|directorate|division|unit|office|administration|board|committee)\s/.test(
        unitText,
      )
    )
      continue;
    const start = o.span.start - unitText.length;
    let end = o.span.end;
    const region = /^\s+of\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){1,3}(?:region|district|city|oblast)\b/.exec(
      text.slice(end, end + 60),
    );
    if (region) end += region[0].length;
    const name = text.slice(start, end);
    add(
      { name, canonical: null, kind: o.kind, text: name, span: { start, end }, confidence: 0.6 },
      `n:${contentKeys(name).join(' ')}`,
    );
  }
  for (const m of text.matchAll(DOMAIN_RE)) {
    if (out.some((o) => o.span.start <= m.index && o.span.end >= m.index + m[0].length)) continue;
    add(
      {
        name: m[0],
        canonical: null,
        kind: 'media',
        text: m[0],
        span: { start: m.index, end: m.index + m[0].length },
        confidence: 0.6,
      },
      `d:${m[0].toLowerCase()}`,
    );
  }
  const pattern = (start: number, raw: string, kind: OrgKind, confidence: number) => {
    const name = raw.replace(/[\s,.;:]+$/, '');
    if (name.length < 4) return;
    const end = start + name.length;
    const resolved = resolveOrganization(name);
    if (resolved)
      return add(
        { name, canonical: resolved.id, kind: resolved.kind, text: name, span: { start, end }, confidence: 0.85 },
        resolved.id,
      );
    if (overlapsTaken(start, end) || GENERIC_RU_RE.test(name)) return;
    // a shorter mention of a body already found ("department of internal security" after "regional department of internal security")
    const keys = contentKeys(name);
    if (
      out.some((o) => {
        const ok = new Set(contentKeys(o.name));
        return keys.every((k) => ok.has(k));
      })
    )
      return;
    add(
      { name, canonical: null, kind, text: name, span: { start, end }, confidence },
      `n:${contentKeys(name).join(' ')}`,
    );
  };
  // "the Almaty police department", "Almaty City Police Department"
  for (const m of text.matchAll(EN_PLACE_POLICE_RE)) {
    if (/^(?:The|In|On|At|A|An)$/.test((m[1] ?? '').split(/\s+/)[0] ?? '')) continue;
    pattern(m.index, m[0], 'law_enforcement', 0.6);
  }
  for (const m of text.matchAll(EN_LOWER_RE)) {
    const raw = m[0].replace(/^the\s+/i, '');
    pattern(
      m.index + m[0].length - raw.length,
      raw,
      /court/i.test(raw) ? 'court' : /prosecutor/i.test(raw) ? 'prosecutor' : 'law_enforcement',
      0.6,
    );
  }
  for (const m of text.matchAll(EN_PROPER_RE)) {
    let raw = m[0];
    // drop a leading sentence word that is not part of the name ("The", "In", "According")
    raw = raw.replace(
      /^(?:(?:The|In|On|At|According|As|Then|But|And|Also|However|While|Earlier|Later|Meanwhile|After|Before|Since|When|Under)\s+)+/,
      '',
    );
    raw = raw.replace(/^(?:of|for|and|the|on|against)\s+/, '');
    const start = m.index + m[0].length - raw.length;
    if (!/^[A-Z0-9]/.test(raw) || raw.split(' ').length < 2) continue;
    pattern(start, raw, kindOf(raw), 0.6);
  }
  for (const m of text.matchAll(RU_ORG_RE)) {
    const raw = trimRussian(m[0]);
    if (RU_STOP_HEAD.test(raw) || raw.split(/\s+/).length < 2) continue;
    pattern(m.index, raw, kindOf(raw), 0.5);
  }
  // "Туркестанский городской суд", "Сауранского РОП": a place adjective with a court or an abbreviated body
  for (const m of text.matchAll(RU_ADJ_BODY_RE)) pattern(m.index, m[0], kindOf(m[0]), 0.55);
  for (const m of text.matchAll(RU_QUOTED_RE)) {
    const name = m[1] ?? '';
    const start = m.index + m[0].indexOf(name);
    pattern(
      start,
      name,
      /газет|издани|портал|агентств|телеканал|сайт|newspaper|agency|outlet|portal/i.test(m[0]) ? 'media' : 'ngo',
      0.7,
    );
  }
  // A generic "prosecutor's office" inside a longer name ("органы прокуратуры") is that name, not another body.
  const kept = out.filter(
    (o) =>
      !(
        o.canonical === 'prosecutor' &&
        out.some((p) => p !== o && p.span.start <= o.span.start && p.span.end >= o.span.end)
      ),
  );
  return kept.sort((a, b) => a.span.start - b.span.start);
}

const EN_PLACE_POLICE_RE =
  /\b([A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2})\s+(?:[Cc]ity\s+|[Rr]egional\s+|[Dd]istrict\s+)?[Pp]olice\s+[Dd]epartment\b/g;
const DOMAIN_RE =
  /(?<![\p{L}\d@./])[A-Za-z][A-Za-z0-9-]{1,30}\.(?:kz|ru|com|org|uz|kg|net|info|media|asia|news)(?![\p{L}\d])/gu;
const GENERIC_RU_RE = /^(?:отдел\p{L}*|орган\p{L}*|отделени\p{L}*)\s+(?:полиции|власти)$/iu;

const VERB_END_RE = /(?:ла|ли|ло|ет|ют|ит|ат|ят|ется|ются|лся|лась|лись)$/u;
/** Drops trailing words that cannot belong to a Russian body's name: verbs, capitalised non-places, fragments. */
function trimRussian(raw: string): string {
  const parts = raw.split(/(\s+)/);
  for (let last = parts.at(-1); parts.length > 2 && last !== undefined; last = parts.at(-1)) {
    const isPlace = /^\p{Lu}/u.test(last) && (/^\p{Lu}{2,5}$/u.test(last) || resolvePlaceWord(last));
    const bad =
      VERB_END_RE.test(last) ||
      (/^\p{Lu}/u.test(last) && !isPlace && !/(?:ого|ой|ых)$/u.test(last)) ||
      /^(?:и|в|на|с|по|за|г\.|города)$/u.test(last);
    if (!bad) break;
    parts.splice(parts.length - 2, 2);
  }
  return parts.join('');
}

function resolvePlaceWord(w: string): boolean {
  const ws = keyedWords(w);
  return ws.length > 0 && placeIndex().matchAt(ws, 0, w) !== null;
}

function kindOf(name: string): OrgKind {
  if (/court|суд/i.test(name)) return 'court';
  if (/prosecut|прокур/i.test(name)) return 'prosecutor';
  if (/ministry|министерств/i.test(name)) return 'ministry';
  if (/coalition|foundation|fund|association|bureau|коалици|фонд|бюро|ассоциаци/i.test(name)) return 'ngo';
  if (/police|security|internal affairs|penal|полици|безопасност|внутренних дел|ДП|УП|ДУИС|УИС/i.test(name))
    return 'law_enforcement';
  return 'other';
}
