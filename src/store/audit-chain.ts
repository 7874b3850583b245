import { canonicalJson, sha256Hex } from './canonical.ts';
import type { AuditEntryTable } from './schema.ts';

/** The hash that precedes the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

const j = JSON.stringify;

/**
 * The canonical bytes of an entry (every field but its own hash); what `hash` is computed over.
 * RFC 8785 for this fixed shape written out directly: keys in sorted order, values JSON-encoded
 * (a test checks it against the generic canonicaliser). Verify runs this a million times.
 */
export function entryBytes(entry: Omit<AuditEntryTable, 'hash'>): string {
  if (!Number.isSafeInteger(entry.seq)) throw new Error(`audit entry sequence ${String(entry.seq)} is not an integer`);
  return `{"action":${j(entry.action)},"actor":${j(entry.actor)},"at":${j(entry.at)},"entity_id":${j(entry.entity_id)},"entity_type":${j(entry.entity_type)},"prev_hash":${j(entry.prev_hash)},"reason":${j(entry.reason)},"seq":${entry.seq},"state_hash":${j(entry.state_hash)}}`;
}

/** The same bytes through the generic canonicaliser: the reference `entryBytes` must match. */
export function entryBytesReference(entry: Omit<AuditEntryTable, 'hash'>): string {
  const { seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash } = entry;
  return canonicalJson({ seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash });
}

/** An entry's own hash: SHA-256 of its canonical bytes, which include the previous hash. */
export function entryHash(entry: Omit<AuditEntryTable, 'hash'>): string {
  return sha256Hex(entryBytes(entry));
}
