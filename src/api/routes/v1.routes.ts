import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../services/context.ts';
import { allegationRoutes } from './allegation.routes.ts';
import { facilityRoutes } from './facility.routes.ts';
import { searchRoutes } from './search.routes.ts';
import { statementRoutes } from './statement.routes.ts';
import { statisticsRoutes } from './statistics.routes.ts';
import { vocabularyRoutes } from './vocabulary.routes.ts';

/** Version 1 of the JSON API, mounted at `/api/v1`: read-only for now (writes, login and roles come with the API issue). */
export const v1Routes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  await app.register(facilityRoutes, { svc });
  await app.register(allegationRoutes, { svc });
  await app.register(statementRoutes, { svc });
  await app.register(searchRoutes, { svc });
  await app.register(statisticsRoutes, { svc });
  await app.register(vocabularyRoutes);
};
