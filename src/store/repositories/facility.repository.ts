import type { Kysely, Selectable } from 'kysely';
import type { Area, Facility, Organization } from '../../domain/entities/facility.ts';
import type { AreaTable, Database, FacilityTable, OrganizationTable } from '../schema.ts';
import { parseJson } from './json-column.ts';

/** A facility row as the domain shape. */
export function toFacility(r: Selectable<FacilityTable>): Facility {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    name: r.name,
    nameRu: r.name_ru,
    kind: r.kind,
    kindDetail: r.kind_detail,
    code: r.code,
    aliases: parseJson<string[]>(r.aliases, []),
    authority: r.authority,
    region: r.region,
    city: r.city,
    country: r.country,
    capacity: r.capacity,
    cells: r.cells,
    notes: r.notes,
  };
}

/** An area row as the domain shape. */
export function toArea(r: Selectable<AreaTable>): Area {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    facilityId: r.facility_id,
    parentId: r.parent_id,
    level: r.level,
    label: r.label,
    labelRu: r.label_ru,
    count: r.count,
    floors: r.floors,
    location: r.location,
    access: r.access,
    declaredUse: parseJson<string[]>(r.declared_use, []),
    declaredBy: r.declared_by,
    declaredInStatementId: r.declared_in_statement_id,
    notes: r.notes,
  };
}

/** An organization row as the domain shape. */
export function toOrganization(r: Selectable<OrganizationTable>): Organization {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    name: r.name,
    nameRu: r.name_ru,
    kind: r.kind,
    aliases: parseJson<string[]>(r.aliases, []),
    country: r.country,
  };
}

/** Facilities sorted by name, with keyset paging on (name, id). */
export async function listFacilities(
  db: Kysely<Database>,
  opts: { limit: number; kind?: string; city?: string },
): Promise<Facility[]> {
  let q = db.selectFrom('facility').selectAll().orderBy('name').orderBy('id').limit(opts.limit);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.city) q = q.where('city', '=', opts.city);
  return (await q.execute()).map(toFacility);
}

/** One facility by id or external id. */
export async function findFacility(db: Kysely<Database>, key: string): Promise<Facility | undefined> {
  const r = await db
    .selectFrom('facility')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  return r && toFacility(r);
}

/** Every area of a facility, parents before children. */
export async function listAreas(db: Kysely<Database>, facilityId: string): Promise<Area[]> {
  const rows = await db
    .selectFrom('area')
    .selectAll()
    .where('facility_id', '=', facilityId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toArea);
}

/** Organizations by name. */
export async function listOrganizations(db: Kysely<Database>): Promise<Organization[]> {
  return (await db.selectFrom('organization').selectAll().orderBy('name').execute()).map(toOrganization);
}
