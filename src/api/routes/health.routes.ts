import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Services } from '../../services/context.ts';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['sqlite', 'postgres']),
});

/** `GET /health`: 200 when the database answers a trivial query, 503 when it does not (for load balancers and `vigil serve` checks). */
export const healthRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database reachability',
        response: { 200: Health, 503: Health },
      },
    },
    async (req, reply) => {
      const database = svc.store.dialect;
      try {
        await sql`select 1`.execute(svc.store.db);
        return { status: 'ok' as const, database };
      } catch (err) {
        req.log.error({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database });
      }
    },
  );
};
