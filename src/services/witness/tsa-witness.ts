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
import { headMessage, type HeadStatement, type SignedHead } from '../../store/audit-signature.ts';
import type { Store } from '../../store/database.ts';
import { insertAuditTimestamp } from '../../store/repositories/timestamp.repository.ts';
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
  }
}
