/**
 * Public statistics (no sign-in): Vigil's documented counts, suppressed (PR7, PR8), and beside
 * them, never added to them, the figures others published (ST1, ST3, ST4).
 *
 * - Documented counts come from one table of counts (public-counts.ts) over the allegations that
 *   count publicly (public-statistics.repository.ts says which, and why); the rules travel with
 *   every answer in `rules`, in words.
 * - Reported figures are public statements by someone else: shown as published, unsuppressed,
 *   each with its speaker, source and as-of date. Only figures whose source is itself published
 *   (a news article, an official statement, an NGO or visit report) are listed.
 * - No filters: see public-counts.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import {
  listPublicReportedFigures,
  type PublicReportedFigureRow,
} from '../store/repositories/public-statement.repository.ts';
import type { Services } from './context.ts';
import { loadPublicCounts, type PublicCounts } from './public-counts.ts';
import { MIN_PUBLIC_COUNT, type PublicCount } from '../domain/public-suppression.ts';

/** The rules behind every public count, in words, sent with the counts. */
const PUBLIC_COUNT_RULES = {
  minimumCount: MIN_PUBLIC_COUNT,
  counted:
    'Allegations documented in Vigil, at any stage of verification, except duplicates, withdrawn reports, reports on hold for ' +
    'safety, restricted records, and reports about a victim who is in custody (they are counted once no victim is in custody).',
  markers: {
    '<5': 'between 1 and 4',
    suppressed: 'hidden so that a "<5" elsewhere cannot be worked out from the totals (5 or more)',
    withheld: 'not shown: part of a count under 5, or of a breakdown that would give a small count away',
  },
  sums: 'Facilities, years and classifications each add up to the total, and months to their year; acts do not (an allegation counts under each act).',
} as const;

/** Provenance of the reported figures (ST3). */
const REPORTED_PROVENANCE =
  'As published by each speaker in the named source, as of the date given; listed apart and never added to Vigil counts';

/** Public statistics. */
export interface PublicStatistics {
  generatedAt: string;
  allegations: PublicCounts['allegations'];
  funnel: PublicCounts['funnel'];
  reported: PublicReportedFigureRow[];
  rules: typeof PUBLIC_COUNT_RULES;
  provenance: { documented: string; reported: string };
}

/** What Vigil's own records say about what a reported figure counts. */
interface VigilCounterpart {
  /** Which documented count: `allegations` or a funnel step such as `funnel.registered`. */
  measure: string;
  label: string;
  count: PublicCount;
  /** Vigil counts all its records, whatever the scope of the reported figure. */
  scope: string;
  asOf: string;
}

/** A reported figure with, where Vigil counts the same thing, its own count beside it (never summed). */
type PublicReportedFigure = PublicReportedFigureRow & { vigil: VigilCounterpart | null };

/** Reported figures next to Vigil's counts. */
export interface PublicReportedFigures {
  generatedAt: string;
  items: PublicReportedFigure[];
  rules: typeof PUBLIC_COUNT_RULES;
  provenance: { documented: string; reported: string };
}

const documentedProvenance = (generatedAt: string) => `Vigil records, query run at ${generatedAt}`;

/** What each kind of reported figure (`counts`) is compared with. */
const COUNTERPARTS: Record<string, { measure: string; label: string; read: (c: PublicCounts) => PublicCount }> = {
  torture_reports: {
    measure: 'allegations',
    label: 'Allegations of torture or ill-treatment documented in Vigil (any classification)',
    read: (c) => c.allegations.total,
  },
  complaints: {
    measure: 'funnel.complaints',
    label: 'Criminal complaints recorded in Vigil',
    read: (c) => c.funnel.complaints,
  },
  criminal_investigations: {
    measure: 'funnel.registered',
    label:
      'Criminal cases recorded in Vigil that were registered in the ERDR (what Vigil counts as criminal investigations)',
    read: (c) => c.funnel.registered,
  },
  internal_inquiries: {
    measure: 'funnel.internalInquiries',
    label: 'Internal (official) inquiries recorded in Vigil',
    read: (c) => c.funnel.internalInquiries,
  },
  indictments: {
    measure: 'funnel.indicted',
    label: 'Criminal cases recorded in Vigil that reached an indictment',
    read: (c) => c.funnel.indicted,
  },
  convictions: {
    measure: 'funnel.convicted',
    label: 'Criminal cases recorded in Vigil with a conviction',
    read: (c) => c.funnel.convicted,
  },
};

/** Public statistics read inside the caller's snapshot (shared with the public export). */
export async function publicStatisticsIn(db: Kysely<Database>, generatedAt: string): Promise<PublicStatistics> {
  const counts = await loadPublicCounts(db);
  return {
    generatedAt,
    allegations: counts.allegations,
    funnel: counts.funnel,
    reported: await listPublicReportedFigures(db),
    rules: PUBLIC_COUNT_RULES,
    provenance: { documented: documentedProvenance(generatedAt), reported: REPORTED_PROVENANCE },
  };
}

/** Reported figures with Vigil's counterparts, read inside the caller's snapshot. */
export async function publicReportedFiguresIn(
  db: Kysely<Database>,
  generatedAt: string,
): Promise<PublicReportedFigures> {
  const counts = await loadPublicCounts(db);
  const items = (await listPublicReportedFigures(db)).map((f): PublicReportedFigure => {
    const c = COUNTERPARTS[f.counts];
    return {
      ...f,
      vigil: c
        ? {
            measure: c.measure,
            label: c.label,
            count: c.read(counts),
            scope: 'All records documented in Vigil',
            asOf: generatedAt,
          }
        : null,
    };
  });
  return {
    generatedAt,
    items,
    rules: PUBLIC_COUNT_RULES,
    provenance: { documented: documentedProvenance(generatedAt), reported: REPORTED_PROVENANCE },
  };
}

/** Documented counts (suppressed) and reported figures (as published), in one consistent snapshot. */
export async function publicStatistics(svc: Services): Promise<PublicStatistics> {
  const generatedAt = svc.clock().toISOString();
  return readSnapshot(svc.store, (db) => publicStatisticsIn(db, generatedAt));
}

/** Every public reported figure, each beside the documented count of the same thing when Vigil has one. */
export async function publicReportedFigures(svc: Services): Promise<PublicReportedFigures> {
  const generatedAt = svc.clock().toISOString();
  return readSnapshot(svc.store, (db) => publicReportedFiguresIn(db, generatedAt));
}
