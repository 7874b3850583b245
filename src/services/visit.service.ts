import type { Transaction } from 'kysely';
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
import type { Database } from '../store/schema.ts';
import { orNull, parseJson, toJson } from '../store/repositories/json-column.ts';
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
      await w.insert('visit', {
        id,
        external_id: d.externalId ?? null,
        facility_id: facilityId,
        body: d.body,
        visit_date: d.visitDate,
        visit_type: d.visitType,
        mode: d.mode,
        status: d.status ?? planned.status,
        team: toJson(d.team),
        safeguards: toJson(d.safeguards),
        findings: orNull(d.findings),
        findings_public: orNull(d.findingsPublic),
        response_due: orNull(d.responseDue),
        ...given({
          started_at: orNull(d.startedAt),
          ended_at: orNull(d.endedAt),
          area_ids: areaIds ? toJson(areaIds) : null,
          registers_examined: d.registersExamined ? toJson(d.registersExamined) : null,
          refused_access: d.refusedAccess ? toJson(d.refusedAccess) : null,
          cancellation_reason: orNull(d.cancellationReason),
          reply_statement_id: await resolveOptionalRef(
            w.trx,
            'statement',
            d.replyStatementId,
            'replyStatementId',
            actor,
          ),
        }),
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
        await w.insert('recommendation', {
          id: r.id ?? `${id}:r${String(i + 1).padStart(3, '0')}`,
          external_id: r.externalId ?? null,
          visit_id: id,
          text: r.text,
          addressee: r.addressee,
          deadline: r.deadline,
          status: r.status ?? rec.status,
          ...given({
            reply_statement_id: await ref('statement', r.replyStatementId, 'replyStatementId'),
            claim_statement_id: await ref('statement', r.claimStatementId, 'claimStatementId'),
            follow_up_visit_id: await ref('visit', r.followUpVisitId, 'followUpVisitId'),
            evidence_source_id: await ref('source', r.evidenceSourceId, 'evidenceSourceId'),
            finding_id: await ref('visit', r.findingId, 'findingId'),
            commitment_statement_id: await ref('statement', r.commitmentStatementId, 'commitmentStatementId'),
          }),
        });
      }
    },
    { writer },
  );
}

/**
 * The columns that hold a value; the rest keep their default (null). Planning a visit then names
 * only the columns visits had before 0005, so it still works on a store migrated that far.
 */
function given<T extends Record<string, string | null>>(columns: T): Partial<T> {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== null)) as Partial<T>;
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
  trx: Transaction<Database>,
  actor: Actor,
  facilityId: string,
  keys: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, key] of keys.entries()) {
    const areaId = await resolveRef(trx, 'area', key, `areaIds.${i}`, actor);
    const area = await trx.selectFrom('area').select('facility_id').where('id', '=', areaId).executeTakeFirstOrThrow();
    if (area.facility_id !== facilityId)
      throw new VigilError('validation.invalid', 'the area belongs to another facility', { path: `areaIds.${i}` });
    if (!ids.includes(areaId)) ids.push(areaId);
  }
  return ids;
}

/** A JSON list column: null stays "not recorded", unlike an empty list. */
const listOf = (text: string | null): string[] | undefined =>
  text === null ? undefined : parseJson<string[]>(text, []);

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
    const v = await w.trx.selectFrom('visit').selectAll().where('id', '=', visitId).executeTakeFirst();
    if (!v) throw new VigilError('record.not_found', `no visit ${visitId}`, { path: 'id' });
    const version = Number(v.version);
    if (req.version !== undefined && req.version !== version) {
      throw new VigilError('record.conflict', `visit ${visitId} was changed by someone else; reload and try again`, {
        path: 'version',
      });
    }
    const areaIds = req.areaIds ? await areasOf(w.trx, actor, v.facility_id, req.areaIds) : listOf(v.area_ids);
    const replyStatementId =
      req.replyStatementId !== undefined
        ? await resolveRef(w.trx, 'statement', req.replyStatementId, 'replyStatementId', actor)
        : v.reply_statement_id;
    const safeguards = { ...parseJson<Record<string, string>>(v.safeguards, {}), ...req.safeguards };
    const after = {
      startedAt: req.startedAt ?? v.started_at ?? undefined,
      endedAt: req.endedAt ?? v.ended_at ?? undefined,
      areaIds,
      registersExamined: req.registersExamined ?? listOf(v.registers_examined),
      refusedAccess: req.refusedAccess ?? listOf(v.refused_access),
      cancellationReason: req.cancellationReason ?? v.cancellation_reason ?? undefined,
      responseDue: req.responseDue ?? v.response_due ?? undefined,
      replyStatementId: replyStatementId ?? undefined,
    };
    const fields: VisitFields = {
      ...after,
      facilityId: v.facility_id,
      visitDate: v.visit_date,
      visitType: v.visit_type as VisitFields['visitType'],
      mode: v.mode as VisitFields['mode'],
      team: parseJson<string[]>(v.team, []),
      safeguards: safeguards as Partial<Record<SafeguardCheck, SafeguardAnswer>>,
    };
    const from = v.status as VisitStatus;
    const { status } = checkVisitStep({ from, to: req.to, actor: domainActor(actor, 'monitor'), visit: fields });
    const row = await w.update(
      'visit',
      visitId,
      {
        status,
        started_at: orNull(after.startedAt),
        ended_at: orNull(after.endedAt),
        area_ids: after.areaIds ? toJson(after.areaIds) : null,
        registers_examined: after.registersExamined ? toJson(after.registersExamined) : null,
        refused_access: after.refusedAccess ? toJson(after.refusedAccess) : null,
        cancellation_reason: orNull(after.cancellationReason),
        response_due: orNull(after.responseDue),
        reply_statement_id: orNull(after.replyStatementId),
        safeguards: toJson(safeguards),
        findings: req.findings ?? v.findings,
        findings_public: req.findingsPublic ?? v.findings_public,
      },
      { expectedVersion: version, action: `transition:${from}->${status}` },
    );
    return { status, version: Number(row.version) };
  });
}
