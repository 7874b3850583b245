import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { VigilError } from '../domain/errors.ts';
import { guardedLookup, isPrivateAddress, refused } from './capture-address.ts';

/** What bounds one fetch. */
export interface FetchLimits {
  /** The whole fetch (every redirect, headers and body) must finish within this. */
  timeoutMs: number;
  /** Largest body accepted, in bytes, counted as the bytes arrive. */
  maxBytes: number;
  maxRedirects: number;
  /** Let the fetch reach loopback and private networks (the console operator, tests). */
  allowPrivate: boolean;
  userAgent: string;
}

/** One response that sent the fetch on to another address. */
interface Hop {
  url: string;
  status: number;
  location: string;
  /** The response headers as received, in order, repeated names kept. */
  headers: [string, string][];
}

/** The final response, its body still to be read. */
export interface Fetched {
  /** The address the body came from, after redirects. */
  url: string;
  status: number;
  statusText: string;
  httpVersion: string;
  headers: [string, string][];
  redirects: Hop[];
  /** When the final response's headers arrived. */
  respondedAt: Date;
  /** The body exactly as sent (no charset or content decoding); fails with capture.too_large or capture.timeout. */
  body: AsyncIterable<Uint8Array>;
  /** Ends the fetch (clears the time limit, drops the connection if the body was not read). */
  close(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The first value of a header in raw pairs (names compared without case). */
export function headerOf(headers: readonly [string, string][], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [name, value] = [raw[i], raw[i + 1]];
    if (name !== undefined && value !== undefined) out.push([name, value]);
  }
  return out;
}

/** Refuses anything but http and https (file:, data:, ftp:, javascript:…) and, unless allowed, private IP literals. */
export function checkTarget(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VigilError('validation.invalid', `"${raw.slice(0, 200)}" is not a URL`, { path: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VigilError(
      'capture.unsupported_scheme',
      `${url.protocol} addresses cannot be captured, only http: and https:`,
      { path: 'url' },
    );
  }
  if (url.username || url.password)
    throw new VigilError('validation.invalid', 'a capture address must not carry a user name or password', {
      path: 'url',
    });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) throw refused(host);
  return url;
}

/**
 * Fetches `raw` with GET, following up to `maxRedirects` redirects (each address checked again),
 * within one time limit and one size limit. The body is handed back unread, as a stream, so the
 * caller can store it without holding it in memory.
 */
export async function fetchWithLimits(
  raw: string,
  limits: FetchLimits,
  clock: () => Date = () => new Date(),
): Promise<Fetched> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  const fail = (err: unknown): never => {
    clearTimeout(timer);
    throw asCaptureError(err, controller.signal, limits);
  };
  const redirects: Hop[] = [];
  // The fragment is never sent: the address fetched, and recorded, is the one without it.
  let url = withoutFragment(checkTarget(raw, limits.allowPrivate));
  let res: IncomingMessage;
  for (;;) {
    try {
      res = await get(url, controller.signal, limits);
    } catch (err) {
      return fail(err);
    }
    const location = res.headers.location;
    const status = res.statusCode ?? 0;
    if (!REDIRECTS.has(status) || location === undefined) break;
    res.resume();
    redirects.push({ url: url.href, status, location, headers: pairs(res.rawHeaders) });
    if (redirects.length > limits.maxRedirects) {
      res.destroy();
      return fail(
        new VigilError('capture.too_many_redirects', `${raw} redirects more than ${limits.maxRedirects} times`, {
          path: 'url',
        }),
      );
    }
    let next: URL;
    try {
      next = checkTarget(new URL(location, url).href, limits.allowPrivate);
    } catch (err) {
      res.destroy();
      if (err instanceof VigilError && err.code === 'validation.invalid') {
        return fail(
          new VigilError(
            'capture.http_error',
            `${url.href} redirects to an address that cannot be followed: ${location.slice(0, 200)}`,
            { path: 'url', details: { status: res.statusCode } },
          ),
        );
      }
      return fail(err);
    }
    res.destroy();
    url = withoutFragment(next);
  }
  const respondedAt = clock();
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    res.destroy();
    return fail(tooLarge(url.href, limits.maxBytes));
  }
  const response = res;
  const signal = controller.signal;
  async function* body(): AsyncGenerator<Uint8Array> {
    let size = 0;
    try {
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) throw tooLarge(url.href, limits.maxBytes);
        yield chunk as Buffer;
      }
    } catch (err) {
      throw asCaptureError(err, signal, limits);
    } finally {
      response.destroy();
      clearTimeout(timer);
    }
  }
  return {
    url: url.href,
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    httpVersion: res.httpVersion,
    headers: pairs(res.rawHeaders),
    redirects,
    respondedAt,
    body: body(),
    close() {
      clearTimeout(timer);
      response.destroy();
    },
  };
}

function withoutFragment(url: URL): URL {
  const u = new URL(url.href);
  u.hash = '';
  return u;
}

function tooLarge(url: string, maxBytes: number): VigilError {
  return new VigilError('capture.too_large', `${url} is larger than the capture limit of ${maxBytes} bytes`, {
    path: 'url',
    details: { maxBytes },
  });
}

function get(url: URL, signal: AbortSignal, limits: FetchLimits): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: 'GET',
        signal,
        agent: false,
        ...(limits.allowPrivate ? {} : { lookup: guardedLookup }),
        headers: {
          'user-agent': limits.userAgent,
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          // The stored body should be the document itself, not a compressed transfer of it.
          'accept-encoding': 'identity',
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

const NETWORK_CODES =
  /^(E[A-Z]+|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_.*|SELF_SIGNED_.*|HPE_.*|ERR_INVALID_CHAR|ERR_STREAM_PREMATURE_CLOSE)$/;

/** A failed fetch as a capture error: timeouts, unreachable hosts, bad TLS; Vigil's own errors pass through. */
function asCaptureError(err: unknown, signal: AbortSignal, limits: FetchLimits): unknown {
  if (err instanceof VigilError) return err;
  if (signal.aborted) {
    return new VigilError('capture.timeout', `the capture did not finish within ${limits.timeoutMs / 1000} s`, {
      path: 'url',
      details: { timeoutMs: limits.timeoutMs },
    });
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && NETWORK_CODES.test(code)) {
    const why =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve'
        : `${code}: ${(err as Error).message}`.slice(0, 300);
    return new VigilError('capture.unreachable', `the web server could not be reached (${why})`, {
      path: 'url',
      details: { cause: code },
    });
  }
  return err;
}
