import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, loadKeyring } from './keyring.ts';
import { isVigilError } from '../domain/errors.ts';

describe('Keyring', () => {
  const ring = new Keyring(randomBytes(32));

  it('seals and opens, with a fresh IV each time', () => {
    const a = ring.seal('Нурдилда Ораз', 'person.name');
    const b = ring.seal('Нурдилда Ораз', 'person.name');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Ораз');
    expect(ring.open(a, 'person.name')).toBe('Нурдилда Ораз');
  });

  it('refuses a ciphertext moved to another field, tampered with, or opened with another key', () => {
    const sealed = ring.seal('secret', 'person.name');
    expect(() => ring.open(sealed, 'person.notes')).toThrow(/cannot be decrypted/);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[2]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[2] = ct.toString('base64url');
    expect(() => ring.open(parts.join('.'), 'person.name')).toThrow(/cannot be decrypted/);
    const other = new Keyring(randomBytes(32));
    try {
      other.open(sealed, 'person.name');
      expect.unreachable();
    } catch (err) {
      expect(isVigilError(err, 'crypto.decrypt_failed')).toBe(true);
    }
  });

  it('gives a stable blind index that depends on the key', () => {
    expect(ring.blindIndex('nurdilda oraz')).toBe(ring.blindIndex('nurdilda oraz'));
    expect(new Keyring(randomBytes(32)).blindIndex('nurdilda oraz')).not.toBe(ring.blindIndex('nurdilda oraz'));
  });
});

describe('loadKeyring', () => {
  it('creates the key file with mode 0600 on first start and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-key-'));
    const keyFile = path.join(dir, 'sub', 'vigil.key');
    const a = loadKeyring({ keyFile, env: {} });
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const b = loadKeyring({ keyFile, env: {} });
    expect(b.open(a.seal('x', 'c'), 'c')).toBe('x');
    fs.rmSync(dir, { recursive: true });
  });

  it('takes VIGIL_KEY from the environment and refuses a malformed one', () => {
    const hex = randomBytes(32).toString('hex');
    const ring = loadKeyring({ keyFile: '/nonexistent/never-written', env: { VIGIL_KEY: hex } });
    expect(ring.open(ring.seal('y', 'c'), 'c')).toBe('y');
    expect(() => loadKeyring({ keyFile: '/nonexistent/x', env: { VIGIL_KEY: 'short' } })).toThrow(/32-byte key/);
  });

  it('refuses a key file readable by others', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-key-'));
    const keyFile = path.join(dir, 'vigil.key');
    fs.writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o644 });
    fs.chmodSync(keyFile, 0o644);
    expect(() => loadKeyring({ keyFile, env: {} })).toThrow(/chmod 600/);
    fs.rmSync(dir, { recursive: true });
  });
});
