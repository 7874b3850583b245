import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey, parsePublicKey, signBytes, signingKeyFile, verifyBytes } from './signing-key.ts';

describe('the instance signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-signing-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives beside the encryption key unless VIGIL_SIGNING_KEY_FILE says otherwise', () => {
    expect(signingKeyFile('/srv/vigil/data/vigil.key', {})).toBe('/srv/vigil/data/vigil-signing.key');
    expect(signingKeyFile('/srv/vigil/data/vigil.key', { VIGIL_SIGNING_KEY_FILE: '/etc/vigil/sign.pem' })).toBe(
      '/etc/vigil/sign.pem',
    );
  });

  it('is made on first need as PKCS#8 PEM with mode 0600, then read back the same', () => {
    const file = path.join(dir, 'sub', 'vigil-signing.key');
    const first = loadSigningKey(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = loadSigningKey(file);
    expect(again.publicKey.base64).toBe(first.publicKey.base64);
    const raw = Buffer.from(first.publicKey.base64, 'base64');
    expect(raw).toHaveLength(32);
    expect(first.publicKey.fingerprint).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    const message = Buffer.from('manifest digest');
    expect(verifyBytes(parsePublicKey(first.publicKey.pem).key, message, signBytes(again, message))).toBe(true);
    expect(verifyBytes(parsePublicKey(raw.toString('hex')).key, Buffer.from('other'), signBytes(again, message))).toBe(
      false,
    );
  });

  it('refuses a key file others can read, and a file that holds no Ed25519 key', () => {
    const file = path.join(dir, 'vigil-signing.key');
    loadSigningKey(file);
    fs.chmodSync(file, 0o644);
    expect(() => loadSigningKey(file)).toThrow(/readable by other users; run: chmod 600/);
    fs.writeFileSync(path.join(dir, 'junk.key'), 'junk', { mode: 0o600 });
    expect(() => loadSigningKey(path.join(dir, 'junk.key'))).toThrow(/does not hold a PEM private key/);
  });
});
