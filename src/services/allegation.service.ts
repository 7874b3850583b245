import { z } from 'zod';
import { checkApproval } from '../domain/allegation-proposal.ts';
import { nextAllegationStatuses, requiresTwoAnalysts, transitionAllegation } from '../domain/allegation-workflow.ts';
import { suggestClassification } from '../domain/cat-checklist.ts';
import { AllegationInput, ClassifyInput, type Allegation } from '../domain/entities/allegation.ts';
import { Line, RecordKey } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';
import {
  RiskLevelSchema,
  VerificationStatusSchema,
  type ConsentScope,
  type UserRole,
  type VerificationStatus,
} from '../domain/vocabularies.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { auditHeadSeq } from '../store/repositories/audit-head.repository.ts';
import { findPseudonyms, type PersonRef } from '../store/repositories/person-pseudonym.repository.ts';
import {
  actKindsOf,
  allegationStatusOf,
  areaFacilityId,
  findAllegation,
  findAllegationState,
  findCatChecklist,
  insertAllegation,
  listAllegations,
  type AllegationFilter,
  updateAllegationClassification,
  updateAllegationStatus,
} from '../store/repositories/allegation.repository.ts';
import {
  decideProposal,
  findProposal,
  openProposals,
  proposerFacts,
} from '../store/repositories/allegation-proposal.repository.ts';
import { indexAllegation } from '../store/search-index.ts';
import { allegationFacts } from './allegation-facts.ts';
import { writeAllegationParts } from './allegation-parts.ts';
import { insertAssignment, NEED_TO_KNOW_SENSITIVITIES } from '../store/repositories/allegation-access.repository.ts';
import { domainActor, type Actor, type Services } from './context.ts';
import { createRecord, writeContext, type Created } from './record-write.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';
import { limitedViewer, may } from './policy.ts';
import { parseInput } from './validate.ts';

/**
 * Records an allegation with its acts, victims, alleged perpetrators and source links, in one
 * transaction. A new allegation starts as `received` (the workflow's first step, checked against
 * the actor's role); an import of an exported record keeps the status it had.
 */
export function createAllegation(
  svc: Services,
  actor: Actor,
  input: unknown,
  writer?: AuditedWriter,
  opts: { importing?: boolean } = {},
): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'allegation',
    AllegationInput,
    input,
    async (w, d, id) => {
      let status: VerificationStatus = 'received';
      if (opts.importing && d.verificationStatus) status = d.verificationStatus;
      else {
        if (d.verificationStatus && d.verificationStatus !== 'received') {
          throw new VigilError(
            'validation.invalid',
            'a new allegation starts as "received"; change it with a transition',
            { path: 'verificationStatus' },
          );
        }
        for (const field of ['priorStatus', 'urgent', 'duplicateOf'] as const) {
          if (d[field] !== undefined)
            throw new VigilError('validation.invalid', `${field} is set by workflow transitions, not when recording`, {
              path: field,
            });
        }
        if (actor.role !== 'system') {
          transitionAllegation({
            from: null,
            to: 'received',
            actor: domainActor(actor),
            facts: {
              consentScopes: d.consent as ConsentScope[],
              onlyPublicSources: false,
              riskAssessed: false,
              independentSourceCount: 0,
              independentlyBackedActCount: 0,
              hasContradictingSource: false,
            },
          });
        }
      }
      const facilityId = await resolveOptionalRef(w.trx, 'facility', d.facilityId, 'facilityId', actor);
      const areaId = await resolveOptionalRef(w.trx, 'area', d.areaId, 'areaId', actor);
      if (areaId && facilityId) {
        if ((await areaFacilityId(w.trx, areaId)) !== facilityId)
          throw new VigilError('validation.invalid', 'the area belongs to another facility', { path: 'areaId' });
      }
      const row = await insertAllegation(w, {
        id,
        externalId: d.externalId ?? null,
        title: d.title,
        summary: orNull(d.summary),
        period: {
          start: orNull(d.period.start),
          end: orNull(d.period.end),
          precision: d.period.precision,
          text: orNull(d.period.text),
        },
        facilityId,
        areaId,
        classification: opts.importing && d.classification ? d.classification : 'undetermined',
        classificationRationale: opts.importing ? orNull(d.classificationRationale) : null,
        catChecklist: d.catChecklist,
        verificationStatus: status,
        priorStatus: opts.importing ? orNull(d.priorStatus) : null,
        sensitivity: d.sensitivity,
        risk: d.risk,
        urgent: Boolean(opts.importing && d.urgent),
        consent: d.consent,
        duplicateOf: opts.importing
          ? await resolveOptionalRef(w.trx, 'allegation', d.duplicateOf, 'duplicateOf', actor)
          : null,
      });
      let n = 0;
      const partId = () => `${id}:${String(++n).padStart(3, '0')}`;
      // Whoever records a confidential or restricted allegation is on its case team from the start,
      // in the same transaction and before its parts: otherwise they could not see what they just
      // wrote, nor name a victim twice (once linked, the victim is the case's).
      if (NEED_TO_KNOW_SENSITIVITIES.includes(d.sensitivity) && actor.role !== 'system') {
        await insertAssignment(w, { id: svc.newId(), allegationId: id, userId: actor.id });
      }
      await writeAllegationParts(w, actor, id, d, partId);
      await indexAllegation(
        w.trx,
        row,
        d.acts.map((a) => a.kind),
      );
    },
    { writer, reason: undefined },
  );
}

export const TransitionRequest = z.strictObject({
  to: VerificationStatusSchema,
  reason: Line.optional(),
  proposalId: RecordKey.optional().describe(
    'For a step that needs two analysts: the open proposal, made by another analyst, that this approves',
  ),
  withdrawalGround: z.enum(['consent_withdrawn', 'report_retracted']).optional(),
  duplicateOf: z.string().min(1).max(200).optional(),
  risk: RiskLevelSchema.optional(),
  version: z.number().int().positive().optional(),
});

/**
 * Moves an allegation through the verification workflow (domain.md 3.1). The guards' facts are
 * read from the stored record and its sources at this moment; the change and its audit entry
 * (actor, reason) are one transaction. A step that needs two analysts approves a stored proposal
 * (`proposalId`) of another analyst: the proposal is marked approved in the same transaction, and
 * any other open proposal of the allegation, made from the status it leaves, is superseded.
 * Vigil's own work (`system`) approves like an analyst, and likewise needs an analyst's proposal.
 */
export async function transitionAllegationStatus(
  svc: Services,
  actor: Actor,
  allegationId: string,
  input: unknown,
): Promise<{ status: VerificationStatus; version: number }> {
  const req = parseInput(TransitionRequest, input);
  return runWrite(svc.store, writeContext(svc, actor, req.reason), async (w) => {
    const a = await findAllegationState(w.trx, allegationId);
    if (!a) throw new VigilError('record.not_found', `no allegation ${allegationId}`, { path: 'id' });
    const from = a.verificationStatus as VerificationStatus;
    const priorStatus = (a.priorStatus ?? undefined) as VerificationStatus | undefined;
    const approver = domainActor(actor);
    if (req.proposalId !== undefined && !requiresTwoAnalysts(req.to)) {
      throw new VigilError('validation.invalid', `"${req.to}" needs no second analyst: leave out proposalId`, {
        path: 'proposalId',
      });
    }
    let proposal: { proposer: { id: string; role: UserRole } } | undefined;
    // Only for a step the table has: a forbidden one is refused as such by the workflow below.
    const inTable = nextAllegationStatuses(from, approver.role, priorStatus ? { priorStatus } : {}).includes(req.to);
    if (req.proposalId !== undefined && inTable) {
      const stored = await findProposal(w.trx, allegationId, req.proposalId);
      const found = stored ? await proposerFacts(w.trx, stored.proposerId) : undefined;
      const proposer = found && { ...found, mayReadCase: await may(w.trx, found, 'read', 'allegation', allegationId) };
      checkApproval({
        proposal: stored,
        proposer,
        approver,
        allegation: { id: allegationId, status: from },
        to: req.to,
        now: new Date(w.ctx.at),
      });
      // checkApproval refuses a proposal whose proposer is gone, so here there is one.
      const { id, role } = required(proposer, 'the proposer of an approved proposal');
      proposal = { proposer: { id, role } };
    }
    if (req.duplicateOf) {
      // The target must be the original, never itself or another duplicate: chains of duplicates
      // stay one step deep, no cycle can form, and an export can always write targets first.
      const target = await resolveRef(w.trx, 'allegation', req.duplicateOf, 'duplicateOf', actor);
      if (target === allegationId)
        throw new VigilError('validation.invalid', 'an allegation cannot duplicate itself', { path: 'duplicateOf' });
      const t = await allegationStatusOf(w.trx, target);
      if (t.verificationStatus === 'duplicate') {
        throw new VigilError(
          'state.guard_failed',
          `that allegation is itself a duplicate of ${t.duplicateOf ?? 'another'}; point to the original`,
          { path: 'duplicateOf' },
        );
      }
    }
    const result = transitionAllegation({
      from,
      to: req.to,
      actor: approver,
      reason: req.reason,
      proposal,
      priorStatus,
      withdrawalGround: req.withdrawalGround,
      facts: await allegationFacts(w.trx, a, req),
    });
    const holding = result.status === 'on_hold_safety';
    const row = await updateAllegationStatus(
      w,
      allegationId,
      {
        verificationStatus: result.status,
        priorStatus: holding ? a.verificationStatus : result.status === 'withdrawn' ? a.verificationStatus : null,
        urgent: result.urgent === undefined ? a.urgent : result.urgent,
        duplicateOf:
          result.status === 'duplicate'
            ? await resolveRef(
                w.trx,
                'allegation',
                required(req.duplicateOf, 'the allegation a duplicate duplicates'),
                'duplicateOf',
                actor,
              )
            : a.duplicateOf,
        risk: req.risk,
      },
      { expectedVersion: req.version, action: `transition:${a.verificationStatus}->${result.status}` },
    );
    await closeProposals(w, allegationId, actor, req.proposalId);
    await indexAllegation(w.trx, row, await actKindsOf(w.trx, allegationId));
    return { status: result.status, version: row.version };
  });
}

/**
 * After a status change: the approved proposal (if any) is marked approved by `actor`, and every
 * other open proposal of the allegation is superseded, since it was made from the status just
 * left. Each is an audited update in the transaction of the change.
 */
async function closeProposals(
  w: AuditedWriter,
  allegationId: string,
  actor: Actor,
  approvedId: string | undefined,
): Promise<void> {
  for (const p of await openProposals(w.trx, allegationId)) {
    const approved = p.id === approvedId;
    await decideProposal(
      w,
      p.id,
      {
        status: approved ? 'approved' : 'superseded',
        decidedBy: actor.id,
        decisionReason: approved ? null : 'the allegation changed status',
      },
      approved ? 'approve' : 'supersede',
    );
  }
}

/**
 * An analyst sets the classification, with a rationale kept beside the CAT checklist's
 * suggestion: the checklist only suggests, a person decides.
 */
export async function classifyAllegation(svc: Services, actor: Actor, allegationId: string, input: unknown) {
  const d = parseInput(ClassifyInput, input);
  if (!['analyst', 'system'].includes(actor.role)) {
    throw new VigilError('state.transition_not_allowed', 'only an analyst sets the classification', { path: 'role' });
  }
  return runWrite(svc.store, writeContext(svc, actor, d.rationale), async (w) => {
    const stored = await findCatChecklist(w.trx, allegationId);
    if (stored === undefined) throw new VigilError('record.not_found', `no allegation ${allegationId}`, { path: 'id' });
    const checklist = d.catChecklist ?? stored ?? undefined;
    const suggestion = checklist ? suggestClassification(checklist) : null;
    const row = await updateAllegationClassification(
      w,
      allegationId,
      { classification: d.classification, rationale: d.rationale, catChecklist: checklist },
      d.version,
    );
    await indexAllegation(w.trx, row, await actKindsOf(w.trx, allegationId));
    return { classification: d.classification, suggestion, version: row.version };
  });
}

/**
 * The sequence number of the audit head: every change moves it, so a page read after it is never
 * older than the head it is filed under.
 */
export function changeSeq(svc: Services): Promise<number> {
  return auditHeadSeq(svc.store.db);
}

/** Allegations by id, optionally of one facility, status or classification; hidden ones are left out (need-to-know). */
export function allegationsFor(
  svc: Services,
  actor: Actor,
  f: Omit<AllegationFilter, 'visibleTo'>,
): Promise<Allegation[]> {
  return listAllegations(svc.store.db, { ...f, visibleTo: limitedViewer(actor) });
}

/**
 * One allegation by id or external id, with the pseudonyms of its victims and alleged perpetrators
 * (identities are never read); undefined when it does not exist or `actor` may not see it (the same).
 */
export async function allegationDetailFor(
  svc: Services,
  actor: Actor,
  key: string,
): Promise<(Allegation & { people: PersonRef[] }) | undefined> {
  const allegation = await findAllegation(svc.store.db, key, limitedViewer(actor));
  if (!allegation) return undefined;
  const personIds = [...allegation.victims, ...allegation.perpetrators].map((p) => p.personId);
  return { ...allegation, people: await findPseudonyms(svc.store.db, personIds) };
}
