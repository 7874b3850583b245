/**
 * API tokens (`api_token`): not records, so written directly; creation and revocation are audit
 * notes the services write. Only the hash of a token and its first characters are stored.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ApiTokenTable, Database } from '../schema.ts';
import { SIGNED_IN_USER_COLUMNS, toSignedInUser, type SignedInUser } from './user.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A token as stored, without its hash. */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scope: string;
}

function toRecord(r: Omit<Selectable<ApiTokenTable>, 'token_hash'>): ApiTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    scope: r.scope,
  };
}

/** Stores a new token. */
export async function insertApiToken(db: Db, t: ApiTokenRecord & { tokenHash: string }): Promise<void> {
  await db
    .insertInto('api_token')
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      prefix: t.prefix,
      created_at: t.createdAt,
      last_used_at: t.lastUsedAt,
      revoked_at: t.revokedAt,
      scope: t.scope,
    })
    .execute();
}

/** A user's tokens, newest first, revoked ones included. */
export async function listUserTokens(db: Db, userId: string): Promise<ApiTokenRecord[]> {
  const rows = await db
    .selectFrom('api_token')
    .select(['id', 'user_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'scope'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The token `id`'s owner and revocation, or undefined. */
export async function findTokenOwner(
  db: Db,
  id: string,
): Promise<{ id: string; userId: string; revokedAt: string | null } | undefined> {
  const t = await db
    .selectFrom('api_token')
    .select(['id', 'user_id', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return t && { id: t.id, userId: t.user_id, revokedAt: t.revoked_at };
}

/** Revokes token `id` at `at`. */
export async function revokeToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Revokes every open token of a user at `at`; resolves to how many. */
export async function revokeUserTokens(db: Db, userId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A token with its user and what the second-factor rule says of them. */
export interface TokenWithUser {
  tokenId: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scope: string;
  user: SignedInUser;
  /** The role must have a second factor and the user has none confirmed. */
  mustEnrol: boolean;
}

/** The token whose hash is `tokenHash`, with its user, or undefined. */
export async function findTokenWithUser(db: Db, tokenHash: string): Promise<TokenWithUser | undefined> {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .leftJoin('user_second_factor', 'user_second_factor.user_id', 'app_user.id')
    .leftJoin('second_factor_policy', 'second_factor_policy.role', 'app_user.role')
    .select([
      'api_token.id as token_id',
      'api_token.last_used_at',
      'api_token.revoked_at',
      'api_token.scope',
      ...SIGNED_IN_USER_COLUMNS,
    ])
    .where('api_token.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      tokenId: row.token_id,
      lastUsedAt: row.last_used_at,
      revokedAt: row.revoked_at,
      scope: row.scope,
      ...toSignedInUser(row),
    }
  );
}

/** Records that token `id` was used at `at`. */
export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}
