/**
 * Checking a second factor inside a write transaction: a TOTP code (each time step accepted
 * once) or a one-time recovery code. Used by sign-in and by enrolment; the enrolment and admin
 * use cases are in second-factor.service.ts.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { VigilError } from '../domain/errors.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import {
  findEnrolment,
  takeTotpStep,
  spendRecoveryCode,
  type Enrolment,
} from '../store/repositories/second-factor.repository.ts';
import type { Keyring } from '../store/keyring.ts';
import { secretHash } from './auth-secrets.ts';
import type { SealedAt } from '../store/keyring.ts';
import { totpStep } from './totp.ts';

/** A six-digit code as an app shows it; spaces ("123 456") are allowed and dropped. */
export const TotpCode = z
  .string()
  .max(20, 'must be 6 digits')
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be 6 digits'));

/** A recovery code as printed (`abcd-efgh-jkmn-pqrs`); case, spaces and dashes do not matter. */
export const RecoveryCode = z.string().min(1, 'is required').max(64, 'must be at most 64 characters');

/** The field a TOTP secret is sealed for. */
export const TOTP_SECRET_FIELD = 'app_user.totp_secret';

/** The keyring context of a user's TOTP secret: binds the sealed value to that user. */
export function totpSecretContext(userId: string): SealedAt {
  return { field: TOTP_SECRET_FIELD, recordId: userId };
}

/** The additional data a TOTP secret was sealed with in the old format v1 (before format v2 bound every value to its record). */
export function totpSecretV1Context(userId: string): string {
  return `${TOTP_SECRET_FIELD}:${userId}`;
}

// 32 letters and digits without the look-alikes 0/o and 1/l, so a code copied by hand stays right.
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** How many recovery codes an enrolment hands out. */
export const RECOVERY_CODE_COUNT = 10;

/** A new recovery code: 80 random bits as four groups of four characters. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET.charAt(b & 31)).join('');
  return (chars.match(/.{4}/g) ?? []).join('-');
}

/**
 * What is stored for a recovery code: the SHA-256 of its normalised form. Like session tokens, the
 * codes are random (80 bits), so a plain hash leaves nothing to guess.
 */
export function recoveryCodeHash(code: string): string {
  return secretHash(code.toLowerCase().replace(/[\s-]+/g, ''));
}

export type { Enrolment };

/** The user's enrolment (pending or confirmed), or undefined. */
export function enrolmentOf(w: AuditedWriter, userId: string): Promise<Enrolment | undefined> {
  return findEnrolment(w.trx, userId);
}

/**
 * Accepts a TOTP code for `row` at `now` and records its time step, so the same code (or an
 * older one) is refused next time. Throws `auth.second_factor_invalid` at `path` otherwise.
 */
export async function acceptTotp(
  w: AuditedWriter,
  keyring: Keyring,
  row: Enrolment,
  code: string,
  now: Date,
  path = 'code',
): Promise<void> {
  const secret = keyring.open(row.totpSecret, totpSecretContext(row.userId));
  const step = totpStep(secret, code, now);
  if (step === null) throw new VigilError('auth.second_factor_invalid', 'the code is wrong or expired', { path });
  // The condition makes the check and the record one statement: two requests with one code cannot both pass.
  if (!(await takeTotpStep(w.trx, row.userId, step)))
    throw new VigilError('auth.second_factor_invalid', 'this code was already used; wait for the next one', { path });
}

/** Uses up one of the user's recovery codes (audited as `auth.recovery_code_use`); `auth.second_factor_invalid` if none matches. */
export async function acceptRecoveryCode(
  w: AuditedWriter,
  userId: string,
  code: string,
  path = 'recoveryCode',
): Promise<void> {
  if (!(await spendRecoveryCode(w.trx, userId, recoveryCodeHash(code), w.ctx.at)))
    throw new VigilError('auth.second_factor_invalid', 'the recovery code is wrong or already used', { path });
  w.note('auth.recovery_code_use', 'app_user', userId);
}
