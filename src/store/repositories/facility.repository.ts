import type { Kysely, Selectable, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Area, AreaInput, Facility, FacilityInput, OrganizationInput } from '../../domain/entities/facility.ts';
import { VigilError } from '../../domain/errors.ts';
import type { AuditedWriter, InsertValues, UpdateValues } from '../audited-writer.ts';
import type { AreaTable, Database, FacilityTable } from '../schema.ts';
import { indexFacility } from '../search-index.ts';
import { parseJson, toJson } from './json-column.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Own<S extends z.ZodType> = Omit<z.output<S>, 'id' | 'externalId'>;
/** A facility's own fields, as validated. */
export type FacilityFields = Own<typeof FacilityInput>;
/** An area's own fields, as validated; its links are resolved by the caller. */
export type AreaFields = Omit<Own<typeof AreaInput>, 'facilityId' | 'parentId' | 'declaredInStatementId'>;
/** An organization's own fields, as validated. */
export type OrganizationFields = Own<typeof OrganizationInput>;

/** The columns an update sets: those of the fields present (a field sent as null is cleared). */
function present<T extends object>(cols: T): T {
  return Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== undefined)) as T;
}
const jsonOf = (v: unknown) => (v === undefined || v === null ? v : toJson(v)) as string | undefined;

/** A facility row as the domain shape. */
function toFacility(r: Selectable<FacilityTable>): Facility {
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
function toArea(r: Selectable<AreaTable>): Area {
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

/** Filters and keyset position for a page of facilities. */
export interface FacilityPageQuery {
  kind?: string | undefined;
  city?: string | undefined;
  /** Sort key `(name, id)` of the last facility already shown. */
  after?: { name: string; id: string } | undefined;
  limit: number;
}

/** Facilities sorted by (name, id), continuing after `after`: keyset paging stays fast and stable under inserts. */
export async function listFacilities(db: Db, q: FacilityPageQuery): Promise<Facility[]> {
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

/** How the areas of a facility hang together: each one's parent and level. */
export async function listAreaLinks(
  db: Db,
  facilityId: string,
): Promise<Array<{ id: string; parentId: string | null; level: string }>> {
  const rows = await db
    .selectFrom('area')
    .select(['id', 'parent_id', 'level'])
    .where('facility_id', '=', facilityId)
    .execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level }));
}

function facilityColumns(d: Partial<FacilityFields>) {
  return {
    name: d.name,
    name_ru: d.nameRu,
    kind: d.kind,
    kind_detail: d.kindDetail,
    code: d.code,
    aliases: jsonOf(d.aliases),
    authority: d.authority,
    region: d.region,
    city: d.city,
    country: d.country,
    capacity: d.capacity,
    cells: d.cells,
    notes: d.notes,
  };
}

/** Records a new facility and indexes it for search. */
export async function insertFacility(
  w: AuditedWriter,
  id: string,
  externalId: string | undefined,
  d: FacilityFields,
): Promise<void> {
  const c = facilityColumns(d);
  const values: InsertValues<'facility'> = {
    id,
    external_id: externalId ?? null,
    name: d.name,
    name_ru: c.name_ru ?? null,
    kind: d.kind,
    kind_detail: c.kind_detail ?? null,
    code: c.code ?? null,
    aliases: toJson(d.aliases),
    authority: c.authority ?? null,
    region: c.region ?? null,
    city: c.city ?? null,
    country: d.country,
    capacity: c.capacity ?? null,
    cells: c.cells ?? null,
    notes: c.notes ?? null,
  };
  await indexFacility(w.trx, await w.insert('facility', values));
}

/** Changes the fields present in `d` (a stale `version` is `record.conflict`), re-indexes, returns the new version. */
export async function updateFacility(
  w: AuditedWriter,
  id: string,
  d: Partial<FacilityFields>,
  version: number,
): Promise<number> {
  const patch: UpdateValues<'facility'> = present(facilityColumns(d));
  const row = await w.update('facility', id, patch, { expectedVersion: version });
  await indexFacility(w.trx, row);
  return row.version;
}

/** The names a facility is known by, and what tells two of the same number apart (kind, city). */
export interface FacilityNames {
  id: string;
  name: string;
  nameRu: string | null;
  code: string | null;
  aliases: string[];
  kind: string;
  city: string | null;
}

/** Every facility's names, to match a name found in a text against. */
export async function listFacilityNames(db: Db): Promise<FacilityNames[]> {
  const rows = await db
    .selectFrom('facility')
    .select(['id', 'name', 'name_ru', 'code', 'aliases', 'kind', 'city'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    nameRu: r.name_ru,
    code: r.code,
    aliases: parseJson<string[]>(r.aliases, []),
    kind: r.kind,
    city: r.city,
  }));
}

/** Every organization's names, to match a body named in a text against. */
export async function listOrganizationNames(
  db: Db,
): Promise<Array<{ id: string; name: string; nameRu: string | null; aliases: string[] }>> {
  const rows = await db.selectFrom('organization').select(['id', 'name', 'name_ru', 'aliases']).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameRu: r.name_ru, aliases: parseJson<string[]>(r.aliases, []) }));
}

/** The labels of a facility's areas. */
export async function listAreaLabels(
  db: Db,
  facilityId: string,
): Promise<Array<{ id: string; label: string; labelRu: string | null }>> {
  const rows = await db
    .selectFrom('area')
    .select(['id', 'label', 'label_ru'])
    .where('facility_id', '=', facilityId)
    .execute();
  return rows.map((r) => ({ id: r.id, label: r.label, labelRu: r.label_ru }));
}

/** A facility's recorded count of cells (null: none recorded); an unknown facility is `record.not_found`. */
export async function facilityCells(db: Db, id: string): Promise<number | null> {
  const f = await db.selectFrom('facility').select('cells').where('id', '=', id).executeTakeFirst();
  if (!f) throw new VigilError('record.not_found', `facility ${id} does not exist`, { path: 'id' });
  return f.cells;
}

/** Records a facility's count of cells whatever its version (an audited update), and re-indexes it. */
export async function setFacilityCells(w: AuditedWriter, id: string, cells: number): Promise<void> {
  await indexFacility(w.trx, await w.update('facility', id, { cells }));
}

/** Where an area hangs: its facility and parent, or undefined when there is no such area. */
export async function findAreaPlace(
  db: Db,
  id: string,
): Promise<{ facilityId: string; parentId: string | null; level: string } | undefined> {
  const r = await db
    .selectFrom('area')
    .select(['facility_id', 'parent_id', 'level'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { facilityId: r.facility_id, parentId: r.parent_id, level: r.level };
}

function areaColumns(d: Partial<AreaFields>) {
  return {
    level: d.level,
    label: d.label,
    label_ru: d.labelRu,
    count: d.count,
    floors: d.floors,
    location: d.location,
    access: d.access,
    declared_use: jsonOf(d.declaredUse),
    declared_by: d.declaredBy,
    notes: d.notes,
  };
}

/** The links of an area, resolved to record ids. */
export interface AreaLinks {
  facilityId: string;
  parentId: string | null;
  declaredInStatementId: string | null;
}

/** Records a new area of a facility. */
export async function insertArea(
  w: AuditedWriter,
  id: string,
  externalId: string | undefined,
  links: AreaLinks,
  d: AreaFields,
): Promise<void> {
  const c = areaColumns(d);
  await w.insert('area', {
    id,
    external_id: externalId ?? null,
    facility_id: links.facilityId,
    parent_id: links.parentId,
    level: d.level,
    label: d.label,
    label_ru: c.label_ru ?? null,
    count: c.count ?? null,
    floors: c.floors ?? null,
    location: c.location ?? null,
    access: c.access ?? null,
    declared_use: toJson(d.declaredUse),
    declared_by: c.declared_by ?? null,
    notes: c.notes ?? null,
    declared_in_statement_id: links.declaredInStatementId,
  });
}

/** Changes the fields and links present; returns the new version. */
export async function updateArea(
  w: AuditedWriter,
  id: string,
  d: Partial<AreaFields> & { parentId?: string; declaredInStatementId?: string },
  version: number,
): Promise<number> {
  const patch: UpdateValues<'area'> = present({
    ...areaColumns(d),
    parent_id: d.parentId,
    declared_in_statement_id: d.declaredInStatementId,
  });
  return (await w.update('area', id, patch, { expectedVersion: version })).version;
}

function organizationColumns(d: Partial<OrganizationFields>) {
  return { name: d.name, name_ru: d.nameRu, kind: d.kind, aliases: jsonOf(d.aliases), country: d.country };
}

/** Records a new organization. */
export async function insertOrganization(
  w: AuditedWriter,
  id: string,
  externalId: string | undefined,
  d: OrganizationFields,
): Promise<void> {
  await w.insert('organization', {
    id,
    external_id: externalId ?? null,
    name: d.name,
    name_ru: d.nameRu ?? null,
    kind: d.kind,
    aliases: toJson(d.aliases),
    country: d.country ?? null,
  });
}

/** Changes the fields present; returns the new version. */
export async function updateOrganization(
  w: AuditedWriter,
  id: string,
  d: Partial<OrganizationFields>,
  version: number,
): Promise<number> {
  const patch: UpdateValues<'organization'> = present(organizationColumns(d));
  return (await w.update('organization', id, patch, { expectedVersion: version })).version;
}
