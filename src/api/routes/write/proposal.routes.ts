import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROPOSAL_STATUSES } from '../../../domain/allegation-proposal.ts';
import { RecordKey } from '../../../domain/entities/common.ts';
import {
  allegationProposals,
  proposalLifetimeDaysFromEnv,
  ProposalRequest,
  proposeAllegationTransition,
  withdrawProposal,
  WithdrawalRequest,
} from '../../../services/allegation-proposal.service.ts';
import type { Services } from '../../../services/context.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf, visibleAllegationId } from './write-kit.ts';

const UserRef = z.object({
  id: z.string(),
  username: z.string().nullable().describe('null for Vigil itself (system)'),
});

const Proposal = z
  .object({
    id: z.string(),
    allegationId: z.string(),
    fromStatus: z.string(),
    toStatus: z.string(),
    reason: z.string().nullable(),
    proposer: UserRef,
    createdAt: z.string(),
    expiresAt: z.string().describe('After this instant the proposal can no longer be approved'),
    status: z.enum(PROPOSAL_STATUSES),
    decidedBy: UserRef.nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
  })
  .describe('A two-analyst step proposed by one analyst, to be approved by another');

/**
 * Four eyes on the verification workflow: one analyst proposes a step that needs two analysts,
 * another approves it with `POST /allegations/:id/transitions {"to","reason","proposalId"}`.
 * An allegation the caller may not see is 404, as everywhere.
 */
export const proposalRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const lifetimeDays = proposalLifetimeDaysFromEnv();

  app.get(
    '/allegations/:id/proposals',
    {
      config: { access: 'authenticated', record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: "An allegation's two-analyst proposals, newest first (an open one past its expiry shows as expired)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(Proposal) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return { items: await allegationProposals(svc, id) };
    },
  );

  app.post(
    '/allegations/:id/proposals',
    {
      config: { access: ['analyst'], record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: `Propose a step that needs two analysts (corroborated, partially corroborated, inconsistent); another analyst approves it within ${lifetimeDays} days (VIGIL_PROPOSAL_LIFETIME_DAYS)`,
        params: IdParams,
        body: ProposalRequest,
        response: { 201: Proposal, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return reply.code(201).send(await proposeAllegationTransition(svc, actorOf(req), id, req.body, { lifetimeDays }));
    },
  );

  app.post(
    '/allegations/:id/proposals/:proposalId/withdraw',
    {
      config: { access: ['analyst'], record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: 'Withdraw your own open proposal (audited, with the reason if given)',
        params: IdParams.extend({ proposalId: RecordKey.describe('Proposal id') }),
        body: WithdrawalRequest,
        response: { 200: Proposal, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return withdrawProposal(svc, actorOf(req), id, req.params.proposalId, req.body);
    },
  );
};
