/**
 * Signing in with a password, and browser sessions.
 *
 * - A password is checked with scrypt (src/services/password.ts). An unknown username, a user
 *   without a password and a disabled user all cost one scrypt run and all fail with the same
 *   `auth.invalid_credentials`: neither the answer nor its timing tells which part was wrong.
 * - Failed sign-ins are limited per account and per client address (see {@link AuthPolicy} and
 *   {@link LoginLimiter}); over the limit, `auth.rate_limited` with the seconds to wait.
 * - A session is two random 256-bit secrets: the session token (in an HttpOnly cookie) and the
 *   CSRF token (sent back by the client in a header). Only their SHA-256 hashes are stored.
 * - A session ends after `sessionIdleMs` without use, `sessionMaxMs` after sign-in, on sign-out,
 *   when an admin revokes the user's sessions, and when the user is disabled.
 * - A user with a second factor (see second-factor.service.ts) signs in with the password and a
 *   TOTP `code` or a `recoveryCode`. Without one: `auth.second_factor_required` (the password was
 *   right; not counted as a failure); with a wrong or replayed one: `auth.second_factor_invalid`,
 *   counted as a failed sign-in like a wrong password.
 * - A user whose role must have a second factor and who has none yet signs in with the password
 *   alone, but the session (and any API token) can only enrol until then ({@link SessionAuth.mustEnrol}).
 * - Signing in ends the session the browser still held (`previousSession`), so a session id
 *   planted before sign-in is worth nothing after it.
 * - Sign-in, failed sign-in, sign-out and revocation are audit notes on the user
 *   (`auth.login`, `auth.login_failed`, `auth.second_factor_asked`, `auth.session_replace`,
 *   `auth.logout`, `auth.sessions_revoke`, `auth.tokens_revoke`); every time comes from `svc.clock()`.
 */
import { z } from 'zod';
import { isVigilError, VigilError } from '../domain/errors.ts';
import type { UserRole } from '../domain/vocabularies.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import * as tokenRepo from '../store/repositories/api-token.repository.ts';
import * as factors from '../store/repositories/second-factor.repository.ts';
import * as sessions from '../store/repositories/session.repository.ts';
import * as users from '../store/repositories/user.repository.ts';
import { DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth-policy.ts';
import { DUMMY_PASSWORD_HASH, newSecret, safeEqual, secretHash } from './auth-secrets.ts';
import type { Actor, Services } from './context.ts';
import { LoginLimiter } from './login-limiter.ts';
import { verifyPassword } from './password.ts';
import { acceptRecoveryCode, acceptTotp, enrolmentOf, RecoveryCode, TotpCode } from './second-factor-check.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

export { authPolicyFromEnv, type AuthPolicy } from './auth-policy.ts';
export { LoginLimiter } from './login-limiter.ts';

/** A signed-in user as the API shows them: never the password hash. */
export interface SignedInUser {
  id: string;
  username: string;
  displayName: string | null;
  role: UserRole;
}

/** The outcome of a sign-in. The two tokens exist only here: the database keeps their hashes. */
export interface LoginResult {
  user: SignedInUser;
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
  /** True when the role must have a second factor and the user has none yet: the session can only enrol. */
  mustEnrol: boolean;
}

/** A valid session, as {@link authenticateSession} finds it. */
export interface SessionAuth {
  actor: Actor;
  user: SignedInUser;
  sessionId: string;
  csrfTokenHash: string;
  /** When the session ends however active it is. */
  expiresAt: string;
  /** When it ends if not used before. */
  idleExpiresAt: string;
  /** The role must have a second factor and the user has none yet: only enrolment is open to this session. */
  mustEnrol: boolean;
}

/** Policy and limiter; both default (the limiter: one per `Services`, i.e. per process). */
export interface AuthOptions {
  policy?: AuthPolicy;
  limiter?: LoginLimiter;
}

/** The audit actor of an attempt nobody is known to have made yet. */
const ANONYMOUS = 'anonymous';

/** A session's `last_seen_at` is written at most this often, so reading the API is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

const LoginInput = z
  .strictObject({
    username: z.string().trim().toLowerCase().min(1, 'is required').max(64, 'must be at most 64 characters'),
    password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
    code: TotpCode.optional(),
    recoveryCode: RecoveryCode.optional(),
    address: z.string().max(200),
    /** The session token the client still presented, if any: it ends when the new session starts. */
    previousSession: z.string().max(200).optional(),
  })
  .refine((d) => d.code === undefined || d.recoveryCode === undefined, {
    message: 'send a code or a recovery code, not both',
    path: ['recoveryCode'],
  });
export type LoginInput = z.input<typeof LoginInput>;

const limiters = new WeakMap<Services, LoginLimiter>();

/** The limiter every sign-in on `svc` shares unless told otherwise. */
function loginLimiterFor(svc: Services): LoginLimiter {
  let limiter = limiters.get(svc);
  if (!limiter) {
    limiter = new LoginLimiter();
    limiters.set(svc, limiter);
  }
  return limiter;
}

function signedIn(u: Pick<users.UserAccount, 'id' | 'username' | 'displayName' | 'role'>): SignedInUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role as UserRole };
}

/**
 * Signs in with username and password from `address` (used only in memory, for rate limiting).
 *
 * @example
 *   const { sessionToken, csrfToken } = await login(svc, { username: 'aigerim', password, address: req.ip });
 */
export async function login(svc: Services, input: LoginInput, opts: AuthOptions = {}): Promise<LoginResult> {
  const policy = opts.policy ?? DEFAULT_AUTH_POLICY;
  const limiter = opts.limiter ?? loginLimiterFor(svc);
  const d = parseInput(LoginInput, input);
  const now = svc.clock().getTime();
  const accountKey = `account:${d.username}`;
  const addressKey = `address:${d.address}`;

  const wait = Math.max(
    limiter.retryAfter(accountKey, policy.maxFailuresPerAccount, policy.failureWindowMs, now),
    limiter.retryAfter(addressKey, policy.maxFailuresPerAddress, policy.failureWindowMs, now),
  );
  if (wait > 0) {
    throw new VigilError('auth.rate_limited', `too many failed sign-ins; try again in ${wait} seconds`, {
      details: { retryAfter: wait },
    });
  }
  // Counted as failures before the (slow) check, so parallel attempts cannot slip past the limit; forgiven on success.
  limiter.fail(accountKey, policy.failureWindowMs, now);
  limiter.fail(addressKey, policy.failureWindowMs, now);

  const user = await users.findAccountByUsername(svc.store.db, d.username);
  // Always one scrypt run, against a dummy hash when there is nothing real to check.
  const passwordOk = await verifyPassword(d.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const failure = !user
    ? 'unknown user'
    : user.passwordHash === null
      ? 'no password set'
      : !passwordOk
        ? 'wrong password'
        : user.disabled
          ? 'user disabled'
          : null;

  const failed = (reason: string) =>
    runWrite(svc.store, { actor: ANONYMOUS, at: new Date(now).toISOString(), reason }, async (w) => {
      w.note('auth.login_failed', 'app_user', user?.id ?? 'unknown');
    });
  if (failure !== null || !user) {
    await failed(failure ?? 'unknown user');
    throw new VigilError('auth.invalid_credentials', 'wrong username or password');
  }

  const factor = await secondFactorOf(svc, user.id, user.role);
  if (factor.enrolled && d.code === undefined && d.recoveryCode === undefined) {
    // The password was right: this is the first of two steps, not a failure.
    limiter.forgive(accountKey, now);
    limiter.forgive(addressKey, now);
    await runWrite(svc.store, { actor: ANONYMOUS, at: new Date(now).toISOString() }, async (w) => {
      w.note('auth.second_factor_asked', 'app_user', user.id);
    });
    throw new VigilError(
      'auth.second_factor_required',
      'send the code from your authenticator app, or a recovery code',
      { path: 'code' },
    );
  }

  const actor: Actor = { id: user.id, role: user.role as UserRole };
  let result: LoginResult;
  try {
    result = await runWrite(svc.store, writeContext(svc, actor), async (w) => {
      const enrolment = factor.enrolled ? await enrolmentOf(w, user.id) : undefined;
      if (enrolment?.confirmedAt) {
        if (d.code !== undefined) await acceptTotp(w, svc.keyring, enrolment, d.code, new Date(now));
        else await acceptRecoveryCode(w, user.id, d.recoveryCode ?? '');
      }
      if (d.previousSession) await endPresentedSession(w, d.previousSession);
      const session = await openSession(w, user.id, policy);
      w.note('auth.login', 'app_user', user.id);
      return { user: signedIn(user), ...session, mustEnrol: factor.required && !factor.enrolled };
    });
  } catch (err) {
    // Still counted by the limiter, like a wrong password.
    if (isVigilError(err, 'auth.second_factor_invalid'))
      await failed(d.code !== undefined ? 'wrong second factor' : 'wrong recovery code');
    throw err;
  }
  limiter.reset(accountKey);
  limiter.forgive(addressKey, now);
  return result;
}

/** Whether a user has a confirmed second factor, and whether their role must have one. */
export async function secondFactorOf(
  svc: Services,
  userId: string,
  role: string,
): Promise<{ enrolled: boolean; required: boolean }> {
  const [enrolment, required] = await Promise.all([
    factors.findEnrolment(svc.store.db, userId),
    factors.roleRequiresSecondFactor(svc.store.db, role),
  ]);
  return { enrolled: enrolment?.confirmedAt != null, required };
}

/** Ends the session a client presented while signing in again (whoever's it was), noted as `auth.session_replace`. */
async function endPresentedSession(w: AuditedWriter, sessionToken: string): Promise<void> {
  const ended = await sessions.endSession(w.trx, secretHash(sessionToken), w.ctx.at);
  if (ended !== undefined) w.note('auth.session_replace', 'app_user', ended);
}

/** Inserts a session for `userId` in the writer's transaction (the caller writes the audit note). */
async function openSession(
  w: AuditedWriter,
  userId: string,
  policy: AuthPolicy,
): Promise<Omit<LoginResult, 'user' | 'mustEnrol'>> {
  const now = Date.parse(w.ctx.at);
  // Sessions past their absolute end are of no use to anyone; the audit notes keep their history.
  await sessions.deleteSessionsExpiredBefore(w.trx, w.ctx.at);
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now + policy.sessionMaxMs).toISOString();
  await sessions.insertSession(w.trx, {
    id: secretHash(sessionToken),
    userId,
    csrfTokenHash: secretHash(csrfToken),
    at: w.ctx.at,
    expiresAt,
  });
  return { sessionToken, csrfToken, expiresAt };
}

/**
 * Opens a session for an existing, enabled user without a password (audited as `auth.login`
 * with the given reason). For other ways of signing in and for tests; never expose it directly.
 */
export async function openSessionFor(
  svc: Services,
  userId: string,
  reason: string,
  opts: AuthOptions = {},
): Promise<LoginResult> {
  const user = await users.findAccount(svc.store.db, userId);
  if (!user || user.disabled) throw new VigilError('record.not_found', `no enabled user ${userId}`, { path: 'userId' });
  const factor = await secondFactorOf(svc, user.id, user.role);
  return runWrite(svc.store, writeContext(svc, { id: user.id, role: user.role as UserRole }, reason), async (w) => {
    const session = await openSession(w, user.id, opts.policy ?? DEFAULT_AUTH_POLICY);
    w.note('auth.login', 'app_user', user.id);
    return { user: signedIn(user), ...session, mustEnrol: factor.required && !factor.enrolled };
  });
}

/** The session a session token opens, or null if there is none, it has ended, or its user is disabled. */
export async function authenticateSession(
  svc: Services,
  sessionToken: string,
  opts: Pick<AuthOptions, 'policy'> = {},
): Promise<SessionAuth | null> {
  if (sessionToken.length === 0 || sessionToken.length > 200) return null;
  const policy = opts.policy ?? DEFAULT_AUTH_POLICY;
  const id = secretHash(sessionToken);
  const row = await sessions.findSessionWithUser(svc.store.db, id);
  if (!row || row.revokedAt !== null || row.user.disabled) return null;
  const now = svc.clock().getTime();
  const lastSeen = Date.parse(row.lastSeenAt);
  if (now >= Date.parse(row.expiresAt) || now >= lastSeen + policy.sessionIdleMs) return null;

  let seen = lastSeen;
  if (now - lastSeen >= TOUCH_EVERY_MS) {
    seen = now;
    await sessions.touchSession(svc.store.db, id, new Date(now).toISOString());
  }
  const idleEnd = Math.min(seen + policy.sessionIdleMs, Date.parse(row.expiresAt));
  return {
    actor: { id: row.user.id, role: row.user.role as UserRole },
    user: signedIn(row.user),
    sessionId: row.sessionId,
    csrfTokenHash: row.csrfTokenHash,
    expiresAt: row.expiresAt,
    idleExpiresAt: new Date(idleEnd).toISOString(),
    mustEnrol: row.mustEnrol,
  };
}

/** Whether the CSRF token a client sent belongs to the session (constant-time comparison of hashes). */
export function csrfTokenMatches(session: Pick<SessionAuth, 'csrfTokenHash'>, sent: string | undefined): boolean {
  if (sent === undefined || sent.length === 0 || sent.length > 200) return false;
  return safeEqual(secretHash(sent), session.csrfTokenHash);
}

/** Signs out: ends the session (audited as `auth.logout`). Ending a session that already ended changes nothing. */
export async function logout(svc: Services, actor: Actor, sessionId: string): Promise<void> {
  await runWrite(svc.store, writeContext(svc, actor), async (w) => {
    if (await sessions.endOwnSession(w.trx, sessionId, actor.id, w.ctx.at)) w.note('auth.logout', 'app_user', actor.id);
  });
}

/** Throws `auth.forbidden` unless the actor has one of `roles` (Vigil's own work always may). */
export function requireRole(actor: Actor, roles: readonly UserRole[], what: string): void {
  if (actor.role === 'system' || (roles as readonly string[]).includes(actor.role)) return;
  throw new VigilError('auth.forbidden', `only ${roles.join(' or ')} may ${what}`);
}

/**
 * Ends every session of a user, by id or username (admin only; audited as `auth.sessions_revoke`
 * on that user). With `tokens: true` their API tokens are revoked too (`auth.tokens_revoke`); by
 * default they are left alone, so a nightly export keeps running after a lost laptop is signed out.
 * Resolves to how many sessions and tokens ended.
 */
export async function revokeUserSessions(
  svc: Services,
  actor: Actor,
  userKey: string,
  opts: { tokens?: boolean; reason?: string } = {},
): Promise<{ sessions: number; tokens: number }> {
  requireRole(actor, ['admin'], "end another user's sessions");
  return runWrite(svc.store, writeContext(svc, actor, opts.reason), async (w) => {
    const user = await userByKey(w, userKey);
    const sessionsEnded = await endSessions(w, user.id);
    w.note('auth.sessions_revoke', 'app_user', user.id);
    let tokens = 0;
    if (opts.tokens) {
      tokens = await tokenRepo.revokeUserTokens(w.trx, user.id, w.ctx.at);
      w.note('auth.tokens_revoke', 'app_user', user.id);
    }
    return { sessions: sessionsEnded, tokens };
  });
}

/** Ends the user's open sessions in the writer's transaction, all but `keep` when given; resolves to how many ended. */
export function endSessions(w: AuditedWriter, userId: string, keep?: string): Promise<number> {
  return sessions.endUserSessions(w.trx, userId, w.ctx.at, keep);
}

/**
 * Ends every session and revokes every API token of a user, in the caller's transaction (used
 * when a user is disabled) and notes it in the audit log.
 */
export async function revokeAllCredentials(w: AuditedWriter, userId: string): Promise<void> {
  await endSessions(w, userId);
  await tokenRepo.revokeUserTokens(w.trx, userId, w.ctx.at);
  w.note('auth.sessions_revoke', 'app_user', userId);
}

/** A user by id or username; `record.not_found` at `id` when there is none. */
export async function userByKey(w: AuditedWriter, userKey: string): Promise<{ id: string }> {
  const id = await users.findUserId(w.trx, userKey);
  if (id === undefined) throw new VigilError('record.not_found', `no user "${userKey}"`, { path: 'id' });
  return { id };
}
