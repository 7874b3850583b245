import { transitionProceeding, type ProceedingStageDetails } from '../domain/proceeding-workflow.ts';
import { ProceedingStageInput } from '../domain/entities/proceeding.ts';
import { ProceedingImport } from '../domain/entities/import-line.ts';
import { VigilError } from '../domain/errors.ts';
import type { ProceedingKind, ProceedingStage } from '../domain/vocabularies.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import {
  findProceedingState,
  insertProceeding,
  insertStage,
  lastStageSeq,
  updateProceedingStage,
} from '../store/repositories/proceeding.repository.ts';
import { domainActor, type Actor, type Services } from './context.ts';
import { createRecord, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef } from './references.ts';
import { parseInput } from './validate.ts';

type StageRequest = {
  to: ProceedingStage;
  onDate: string;
  sourceId?: string;
  decidedBy?: string;
  details: Record<string, unknown>;
  version?: number;
};

/**
 * Opens a proceeding: a criminal case starts as `complaint_filed` (body, date, reference), any
 * other kind as `opened`. Stages given with it (an import of a proceeding's history) are
 * recorded in order, each checked by the state machine, in the same transaction.
 * An import (`importing`) does not open linked proceedings: the file holds them as records.
 */
export function openProceeding(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
  opts: { importing?: boolean } = {},
): Promise<Created> {
  const importing = opts.importing === true;
  return createRecord(
    svc,
    actor,
    'proceeding',
    ProceedingImport,
    input,
    async (w, d, id) => {
      const first: ProceedingStage = d.kind === 'criminal_case' ? 'complaint_filed' : 'opened';
      const sourceId = await resolveOptionalRef(w.trx, 'source', d.sourceId, 'sourceId', actor);
      const details = { body: d.body, reference: d.reference };
      namingOpeningFields(() =>
        transitionProceeding({
          kind: d.kind,
          from: null,
          to: first,
          actor: domainActor(actor),
          onDate: d.openedOn,
          sourceId: sourceId ?? undefined,
          decidedBy: d.decidedBy,
          details,
        }),
      );
      await insertProceeding(w, {
        id,
        externalId: d.externalId ?? null,
        allegationId: await resolveOptionalRef(w.trx, 'allegation', d.allegationId, 'allegationId', actor),
        parentId: await resolveOptionalRef(w.trx, 'proceeding', d.parentId, 'parentId', actor),
        kind: d.kind,
        stage: first,
        body: d.body,
        reference: orNull(d.reference),
        openedOn: d.openedOn,
      });
      await insertStage(w, {
        proceedingId: id,
        seq: 1,
        stage: first,
        onDate: d.openedOn,
        sourceId,
        decidedBy: orNull(d.decidedBy),
        details,
        recordedBy: actor.id,
      });
      for (const [i, s] of d.stages.entries()) {
        try {
          await recordStage(svc, w, actor, id, s, { openLinked: !importing });
        } catch (err) {
          if (err instanceof VigilError && err.path) {
            const field = err.path === 'status' ? 'to' : err.path;
            throw new VigilError(err.code, err.message, { path: `stages.${i}.${field}`, details: err.details });
          }
          throw err;
        }
      }
    },
    { writer },
  );
}

/** The fields of the opening request that the first stage's checks read under their stage names. */
const OPENING_FIELDS: Record<string, string> = {
  onDate: 'openedOn',
  'details.body': 'body',
  'details.reference': 'reference',
};

/** Runs the first stage's check and names, in a refusal, the field the caller sent (`reference`, not `details.reference`). */
function namingOpeningFields<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    const field = err instanceof VigilError && err.path ? OPENING_FIELDS[err.path] : undefined;
    if (err instanceof VigilError && field)
      throw new VigilError(err.code, err.message, { path: field, details: err.details });
    throw err;
  }
}

async function recordStage(
  svc: Services,
  w: AuditedWriter,
  actor: Actor,
  proceedingId: string,
  s: StageRequest,
  opts: { openLinked: boolean } = { openLinked: true },
): Promise<ProceedingStage> {
  const p = await findProceedingState(w.trx, proceedingId);
  if (!p) throw new VigilError('record.not_found', `no proceeding ${proceedingId}`, { path: 'id' });
  if (s.onDate < p.stageOn)
    throw new VigilError('validation.invalid', `a stage cannot be dated before the previous one (${p.stageOn})`, {
      path: 'onDate',
    });
  const sourceId = await resolveOptionalRef(w.trx, 'source', s.sourceId, 'sourceId', actor);
  const details = s.details as ProceedingStageDetails;
  const result = transitionProceeding({
    kind: p.kind as ProceedingKind,
    from: p.stage as ProceedingStage,
    to: s.to,
    actor: domainActor(actor),
    onDate: s.onDate,
    sourceId: sourceId ?? undefined,
    decidedBy: s.decidedBy as never,
    details,
  });
  const seq = (await lastStageSeq(w.trx, proceedingId)) + 1;
  await updateProceedingStage(
    w,
    proceedingId,
    {
      stage: result.stage,
      stageOn: s.onDate,
      erdrNumber: details.erdrNumber,
      article: details.article,
      part: details.part,
      outcome: details.outcome ? details.outcome : details.terminationGround,
    },
    { expectedVersion: s.version, action: `stage:${p.stage}->${result.stage}` },
  );
  await insertStage(w, {
    proceedingId,
    seq,
    stage: result.stage,
    onDate: s.onDate,
    sourceId,
    decidedBy: orNull(s.decidedBy),
    details,
    recordedBy: actor.id,
  });
  // An import carries the linked proceeding as its own record, so it is not opened a second time.
  if (result.opens && opts.openLinked) {
    // A complaint redirected to an internal inquiry (or an inquiry referred to prosecution) opens a linked proceeding.
    const childId = svc.newId();
    const first: ProceedingStage = result.opens === 'criminal_case' ? 'complaint_filed' : 'opened';
    await insertProceeding(w, {
      id: childId,
      externalId: null,
      allegationId: p.allegationId,
      parentId: proceedingId,
      kind: result.opens,
      stage: first,
      body: p.body,
      reference: p.reference,
      openedOn: s.onDate,
    });
    await insertStage(w, {
      proceedingId: childId,
      seq: 1,
      stage: first,
      onDate: s.onDate,
      sourceId,
      decidedBy: orNull(s.decidedBy),
      details: { openedFrom: proceedingId },
      recordedBy: actor.id,
    });
  }
  return result.stage;
}

/** Records the next stage of a proceeding (an ERDR registration, a termination, a verdict…). */
export async function advanceProceeding(
  svc: Services,
  actor: Actor,
  proceedingId: string,
  input: unknown,
): Promise<{ stage: ProceedingStage }> {
  const s = parseInput(ProceedingStageInput, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => ({
    stage: await recordStage(svc, w, actor, proceedingId, s),
  }));
}
