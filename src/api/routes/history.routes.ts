import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry } from '../../domain/entities/audit-entry.ts';
import type { Services } from '../../services/context.ts';
import { allegationHistory } from '../../services/history.service.ts';
import { actorOf } from '../auth/access.ts';
import { ERROR_RESPONSES, IdParams } from '../schemas.ts';

const HistoryEntry = AuditEntry.extend({ actorName: z.string().nullable().describe('Username, when the actor is a user') });

/**
 * `GET /allegations/:id/history`: the audit entries of an allegation, its parts, case team,
 * proceedings, evidence and custody, oldest first. Entries hold ids and hashes, never identities.
 */
export const historyRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get('/allegations/:id/history', {
    config: { access: 'authenticated', record: 'allegation' },
    schema: {
      tags: ['allegations'],
      summary: "An allegation's history from the audit log: who changed what, when, and why",
      params: IdParams,
      response: { 200: z.object({ items: z.array(HistoryEntry) }), ...ERROR_RESPONSES },
    },
  }, async (req) => ({ items: await allegationHistory(svc, actorOf(req), req.params.id) }));
};
