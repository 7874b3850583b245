/**
 * Time-based one-time passwords (RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps, the
 * settings every authenticator app reads from an `otpauth://` address. A code is accepted one
 * step either side of now, for clocks that drift a little.
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** Steps either side of the current one a code may come from. */
const WINDOW = 1;

function totp(secretBase32: string, label = 'Vigil', issuer = 'Vigil'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new secret: 160 random bits (RFC 4226's recommended length), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` address an authenticator app scans (as a QR code) to add the account. */
export function totpUrl(secretBase32: string, label: string, issuer: string): string {
  return totp(secretBase32, label, issuer).toString();
}

/**
 * The time step a code belongs to, or null when it matches none within the window. The caller
 * refuses a step it has already accepted, so each code works once.
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | null {
  const timestamp = now.getTime();
  const delta = totp(secretBase32).validate({ token: code, timestamp, window: WINDOW });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp }) + delta;
}
