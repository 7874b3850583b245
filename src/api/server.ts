import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Services } from '../services/context.ts';
import { handleError, handleNotFound } from './errors.ts';
import { createApiLogger, withApiLogging } from './logger.ts';
import { openApiOptions } from './openapi.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { v1Routes } from './routes/v1.routes.ts';

/** Where the JSON API lives; every route under it must declare a response schema. */
export const API_PREFIX = '/api/v1';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export interface ServerOptions {
  svc: Services;
  /** A pino logger; the server adds its own serializers and redaction to it. Default: JSON to stdout at LOG_LEVEL or info. */
  logger?: Logger;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** Refuses, at registration, an API route without a response schema: undocumented output is how fields leak. */
export function requireResponseSchema(route: RouteOptions): void {
  if (route.url.startsWith(API_PREFIX) && !route.schema?.response) {
    throw new Error(`${String(route.method)} ${route.url}: routes under ${API_PREFIX} need a response schema`);
  }
}

/**
 * Builds the HTTP server (not listening): zod-validated routes under `/api/v1`, `GET /health`,
 * the OpenAPI 3.1 document at `/api/openapi.json` and its docs page at `/api/docs`.
 * Test with `app.inject(...)`; serve with `startServer`.
 *
 * @example
 *   const app = buildServer({ svc });
 *   const res = await app.inject({ method: 'GET', url: '/api/v1/facilities' });
 */
export function buildServer(opts: ServerOptions) {
  const app = Fastify({
    loggerInstance: withApiLogging(opts.logger ?? createApiLogger()),
    // Ids are ours: a client-supplied id could forge or flood log correlation.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Errors Fastify raises before routing (a malformed URL) take the same path as all others.
    frameworkErrors: (err, req, reply) => {
      handleError(err, req, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onRoute', requireResponseSchema);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.register(fastifySwagger, openApiOptions(version));
  app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.register(async (scope) => {
    scope.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    // Until the web app exists, the front door leads to the API documentation.
    scope.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/api/docs'));
  });
  app.register(healthRoutes, { svc: opts.svc });
  app.register(v1Routes, { svc: opts.svc, prefix: API_PREFIX });
  return app;
}

/** The server `buildServer` returns. */
export type VigilServer = ReturnType<typeof buildServer>;

/**
 * Builds the server and listens; resolves to the address (`http://127.0.0.1:8080`). Binds to
 * 127.0.0.1 unless told otherwise: there is no login yet, so exposing the API beyond the machine
 * must be a deliberate choice. Aborting `signal` closes the server.
 */
export async function startServer(opts: ServerOptions & { port: number; host?: string; signal?: AbortSignal }): Promise<string> {
  const app = buildServer(opts);
  try {
    return await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1', ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    await app.close();
    throw err;
  }
}
