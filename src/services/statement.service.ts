import { z } from 'zod';
import { ReportedFigureInput, StatementInput } from '../domain/entities/statement.ts';
import { ReviewRatingSchema } from '../domain/vocabularies.ts';
import { Line } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { indexStatement } from '../store/search-index.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

/** Records what someone said, with speaker, date, source and stance. */
export function createStatement(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'statement', StatementInput, input, async (w, d, id) => {
    const row = await w.insert('statement', {
      id, external_id: d.externalId ?? null, speaker_label: d.speakerLabel,
      speaker_person_id: await resolveOptionalRef(w.trx, 'person', d.speakerPersonId, 'speakerPersonId'),
      speaker_organization_id: await resolveOptionalRef(w.trx, 'organization', d.speakerOrganizationId, 'speakerOrganizationId'),
      stated_on: orNull(d.statedOn), stated_precision: d.statedPrecision, stated_text: orNull(d.statedText),
      source_id: await resolveRef(w.trx, 'source', d.sourceId, 'sourceId'), stance: d.stance, gist: d.gist,
      quote: orNull(d.quote), facility_id: await resolveOptionalRef(w.trx, 'facility', d.facilityId, 'facilityId'),
      review_rating: d.review?.rating ?? null, review_rationale: d.review?.rationale ?? null,
      reviewed_by: d.review ? actor.id : null, reviewed_at: d.review ? w.ctx.at : null,
    });
    await indexStatement(w.trx, row);
  }, { writer });
}

const ReviewInput = z.strictObject({ rating: ReviewRatingSchema, rationale: Line, version: z.number().int().positive().optional() });

/** An analyst's review of a statement against the evidence. */
export async function reviewStatement(svc: Services, actor: Actor, statementId: string, input: unknown): Promise<void> {
  const d = parseInput(ReviewInput, input);
  if (!['analyst', 'admin', 'system'].includes(actor.role)) {
    throw new VigilError('state.transition_not_allowed', 'only an analyst reviews statements', { path: 'role' });
  }
  await runWrite(svc.store, writeContext(svc, actor, d.rationale), async (w) => {
    const row = await w.update('statement', statementId, {
      review_rating: d.rating, review_rationale: d.rationale, reviewed_by: actor.id, reviewed_at: w.ctx.at,
    }, { expectedVersion: d.version, action: 'review' });
    await indexStatement(w.trx, row);
  });
}

/** Records a figure someone published, apart from Vigil's own counts. */
export function createReportedFigure(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(svc, actor, 'reported_figure', ReportedFigureInput, input, async (w, d, id) => {
    await w.insert('reported_figure', {
      id, external_id: d.externalId ?? null, value: d.value, value_max: orNull(d.valueMax), counts: d.counts,
      counts_label: d.countsLabel, scope: d.scope, as_of: d.asOf, as_of_precision: d.asOfPrecision,
      as_of_text: orNull(d.asOfText), speaker_label: d.speakerLabel,
      statement_id: await resolveOptionalRef(w.trx, 'statement', d.statementId, 'statementId'),
      source_id: await resolveRef(w.trx, 'source', d.sourceId, 'sourceId'),
    });
  }, { writer });
}
