import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecordKey } from '../../../domain/entities/common.ts';
import type { UserRole } from '../../../domain/vocabularies.ts';
import { assignToAllegation, listAssignments, unassignFromAllegation } from '../../../services/access.service.ts';
import type { Services } from '../../../services/context.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf } from './write-kit.ts';

const Assignment = z.object({ id: z.string(), allegationId: z.string(), userId: z.string(), createdAt: z.string() });

/** Who gives access to a confidential or restricted allegation (design.md: admins manage users, analysts run cases). */
const GATEKEEPERS: readonly UserRole[] = ['admin', 'analyst'];

/**
 * An allegation's case team (need-to-know). Someone who may not see the allegation gets 404, as
 * for any hidden allegation; an admin manages teams without being on them. Each change is audited.
 */
export const assignmentRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/allegations/:id/assignments',
    {
      config: { access: 'authenticated', record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: "An allegation's case team: the users assigned to it (404 for an allegation you may not see)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(Assignment) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({ items: await listAssignments(svc, actorOf(req), req.params.id) }),
  );

  app.post(
    '/allegations/:id/assignments',
    {
      config: { access: [...GATEKEEPERS, 'documenter'], record: 'none' },
      schema: {
        tags: ['allegations'],
        summary:
          'Put a user on the case team, so they see the allegation when it is confidential or restricted; analysts and documenters only on allegations they see, documenters only analysts. Assigning twice changes nothing',
        params: IdParams,
        body: z.strictObject({ userId: RecordKey.describe('User id or username') }),
        response: { 200: Assignment, ...ERROR_RESPONSES },
      },
    },
    async (req) => assignToAllegation(svc, actorOf(req), req.params.id, req.body.userId),
  );

  app.delete(
    '/allegations/:id/assignments/:userId',
    {
      config: { access: GATEKEEPERS, record: 'none' },
      schema: {
        tags: ['allegations'],
        summary: 'Take a user off the case team (audited)',
        params: IdParams.extend({ userId: RecordKey.describe('User id or username') }),
        response: { 204: z.null().describe('Done; no content'), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      await unassignFromAllegation(svc, actorOf(req), req.params.id, req.params.userId);
      return reply.code(204).send(null);
    },
  );
};
