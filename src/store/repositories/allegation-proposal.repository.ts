/**
 * The SQL of two-analyst proposals (`allegation_proposal`, 0008-proposals). Every change goes
 * through the audited writer. The allegation id is part of every lookup, so a
 * proposal is only ever found through the allegation the caller was allowed to see.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ProposalFacts, ProposerFacts } from '../../domain/allegation-proposal.ts';
import type { UserRole } from '../../domain/vocabularies-people.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import type { AllegationProposalTable, Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A stored proposal with the names of the users it mentions (null for Vigil's own `system`). */
export interface ProposalRow {
  id: string;
  allegationId: string;
  fromStatus: string;
  toStatus: string;
  reason: string | null;
  proposerId: string;
  proposerUsername: string | null;
  createdAt: string;
  expiresAt: string;
  status: string;
  decidedBy: string | null;
  decidedByUsername: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  version: number;
}

/** The rule-relevant part of a stored row. */
function proposalFacts(r: Selectable<AllegationProposalTable>): ProposalFacts {
  return {
    id: r.id,
    allegationId: r.allegation_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    proposerId: r.proposed_by,
    status: r.status,
    expiresAt: r.expires_at,
  };
}

/** One proposal of one allegation; undefined when the id names no proposal of that allegation. */
export async function findProposal(db: Db, allegationId: string, id: string): Promise<ProposalFacts | undefined> {
  const r = await db
    .selectFrom('allegation_proposal')
    .selectAll()
    .where('id', '=', id)
    .where('allegation_id', '=', allegationId)
    .executeTakeFirst();
  return r && proposalFacts(r);
}

/** The proposals of an allegation still marked open (some may be past their expiry). */
export async function openProposals(db: Db, allegationId: string): Promise<ProposalFacts[]> {
  const rows = await db
    .selectFrom('allegation_proposal')
    .selectAll()
    .where('allegation_id', '=', allegationId)
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  return rows.map(proposalFacts);
}

/** The proposer of a proposal as stored now: role and whether the account is disabled. */
export async function proposerFacts(db: Db, userId: string): Promise<Omit<ProposerFacts, 'mayReadCase'> | undefined> {
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'role', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return u ? { id: u.id, role: u.role as UserRole, disabled: u.disabled !== 0 } : undefined;
}

/** Every proposal of an allegation, newest first, with the usernames of proposer and decider. */
export async function listProposals(db: Db, allegationId: string): Promise<ProposalRow[]> {
  const rows = await db
    .selectFrom('allegation_proposal as p')
    .leftJoin('app_user as proposer', 'proposer.id', 'p.proposed_by')
    .leftJoin('app_user as decider', 'decider.id', 'p.decided_by')
    .selectAll('p')
    .select(['proposer.username as proposer_username', 'decider.username as decider_username'])
    .where('p.allegation_id', '=', allegationId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    allegationId: r.allegation_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.reason,
    proposerId: r.proposed_by,
    proposerUsername: r.proposer_username,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    status: r.status,
    decidedBy: r.decided_by,
    decidedByUsername: r.decider_username,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    version: r.version,
  }));
}

/** Closes an open proposal, decided by `decidedBy`: approved, superseded or withdrawn, with the reason when given (audited, `action`). */
export async function decideProposal(
  w: AuditedWriter,
  id: string,
  d: { status: 'approved' | 'superseded' | 'withdrawn'; decidedBy: string; decisionReason: string | null },
  action: 'approve' | 'supersede' | 'withdraw',
): Promise<void> {
  await w.update(
    'allegation_proposal',
    id,
    { status: d.status, decided_by: d.decidedBy, decided_at: w.ctx.at, decision_reason: d.decisionReason },
    { action },
  );
}

/** Marks an open proposal past its expiry as expired (audited, `expire`). */
export async function expireProposal(w: AuditedWriter, id: string): Promise<void> {
  await w.update('allegation_proposal', id, { status: 'expired', decided_at: w.ctx.at }, { action: 'expire' });
}

/** A new open proposal of a two-analyst step. */
export interface NewProposal {
  id: string;
  allegationId: string;
  fromStatus: string;
  toStatus: string;
  reason: string | null;
  proposedBy: string;
  expiresAt: string;
}

/** Stores a new open proposal (audited, `propose`). */
export async function insertProposal(w: AuditedWriter, p: NewProposal): Promise<void> {
  await w.insert(
    'allegation_proposal',
    {
      id: p.id,
      external_id: null,
      allegation_id: p.allegationId,
      from_status: p.fromStatus,
      to_status: p.toStatus,
      reason: p.reason,
      proposed_by: p.proposedBy,
      expires_at: p.expiresAt,
      status: 'open',
      decided_by: null,
      decided_at: null,
      decision_reason: null,
    },
    'propose',
  );
}
