/**
 * A time-stamping authority as a witness of the audit chain. `deliver(head)` asks the TSA for an
 * RFC 3161 token on SHA-256 of `headMessage(head)` and stores it in `audit_timestamp`: the TSA's
 * signed word that this head (instance, seq, hash, at) existed at the TSA's time. A chain
 * rewritten later, or entries back-dated, cannot get tokens from the past: see
 * head-timestamps.ts, which `vigil verify` runs.
 *
 * A failure (TSA down) throws, so the witness framework's durable queue retries the delivery; it
 * never blocks a write.
 */
import { createHash } from 'node:crypto';
import type { Timestamper } from '../../evidence/timestamp-client.ts';
import { headMessage, readSignedHead, type HeadStatement, type SignedHead } from '../../store/audit-signature.ts';
import type { Store } from '../../store/database.ts';
import { findAuditHead } from '../../store/repositories/audit-head.repository.ts';
import { firstAuditTimestampFrom, insertAuditTimestamp } from '../../store/repositories/timestamp.repository.ts';
import type { Witness } from './witness.ts';

/** The digest a head's token covers: SHA-256 of the bytes its signature covers. */
export function headDigest(head: HeadStatement): Buffer {
  return createHash('sha256').update(headMessage(head)).digest();
}

/** Stores a TSA token for each head delivered to it. */
export class TsaWitness implements Witness {
  readonly id: string;

  constructor(
    private readonly store: Store,
    private readonly timestamper: Timestamper,
  ) {
    this.id = `tsa:${timestamper.tsa}`;
  }

  /** Time-stamps the head and stores the token (a head that already has one keeps the earlier token). */
  async deliver(head: SignedHead): Promise<void> {
    await this.stamp(head);
  }

  /** Time-stamps a head's statement (signed or not: the token covers the same bytes a signature would) and stores the token; resolves to the TSA's time. */
  async stamp(head: HeadStatement): Promise<string> {
    const t = await this.timestamper.stamp(headDigest(head));
    await insertAuditTimestamp(this.store.db, {
      seq: head.seq,
      hash: head.hash,
      instance: head.instance,
      at: head.at,
      token: t.token.toString('base64'),
      gen_time: t.genTime.toISOString(),
      tsa: this.timestamper.tsa,
    });
    return t.genTime.toISOString();
  }
}

/**
 * The chain's current head as a statement: the head row, under the instance's key fingerprint
 * (the signer's, else the latest signed head's). Unsigned heads (no key configured) are named
 * `unsigned`: the TSA still witnesses the chain. Null for an empty chain.
 */
async function currentHeadStatement(store: Store): Promise<HeadStatement | null> {
  const head = await findAuditHead(store.db);
  if (!head || head.seq === 0) return null;
  const instance = store.signer?.fingerprint ?? (await readSignedHead(store.db))?.instance ?? 'unsigned';
  return { instance, seq: head.seq, hash: head.hash, at: head.at };
}

/** What stamping the current head did: which entry, the TSA's time, whether a token already covered it. */
export interface HeadStamp {
  seq: number;
  genTime: string;
  already: boolean;
}

/** Time-stamps the chain's current head unless a token on it (or a later head) exists; null for an empty chain. Throws when the TSA gives no token. */
export async function stampCurrentHead(store: Store, timestamper: Timestamper): Promise<HeadStamp | null> {
  const head = await currentHeadStatement(store);
  if (!head) return null;
  const have = await firstAuditTimestampFrom(store.db, head.seq);
  if (have) return { seq: head.seq, genTime: have.genTime, already: true };
  return { seq: head.seq, genTime: await new TsaWitness(store, timestamper).stamp(head), already: false };
}
