import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { VigilError } from '../../domain/errors.ts';
import { authenticateToken } from '../../services/api-token.service.ts';
import {
  type AuthPolicy,
  authenticateSession,
  csrfTokenMatches,
  type LoginLimiter,
} from '../../services/auth.service.ts';
import type { Services } from '../../services/context.ts';
import { declaredAccess, declaredRecord, isAllowed, type RouteAccess, type RouteAccessEntry } from './access.ts';
import { requireReadable } from '../../services/access.service.ts';
import { CSRF_HEADER, SESSION_COOKIE, clearSessionCookies, type CookieSecurity } from './cookies.ts';

/** What the auth routes need from the plugin: the policy, the sign-in limiter and the cookie security. */
interface AuthRuntime {
  readonly policy: AuthPolicy;
  readonly limiter: LoginLimiter;
  readonly cookieSecurity: CookieSecurity;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sign-in settings shared by the auth plugin and the auth routes. */
    vigilAuth: AuthRuntime;
  }
}

export interface AuthPluginOptions extends AuthRuntime {
  svc: Services;
  /** Routes under this prefix must declare their access. */
  apiPrefix: string;
}

/** Methods that change something: a cookie-authenticated request with one of them needs the CSRF token. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer +([^\s]+)$/i;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Finds who is calling: an `Authorization: Bearer vgl_…` API token, or else the session cookie.
 * A request that presents a token is judged by the token alone (no fallback to a cookie). A
 * cookie-authenticated write must carry the session's CSRF token in `x-csrf-token`; without it
 * the cookie is not accepted (a public route then runs as nobody; any other is `auth.csrf_failed`).
 * Resolves to a hint for the 401 message when credentials were presented but not accepted.
 */
async function identify(
  req: FastifyRequest,
  reply: FastifyReply,
  access: RouteAccess,
  opts: AuthPluginOptions,
): Promise<string | undefined> {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1];
    const found = token === undefined ? null : await authenticateToken(opts.svc, token);
    if (!found) return 'the API token is not valid (malformed, unknown or revoked)';
    req.actor = found.actor;
    req.credential = {
      kind: 'token',
      user: found.user,
      tokenId: found.tokenId,
      scope: found.scope,
      mustEnrol: found.mustEnrol,
    };
    return undefined;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') return undefined;
  const session = await authenticateSession(opts.svc, cookie, { policy: opts.policy });
  if (!session) {
    clearSessionCookies(req, reply, opts.cookieSecurity);
    return 'the session has ended; sign in again';
  }
  if (UNSAFE_METHODS.has(req.method) && !csrfTokenMatches(session, header(req, CSRF_HEADER))) {
    if (access === 'public') return undefined;
    throw new VigilError(
      'auth.csrf_failed',
      `a signed-in ${req.method} needs the session's CSRF token in the ${CSRF_HEADER} header`,
    );
  }
  req.actor = session.actor;
  req.credential = {
    kind: 'session',
    user: session.user,
    sessionId: session.sessionId,
    expiresAt: session.expiresAt,
    idleExpiresAt: session.idleExpiresAt,
    mustEnrol: session.mustEnrol,
  };
  return undefined;
}

/**
 * Authentication and role checks for every route. Sets `request.actor` (and
 * `request.credential`) in `onRequest`, before the body is parsed or validated, then enforces the
 * route's `config.access`: nobody signed in → 401 `auth.required`; wrong role → 403
 * `auth.forbidden`; a user who must set up a second factor and has not, on any signed-in route
 * not marked `beforeSecondFactor` → 403 `auth.enrolment_required`; the witness scope as
 * {@link witnessScopeDecides} says (see {@link requireDeclaredAccess} for the registration check).
 * Registered without encapsulation so its hooks and decorators apply to the whole server;
 * register it after @fastify/cookie.
 */
async function authPluginBody(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('credential', null);
  app.decorate('vigilAuth', { policy: opts.policy, limiter: opts.limiter, cookieSecurity: opts.cookieSecurity });

  app.addHook('onRequest', async (req, reply) => {
    const declared = req.routeOptions.config.access;
    // Fail closed: an API route that somehow escaped the registration check is open to no one.
    const access: RouteAccess = declared ?? (req.routeOptions.url?.startsWith(opts.apiPrefix) ? [] : 'public');
    const hint = await identify(req, reply, access, opts);
    if (req.credential?.mustEnrol && access !== 'public' && req.routeOptions.config.beforeSecondFactor !== true) {
      throw new VigilError(
        'auth.enrolment_required',
        'your role must sign in with a second factor: set one up first (POST /api/v1/auth/totp)',
      );
    }
    if (witnessScopeDecides(req, access)) return;
    if (isAllowed(access, req.actor?.role ?? null)) return;
    if (!req.actor)
      throw new VigilError(
        'auth.required',
        hint ? `sign-in required: ${hint}` : 'sign-in required: send the session cookie or an API token',
      );
    throw new VigilError(
      'auth.forbidden',
      `the ${req.actor.role} role may not ${req.method} ${req.routeOptions.url ?? ''}`.trim(),
    );
  });

  // Need-to-know on the record a route names by `:id` (config.record): missing and hidden answer
  // alike, before the body is validated and before the handler runs.
  app.addHook('preValidation', async (req) => {
    const kind = req.routeOptions.config.record;
    const key = (req.params as { id?: unknown } | undefined)?.id;
    if (kind === undefined || kind === 'none' || typeof key !== 'string' || !req.actor) return;
    await requireReadable(opts.svc, req.actor, kind, key);
  });
}

/**
 * The witness scope, both ways: a witness route lets in only a token with the witness scope
 * (true: decided), and such a token reaches nothing else — a public route runs for it as for
 * nobody. Throws `auth.forbidden` (403) for the wrong credential; false leaves the role check to decide.
 */
function witnessScopeDecides(req: FastifyRequest, access: RouteAccess): boolean {
  const c = req.credential;
  const witnessToken = c?.kind === 'token' && c.scope === 'witness';
  if (access === 'witness') {
    if (witnessToken) return true;
    if (!req.actor) return false;
    throw new VigilError(
      'auth.forbidden',
      `${req.method} ${req.routeOptions.url ?? ''} is for partner instances: it needs an API token with the witness scope`,
    );
  }
  if (!witnessToken) return false;
  if (access === 'public') {
    req.actor = null;
    req.credential = null;
    return true;
  }
  throw new VigilError(
    'auth.forbidden',
    'an API token with the witness scope may only deliver and read signed heads (/witness/heads)',
  );
}

/**
 * Makes every route under `prefix` declare its access, checked as it is registered, and keeps the
 * list for the role matrix (`app.routeAccess`). Call on the root instance before any plugin is
 * registered: the hook must exist before the first route does.
 */
export function requireDeclaredAccess<Logger extends FastifyBaseLogger, Provider extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, Provider>,
  prefix: string,
): void {
  const routes: RouteAccessEntry[] = [];
  app.decorate('routeAccess', routes);
  app.addHook('onRoute', (route) => {
    const access = declaredAccess(route, prefix);
    const record = declaredRecord(route, prefix, access);
    if (!route.url.startsWith(prefix)) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access, ...(record ? { record } : {}) });
    }
  });
}

/** The plugin (see {@link authPluginBody}), marked so Fastify does not encapsulate it. */
export const authPlugin = Object.assign(authPluginBody, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'vigil-auth',
});
