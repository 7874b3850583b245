import { transitionRecommendation as checkRecommendationStep } from '../domain/recommendation-workflow.ts';
import { RecommendationTransitionInput } from '../domain/entities/visit.ts';
import { VigilError } from '../domain/errors.ts';
import type { RecommendationStatus } from '../domain/vocabularies.ts';
import { runWrite } from '../store/audited-writer.ts';
import * as visits from '../store/repositories/visit.repository.ts';
import type { Actor, Services } from './context.ts';
import { domainActor } from './context.ts';
import { writeContext } from './record-write.ts';
import { resolveRef } from './references.ts';
import { parseInput } from './validate.ts';

/** The status and findings of a visit that was just resolved, so it exists. */
async function visitOutcome(db: Parameters<typeof visits.findVisitOutcome>[0], id: string) {
  const visit = await visits.findVisitOutcome(db, id);
  if (!visit) throw new Error(`no visit ${id}`);
  return visit;
}

/** Visit statuses after the team went in: a visit in one of them can have checked something. */
const VISITED = new Set(['conducted', 'findings_drafted', 'report_sent', 'response_received', 'closed']);

/**
 * Moves a recommendation through its follow-up (domain.md 3.4). References the request carries
 * (the reply, the authority's claim, a follow-up visit, a document, a finding, a new commitment)
 * are resolved and kept on the recommendation; the workflow checks the result, and the change is
 * one audited transaction (`transition:from->to`, with the reason). The claim's own source cannot
 * verify it, and only a visit that took place can serve as a follow-up or a finding.
 */
export async function transitionRecommendationStatus(
  svc: Services,
  actor: Actor,
  recommendationId: string,
  input: unknown,
): Promise<{ status: RecommendationStatus; version: number }> {
  const req = parseInput(RecommendationTransitionInput, input);
  return runWrite(svc.store, writeContext(svc, actor, req.reason), async (w) => {
    const r = await visits.findRecommendation(w.trx, recommendationId);
    if (!r) throw new VigilError('record.not_found', `no recommendation ${recommendationId}`, { path: 'id' });
    const version = r.version;
    if (req.version !== undefined && req.version !== version) {
      throw new VigilError(
        'record.conflict',
        `recommendation ${recommendationId} was changed by someone else; reload and try again`,
        { path: 'version' },
      );
    }
    const ref = async (
      table: 'statement' | 'visit' | 'source',
      key: string | undefined,
      stored: string | null,
      path: string,
    ) => (key === undefined ? stored : resolveRef(w.trx, table, key, path, actor));
    const replyStatementId = await ref('statement', req.replyStatementId, r.replyStatementId, 'replyStatementId');
    const claimStatementId = await ref('statement', req.claimStatementId, r.claimStatementId, 'claimStatementId');
    const followUpVisitId = await ref('visit', req.followUpVisitId, r.followUpVisitId, 'followUpVisitId');
    const evidenceSourceId = await ref('source', req.evidenceSourceId, r.evidenceSourceId, 'evidenceSourceId');
    const findingId = await ref('visit', req.findingId, r.findingId, 'findingId');
    const commitmentStatementId = await ref(
      'statement',
      req.commitmentStatementId,
      r.commitmentStatementId,
      'commitmentStatementId',
    );

    if (req.followUpVisitId !== undefined && followUpVisitId) {
      const visit = await visitOutcome(w.trx, followUpVisitId);
      if (visit.id === r.visitId)
        throw new VigilError(
          'validation.invalid',
          'the follow-up must be a later visit, not the one that issued the recommendation',
          { path: 'followUpVisitId' },
        );
      if (!VISITED.has(visit.status))
        throw new VigilError('validation.invalid', `the follow-up visit has not taken place (it is ${visit.status})`, {
          path: 'followUpVisitId',
        });
    }
    if (req.findingId !== undefined && findingId) {
      const visit = await visitOutcome(w.trx, findingId);
      if (!VISITED.has(visit.status) || !visit.findings?.trim()) {
        throw new VigilError('validation.invalid', 'the visit given as the finding has no findings recorded', {
          path: 'findingId',
        });
      }
    }
    const claimSourceId = claimStatementId ? await visits.findStatementSource(w.trx, claimStatementId) : undefined;

    const from = r.status as RecommendationStatus;
    const { status } = checkRecommendationStep({
      from,
      to: req.to,
      actor: domainActor(actor, 'monitor'),
      recommendation: {
        addressee: r.addressee,
        deadline: r.deadline,
        claimSourceId,
        replyStatementId: replyStatementId ?? undefined,
        claimStatementId: claimStatementId ?? undefined,
        followUpVisitId: followUpVisitId ?? undefined,
        evidenceSourceId: evidenceSourceId ?? undefined,
        findingId: findingId ?? undefined,
        commitmentStatementId: commitmentStatementId ?? undefined,
      },
    });
    const newVersion = await visits.updateRecommendationStep(
      w,
      recommendationId,
      {
        status,
        replyStatementId,
        claimStatementId,
        followUpVisitId,
        evidenceSourceId,
        findingId,
        commitmentStatementId,
      },
      { expectedVersion: version, action: `transition:${from}->${status}` },
    );
    return { status, version: newVersion };
  });
}
