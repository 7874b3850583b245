import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { disableUser } from '../../src/services/user.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders, makeUser, manualClock, openAuthServer, type AuthTestServer } from './auth-fixture.ts';
import { capturingLogger } from './server-fixture.ts';

const PASSWORD = 'steppe kettle violet harbour';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type ErrorBody = { code: string; message: string; requestId: string; path?: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name);

describeEachDialect('sign-in, sessions and API tokens', (dialect) => {
  let server: AuthTestServer;
  const time = manualClock();
  const log = capturingLogger();
  let addressCounter = 0;
  /** A client address no other test uses, so the per-address limit of one test does not touch another. */
  const freshAddress = () => `198.51.100.${++addressCounter}`;

  const signIn = (username: string, password: string, remoteAddress = freshAddress()) =>
    server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

  /** Signs in and returns the headers of the new session. */
  async function signedIn(
    username: string,
  ): Promise<{ cookie: { cookie: string }; write: { cookie: string; 'x-csrf-token': string }; csrfToken: string }> {
    const res = await signIn(username, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `vigil_session=${cookieOf(res, 'vigil_session')!.value}`;
    const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
    return { cookie: { cookie }, write: { cookie, 'x-csrf-token': csrfToken }, csrfToken };
  }

  const me = (headers: Record<string, string>) => server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const auditActions = async () =>
    server.svc.store.db
      .selectFrom('audit_entry')
      .select(['seq', 'actor', 'action', 'entity_type', 'entity_id', 'reason'])
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    server = await openAuthServer(dialect, {
      clock: time.clock,
      logger: log.logger,
      policy: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, failureWindowMs: 15 * MINUTE },
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('signs in with a password and sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const alice = await makeUser(server.svc, 'analyst', { password: PASSWORD });
    const res = await signIn(alice.username, PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ user: Record<string, unknown>; csrfToken: string; expiresAt: string }>();
    expect(body.user).toEqual({ id: alice.id, username: alice.username, displayName: null, role: 'analyst' });
    expect(body.expiresAt).toBe(new Date(time.now().getTime() + 12 * HOUR).toISOString());

    const session = cookieOf(res, 'vigil_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
    expect(session.secure).toBeFalsy(); // plain HTTP here; see the HTTPS test below
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const csrf = cookieOf(res, 'vigil_csrf')!;
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/', value: body.csrfToken });
    expect(csrf.httpOnly).toBeFalsy();

    const who = await me({ cookie: `vigil_session=${session.value}` });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({
      user: { id: alice.id, role: 'analyst' },
      via: 'session',
      session: { expiresAt: body.expiresAt },
    });

    // The database keeps hashes only.
    const rows = await server.svc.store.db.selectFrom('session').selectAll().where('user_id', '=', alice.id).execute();
    expect(rows.map((r) => r.id)).toContain(sha256(session.value));
    expect(rows.map((r) => r.csrf_token_hash)).toContain(sha256(body.csrfToken));
    expect(JSON.stringify(rows)).not.toContain(session.value);
    expect(JSON.stringify(rows)).not.toContain(body.csrfToken);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    // Whether both take the same time (the unknown user is checked against a dummy hash) is
    // measured by `npm run bench -- signin-timing`, not asserted here.
    const known = [];
    for (let i = 0; i < 3; i++) known.push(await makeUser(server.svc, 'viewer', { password: PASSWORD }));
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await signIn(known[i]!.username, 'not the password at all'));
      answers.push(await signIn(`nobody-${i}`, 'not the password at all'));
    }
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      const { requestId: _, ...rest } = res.json<ErrorBody>();
      expect(rest).toEqual({ code: 'auth.invalid_credentials', message: 'wrong username or password' });
      expect(res.cookies).toEqual([]);
    }
  });

  it('refuses an account after 3 failures in 15 minutes from any address, with Retry-After, even with the right password', async () => {
    const carol = await makeUser(server.svc, 'documenter', { password: PASSWORD });
    for (let i = 0; i < 3; i++) expect((await signIn(carol.username, 'wrong password!')).statusCode).toBe(401);
    const limited = await signIn(carol.username, PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'auth.rate_limited' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Other accounts are not affected.
    const dave = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    expect((await signIn(dave.username, PASSWORD)).statusCode).toBe(200);

    time.advance(retryAfter * 1000);
    expect((await signIn(carol.username, PASSWORD)).statusCode).toBe(200);
  });

  it('refuses an address after 5 failures in 15 minutes, whatever the usernames, and not other addresses', async () => {
    const erin = await makeUser(server.svc, 'monitor', { password: PASSWORD });
    const address = freshAddress();
    for (let i = 0; i < 5; i++) expect((await signIn(`guess-${i}`, 'whatever password', address)).statusCode).toBe(401);
    const limited = await signIn(erin.username, PASSWORD, address);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'auth.rate_limited' });
    expect((await signIn(erin.username, PASSWORD, freshAddress())).statusCode).toBe(200);
    time.advance(15 * MINUTE);
    expect((await signIn(erin.username, PASSWORD, address)).statusCode).toBe(200);
  });

  it('refuses a disabled user, and disabling a user ends their sessions and API tokens', async () => {
    const frank = await makeUser(server.svc, 'analyst', { password: PASSWORD });
    const session = await signedIn(frank.username);
    const token = await bearerHeaders(server.svc, frank);
    expect((await me(session.cookie)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(200);

    await disableUser(server.svc, SYSTEM, frank.username, 'left the organisation');
    expect((await me(session.cookie)).statusCode).toBe(401);
    expect((await me(token)).statusCode).toBe(401);
    const again = await signIn(frank.username, PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'auth.invalid_credentials', message: 'wrong username or password' });
    const stored = await server.svc.store.db
      .selectFrom('session')
      .select('revoked_at')
      .where('user_id', '=', frank.id)
      .execute();
    expect(stored.every((s) => s.revoked_at !== null)).toBe(true);
  });

  it('ends a session after 2 idle hours, and 12 hours after sign-in however active', async () => {
    const grace = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    const idle = await signedIn(grace.username);
    time.advance(2 * HOUR - MINUTE);
    expect((await me(idle.cookie)).statusCode).toBe(200); // used: the idle clock starts again
    time.advance(2 * HOUR - MINUTE);
    expect((await me(idle.cookie)).statusCode).toBe(200);
    time.advance(2 * HOUR);
    const expired = await me(idle.cookie);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'auth.required' });
    expect(expired.json<ErrorBody>().message).toContain('session has ended');
    expect(cookieOf(expired, 'vigil_session')).toMatchObject({ value: '', maxAge: 0 }); // the browser is told to drop it

    const busy = await signedIn(grace.username);
    for (let h = 1; h < 12; h++) {
      time.advance(HOUR);
      expect((await me(busy.cookie)).statusCode, `after ${h} hours`).toBe(200);
    }
    time.advance(HOUR);
    expect((await me(busy.cookie)).statusCode).toBe(401);
  });

  it('signs out: the session ends and its cookies are cleared', async () => {
    const heidi = await makeUser(server.svc, 'documenter', { password: PASSWORD });
    const session = await signedIn(heidi.username);
    const out = await server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.write });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect(cookieOf(out, 'vigil_session')).toMatchObject({ value: '', maxAge: 0 });
    expect(cookieOf(out, 'vigil_csrf')).toMatchObject({ value: '', maxAge: 0 });
    expect((await me(session.cookie)).statusCode).toBe(401);
  });

  it('needs the CSRF token on cookie-authenticated writes, and none on token-authenticated ones', async () => {
    const ivan = await makeUser(server.svc, 'analyst', { password: PASSWORD });
    const session = await signedIn(ivan.username);
    const other = await signedIn(ivan.username);
    const makeToken = (headers: Record<string, string>) =>
      server.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'export script' }, headers });

    for (const headers of [
      session.cookie,
      { ...session.cookie, 'x-csrf-token': 'forged' },
      { ...session.cookie, 'x-csrf-token': other.csrfToken },
    ]) {
      const refused = await makeToken(headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'auth.csrf_failed' });
    }
    expect(
      await server.svc.store.db.selectFrom('api_token').select('id').where('user_id', '=', ivan.id).execute(),
    ).toEqual([]);
    // Reads need no CSRF token.
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: session.cookie })).statusCode,
    ).toBe(200);

    const made = await makeToken(session.write);
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json<{ id: string; token: string }>();
    const bearer = { authorization: `Bearer ${token}` };
    // A token cannot make more tokens, but writes with it need no CSRF token.
    expect((await makeToken(bearer)).json()).toMatchObject({ code: 'auth.forbidden' });
    const revoked = await server.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: bearer });
    expect(revoked.statusCode).toBe(204);
  });

  it('shows an API token once, stores only its hash, lists it by prefix, and refuses it once revoked', async () => {
    const judy = await makeUser(server.svc, 'monitor', { password: PASSWORD });
    const session = await signedIn(judy.username);
    const made = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      payload: { name: 'nightly export' },
      headers: session.write,
    });
    const created = made.json<{ id: string; token: string; prefix: string; name: string }>();
    expect(created.token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));

    const rows = await server.svc.store.db.selectFrom('api_token').selectAll().where('user_id', '=', judy.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(10));

    const list = await server.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: session.cookie });
    expect(list.json()).toEqual({
      items: [
        {
          id: created.id,
          name: 'nightly export',
          prefix: created.prefix,
          createdAt: expect.any(String),
          lastUsedAt: null,
          revokedAt: null,
          scope: 'full',
        },
      ],
    });
    expect(list.body).not.toContain(created.token);

    const bearer = { authorization: `Bearer ${created.token}` };
    const who = await me(bearer);
    expect(who.json()).toMatchObject({ user: { id: judy.id, role: 'monitor' }, via: 'token', session: null });
    // Someone else's token looks like no token at all.
    const stranger = await bearerHeaders(server.svc, 'viewer');
    const foreign = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${created.id}`,
      headers: stranger,
    });
    expect(foreign.statusCode).toBe(404);

    await server.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${created.id}`, headers: session.write });
    const after = await me(bearer);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    expect(after.json()).toMatchObject({ code: 'auth.required' });
    expect((await me({ authorization: 'Bearer vgl_not-a-token' })).statusCode).toBe(401);
    expect((await me({ authorization: 'Basic dXNlcjpwYXNz' })).statusCode).toBe(401);
  });

  it('lets an admin add users and end all sessions of a user; nobody else', async () => {
    const admin = await makeUser(server.svc, 'admin', { password: PASSWORD });
    const adminSession = await signedIn(admin.username);
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adminSession.write,
      payload: { username: 'kate', role: 'documenter', displayName: 'Kate', password: PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'kate', role: 'documenter', disabled: false });
    expect(created.body).not.toContain('scrypt');
    const short = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adminSession.write,
      payload: { username: 'leo', role: 'viewer', password: 'short' },
    });
    expect(short.json()).toMatchObject({ code: 'validation.invalid', path: 'password' });

    const kate1 = await signedIn('kate');
    const kate2 = await signedIn('kate');
    const listed = await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: adminSession.cookie });
    expect(listed.json<{ items: Array<{ username: string }> }>().items.map((u) => u.username)).toContain('kate');
    expect(listed.body).not.toContain('scrypt');

    const byKate = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users/kate/revoke-sessions',
      headers: kate1.write,
    });
    expect(byKate.statusCode).toBe(403);
    const revoked = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users/kate/revoke-sessions',
      headers: adminSession.write,
    });
    expect(revoked.json()).toEqual({ revoked: 2, tokensRevoked: 0 });
    expect((await me(kate1.cookie)).statusCode).toBe(401);
    expect((await me(kate2.cookie)).statusCode).toBe(401);
    expect((await me(adminSession.cookie)).statusCode).toBe(200);
  });

  it('writes sign-in, failed sign-in, sign-out, token and revocation to the audit log, and the chain verifies', async () => {
    const mallory = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    const before = (await auditActions()).length;
    await signIn(mallory.username, 'a wrong password');
    await signIn('no-such-user', 'a wrong password');
    const session = await signedIn(mallory.username);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        payload: { name: 'audit' },
        headers: session.write,
      })
    ).json<{ id: string }>();
    await server.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${token.id}`, headers: session.write });
    await server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.write });

    const entries = (await auditActions())
      .slice(before)
      .map((e) => ({ actor: e.actor, action: e.action, entity: `${e.entity_type} ${e.entity_id}`, reason: e.reason }));
    expect(entries).toEqual([
      { actor: 'anonymous', action: 'auth.login_failed', entity: `app_user ${mallory.id}`, reason: 'wrong password' },
      { actor: 'anonymous', action: 'auth.login_failed', entity: 'app_user unknown', reason: 'unknown user' },
      { actor: mallory.id, action: 'auth.login', entity: `app_user ${mallory.id}`, reason: null },
      { actor: mallory.id, action: 'auth.token_create', entity: `api_token ${token.id}`, reason: null },
      { actor: mallory.id, action: 'auth.token_revoke', entity: `api_token ${token.id}`, reason: null },
      { actor: mallory.id, action: 'auth.logout', entity: `app_user ${mallory.id}`, reason: null },
    ]);
    // Disabling a user ends their sessions: that is audited too.
    const ivan = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    await signedIn(ivan.username);
    await disableUser(server.svc, SYSTEM, ivan.username, 'left the organisation');
    const all = await auditActions();
    expect(all.some((e) => e.action === 'auth.sessions_revoke' && e.entity_id === ivan.id)).toBe(true);
    expect(JSON.stringify(all)).not.toContain('no-such-user');
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });

  it('logs sign-ins without passwords, tokens or usernames', async () => {
    const nina = await makeUser(server.svc, 'analyst', { username: 'nina-unique-name', password: PASSWORD });
    const before = log.text().length;
    const res = await signIn(nina.username, PASSWORD);
    await signIn(nina.username, 'Wrong-Password-Never-Logged');
    const text = log.text().slice(before);
    expect(text).toContain('signed in');
    expect(text).toContain(nina.id);
    for (const secret of [
      PASSWORD,
      'Wrong-Password-Never-Logged',
      nina.username,
      cookieOf(res, 'vigil_session')!.value,
      res.json<{ csrfToken: string }>().csrfToken,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describeEachDialect('session cookies over HTTPS', (dialect) => {
  let plain: AuthTestServer;
  let forced: AuthTestServer;

  beforeAll(async () => {
    plain = await openAuthServer(dialect, { trustProxy: true });
    forced = await openAuthServer(dialect, { cookieSecurity: 'always' });
  });
  afterAll(async () => {
    await plain?.dispose();
    await forced?.dispose();
  });

  it('marks the cookies Secure when the request came over HTTPS, or always with VIGIL_COOKIE_SECURE', async () => {
    for (const [server, headers] of [
      [plain, { 'x-forwarded-proto': 'https' }],
      [forced, {}],
    ] as const) {
      await makeUser(server.svc, 'viewer', { username: 'olga', password: PASSWORD });
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'olga', password: PASSWORD },
        headers,
      });
      expect(res.statusCode).toBe(200);
      expect(cookieOf(res, 'vigil_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
      expect(cookieOf(res, 'vigil_csrf')).toMatchObject({ secure: true, sameSite: 'Strict' });
    }
  });
});
