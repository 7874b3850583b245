import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.ts';
import { verifyInstance, verifyReport } from '../../services/verify.service.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

const Break = z.object({
  kind: z
    .string()
    .describe(
      'An audit break (sequence_gap, previous_hash_mismatch, entry_altered, record_altered, signature_invalid…), evidence_missing, evidence_altered, a head timestamp break (timestamp_*) or witness_mismatch',
    ),
  seq: z.number().int().optional().describe('The audit entry concerned, when there is one'),
  entity: z.string().optional().describe('The record concerned, as "table id"'),
  message: z.string(),
});

const Report = z.object({
  ok: z.boolean().describe('True when nothing is broken'),
  entries: z.number().int().describe('Audit entries verified'),
  records: z.number().int().describe('Audited records whose state hash was recomputed'),
  signedHeads: z.number().int().nullable().describe('Signed heads checked; null when no signing key is loaded'),
  evidenceFiles: z.number().int().describe('Distinct evidence files re-hashed'),
  breaks: z.array(Break).describe('The first break of each check; empty when ok'),
});

/**
 * `POST /admin/verify`: what `vigil verify` checks, for an admin over the API — the audit chain,
 * every audited record, the signed heads, every evidence file and the head timestamps. The
 * checkpoint file and witnesses stay with the console.
 */
export const verifyRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.post(
    '/admin/verify',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: 'Verify the audit chain, every audited record, the signed heads and every evidence file',
        description:
          'Reads every record and every file: one verification runs at a time (409 `verify.already_running` while one does). A break is an answer, not an error: the report says ok false and names it.',
        response: { 200: Report, ...ERROR_RESPONSES },
      },
    },
    async () => verifyReport(await verifyInstance(svc, { checkpointFile: null })),
  );
};
