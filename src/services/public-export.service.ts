/**
 * The public export: everything the public pages show, in one document read from one snapshot —
 * statistics, every facility page, every public statement, every reported figure. It is built
 * from the same public services, so it is redacted by construction: nothing reaches it that a
 * public page does not already show.
 */
import { listPublicFacilities } from '../store/repositories/public-facility.repository.ts';
import { listPublicStatements } from '../store/repositories/public-statement.repository.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import type { Services } from './context.ts';
import { loadPublicCounts } from './public-counts.ts';
import { publicFacilityIn, type PublicFacilityPage } from './public-facility.service.ts';
import type { PublicStatement } from './public-statement.service.ts';
import {
  publicReportedFiguresIn,
  publicStatisticsIn,
  type PublicReportedFigures,
  type PublicStatistics,
} from './public-statistics.service.ts';

/** Everything public, as of `generatedAt`. */
export interface PublicExport {
  generatedAt: string;
  statistics: PublicStatistics;
  facilities: PublicFacilityPage[];
  statements: PublicStatement[];
  reportedFigures: PublicReportedFigures;
}

/** Builds the public export in one consistent snapshot. */
export async function publicExport(svc: Services): Promise<PublicExport> {
  const generatedAt = svc.clock().toISOString();
  return readSnapshot(svc.store, async (db) => {
    const counts = await loadPublicCounts(db);
    const facilities: PublicFacilityPage[] = [];
    for (const f of await listPublicFacilities(db)) {
      const page = await publicFacilityIn(db, f.id, generatedAt, counts);
      if (page) facilities.push(page);
    }
    return {
      generatedAt,
      statistics: await publicStatisticsIn(db, generatedAt),
      facilities,
      statements: await listPublicStatements(db),
      reportedFigures: await publicReportedFiguresIn(db, generatedAt),
    };
  });
}
