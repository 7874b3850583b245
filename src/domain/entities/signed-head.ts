import { z } from 'zod';
import { Instant } from './common.ts';

/** The 16 hex characters that name an instance: the start of SHA-256 over its raw Ed25519 public key. */
export const InstanceFingerprint = z
  .string()
  .regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters (the key fingerprint)');

/**
 * A signed head of an audit chain as witnesses exchange it (src/store/audit-signature.ts): which
 * instance, how far its chain reached, the hash of that entry and its time, the raw Ed25519
 * public key (base64) and the signature over the head (base64). The shape is checked here; the
 * signature by the service that receives it.
 */
export const SignedHeadBody = z
  .strictObject({
    instance: InstanceFingerprint,
    seq: z.number().int('must be a whole number').min(1, 'must be at least 1').max(2_147_483_647, 'is too large'),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
    at: Instant,
    key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a raw 32-byte Ed25519 public key in base64'),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a 64-byte Ed25519 signature in base64'),
  })
  .describe('A signed head of an audit chain');
export type SignedHeadBody = z.infer<typeof SignedHeadBody>;

/** Why a partner's head was refused and kept as an alarm. */
const WITNESS_ALARM_KINDS = ['witness.key_changed', 'witness.head_conflict', 'witness.head_backwards'] as const;
export type WitnessAlarmKind = (typeof WITNESS_ALARM_KINDS)[number];
