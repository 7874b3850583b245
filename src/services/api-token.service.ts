/**
 * API tokens for scripts: `vgl_` and 43 base64url characters (256 random bits). The token is
 * returned once, when it is made; the database keeps its SHA-256 and its first characters (to
 * tell tokens apart in a list). A token acts with its user's current role, and stops working
 * when revoked or when its user is disabled. Creation and revocation are audit notes
 * (`auth.token_create`, `auth.token_revoke`) on the token.
 *
 * A token's scope is `full` (it acts with its user's role) or `witness`: a token an admin hands to
 * a partner instance, which may only deliver and read signed heads (docs/witnesses.md).
 */
import { z } from 'zod';
import { VigilError } from '../domain/errors.ts';
import type { UserRole } from '../domain/vocabularies.ts';
import { runWrite } from '../store/audited-writer.ts';
import * as tokens from '../store/repositories/api-token.repository.ts';
import * as users from '../store/repositories/user.repository.ts';
import { newSecret, secretHash } from './auth-secrets.ts';
import type { SignedInUser } from './auth.service.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

/** Every token starts with this, so secret scanners and people can recognise one. */
const TOKEN_PREFIX = 'vgl_';
const TOKEN_RE = /^vgl_[A-Za-z0-9_-]{43}$/;
/** How much of a token is kept in the clear: the prefix and six characters. */
const SHOWN = TOKEN_PREFIX.length + 6;
const TOUCH_EVERY_MS = 60_000;

/** What a token may do: everything its user's role may (`full`), or only the witness routes (`witness`). */
const TOKEN_SCOPES = ['full', 'witness'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const ApiTokenInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters')
    .describe('What the token is for, e.g. "nightly export"'),
  scope: z
    .enum(TOKEN_SCOPES)
    .default('full')
    .describe(
      '`full` (default): acts with your role; `witness`: for a partner instance, which may only deliver and read signed heads (admins only)',
    ),
});
export type ApiTokenInput = z.input<typeof ApiTokenInput>;

/** A token as its owner sees it in a list: never the token itself. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scope: TokenScope;
}

/** A token that authenticated a request. */
export interface TokenAuth {
  actor: Actor;
  user: SignedInUser;
  tokenId: string;
  scope: TokenScope;
  /** The role must have a second factor and the user has none yet: the token can do nothing until they enrol. */
  mustEnrol: boolean;
}

function info(r: tokens.ApiTokenRecord): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
    scope: scopeOf(r.scope),
  };
}

/** A stored scope; anything unknown is the narrowest one, so a damaged row never widens a token. */
function scopeOf(stored: string): TokenScope {
  return stored === 'full' ? 'full' : 'witness';
}

/** Makes a token for the actor; the result is the only place the token ever appears. */
export async function createApiToken(
  svc: Services,
  actor: Actor,
  input: ApiTokenInput,
): Promise<ApiTokenInfo & { token: string }> {
  const d = parseInput(ApiTokenInput, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const user = await users.findAccount(w.trx, actor.id);
    if (!user || user.disabled) throw new VigilError('auth.forbidden', 'only an enabled user can hold API tokens');
    // Handing a partner a witness token is a decision about whom this instance trusts to hold its heads.
    if (d.scope === 'witness' && actor.role !== 'admin')
      throw new VigilError('auth.forbidden', 'only an admin can make a token with the witness scope', {
        path: 'scope',
      });
    const token = `${TOKEN_PREFIX}${newSecret()}`;
    const row: tokens.ApiTokenRecord = {
      id: svc.newId(),
      userId: user.id,
      name: d.name,
      prefix: token.slice(0, SHOWN),
      createdAt: w.ctx.at,
      lastUsedAt: null,
      revokedAt: null,
      scope: d.scope,
    };
    await tokens.insertApiToken(w.trx, { ...row, tokenHash: secretHash(token) });
    w.note('auth.token_create', 'api_token', row.id);
    return { ...info(row), token };
  });
}

/** The actor's own tokens, newest first, revoked ones included (with `revokedAt`). */
export async function listApiTokens(svc: Services, actor: Actor): Promise<ApiTokenInfo[]> {
  return (await tokens.listUserTokens(svc.store.db, actor.id)).map(info);
}

/**
 * Revokes a token: the owner's own, or anyone's for an admin. Someone else's token is
 * `record.not_found`, as if it did not exist. Revoking a revoked token changes nothing.
 */
export async function revokeApiToken(svc: Services, actor: Actor, tokenId: string): Promise<void> {
  await runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const t = await tokens.findTokenOwner(w.trx, tokenId);
    const mayRevoke = t !== undefined && (t.userId === actor.id || actor.role === 'admin' || actor.role === 'system');
    if (!t || !mayRevoke) throw new VigilError('record.not_found', `no API token "${tokenId}"`, { path: 'id' });
    if (t.revokedAt !== null) return;
    await tokens.revokeToken(w.trx, t.id, w.ctx.at);
    w.note('auth.token_revoke', 'api_token', t.id);
  });
}

/** The user an API token stands for, or null if it is malformed, unknown, revoked, or its user is disabled. */
export async function authenticateToken(svc: Services, token: string): Promise<TokenAuth | null> {
  if (!TOKEN_RE.test(token)) return null;
  const row = await tokens.findTokenWithUser(svc.store.db, secretHash(token));
  if (!row || row.revokedAt !== null || row.user.disabled) return null;
  const now = svc.clock();
  if (row.lastUsedAt === null || now.getTime() - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS) {
    await tokens.touchToken(svc.store.db, row.tokenId, now.toISOString());
  }
  const { id, username, displayName } = row.user;
  const role = row.user.role as UserRole;
  return {
    actor: { id, role },
    user: { id, username, displayName, role },
    tokenId: row.tokenId,
    scope: scopeOf(row.scope),
    mustEnrol: row.mustEnrol,
  };
}
