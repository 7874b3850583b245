/**
 * The instance's signing key: one Ed25519 key pair that signs every evidence bundle, so anyone
 * holding the public key (printed by `vigil key show`) can check offline that a bundle came from
 * this instance unchanged. Kept apart from the encryption key: the public half is meant to be
 * handed out, and losing the pair loses no data (old bundles still verify with the old public key).
 *
 * Only node:crypto and node:fs: the offline verifier imports this file.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../domain/errors.ts';

/** The file name of the signing key, beside the encryption key file. */
export const SIGNING_KEY_FILE_NAME = 'vigil-signing.key';

/** An Ed25519 public key in the forms people compare and tools read. */
export interface PublicKeyInfo {
  readonly key: KeyObject;
  /** The 32 raw bytes, base64 (what a bundle's manifest carries). */
  readonly base64: string;
  /** SubjectPublicKeyInfo PEM, for `openssl pkeyutl -verify`. */
  readonly pem: string;
  /** The first 16 hex characters of SHA-256 over the raw 32 bytes: short enough to read out over the phone. */
  readonly fingerprint: string;
}

/** The instance's key pair. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: PublicKeyInfo;
}

/** Where the signing key lives: VIGIL_SIGNING_KEY_FILE, or `vigil-signing.key` beside the encryption key file. */
export function signingKeyFile(encryptionKeyFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_SIGNING_KEY_FILE ?? path.join(path.dirname(encryptionKeyFile), SIGNING_KEY_FILE_NAME));
}

/** The short fingerprint of a raw 32-byte Ed25519 public key. */
function fingerprintOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Describes an Ed25519 public key object. */
function describePublicKey(key: KeyObject): PublicKeyInfo {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new VigilError('crypto.key_invalid', 'not an Ed25519 key', { path: 'key' });
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const raw = Buffer.from(pub.export({ format: 'jwk' }).x ?? '', 'base64url');
  return {
    key: pub,
    base64: raw.toString('base64'),
    pem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: fingerprintOf(raw),
  };
}

/**
 * Reads a public key as a person may give it: PEM, the raw 32 bytes in base64 or hex, or a file
 * holding any of these. Fails with `crypto.key_invalid` on anything else.
 */
export function parsePublicKey(text: string): PublicKeyInfo {
  let t = text.trim();
  if (!t.startsWith('-----') && !/^[A-Za-z0-9+/=_-]{40,64}$/.test(t) && fs.existsSync(t))
    t = fs.readFileSync(t, 'utf8').trim();
  const bad = () =>
    new VigilError(
      'crypto.key_invalid',
      'expected an Ed25519 public key: PEM, 32 bytes in base64 or hex, or a file holding one',
      { path: 'key' },
    );
  try {
    if (t.startsWith('-----')) return describePublicKey(createPublicKey(t));
    const raw = /^[0-9a-f]{64}$/i.test(t)
      ? Buffer.from(t, 'hex')
      : Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    if (raw.length !== 32) throw bad();
    return describePublicKey(
      createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }),
    );
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw bad();
  }
}

/**
 * Loads the signing key from `file` (PKCS#8 PEM), creating it with a fresh key pair (mode 0600)
 * on first need. Like the encryption key, a file readable by other users is refused.
 */
export function loadSigningKey(file: string): SigningKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    // 'wx': never replace a key another process created meanwhile; bundles it signed would stop matching `key show`.
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    throw new VigilError('crypto.key_invalid', `${file} is readable by other users; run: chmod 600 ${file}`, {
      path: 'signingKeyFile',
    });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new VigilError('crypto.key_invalid', `${file} does not hold a PEM private key`, { path: 'signingKeyFile' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new VigilError(
      'crypto.key_invalid',
      `${file} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`,
      { path: 'signingKeyFile' },
    );
  }
  return { privateKey, publicKey: describePublicKey(privateKey) };
}

/** A fresh key pair that is never stored (tests, and checking that a bundle signed by another key fails). */
export function ephemeralSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: describePublicKey(privateKey) };
}

/** Signs a message (for bundles: the 32 bytes of the manifest's SHA-256). */
export function signBytes(key: SigningKey, message: Uint8Array): Buffer {
  return sign(null, message, key.privateKey);
}

/** Checks an Ed25519 signature. */
export function verifyBytes(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

/** The key as the audit chain uses it to sign heads (structurally a store `HeadSigner`). */
export function headSignerOf(key: SigningKey): {
  fingerprint: string;
  publicKey: string;
  sign(message: Buffer): Buffer;
} {
  return { fingerprint: key.publicKey.fingerprint, publicKey: key.publicKey.base64, sign: (m) => signBytes(key, m) };
}
