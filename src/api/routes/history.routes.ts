import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry } from '../../domain/entities/audit-entry.ts';
import type { Services } from '../../services/context.ts';
import { allegationHistory } from '../../services/history.service.ts';
import { actorOf } from '../auth/access.ts';
import { ERROR_RESPONSES, IdParams } from '../schemas.ts';

const Text = z.object({ en: z.string(), ru: z.string() }).describe('The same words in English and Russian');

// The sensitive form first: `from` and `to` are unknown, so an object without them would also match the other.
const Change = z.union([
  z
    .object({ field: z.string(), changed: z.literal(true) })
    .describe("A sensitive field (a person's, a sealed value, a secret): only that it changed, never its value"),
  z
    .object({ field: z.string(), from: z.unknown(), to: z.unknown() })
    .describe(
      'A field and its value before and after (null: none; a part added has from null, a part removed to null)',
    ),
]);

const HistoryEntry = AuditEntry.extend({
  actorName: z.string().nullable().describe('Username, when the actor is a user'),
  actorLabel: Text.describe('Who did it, for a reader: the username, or what a non-user actor is (Vigil, the console)'),
  changes: z
    .array(Change)
    .nullable()
    .describe(
      "What changed (covered by the entry's hash); null for a note and for entries written before changes were recorded",
    ),
  label: Text.describe('The entry in words, e.g. "Status changed", "Act added", "Identity revealed: V-0007"'),
  details: z.array(Text).describe('One line per change, e.g. "Status: Received → Triage", "Name: changed"'),
});

/**
 * `GET /allegations/:id/history`: the audit entries of an allegation, its parts, case team,
 * proceedings, evidence and custody, and the people it names, oldest first, with what changed and
 * the same in words. Entries hold ids, hashes, pseudonyms and usernames, never identities; what
 * need-to-know hides from the reader (a person or source of a case outside their teams) is left out.
 */
export const historyRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/allegations/:id/history',
    {
      config: { access: 'authenticated', record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: "An allegation's history from the audit log: who changed what, from what to what, when, and why",
        params: IdParams,
        response: { 200: z.object({ items: z.array(HistoryEntry) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({ items: await allegationHistory(svc, actorOf(req), req.params.id) }),
  );
};
