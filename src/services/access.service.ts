/**
 * Need-to-know, on top of roles. An allegation marked `confidential` or `restricted` is visible
 * only to the users assigned to it (its case team); to everyone else it does not exist: lists and
 * search leave it out, and asking for it by id is `record.not_found` (404), never 403, so its
 * existence is not confirmed either. Allegations marked `public` or `internal` are visible to
 * every signed-in user.
 *
 * Admins are no exception: an admin sees a restricted allegation only when assigned to it. An
 * admin may assign anyone (themselves included), and that assignment is an audit entry, so
 * gaining access leaves a trace. Analysts may assign users to allegations they can see.
 * Vigil's own work (`system`: import, export, the console) is not limited.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import { NEED_TO_KNOW_SENSITIVITIES, isAssigned, whereVisibleTo } from '../store/repositories/allegation-access.repository.ts';
import type { Database } from '../store/schema.ts';
import { requireRole } from './auth.service.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';

export { NEED_TO_KNOW_SENSITIVITIES } from '../store/repositories/allegation-access.repository.ts';

/** An assignment of a user to an allegation's case team. */
export interface Assignment {
  id: string;
  allegationId: string;
  userId: string;
  createdAt: string;
}

/**
 * The user whose assignments limit what `actor` sees, or undefined when nothing is hidden from
 * them (Vigil's own work). Pass it to repositories that take a `visibleTo` user id.
 */
export function needToKnowViewer(actor: Actor): string | undefined {
  return actor.role === 'system' ? undefined : actor.id;
}

/** Whether the sensitivity alone hides an allegation from users outside its case team. */
export function needsToKnow(sensitivity: string): boolean {
  return NEED_TO_KNOW_SENSITIVITIES.includes(sensitivity);
}

/** Whether `actor` may see the allegation. */
export async function canSeeAllegation(svc: Services, actor: Actor, allegation: { id: string; sensitivity: string }): Promise<boolean> {
  return canSee(svc.store.db, actor, allegation);
}

/** {@link canSeeAllegation} on a given handle: inside a transaction, its own (SQLite has one connection). */
export async function canSee(db: Kysely<Database>, actor: Actor, allegation: { id: string; sensitivity: string }): Promise<boolean> {
  const viewer = needToKnowViewer(actor);
  if (viewer === undefined || !needsToKnow(allegation.sensitivity)) return true;
  return isAssigned(db, allegation.id, viewer);
}

/**
 * Narrows a query on `allegation` to what `actor` may see.
 *
 * @example
 *   const rows = await visibleAllegations(db.selectFrom('allegation').selectAll(), actor).execute();
 */
export function visibleAllegations<O>(qb: SelectQueryBuilder<Database, 'allegation', O>, actor: Actor): SelectQueryBuilder<Database, 'allegation', O> {
  const viewer = needToKnowViewer(actor);
  return viewer === undefined ? qb : whereVisibleTo(qb, viewer);
}

/**
 * Assigns a user (id or username) to an allegation (id or external id): an admin, an analyst on an
 * allegation they can see, or a documenter on the case team bringing in an analyst (whoever
 * records a confidential report must be able to hand it on). Audited (`assign`); assigning twice
 * changes nothing.
 */
export async function assignToAllegation(svc: Services, actor: Actor, allegationKey: string, userKey: string): Promise<Assignment> {
  requireRole(actor, ['admin', 'analyst', 'documenter'], 'assign users to allegations');
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const { allegationId, userId } = await resolveAssignment(actor, w.trx, allegationKey, userKey);
    if (actor.role === 'documenter') {
      const target = await w.trx.selectFrom('app_user').select('role').where('id', '=', userId).executeTakeFirstOrThrow();
      if (target.role !== 'analyst') throw new VigilError('auth.forbidden', 'a documenter can bring only an analyst onto the case team', { path: 'userId' });
    }
    const existing = await w.trx.selectFrom('allegation_assignment').selectAll().where('allegation_id', '=', allegationId).where('user_id', '=', userId).executeTakeFirst();
    if (existing) return toAssignment(existing);
    // Versioned columns given here: the writer fills them only for the tables it knows as versioned.
    const row = await w.insert('allegation_assignment', {
      id: svc.newId(), external_id: null, allegation_id: allegationId, user_id: userId,
      created_at: w.ctx.at, updated_at: w.ctx.at, version: 1,
    }, 'assign');
    return toAssignment(row);
  });
}

/** Removes a user from an allegation's case team (same rules as assigning; audited as a deletion). */
export async function unassignFromAllegation(svc: Services, actor: Actor, allegationKey: string, userKey: string): Promise<void> {
  requireRole(actor, ['admin', 'analyst'], 'remove users from allegations');
  await runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const { allegationId, userId } = await resolveAssignment(actor, w.trx, allegationKey, userKey);
    const existing = await w.trx.selectFrom('allegation_assignment').select('id').where('allegation_id', '=', allegationId).where('user_id', '=', userId).executeTakeFirst();
    if (!existing) throw new VigilError('record.not_found', 'the user is not assigned to this allegation', { path: 'userId' });
    await w.remove('allegation_assignment', existing.id);
  });
}

/** The users assigned to an allegation the actor can see. */
export async function listAssignments(svc: Services, actor: Actor, allegationKey: string): Promise<Assignment[]> {
  const a = await findVisibleAllegation(actor, svc.store.db, allegationKey);
  const rows = await svc.store.db.selectFrom('allegation_assignment').selectAll().where('allegation_id', '=', a.id).orderBy('created_at').orderBy('id').execute();
  return rows.map(toAssignment);
}

async function findVisibleAllegation(actor: Actor, db: Kysely<Database>, key: string): Promise<{ id: string }> {
  const a = await db.selectFrom('allegation').select(['id', 'sensitivity']).where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)])).executeTakeFirst();
  // An admin manages access without needing to see the allegation; others must see it to share it.
  const visible = a !== undefined && (actor.role === 'admin' || (await canSee(db, actor, a)));
  if (!a || !visible) throw new VigilError('record.not_found', `no allegation with id "${key}"`, { path: 'allegationId' });
  return a;
}

async function resolveAssignment(actor: Actor, trx: Kysely<Database>, allegationKey: string, userKey: string): Promise<{ allegationId: string; userId: string }> {
  const allegation = await findVisibleAllegation(actor, trx, allegationKey);
  const user = await trx.selectFrom('app_user').select(['id', 'disabled']).where((eb) => eb.or([eb('id', '=', userKey), eb('username', '=', userKey)])).executeTakeFirst();
  if (!user || user.disabled === 1) throw new VigilError('reference.missing', `no enabled user "${userKey}"`, { path: 'userId' });
  return { allegationId: allegation.id, userId: user.id };
}

function toAssignment(r: { id: string; allegation_id: string; user_id: string; created_at: string }): Assignment {
  return { id: r.id, allegationId: r.allegation_id, userId: r.user_id, createdAt: r.created_at };
}
