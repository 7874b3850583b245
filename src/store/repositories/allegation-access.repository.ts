/**
 * Need-to-know in SQL: which allegations a user may see. An allegation whose sensitivity is in
 * {@link NEED_TO_KNOW_SENSITIVITIES} is visible only to the users assigned to it
 * (`allegation_assignment`); every other allegation is visible to every signed-in user. Who is
 * exempt (Vigil's own work) is decided by the caller, in src/services/access.service.ts.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type Selectable, type Transaction } from 'kysely';
import { NEED_TO_KNOW_SENSITIVITIES } from '../../domain/policy.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import type { AllegationAssignmentTable, Database } from '../schema.ts';
import { visibleCondition } from './need-to-know.repository.ts';

type Handle = Kysely<Database> | Transaction<Database>;

export { NEED_TO_KNOW_SENSITIVITIES } from '../../domain/policy.ts';

/**
 * Narrows a query on `allegation` to the rows `userId` may see.
 *
 * @example
 *   const rows = await whereVisibleTo(db.selectFrom('allegation').selectAll(), userId).execute();
 */
export function whereVisibleTo<O>(
  qb: SelectQueryBuilder<Database, 'allegation', O>,
  userId: string,
  /** The need-to-know sensitivities as bound values (a compiled query passes its placeholders here). */
  sensitivities: readonly string[] = NEED_TO_KNOW_SENSITIVITIES,
): SelectQueryBuilder<Database, 'allegation', O> {
  return qb.where((eb) =>
    eb.or([
      eb('allegation.sensitivity', 'not in', [...sensitivities]),
      eb.exists(
        eb
          .selectFrom('allegation_assignment')
          .select('allegation_assignment.id')
          .whereRef('allegation_assignment.allegation_id', '=', 'allegation.id')
          .where('allegation_assignment.user_id', '=', userId),
      ),
    ]),
  );
}

/**
 * The same rule as a condition on a search document aliased `d`: documents of unguarded entity types
 * pass; an allegation's document passes unless its allegation needs to be known and `userId` is
 * not assigned to it; a source's document passes when the source would (its links, see
 * need-to-know.repository.ts).
 */
export function searchDocVisibleTo(userId: string): RawBuilder<unknown> {
  return sql`(d.entity_type NOT IN ('allegation', 'source')
    OR (d.entity_type = 'allegation' AND NOT EXISTS (
      SELECT 1 FROM allegation na
      WHERE na.id = d.entity_id
        AND na.sensitivity IN (${sql.join([...NEED_TO_KNOW_SENSITIVITIES])})
        AND NOT EXISTS (SELECT 1 FROM allegation_assignment nx WHERE nx.allegation_id = na.id AND nx.user_id = ${userId})))
    OR (d.entity_type = 'source' AND ${visibleCondition('source', 'd.entity_id', userId)}))`;
}

/** An assignment of a user to an allegation's case team. */
export interface Assignment {
  id: string;
  allegationId: string;
  userId: string;
  createdAt: string;
}

function toAssignment(r: Selectable<AllegationAssignmentTable>): Assignment {
  return { id: r.id, allegationId: r.allegation_id, userId: r.user_id, createdAt: r.created_at };
}

/** The assignment of `userId` to the allegation; undefined when they are not on its case team. */
export async function findAssignment(
  db: Handle,
  allegationId: string,
  userId: string,
): Promise<Assignment | undefined> {
  const r = await db
    .selectFrom('allegation_assignment')
    .selectAll()
    .where('allegation_id', '=', allegationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r && toAssignment(r);
}

/** An allegation's case team, in the order they were assigned. */
export async function listAssignmentsOf(db: Handle, allegationId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('allegation_assignment')
    .selectAll()
    .where('allegation_id', '=', allegationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAssignment);
}

/** An enabled or disabled user by id or username, with their role, as a case team names them; undefined when none. */
export async function findTeamUser(
  db: Handle,
  key: string,
): Promise<{ id: string; role: string; disabled: boolean } | undefined> {
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'role', 'disabled'])
    .where((eb) => eb.or([eb('id', '=', key), eb('username', '=', key)]))
    .executeTakeFirst();
  return u && { id: u.id, role: u.role, disabled: u.disabled === 1 };
}

/** Takes a user off an allegation's case team (audited as a deletion). */
export function removeAssignment(w: AuditedWriter, id: string): Promise<void> {
  return w.remove('allegation_assignment', id);
}

/**
 * Puts a user on an allegation's case team (audited, `assign`). The version columns are given here:
 * the writer fills them only for the tables it knows as versioned.
 */
export async function insertAssignment(
  w: AuditedWriter,
  a: { id: string; allegationId: string; userId: string },
): Promise<Assignment> {
  return toAssignment(
    await w.insert(
      'allegation_assignment',
      {
        id: a.id,
        external_id: null,
        allegation_id: a.allegationId,
        user_id: a.userId,
        created_at: w.ctx.at,
        updated_at: w.ctx.at,
        version: 1,
      },
      'assign',
    ),
  );
}
