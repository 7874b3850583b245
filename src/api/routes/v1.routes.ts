import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../services/context.ts';
import { allegationRoutes } from './allegation.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { facilityRoutes } from './facility.routes.ts';
import { publicRoutes } from './public/public.routes.ts';
import { searchRoutes } from './search.routes.ts';
import { statementRoutes } from './statement.routes.ts';
import { statisticsRoutes } from './statistics.routes.ts';
import { vocabularyRoutes } from './vocabulary.routes.ts';
import { caseReadRoutes } from './case-read.routes.ts';
import { caseWriteRoutes } from './write/case.routes.ts';
import { registryWriteRoutes } from './write/registry.routes.ts';
import { responseWriteRoutes } from './write/response.routes.ts';
import { monitoringWriteRoutes } from './write/monitoring.routes.ts';
import { assignmentRoutes } from './write/assignment.routes.ts';
import { exportRoutes } from './export.routes.ts';
import { captureRoutes } from './capture.routes.ts';

/** Version 1 of the JSON API, mounted at `/api/v1`: each route declares who may call it (docs/roles.md). */
export const v1Routes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  await app.register(facilityRoutes, { svc });
  await app.register(allegationRoutes, { svc });
  await app.register(statementRoutes, { svc });
  await app.register(searchRoutes, { svc });
  await app.register(statisticsRoutes, { svc });
  await app.register(vocabularyRoutes);
  await app.register(caseReadRoutes, { svc });
  await app.register(registryWriteRoutes, { svc });
  await app.register(caseWriteRoutes, { svc });
  await app.register(responseWriteRoutes, { svc });
  await app.register(monitoringWriteRoutes, { svc });
  await app.register(assignmentRoutes, { svc });
  await app.register(exportRoutes, { svc });
  await app.register(captureRoutes, { svc });
  await app.register(authRoutes, { svc });
  await app.register(publicRoutes, { svc, prefix: '/public' });
};
