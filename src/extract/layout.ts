/**
 * Facility layout, as a text declares it: buildings with their number of floors, the number of
 * cells, rooms with their declared use, and safeguards (visits, medical intake, video recording).
 */
import { numberWord } from './numbers.ts';
import { clean } from './text.ts';
import type { ExtractedFacilityLayout } from './types.ts';

const NUM = String.raw`(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|один|одно|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять)`;
const numberOf = (w: string): number | null =>
  /^\d+$/.test(w) ? Number(w) : /^an?$/i.test(w) ? 1 : (numberWord(w)?.value ?? null);

const BUILDING_RE = new RegExp(
  String.raw`\b(${NUM})\s+(?:([\p{L}\-]+)\s+)?(${NUM})(?:\s+(?:and|or|to)\s+(${NUM}))?[\s-]+(?:story|storey|stories|storeys|floor)\s+((?:[\p{L}\-]+\s+){0,2}?)(buildings?|blocks?|premises)\b|(?<![\p{L}])(${NUM})\s+((?:[\p{L}\-]+\s+){0,2}?)(${NUM})(?:\s*(?:и|или|-)\s*(${NUM}))?-?этажн\p{L}*\s+((?:[\p{L}\-]+\s+){0,2}?)(здани\p{L}*|корпус\p{L}*)`,
  'giu',
);
const CELLS_RE = /(?<![\p{L}\d])(\d+)\s+(?:cells|камер\p{L}*)(?![\p{L}])/giu;
const ROOM_RE =
  /\b((?:semi-)?basement (?:rooms|premises)|(?:полу)?подвальн\p{L}* помещени\p{L}*)[^.]{0,120}?(?:used|используются)\s+(?:exclusively\s+|only\s+|исключительно\s+|только\s+)?(?:for|для|под)\s+([^.”»"]{3,120})/giu;
const VISITS_RE =
  /(?:regularly\s+)?visited\s+by\s+([^.”»"]{3,200})|(?:регулярно\s+)?посеща\p{L}*\s+([^.”»"]{3,200})/giu;

/** The layout facts of `text`, or null when it declares none. */
export function extractLayout(text: string): ExtractedFacilityLayout | null {
  const layout: ExtractedFacilityLayout = { buildings: [], cells: null, declared_rooms: [], declared_safeguards: [] };
  for (const m of text.matchAll(BUILDING_RE)) {
    const en = m[1] !== undefined;
    const count = numberOf((en ? m[1] : m[7]) ?? '');
    const lo = numberOf((en ? m[3] : m[9]) ?? '');
    const hiText = en ? m[4] : m[10];
    const hi = hiText ? numberOf(hiText) : null;
    if (count === null || lo === null) continue;
    const adjs = clean(`${(en ? m[2] : m[8]) ?? ''} ${(en ? m[5] : m[11]) ?? ''}`);
    const noun = (en ? m[6] : m[12]) ?? '';
    layout.buildings.push({
      label: clean(`${adjs} ${noun}`),
      count,
      floors: hi !== null ? `${lo}-${hi}` : lo,
      span: { start: m.index, end: m.index + m[0].length },
      confidence: 0.8,
    });
  }
  for (const m of text.matchAll(CELLS_RE)) {
    if (layout.cells) break;
    layout.cells = { value: Number(m[1]), span: { start: m.index, end: m.index + m[0].length }, confidence: 0.8 };
  }
  for (const m of text.matchAll(ROOM_RE)) {
    const uses = (m[2] ?? '')
      .split(/\s*(?:,|\band\b|\bи\b)\s*/u)
      .map(clean)
      .filter(Boolean);
    const access = /(?:entrance|вход)[^.]{0,60}?(?:from the outside|снаружи|с улицы)/iu.exec(
      text.slice(m.index, m.index + 600),
    );
    layout.declared_rooms.push({
      label: (m[1] ?? '').toLowerCase(),
      declared_use: uses,
      ...(access ? { access: 'from outside the buildings' } : {}),
      span: { start: m.index, end: m.index + m[0].length },
      confidence: 0.7,
    });
  }
  for (const m of text.matchAll(VISITS_RE)) {
    const list = m[1] ?? m[2] ?? '';
    for (const who of list
      .split(/\s*(?:,|\band\b|\bи\b)\s*/u)
      .map((s) => clean(s.replace(/^(?:the|employees of the|members of the|employees of|members of)\s+/i, '')))) {
      if (who.length > 2)
        layout.declared_safeguards.push({
          text: `regular visits by ${who}`,
          span: { start: m.index, end: m.index + m[0].length },
          confidence: 0.6,
        });
    }
  }
  const video = /video (?:filming|recording|surveillance)|видеосъ[её]мк\p{L}*|видеонаблюдени\p{L}*/iu.exec(text);
  if (video) {
    const m = video;
    layout.declared_safeguards.push({
      text: 'video filming of intake',
      span: { start: m.index, end: m.index + m[0].length },
      confidence: 0.5,
    });
  }
  const intake =
    /(?:reception|intake|приём|прием)[^.]{0,80}?(?:medical workers|medical staff|медицинск\p{L}* работник\p{L}*)/iu.exec(
      text,
    );
  if (intake)
    layout.declared_safeguards.push({
      text: 'intake by medical workers and duty officers',
      span: { start: intake.index, end: intake.index + intake[0].length },
      confidence: 0.5,
    });
  const empty = !layout.buildings.length && !layout.cells && !layout.declared_rooms.length;
  return empty ? null : layout;
}
