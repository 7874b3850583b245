import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecordKey } from '../../../domain/entities/common.ts';
import { embeddableJson } from '../../../domain/text/embeddable-json.ts';
import type { Services } from '../../../services/context.ts';
import { type Publisher, reviewerFor } from './publisher.ts';
import { publicStatement, publicStatements } from '../../../services/public-statement.service.ts';
import { LimitParam, cursorParam, pageOf } from '../../cursor.ts';
import { found } from '../../errors.ts';
import { claimReview } from '../../presenters/public-claim-review.ts';
import { presentPublicStatement } from '../../presenters/public-statement.ts';
import { ERROR_RESPONSES, IdParams, pageOfSchema } from '../../schemas.ts';
import { ClaimReviewSchema, PublicStatementSchema } from './public-schemas.ts';

const ListQuery = z.strictObject({
  facilityId: RecordKey.optional().describe('Facility id'),
  limit: LimitParam,
  after: cursorParam(2).optional(),
});

/**
 * `GET /public/statements`, `GET /public/statements/:id` and `GET /public/statements/:id.jsonld`.
 * The JSON-LD has its own address rather than an `Accept` variant: it can be linked, cached and
 * embedded by URL, and the JSON answer stays one shape (it carries the same ClaimReview in `claimReview`).
 */
export const publicStatementRoutes: FastifyPluginAsyncZod<{ svc: Services; publisher: Publisher }> = async (
  app,
  { svc, publisher },
) => {
  app.get(
    '/statements',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Reviewed statements in the order they were made, each with its schema.org ClaimReview',
        querystring: ListQuery,
        response: { 200: pageOfSchema(PublicStatementSchema), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, facilityId } = req.query;
      const rows = await publicStatements(svc, {
        limit: limit + 1,
        ...(facilityId ? { facilityId } : {}),
        ...(after ? { after: { date: after[0], id: after[1] } } : {}),
      });
      return pageOf(
        rows.map((s) => presentPublicStatement(s, reviewerFor(publisher, req))),
        limit,
        (s) => [s.statedOn ?? '', s.id],
      );
    },
  );

  app.get(
    '/statements/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'One reviewed statement with its ClaimReview',
        params: IdParams,
        response: { 200: PublicStatementSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      presentPublicStatement(
        found(await publicStatement(svc, req.params.id), 'statement', req.params.id),
        reviewerFor(publisher, req),
      ),
  );

  app.get(
    '/statements/:id.jsonld',
    {
      config: { access: 'public' },
      // Pages embed this answer in a <script> element: a quote holding `</script>` must not end it.
      onSend: async (_req, _reply, payload) => (typeof payload === 'string' ? embeddableJson(payload) : payload),
      schema: {
        tags: ['public'],
        summary: 'One reviewed statement as schema.org ClaimReview (application/ld+json)',
        params: IdParams,
        response: { 200: ClaimReviewSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const s = found(await publicStatement(svc, req.params.id), 'statement', req.params.id);
      reply.type('application/ld+json; charset=utf-8');
      return claimReview(s, reviewerFor(publisher, req));
    },
  );
};
