import { afterEach, beforeEach, expect, it } from 'vitest';
import { authenticateSession, login } from '../../src/services/auth.service.ts';
import { SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { addUser, disableUser, listUsers, setPassword } from '../../src/services/user.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestServices } from '../support/factories.ts';
import { refusalOf } from '../support/refusal.ts';

const STRONG = 'violet harbour quietly 4 lanterns';
const OTHER = 'copper meadow sings 9 times';

/** The code and field of a refusal, as one string. */
const codeOf = async (call: () => Promise<unknown>) => {
  const r = await refusalOf(call);
  return `${r.code} at ${r.path}`;
};

describeEachDialect('setting a password', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  const signIn = (password: string) => login(svc, { username: 'nadia', password, address: '127.0.0.1' });

  it('lets an invited user sign in once an admin sets a password, and ends the sessions of a known one', async () => {
    const added = await addUser(svc, SYSTEM, { username: 'nadia', role: 'documenter' });
    expect(added.invited).toBe(true);
    expect(await codeOf(() => signIn(STRONG))).toBe('auth.invalid_credentials at undefined');

    const first = await setPassword(svc, SYSTEM, 'nadia', { password: STRONG });
    expect(first).toMatchObject({ user: { username: 'nadia', invited: false }, sessionsEnded: 0 });
    expect((await listUsers(svc)).find((u) => u.username === 'nadia')?.invited).toBe(false);
    const session = await signIn(STRONG);

    const second = await setPassword(svc, SYSTEM, 'nadia', { password: OTHER });
    expect(second.sessionsEnded).toBe(1);
    expect(await authenticateSession(svc, session.sessionToken)).toBeNull();
    expect(await codeOf(() => signIn(STRONG))).toBe('auth.invalid_credentials at undefined');
    await signIn(OTHER);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('refuses a weak password, an unknown or disabled user, and anyone but an admin', async () => {
    const nadia = await addUser(svc, SYSTEM, { username: 'nadia', role: 'documenter', password: STRONG });
    const documenter: Actor = { id: nadia.id, role: 'documenter' };
    expect(await codeOf(() => setPassword(svc, SYSTEM, 'nadia', { password: 'nadia1234567' }))).toBe(
      'validation.invalid at password',
    );
    expect(await codeOf(() => setPassword(svc, SYSTEM, 'nobody', { password: OTHER }))).toBe(
      'record.not_found at username',
    );
    expect(await codeOf(() => setPassword(svc, documenter, 'nadia', { password: OTHER }))).toMatch(/^auth\.forbidden/);
    await disableUser(svc, SYSTEM, 'nadia');
    expect(await codeOf(() => setPassword(svc, SYSTEM, 'nadia', { password: OTHER }))).toBe(
      'validation.invalid at username',
    );
  });
});
