/**
 * The audit chain's format, in one place: the canonical bytes of an entry and its hash, the
 * link between consecutive entries, and the breaks a verification reports with their wording.
 * Pure (no I/O, no database): the store's verify, its worker threads and the offline bundle
 * verifier all use it, so an entry hashes and a break reads the same wherever it is checked.
 */
import { canonicalJson, sha256Hex } from './canonical-json.ts';

/** The hash that precedes the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

const j = JSON.stringify;

/** An audit entry as it is stored: the row of `audit_entry`. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  state_hash: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** What changed, as canonical JSON text; null on notes and on entries written before the column existed. */
  changes: string | null;
}

/**
 * The fields an entry's hash covers: every column but the hash itself. `changes` (0012) may be
 * absent or null: an entry without it has exactly the bytes it had before the column existed.
 */
export type EntryFields = Omit<AuditEntry, 'hash' | 'changes'> & { changes?: string | null };

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

/** The link between consecutive entries: an entry names the hash of the one before it. */
export function linksTo(entry: Pick<AuditEntry, 'prev_hash'>, previousHash: string): boolean {
  return entry.prev_hash === previousHash;
}

/** Every way the store and its audit chain can disagree. */
type BreakKind =
  | 'sequence_gap'
  | 'previous_hash_mismatch'
  | 'entry_altered'
  | 'head_mismatch'
  | 'record_not_in_audit'
  | 'record_altered'
  | 'record_deleted_outside'
  | 'record_resurrected'
  | 'time_backwards'
  | 'unknown_actor'
  | 'signature_invalid'
  | 'signed_head_mismatch'
  | 'unsigned_entries';

/** The first place where the store and its audit chain disagree. */
export interface VerifyBreak {
  kind: BreakKind;
  seq?: number;
  entity?: string;
  message: string;
}

const entityOf = (e: Pick<AuditEntry, 'entity_type' | 'entity_id'>): string => `${e.entity_type} ${e.entity_id}`;

/** The breaks, each with its wording; every checker builds its breaks here. */
export const breaks = {
  /** Entry `seq` is not where it should be; `next` is the sequence found instead (none at the end of a range). */
  sequenceGap(seq: number, next?: number): VerifyBreak {
    const message = next === undefined ? `entry ${seq} is missing` : `entry ${seq} is missing (next is ${next})`;
    return { kind: 'sequence_gap', seq, message };
  },
  previousHashMismatch(seq: number, entry?: Pick<AuditEntry, 'entity_type' | 'entity_id'>): VerifyBreak {
    return {
      kind: 'previous_hash_mismatch',
      seq,
      ...(entry ? { entity: entityOf(entry) } : {}),
      message: `entry ${seq} does not follow entry ${seq - 1}: previous hash differs`,
    };
  },
  entryAltered(entry: Pick<AuditEntry, 'seq' | 'entity_type' | 'entity_id'>): VerifyBreak {
    return {
      kind: 'entry_altered',
      seq: entry.seq,
      entity: entityOf(entry),
      message: `entry ${entry.seq} was altered: its hash does not match its content`,
    };
  },
  /** Entry `seq` is dated before the one before it; with the entries, the break names both times. */
  timeBackwards(
    seq: number,
    dated?: { entry: Pick<AuditEntry, 'at' | 'entity_type' | 'entity_id'>; previousAt: string },
  ): VerifyBreak {
    const tail = 'time went backwards, an entry was back-dated or inserted';
    if (!dated)
      return { kind: 'time_backwards', seq, message: `entry ${seq} is dated before entry ${seq - 1}: ${tail}` };
    return {
      kind: 'time_backwards',
      seq,
      entity: entityOf(dated.entry),
      message: `entry ${seq} is dated ${dated.entry.at}, before entry ${seq - 1} (${dated.previousAt}): ${tail}`,
    };
  },
  unknownActor(entry: Pick<AuditEntry, 'seq' | 'actor' | 'entity_type' | 'entity_id'>): VerifyBreak {
    return {
      kind: 'unknown_actor',
      seq: entry.seq,
      entity: entityOf(entry),
      message: `entry ${entry.seq} names actor ${entry.actor}, who was not a user at that time`,
    };
  },
  /** The chain ends at `entries` but the head says otherwise (or there is no head). */
  headMismatch(entries: number, headSeq: number | undefined): VerifyBreak {
    return {
      kind: 'head_mismatch',
      seq: headSeq,
      message: `the chain ends at entry ${entries} but its head says ${headSeq ?? 'nothing'}: entries were removed from the end`,
    };
  },
  recordNotInAudit(entity: string): VerifyBreak {
    return {
      kind: 'record_not_in_audit',
      entity,
      message: `${entity} is not in the audit log: it was added outside Vigil`,
    };
  },
  recordResurrected(entity: string): VerifyBreak {
    return {
      kind: 'record_resurrected',
      entity,
      message: `${entity} was deleted according to the audit log but exists`,
    };
  },
  recordAltered(entity: string, recorded: string, found: string): VerifyBreak {
    return {
      kind: 'record_altered',
      entity,
      message: `${entity} differs from its last audited state (recorded ${recorded.slice(0, 12)}…, found ${found.slice(0, 12)}…)`,
    };
  },
  recordDeletedOutside(entity: string): VerifyBreak {
    return {
      kind: 'record_deleted_outside',
      entity,
      message: `${entity} is in the audit log but missing: it was deleted outside Vigil`,
    };
  },
  signedByOtherKey(seq: number, signedBy: string, fingerprint: string): VerifyBreak {
    return {
      kind: 'signature_invalid',
      seq,
      message: `the head at entry ${seq} is signed by key ${signedBy}, not by this instance's key ${fingerprint}`,
    };
  },
  signatureForged(seq: number, fingerprint: string): VerifyBreak {
    return {
      kind: 'signature_invalid',
      seq,
      message: `the signature of the head at entry ${seq} does not check with this instance's key ${fingerprint}: it was forged or altered`,
    };
  },
  /** Entry `seq` differs from its signed head; `prevSigned` is the signed head before it (0 when none). */
  signedHeadMismatch(seq: number, prevSigned: number, entryMissing: boolean): VerifyBreak {
    const where = prevSigned + 1 === seq ? `at entry ${seq}` : `between entries ${prevSigned + 1} and ${seq}`;
    return {
      kind: 'signed_head_mismatch',
      seq,
      message: `entry ${seq} is not what was signed${entryMissing ? ' (it is missing)' : ''}: the chain was rewritten ${where}`,
    };
  },
  /** The entries after the last signed head (`lastSigned`, 0 when none) up to `entries`. */
  unsignedEntries(lastSigned: number, entries: number, fingerprint: string): VerifyBreak {
    return {
      kind: 'unsigned_entries',
      seq: lastSigned + 1,
      message:
        lastSigned === 0
          ? `no head of the chain is signed by this instance's key ${fingerprint}: entries 1 to ${entries} cannot be told from a forgery`
          : `${lastSigned + 1 === entries ? `entry ${entries} was` : `entries ${lastSigned + 1} to ${entries} were`} appended without the instance's key ${fingerprint} (the last signed head is entry ${lastSigned})`,
    };
  },
} as const;

/**
 * The link check over consecutive entries of a chain, or of one range of it: each entry in
 * sequence, naming the previous entry's hash, matching its own hash, and dated no earlier than
 * the one before. A walk over a range starts without a previous hash and time (`ChainWalk.range`):
 * it records the first entry's instead (`firstPrev`, `firstAt`), for the caller to join ranges.
 */
export class ChainWalk {
  /** The next sequence expected. */
  expected: number;
  /** The hash of the last entry walked, or the one the walk starts after (null: unknown). */
  prev: string | null;
  /** The previous hash named by the first entry of a walk that started without one. */
  firstPrev: string | null = null;
  /** The time of the first entry of a walk that started without one. */
  firstAt: number | null = null;
  lastAt: number | null;
  private lastAtText = '';
  /** The canonical bytes hashed so far. */
  bytes = 0;

  /**
   * A walk from the start of the chain (`ChainWalk.fromStart()`), or over a range from entry
   * `from` whose predecessor is unknown (`ChainWalk.range(from)`).
   */
  private constructor(from: number, startsAfterGenesis: boolean) {
    this.expected = from;
    this.prev = startsAfterGenesis ? GENESIS_HASH : null;
    this.lastAt = startsAfterGenesis ? Number.NEGATIVE_INFINITY : null;
  }

  /** A walk over the whole chain, from entry 1 after the genesis hash. */
  static fromStart(): ChainWalk {
    return new ChainWalk(1, true);
  }

  /** A walk over entries from `from` on, the entry before them unknown: the caller joins the ranges. */
  static range(from: number): ChainWalk {
    return new ChainWalk(from, false);
  }

  /** Checks the next entry; returns its break, or null and moves on. */
  step(e: AuditEntry): VerifyBreak | null {
    const seq = e.seq;
    if (seq !== this.expected) return breaks.sequenceGap(this.expected, seq);
    if (this.prev === null) this.firstPrev = e.prev_hash;
    else if (!linksTo(e, this.prev)) return breaks.previousHashMismatch(seq, e);
    const canon = entryBytes(e);
    this.bytes += Buffer.byteLength(canon);
    if (sha256Hex(canon) !== e.hash) return breaks.entryAltered(e);
    const at = Date.parse(e.at);
    if (this.lastAt === null) this.firstAt = at;
    else if (!(at >= this.lastAt)) return breaks.timeBackwards(seq, { entry: e, previousAt: this.lastAtText });
    this.lastAt = at;
    this.lastAtText = e.at;
    this.prev = e.hash;
    this.expected += 1;
    return null;
  }
}
