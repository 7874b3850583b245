import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { UserRole } from '../domain/vocabularies.ts';
import type { BlobStore } from '../evidence/blob-store.ts';
import { FsBlobStore } from '../evidence/fs-blob-store.ts';
import { dataDirFromEnv } from '../store/config.ts';
import type { Store } from '../store/database.ts';
import type { Keyring } from '../store/keyring.ts';
import type { Timestamper } from '../evidence/timestamp-client.ts';
import { EvidenceTimestamps } from './evidence-timestamp.service.ts';

/** Who acts. `system` is Vigil itself (demo loading, migrations); `cli` an operator at the console. */
export interface Actor {
  readonly id: string;
  readonly role: UserRole | 'system';
}

/** The side effects every use case needs, passed in so tests can hand in real databases and a fake clock. */
export interface Services {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** Where evidence files live, by hash. */
  readonly blobs: BlobStore;
  /** RFC 3161 tokens on evidence hashes, when a TSA is configured (VIGIL_TSA_URL). */
  readonly timestamps?: EvidenceTimestamps;
}

/** Builds the service context with the real clock and random UUIDs unless told otherwise. */
export function makeServices(
  store: Store,
  keyring: Keyring,
  opts: { clock?: () => Date; newId?: () => string; blobs?: BlobStore; timestamper?: Timestamper } = {},
): Services {
  const clock = opts.clock ?? (() => new Date());
  return {
    store,
    keyring,
    clock,
    newId: opts.newId ?? randomUUID,
    // Directories are made on the first write, so a service that never stores a file creates none.
    blobs: opts.blobs ?? new FsBlobStore(path.join(dataDirFromEnv(), 'blobs')),
    ...(opts.timestamper ? { timestamps: new EvidenceTimestamps(store, opts.timestamper, clock) } : {}),
  };
}

/** The actor Vigil uses for its own work. */
export const SYSTEM: Actor = { id: 'system', role: 'system' };

/**
 * The role a workflow sees. Vigil's own work (import of exported records, the demo) and the
 * console operator act as the record keeper (an analyst, or a monitor for visits); signed-in users act as themselves.
 */
export function domainActor(actor: Actor, keeper: UserRole = 'analyst'): { id: string; role: UserRole } {
  return { id: actor.id, role: actor.role === 'system' ? keeper : actor.role };
}
