/**
 * Four eyes on the verification workflow (domain.md 3.1, "two analysts"): a step that needs a
 * second analyst is first proposed by one signed-in analyst and stored; another analyst approves
 * that stored proposal. Pure: the service reads the proposal and its proposer, these functions say
 * whether the approval or withdrawal may go ahead, and the service writes it in one transaction.
 */
import { VigilError } from './errors.ts';
import type { Actor } from './state-machine.ts';
import type { UserRole } from './vocabularies-people.ts';

/** How a proposal stands: `open` until approved, withdrawn by its proposer, past its lifetime, or overtaken by another step. */
export const PROPOSAL_STATUSES = ['open', 'approved', 'withdrawn', 'expired', 'superseded'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** How long a proposal can be approved, unless VIGIL_PROPOSAL_LIFETIME_DAYS says otherwise. */
export const DEFAULT_PROPOSAL_LIFETIME_DAYS = 14;

/** A stored proposal, as far as the rules need it. */
export interface ProposalFacts {
  readonly id: string;
  readonly allegationId: string;
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly proposerId: string;
  readonly status: string;
  /** ISO-8601 instant after which it can no longer be approved. */
  readonly expiresAt: string;
}

/** The proposer as stored now: their role may have changed, or their account been disabled, since they proposed. */
export interface ProposerFacts {
  readonly id: string;
  readonly role: UserRole;
  readonly disabled: boolean;
  /** Whether the proposer may still read the allegation (need-to-know: still on its case team). */
  readonly mayReadCase: boolean;
}

/** When a proposal made at `at` expires. */
export function proposalExpiry(at: Date, lifetimeDays: number): string {
  return new Date(at.getTime() + lifetimeDays * 86_400_000).toISOString();
}

/** The status to show: an open proposal past its expiry is `expired` even before anyone records it so. */
export function effectiveProposalStatus(p: Pick<ProposalFacts, 'status' | 'expiresAt'>, now: Date): ProposalStatus {
  if (p.status === 'open' && now.toISOString() >= p.expiresAt) return 'expired';
  return p.status as ProposalStatus;
}

function requireOpen(p: ProposalFacts, now: Date): void {
  const status = effectiveProposalStatus(p, now);
  if (status === 'expired') {
    throw new VigilError('proposal.expired', `the proposal expired at ${p.expiresAt}; propose the step again`, {
      path: 'proposalId',
    });
  }
  if (status !== 'open')
    throw new VigilError('proposal.not_open', `the proposal is ${status}, not open`, { path: 'proposalId' });
}

/**
 * Checks that `approver` may approve `proposal` to move allegation `allegation` from its current
 * status to `to`, and throws the error that says why not. A proposal of another allegation is
 * answered exactly like one that does not exist (`proposal.mismatch`), so a proposal id reveals
 * nothing about allegations the approver cannot see.
 *
 * @example
 *   checkApproval({ proposal, proposer, approver: { id: 'ben', role: 'analyst' },
 *     allegation: { id: 'a1', status: 'under_verification' }, to: 'corroborated', now: new Date() });
 */
export function checkApproval(input: {
  readonly proposal: ProposalFacts | undefined;
  readonly proposer: ProposerFacts | undefined;
  readonly approver: Actor;
  readonly allegation: { readonly id: string; readonly status: string };
  readonly to: string;
  readonly now: Date;
}): void {
  const { proposal: p, proposer, approver, allegation, to, now } = input;
  if (!p || p.allegationId !== allegation.id) {
    throw new VigilError('proposal.mismatch', 'no proposal with this id for this allegation', { path: 'proposalId' });
  }
  if (p.proposerId === approver.id) {
    throw new VigilError('proposal.self_approval', 'you proposed this step: another analyst must approve it', {
      path: 'proposalId',
    });
  }
  requireOpen(p, now);
  if (p.toStatus !== to) {
    throw new VigilError('proposal.mismatch', `the proposal is for "${p.toStatus}", not "${to}"`, {
      path: 'proposalId',
      details: { proposed: p.toStatus, to },
    });
  }
  if (p.fromStatus !== allegation.status) {
    throw new VigilError(
      'proposal.mismatch',
      `the proposal was made from "${p.fromStatus}", and the allegation is now "${allegation.status}"`,
      {
        path: 'proposalId',
        details: { proposedFrom: p.fromStatus, status: allegation.status },
      },
    );
  }
  if (proposer?.role !== 'analyst' || proposer.disabled) {
    throw new VigilError(
      'proposal.proposer_ineligible',
      'the analyst who proposed this step is no longer an enabled analyst; propose it again',
      { path: 'proposalId' },
    );
  }
  if (!proposer.mayReadCase) {
    throw new VigilError(
      'proposal.proposer_ineligible',
      'the analyst who proposed this step is no longer on the case team; propose it again',
      { path: 'proposalId' },
    );
  }
}

/** Checks that `actor` may withdraw `proposal`: only its proposer, and only while it is open. */
export function checkWithdrawal(proposal: ProposalFacts, actor: Actor, now: Date): void {
  if (proposal.proposerId !== actor.id) {
    throw new VigilError('proposal.not_proposer', 'only the analyst who made this proposal may withdraw it', {
      path: 'proposalId',
    });
  }
  requireOpen(proposal, now);
}
