import type { Kysely } from 'kysely';
import type { Facility } from '../../domain/entities/facility.ts';
import type { Database } from '../schema.ts';
import { toFacility } from './facility.repository.ts';

/** Filters and keyset position for a page of facilities. */
export interface FacilityPageQuery {
  kind?: string;
  city?: string;
  /** Sort key `(name, id)` of the last facility already shown. */
  after?: { name: string; id: string };
  limit: number;
}

/** Facilities sorted by (name, id), continuing after `after`: keyset paging stays fast and stable under inserts. */
export async function listFacilityPage(db: Kysely<Database>, q: FacilityPageQuery): Promise<Facility[]> {
  let query = db.selectFrom('facility').selectAll().orderBy('name').orderBy('id').limit(q.limit);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.city) query = query.where('city', '=', q.city);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toFacility);
}
