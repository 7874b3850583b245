/**
 * The check of one signed head against the chain, shared by the sequential verify and its worker
 * threads: the head must be signed by the trusted key, its signature must check, and the chain's
 * entry at its sequence must be the one signed (hash and time).
 */
import { breaks, type VerifyBreak } from '../domain/audit-format.ts';
import { headSignatureValid, keyFingerprintOf } from './audit-signature.ts';
import type { SignatureRow } from './audit-reader.ts';

/** The break a signed head shows, or null when it holds. `prevSigned` is the sequence of the signed head before it (0 when none). */
export function checkSignatureRow(s: SignatureRow, publicKey: string, prevSigned: number): VerifyBreak | null {
  const fingerprint = keyFingerprintOf(publicKey);
  const seq = Number(s.seq);
  if (s.key_fingerprint !== fingerprint || s.public_key !== publicKey) {
    return breaks.signedByOtherKey(seq, s.key_fingerprint, fingerprint);
  }
  if (!headSignatureValid({ instance: fingerprint, seq, hash: s.hash, at: s.at }, s.signature, publicKey)) {
    return breaks.signatureForged(seq, fingerprint);
  }
  if (s.entry_hash !== s.hash || s.entry_at !== s.at) {
    return breaks.signedHeadMismatch(seq, prevSigned, s.entry_hash === null);
  }
  return null;
}
