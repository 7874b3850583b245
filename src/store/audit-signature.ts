/**
 * Signed heads of the audit chain. The chain's hashes show that entries follow each other; they
 * cannot show who appended them, since anyone who can write the database can compute SHA-256.
 * Each write transaction therefore signs the head it leaves with the instance's Ed25519 key (a
 * file beside the identity key, never in the database). `vigil verify` checks every signature and
 * that the head is signed: an entry appended, or a chain rewritten, without the key is a break.
 * A signed head is also what witnesses keep (a file elsewhere, a partner instance, a TSA).
 *
 * Only node:crypto and the canonical JSON: the offline bundle verifier and witnesses import it.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { AuditSignatureTable, Database } from './schema.ts';

/** What signs heads: the instance key, given by the caller (the store never reads key files). */
export interface HeadSigner {
  /** The first 16 hex characters of SHA-256 over the raw 32-byte public key. */
  readonly fingerprint: string;
  /** The raw 32-byte public key, base64. */
  readonly publicKey: string;
  sign(message: Buffer): Buffer;
}

/** The head of a chain as signed: which instance (its key fingerprint), how far, its hash, and when. */
export interface HeadStatement {
  readonly instance: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

/** A signed head as handed to witnesses: the statement, the public key it checks with, the signature (base64). */
export interface SignedHead extends HeadStatement {
  readonly key: string;
  readonly signature: string;
}

const DOMAIN = 'vigil-audit-head-v1\n';

/** The purpose of the signing key's row in `key_fingerprint`: written at the first signature, then every start checks the key against it. */
export const SIGNING_KEY_PURPOSE = 'audit-signing';

/** The bytes a head's signature covers: a domain tag, then the statement as RFC 8785 JSON. */
export function headMessage(h: HeadStatement): Buffer {
  return Buffer.from(DOMAIN + canonicalJson({ instance: h.instance, seq: h.seq, hash: h.hash, at: h.at }), 'utf8');
}

/** Signs a head. The instance is the signer's fingerprint, so a head names the key that checks it. */
export function signHead(signer: HeadSigner, head: { seq: number; hash: string; at: string }): SignedHead {
  const statement = { instance: signer.fingerprint, seq: head.seq, hash: head.hash, at: head.at };
  return { ...statement, key: signer.publicKey, signature: signer.sign(headMessage(statement)).toString('base64') };
}

/** The short fingerprint of a raw Ed25519 public key (base64). */
export function keyFingerprintOf(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 16);
}

const keys = new Map<string, KeyObject | null>();

/** An Ed25519 public key object from its raw base64 form (cached: verify checks many heads with one key); null when malformed. */
function publicKeyObject(publicKeyBase64: string): KeyObject | null {
  let k = keys.get(publicKeyBase64);
  if (k === undefined) {
    const raw = Buffer.from(publicKeyBase64, 'base64');
    try {
      k =
        raw.length === 32
          ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
          : null;
    } catch {
      k = null;
    }
    if (keys.size > 100) keys.clear();
    keys.set(publicKeyBase64, k);
  }
  return k;
}

/** Whether a signature over a head checks with the given public key (raw base64). */
export function headSignatureValid(statement: HeadStatement, signature: string, publicKeyBase64: string): boolean {
  const key = publicKeyObject(publicKeyBase64);
  if (!key) return false;
  try {
    return verify(null, headMessage(statement), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Checks a signed head on its own: its signature with the key it carries, and that the instance
 * is that key's fingerprint. With `trusted`, the key must also be that one (raw base64).
 */
export function checkSignedHead(h: SignedHead, trusted?: string): boolean {
  if (trusted !== undefined && h.key !== trusted) return false;
  if (h.instance !== keyFingerprintOf(h.key)) return false;
  return headSignatureValid(h, h.signature, h.key);
}

/** The latest signed head of a store, or null when nothing was signed yet. */
export async function readSignedHead(db: Kysely<Database>): Promise<SignedHead | null> {
  const row = (await db.selectFrom('audit_signature').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst()) as
    | AuditSignatureRow
    | undefined;
  return row ? signedHeadOf(row) : null;
}

/** A row of `audit_signature`, as either driver returns it (PostgreSQL gives a bigint sequence as text). */
type AuditSignatureRow = Omit<AuditSignatureTable, 'seq'> & { seq: number | string };

/** The signed head a row holds. */
function signedHeadOf(row: AuditSignatureRow): SignedHead {
  return {
    instance: row.key_fingerprint,
    seq: Number(row.seq),
    hash: row.hash,
    at: row.at,
    key: row.public_key,
    signature: row.signature,
  };
}
