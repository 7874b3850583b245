/** The users of this instance (`app_user`): who they are, their role, whether they may sign in. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { User } from '../../domain/entities/user.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import type { AppUserTable, Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A user with what signing in checks: never shown beyond the services. */
export interface UserAccount {
  id: string;
  username: string;
  displayName: string | null;
  role: string;
  disabled: boolean;
  passwordHash: string | null;
}

function toUser(r: Selectable<AppUserTable>): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    invited: r.password_hash === null,
    createdAt: r.created_at,
  };
}

function toAccount(r: Selectable<AppUserTable>): UserAccount {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    passwordHash: r.password_hash,
  };
}

/** Records a new, enabled user. */
export async function insertUser(
  w: AuditedWriter,
  u: { id: string; username: string; displayName: string | null; role: string; passwordHash: string | null },
): Promise<User> {
  const row = await w.insert('app_user', {
    id: u.id,
    external_id: null,
    username: u.username,
    display_name: u.displayName,
    role: u.role,
    disabled: 0,
    password_hash: u.passwordHash,
  });
  return toUser(row);
}

/** Disables a user (audited as `disable`). */
export async function disableUser(w: AuditedWriter, id: string): Promise<User> {
  return toUser(await w.update('app_user', id, { disabled: 1 }, { action: 'disable' }));
}

/** Sets a user's password hash (audited as `auth.password_set`; the hash itself is recorded only as changed). */
export async function setPasswordHash(w: AuditedWriter, id: string, passwordHash: string): Promise<User> {
  return toUser(await w.update('app_user', id, { password_hash: passwordHash }, { action: 'auth.password_set' }));
}

/** Every user, by username. */
export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom('app_user').selectAll().orderBy('username').execute()).map(toUser);
}

/** The account with this username, or undefined. */
export async function findAccountByUsername(db: Db, username: string): Promise<UserAccount | undefined> {
  const r = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  return r && toAccount(r);
}

/** The account with this id, or undefined. */
export async function findAccount(db: Db, id: string): Promise<UserAccount | undefined> {
  const r = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toAccount(r);
}

/** The id of the user with this id or username, or undefined. */
export async function findUserId(db: Db, key: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', key), eb('username', '=', key)]))
    .executeTakeFirst();
  return r?.id;
}

/** The signed-in user as a session or an API token carries them. */
export interface SignedInUser {
  id: string;
  username: string;
  displayName: string | null;
  role: string;
  disabled: boolean;
}

/**
 * The signed-in user's columns, for a query that joins `app_user` (as the credential's user) with
 * `user_second_factor` and `second_factor_policy` (left joins on the user and on its role).
 */
export const SIGNED_IN_USER_COLUMNS = [
  'app_user.id',
  'app_user.username',
  'app_user.display_name',
  'app_user.role',
  'app_user.disabled',
  'user_second_factor.confirmed_at as factor_confirmed_at',
  'second_factor_policy.role as factor_required_for',
] as const;

/** A row selected with {@link SIGNED_IN_USER_COLUMNS}. */
export interface SignedInUserRow {
  id: string;
  username: string;
  display_name: string | null;
  role: string;
  disabled: number;
  factor_confirmed_at: string | null;
  factor_required_for: string | null;
}

/** The user of a row selected with {@link SIGNED_IN_USER_COLUMNS}, and whether they must still enrol a second factor (their role needs one and they have none confirmed). */
export function toSignedInUser(row: SignedInUserRow): { user: SignedInUser; mustEnrol: boolean } {
  return {
    user: {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      disabled: row.disabled === 1,
    },
    mustEnrol: row.factor_required_for !== null && row.factor_confirmed_at === null,
  };
}
