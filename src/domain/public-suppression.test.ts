import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_PUBLIC_COUNT,
  suppressCounts,
  type CountGroup,
  type CountTable,
  type SuppressedTable,
} from './public-suppression.ts';

const K = MIN_PUBLIC_COUNT;

/** What a reader knows of a hidden cell: `'<5'` is 1–4, `'suppressed'` at least 5 (zeros are never complements), `'withheld'` anything. */
function readerDomain(shown: unknown, cap: number): [number, number] {
  if (shown === '<5') return [1, K - 1];
  if (shown === 'suppressed') return [K, cap];
  if (shown === 'withheld') return [0, cap];
  throw new Error(`not a hidden cell: ${String(shown)}`);
}

/**
 * Independent check of PR8 by search: for each hidden non-zero cell, is there another assignment
 * of all hidden cells, within what the reader knows, that satisfies every group sum and gives
 * that cell a different value? Branch and bound: domains are narrowed by the group sums at each
 * node (which never drops a solution), and every leaf is checked against the sums exactly.
 */
function recomputableCells(table: CountTable, s: SuppressedTable): string[] {
  const ids = [...table.cells.keys()];
  const cap = 2 * Math.max(0, ...table.cells.values()) + 10;
  const start = new Map<string, [number, number]>(
    ids.map((id) => [
      id,
      s.status(id) === 'published' ? [table.cells.get(id)!, table.cells.get(id)!] : readerDomain(s.show(id), cap),
    ]),
  );
  let nodes = 0;

  const narrow = (d: Map<string, [number, number]>): boolean => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const g of table.groups) {
        const [tLo, tHi] = d.get(g.total)!;
        const lo = g.parts.reduce((a, p) => a + d.get(p)![0], 0);
        const hi = g.parts.reduce((a, p) => a + d.get(p)![1], 0);
        const nt: [number, number] = [Math.max(tLo, lo), Math.min(tHi, hi)];
        if (nt[0] > nt[1]) return false;
        if (nt[0] !== tLo || nt[1] !== tHi) {
          d.set(g.total, nt);
          changed = true;
        }
        for (const p of g.parts) {
          const [pLo, pHi] = d.get(p)!;
          const np: [number, number] = [Math.max(pLo, nt[0] - (hi - pHi)), Math.min(pHi, nt[1] - (lo - pLo))];
          if (np[0] > np[1]) return false;
          if (np[0] !== pLo || np[1] !== pHi) {
            d.set(p, np);
            changed = true;
          }
        }
      }
    }
    return true;
  };

  const solvable = (d: Map<string, [number, number]>): boolean => {
    if (++nodes > 500_000) throw new Error('search too large for this test');
    if (!narrow(d)) return false;
    const open = ids.filter((id) => d.get(id)![0] < d.get(id)![1]);
    if (open.length === 0) {
      return table.groups.every((g) => d.get(g.total)![0] === g.parts.reduce((a, p) => a + d.get(p)![0], 0));
    }
    const v = open.reduce((a, b) => (d.get(a)![1] - d.get(a)![0] <= d.get(b)![1] - d.get(b)![0] ? a : b));
    const [lo, hi] = d.get(v)!;
    for (let x = lo; x <= hi; x++) if (solvable(new Map(d).set(v, [x, x]))) return true;
    return false;
  };

  return ids.filter((id) => {
    const truth = table.cells.get(id)!;
    // A hidden 0 worked out gives nothing away: zeros are shown.
    if (s.status(id) === 'published' || truth === 0) return false;
    const [lo, hi] = start.get(id)!;
    for (let x = lo; x <= hi; x++) if (x !== truth && solvable(new Map(start).set(id, [x, x]))) return false;
    return true;
  });
}

/**
 * The weaker rule as usually stated: a group with a published total never has exactly one hidden
 * part — unless that part is 0 (a withheld 0 worked out gives nothing away).
 */
function singletonGroups(table: CountTable, s: SuppressedTable): CountGroup[] {
  return table.groups.filter((g) => {
    if (s.status(g.total) !== 'published') return false;
    const hidden = g.parts.filter((p) => s.status(p) !== 'published');
    return hidden.length === 1 && table.cells.get(hidden[0]!)! > 0;
  });
}

/** A one-dimensional breakdown with its total. */
function breakdown(values: number[]): CountTable {
  const cells = new Map<string, number>([['T', values.reduce((a, b) => a + b, 0)]]);
  values.forEach((v, i) => {
    cells.set(`c${i}`, v);
  });
  return { cells, groups: [{ total: 'T', parts: values.map((_, i) => `c${i}`) }] };
}

interface Record_ {
  facility: number | null;
  year: number | null;
  month: number | null;
  cls: number;
}

/**
 * The shape Vigil publishes: one total broken down by facility, by year (months under each year,
 * with "month unknown"), and by classification.
 */
function publishedShape(records: Record_[]): CountTable {
  const cells = new Map<string, number>();
  const add = (id: string, n = 1) => cells.set(id, (cells.get(id) ?? 0) + n);
  add('T', 0);
  for (const r of records) {
    add('T');
    add(`F:${r.facility ?? '-'}`);
    add(`Y:${r.year ?? '-'}`);
    if (r.year !== null) add(`M:${r.year}:${r.month ?? '-'}`);
    add(`C:${r.cls}`);
  }
  const ids = [...cells.keys()];
  const groups: CountGroup[] = [
    { total: 'T', parts: ids.filter((i) => i.startsWith('F:')) },
    { total: 'T', parts: ids.filter((i) => i.startsWith('Y:')) },
    { total: 'T', parts: ids.filter((i) => i.startsWith('C:')) },
  ];
  for (const y of ids.filter((i) => i.startsWith('Y:') && i !== 'Y:-')) {
    groups.push({ total: y, parts: ids.filter((i) => i.startsWith(`M:${y.slice(2)}:`)) });
  }
  return { cells, groups };
}

const recordArb = fc.record({
  facility: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 6 }),
  year: fc.option(fc.constantFrom(2021, 2022), { freq: 6 }),
  month: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 4 }),
  cls: fc.integer({ min: 0, max: 2 }),
});

describe('small-count suppression', () => {
  it('shows 1–4 as <5, keeps 0 and counts of 5 or more, and hides a complement when one cell would be total minus the rest', () => {
    const s = suppressCounts({
      cells: new Map([
        ['T', 11],
        ['A', 3],
        ['B', 8],
        ['C', 0],
      ]),
      groups: [{ total: 'T', parts: ['A', 'B', 'C'] }],
    });
    expect([s.show('T'), s.show('A'), s.show('B'), s.show('C')]).toEqual([11, '<5', 'suppressed', 0]);
    expect(s.complements).toEqual(['B']);
  });

  it('publishes everything when no cell is small', () => {
    const s = suppressCounts(breakdown([7, 0, 12]));
    expect([s.show('T'), s.show('c0'), s.show('c1'), s.show('c2')]).toEqual([19, 7, 0, 12]);
    expect(s.complements).toEqual([]);
  });

  it('hides the total when hiding the next-smallest cell would still pin the small one', () => {
    // 1 + 5 = 6: with the 5 hidden, a reader knows it is ≥ 5 and the <5 is ≥ 1, so both are pinned.
    const s = suppressCounts(breakdown([1, 5]));
    expect([s.show('T'), s.show('c0'), s.show('c1')]).toEqual(['suppressed', '<5', 5]);
  });

  it('does not leave two <5 cells that must both be 1', () => {
    const t = breakdown([1, 1, 9]);
    const s = suppressCounts(t);
    expect(recomputableCells(t, s)).toEqual([]);
    expect(s.show('c2')).toBe('suppressed');
  });

  it('does not break down a count shown as <5: 4 allegations in 4 months would otherwise be 1 each', () => {
    const t: CountTable = {
      cells: new Map([
        ['T', 9],
        ['Y1', 5],
        ['Y2', 4],
        ['M2a', 1],
        ['M2b', 1],
        ['M2c', 1],
        ['M2d', 1],
        ['M1', 5],
        ['A', 3],
        ['B', 0],
      ]),
      groups: [
        { total: 'T', parts: ['Y1', 'Y2'] },
        { total: 'Y1', parts: ['M1'] },
        { total: 'Y2', parts: ['M2a', 'M2b', 'M2c', 'M2d'] },
      ],
      nested: [{ of: 'Y2', parts: ['A', 'B'] }],
    };
    const s = suppressCounts(t);
    expect(['M2a', 'M2b', 'M2c', 'M2d', 'A', 'B'].map((id) => s.show(id))).toEqual(Array(6).fill('withheld'));
    expect(s.show('Y2')).toBe('<5');
    expect(recomputableCells(t, s)).toEqual([]);
  });

  it('refuses a table whose parts do not add up to the total', () => {
    expect(() =>
      suppressCounts({
        cells: new Map([
          ['T', 5],
          ['A', 3],
        ]),
        groups: [{ total: 'T', parts: ['A'] }],
      }),
    ).toThrow(/add up/);
  });

  it('property: in a breakdown with a published total, no hidden cell can be recomputed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 }), (values) => {
        const t = breakdown(values);
        const s = suppressCounts(t);
        const total = values.reduce((a, b) => a + b, 0);
        values.forEach((v, i) => {
          const shown = s.show(`c${i}`);
          if (total >= 1 && total <= 4)
            expect(shown).toBe('withheld'); // a <5 total is not broken down
          else if (v >= 1 && v <= 4) expect(shown).toBe('<5');
          else if (v === 0) expect(shown).toBe(0);
          else expect(shown === v || shown === 'suppressed').toBe(true);
        });
        expect(singletonGroups(t, s)).toEqual([]);
        expect(recomputableCells(t, s)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: in breakdowns by facility, year → month and classification of one total, no hidden cell can be recomputed', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 14 }), (records) => {
        const t = publishedShape(records);
        const s = suppressCounts(t);
        for (const [id, v] of t.cells) if (v >= 1 && v <= 4) expect(['<5', 'withheld'], id).toContain(s.show(id));
        // A count shown as <5 is never broken down.
        for (const g of t.groups)
          if (['<5', 'withheld'].includes(String(s.show(g.total))))
            for (const p of g.parts) expect(s.show(p), p).toBe('withheld');
        expect(singletonGroups(t, s)).toEqual([]);
        expect(recomputableCells(t, s)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('property: a facility × year table with both margins never has a group with exactly one hidden part under a published total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (rows) => {
          const cells = new Map<string, number>();
          const groups: CountGroup[] = [];
          let grand = 0;
          rows.forEach((row, r) => {
            row.forEach((v, c) => {
              cells.set(`x${r}.${c}`, v);
            });
          });
          rows.forEach((row, r) => {
            const sum = row.reduce((a, b) => a + b, 0);
            grand += sum;
            cells.set(`r${r}`, sum);
            groups.push({ total: `r${r}`, parts: row.map((_, c) => `x${r}.${c}`) });
          });
          for (let c = 0; c < 3; c++) {
            cells.set(
              `c${c}`,
              rows.reduce((a, row) => a + row[c]!, 0),
            );
            groups.push({ total: `c${c}`, parts: rows.map((_, r) => `x${r}.${c}`) });
          }
          cells.set('T', grand);
          groups.push({ total: 'T', parts: rows.map((_, r) => `r${r}`) }, { total: 'T', parts: ['c0', 'c1', 'c2'] });
          const t = { cells, groups };
          const s = suppressCounts(t);
          expect(singletonGroups(t, s)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same table gives the same pattern', () => {
    const t = publishedShape([
      { facility: 0, year: 2022, month: 1, cls: 0 },
      { facility: 0, year: 2022, month: 1, cls: 0 },
      { facility: 1, year: 2022, month: 2, cls: 1 },
      { facility: 1, year: 2021, month: null, cls: 1 },
      { facility: 1, year: 2021, month: null, cls: 1 },
      { facility: 1, year: 2021, month: null, cls: 1 },
      { facility: 1, year: 2021, month: null, cls: 1 },
      { facility: 1, year: 2021, month: null, cls: 1 },
    ]);
    expect(suppressCounts(t).complements).toEqual(suppressCounts(t).complements);
  });
});
