import { AreaInput, FacilityInput, OrganizationInput } from '../domain/entities/facility.ts';
import { VigilError } from '../domain/errors.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import { orNull, toJson } from '../store/repositories/json-column.ts';
import { indexFacility } from '../store/search-index.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';

/** Records a place of detention. */
export function createFacility(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'facility', FacilityInput, input, async (w, d, id) => {
    const row = await w.insert('facility', {
      id, external_id: d.externalId ?? null, name: d.name, name_ru: orNull(d.nameRu), kind: d.kind,
      kind_detail: orNull(d.kindDetail), code: orNull(d.code), aliases: toJson(d.aliases), authority: orNull(d.authority),
      region: orNull(d.region), city: orNull(d.city), country: d.country, capacity: orNull(d.capacity),
      cells: orNull(d.cells), notes: orNull(d.notes),
    });
    await indexFacility(w.trx, row);
  }, { writer });
}

/** Records a building, floor, room or cell of a facility; a parent must belong to the same facility. */
export function createArea(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'area', AreaInput, input, async (w, d, id) => {
    const facilityId = await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId');
    const parentId = await resolveOptionalRef(w.trx, 'area', d.parentId, 'parentId');
    if (parentId) {
      const parent = await w.trx.selectFrom('area').select('facility_id').where('id', '=', parentId).executeTakeFirstOrThrow();
      if (parent.facility_id !== facilityId) {
        throw new VigilError('validation.invalid', 'the parent area belongs to another facility', { path: 'parentId' });
      }
    }
    await w.insert('area', {
      id, external_id: d.externalId ?? null, facility_id: facilityId, parent_id: parentId, level: d.level,
      label: d.label, label_ru: orNull(d.labelRu), count: orNull(d.count), floors: orNull(d.floors),
      location: orNull(d.location), access: orNull(d.access), declared_use: toJson(d.declaredUse),
      declared_by: orNull(d.declaredBy),
      declared_in_statement_id: await resolveOptionalRef(w.trx, 'statement', d.declaredInStatementId, 'declaredInStatementId'),
      notes: orNull(d.notes),
    });
  }, { writer });
}

/** Records an organization (ministry, prosecutor's office, ombudsman, NGO…). */
export function createOrganization(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'organization', OrganizationInput, input, async (w, d, id) => {
    await w.insert('organization', {
      id, external_id: d.externalId ?? null, name: d.name, name_ru: orNull(d.nameRu), kind: d.kind,
      aliases: toJson(d.aliases), country: orNull(d.country),
    });
  }, { writer });
}
