import { AllegationInput } from '../domain/entities/allegation.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import {
  actKindsOf,
  areaFacilityId,
  findAllegationPlace,
  updateAllegationFields,
} from '../store/repositories/allegation.repository.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { indexAllegation } from '../store/search-index.ts';
import { writeAllegationParts } from './allegation-parts.ts';
import type { Actor, Services } from './context.ts';
import { updateSchema, writeContext } from './record-write.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

// Status and classification have their own use cases (transitions, an analyst's decision).
const AllegationUpdate = updateSchema(AllegationInput.shape, [
  'verificationStatus',
  'classification',
  'classificationRationale',
]);

/**
 * Changes what an allegation says: text, period, place, consent, sensitivity, and, when given,
 * the whole list of acts, victims, perpetrators or sources (each removal and addition audited).
 */
export async function updateAllegation(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(AllegationUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const current = await findAllegationPlace(w.trx, id);
    if (!current) throw new VigilError('record.not_found', `no allegation ${id}`, { path: 'id' });
    const facilityId =
      d.facilityId !== undefined
        ? await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId', actor)
        : current.facilityId;
    const areaId = d.areaId !== undefined ? await resolveRef(w.trx, 'area', d.areaId, 'areaId', actor) : current.areaId;
    if (areaId && facilityId) {
      if ((await areaFacilityId(w.trx, areaId)) !== facilityId)
        throw new VigilError('validation.invalid', 'the area belongs to another facility', { path: 'areaId' });
    }
    const row = await updateAllegationFields(
      w,
      id,
      {
        title: d.title,
        summary: d.summary,
        sensitivity: d.sensitivity,
        risk: d.risk,
        consent: d.consent,
        catChecklist: d.catChecklist,
        period: d.period && {
          start: orNull(d.period.start),
          end: orNull(d.period.end),
          precision: d.period.precision,
          text: orNull(d.period.text),
        },
        facilityId,
        areaId,
      },
      d.version,
    );
    await writeAllegationParts(w, actor, id, d, () => `${id}:${svc.newId().slice(0, 13)}`, true);
    await indexAllegation(w.trx, row, await actKindsOf(w.trx, id));
    return { version: row.version };
  });
}
