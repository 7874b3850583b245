import { UserInput, type User } from '../domain/entities/user.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import { requireRole, revokeAllCredentials } from './auth.service.ts';
import { orNull } from '../store/repositories/json-column.ts';
import type { Actor, Services } from './context.ts';
import { hashPassword } from './password.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

function toUser(r: {
  id: string;
  username: string;
  display_name: string | null;
  role: string;
  disabled: number;
  created_at: string;
}): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}

/**
 * Adds a user; the password (if any) must pass the strength check of password-strength.ts (else `validation.invalid`
 * at `password`) and is stored only as an scrypt hash.
 */
export async function addUser(svc: Services, actor: Actor, input: unknown): Promise<User> {
  requireRole(actor, ['admin'], 'add users');
  const d = parseInput(UserInput, input);
  // Loaded on demand: the dictionaries are megabytes that commands setting no password need not read.
  const weakness = d.password
    ? (await import('./password-strength.ts')).passwordWeakness(d.password, [d.username, d.displayName ?? ''])
    : null;
  if (weakness) throw new VigilError('validation.invalid', weakness, { path: 'password' });
  const passwordHash = d.password ? await hashPassword(d.password) : null;
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const taken = await w.trx.selectFrom('app_user').select('id').where('username', '=', d.username).executeTakeFirst();
    if (taken) throw new VigilError('record.duplicate', `a user "${d.username}" already exists`, { path: 'username' });
    const row = await w.insert('app_user', {
      id: svc.newId(),
      external_id: null,
      username: d.username,
      display_name: orNull(d.displayName),
      role: d.role,
      disabled: 0,
      password_hash: passwordHash,
    });
    return toUser(row);
  });
}

/** Every user, by username. */
export async function listUsers(svc: Services): Promise<User[]> {
  const rows = await svc.store.db.selectFrom('app_user').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

/** Disables a user (kept for the audit trail, never deleted); their sessions and API tokens end in the same transaction. */
export async function disableUser(svc: Services, actor: Actor, username: string, reason?: string): Promise<User> {
  requireRole(actor, ['admin'], 'disable users');
  return runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    const u = await w.trx
      .selectFrom('app_user')
      .select(['id', 'disabled'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!u) throw new VigilError('record.not_found', `no user "${username}"`, { path: 'username' });
    if (u.disabled === 1)
      throw new VigilError('validation.invalid', `user "${username}" is already disabled`, { path: 'username' });
    const user = toUser(await w.update('app_user', u.id, { disabled: 1 }, { action: 'disable' }));
    await revokeAllCredentials(w, u.id);
    return user;
  });
}
