/**
 * Small-count suppression for public statistics (domain.md PR7, PR8). Pure: no I/O, no clock.
 *
 * A table is a set of cells (id → true count) and additive groups (`total` = sum of `parts`):
 * everything a reader can add up — a breakdown and its total, months within a year, the same
 * grand total shared by several breakdowns. `nested` lists breakdowns that do not add up (an
 * allegation alleging two acts counts under both).
 *
 * Rules:
 * - Primary suppression (PR7): a cell of 1–4 shows as `'<5'`. A 0 is shown: it names no one,
 *   and hiding zeros would make every table harder to read for no protection.
 * - A cell shown as `'<5'` is not broken down: the parts of its groups (and of theirs) are
 *   `'withheld'`, zeros included, so a reader learns neither their values nor which are non-zero.
 *   Without this, a total of 4 split over 4 months would give every month away (each is ≥ 1).
 * - Complementary suppression (PR8): no hidden cell may be recomputable from what is shown. The
 *   reader is taken to know every shown number, the group sums and what the markers mean:
 *   `'<5'` is 1–4; `'suppressed'` is a complement, and since 0 and 1–4 are shown as such, at
 *   least 5; `'withheld'` is any count. A cell is recomputable when that leaves it one possible
 *   value other than 0 (a hidden 0 gives nothing away: zeros are shown anyway). This is checked
 *   by propagating bounds through all groups to a fixed point, which is exact for the
 *   tree-shaped tables Vigil publishes (breakdowns of one total, months under years) but only an
 *   outer bound for tables with cycles (a facility × year table with both margins), which need
 *   a network-flow audit before they are published.
 *   It covers the familiar case (a published total and one hidden part) and the less familiar
 *   ones: two `'<5'` parts that must both be 1, a `'<5'` and a complement that must be 1 and 5.
 * - Complements are picked cheapest first — a part before a total, a smaller count before a
 *   larger, one that alone makes the pinned cell ambiguous before one that does not — and the
 *   loop repeats until nothing is pinned. When everything around a pinned cell is already hidden
 *   and the markers alone still pin it, a whole breakdown of it is withheld. Should even that not
 *   help, it throws rather than publish a table that gives a cell away.
 *
 * Residual risks, by design not covered: differences between tables of overlapping populations
 * (so public statistics take no ad-hoc filters); differences between runs over time (a count
 * going from 7 to 8); a reader who replays this deterministic choice of complements to learn
 * why one was picked.
 */

import { required } from './required.ts';

/** Counts below this are never shown (PR7: k = 5). */
export const MIN_PUBLIC_COUNT = 5;

/**
 * A count as the public sees it: the number; `'<5'` (1–4); `'suppressed'` (hidden so that a
 * `'<5'` elsewhere can't be recomputed); `'withheld'` (a part of a count shown as `'<5'`, or of
 * a breakdown withheld because its markers alone would give a count away).
 */
export type PublicCount = number | '<5' | 'suppressed' | 'withheld';

/** Why a cell shows what it shows. */
type CellStatus = 'published' | 'primary' | 'secondary' | 'withheld';

/** `total` is the sum of `parts`. */
export interface CountGroup {
  readonly total: string;
  readonly parts: readonly string[];
}

/** `parts` break `of` down without adding up to it (e.g. allegations by act). */
interface NestedBreakdown {
  readonly of: string;
  readonly parts: readonly string[];
}

/** Cells by id (insertion order is the tie-break order, so pass them in a stable order) and how they relate. */
export interface CountTable {
  readonly cells: ReadonlyMap<string, number>;
  readonly groups: readonly CountGroup[];
  readonly nested?: readonly NestedBreakdown[];
}

/** The outcome: what each cell shows. */
export interface SuppressedTable {
  status(id: string): CellStatus;
  /** The public form of a cell (throws for a cell not in the table: every public count must come from it). */
  show(id: string): PublicCount;
  /** Ids of the cells hidden as complements. */
  readonly complements: readonly string[];
}

interface Bound {
  lo: number;
  hi: number; // may be Infinity
}

const MAX_ROUNDS = 10_000;

/** What a reader knows about each cell from its public form and the meaning of the markers. */
function readerBounds(cells: ReadonlyMap<string, number>, status: ReadonlyMap<string, CellStatus>): Map<string, Bound> {
  const b = new Map<string, Bound>();
  for (const [id, v] of cells) {
    const s = status.get(id) ?? 'published';
    b.set(
      id,
      s === 'published'
        ? { lo: v, hi: v }
        : s === 'primary'
          ? { lo: 1, hi: MIN_PUBLIC_COUNT - 1 }
          : s === 'secondary'
            ? { lo: MIN_PUBLIC_COUNT, hi: Infinity }
            : { lo: 0, hi: Infinity },
    );
  }
  return b;
}

/**
 * Tightens the bounds with every group sum until nothing changes: what a reader can infer about
 * each cell. The true values always stay inside; a bound that closes (lo = hi) is a cell given away.
 */
function propagateBounds(groups: readonly CountGroup[], start: ReadonlyMap<string, Bound>): Map<string, Bound> {
  const b = new Map<string, Bound>([...start].map(([k, v]) => [k, { ...v }]));
  const get = (id: string): Bound => {
    const x = b.get(id);
    if (!x) throw new Error(`suppression: group refers to unknown cell ${id}`);
    return x;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    const tighten = (x: Bound, lo: number, hi: number) => {
      if (lo > x.lo) {
        x.lo = lo;
        changed = true;
      }
      if (hi < x.hi) {
        x.hi = hi;
        changed = true;
      }
      if (x.lo > x.hi) throw new Error('suppression: the table does not add up');
    };
    for (const g of groups) {
      const t = get(g.total);
      const parts = g.parts.map(get);
      let loSum = 0;
      let hiFinite = 0;
      let hiInfinite = 0;
      for (const p of parts) {
        loSum += p.lo;
        if (p.hi === Infinity) hiInfinite += 1;
        else hiFinite += p.hi;
      }
      tighten(t, loSum, hiInfinite > 0 ? Infinity : hiFinite);
      for (const p of parts) {
        const othersInfinite = hiInfinite - (p.hi === Infinity ? 1 : 0);
        const othersHi = othersInfinite > 0 ? Infinity : hiFinite - (p.hi === Infinity ? 0 : p.hi);
        tighten(p, t.lo - othersHi, t.hi - (loSum - p.lo));
      }
    }
    if (!changed) return b;
  }
  throw new Error('suppression: bounds did not settle');
}

function checkTable(t: CountTable): void {
  for (const [id, v] of t.cells) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`suppression: cell ${id} is not a count: ${v}`);
  }
  for (const n of t.nested ?? []) {
    for (const id of [n.of, ...n.parts])
      if (!t.cells.has(id)) throw new Error(`suppression: breakdown refers to unknown cell ${id}`);
  }
  for (const g of t.groups) {
    const total = t.cells.get(g.total);
    const sum = g.parts.reduce((s, p) => {
      const v = t.cells.get(p);
      if (v === undefined) throw new Error(`suppression: group refers to unknown cell ${p}`);
      return s + v;
    }, 0);
    if (total === undefined) throw new Error(`suppression: group refers to unknown cell ${g.total}`);
    if (total !== sum) throw new Error(`suppression: ${g.total} is ${total} but its parts add up to ${sum}`);
  }
}

/** Withholds `start` and, down the tree, the parts of every cell shown as `'<5'` or withheld. */
function withhold(table: CountTable, status: Map<string, CellStatus>, start: Iterable<string> = []): void {
  for (const id of start) status.set(id, 'withheld');
  const breakdowns = [...table.groups.map((g) => ({ of: g.total, parts: g.parts })), ...(table.nested ?? [])];
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of breakdowns) {
      const s = status.get(b.of);
      if (s !== 'primary' && s !== 'withheld') continue;
      for (const p of b.parts) {
        if (status.get(p) !== 'withheld') {
          status.set(p, 'withheld');
          changed = true;
        }
      }
    }
  }
}

/**
 * Hidden cells whose bounds closed on a count above 0, in table order. A hidden 0 that a reader
 * can work out (a withheld part of a row that adds up to 0) gives nothing away: zeros are shown.
 */
function pinnedCells(table: CountTable, status: ReadonlyMap<string, CellStatus>): string[] {
  const b = propagateBounds(table.groups, readerBounds(table.cells, status));
  return [...table.cells.keys()].filter((id) => {
    const x = b.get(id);
    return x !== undefined && status.get(id) !== 'published' && x.lo === x.hi && x.lo > 0;
  });
}

/** The groups around a cell, layer by layer: its own groups, then the groups of their cells, and so on. */
function groupLayers(id: string, groupsOf: ReadonlyMap<string, readonly CountGroup[]>): CountGroup[][] {
  const seen = new Set<CountGroup>();
  const layers: CountGroup[][] = [];
  let frontier = [id];
  const visited = new Set(frontier);
  while (frontier.length > 0) {
    const layer = frontier.flatMap((c) => groupsOf.get(c) ?? []).filter((g) => !seen.has(g) && seen.add(g));
    if (layer.length === 0) break;
    layers.push(layer);
    frontier = layer.flatMap((g) => [g.total, ...g.parts]).filter((c) => !visited.has(c) && visited.add(c));
  }
  return layers;
}

/**
 * Applies primary and complementary suppression to a table; see the module comment for the rules.
 *
 * @example
 *   // A breakdown by facility with its published total: 3 at A would be 11 − 8, so B is hidden too.
 *   const s = suppressCounts({ cells: new Map([['T', 11], ['A', 3], ['B', 8]]), groups: [{ total: 'T', parts: ['A', 'B'] }] });
 *   s.show('A'); // '<5'
 *   s.show('B'); // 'suppressed'
 *   s.show('T'); // 11
 */
export function suppressCounts(table: CountTable): SuppressedTable {
  checkTable(table);
  const status = new Map<string, CellStatus>();
  for (const [id, v] of table.cells) status.set(id, v > 0 && v < MIN_PUBLIC_COUNT ? 'primary' : 'published');
  withhold(table, status);

  const order = new Map([...table.cells.keys()].map((id, i) => [id, i]));
  const isTotal = new Set(table.groups.map((g) => g.total));
  const groupsOf = new Map<string, CountGroup[]>();
  for (const g of table.groups)
    for (const id of [g.total, ...g.parts]) groupsOf.set(id, [...(groupsOf.get(id) ?? []), g]);
  const cost = (id: string) =>
    [
      isTotal.has(id) ? 1 : 0,
      required(table.cells.get(id), `cell ${id}`),
      required(order.get(id), `cell ${id}`),
    ] as const;
  const byCost = (a: string, b: string) => {
    const [x, y] = [cost(a), cost(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  // Nearest groups first, then cheapest: a complement close to the pinned cell loosens it most directly.
  const open = (ids: Iterable<string>) =>
    [...new Set(ids)].filter((id) => status.get(id) === 'published' && (table.cells.get(id) ?? 0) > 0);

  const complements: string[] = [];
  for (let first = pinnedCells(table, status)[0]; first !== undefined; first = pinnedCells(table, status)[0]) {
    const u = first;
    const frees = (change: (trial: Map<string, CellStatus>) => void) => {
      const trial = new Map(status);
      change(trial);
      return !pinnedCells(table, trial).includes(u);
    };
    const groups = groupLayers(u, groupsOf);
    const candidates = groups.flatMap((layer) => open(layer.flatMap((g) => [g.total, ...g.parts])).sort(byCost));
    const [cheapest] = candidates;
    if (cheapest !== undefined) {
      // Prefer a complement that alone makes u ambiguous; otherwise take the cheapest and go round again.
      const choice = candidates.slice(0, 20).find((c) => frees((t) => t.set(c, 'secondary'))) ?? cheapest;
      status.set(choice, 'secondary');
      complements.push(choice);
      continue;
    }
    // Everything around u is hidden and the markers alone still pin it (three <5 facilities and a
    // complement make at least 8; two <5 classifications at most 8): withhold a whole breakdown.
    const open_ = groups.flat().filter((g) => g.parts.some((p) => status.get(p) !== 'withheld'));
    const [firstOpen] = open_;
    if (firstOpen === undefined) throw new Error(`suppression: cannot protect cell ${u}`);
    const group = open_.find((g) => frees((t) => withhold(table, t, g.parts))) ?? firstOpen;
    withhold(table, status, group.parts);
  }

  return {
    complements,
    status: (id) => {
      const s = status.get(id);
      if (s === undefined) throw new Error(`suppression: no cell ${id}`);
      return s;
    },
    show: (id) => {
      const s = status.get(id);
      if (s === 'primary') return '<5';
      if (s === 'secondary') return 'suppressed';
      if (s === 'withheld') return 'withheld';
      const v = table.cells.get(id);
      if (v === undefined) throw new Error(`suppression: no cell ${id}`);
      return v;
    },
  };
}
