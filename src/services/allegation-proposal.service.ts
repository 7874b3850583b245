/**
 * The first half of a two-analyst step (domain.md 3.1): one signed-in analyst proposes it, and
 * the proposal is stored and audited; another analyst approves it through
 * `transitionAllegationStatus` with its `proposalId`. The proposer may withdraw it while it is open.
 */
import { z } from 'zod';
import {
  checkWithdrawal,
  DEFAULT_PROPOSAL_LIFETIME_DAYS,
  effectiveProposalStatus,
  proposalExpiry,
  type ProposalStatus,
} from '../domain/allegation-proposal.ts';
import { requiresTwoAnalysts, transitionAllegation } from '../domain/allegation-workflow.ts';
import { Line } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { VerificationStatusSchema, type UserRole, type VerificationStatus } from '../domain/vocabularies.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { findAllegationState } from '../store/repositories/allegation.repository.ts';
import {
  decideProposal,
  expireProposal,
  findProposal,
  insertProposal,
  listProposals,
  openProposals,
  proposerFacts,
  type ProposalRow,
} from '../store/repositories/allegation-proposal.repository.ts';
import { allegationFacts } from './allegation-facts.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

/** What a proposal asks: the step, and why (shown to the approving analyst and kept in the audit log). */
export const ProposalRequest = z.strictObject({
  to: VerificationStatusSchema,
  reason: Line,
});

/** Why the proposer withdraws it (optional). */
export const WithdrawalRequest = z.strictObject({ reason: Line.optional() });

/** A proposal as the API shows it. */
export interface Proposal {
  id: string;
  allegationId: string;
  fromStatus: string;
  toStatus: string;
  reason: string | null;
  proposer: { id: string; username: string | null };
  createdAt: string;
  expiresAt: string;
  /** An open proposal past its expiry shows as `expired`. */
  status: ProposalStatus;
  decidedBy: { id: string; username: string | null } | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** VIGIL_PROPOSAL_LIFETIME_DAYS: how many days a proposal can be approved (default 14). */
export function proposalLifetimeDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.VIGIL_PROPOSAL_LIFETIME_DAYS?.trim();
  if (!raw) return DEFAULT_PROPOSAL_LIFETIME_DAYS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 3650) {
    throw new VigilError(
      'config.invalid',
      'VIGIL_PROPOSAL_LIFETIME_DAYS must be a number of days above 0 and at most 3650',
      { path: 'VIGIL_PROPOSAL_LIFETIME_DAYS' },
    );
  }
  return n;
}

function present(r: ProposalRow, now: Date): Proposal {
  return {
    id: r.id,
    allegationId: r.allegationId,
    fromStatus: r.fromStatus,
    toStatus: r.toStatus,
    reason: r.reason,
    proposer: { id: r.proposerId, username: r.proposerUsername },
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    status: effectiveProposalStatus(r, now),
    decidedBy: r.decidedBy === null ? null : { id: r.decidedBy, username: r.decidedByUsername },
    decidedAt: r.decidedAt,
    decisionReason: r.decisionReason,
  };
}

async function presentOne(svc: Services, allegationId: string, id: string): Promise<Proposal> {
  const row = (await listProposals(svc.store.db, allegationId)).find((p) => p.id === id);
  if (!row) throw new VigilError('record.not_found', `no proposal ${id} for this allegation`, { path: 'proposalId' });
  return present(row, svc.clock());
}

/**
 * Proposes a two-analyst step. The proposer must be a signed-in analyst (Vigil itself proposes
 * nothing: a proposal is a person's judgement); the step must exist from the allegation's current
 * status and its guards must hold now, so a proposal nobody could approve is refused at once.
 * At most one proposal per step is open at a time; one past its expiry is marked expired first.
 */
export async function proposeAllegationTransition(
  svc: Services,
  actor: Actor,
  allegationId: string,
  input: unknown,
  opts: { lifetimeDays?: number } = {},
): Promise<Proposal> {
  const req = parseInput(ProposalRequest, input);
  if (actor.role === 'system') {
    throw new VigilError(
      'state.transition_not_allowed',
      'a proposal is an analyst’s: Vigil itself cannot propose a step',
      { path: 'role' },
    );
  }
  if (!requiresTwoAnalysts(req.to)) {
    throw new VigilError('validation.invalid', `"${req.to}" needs no second analyst: take the step directly`, {
      path: 'to',
    });
  }
  const id = await runWrite(svc.store, writeContext(svc, actor, req.reason), async (w) => {
    const a = await findAllegationState(w.trx, allegationId);
    if (!a) throw new VigilError('record.not_found', `no allegation ${allegationId}`, { path: 'id' });
    const from = a.verificationStatus as VerificationStatus;
    transitionAllegation({
      from,
      to: req.to,
      actor: { id: actor.id, role: actor.role as UserRole },
      reason: req.reason,
      proposing: true,
      facts: await allegationFacts(w.trx, a, {}),
    });
    const now = new Date(w.ctx.at);
    for (const open of await openProposals(w.trx, allegationId)) {
      if (open.toStatus !== req.to) continue;
      if (effectiveProposalStatus(open, now) === 'expired') {
        await expireProposal(w, open.id);
        continue;
      }
      // A proposal nobody can approve any more (its proposer left) must not block the step.
      const proposer = await proposerFacts(w.trx, open.proposerId);
      if (proposer?.role !== 'analyst' || proposer.disabled) {
        await decideProposal(
          w,
          open.id,
          {
            status: 'superseded',
            decidedBy: actor.id,
            decisionReason: 'its proposer is no longer an enabled analyst',
          },
          'supersede',
        );
        continue;
      }
      throw new VigilError(
        'proposal.already_open',
        `a proposal for "${req.to}" is already open (${open.id}): approve or withdraw it`,
        {
          path: 'to',
          details: { proposalId: open.id },
        },
      );
    }
    const proposalId = svc.newId();
    await insertProposal(w, {
      id: proposalId,
      allegationId,
      fromStatus: from,
      toStatus: req.to,
      reason: req.reason,
      proposedBy: actor.id,
      expiresAt: proposalExpiry(now, opts.lifetimeDays ?? DEFAULT_PROPOSAL_LIFETIME_DAYS),
    });
    return proposalId;
  });
  return presentOne(svc, allegationId, id);
}

/** Withdraws an open proposal; only its proposer may. Audited, with the reason if given. */
export async function withdrawProposal(
  svc: Services,
  actor: Actor,
  allegationId: string,
  proposalId: string,
  input: unknown,
): Promise<Proposal> {
  const req = parseInput(WithdrawalRequest, input);
  await runWrite(svc.store, writeContext(svc, actor, req.reason), async (w: AuditedWriter) => {
    const stored = await findProposal(w.trx, allegationId, proposalId);
    if (!stored)
      throw new VigilError('record.not_found', `no proposal ${proposalId} for this allegation`, { path: 'proposalId' });
    checkWithdrawal(
      stored,
      { id: actor.id, role: actor.role === 'system' ? 'analyst' : actor.role },
      new Date(w.ctx.at),
    );
    await decideProposal(
      w,
      proposalId,
      { status: 'withdrawn', decidedBy: actor.id, decisionReason: req.reason ?? null },
      'withdraw',
    );
  });
  return presentOne(svc, allegationId, proposalId);
}

/** Every proposal of an allegation, newest first. The caller has checked that the actor may see the allegation. */
export async function allegationProposals(svc: Services, allegationId: string): Promise<Proposal[]> {
  const now = svc.clock();
  return (await listProposals(svc.store.db, allegationId)).map((r) => present(r, now));
}
