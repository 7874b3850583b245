/**
 * The time-stamping authority an operator configures (docs/timestamps.md):
 *
 *   VIGIL_TSA_URL     where to POST RFC 3161 queries (http or https)
 *   VIGIL_TSA_CERT    a PEM file: the TSA's certificate, or the CA that issued it (required with the URL)
 *   VIGIL_TSA_GRACE   how soon after an entry a token must cover it (default 1h; 90s, 30m, 2h, 1d)
 *   VIGIL_TSA_SINCE   entries dated before this instant need no token (an instance that took a TSA later)
 *   VIGIL_TSA_TIMEOUT how long one request may take (default 10s)
 *
 * The certificate comes from the operator, never from the TSA's answer or the database: a token is
 * worth what the certificate it is checked against is worth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../domain/errors.ts';
import { TsaClient } from './timestamp-client.ts';
import { parseTrustedCerts, type TrustedTsa } from './timestamp-token.ts';

/** A configured TSA. `url` is null when only a certificate is given: stored tokens are checked, none are requested. */
export interface TsaConfig {
  readonly url: string | null;
  readonly certFile: string;
  readonly certPem: string;
  readonly trusted: TrustedTsa;
  readonly graceMs: number;
  readonly since: string | null;
  readonly timeoutMs: number;
}

/** The default grace: an entry must be covered by a token within an hour of its time. */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `30m`, `1h`, `2d` or a number of seconds; throws `config.invalid` naming `name`. */
export function parseDuration(raw: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw.trim());
  const unit = m ? UNITS[m[2] ?? 's'] : undefined;
  if (!m || unit === undefined)
    throw new VigilError('config.invalid', `${name} must be a duration such as 90s, 30m, 1h or 2d`, { path: name });
  return Math.round(Number(m[1]) * unit);
}

/** A PEM file of trusted TSA certificates; throws `validation.invalid` (at `field`) when it cannot be read or holds none. */
export function readTrustedCertFile(file: string, field: string): { pem: string; trusted: TrustedTsa } {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch {
    throw new VigilError('validation.invalid', `cannot read the TSA certificate file ${file}`, { path: field });
  }
  try {
    return { pem, trusted: parseTrustedCerts(pem, field) };
  } catch (err) {
    if (err instanceof VigilError) throw new VigilError(err.code, `${file} ${err.message}`, { path: field });
    throw err;
  }
}

/** The configured TSA, or null when neither VIGIL_TSA_URL nor VIGIL_TSA_CERT is set; `config.invalid` for a bad setting. */
export function tsaConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TsaConfig | null {
  const url = env.VIGIL_TSA_URL?.trim() || null;
  const certFile = env.VIGIL_TSA_CERT?.trim() || null;
  if (!url && !certFile) return null;
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new VigilError('config.invalid', 'VIGIL_TSA_URL must be an http or https address', {
        path: 'VIGIL_TSA_URL',
      });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new VigilError('config.invalid', 'VIGIL_TSA_URL must be an http or https address', {
        path: 'VIGIL_TSA_URL',
      });
  }
  if (!certFile) {
    throw new VigilError(
      'config.invalid',
      "VIGIL_TSA_URL is set but VIGIL_TSA_CERT is not: name the PEM file of the TSA's certificate (or its CA) that tokens are checked against",
      { path: 'VIGIL_TSA_CERT' },
    );
  }
  let cert;
  try {
    cert = readTrustedCertFile(path.resolve(certFile), 'VIGIL_TSA_CERT');
  } catch (err) {
    if (err instanceof VigilError) throw new VigilError('config.invalid', err.message, { path: 'VIGIL_TSA_CERT' });
    throw err;
  }
  const sinceRaw = env.VIGIL_TSA_SINCE?.trim() || null;
  if (sinceRaw !== null && Number.isNaN(Date.parse(sinceRaw)))
    throw new VigilError('config.invalid', 'VIGIL_TSA_SINCE must be a date or an ISO 8601 instant', {
      path: 'VIGIL_TSA_SINCE',
    });
  return {
    url,
    certFile: path.resolve(certFile),
    certPem: cert.pem,
    trusted: cert.trusted,
    graceMs: env.VIGIL_TSA_GRACE?.trim() ? parseDuration(env.VIGIL_TSA_GRACE, 'VIGIL_TSA_GRACE') : DEFAULT_GRACE_MS,
    since: sinceRaw === null ? null : new Date(sinceRaw).toISOString(),
    timeoutMs: env.VIGIL_TSA_TIMEOUT?.trim() ? parseDuration(env.VIGIL_TSA_TIMEOUT, 'VIGIL_TSA_TIMEOUT') : 10_000,
  };
}

/** A client for the configured TSA, or undefined when none is configured (or only its certificate). */
export function tsaClientOf(config: TsaConfig | null): TsaClient | undefined {
  return config?.url
    ? new TsaClient({ url: config.url, trusted: config.trusted, timeoutMs: config.timeoutMs })
    : undefined;
}

/** `1h`, `30m`, `90s`: a duration as the configuration writes it. */
export function formatDuration(ms: number): string {
  for (const [unit, n] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms >= n && ms % n === 0) return `${ms / n}${unit}`;
  return `${ms} ms`;
}
