import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, keyFingerprint, lockedKeyring, parseSealed } from './keyring.ts';
import { createKeyFile, readKeySource } from './key-files.ts';
import { sealV1 } from '../../test/support/sealed-v1.ts';
import { isVigilError } from '../domain/errors.ts';

const at = (recordId: string, field = 'person.name') => ({ field, recordId });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isVigilError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return undefined;
}

describe('Keyring', () => {
  const master = randomBytes(32);
  const ring = new Keyring(master);

  it('seals as v2 with the key id, a fresh IV each time, and opens for the same record and field', () => {
    const a = ring.seal('Нурдилда Ораз', at('p1'));
    const b = ring.seal('Нурдилда Ораз', at('p1'));
    expect(a).not.toBe(b);
    expect(a).not.toContain('Ораз');
    expect(a.startsWith(`v2.${ring.keyId}.`)).toBe(true);
    expect(parseSealed(a)).toMatchObject({ version: 'v2', keyId: ring.keyId });
    expect(ring.open(a, at('p1'))).toBe('Нурдилда Ораз');
  });

  it('refuses a value pasted into another record or field, tampered with, or opened with another key', () => {
    const sealed = ring.seal('secret', at('p1'));
    expect(codeOf(() => ring.open(sealed, at('p2')))).toMatch(/^crypto\.decrypt_failed: does not open for this record/);
    expect(codeOf(() => ring.open(sealed, at('p1', 'person.notes')))).toMatch(
      /^crypto\.decrypt_failed: does not open for this record/,
    );
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(codeOf(() => ring.open(parts.join('.'), at('p1')))).toMatch(/^crypto\.decrypt_failed/);
    // The key id is bound too: relabelled with another key's id, it does not open either.
    const other = new Keyring(randomBytes(32));
    expect(codeOf(() => other.open(sealed, at('p1')))).toMatch(
      /^crypto\.decrypt_failed: sealed under another key \(key id [0-9a-f]{16}\)/,
    );
    const relabelled = sealed.replace(ring.keyId, other.keyId);
    expect(codeOf(() => other.open(relabelled, at('p1')))).toMatch(/^crypto\.decrypt_failed: does not open/);
    expect(codeOf(() => ring.open('plain text', at('p1')))).toBe('crypto.decrypt_failed: not a sealed value');
  });

  it('refuses a v1 value on open, and opens it only through the upgrade path', () => {
    const v1 = sealV1(master, 'Aigul', 'person.name');
    expect(codeOf(() => ring.open(v1, at('p1')))).toMatch(/^crypto\.decrypt_failed: sealed in the old format v1/);
    expect(ring.openV1(v1, 'person.name')).toBe('Aigul');
    expect(codeOf(() => ring.openV1(v1, 'person.notes'))).toMatch(/^crypto\.decrypt_failed/);
  });

  it('opens values of the old key during a rotation by key id, and seals under the new one', () => {
    const next = randomBytes(32);
    const sealedOld = ring.seal('old', at('p1'));
    const both = new Keyring(next, { alsoOpens: [master] });
    expect(both.open(sealedOld, at('p1'))).toBe('old');
    expect(both.keyId).toBe(new Keyring(next).keyId);
    expect(both.seal('new', at('p1')).startsWith(`v2.${both.keyId}.`)).toBe(true);
  });

  it('gives a stable fingerprint and blind index that depend on the key and reveal neither', () => {
    expect(ring.fingerprint).toBe(keyFingerprint(master));
    expect(ring.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(ring.fingerprint).not.toContain(master.toString('hex').slice(0, 16));
    expect(ring.keyId).toBe(ring.fingerprint.slice(0, 16));
    expect(ring.blindIndex('nurdilda oraz')).toBe(ring.blindIndex('nurdilda oraz'));
    expect(new Keyring(randomBytes(32)).blindIndex('nurdilda oraz')).not.toBe(ring.blindIndex('nurdilda oraz'));
  });

  it('a locked keyring refuses every use with key.missing', () => {
    expect(codeOf(() => lockedKeyring().seal('x', at('p1')))).toMatch(/^key\.missing/);
  });
});

describe('key files', () => {
  it('creates the key file with mode 0600 only when asked, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-key-'));
    const keyFile = path.join(dir, 'sub', 'vigil.key');
    expect(readKeySource({ keyFile, env: {} })).toEqual({ kind: 'none', file: keyFile });
    expect(fs.existsSync(keyFile)).toBe(false);
    const a = createKeyFile(keyFile);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const b = readKeySource({ keyFile, env: {} });
    expect(b.kind === 'file' && b.master.equals(a)).toBe(true);
    expect(createKeyFile(keyFile).equals(a)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  it('takes VIGIL_KEY from the environment and refuses a malformed one', () => {
    const hex = randomBytes(32).toString('hex');
    const s = readKeySource({ keyFile: '/nonexistent/never-written', env: { VIGIL_KEY: hex } });
    expect(s.kind === 'env' && s.master.toString('hex')).toBe(hex);
    expect(() => readKeySource({ keyFile: '/nonexistent/x', env: { VIGIL_KEY: 'short' } })).toThrow(/32-byte key/);
  });

  it('refuses a key file readable by others', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-key-'));
    const keyFile = path.join(dir, 'vigil.key');
    fs.writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o644 });
    fs.chmodSync(keyFile, 0o644);
    expect(() => readKeySource({ keyFile, env: {} })).toThrow(/chmod 600/);
    fs.rmSync(dir, { recursive: true });
  });
});
