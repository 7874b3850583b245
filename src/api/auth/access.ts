import type { FastifyRequest, RouteOptions } from 'fastify';
import { VigilError } from '../../domain/errors.ts';
import { GUARDED_KINDS, type GuardedKind } from '../../domain/policy.ts';
import { USER_ROLES, type UserRole } from '../../domain/vocabularies.ts';
import type { TokenScope } from '../../services/api-token.service.ts';
import type { SignedInUser } from '../../services/auth.service.ts';
import type { Actor } from '../../services/context.ts';

/**
 * Who may call a route, declared in its options as `config: { access }`:
 * - `'public'`: anyone, signed in or not;
 * - `'authenticated'`: any signed-in user, whatever the role;
 * - a list of roles: signed-in users with one of them;
 * - `'witness'`: only an API token with the witness scope (a partner instance delivering or
 *   reading signed heads, docs/witnesses.md); no session, whatever its role.
 * A token with the witness scope may call nothing else (public routes run for it as for nobody).
 * Need-to-know (restricted allegations) comes on top, in the services.
 *
 * @example
 *   app.get('/users', { config: { access: ['admin'] }, schema: { … } }, handler);
 */
export type RouteAccess = 'public' | 'authenticated' | 'witness' | readonly UserRole[];

/**
 * The kind of record a route's `:id` names, declared as `config: { access, record }`:
 * - a kind that need-to-know guards (src/domain/policy.ts): before validation and before the
 *   handler, the id is looked up and, when it is missing or hidden from the caller, the request
 *   ends with the same `record.not_found` (404, path `id`), so a hidden record and an id never
 *   used can never be told apart, whatever the handler does;
 * - `'none'`: the id names a record that is never hidden (a facility, a visit, a statement, a
 *   user, a token), or the service makes a decision of its own (an admin manages the team of a
 *   case they may not read).
 * A route under the API prefix with `:id` and no declaration stops the server from starting.
 */
export type RouteRecord = GuardedKind | 'none';

/** How the current request proved who it is. */
type Credential =
  | {
      kind: 'session';
      user: SignedInUser;
      sessionId: string;
      expiresAt: string;
      idleExpiresAt: string;
      mustEnrol: boolean;
    }
  | { kind: 'token'; user: SignedInUser; tokenId: string; scope: TokenScope; mustEnrol: boolean };

/** A route under the API and who may call it, as collected at registration. */
export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
  /** The need-to-know kind of the route's `:id`, when it has one. */
  record?: RouteRecord;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; required under /api/v1 (see src/api/auth/access.ts). */
    access?: RouteAccess;
    /** What kind of record the route's `:id` names, for need-to-know; required on signed-in routes with `:id` (see {@link RouteRecord}). */
    record?: RouteRecord;
    /**
     * True on the few routes a user who must set up a second factor may call before they have
     * (enrolment, who am I, sign-out); every other signed-in route answers them `auth.enrolment_required`.
     */
    beforeSecondFactor?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user, or null. Set before validation and before any handler runs. */
    actor: Actor | null;
    /** The session or API token the actor was found by, or null. */
    credential: Credential | null;
  }
  interface FastifyInstance {
    /** Every API route with its declared access, in registration order (for the role matrix). */
    routeAccess: readonly RouteAccessEntry[];
  }
}

/** The role names, in the order of the vocabulary. */
export const ROLES: readonly UserRole[] = USER_ROLES.map((r) => r.id);

/**
 * The signed-in actor of a route that is not public. The auth hook has already refused everyone
 * else; this fails closed (`auth.required`) should a route be reached without one anyway.
 */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new VigilError('auth.required', 'sign-in required');
  return req.actor;
}

/** Whether a user of `role` (null: nobody signed in) may call a route with `access`, by their role alone (a witness route needs a witness token, never a role). */
export function isAllowed(access: RouteAccess, role: UserRole | 'system' | null): boolean {
  if (access === 'public') return true;
  if (role === null || access === 'witness') return false;
  if (access === 'authenticated' || role === 'system') return true;
  return (access as readonly string[]).includes(role);
}

/**
 * The declared access of a route under `prefix`, checked at registration: a route with no
 * declaration, or with a malformed one, stops the server from starting (like a missing response
 * schema), so nothing is ever open by omission. Routes outside the prefix are public unless they say otherwise.
 */
export function declaredAccess(route: Pick<RouteOptions, 'method' | 'url' | 'config'>, prefix: string): RouteAccess {
  const access = (route.config as { access?: unknown } | undefined)?.access;
  const where = `${String(route.method)} ${route.url}`;
  if (access === undefined) {
    if (route.url.startsWith(prefix))
      throw new Error(
        `${where}: routes under ${prefix} must declare config.access ('public', 'authenticated' or a list of roles)`,
      );
    return 'public';
  }
  if (access === 'public' || access === 'authenticated' || access === 'witness') return access;
  if (Array.isArray(access) && access.length > 0 && access.every((r) => (ROLES as readonly unknown[]).includes(r)))
    return access as readonly UserRole[];
  throw new Error(
    `${where}: config.access must be 'public', 'authenticated', 'witness' or a non-empty list of roles (${ROLES.join(', ')})`,
  );
}

/**
 * The declared record kind of a route with `:id` under `prefix` (see {@link RouteRecord}), checked
 * at registration like the access: a signed-in route that names a record by id and says nothing
 * about need-to-know stops the server from starting.
 */
export function declaredRecord(
  route: Pick<RouteOptions, 'method' | 'url' | 'config'>,
  prefix: string,
  access: RouteAccess,
): RouteRecord | undefined {
  const record = (route.config as { record?: unknown } | undefined)?.record;
  const where = `${String(route.method)} ${route.url}`;
  if (record === undefined) {
    if (route.url.startsWith(prefix) && access !== 'public' && /\/:id(\/|$|\.)/.test(route.url)) {
      throw new Error(
        `${where}: routes under ${prefix} with :id must declare config.record (${[...GUARDED_KINDS, 'none'].join(', ')})`,
      );
    }
    return undefined;
  }
  if (record === 'none' || (GUARDED_KINDS as readonly unknown[]).includes(record)) return record as RouteRecord;
  throw new Error(`${where}: config.record must be one of ${[...GUARDED_KINDS, 'none'].join(', ')}`);
}
