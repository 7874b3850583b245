import type { z } from 'zod';
import { transitionVisit as checkVisitStep, type VisitFields } from '../domain/visit-workflow.ts';
import { transitionRecommendation } from '../domain/recommendation-workflow.ts';
import {
  RECOMMENDATION_IMPORT_ONLY,
  VISIT_IMPORT_ONLY,
  VisitInput,
  VisitTransitionInput,
} from '../domain/entities/visit.ts';
import { VigilError } from '../domain/errors.ts';
import type { SafeguardAnswer, SafeguardCheck, VisitStatus } from '../domain/vocabularies.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { findAreaPlace } from '../store/repositories/facility.repository.ts';
import * as visits from '../store/repositories/visit.repository.ts';
import { domainActor, type Actor, type Services } from './context.ts';
import { createRecord, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

/**
 * Plans a monitoring visit (domain.md 3.3) with its team and, when already known, its safeguards
 * answers, findings and recommendations (each `issued` with addressee and deadline, 3.4). An
 * import of an exported record (`importing`) keeps the status, conduct and follow-up it had;
 * otherwise those are refused here, since only transitions set them.
 */
export function createVisit(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
  opts: { importing?: boolean } = {},
): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'visit',
    VisitInput,
    input,
    async (w, d, id) => {
      if (!opts.importing) refuseImportOnly(d);
      const facilityId = await resolveRef(w.trx, 'facility', d.facilityId, 'facilityId', actor);
      const monitor = domainActor(actor, 'monitor');
      const planned = checkVisitStep({
        from: null,
        to: 'planned',
        actor: monitor,
        visit: { facilityId, visitDate: d.visitDate, visitType: d.visitType, mode: d.mode, team: d.team },
      });
      const areaIds = d.areaIds ? await areasOf(w.trx, actor, facilityId, d.areaIds) : null;
      await visits.insertVisit(w, {
        id,
        externalId: d.externalId,
        facilityId,
        body: d.body,
        visitDate: d.visitDate,
        visitType: d.visitType,
        mode: d.mode,
        status: d.status ?? planned.status,
        team: d.team,
        safeguards: d.safeguards,
        findings: d.findings,
        findingsPublic: d.findingsPublic,
        responseDue: d.responseDue,
        startedAt: d.startedAt,
        endedAt: d.endedAt,
        areaIds: areaIds ?? undefined,
        registersExamined: d.registersExamined,
        refusedAccess: d.refusedAccess,
        cancellationReason: d.cancellationReason,
        replyStatementId:
          (await resolveOptionalRef(w.trx, 'statement', d.replyStatementId, 'replyStatementId', actor)) ?? undefined,
      });
      for (const [i, r] of d.recommendations.entries()) {
        const rec = transitionRecommendation({
          from: null,
          to: 'issued',
          actor: monitor,
          recommendation: { addressee: r.addressee, deadline: r.deadline },
        });
        // Resolved after the visit is written, so a recommendation may point at its own visit (a finding).
        const ref = (table: 'statement' | 'visit' | 'source', key: string | undefined, field: string) =>
          resolveOptionalRef(w.trx, table, key, `recommendations.${i}.${field}`, actor);
        await visits.insertRecommendation(w, {
          id: r.id ?? `${id}:r${String(i + 1).padStart(3, '0')}`,
          externalId: r.externalId,
          visitId: id,
          text: r.text,
          addressee: r.addressee,
          deadline: r.deadline,
          status: r.status ?? rec.status,
          replyStatementId: await ref('statement', r.replyStatementId, 'replyStatementId'),
          claimStatementId: await ref('statement', r.claimStatementId, 'claimStatementId'),
          followUpVisitId: await ref('visit', r.followUpVisitId, 'followUpVisitId'),
          evidenceSourceId: await ref('source', r.evidenceSourceId, 'evidenceSourceId'),
          findingId: await ref('visit', r.findingId, 'findingId'),
          commitmentStatementId: await ref('statement', r.commitmentStatementId, 'commitmentStatementId'),
        });
      }
    },
    { writer },
  );
}

/** Outside an import, a new visit starts `planned` and its recommendations `issued`; the rest is set by transitions. */
function refuseImportOnly(d: z.output<typeof VisitInput>): void {
  const refuse = (path: string) => {
    throw new VigilError('validation.invalid', `${path} is set by workflow transitions, not when planning a visit`, {
      path,
    });
  };
  for (const field of VISIT_IMPORT_ONLY) {
    if (d[field] !== undefined && !(field === 'status' && d.status === 'planned')) refuse(field);
  }
  for (const [i, r] of d.recommendations.entries()) {
    for (const field of RECOMMENDATION_IMPORT_ONLY) {
      if (r[field] !== undefined && !(field === 'status' && r.status === 'issued'))
        refuse(`recommendations.${i}.${field}`);
    }
  }
}

/** Resolves areas given by id or external id; each must belong to the visit's facility. Duplicates count once. */
async function areasOf(
  trx: AuditedWriter['trx'],
  actor: Actor,
  facilityId: string,
  keys: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, key] of keys.entries()) {
    const areaId = await resolveRef(trx, 'area', key, `areaIds.${i}`, actor);
    const area = await findAreaPlace(trx, areaId);
    if (area?.facilityId !== facilityId)
      throw new VigilError('validation.invalid', 'the area belongs to another facility', { path: `areaIds.${i}` });
    if (!ids.includes(areaId)) ids.push(areaId);
  }
  return ids;
}

/**
 * Moves a visit to its next status (domain.md 3.3). The fields the request carries (times,
 * areas inspected, registers, refused access, safeguards answers, findings, the reply…) are
 * merged into the stored visit, the workflow checks the result, and the change is one audited
 * transaction (`transition:from->to`, with the reason). A visit changed since the client read
 * it is refused with `record.conflict`.
 */
export async function transitionVisit(
  svc: Services,
  actor: Actor,
  visitId: string,
  input: unknown,
): Promise<{ status: VisitStatus; version: number }> {
  const req = parseInput(VisitTransitionInput, input);
  return runWrite(svc.store, writeContext(svc, actor, req.reason), async (w) => {
    const v = await visits.findVisit(w.trx, visitId);
    if (!v) throw new VigilError('record.not_found', `no visit ${visitId}`, { path: 'id' });
    const version = v.version;
    if (req.version !== undefined && req.version !== version) {
      throw new VigilError('record.conflict', `visit ${visitId} was changed by someone else; reload and try again`, {
        path: 'version',
      });
    }
    const areaIds = req.areaIds ? await areasOf(w.trx, actor, v.facilityId, req.areaIds) : v.areaIds;
    const replyStatementId =
      req.replyStatementId !== undefined
        ? await resolveRef(w.trx, 'statement', req.replyStatementId, 'replyStatementId', actor)
        : v.replyStatementId;
    const safeguards = { ...v.safeguards, ...req.safeguards };
    const after = {
      startedAt: req.startedAt ?? v.startedAt,
      endedAt: req.endedAt ?? v.endedAt,
      areaIds,
      registersExamined: req.registersExamined ?? v.registersExamined,
      refusedAccess: req.refusedAccess ?? v.refusedAccess,
      cancellationReason: req.cancellationReason ?? v.cancellationReason,
      responseDue: req.responseDue ?? v.responseDue,
      replyStatementId: replyStatementId ?? undefined,
    };
    const fields: VisitFields = {
      ...after,
      areaIds: areaIds && [...areaIds],
      registersExamined: after.registersExamined && [...after.registersExamined],
      refusedAccess: after.refusedAccess && [...after.refusedAccess],
      facilityId: v.facilityId,
      visitDate: v.visitDate,
      visitType: v.visitType as VisitFields['visitType'],
      mode: v.mode as VisitFields['mode'],
      team: [...v.team],
      safeguards: safeguards as Partial<Record<SafeguardCheck, SafeguardAnswer>>,
    };
    const from = v.status as VisitStatus;
    const { status } = checkVisitStep({ from, to: req.to, actor: domainActor(actor, 'monitor'), visit: fields });
    const newVersion = await visits.updateVisitStep(
      w,
      visitId,
      {
        status,
        ...after,
        safeguards,
        findings: req.findings ?? v.findings,
        findingsPublic: req.findingsPublic ?? v.findingsPublic,
      },
      { expectedVersion: version, action: `transition:${from}->${status}` },
    );
    return { status, version: newVersion };
  });
}
