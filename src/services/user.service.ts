import { PasswordInput, UserInput, type User } from '../domain/entities/user.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import { endSessions, requireRole, revokeAllCredentials } from './auth.service.ts';
import * as users from '../store/repositories/user.repository.ts';
import type { Actor, Services } from './context.ts';
import { hashPassword } from './password.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

/** The scrypt hash of a password that passes the strength check (else `validation.invalid` at `password`). */
async function strongPasswordHash(password: string, userWords: string[]): Promise<string> {
  // Loaded on demand: the dictionaries are megabytes that commands setting no password need not read.
  const weakness = (await import('./password-strength.ts')).passwordWeakness(password, userWords);
  if (weakness) throw new VigilError('validation.invalid', weakness, { path: 'password' });
  return hashPassword(password);
}

/**
 * Adds a user; the password (if any) must pass the strength check of password-strength.ts (else `validation.invalid`
 * at `password`) and is stored only as an scrypt hash. A user added without one is invited: they cannot sign in
 * until an admin sets a password with {@link setPassword}.
 */
export async function addUser(svc: Services, actor: Actor, input: unknown): Promise<User> {
  requireRole(actor, ['admin'], 'add users');
  const d = parseInput(UserInput, input);
  const passwordHash = d.password ? await strongPasswordHash(d.password, [d.username, d.displayName ?? '']) : null;
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const taken = await users.findAccountByUsername(w.trx, d.username);
    if (taken) throw new VigilError('record.duplicate', `a user "${d.username}" already exists`, { path: 'username' });
    return users.insertUser(w, {
      id: svc.newId(),
      username: d.username,
      displayName: d.displayName ?? null,
      role: d.role,
      passwordHash,
    });
  });
}

/**
 * Sets a user's password (an invited user can then sign in; a known one is given a new password).
 * The same strength check as {@link addUser}; the user's open sessions end in the same transaction, so
 * whoever knew the old password is signed out. API tokens stay (revoke them with the sessions command).
 */
export async function setPassword(
  svc: Services,
  actor: Actor,
  username: string,
  input: unknown,
): Promise<{ user: User; sessionsEnded: number }> {
  requireRole(actor, ['admin'], 'set passwords');
  const { password } = parseInput(PasswordInput, input);
  const found = await users.findAccountByUsername(svc.store.db, username);
  if (!found) throw new VigilError('record.not_found', `no user "${username}"`, { path: 'username' });
  const passwordHash = await strongPasswordHash(password, [found.username, found.displayName ?? '']);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const u = await users.findAccountByUsername(w.trx, username);
    if (!u) throw new VigilError('record.not_found', `no user "${username}"`, { path: 'username' });
    if (u.disabled) throw new VigilError('validation.invalid', `user "${username}" is disabled`, { path: 'username' });
    const user = await users.setPasswordHash(w, u.id, passwordHash);
    return { user, sessionsEnded: await endSessions(w, u.id) };
  });
}

/** Every user, by username. */
export async function listUsers(svc: Services): Promise<User[]> {
  return users.listUsers(svc.store.db);
}

/** Disables a user (kept for the audit trail, never deleted); their sessions and API tokens end in the same transaction. */
export async function disableUser(svc: Services, actor: Actor, username: string, reason?: string): Promise<User> {
  requireRole(actor, ['admin'], 'disable users');
  return runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    const u = await users.findAccountByUsername(w.trx, username);
    if (!u) throw new VigilError('record.not_found', `no user "${username}"`, { path: 'username' });
    if (u.disabled)
      throw new VigilError('validation.invalid', `user "${username}" is already disabled`, { path: 'username' });
    const user = await users.disableUser(w, u.id);
    await revokeAllCredentials(w, u.id);
    return user;
  });
}
