/**
 * The witnesses this instance is configured with (docs/witnesses.md): made from the environment
 * for `vigil witness`, `vigil serve` and the scheduler.
 */
import { tsaClientOf, tsaConfigFromEnv } from '../../evidence/timestamp-config.ts';
import type { Store } from '../../store/database.ts';
import { FileWitness } from './file-witness.ts';
import { partnersFromEnv } from './partner-config.ts';
import { PartnerWitness } from './partner-witness.ts';
import { TsaWitness } from './tsa-witness.ts';
import type { Witness } from './witness.ts';

export type { Witness } from './witness.ts';

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
