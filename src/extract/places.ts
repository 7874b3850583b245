/** Places: countries, regions and cities from the gazetteer, plus "X district" / "village of X" patterns. */
import data from './gazetteers/places.json' with { type: 'json' };
import { keyedWords, PhraseIndex, type KeyedWord } from './gazetteer.ts';
import { cyrillicToLatin } from '../domain/text/index.ts';
import { clean } from './text.ts';
import type { ExtractedPlace } from './types.ts';

type PlaceType = ExtractedPlace['type'];
export interface PlaceEntry {
  name: string;
  type: PlaceType;
  country?: string;
  adjective?: boolean;
}

interface RawPlace {
  name: string;
  type: string;
  aliases: string[];
  adjectives?: string[];
  country?: string;
}

let index: PhraseIndex<PlaceEntry> | null = null;
/** The place gazetteer as a phrase index (built once). */
export function placeIndex(): PhraseIndex<PlaceEntry> {
  if (index) return index;
  index = new PhraseIndex<PlaceEntry>();
  for (const p of (data as { places: RawPlace[] }).places) {
    const entry: PlaceEntry = { name: p.name, type: p.type as PlaceType, ...(p.country ? { country: p.country } : {}) };
    for (const a of p.aliases) index.add(a, entry, true);
    for (const a of p.adjectives ?? []) index.add(a, { ...entry, adjective: true }, false);
  }
  return index;
}

/** Canonical English name of a place written in any listed spelling, or null. */
export function resolvePlace(name: string): string | null {
  const ws = keyedWords(name);
  if (ws.length === 0) return null;
  const m = placeIndex().matchAt(
    ws.map((w) => ({ ...w, cap: true })),
    0,
    name,
  );
  return m && m.to === ws.length ? m.value.name : null;
}

// "Urdzhar district", "village of Karatuma", "в селе Каратума", "Урджарского района"
const EN_LOCAL_RE =
  /\b(?:village|town|settlement|city|district|region) of ((?:\p{Lu}[\p{L}\-']+)(?: \p{Lu}[\p{L}\-']+)?)|\b((?:\p{Lu}[\p{L}\-']+)(?: \p{Lu}[\p{L}\-']+)?) (district|village|region)\b/gu;
const RU_LOCAL_RE =
  /(?:сел[оеау]|посел[ок]\p{L}*|пос\.|с\.|город[ау]?|г\.|аул[ае]?|деревн\p{L}+|микрорайон\p{L}*|мкр\.?)\s+(\p{Lu}[\p{L}-]+(?:[ -](?!\p{Lu}\p{L}+(?:ского|ский|ской|ском|ому)\s)\p{Lu}[\p{L}-]+)?)|(\p{Lu}[\p{L}-]+(?:ск|цк|зк)(?:ий|ого|ом|ому|ем)) (район\p{L}*)/gu;

/** Cyrillic to Latin with a capital first letter: "Сауран" → "Sauran". */
function latinTitle(s: string): string {
  const l = cyrillicToLatin(s);
  return l.charAt(0).toUpperCase() + l.slice(1);
}

const NOT_A_PLACE = new Set([
  'The',
  'This',
  'That',
  'Police',
  'Regional',
  'City',
  'District',
  'Prosecutor',
  'Court',
  'State',
]);

/** Places named in `text`, one per canonical name, first mention's span. */
export function extractPlaces(text: string, ws: KeyedWord[] = keyedWords(text)): ExtractedPlace[] {
  const out = new Map<string, ExtractedPlace>();
  const add = (p: ExtractedPlace) => {
    const key = p.name.toLowerCase();
    if (!out.has(key)) out.set(key, p);
  };
  for (const m of placeIndex().findAll(ws, text)) {
    // "Almaty Region" is a region; a bare adjective "алматинский" names the city only before a facility word.
    const e = m.value;
    if (e.adjective && /^\s*(?:област|облыс|район)/i.test(text.slice(m.end, m.end + 12))) continue;
    add({
      name: e.name,
      type: e.type,
      text: text.slice(m.start, m.end),
      span: { start: m.start, end: m.end },
      confidence: e.adjective ? 0.6 : 0.9,
    });
  }
  for (const m of text.matchAll(EN_LOCAL_RE)) {
    let name = (m[1] ?? m[2])?.replace(/^\p{L}+['’]s\s+/u, '');
    if (!name) continue;
    // "In Urdzhar district": a capitalised function word at the start of a sentence is not part of the name.
    if (/^(?:In|On|At|From|To|For|And|Of|By|The|A|An|Near|Across|Throughout)\s/.test(name))
      name = name.replace(/^\S+\s/, '');
    if (
      NOT_A_PLACE.has(name.split(' ')[0] ?? '') ||
      placeIndex().matchAt(keyedWords(name), 0, name)?.to === name.split(' ').length
    )
      continue;
    if (/^(East|West|North|South|Almaty|Zhetysu)/.test(name) && m[3] === 'region') continue;
    const type: PlaceType =
      m[3] === 'district' || /district of/.test(m[0]) ? 'district' : m[3] === 'region' ? 'region' : 'other';
    const label = type === 'district' ? `${name} District` : type === 'region' ? `${name} Region` : name;
    const start = m.index + m[0].indexOf(name);
    add({
      name: label,
      type,
      text: name + m[0].slice(m[0].indexOf(name) + name.length),
      span: { start, end: start + name.length },
      confidence: 0.6,
    });
  }
  for (const m of text.matchAll(RU_LOCAL_RE)) {
    let name = m[1] ?? m[2];
    if (!name) continue;
    if (m[1] && /\s\p{Lu}\p{L}+(?:ского|ский|ской|ском)$/u.test(name)) name = name.split(/\s/)[0] ?? name;
    const start = m.index + m[0].indexOf(name);
    if (m[1] && (out.has(name.toLowerCase()) || placeIndex().matchAt(keyedWords(name), 0, name))) continue;
    // "Сауранского района" → "Sauran District", the form English texts and the gazetteer use
    const label = m[2]
      ? `${latinTitle(name.replace(/(?:ский|ского|ском|скому|ским|цкий|цкого|цком)$/u, ''))} District`
      : name;
    add({
      name: label,
      type: m[2] ? 'district' : 'other',
      text: clean(m[0]),
      span: { start, end: start + name.length },
      confidence: 0.5,
    });
  }
  return [...out.values()].sort((a, b) => a.span.start - b.span.start);
}
