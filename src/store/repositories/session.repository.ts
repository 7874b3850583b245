/**
 * Browser sessions (`session`): not records, so written directly; sign-in, sign-out and
 * revocation are audit notes the services write. Only hashes of the tokens are stored.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { SIGNED_IN_USER_COLUMNS, toSignedInUser, type SignedInUser } from './user.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A new session, keyed by the hash of its token. */
export async function insertSession(
  db: Db,
  s: { id: string; userId: string; csrfTokenHash: string; at: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token_hash: s.csrfTokenHash,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
      revoked_at: null,
    })
    .execute();
}

/** Deletes the sessions past their absolute end before `at`. */
export async function deleteSessionsExpiredBefore(db: Db, at: string): Promise<void> {
  await db.deleteFrom('session').where('expires_at', '<', at).execute();
}

/** Ends the open session `id` (whoever's it is) at `at`; resolves to its user, or undefined when none was open. */
export async function endSession(db: Db, id: string, at: string): Promise<string | undefined> {
  const r = await db
    .updateTable('session')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return r?.user_id;
}

/** Ends `userId`'s open session `id`; resolves to whether one ended. */
export async function endOwnSession(db: Db, id: string, userId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('session')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends the user's open sessions, all but `keep` when given; resolves to how many ended. */
export async function endUserSessions(db: Db, userId: string, at: string, keep?: string): Promise<number> {
  let q = db
    .updateTable('session')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep !== undefined) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A session with its user and what the second-factor rule says of them. */
export interface SessionWithUser {
  sessionId: string;
  csrfTokenHash: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  user: SignedInUser;
  /** The role must have a second factor and the user has none confirmed. */
  mustEnrol: boolean;
}

/** The session keyed `id`, with its user, or undefined. */
export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .leftJoin('user_second_factor', 'user_second_factor.user_id', 'app_user.id')
    .leftJoin('second_factor_policy', 'second_factor_policy.role', 'app_user.role')
    .select([
      'session.id as session_id',
      'session.csrf_token_hash',
      'session.last_seen_at',
      'session.expires_at',
      'session.revoked_at',
      ...SIGNED_IN_USER_COLUMNS,
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      sessionId: row.session_id,
      csrfTokenHash: row.csrf_token_hash,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      ...toSignedInUser(row),
    }
  );
}

/** Records that the open session `id` was used at `at`. */
export async function touchSession(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('session')
    .set({ last_seen_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}
