/**
 * RFC 3161 tokens against a real TSA: Debian's `openssl ts -reply` behind a loopback HTTP server
 * (test/support/tsa.ts). The client asks, pkijs checks offline, and `openssl ts -verify` agrees.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/domain/errors.ts';
import { TsaClient, TsaError } from '../../src/evidence/timestamp-client.ts';
import { parseDuration, tsaConfigFromEnv } from '../../src/evidence/timestamp-config.ts';
import { parseTrustedCerts, readToken, verifyToken } from '../../src/evidence/timestamp-token.ts';
import { startTestTsa, type TestTsa } from '../support/tsa.ts';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest();

describe('RFC 3161 client and offline check', () => {
  let tsa: TestTsa;
  let other: TestTsa;
  let dir: string;
  beforeAll(async () => {
    [tsa, other] = await Promise.all([startTestTsa(), startTestTsa({ name: 'Another TSA' })]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ts-'));
  });
  afterAll(async () => {
    await Promise.all([tsa.close(), other.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gets a token for a digest and checks it offline against the CA and against the TSA certificate itself', async () => {
    const digest = sha256('the statement of the detainee\n');
    const before = Date.now();
    const t = await new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }).stamp(digest);
    expect(t.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(t.genTime.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(t.tsaName).toBe('O=Vigil tests, CN=Vigil Test TSA');
    expect(readToken(t.token).imprint.digest.equals(digest)).toBe(true);

    for (const pem of [tsa.caPem, tsa.certPem, `${other.caPem}\n${tsa.caPem}`]) {
      const check = await verifyToken(t.token, digest, parseTrustedCerts(pem));
      expect(check).toMatchObject({ ok: true, tsa: 'O=Vigil tests, CN=Vigil Test TSA' });
      if (check.ok) expect(check.info.genTime.toISOString()).toBe(t.genTime.toISOString());
    }

    // Any RFC 3161 tool agrees: openssl checks the same token against the data and the CA.
    const data = path.join(dir, 'statement.txt');
    fs.writeFileSync(data, 'the statement of the detainee\n');
    fs.writeFileSync(path.join(dir, 'token.tst'), t.token);
    fs.writeFileSync(path.join(dir, 'ca.pem'), tsa.caPem);
    const r = await promisify(execFile)('openssl', [
      'ts',
      '-verify',
      '-data',
      data,
      '-in',
      path.join(dir, 'token.tst'),
      '-token_in',
      '-CAfile',
      path.join(dir, 'ca.pem'),
    ]);
    expect(r.stdout).toContain('Verification: OK');
  });

  it('refuses a token for another digest, one signed by another TSA, and an altered one', async () => {
    const digest = sha256('photo');
    const t = await new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }).stamp(digest);
    const trusted = parseTrustedCerts(tsa.caPem);

    const wrong = await verifyToken(t.token, sha256('another photo'), trusted);
    expect(wrong).toMatchObject({ ok: false, problem: 'imprint' });
    expect(!wrong.ok && wrong.message).toContain(`the token covers the SHA-256 ${digest.toString('hex')}`);

    const foreign = await verifyToken(t.token, digest, parseTrustedCerts(other.caPem));
    expect(foreign).toMatchObject({ ok: false, problem: 'untrusted' });
    expect(!foreign.ok && foreign.message).toContain(
      'signed by another TSA (O=Vigil tests, CN=Vigil Test TSA), not by the trusted O=Vigil tests, CN=Another TSA CA',
    );
    // Trusting the other TSA's own certificate does not help either.
    expect(await verifyToken(t.token, digest, parseTrustedCerts(other.certPem))).toMatchObject({
      ok: false,
      problem: 'untrusted',
    });

    // A token of the other TSA checked against ours.
    const theirs = await new TsaClient({ url: other.url, trusted: parseTrustedCerts(other.caPem) }).stamp(digest);
    expect(await verifyToken(theirs.token, digest, trusted)).toMatchObject({ ok: false, problem: 'untrusted' });

    // One flipped bit in the signature, and a token that is not DER at all.
    const flipped = Buffer.from(t.token);
    flipped[flipped.length - 8]! ^= 0x01;
    expect(await verifyToken(flipped, digest, trusted)).toMatchObject({ ok: false, problem: 'signature' });
    expect(await verifyToken(Buffer.from('not a token'), digest, trusted)).toMatchObject({
      ok: false,
      problem: 'malformed',
    });
  });

  it('refuses what a TSA sends when it does not check: another TSA at the configured address, an HTTP error, no answer', async () => {
    const digest = sha256('x');
    // The client trusts our CA, but the address answers with the other TSA's tokens.
    const misrouted = new TsaClient({ url: other.url, trusted: parseTrustedCerts(tsa.caPem) });
    await expect(misrouted.stamp(digest)).rejects.toMatchObject({
      name: 'TsaError',
      reason: 'invalid',
      message: expect.stringContaining('signed by another TSA'),
    });

    tsa.failWith = 503;
    try {
      await expect(
        new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }).stamp(digest),
      ).rejects.toMatchObject({ reason: 'http', message: expect.stringContaining('HTTP 503') });
    } finally {
      tsa.failWith = null;
    }
    tsa.down = true;
    try {
      const err = await new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) })
        .stamp(digest)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TsaError);
      expect((err as TsaError).reason).toBe('unreachable');
      expect((err as TsaError).message).toContain(`the TSA at ${tsa.url} cannot be reached`);
    } finally {
      tsa.down = false;
    }
    const granted = tsa.granted;
    await new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }).stamp(digest);
    expect(tsa.granted).toBe(granted + 1);
  });

  it('reads the configuration: a URL needs a certificate file; bad values are config.invalid naming the variable', () => {
    const certFile = path.join(dir, 'tsa-ca.pem');
    fs.writeFileSync(certFile, tsa.caPem);
    expect(tsaConfigFromEnv({})).toBeNull();
    const c = tsaConfigFromEnv({
      VIGIL_TSA_URL: tsa.url,
      VIGIL_TSA_CERT: certFile,
      VIGIL_TSA_GRACE: '30m',
      VIGIL_TSA_SINCE: '2024-01-01',
    });
    expect(c).toMatchObject({ url: tsa.url, certFile, graceMs: 30 * 60_000, since: '2024-01-01T00:00:00.000Z' });
    expect(tsaConfigFromEnv({ VIGIL_TSA_CERT: certFile })).toMatchObject({ url: null, graceMs: 3_600_000 });
    const bad = (env: NodeJS.ProcessEnv) => {
      try {
        tsaConfigFromEnv(env);
      } catch (err) {
        return isVigilError(err, 'config.invalid') ? err.path : `other: ${String(err)}`;
      }
      return 'accepted';
    };
    expect(bad({ VIGIL_TSA_URL: tsa.url })).toBe('VIGIL_TSA_CERT');
    expect(bad({ VIGIL_TSA_URL: 'ftp://tsa.example', VIGIL_TSA_CERT: certFile })).toBe('VIGIL_TSA_URL');
    expect(bad({ VIGIL_TSA_URL: tsa.url, VIGIL_TSA_CERT: path.join(dir, 'missing.pem') })).toBe('VIGIL_TSA_CERT');
    fs.writeFileSync(path.join(dir, 'empty.pem'), 'no certificate here\n');
    expect(bad({ VIGIL_TSA_URL: tsa.url, VIGIL_TSA_CERT: path.join(dir, 'empty.pem') })).toBe('VIGIL_TSA_CERT');
    expect(bad({ VIGIL_TSA_CERT: certFile, VIGIL_TSA_GRACE: 'soon' })).toBe('VIGIL_TSA_GRACE');
    expect(bad({ VIGIL_TSA_CERT: certFile, VIGIL_TSA_SINCE: 'yesterday' })).toBe('VIGIL_TSA_SINCE');
    expect([parseDuration('90s', 'x'), parseDuration('2d', 'x'), parseDuration('600', 'x')]).toEqual([
      90_000, 172_800_000, 600_000,
    ]);
  });
});
