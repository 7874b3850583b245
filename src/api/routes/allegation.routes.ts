import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Allegation } from '../../domain/entities/allegation.ts';
import { RecordKey } from '../../domain/entities/common.ts';
import { ClassificationSchema, VerificationStatusSchema } from '../../domain/vocabularies.ts';
import { allegationDetailFor, allegationsFor, changeSeq } from '../../services/allegation.service.ts';
import type { Services } from '../../services/context.ts';
import { actorOf } from '../auth/access.ts';
import { LimitParam, cursorParam, pageOf } from '../cursor.ts';
import { found } from '../errors.ts';
import { PageCache } from '../page-cache.ts';
import { AllegationDetail, ERROR_RESPONSES, IdParams, pageOfSchema } from '../schemas.ts';

const ListQuery = z.strictObject({
  facilityId: RecordKey.optional().describe('Facility id'),
  status: VerificationStatusSchema.optional(),
  classification: ClassificationSchema.optional(),
  limit: LimitParam,
  after: cursorParam(1).optional(),
});

/**
 * `GET /allegations` and `GET /allegations/:id`. People appear only as person ids and, in the
 * detail, pseudonyms: identities are never read here.
 */
export const allegationRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  // The list is read far more often than the records change: pages are reused until the next change.
  const pages = new PageCache(500);
  app.get(
    '/allegations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['allegations'],
        summary: 'List allegations',
        querystring: ListQuery,
        response: { 200: pageOfSchema(Allegation), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // The head is read before the page, so a cached page is never older than the head it is filed under.
      const seq = await changeSeq(svc);
      const key = `${actor.id}\u0000${req.url}`;
      let body = pages.get(key, seq);
      if (body === undefined) {
        const { limit, after, ...filter } = req.query;
        const rows = await allegationsFor(svc, actor, { ...filter, limit: limit + 1, after: after?.[0] });
        // The route's own serializer (schema-checked), so a cached answer is byte for byte a computed one.
        body = pages.set(key, seq, String(reply.serialize(pageOf(rows, limit, (a) => [a.id]))));
      }
      // A string with a JSON type goes out as it is (Fastify serializes only objects).
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  app.get(
    '/allegations/:id',
    {
      config: { access: 'authenticated', record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: 'One allegation, with the pseudonyms of its victims and alleged perpetrators',
        params: IdParams,
        response: { 200: AllegationDetail, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      // Need-to-know: an allegation the actor may not see answers exactly like one that does not exist.
      return found(await allegationDetailFor(svc, actorOf(req), req.params.id), 'allegation', req.params.id);
    },
  );
};
