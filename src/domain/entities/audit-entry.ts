import { z } from 'zod';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

/**
 * One link of the audit chain: every change (and every read of an identity) appends one, in the
 * same transaction as the change. `hash` is SHA-256 over the RFC 8785 canonical JSON of all the
 * other fields, `prevHash` included, so removing, editing or reordering an entry breaks the chain.
 */
export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  /** SHA-256 of the record's canonical JSON after the change; null for a deletion or a read. */
  stateHash: Sha256.nullable(),
  reason: z.string().nullable(),
  prevHash: Sha256,
  hash: Sha256,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
