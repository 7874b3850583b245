import { canonicalJson, sha256Hex } from './canonical.ts';
import type { AuditEntryTable } from './schema.ts';

/** The hash that precedes the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

const j = JSON.stringify;

/**
 * The fields an entry's hash covers: every column but the hash itself. `changes` (0012) may be
 * absent or null: an entry without it has exactly the bytes it had before the column existed.
 */
export type EntryFields = Omit<AuditEntryTable, 'hash' | 'changes'> & { changes?: string | null };

/**
 * The canonical bytes of an entry (every field but its own hash); what `hash` is computed over.
 * RFC 8785 for this fixed shape written out directly: keys in sorted order, values JSON-encoded
 * (a test checks it against the generic canonicaliser). `changes` is stored as canonical JSON
 * (audit-changes.ts) and goes in as it is, and only when present, so every entry written before
 * it existed keeps its bytes and its hash. Verify runs this a million times.
 */
export function entryBytes(entry: EntryFields): string {
  if (!Number.isSafeInteger(entry.seq)) throw new Error(`audit entry sequence ${String(entry.seq)} is not an integer`);
  const c = entry.changes;
  return `{"action":${j(entry.action)},"actor":${j(entry.actor)},"at":${j(entry.at)},${c == null ? '' : `"changes":${c},`}"entity_id":${j(entry.entity_id)},"entity_type":${j(entry.entity_type)},"prev_hash":${j(entry.prev_hash)},"reason":${j(entry.reason)},"seq":${entry.seq},"state_hash":${j(entry.state_hash)}}`;
}

/** The same bytes through the generic canonicaliser (the changes parsed): the reference `entryBytes` must match. */
export function entryBytesReference(entry: EntryFields): string {
  const { seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash, changes } = entry;
  const base = { seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash };
  return canonicalJson(changes == null ? base : { ...base, changes: JSON.parse(changes) as unknown });
}

/** An entry's own hash: SHA-256 of its canonical bytes, which include the previous hash. */
export function entryHash(entry: EntryFields): string {
  return sha256Hex(entryBytes(entry));
}
