/**
 * Witnesses of the audit chain: places outside this instance that keep its signed heads, so that
 * replacing the database, the key file and the local checkpoint together is still caught by
 * `vigil verify --witness`. Pushes go through the durable queue (witness-queue.service.ts) and
 * never block a write.
 */
import type { SignedHead } from '../../store/audit-signature.ts';
import type { Store } from '../../store/database.ts';
import { FileWitness } from './file-witness.ts';
import { partnersFromEnv } from './partner-config.ts';
import { PartnerWitness } from './partner-witness.ts';
import { TsaWitness } from './tsa-witness.ts';
import { tsaClientOf, tsaConfigFromEnv } from '../../evidence/timestamp-config.ts';

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

/** What witnesses may need besides the environment. */
export interface WitnessDeps {
  /** The store, for a witness that keeps what it got back (a TSA's tokens). */
  readonly store?: Store;
  /** Time limit of one push over the network (ms). */
  readonly timeoutMs?: number;
}

/**
 * The witnesses the configuration names, in a fixed order: the witness file (VIGIL_WITNESS_FILE),
 * then each partner (VIGIL_WITNESS_PARTNERS, VIGIL_WITNESS_PARTNERS_FILE), then a time-stamping
 * authority. Throws `config.invalid` with the variable's path on a bad entry.
 */
export function configuredWitnesses(env: NodeJS.ProcessEnv = process.env, deps: WitnessDeps = {}): Witness[] {
  const list: Witness[] = [];
  const file = env.VIGIL_WITNESS_FILE?.trim();
  if (file) list.push(new FileWitness(file));
  for (const partner of partnersFromEnv(env))
    list.push(new PartnerWitness(partner, deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }));
  // The RFC 3161 time-stamping authority (VIGIL_TSA_URL, VIGIL_TSA_CERT): its tokens are kept in the store.
  const tsa = tsaClientOf(tsaConfigFromEnv(env));
  if (tsa && deps.store) list.push(new TsaWitness(deps.store, tsa));
  return list;
}
