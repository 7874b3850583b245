import { VigilError } from '../domain/errors.ts';

/** How long sessions live and how many failed sign-ins are tolerated. */
export interface AuthPolicy {
  /** A session unused this long ends (default 2 hours). */
  readonly sessionIdleMs: number;
  /** A session ends this long after sign-in, however active (default 12 hours: one working day). */
  readonly sessionMaxMs: number;
  /** Failed sign-ins per account within `failureWindowMs` before it is refused for a while (default 5). */
  readonly maxFailuresPerAccount: number;
  /** Failed sign-ins per client address within `failureWindowMs` (default 20: an office may share one address). */
  readonly maxFailuresPerAddress: number;
  /** The sliding window failures are counted in (default 15 minutes). */
  readonly failureWindowMs: number;
  /**
   * The name authenticator apps show beside the account (default "Vigil"). Someone who searches
   * a phone sees it: an instance whose users are at risk may choose a name that says nothing.
   */
  readonly totpIssuer: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The defaults. A stolen laptop with an open browser is a real risk for the people Vigil serves,
 * so sessions are short: two idle hours, twelve at most, then sign in again.
 */
export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  sessionIdleMs: 2 * HOUR,
  sessionMaxMs: 12 * HOUR,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  failureWindowMs: 15 * MINUTE,
  totpIssuer: 'Vigil',
};

function positive(env: NodeJS.ProcessEnv, name: string, unit: number, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new VigilError('config.invalid', `${name} must be a positive number, not "${raw}"`);
  return Math.round(n * unit);
}

function issuer(raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw.trim() === '') return fallback;
  // A colon would split the otpauth label; keep the name short and plain.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character in the issuer would corrupt the otpauth label
  if (raw.length > 60 || /[:\u0000-\u001f]/.test(raw))
    throw new VigilError('config.invalid', 'VIGIL_TOTP_ISSUER must be at most 60 characters, without colons');
  return raw.trim();
}

/**
 * The policy from the environment, defaults for what is not set:
 * `VIGIL_SESSION_IDLE_MINUTES`, `VIGIL_SESSION_MAX_HOURS`, `VIGIL_LOGIN_MAX_FAILURES`,
 * `VIGIL_LOGIN_MAX_FAILURES_PER_ADDRESS`, `VIGIL_LOGIN_WINDOW_MINUTES`, `VIGIL_TOTP_ISSUER`.
 */
export function authPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): AuthPolicy {
  const d = DEFAULT_AUTH_POLICY;
  const policy = {
    sessionIdleMs: positive(env, 'VIGIL_SESSION_IDLE_MINUTES', MINUTE, d.sessionIdleMs),
    sessionMaxMs: positive(env, 'VIGIL_SESSION_MAX_HOURS', HOUR, d.sessionMaxMs),
    maxFailuresPerAccount: positive(env, 'VIGIL_LOGIN_MAX_FAILURES', 1, d.maxFailuresPerAccount),
    maxFailuresPerAddress: positive(env, 'VIGIL_LOGIN_MAX_FAILURES_PER_ADDRESS', 1, d.maxFailuresPerAddress),
    failureWindowMs: positive(env, 'VIGIL_LOGIN_WINDOW_MINUTES', MINUTE, d.failureWindowMs),
    totpIssuer: issuer(env.VIGIL_TOTP_ISSUER, d.totpIssuer),
  };
  if (policy.sessionIdleMs > policy.sessionMaxMs) {
    throw new VigilError('config.invalid', 'VIGIL_SESSION_IDLE_MINUTES must not exceed VIGIL_SESSION_MAX_HOURS');
  }
  return policy;
}
