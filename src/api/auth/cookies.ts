import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session token: HttpOnly, so page scripts (and anything injected into them) cannot read it. */
export const SESSION_COOKIE = 'vigil_session';
/**
 * The CSRF token, readable by the web app so it can send it back in `x-csrf-token` after a
 * reload. Reading it proves the page is same-origin; the server checks the header against the
 * session's stored hash, never against this cookie.
 */
const CSRF_COOKIE = 'vigil_csrf';
/** The header cookie-authenticated writes must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** Whether cookies are marked Secure: always, or only when the request came over HTTPS. */
export type CookieSecurity = 'always' | 'auto';

/** `always` when VIGIL_COOKIE_SECURE=1 (set it behind a TLS-terminating proxy), otherwise `auto`. */
export function cookieSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): CookieSecurity {
  return env.VIGIL_COOKIE_SECURE === '1' || env.VIGIL_COOKIE_SECURE === 'true' ? 'always' : 'auto';
}

function options(
  req: FastifyRequest,
  security: CookieSecurity,
  httpOnly: boolean,
  maxAge: number,
): CookieSerializeOptions {
  return { httpOnly, sameSite: 'strict', path: '/', secure: security === 'always' || req.protocol === 'https', maxAge };
}

/** Sets both cookies of a new session; they expire with its absolute lifetime. */
export function setSessionCookies(
  req: FastifyRequest,
  reply: FastifyReply,
  security: CookieSecurity,
  session: { sessionToken: string; csrfToken: string; expiresAt: string },
  now: Date,
): void {
  const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000));
  reply.setCookie(SESSION_COOKIE, session.sessionToken, options(req, security, true, maxAge));
  reply.setCookie(CSRF_COOKIE, session.csrfToken, options(req, security, false, maxAge));
}

/** Tells the browser to drop both cookies. */
export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply, security: CookieSecurity): void {
  reply.clearCookie(SESSION_COOKIE, options(req, security, true, 0));
  reply.clearCookie(CSRF_COOKIE, options(req, security, false, 0));
}
