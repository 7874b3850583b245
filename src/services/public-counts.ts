/**
 * The one table of public counts: every documented count the public pages show (statistics,
 * facility list, facility pages, the counterparts of reported figures) is read from it, so each
 * count shows the same way everywhere and complementary suppression holds across pages.
 *
 * Cells and their sums (see public-suppression.ts):
 *   total = Σ facilities (every facility, and "facility not recorded")
 *   total = Σ years (and "year not recorded")
 *   year  = Σ months of that year (and "month not recorded")
 *   total = Σ classifications
 *   acts: a breakdown of the total that does not add up (an allegation counts under each of its acts)
 *   funnel steps: counts of proceedings, nested ("ever reached"), never added: no sums to protect.
 * No ad-hoc filters: two tables over overlapping populations (2022, and January–June 2022)
 * would let a reader subtract one from the other and recover what both suppress.
 */
import type { Kysely } from 'kysely';
import { FUNNEL_STEPS, funnelSteps, type FunnelStep } from '../domain/funnel.ts';
import { ACT_KINDS, CLASSIFICATIONS } from '../domain/vocabularies.ts';
import type { Database } from '../store/schema.ts';
import { listPublicFacilityNames } from '../store/repositories/public-facility.repository.ts';
import {
  countedAllegationCells,
  countedAllegationsByAct,
  countedFunnel,
} from '../store/repositories/public-statistics.repository.ts';
import { suppressCounts, type CountGroup, type PublicCount } from '../domain/public-suppression.ts';

/**
 * Documented counts as the public sees them. Rows are in a fixed order (names, dates, vocabulary),
 * never by count: sorting by the true counts would rank the hidden cells.
 */
export interface PublicCounts {
  allegations: {
    total: PublicCount;
    byFacility: { facilityId: string | null; name: string | null; count: PublicCount }[];
    byYear: { year: string | null; count: PublicCount }[];
    byMonth: { year: string; month: string | null; count: PublicCount }[];
    byClassification: { classification: string; label: string; count: PublicCount }[];
    byAct: { act: string; label: string; count: PublicCount }[];
  };
  funnel: Record<FunnelStep, PublicCount>;
  /** The allegation count of one facility, as the facility's own page shows it. */
  facility(id: string): PublicCount;
}

const NONE = '∅';
const facilityCell = (id: string | null) => `facility:${id ?? NONE}`;
const yearCell = (y: string | null) => `year:${y ?? NONE}`;
const monthCell = (y: string, m: string | null) => `month:${y}:${m ?? NONE}`;
const classCell = (c: string) => `class:${c}`;
const actCell = (a: string) => `act:${a}`;
const funnelCell = (s: FunnelStep) => `funnel:${s}`;

function label(list: readonly { id: string; en: string }[], id: string): string {
  return list.find((t) => t.id === id)?.en ?? id;
}

/** Text order with null last. */
function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Reads the counts (in the caller's snapshot) and suppresses them as one table. */
export async function loadPublicCounts(db: Kysely<Database>): Promise<PublicCounts> {
  const facilities = await listPublicFacilityNames(db);
  // Cells go in a fixed order, whatever order the database returns rows in: the order breaks
  // ties between equal complements, and both dialects must suppress the same cells.
  const rows = (await countedAllegationCells(db)).sort(
    (a, b) => cmp(a.period, b.period) || cmp(a.facilityId, b.facilityId) || cmp(a.classification, b.classification),
  );
  const acts = await countedAllegationsByAct(db);
  const actOrder = (act: string) => {
    const i = ACT_KINDS.findIndex((k) => k.id === act);
    return i < 0 ? ACT_KINDS.length : i;
  };
  acts.sort((a, b) => actOrder(a.act) - actOrder(b.act) || cmp(a.act, b.act));
  const funnelRaw = await countedFunnel(db);

  const cells = new Map<string, number>();
  const add = (id: string, v: number) => cells.set(id, (cells.get(id) ?? 0) + v);
  add('total', 0);
  for (const f of facilities) add(facilityCell(f.id), 0);
  add(facilityCell(null), 0);
  for (const c of CLASSIFICATIONS) add(classCell(c.id), 0);
  for (const r of rows) {
    const { period } = r;
    const year = period === null ? null : period.slice(0, 4);
    add('total', r.count);
    add(facilityCell(r.facilityId), r.count);
    add(yearCell(year), r.count);
    if (period !== null && year !== null) add(monthCell(year, period.length >= 7 ? period : null), r.count);
    add(classCell(r.classification), r.count);
  }
  for (const a of acts) add(actCell(a.act), a.count);
  const funnel = funnelSteps(funnelRaw);
  for (const s of FUNNEL_STEPS) add(funnelCell(s), funnel[s]);

  const ids = [...cells.keys()];
  const starting = (prefix: string) => ids.filter((id) => id.startsWith(prefix));
  const years = starting('year:').map((id) => id.slice('year:'.length));
  const groups: CountGroup[] = [
    { total: 'total', parts: starting('facility:') },
    { total: 'total', parts: starting('year:') },
    { total: 'total', parts: starting('class:') },
    ...years.filter((y) => y !== NONE).map((y) => ({ total: yearCell(y), parts: starting(`month:${y}:`) })),
  ];
  const s = suppressCounts({ cells, groups, nested: [{ of: 'total', parts: starting('act:') }] });

  // Rows of a withheld breakdown are left out; so are rows of 0 where the vocabulary does not fix the rows.
  const shown = (id: string) => s.status(id) !== 'withheld';
  const nonZero = (id: string) => shown(id) && (cells.get(id) ?? 0) > 0;
  const names = new Map(facilities.map((f) => [f.id, f.name]));
  const yearOf = (y: string) => (y === NONE ? null : y);

  return {
    allegations: {
      total: s.show('total'),
      byFacility: [...facilities.map((f) => f.id), null]
        .filter((id) => nonZero(facilityCell(id)))
        .map((id) => ({
          facilityId: id,
          name: id === null ? null : (names.get(id) ?? null),
          count: s.show(facilityCell(id)),
        })),
      byYear: years
        .map(yearOf)
        .sort(cmp)
        .filter((y) => nonZero(yearCell(y)))
        .map((year) => ({ year, count: s.show(yearCell(year)) })),
      byMonth: starting('month:')
        .filter(nonZero)
        .map((id) => {
          const [, year, month] = id.split(':') as [string, string, string];
          return { year, month: month === NONE ? null : month, count: s.show(id) };
        })
        .sort((a, b) => cmp(a.year, b.year) || cmp(a.month, b.month)),
      byClassification: CLASSIFICATIONS.filter((c) => shown(classCell(c.id))).map((c) => ({
        classification: c.id,
        label: c.en,
        count: s.show(classCell(c.id)),
      })),
      byAct: acts
        .map((a) => a.act)
        .filter((act) => nonZero(actCell(act)))
        .map((act) => ({ act, label: label(ACT_KINDS, act), count: s.show(actCell(act)) })),
    },
    funnel: Object.fromEntries(FUNNEL_STEPS.map((step) => [step, s.show(funnelCell(step))])) as Record<
      FunnelStep,
      PublicCount
    >,
    // A facility the snapshot did not see gets the safe answer, never a number.
    facility: (id) => (cells.has(facilityCell(id)) ? s.show(facilityCell(id)) : 'withheld'),
  };
}
