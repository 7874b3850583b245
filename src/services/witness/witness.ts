/**
 * Witnesses of the audit chain: places outside this instance that keep its signed heads, so that
 * replacing the database, the key file and the local checkpoint together is still caught by
 * `vigil verify --witness`. Pushes go through the durable queue (witness-queue.service.ts) and
 * never block a write. This file holds what every kind of witness shares; the configured witnesses
 * are made in witness.service.ts.
 */
import type { SignedHead } from '../../store/audit-signature.ts';

/** Something that keeps signed heads. */
export interface Witness {
  /** Stable, shown by `vigil witness status`: 'file:/abs/path', 'partner:https://host', 'tsa:http://host/'. */
  readonly id: string;
  /** Hands the head over; throws on failure, and the queue retries later. */
  deliver(head: SignedHead): Promise<void>;
}

/**
 * A witness's refusal of a head for good (a partner's `witness.key_changed`, `witness.head_conflict`,
 * `witness.head_backwards`): the same head is not retried; status shows the refusal.
 */
export class WitnessRefusal extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'WitnessRefusal';
    this.code = code;
  }
}
