/**
 * Facility pages for the public: the registry entry, the layout with each area's declared use and
 * who declared it, what monitors published after their visits, the reviewed statements about the
 * facility, and the facility's documented allegation count from the one table of public counts
 * (so it shows exactly as in the statistics, `'<5'` or `'suppressed'` included). No breakdown
 * of a facility's count by year or act is published: with the national breakdowns it would form
 * a facility × year table, whose suppression needs a network-flow audit this module doesn't do.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import {
  findPublicFacility,
  listPublicAreas,
  listPublicFacilities,
  listPublicVisits,
  type PublicAreaRow,
  type PublicFacilityRow,
  type PublicVisitRow,
} from '../store/repositories/public-facility.repository.ts';
import { listPublicStatements, type PublicStatementRow } from '../store/repositories/public-statement.repository.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import type { Services } from './context.ts';
import { loadPublicCounts, type PublicCounts } from './public-counts.ts';
import type { PublicCount } from '../domain/public-suppression.ts';

export type { PublicAreaRow, PublicFacilityRow };

/** A facility in the public list, with its documented allegation count. */
export type PublicFacilitySummary = PublicFacilityRow & { counts: { allegations: PublicCount } };

/** A facility's public page. */
export type PublicFacilityPage = PublicFacilityRow & {
  generatedAt: string;
  areas: PublicAreaRow[];
  visits: PublicVisitRow[];
  statements: PublicStatementRow[];
  counts: { allegations: PublicCount; visits: number; statements: number };
};

/** A page of facilities by (name, id) with their counts, read inside the caller's snapshot. */
async function publicFacilitiesIn(
  db: Kysely<Database>,
  q: { limit?: number; after?: { name: string; id: string } } = {},
): Promise<PublicFacilitySummary[]> {
  const rows = await listPublicFacilities(db, q);
  const counts = await loadPublicCounts(db);
  return rows.map((f) => ({ ...f, counts: { allegations: counts.facility(f.id) } }));
}

/** One facility's page (by id or external id), read inside the caller's snapshot (with its counts, when already loaded); undefined if there is none. */
export async function publicFacilityIn(
  db: Kysely<Database>,
  key: string,
  generatedAt: string,
  preloaded?: PublicCounts,
): Promise<PublicFacilityPage | undefined> {
  const f = await findPublicFacility(db, key);
  if (!f) return undefined;
  const counts = preloaded ?? (await loadPublicCounts(db));
  const areas = await listPublicAreas(db, f.id);
  const visits = await listPublicVisits(db, f.id);
  const statements = await listPublicStatements(db, { facilityId: f.id });
  return {
    ...f,
    generatedAt,
    areas,
    visits,
    statements,
    counts: { allegations: counts.facility(f.id), visits: visits.length, statements: statements.length },
  };
}

/** Facilities for the public list: `limit` rows after the (name, id) key `after`. */
export function publicFacilities(
  svc: Services,
  q: { limit: number; after?: { name: string; id: string } },
): Promise<PublicFacilitySummary[]> {
  return readSnapshot(svc.store, (db) => publicFacilitiesIn(db, q));
}

/** One facility's public page; undefined when there is no such facility. */
export function publicFacility(svc: Services, key: string): Promise<PublicFacilityPage | undefined> {
  const generatedAt = svc.clock().toISOString();
  return readSnapshot(svc.store, (db) => publicFacilityIn(db, key, generatedAt));
}
