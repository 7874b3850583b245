import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.ts';
import { databaseHealth } from '../../services/health.service.ts';

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
      const { database, error } = await databaseHealth(svc);
      if (error === undefined) return { status: 'ok' as const, database };
      req.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database });
    },
  );
};
