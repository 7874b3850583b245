import { AllegationInput } from '../domain/entities/allegation.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { indexAllegation } from '../store/search-index.ts';
import { writeAllegationParts } from './allegation-parts.ts';
import { json, toColumns, type ColumnMap } from './column-map.ts';
import type { Actor, Services } from './context.ts';
import { updateSchema, writeContext } from './record-write.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

const ALLEGATION_COLUMNS: ColumnMap = {
  title: 'title',
  summary: 'summary',
  sensitivity: 'sensitivity',
  risk: 'risk',
  consent: json('consent'),
  catChecklist: json('cat_checklist'),
};

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
    const current = await w.trx
      .selectFrom('allegation')
      .select(['facility_id', 'area_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw new VigilError('record.not_found', `no allegation ${id}`, { path: 'id' });
    const cols = toColumns(ALLEGATION_COLUMNS, d, true);
    if (d.period) {
      Object.assign(cols, {
        period_start: orNull(d.period.start),
        period_end: orNull(d.period.end),
        period_precision: d.period.precision,
        period_text: orNull(d.period.text),
      });
    }
    const facilityId =
      d.facilityId !== undefined
        ? await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId', actor)
        : current.facility_id;
    const areaId =
      d.areaId !== undefined ? await resolveRef(w.trx, 'area', d.areaId, 'areaId', actor) : current.area_id;
    if (areaId && facilityId) {
      const area = await w.trx
        .selectFrom('area')
        .select('facility_id')
        .where('id', '=', areaId)
        .executeTakeFirstOrThrow();
      if (area.facility_id !== facilityId)
        throw new VigilError('validation.invalid', 'the area belongs to another facility', { path: 'areaId' });
    }
    Object.assign(cols, { facility_id: facilityId, area_id: areaId });
    const row = await w.update('allegation', id, cols, { expectedVersion: d.version });
    await writeAllegationParts(w, actor, id, d, () => `${id}:${svc.newId().slice(0, 13)}`, true);
    const acts = await w.trx.selectFrom('allegation_act').select('kind').where('allegation_id', '=', id).execute();
    await indexAllegation(
      w.trx,
      row,
      acts.map((a) => a.kind),
    );
    return { version: row.version };
  });
}
