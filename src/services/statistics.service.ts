/**
 * Statistics that hold up (domain.md 4, ST1–ST5).
 *
 * - `documented`: counts of Vigil's own records, computed by the database (GROUP BY) at
 *   `generatedAt`, in one consistent snapshot, so every breakdown adds up to its total.
 * - `reported`: figures other people published ("27 torture reports"), listed one by one with
 *   speaker, source, scope and as-of date. They are never summed, never merged with each other and
 *   never added into a documented count (ST1); conflicting figures are all listed (ST4).
 *
 * Decisions:
 * - An allegation marked `duplicate` repeats another record: it is left out of every documented
 *   count and reported in `documented.allegations.duplicatesExcluded`.
 * - `from`/`to` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) select allegations by the start of their
 *   period, compared as text dates: `from` inclusive, `to` takes in its whole period (`to: '2022'`
 *   covers all of 2022). Allegations with no recorded start are left out when a range is given.
 *   The same range selects reported figures by their as-of date.
 * - `facilityId` (id or external id) selects the allegations at that facility. Reported figures
 *   carry a free-text scope, not a facility, so they are listed regardless (their scope says what
 *   they cover).
 * - The funnel counts proceedings. Without filters, every proceeding; with filters, the
 *   proceedings of the allegations in scope (duplicates included: the official response to a
 *   duplicate report is still a real proceeding).
 * - Funnel steps are defined once, for these and the public statistics, in src/domain/funnel.ts.
 * - `byAct` counts allegations alleging each act (not act records); an allegation alleging
 *   several acts appears under each, so `byAct` does not add up to the total.
 * - `byYear`/`byMonth` use the start of the period; `byMonth` puts allegations whose start is
 *   known only to the year, or not at all, under `period: null`.
 */
import type { ReportedFigureView } from '../domain/entities/statement.ts';
import { z } from 'zod';
import { PartialDate, RecordKey } from '../domain/entities/common.ts';
import { funnelSteps, type Funnel } from '../domain/funnel.ts';
import { ACT_KINDS, CLASSIFICATIONS, VERIFICATION_STATUSES } from '../domain/vocabularies.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import {
  allegationsBy,
  allegationsByAct,
  allegationsByFacility,
  allegationsByStartMonth,
  allegationTotals,
  funnelCounts,
  listReportedFigures,
  type AllegationScope,
} from '../store/repositories/statistics.repository.ts';
import type { Actor, Services } from './context.ts';
import { limitedViewer } from './policy.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

export const StatisticsInput = z
  .strictObject({
    from: PartialDate.optional(),
    to: PartialDate.optional(),
    facilityId: RecordKey.optional(),
  })
  .refine((s) => s.from === undefined || s.to === undefined || s.from.slice(0, s.to.length) <= s.to, {
    message: 'from must not be after to',
    path: ['to'],
  });
export type StatisticsInput = z.input<typeof StatisticsInput>;

interface DocumentedAllegations {
  /** Allegations recorded in Vigil (in scope), duplicates excluded. */
  total: number;
  /** Allegations marked as duplicates of another, left out of every count. */
  duplicatesExcluded: number;
  byFacility: { facilityId: string | null; name: string | null; count: number }[];
  byYear: { period: string | null; count: number }[];
  byMonth: { period: string | null; count: number }[];
  byAct: { act: string; label: string; count: number }[];
  byClassification: { classification: string; label: string; count: number }[];
  byStatus: { status: string; label: string; count: number }[];
}

export interface StatisticsReport {
  generatedAt: string;
  filters: { from: string | null; to: string | null; facilityId: string | null };
  documented: { allegations: DocumentedAllegations; funnel: Funnel };
  /** Figures as others published them: listed, never summed or merged (ST1, ST4). */
  reported: ReportedFigureView[];
  provenance: { documented: string; reported: string };
}

function label(list: readonly { id: string; en: string }[], id: string): string {
  return list.find((t) => t.id === id)?.en ?? id;
}

function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Counts of Vigil's records and, apart, the figures others reported; see the module comment. */
export async function statistics(svc: Services, actor: Actor, input: unknown = {}): Promise<StatisticsReport> {
  const d = parseInput(StatisticsInput, input);
  const generatedAt = svc.clock().toISOString();
  return readSnapshot(svc.store, async (db) => {
    const facilityId =
      d.facilityId === undefined ? undefined : await resolveRef(db, 'facility', d.facilityId, 'facilityId', actor);
    const scope: AllegationScope = { facilityId, from: d.from, to: d.to, visibleTo: limitedViewer(actor) };

    const totals = await allegationTotals(db, scope);
    const byFacility = (await allegationsByFacility(db, scope)).sort(
      (a, b) => b.count - a.count || cmp(a.name, b.name) || cmp(a.facilityId, b.facilityId),
    );

    const months = await allegationsByStartMonth(db, scope);
    const years = new Map<string | null, number>();
    const byMonthMap = new Map<string | null, number>();
    for (const m of months) {
      const year = m.period === null ? null : m.period.slice(0, 4);
      years.set(year, (years.get(year) ?? 0) + m.count);
      const month = m.period !== null && m.period.length >= 7 ? m.period : null;
      byMonthMap.set(month, (byMonthMap.get(month) ?? 0) + m.count);
    }
    const chronological = (map: Map<string | null, number>) =>
      [...map].map(([period, count]) => ({ period, count })).sort((a, b) => cmp(a.period, b.period));

    const byAct = (await allegationsByAct(db, scope))
      .map((x) => ({ act: x.act, label: label(ACT_KINDS, x.act), count: x.count }))
      .sort((a, b) => b.count - a.count || cmp(a.act, b.act));
    const byClassification = (await allegationsBy(db, scope, 'classification'))
      .map((x) => ({ classification: x.value, label: label(CLASSIFICATIONS, x.value), count: x.count }))
      .sort((a, b) => b.count - a.count || cmp(a.classification, b.classification));
    const byStatus = (await allegationsBy(db, scope, 'verification_status'))
      .map((x) => ({ status: x.value, label: label(VERIFICATION_STATUSES, x.value), count: x.count }))
      .sort((a, b) => b.count - a.count || cmp(a.status, b.status));

    const funnel = funnelSteps(await funnelCounts(db, scope));

    const reported = (await listReportedFigures(db, { from: d.from, to: d.to })).sort(
      (a, b) =>
        cmp(a.asOf, b.asOf) || cmp(a.counts, b.counts) || cmp(a.speakerLabel, b.speakerLabel) || cmp(a.id, b.id),
    );

    return {
      generatedAt,
      filters: { from: d.from ?? null, to: d.to ?? null, facilityId: facilityId ?? null },
      documented: {
        allegations: {
          total: totals.total,
          duplicatesExcluded: totals.duplicates,
          byFacility,
          byYear: chronological(years),
          byMonth: chronological(byMonthMap),
          byAct,
          byClassification,
          byStatus,
        },
        funnel,
      },
      reported,
      provenance: {
        documented: `Vigil records, query run at ${generatedAt}`,
        reported:
          'As published by each speaker in the named source, as of the date given; listed apart and never added to Vigil counts',
      },
    };
  });
}
