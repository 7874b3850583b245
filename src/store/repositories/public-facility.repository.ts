/**
 * Facilities, their layout and their monitoring visits as the public sees them. Every query
 * names its columns (an allow-list): no notes, no team, no safeguards answers, no internal
 * findings, no external ids. Facilities are a public registry of places; nothing here is about
 * a person.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { parseJson } from './json-column.ts';
import { publishedStatement } from './public-statement.repository.ts';

/** A facility's public fields. */
export interface PublicFacilityRow {
  id: string;
  name: string;
  nameRu: string | null;
  kind: string;
  kindDetail: string | null;
  code: string | null;
  aliases: string[];
  authority: string | null;
  region: string | null;
  city: string | null;
  country: string;
  capacity: number | null;
  cells: number | null;
}

/** An area's public fields: where it sits in the layout, what it is declared to be used for, and by whom. */
export interface PublicAreaRow {
  id: string;
  parentId: string | null;
  level: string;
  label: string;
  labelRu: string | null;
  count: number | null;
  floors: string | null;
  location: string | null;
  access: string | null;
  declaredUse: string[];
  declaredBy: string | null;
  /** The declaring statement, only when that statement is itself public (reviewed). */
  declaredInStatementId: string | null;
}

/**
 * A visit's public fields. Only visits that took place: a planned visit, announced to the public,
 * would warn the facility of an unannounced one.
 */
export interface PublicVisitRow {
  visitDate: string;
  body: string;
  visitType: string;
  mode: string;
  findingsPublic: string | null;
}

/** Visit statuses of visits that took place. */
const PUBLIC_VISIT_STATUSES = ['conducted', 'findings_drafted', 'report_sent', 'response_received', 'closed'] as const;

const FACILITY_COLUMNS = [
  'f.id',
  'f.name',
  'f.name_ru',
  'f.kind',
  'f.kind_detail',
  'f.code',
  'f.aliases',
  'f.authority',
  'f.region',
  'f.city',
  'f.country',
  'f.capacity',
  'f.cells',
] as const;

type FacilityColumns = {
  id: string;
  name: string;
  name_ru: string | null;
  kind: string;
  kind_detail: string | null;
  code: string | null;
  aliases: string;
  authority: string | null;
  region: string | null;
  city: string | null;
  country: string;
  capacity: number | null;
  cells: number | null;
};

function toPublicFacility(r: FacilityColumns): PublicFacilityRow {
  return {
    id: r.id,
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
    capacity: r.capacity === null ? null : Number(r.capacity),
    cells: r.cells === null ? null : Number(r.cells),
  };
}

/** Facilities by (name, id), continuing after `after`; all of them without `limit`. */
export async function listPublicFacilities(
  db: Kysely<Database>,
  q: { limit?: number; after?: { name: string; id: string } } = {},
): Promise<PublicFacilityRow[]> {
  let query = db.selectFrom('facility as f').select(FACILITY_COLUMNS).orderBy('f.name').orderBy('f.id');
  if (q.limit !== undefined) query = query.limit(q.limit);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('f.name', '>', after.name), eb.and([eb('f.name', '=', after.name), eb('f.id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toPublicFacility);
}

/** One facility by id or external id (the external id is accepted, never shown). */
export async function findPublicFacility(db: Kysely<Database>, key: string): Promise<PublicFacilityRow | undefined> {
  const r = await db
    .selectFrom('facility as f')
    .select(FACILITY_COLUMNS)
    .where((eb) => eb.or([eb('f.id', '=', key), eb('f.external_id', '=', key)]))
    .executeTakeFirst();
  return r && toPublicFacility(r);
}

/** Id and name of every facility, for naming the rows of public counts. */
export async function listPublicFacilityNames(db: Kysely<Database>): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('facility').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

/** A facility's areas, parents before children. */
export async function listPublicAreas(db: Kysely<Database>, facilityId: string): Promise<PublicAreaRow[]> {
  const rows = await db
    .selectFrom('area as ar')
    .leftJoin('statement as s', (j) => j.onRef('s.id', '=', 'ar.declared_in_statement_id').on(publishedStatement('s')))
    .select([
      'ar.id',
      'ar.parent_id',
      'ar.level',
      'ar.label',
      'ar.label_ru',
      'ar.count',
      'ar.floors',
      'ar.location',
      'ar.access',
      'ar.declared_use',
      'ar.declared_by',
      's.id as public_statement_id',
    ])
    .where('ar.facility_id', '=', facilityId)
    .orderBy('ar.created_at')
    .orderBy('ar.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    level: r.level,
    label: r.label,
    labelRu: r.label_ru,
    count: r.count === null ? null : Number(r.count),
    floors: r.floors,
    location: r.location,
    access: r.access,
    declaredUse: parseJson<string[]>(r.declared_use, []),
    declaredBy: r.declared_by,
    declaredInStatementId: r.public_statement_id ?? null,
  }));
}

/** A facility's visits that took place, latest first. */
export async function listPublicVisits(db: Kysely<Database>, facilityId: string): Promise<PublicVisitRow[]> {
  const rows = await db
    .selectFrom('visit')
    .select(['visit_date', 'body', 'visit_type', 'mode', 'findings_public', 'id'])
    .where('facility_id', '=', facilityId)
    .where('status', 'in', [...PUBLIC_VISIT_STATUSES])
    .orderBy('visit_date', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    visitDate: r.visit_date,
    body: r.body,
    visitType: r.visit_type,
    mode: r.mode,
    findingsPublic: r.findings_public,
  }));
}
