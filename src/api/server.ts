import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { authPolicyFromEnv, LoginLimiter, type AuthPolicy } from '../services/auth.service.ts';
import type { Services } from '../services/context.ts';
import { authPlugin, requireDeclaredAccess } from './auth/auth.plugin.ts';
import { cookieSecurityFromEnv, type CookieSecurity } from './auth/cookies.ts';
import { API_HELMET, DOCS_CSP } from './auth/security-headers.ts';
import { handleError, handleNotFound } from './errors.ts';
import { createApiLogger, withApiLogging } from './logger.ts';
import { openApiOptions } from './openapi.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { v1Routes } from './routes/v1.routes.ts';
import { webApp } from './web.ts';
import { nudgeAfterWrites, type WriteListener } from './witness-nudge.ts';

/** Where the JSON API lives; every route under it must declare a response schema. */
export const API_PREFIX = '/api/v1';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export interface ServerOptions {
  svc: Services;
  /** A pino logger; the server adds its own serializers and redaction to it. Default: JSON to stdout at LOG_LEVEL or info. */
  logger?: Logger;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Sessions and sign-in limits (default: from the environment, see auth-policy.ts), and whether cookies are always Secure. */
  auth?: { policy?: AuthPolicy; cookieSecurity?: CookieSecurity; limiter?: LoginLimiter };
  /**
   * Which proxies to believe about the client's address and protocol (Fastify `trustProxy`);
   * default from VIGIL_TRUST_PROXY, else none. Behind a reverse proxy, set it, or every client
   * shares the proxy's address and the per-address sign-in limit locks everyone out together.
   */
  trustProxy?: boolean | string | string[];
  /** Told after every successful write request: the witness scheduler, which pushes the new head in the background. */
  afterWrite?: WriteListener;
}

/** VIGIL_TRUST_PROXY: comma-separated addresses or CIDRs of the trusted proxies (`127.0.0.1`), or `true` to trust any. */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean | string[] {
  const raw = env.VIGIL_TRUST_PROXY?.trim();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  return raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** Refuses, at registration, an API route without a response schema: undocumented output is how fields leak. */
export function requireResponseSchema(route: RouteOptions): void {
  if (route.url.startsWith(API_PREFIX) && !route.schema?.response) {
    throw new Error(`${String(route.method)} ${route.url}: routes under ${API_PREFIX} need a response schema`);
  }
}

/**
 * Builds the HTTP server (not listening): zod-validated routes under `/api/v1`, `GET /health`,
 * the OpenAPI 3.1 document at `/api/openapi.json`, its docs page at `/api/docs`, and the web app
 * (built into dist/web) at `/` and every other path. Every
 * response carries security headers (helmet); every route under `/api/v1` declares who may call
 * it (`config.access`, enforced by the auth plugin before validation).
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
    trustProxy: opts.trustProxy ?? trustProxyFromEnv(),
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
  requireDeclaredAccess(app, API_PREFIX);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  if (opts.afterWrite) nudgeAfterWrites(app, opts.afterWrite);

  app.register(fastifyHelmet, API_HELMET);
  app.register(fastifyCookie);
  // After the cookie parser (plugins load in order), before any route, so every route is checked at registration.
  app.register(authPlugin, {
    svc: opts.svc,
    apiPrefix: API_PREFIX,
    policy: opts.auth?.policy ?? authPolicyFromEnv(),
    limiter: opts.auth?.limiter ?? new LoginLimiter(),
    cookieSecurity: opts.auth?.cookieSecurity ?? cookieSecurityFromEnv(),
  });
  app.register(fastifySwagger, openApiOptions(version));
  // The docs page is the one HTML page: it gets its own policy (its scripts and styles, from this origin only).
  app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });
  app.register(async (scope) => {
    scope.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
  // The web app is the front door: its page at `/` and every other non-API path, its assets under /assets/.
  app.register(webApp, {});
  app.register(healthRoutes, { svc: opts.svc });
  app.register(v1Routes, { svc: opts.svc, prefix: API_PREFIX });
  return app;
}

/** The server `buildServer` returns. */
export type VigilServer = ReturnType<typeof buildServer>;

/**
 * Builds the server and listens; resolves to the address (`http://127.0.0.1:8080`). Binds to
 * 127.0.0.1 unless told otherwise: exposing the API beyond the machine should be a deliberate
 * choice, made behind a TLS-terminating proxy (with VIGIL_COOKIE_SECURE=1 and VIGIL_TRUST_PROXY).
 * Aborting `signal` closes the server.
 */
export async function startServer(
  opts: ServerOptions & { port: number; host?: string; signal?: AbortSignal },
): Promise<string> {
  const app = buildServer(opts);
  try {
    return await app.listen({
      port: opts.port,
      host: opts.host ?? '127.0.0.1',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    await app.close();
    throw err;
  }
}
