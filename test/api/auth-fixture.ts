/**
 * Signed-in requests for API tests. Users are made through the services (audited, like real
 * ones); credentials are made without a password where the password is not what is tested
 * (scrypt is slow on purpose).
 *
 *   const server = await openTestServer(dialect);
 *   const auth = await bearerHeaders(server.svc, 'analyst');
 *   await server.app.inject({ method: 'GET', url: '/api/v1/allegations', headers: auth });
 */
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { CookieSecurity } from '../../src/api/auth/cookies.ts';
import { buildServer, type VigilServer } from '../../src/api/server.ts';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { createApiToken } from '../../src/services/api-token.service.ts';
import type { AuthPolicy } from '../../src/services/auth-policy.ts';
import { DEFAULT_AUTH_POLICY } from '../../src/services/auth-policy.ts';
import { openSessionFor } from '../../src/services/auth.service.ts';
import { makeServices, SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { addUser } from '../../src/services/user.service.ts';
import { Keyring } from '../../src/store/keyring.ts';
import type { TestDialect } from '../support/databases.ts';
import { uniqueLabel } from '../support/factories.ts';
import { openTestStore } from '../support/store.ts';

/** A user of `role` (no password unless given), as the actor the services see. */
export async function makeUser(
  svc: Services,
  role: UserRole,
  opts: { username?: string; password?: string } = {},
): Promise<Actor & { username: string }> {
  const username = opts.username ?? uniqueLabel(role).toLowerCase();
  const u = await addUser(svc, SYSTEM, { username, role, ...(opts.password ? { password: opts.password } : {}) });
  return { id: u.id, role, username };
}

/** `Authorization: Bearer vgl_…` for a new API token of `actor` (a new user of that role when a role is given). */
export async function bearerHeaders(svc: Services, who: UserRole | Actor): Promise<{ authorization: string }> {
  const actor = typeof who === 'string' ? await makeUser(svc, who) : who;
  const { token } = await createApiToken(svc, actor, { name: 'test' });
  return { authorization: `Bearer ${token}` };
}

/** A signed-in browser: the session cookie, and the CSRF header for writes. */
export interface TestSession {
  cookie: { cookie: string };
  /** Cookie and CSRF token: what a cookie-authenticated write needs. */
  write: { cookie: string; 'x-csrf-token': string };
  csrfToken: string;
  sessionToken: string;
}

/** A session for an existing user, opened without a password. */
export async function sessionHeaders(
  svc: Services,
  userId: string,
  policy: AuthPolicy = DEFAULT_AUTH_POLICY,
): Promise<TestSession> {
  const s = await openSessionFor(svc, userId, 'test session', { policy });
  const cookie = `vigil_session=${s.sessionToken}`;
  return {
    cookie: { cookie },
    write: { cookie, 'x-csrf-token': s.csrfToken },
    csrfToken: s.csrfToken,
    sessionToken: s.sessionToken,
  };
}

/** A clock tests move by hand. */
export function manualClock(start = '2022-02-01T09:00:00.000Z'): {
  clock: () => Date;
  advance(ms: number): void;
  now(): Date;
} {
  let t = Date.parse(start);
  return {
    clock: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    now: () => new Date(t),
  };
}

export interface AuthTestServer {
  app: VigilServer;
  svc: Services;
  dispose(): Promise<void>;
}

/** A server on a fresh database with the given clock, sign-in policy and logger. */
export async function openAuthServer(
  dialect: TestDialect,
  opts: {
    clock?: () => Date;
    policy?: Partial<AuthPolicy>;
    logger?: Logger;
    cookieSecurity?: CookieSecurity;
    trustProxy?: boolean;
  } = {},
): Promise<AuthTestServer> {
  const { store, blobs, dispose } = await openTestStore(dialect);
  const svc = makeServices(store, new Keyring(randomBytes(32)), opts.clock ? { clock: opts.clock, blobs } : { blobs });
  const app = buildServer({
    svc,
    logger: opts.logger ?? pino({ level: 'silent' }),
    auth: { policy: { ...DEFAULT_AUTH_POLICY, ...opts.policy }, cookieSecurity: opts.cookieSecurity ?? 'auto' },
    trustProxy: opts.trustProxy ?? false,
  });
  try {
    await app.ready();
  } catch (err) {
    await dispose();
    throw err;
  }
  return {
    app,
    svc,
    async dispose() {
      await app.close();
      await dispose();
    },
  };
}
