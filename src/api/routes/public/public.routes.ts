import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../../services/context.ts';
import { type Publisher, publisherFromEnv } from './publisher.ts';
import { publicFacilityRoutes } from './facilities.routes.ts';
import { publicExportRoutes } from './export.routes.ts';
import { publicStatementRoutes } from './statements.routes.ts';
import { publicStatisticsRoutes } from './statistics.routes.ts';

export interface PublicRoutesOptions {
  svc: Services;
  /** The organization publishing the reviews and its public site; default {@link publisherFromEnv}. */
  publisher?: Publisher;
}

/**
 * The public API, mounted at `/api/v1/public`: no sign-in, and only aggregates (suppressed),
 * facility pages, reviewed statements and reported figures — never a person. Every route here
 * declares `config: { access: 'public' }`; a route that does not stops the server from starting,
 * so nothing else can be mounted under this prefix by mistake.
 */
export const publicRoutes: FastifyPluginAsyncZod<PublicRoutesOptions> = async (app, opts) => {
  const publisher = opts.publisher ?? publisherFromEnv();
  app.addHook('onRoute', (route) => {
    if ((route.config as { access?: unknown } | undefined)?.access !== 'public') {
      throw new Error(
        `${String(route.method)} ${route.url}: every route of the public API must declare config: { access: 'public' }`,
      );
    }
  });
  await app.register(publicStatisticsRoutes, { svc: opts.svc });
  await app.register(publicFacilityRoutes, { svc: opts.svc });
  await app.register(publicStatementRoutes, { svc: opts.svc, publisher });
  await app.register(publicExportRoutes, { svc: opts.svc, publisher });
};
