import { z } from 'zod';
import {
  ReportedFigureInput,
  StatementInput,
  StatementReview,
  type ReportedFigure,
  type Statement,
} from '../domain/entities/statement.ts';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import {
  findStatement,
  insertReportedFigure,
  insertStatement,
  listReportedFigurePage,
  listStatementPage,
  type ReportedFigurePageQuery,
  type StatementPageQuery,
  updateReportedFigureFields,
  updateStatementFields,
  updateStatementReview,
  type StatementChange,
} from '../store/repositories/statement.repository.ts';
import { indexStatement } from '../store/search-index.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

/** The statement's references, resolved from ids or external ids (only those present in `d`). */
async function statementRefs(
  w: AuditedWriter,
  actor: Actor,
  d: { speakerPersonId?: string; speakerOrganizationId?: string; sourceId?: string; facilityId?: string },
): Promise<Pick<StatementChange, 'speakerPersonId' | 'speakerOrganizationId' | 'sourceId' | 'facilityId'>> {
  const ref = (table: 'person' | 'organization' | 'source' | 'facility', key: string | undefined, path: string) =>
    key === undefined ? undefined : resolveRef(w.trx, table, key, path, actor);
  return {
    speakerPersonId: await ref('person', d.speakerPersonId, 'speakerPersonId'),
    speakerOrganizationId: await ref('organization', d.speakerOrganizationId, 'speakerOrganizationId'),
    sourceId: await ref('source', d.sourceId, 'sourceId'),
    facilityId: await ref('facility', d.facilityId, 'facilityId'),
  };
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
      const refs = await statementRefs(w, actor, d);
      const row = await insertStatement(w, {
        id,
        externalId: d.externalId ?? null,
        speakerLabel: d.speakerLabel,
        speakerPersonId: refs.speakerPersonId ?? null,
        speakerOrganizationId: refs.speakerOrganizationId ?? null,
        statedOn: d.statedOn ?? null,
        statedPrecision: d.statedPrecision,
        statedText: d.statedText ?? null,
        // StatementInput requires a source, so its reference is resolved here.
        sourceId: required(refs.sourceId, 'the source of a new statement'),
        stance: d.stance,
        gist: d.gist,
        quote: d.quote ?? null,
        facilityId: refs.facilityId ?? null,
        review: d.review
          ? {
              rating: d.review.rating,
              rationale: d.review.rationale ?? null,
              publicReview: d.review.publicReview ?? null,
              reviewedBy: actor.id,
              reviewedAt: w.ctx.at,
            }
          : null,
      });
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
    const row = await updateStatementFields(
      w,
      id,
      {
        speakerLabel: d.speakerLabel,
        statedOn: d.statedOn,
        statedPrecision: d.statedPrecision,
        statedText: d.statedText,
        stance: d.stance,
        gist: d.gist,
        quote: d.quote,
        ...(await statementRefs(w, actor, d)),
      },
      d.version,
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
    const row = await updateStatementReview(
      w,
      statementId,
      {
        rating: d.rating,
        rationale: d.rationale,
        publicReview: d.publicReview ?? null,
        reviewedBy: actor.id,
        reviewedAt: w.ctx.at,
      },
      d.version,
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
      await insertReportedFigure(w, {
        id,
        externalId: d.externalId ?? null,
        value: d.value,
        valueMax: d.valueMax ?? null,
        counts: d.counts,
        countsLabel: d.countsLabel,
        scope: d.scope,
        asOf: d.asOf,
        asOfPrecision: d.asOfPrecision,
        asOfText: d.asOfText ?? null,
        speakerLabel: d.speakerLabel,
        statementId: await resolveOptionalRef(w.trx, 'statement', d.statementId, 'statementId', actor),
        sourceId: await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
      });
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
    const row = await updateReportedFigureFields(
      w,
      id,
      {
        value: d.value,
        valueMax: d.valueMax,
        counts: d.counts,
        countsLabel: d.countsLabel,
        scope: d.scope,
        asOf: d.asOf,
        asOfPrecision: d.asOfPrecision,
        asOfText: d.asOfText,
        speakerLabel: d.speakerLabel,
        statementId:
          d.statementId === undefined
            ? undefined
            : await resolveRef(w.trx, 'statement', d.statementId, 'statementId', actor),
        sourceId:
          d.sourceId === undefined ? undefined : await resolveRef(w.trx, 'source', d.sourceId, 'sourceId', actor),
      },
      d.version,
    );
    if (row.valueMax !== null && row.valueMax < row.value)
      throw new VigilError('validation.invalid', 'valueMax must not be below value', { path: 'valueMax' });
    return { version: row.version };
  });
}

/** Statements in the order they were made (stated date, then id), optionally of one facility, stance or source. */
export function statementsPage(svc: Services, q: StatementPageQuery): Promise<Statement[]> {
  return listStatementPage(svc.store.db, q);
}

/** One statement by id or external id, with its review if any; undefined when none. */
export function statementOf(svc: Services, key: string): Promise<Statement | undefined> {
  return findStatement(svc.store.db, key);
}

/** Reported figures by as-of date, then id, optionally of one count, statement or source. */
export function reportedFiguresPage(svc: Services, q: ReportedFigurePageQuery): Promise<ReportedFigure[]> {
  return listReportedFigurePage(svc.store.db, q);
}
