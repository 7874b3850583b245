import type { FastifyRequest, RouteOptions } from 'fastify';
import { VigilError } from '../../domain/errors.ts';
import { USER_ROLES, type UserRole } from '../../domain/vocabularies.ts';
import type { SignedInUser } from '../../services/auth.service.ts';
import type { Actor } from '../../services/context.ts';

/**
 * Who may call a route, declared in its options as `config: { access }`:
 * - `'public'`: anyone, signed in or not;
 * - `'authenticated'`: any signed-in user, whatever the role;
 * - a list of roles: signed-in users with one of them.
 * Need-to-know (restricted allegations) comes on top, in the services.
 *
 * @example
 *   app.get('/users', { config: { access: ['admin'] }, schema: { … } }, handler);
 */
export type RouteAccess = 'public' | 'authenticated' | readonly UserRole[];

/** How the current request proved who it is. */
export type Credential =
  | { kind: 'session'; user: SignedInUser; sessionId: string; expiresAt: string; idleExpiresAt: string; mustEnrol: boolean }
  | { kind: 'token'; user: SignedInUser; tokenId: string; mustEnrol: boolean };

/** A route under the API and who may call it, as collected at registration. */
export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; required under /api/v1 (see src/api/auth/access.ts). */
    access?: RouteAccess;
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

/** Whether a user of `role` (null: nobody signed in) may call a route with `access`. */
export function isAllowed(access: RouteAccess, role: UserRole | 'system' | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
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
    if (route.url.startsWith(prefix)) throw new Error(`${where}: routes under ${prefix} must declare config.access ('public', 'authenticated' or a list of roles)`);
    return 'public';
  }
  if (access === 'public' || access === 'authenticated') return access;
  if (Array.isArray(access) && access.length > 0 && access.every((r) => (ROLES as readonly unknown[]).includes(r))) return access as readonly UserRole[];
  throw new Error(`${where}: config.access must be 'public', 'authenticated' or a non-empty list of roles (${ROLES.join(', ')})`);
}
