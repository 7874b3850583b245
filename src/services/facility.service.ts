import { AreaInput, FacilityInput, OrganizationInput } from '../domain/entities/facility.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite, type AuditedWriter, type InsertValues } from '../store/audited-writer.ts';
import { indexFacility } from '../store/search-index.ts';
import { json, toColumns, type ColumnMap } from './column-map.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

const FACILITY_COLUMNS: ColumnMap = {
  name: 'name',
  nameRu: 'name_ru',
  kind: 'kind',
  kindDetail: 'kind_detail',
  code: 'code',
  aliases: json('aliases'),
  authority: 'authority',
  region: 'region',
  city: 'city',
  country: 'country',
  capacity: 'capacity',
  cells: 'cells',
  notes: 'notes',
};

const AREA_COLUMNS: ColumnMap = {
  level: 'level',
  label: 'label',
  labelRu: 'label_ru',
  count: 'count',
  floors: 'floors',
  location: 'location',
  access: 'access',
  declaredUse: json('declared_use'),
  declaredBy: 'declared_by',
  notes: 'notes',
};

const ORGANIZATION_COLUMNS: ColumnMap = {
  name: 'name',
  nameRu: 'name_ru',
  kind: 'kind',
  aliases: json('aliases'),
  country: 'country',
};

/** Records a place of detention. */
export function createFacility(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'facility',
    FacilityInput,
    input,
    async (w, d, id) => {
      const row = await w.insert('facility', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(FACILITY_COLUMNS, d),
      } as InsertValues<'facility'>);
      await indexFacility(w.trx, row);
    },
    { writer },
  );
}

const FacilityUpdate = updateSchema(FacilityInput.shape);

/** Changes a facility's fields; a stale `version` is refused with `record.conflict`. */
export async function updateFacility(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(FacilityUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const row = await w.update('facility', id, toColumns(FACILITY_COLUMNS, d, true), { expectedVersion: d.version });
    await indexFacility(w.trx, row);
    return { version: row.version };
  });
}

/** The parent must belong to the same facility, and an area may not become its own ancestor. */
async function checkParent(
  w: AuditedWriter,
  facilityId: string,
  parentId: string | null,
  selfId?: string,
): Promise<void> {
  let at = parentId;
  while (at) {
    if (at === selfId)
      throw new VigilError('validation.invalid', 'an area cannot be inside itself', { path: 'parentId' });
    const p = await w.trx
      .selectFrom('area')
      .select(['facility_id', 'parent_id'])
      .where('id', '=', at)
      .executeTakeFirstOrThrow();
    if (p.facility_id !== facilityId)
      throw new VigilError('validation.invalid', 'the parent area belongs to another facility', { path: 'parentId' });
    at = p.parent_id;
  }
}

/** Records a building, floor, room or cell of a facility; a parent must belong to the same facility. */
export function createArea(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'area',
    AreaInput,
    input,
    async (w, d, id) => {
      const facilityId = await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId', actor);
      const parentId = await resolveOptionalRef(w.trx, 'area', d.parentId, 'parentId', actor);
      await checkParent(w, facilityId, parentId);
      await w.insert('area', {
        id,
        external_id: d.externalId ?? null,
        facility_id: facilityId,
        parent_id: parentId,
        ...toColumns(AREA_COLUMNS, d),
        declared_in_statement_id: await resolveOptionalRef(
          w.trx,
          'statement',
          d.declaredInStatementId,
          'declaredInStatementId',
          actor,
        ),
      } as InsertValues<'area'>);
    },
    { writer },
  );
}

const AreaUpdate = updateSchema(AreaInput.shape, ['facilityId']);

/** Changes an area (its facility stays); moving it under another parent keeps the tree a tree. */
export async function updateArea(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(AreaUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const cols = toColumns(AREA_COLUMNS, d, true);
    if (d.parentId !== undefined) {
      const area = await w.trx.selectFrom('area').select('facility_id').where('id', '=', id).executeTakeFirst();
      if (!area) throw new VigilError('record.not_found', `no area ${id}`, { path: 'id' });
      cols.parent_id = await resolveRef(w.trx, 'area', d.parentId, 'parentId', actor);
      await checkParent(w, area.facility_id, cols.parent_id as string, id);
    }
    if (d.declaredInStatementId !== undefined)
      cols.declared_in_statement_id = await resolveRef(
        w.trx,
        'statement',
        d.declaredInStatementId,
        'declaredInStatementId',
        actor,
      );
    return { version: (await w.update('area', id, cols, { expectedVersion: d.version })).version };
  });
}

/** Records an organization (ministry, prosecutor's office, ombudsman, NGO…). */
export function createOrganization(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'organization',
    OrganizationInput,
    input,
    async (w, d, id) => {
      await w.insert('organization', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(ORGANIZATION_COLUMNS, d),
      } as InsertValues<'organization'>);
    },
    { writer },
  );
}

const OrganizationUpdate = updateSchema(OrganizationInput.shape);

/** Changes an organization's fields. */
export async function updateOrganization(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(OrganizationUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => ({
    version: (
      await w.update('organization', id, toColumns(ORGANIZATION_COLUMNS, d, true), { expectedVersion: d.version })
    ).version,
  }));
}
