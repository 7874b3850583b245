/**
 * Case teams: who is assigned to a confidential or restricted allegation, and so may see it and
 * everything linked to it (the rule is src/domain/policy.ts). An admin may assign anyone
 * (themselves included), and that assignment is an audit entry, so gaining access leaves a trace.
 * Analysts may assign users to allegations they can see.
 */
import type { Kysely } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import type { GuardedKind, Viewer } from '../domain/policy.ts';
import { runWrite } from '../store/audited-writer.ts';
import {
  findAssignment,
  findTeamUser,
  insertAssignment,
  listAssignmentsOf,
  removeAssignment,
  type Assignment,
} from '../store/repositories/allegation-access.repository.ts';
import { findAllegationKey } from '../store/repositories/allegation.repository.ts';
import type { KeyedTable } from '../store/repositories/record-key.repository.ts';
import type { Database } from '../store/schema.ts';
import { requireRole } from './auth.service.ts';
import type { Actor, Services } from './context.ts';
import { may, requireReadableById } from './policy.ts';
import { resolveRef } from './references.ts';
import { writeContext } from './record-write.ts';

/** An assignment of a user to an allegation's case team. */
export type { Assignment } from '../store/repositories/allegation-access.repository.ts';

/**
 * Assigns a user (id or username) to an allegation (id or external id): an admin, an analyst on an
 * allegation they can see, or a documenter on the case team bringing in an analyst (whoever
 * records a confidential report must be able to hand it on). Audited (`assign`); assigning twice
 * changes nothing.
 */
export async function assignToAllegation(
  svc: Services,
  actor: Actor,
  allegationKey: string,
  userKey: string,
): Promise<Assignment> {
  requireRole(actor, ['admin', 'analyst', 'documenter'], 'assign users to allegations');
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const { allegationId, userId, userRole } = await resolveAssignment(actor, w.trx, allegationKey, userKey);
    if (actor.role === 'documenter') {
      if (userRole !== 'analyst')
        throw new VigilError('auth.forbidden', 'a documenter can bring only an analyst onto the case team', {
          path: 'userId',
        });
    }
    const existing = await findAssignment(w.trx, allegationId, userId);
    if (existing) return existing;
    return insertAssignment(w, { id: svc.newId(), allegationId, userId });
  });
}

/** Removes a user from an allegation's case team (same rules as assigning; audited as a deletion). */
export async function unassignFromAllegation(
  svc: Services,
  actor: Actor,
  allegationKey: string,
  userKey: string,
): Promise<void> {
  requireRole(actor, ['admin', 'analyst'], 'remove users from allegations');
  await runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const { allegationId, userId } = await resolveAssignment(actor, w.trx, allegationKey, userKey);
    const existing = await findAssignment(w.trx, allegationId, userId);
    if (!existing)
      throw new VigilError('record.not_found', 'the user is not assigned to this allegation', { path: 'userId' });
    await removeAssignment(w, existing.id);
  });
}

/** The users assigned to an allegation the actor can see. */
export async function listAssignments(svc: Services, actor: Actor, allegationKey: string): Promise<Assignment[]> {
  const a = await findVisibleAllegation(actor, svc.store.db, allegationKey);
  return listAssignmentsOf(svc.store.db, a.id);
}

async function findVisibleAllegation(actor: Actor, db: Kysely<Database>, key: string): Promise<{ id: string }> {
  const a = await findAllegationKey(db, key);
  // An admin manages access without needing to see the allegation; others must see it to share it.
  const visible = a !== undefined && (actor.role === 'admin' || (await may(db, actor, 'read', 'allegation', a.id)));
  if (!a || !visible)
    throw new VigilError('record.not_found', `no allegation with id "${key}"`, { path: 'allegationId' });
  return a;
}

async function resolveAssignment(
  actor: Actor,
  trx: Kysely<Database>,
  allegationKey: string,
  userKey: string,
): Promise<{ allegationId: string; userId: string; userRole: string }> {
  const allegation = await findVisibleAllegation(actor, trx, allegationKey);
  const user = await findTeamUser(trx, userKey);
  if (!user || user.disabled)
    throw new VigilError('reference.missing', `no enabled user "${userKey}"`, { path: 'userId' });
  return { allegationId: allegation.id, userId: user.id, userRole: user.role };
}

/** Tables whose records a URL can name by id or external id. */
export type { KeyedTable } from '../store/repositories/record-key.repository.ts';

/**
 * A record's id from a key (an id or an external id), for an actor who may see it: unknown is
 * `record.not_found`, and a record hidden by need-to-know (src/domain/policy.ts) answers exactly
 * the same, never a refusal, which would confirm it exists.
 */
export async function visibleRecordId(svc: Services, actor: Actor, table: KeyedTable, key: string): Promise<string> {
  try {
    return await svc.store.db.transaction().execute((trx) => resolveRef(trx, table, key, 'id', actor));
  } catch (err) {
    if (err instanceof VigilError && err.code === 'reference.missing') {
      throw new VigilError('record.not_found', `no ${table.replace('_', ' ')} ${key}`, { path: 'id' });
    }
    throw err;
  }
}

/**
 * The id of the record of `kind` that `key` (id or external id) names, when `viewer` may read it;
 * otherwise `record.not_found`, so a hidden record answers exactly like a missing one.
 */
export function requireReadable(svc: Services, viewer: Viewer, kind: GuardedKind, key: string): Promise<string> {
  return requireReadableById(svc.store.db, viewer, kind, key);
}
