import { AreaInput, FacilityInput, OrganizationInput } from '../domain/entities/facility.ts';
import { nestingProblem } from '../domain/area-nesting.ts';
import { VigilError } from '../domain/errors.ts';
import type { Area, Facility } from '../domain/entities/facility.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import * as facilities from '../store/repositories/facility.repository.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

/** Records a place of detention. */
export function createFacility(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'facility',
    FacilityInput,
    input,
    async (w, { id: _id, externalId, ...d }, id) => {
      await facilities.insertFacility(w, id, externalId, d);
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
  const { version, ...d } = parseInput(FacilityUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => ({
    version: await facilities.updateFacility(w, id, d, version),
  }));
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
    const p = await facilities.findAreaPlace(w.trx, at);
    if (!p) throw new Error(`no area ${at}`);
    if (p.facilityId !== facilityId)
      throw new VigilError('validation.invalid', 'the parent area belongs to another facility', { path: 'parentId' });
    at = p.parentId;
  }
}

/**
 * Refuses a change that would put an area inside a level it cannot sit in (a building under a
 * room): the changed area and everything under it are judged with the change applied.
 */
async function checkNesting(
  w: AuditedWriter,
  facilityId: string,
  changed: { id: string; parentId: string | null; level: string },
  path: 'parentId' | 'level',
): Promise<void> {
  const tree = (await facilities.listAreaLinks(w.trx, facilityId)).filter((a) => a.id !== changed.id);
  const problem = nestingProblem([...tree, changed], changed.id);
  if (problem) throw new VigilError('validation.invalid', problem.message, { path });
}

/** Records a building, floor, room or cell of a facility; a parent must belong to the same facility. */
export function createArea(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'area',
    AreaInput,
    input,
    async (
      w,
      { id: _id, externalId, facilityId: facilityKey, parentId: parentKey, declaredInStatementId, ...d },
      id,
    ) => {
      const facilityId = await resolveRef(w.trx, 'facility', facilityKey, 'facilityId', actor);
      const parentId = await resolveOptionalRef(w.trx, 'area', parentKey, 'parentId', actor);
      await checkParent(w, facilityId, parentId);
      await checkNesting(w, facilityId, { id, parentId, level: d.level }, 'parentId');
      const links = {
        facilityId,
        parentId,
        declaredInStatementId: await resolveOptionalRef(
          w.trx,
          'statement',
          declaredInStatementId,
          'declaredInStatementId',
          actor,
        ),
      };
      await facilities.insertArea(w, id, externalId, links, d);
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
  const { version, parentId: parentKey, declaredInStatementId: statementKey, ...d } = parseInput(AreaUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const links: { parentId?: string; declaredInStatementId?: string } = {};
    if (parentKey !== undefined || d.level !== undefined) {
      const area = await facilities.findAreaPlace(w.trx, id);
      if (!area) throw new VigilError('record.not_found', `no area ${id}`, { path: 'id' });
      if (parentKey !== undefined) {
        links.parentId = await resolveRef(w.trx, 'area', parentKey, 'parentId', actor);
        await checkParent(w, area.facilityId, links.parentId, id);
      }
      const moved = { id, parentId: links.parentId ?? area.parentId, level: d.level ?? area.level };
      await checkNesting(w, area.facilityId, moved, parentKey !== undefined ? 'parentId' : 'level');
    }
    if (statementKey !== undefined)
      links.declaredInStatementId = await resolveRef(w.trx, 'statement', statementKey, 'declaredInStatementId', actor);
    return { version: await facilities.updateArea(w, id, { ...d, ...links }, version) };
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
    async (w, { id: _id, externalId, ...d }, id) => {
      await facilities.insertOrganization(w, id, externalId, d);
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
  const { version, ...d } = parseInput(OrganizationUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => ({
    version: await facilities.updateOrganization(w, id, d, version),
  }));
}

/** A page of the facility registry, sorted by (name, id), continuing after `after`. */
export function listFacilityPage(svc: Services, q: facilities.FacilityPageQuery): Promise<Facility[]> {
  return facilities.listFacilities(svc.store.db, q);
}

/** One facility (by id or external id) with every area, parents before children; undefined when unknown. */
export async function findFacilityWithAreas(
  svc: Services,
  key: string,
): Promise<{ facility: Facility; areas: Area[] } | undefined> {
  const facility = await facilities.findFacility(svc.store.db, key);
  return facility && { facility, areas: await facilities.listAreas(svc.store.db, facility.id) };
}
