import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored for a secret: its SHA-256 in hex. A plain hash is enough (no salt, no scrypt):
 * the secrets are 256 random bits, so there is nothing to guess, and a lookup by hash stays an
 * index lookup.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time that depends only on their length (hashes of equal length in practice). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * An scrypt hash of a random password nobody knows, with the parameters `hashPassword` uses.
 * A sign-in for an unknown user (or one without a password) is checked against it, so it costs
 * the same scrypt run as a wrong password and timing does not tell which usernames exist.
 */
export const DUMMY_PASSWORD_HASH =
  'scrypt$32768$8$1$z-NOa8c2azTODFN0n6NqVQ$w9mmaZKv9_Ag0EqN0D9RYi8h7bJuuxndO0dqwVUC8ks';
