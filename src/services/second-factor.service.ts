/**
 * The second factor: enrolment of a TOTP app with recovery codes, the per-role rule of who must
 * have one, and the admin's reset for a lost phone. Sign-in with it is in auth.service.ts.
 *
 * - Enrolment is two steps: {@link startTotpEnrolment} makes a secret (sealed with the keyring,
 *   bound to the user) and answers it with its `otpauth://` address; {@link confirmTotpEnrolment}
 *   takes the first code from the app, switches the factor on, ends the user's other sessions
 *   (they were opened with the password alone) and answers ten recovery codes, once: only their
 *   hashes are kept. A started enrolment waits {@link ENROLMENT_MS}.
 * - Enrolment needs a browser session, not an API token: a leaked token cannot bind a second
 *   factor of its own to the account (the route checks this).
 * - Every change is one transaction with its audit note: `auth.totp_enrol_start`,
 *   `auth.totp_enrol_confirm`, `auth.second_factor_reset` (on the user),
 *   `auth.second_factor_require` / `auth.second_factor_waive` (on the role).
 */
import { z } from 'zod';
import { VigilError } from '../domain/errors.ts';
import { UserRoleSchema, type UserRole } from '../domain/vocabularies.ts';
import { runWrite } from '../store/audited-writer.ts';
import * as factors from '../store/repositories/second-factor.repository.ts';
import * as users from '../store/repositories/user.repository.ts';
import { DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth-policy.ts';
import { endSessions, requireRole, secondFactorOf, userByKey } from './auth.service.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import {
  acceptTotp,
  enrolmentOf,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeHash,
  TotpCode,
  totpSecretContext,
} from './second-factor-check.ts';
import { newTotpSecret, totpUrl } from './totp.ts';
import { parseInput } from './validate.ts';

/** How long a started enrolment waits for its first code (15 minutes). */
const ENROLMENT_MS = 15 * 60_000;

/** Where a user stands with the second factor. */
export interface SecondFactorStatus {
  /** A confirmed TOTP factor is on: sign-in needs a code. */
  enrolled: boolean;
  /** The user's role must have one. */
  required: boolean;
  /** An enrolment was started and waits for its first code. */
  pending: boolean;
  /** Unused recovery codes. */
  recoveryCodesLeft: number;
}

/** The answer to the start of an enrolment: what the authenticator app needs. */
export interface TotpEnrolment {
  /** The base32 secret, for typing into an app by hand. */
  secret: string;
  /** The `otpauth://totp/…` address, for the QR code. */
  otpauthUrl: string;
  /** When the enrolment stops waiting for its first code. */
  expiresAt: string;
}

async function enabledUser(svc: Services, actor: Actor): Promise<{ id: string; username: string; role: string }> {
  const user = await users.findAccount(svc.store.db, actor.id);
  if (!user || user.disabled) throw new VigilError('auth.forbidden', 'only an enabled user can have a second factor');
  return user;
}

/** The actor's own second-factor status. */
export async function secondFactorStatus(svc: Services, actor: Actor): Promise<SecondFactorStatus> {
  const user = await enabledUser(svc, actor);
  const [factor, enrolment, left] = await Promise.all([
    secondFactorOf(svc, user.id, user.role),
    factors.findEnrolment(svc.store.db, user.id),
    factors.countUnusedRecoveryCodes(svc.store.db, user.id),
  ]);
  const pending = enrolment?.confirmedAt === null ? enrolment : undefined;
  const open = pending !== undefined && svc.clock().getTime() < Date.parse(pending.startedAt) + ENROLMENT_MS;
  return { ...factor, pending: open, recoveryCodesLeft: left };
}

/**
 * Starts (or restarts) enrolment of a TOTP app for the actor. Refused with
 * `auth.second_factor_enrolled` when a factor is already on (an admin resets it first).
 *
 * @example
 *   const { secret, otpauthUrl } = await startTotpEnrolment(svc, actor);
 */
export async function startTotpEnrolment(
  svc: Services,
  actor: Actor,
  policy: Pick<AuthPolicy, 'totpIssuer'> = DEFAULT_AUTH_POLICY,
): Promise<TotpEnrolment> {
  const user = await enabledUser(svc, actor);
  const secret = newTotpSecret();
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const existing = await enrolmentOf(w, user.id);
    if (existing?.confirmedAt)
      throw new VigilError('auth.second_factor_enrolled', 'a second factor is already set up; an admin can reset it');
    const sealed = svc.keyring.seal(secret, totpSecretContext(user.id));
    await factors.startEnrolment(w.trx, user.id, sealed, w.ctx.at, existing !== undefined);
    w.note('auth.totp_enrol_start', 'app_user', user.id);
    return {
      secret,
      otpauthUrl: totpUrl(secret, user.username, policy.totpIssuer),
      expiresAt: new Date(Date.parse(w.ctx.at) + ENROLMENT_MS).toISOString(),
    };
  });
}

const ConfirmInput = z.strictObject({ code: TotpCode });

/**
 * Finishes enrolment with the first code from the app: the factor is on, the user's other
 * sessions end (all but `keepSession`, the session id that confirms), and the recovery codes are
 * answered, this once. Refused, with nothing written: `validation.invalid` (malformed code),
 * `auth.enrolment_not_started`, `auth.enrolment_expired`, `auth.second_factor_enrolled`, and
 * `auth.second_factor_invalid` at `code`.
 */
export async function confirmTotpEnrolment(
  svc: Services,
  actor: Actor,
  input: unknown,
  opts: { keepSession?: string } = {},
): Promise<{ recoveryCodes: string[] }> {
  const d = parseInput(ConfirmInput, input);
  const user = await enabledUser(svc, actor);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const row = await enrolmentOf(w, user.id);
    if (!row)
      throw new VigilError(
        'auth.enrolment_not_started',
        'no enrolment is waiting: start one with POST /api/v1/auth/totp',
      );
    if (row.confirmedAt)
      throw new VigilError('auth.second_factor_enrolled', 'a second factor is already set up; an admin can reset it');
    const now = svc.clock();
    if (now.getTime() >= Date.parse(row.startedAt) + ENROLMENT_MS) {
      throw new VigilError(
        'auth.enrolment_expired',
        `the enrolment waited more than ${ENROLMENT_MS / 60_000} minutes; start again`,
      );
    }
    await acceptTotp(w, svc.keyring, row, d.code, now);
    await factors.confirmEnrolment(w.trx, user.id, w.ctx.at);
    await factors.replaceRecoveryCodes(
      w.trx,
      user.id,
      codes.map((c) => ({ id: svc.newId(), codeHash: recoveryCodeHash(c) })),
      w.ctx.at,
    );
    w.note('auth.totp_enrol_confirm', 'app_user', user.id);
    if ((await endSessions(w, user.id, opts.keepSession)) > 0) w.note('auth.sessions_revoke', 'app_user', user.id);
    return { recoveryCodes: codes };
  });
}

/**
 * Switches a user's second factor off (by id or username; admin or console only), for a lost or
 * stolen phone: the secret and recovery codes are deleted and the user's sessions end. Resolves
 * to whether there was anything to reset (nothing is written when there was not).
 */
export async function resetSecondFactor(
  svc: Services,
  actor: Actor,
  userKey: string,
  reason?: string,
): Promise<{ reset: boolean; sessionsEnded: number }> {
  requireRole(actor, ['admin'], "reset a user's second factor");
  return runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    const user = await userByKey(w, userKey);
    if (!(await factors.deleteSecondFactor(w.trx, user.id))) return { reset: false, sessionsEnded: 0 };
    const sessionsEnded = await endSessions(w, user.id);
    w.note('auth.second_factor_reset', 'app_user', user.id);
    return { reset: true, sessionsEnded };
  });
}

/** The roles whose users must sign in with a second factor. */
export interface SecondFactorPolicy {
  roles: UserRole[];
}

export const SecondFactorPolicyInput = z.strictObject({
  roles: z
    .array(UserRoleSchema)
    .max(10, 'must list each role at most once')
    .describe('Roles whose users must sign in with a second factor; [] for none'),
});
export type SecondFactorPolicyInput = z.input<typeof SecondFactorPolicyInput>;

/** Which roles must have a second factor, in role-name order. */
export async function secondFactorPolicy(svc: Services): Promise<SecondFactorPolicy> {
  return { roles: (await factors.listRequiredRoles(svc.store.db)) as UserRole[] };
}

/**
 * Sets which roles must have a second factor (admin or console only). Users of a newly required
 * role who have none can, from their next request, only enrol. Each role added or removed is an
 * audit note on that role; an unchanged policy writes nothing.
 */
export async function setSecondFactorPolicy(
  svc: Services,
  actor: Actor,
  input: unknown,
  reason?: string,
): Promise<SecondFactorPolicy> {
  requireRole(actor, ['admin'], 'change who must have a second factor');
  const wanted = new Set(parseInput(SecondFactorPolicyInput, input).roles);
  await runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    const current = new Set(await factors.listRequiredRoles(w.trx));
    for (const role of [...wanted].filter((r) => !current.has(r)).sort()) {
      await factors.requireSecondFactorFor(w.trx, role, w.ctx.at);
      w.note('auth.second_factor_require', 'second_factor_policy', role);
    }
    for (const role of [...current].filter((r) => !wanted.has(r as UserRole)).sort()) {
      await factors.waiveSecondFactorFor(w.trx, role);
      w.note('auth.second_factor_waive', 'second_factor_policy', role);
    }
  });
  return secondFactorPolicy(svc);
}
