/**
 * The need-to-know policy (src/domain/policy.ts) as the services ask it: for an actor, an action
 * and a record, by id. Every read by id, every reference in a write and every reveal goes
 * through {@link may} or one of the helpers below; lists use `visibleCondition` from the store
 * with {@link limitedViewer}.
 */
import type { Kysely, Transaction } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { isLimited, may as decide, type GuardedKind, type PolicyAction, type Viewer } from '../domain/policy.ts';
import { guardOf } from '../store/repositories/need-to-know.repository.ts';
import { findIdByKey } from '../store/repositories/record-key.repository.ts';
import type { Database } from '../store/schema.ts';

export type { Viewer } from '../domain/policy.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** The user id that limits what `viewer` sees, or undefined when nothing is hidden from them (Vigil's own work). */
export function limitedViewer(viewer: Viewer): string | undefined {
  return isLimited(viewer) ? viewer.id : undefined;
}

/** Whether `viewer` may do `action` on the record `id` of `kind` (an id that does not exist: the same answer as for a visible one). */
export async function may(
  db: Handle,
  viewer: Viewer,
  action: PolicyAction,
  kind: GuardedKind,
  id: string,
): Promise<boolean> {
  if (!isLimited(viewer)) return decide(viewer, action, kind, { needToKnow: false, onTeam: false });
  return decide(viewer, action, kind, await guardOf(db, kind, id, viewer.id));
}

/** Keeps the items `viewer` may read (for small lists read by id, e.g. the parts of one record). */
export async function readable<T>(
  db: Handle,
  viewer: Viewer,
  kind: GuardedKind,
  items: readonly T[],
  idOf: (t: T) => string | null,
): Promise<T[]> {
  if (!isLimited(viewer)) return [...items];
  const out: T[] = [];
  for (const item of items) {
    const id = idOf(item);
    if (id === null || (await may(db, viewer, 'read', kind, id))) out.push(item);
  }
  return out;
}

const LABELS: Record<GuardedKind, string> = {
  allegation: 'allegation',
  person: 'person',
  source: 'source',
  evidence_item: 'evidence item',
  custody_event: 'custody event',
  proceeding: 'proceeding',
  extraction: 'extraction',
  proposed_fact: 'proposed fact',
};

/**
 * The id of the record of `kind` that `key` (an id or an external id) names, if `viewer` may read
 * it; otherwise `record.not_found` at `id`, worded the same for a record that is hidden and one
 * that never existed.
 */
export async function requireReadableById(db: Handle, viewer: Viewer, kind: GuardedKind, key: string): Promise<string> {
  const id = await findIdByKey(db, kind, key);
  if (id === undefined || !(await may(db, viewer, 'read', kind, id)))
    throw new VigilError('record.not_found', `no ${LABELS[kind]} "${key}"`, { path: 'id' });
  return id;
}
