/**
 * The check of one signed head against the chain, shared by the sequential verify and its worker
 * threads: the head must be signed by the trusted key, its signature must check, and the chain's
 * entry at its sequence must be the one signed (hash and time).
 */
import { headSignatureValid, keyFingerprintOf } from './audit-signature.ts';
import type { SignatureRow } from './audit-reader.ts';
import type { VerifyBreak } from './audit-verify.ts';

/** The break a signed head shows, or null when it holds. `prevSigned` is the sequence of the signed head before it (0 when none). */
export function checkSignatureRow(s: SignatureRow, publicKey: string, prevSigned: number): VerifyBreak | null {
  const fingerprint = keyFingerprintOf(publicKey);
  const seq = Number(s.seq);
  if (s.key_fingerprint !== fingerprint || s.public_key !== publicKey) {
    return {
      kind: 'signature_invalid',
      seq,
      message: `the head at entry ${seq} is signed by key ${s.key_fingerprint}, not by this instance's key ${fingerprint}`,
    };
  }
  if (!headSignatureValid({ instance: fingerprint, seq, hash: s.hash, at: s.at }, s.signature, publicKey)) {
    return {
      kind: 'signature_invalid',
      seq,
      message: `the signature of the head at entry ${seq} does not check with this instance's key ${fingerprint}: it was forged or altered`,
    };
  }
  if (s.entry_hash !== s.hash || s.entry_at !== s.at) {
    const where = prevSigned + 1 === seq ? `at entry ${seq}` : `between entries ${prevSigned + 1} and ${seq}`;
    return {
      kind: 'signed_head_mismatch',
      seq,
      message: `entry ${seq} is not what was signed${s.entry_hash === null ? ' (it is missing)' : ''}: the chain was rewritten ${where}`,
    };
  }
  return null;
}
