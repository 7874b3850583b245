import { z } from 'zod';
import { ReportedFigureInput, StatementInput, StatementReview } from '../domain/entities/statement.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite, type AuditedWriter, type InsertValues } from '../store/audited-writer.ts';
import { indexStatement } from '../store/search-index.ts';
import { toColumns, type ColumnMap } from './column-map.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

const STATEMENT_COLUMNS: ColumnMap = {
  speakerLabel: 'speaker_label',
  statedOn: 'stated_on',
  statedPrecision: 'stated_precision',
  statedText: 'stated_text',
  stance: 'stance',
  gist: 'gist',
  quote: 'quote',
};

const FIGURE_COLUMNS: ColumnMap = {
  value: 'value',
  valueMax: 'value_max',
  counts: 'counts',
  countsLabel: 'counts_label',
  scope: 'scope',
  asOf: 'as_of',
  asOfPrecision: 'as_of_precision',
  asOfText: 'as_of_text',
  speakerLabel: 'speaker_label',
};

/** The statement's references, resolved from ids or external ids (only those present in `d`). */
async function statementRefs(
  w: AuditedWriter,
  actor: Actor,
  d: { speakerPersonId?: string; speakerOrganizationId?: string; sourceId?: string; facilityId?: string },
) {
  const out: Record<string, string | null> = {};
  if (d.speakerPersonId !== undefined)
    out.speaker_person_id = await resolveRef(w.trx, 'person', d.speakerPersonId, 'speakerPersonId', actor);
  if (d.speakerOrganizationId !== undefined)
    out.speaker_organization_id = await resolveRef(
      w.trx,
      'organization',
      d.speakerOrganizationId,
      'speakerOrganizationId',
      actor,
    );
  if (d.sourceId !== undefined) out.source_id = await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor);
  if (d.facilityId !== undefined)
    out.facility_id = await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId', actor);
  return out;
}

/** Records what someone said, with speaker, date, source and stance. */
export function createStatement(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'statement',
    StatementInput,
    input,
    async (w, d, id) => {
      const row = await w.insert('statement', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(STATEMENT_COLUMNS, d),
        speaker_person_id: null,
        speaker_organization_id: null,
        facility_id: null,
        ...(await statementRefs(w, actor, d)),
        review_rating: d.review?.rating ?? null,
        review_rationale: d.review?.rationale ?? null,
        review_public: d.review?.publicReview ?? null,
        reviewed_by: d.review ? actor.id : null,
        reviewed_at: d.review ? w.ctx.at : null,
      } as InsertValues<'statement'>);
      await indexStatement(w.trx, row);
    },
    { writer },
  );
}

const StatementUpdate = updateSchema(StatementInput.shape, ['review']);

/** Corrects a statement (not its review: that is an analyst's separate act). */
export async function updateStatement(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(StatementUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const row = await w.update(
      'statement',
      id,
      { ...toColumns(STATEMENT_COLUMNS, d, true), ...(await statementRefs(w, actor, d)) },
      { expectedVersion: d.version },
    );
    await indexStatement(w.trx, row);
    return { version: row.version };
  });
}

export const ReviewInput = StatementReview.extend({ version: z.number().int().positive().optional() });

/**
 * An analyst's review of a statement against the evidence. The rationale stays internal; only
 * `publicReview` is published, and a new review without it publishes the rating alone.
 */
export async function reviewStatement(
  svc: Services,
  actor: Actor,
  statementId: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(ReviewInput, input);
  if (!['analyst', 'system'].includes(actor.role)) {
    throw new VigilError('state.transition_not_allowed', 'only an analyst reviews statements', { path: 'role' });
  }
  return runWrite(svc.store, writeContext(svc, actor, d.rationale), async (w) => {
    const row = await w.update(
      'statement',
      statementId,
      {
        review_rating: d.rating,
        review_rationale: d.rationale,
        review_public: d.publicReview ?? null,
        reviewed_by: actor.id,
        reviewed_at: w.ctx.at,
      },
      { expectedVersion: d.version, action: 'review' },
    );
    await indexStatement(w.trx, row);
    return { version: row.version };
  });
}

/** Records a figure someone published, apart from Vigil's own counts. */
export function createReportedFigure(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'reported_figure',
    ReportedFigureInput,
    input,
    async (w, d, id) => {
      await w.insert('reported_figure', {
        id,
        external_id: d.externalId ?? null,
        ...toColumns(FIGURE_COLUMNS, d),
        statement_id: await resolveOptionalRef(w.trx, 'statement', d.statementId, 'statementId', actor),
        source_id: await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
      } as InsertValues<'reported_figure'>);
    },
    { writer },
  );
}

const FigureUpdate = updateSchema(ReportedFigureInput.shape);

/**
 * Corrects a reported figure as transcribed (a typo, a wrong date). A different figure from
 * another speaker or date is a new record: conflicting figures are all kept (ST4).
 */
export async function updateReportedFigure(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(FigureUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const cols = toColumns(FIGURE_COLUMNS, d, true);
    if (d.statementId !== undefined)
      cols.statement_id = await resolveRef(w.trx, 'statement', d.statementId, 'statementId', actor);
    if (d.sourceId !== undefined) cols.source_id = await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor);
    const row = await w.update('reported_figure', id, cols, { expectedVersion: d.version });
    if (row.value_max !== null && row.value_max < row.value)
      throw new VigilError('validation.invalid', 'valueMax must not be below value', { path: 'valueMax' });
    return { version: row.version };
  });
}
