import { canonicalJson, sha256Hex } from './canonical.ts';
import type { AuditEntryTable } from './schema.ts';

/** The hash that precedes the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The canonical bytes of an entry (every field but its own hash); what `hash` is computed over. */
export function entryBytes(entry: Omit<AuditEntryTable, 'hash'>): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity_type: entry.entity_type,
    entity_id: entry.entity_id,
    state_hash: entry.state_hash,
    reason: entry.reason,
    prev_hash: entry.prev_hash,
  });
}

/** An entry's own hash: SHA-256 of its canonical bytes, which include the previous hash. */
export function entryHash(entry: Omit<AuditEntryTable, 'hash'>): string {
  return sha256Hex(entryBytes(entry));
}
