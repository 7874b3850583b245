import type { LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders, makeUser, manualClock, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const PASSWORD = 'quiet-lantern-orbit-meadow';
const STEP = 30_000;
const MINUTE = 60_000;

type Headers = { cookie: string; 'x-csrf-token': string };
const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name);

describeEachDialect('second factor (TOTP and recovery codes)', (dialect) => {
  let server: AuthTestServer;
  const time = manualClock();
  let addressCounter = 0;
  const freshAddress = () => `203.0.113.${++addressCounter}`;

  /** The code an authenticator app shows now, computed with the same library the server uses. */
  const codeAt = (secret: string, at = time.now()) =>
    OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp: at.getTime() });

  const signIn = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { password: PASSWORD, ...payload },
      remoteAddress: freshAddress(),
      headers,
    });
  const headersOf = (res: LightMyRequestResponse): Headers => ({
    cookie: `vigil_session=${cookieOf(res, 'vigil_session')!.value}`,
    'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
  });
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) =>
    server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  const auditCount = async () =>
    Number(
      (
        await server.svc.store.db
          .selectFrom('audit_entry')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditOf = async (entityId: string) =>
    (
      await server.svc.store.db
        .selectFrom('audit_entry')
        .select(['action', 'actor', 'reason'])
        .where('entity_id', '=', entityId)
        .orderBy('seq')
        .execute()
    ).map((e) => e.action);

  /** A user with a password, signed in through the login route. */
  async function signedInUser(role: 'admin' | 'analyst' | 'documenter' | 'viewer') {
    const user = await makeUser(server.svc, role, { password: PASSWORD });
    const res = await signIn({ username: user.username });
    expect(res.statusCode, res.body).toBe(200);
    return { ...user, headers: headersOf(res), login: res.json<{ mustEnrol: boolean }>() };
  }

  /** Enrols `headers`' user and moves the clock past the confirming code's step. */
  async function enrol(headers: Headers): Promise<{ secret: string; recoveryCodes: string[] }> {
    const started = await call('POST', '/auth/totp', headers);
    expect(started.statusCode, started.body).toBe(201);
    const { secret } = started.json<{ secret: string }>();
    const confirmed = await call('POST', '/auth/totp/confirm', headers, { code: codeAt(secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    time.advance(STEP);
    return { secret, recoveryCodes: confirmed.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }

  beforeAll(async () => {
    server = await openAuthServer(dialect, {
      clock: time.clock,
      policy: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 50, failureWindowMs: 15 * MINUTE },
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('enrols with a secret and an otpauth:// address, stores the secret sealed and the recovery codes hashed', async () => {
    const ana = await signedInUser('analyst');
    expect(ana.login.mustEnrol).toBe(false);
    const started = await call('POST', '/auth/totp', ana.headers);
    expect(started.statusCode).toBe(201);
    expect(started.headers['cache-control']).toBe('no-store');
    const body = started.json<{ secret: string; otpauthUrl: string; expiresAt: string }>();
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(body.secret);
    expect(url.searchParams.get('issuer')).toBe('Vigil');
    expect(decodeURIComponent(url.pathname)).toContain(ana.username);
    expect(body.expiresAt).toBe(new Date(time.now().getTime() + 15 * MINUTE).toISOString());

    const row = await server.svc.store.db
      .selectFrom('user_second_factor')
      .selectAll()
      .where('user_id', '=', ana.id)
      .executeTakeFirstOrThrow();
    expect(row.confirmed_at).toBeNull();
    expect(row.totp_secret).not.toContain(body.secret);
    expect(server.svc.keyring.open(row.totp_secret, { field: 'app_user.totp_secret', recordId: ana.id })).toBe(
      body.secret,
    );
    // Bound to the user: the same sealed value does not open as someone else's secret.
    expect(() =>
      server.svc.keyring.open(row.totp_secret, { field: 'app_user.totp_secret', recordId: 'someone-else' }),
    ).toThrow(/does not open for this record/);

    const confirmed = await call('POST', '/auth/totp/confirm', ana.headers, { code: codeAt(body.secret) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.headers['cache-control']).toBe('no-store');
    const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const stored = await server.svc.store.db
      .selectFrom('recovery_code')
      .selectAll()
      .where('user_id', '=', ana.id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const c of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(c.replace(/-/g, '').slice(0, 8));

    const status = await call('GET', '/auth/second-factor', ana.headers);
    expect(status.json()).toEqual({ enrolled: true, required: false, pending: false, recoveryCodesLeft: 10 });
    expect(await auditOf(ana.id)).toEqual(expect.arrayContaining(['auth.totp_enrol_start', 'auth.totp_enrol_confirm']));
  });

  it('then needs a code to sign in: none, a wrong one and a replayed one are refused', async () => {
    const bea = await signedInUser('documenter');
    const { secret } = await enrol(bea.headers);

    const none = await signIn({ username: bea.username });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'auth.second_factor_required', path: 'code' });
    expect(none.cookies).toEqual([]);

    const right = codeAt(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const bad = await signIn({ username: bea.username, code: wrong });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'auth.second_factor_invalid', path: 'code' });
    expect(bad.cookies).toEqual([]);
    const malformed = await signIn({ username: bea.username, code: '12ab' });
    expect(malformed.json()).toMatchObject({ code: 'validation.invalid', path: 'code' });
    // A wrong password with a right code is still the same "wrong username or password".
    expect(
      (await signIn({ username: bea.username, password: 'not-the-password-at-all', code: right })).json(),
    ).toMatchObject({ code: 'auth.invalid_credentials' });

    const ok = await signIn({ username: bea.username, code: right });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ mustEnrol: false });
    const replay = await signIn({ username: bea.username, code: right });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'auth.second_factor_invalid', path: 'code' });

    time.advance(STEP);
    expect((await signIn({ username: bea.username, code: codeAt(secret) })).statusCode).toBe(200);
    const audit = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'reason'])
      .where('entity_id', '=', bea.id)
      .where('action', '=', 'auth.login_failed')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.reason)).toEqual(['wrong second factor', 'wrong password', 'wrong second factor']);
  });

  it('counts wrong codes as failed sign-ins: the account is refused after 3, even with the right code', async () => {
    const cem = await signedInUser('viewer');
    const { secret } = await enrol(cem.headers);
    const wrong = codeAt(secret) === '999999' ? '888888' : '999999';
    for (let i = 0; i < 3; i++) expect((await signIn({ username: cem.username, code: wrong })).statusCode).toBe(401);
    const limited = await signIn({ username: cem.username, code: codeAt(secret) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'auth.rate_limited' });
    // Asking for the code is not a failure: the first step alone never locks anyone out.
    time.advance(15 * MINUTE);
    for (let i = 0; i < 4; i++)
      expect((await signIn({ username: cem.username })).json()).toMatchObject({ code: 'auth.second_factor_required' });
    expect((await signIn({ username: cem.username, code: codeAt(secret) })).statusCode).toBe(200);
  });

  it('takes each recovery code once, instead of a code', async () => {
    const dan = await signedInUser('analyst');
    const { recoveryCodes } = await enrol(dan.headers);
    const first = recoveryCodes[0]!;
    const used = await signIn({ username: dan.username, recoveryCode: first.toUpperCase().replace(/-/g, ' ') });
    expect(used.statusCode, used.body).toBe(200);
    const again = await signIn({ username: dan.username, recoveryCode: first });
    expect(again.json()).toMatchObject({ code: 'auth.second_factor_invalid', path: 'recoveryCode' });
    expect((await signIn({ username: dan.username, recoveryCode: 'aaaa-bbbb-cccc-dddd' })).json()).toMatchObject({
      code: 'auth.second_factor_invalid',
      path: 'recoveryCode',
    });
    const both = await signIn({ username: dan.username, recoveryCode: recoveryCodes[1]!, code: '123456' });
    expect(both.json()).toMatchObject({ code: 'validation.invalid', path: 'recoveryCode' });
    const status = await call('GET', '/auth/second-factor', headersOf(used));
    expect(status.json()).toMatchObject({ recoveryCodesLeft: 9 });
    expect(await auditOf(dan.id)).toContain('auth.recovery_code_use');
  });

  it('refuses bad enrolment steps with a stable code and writes nothing', async () => {
    const eve = await signedInUser('documenter');
    const token = await bearerHeaders(server.svc, eve);
    const nothingWritten = async (
      res: Promise<LightMyRequestResponse>,
      status: number,
      expected: Record<string, unknown>,
    ) => {
      const before = await auditCount();
      const rows = await server.svc.store.db
        .selectFrom('user_second_factor')
        .selectAll()
        .where('user_id', '=', eve.id)
        .execute();
      const r = await res;
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json()).toMatchObject(expected);
      expect(await auditCount()).toBe(before);
      expect(
        await server.svc.store.db.selectFrom('user_second_factor').selectAll().where('user_id', '=', eve.id).execute(),
      ).toEqual(rows);
      expect(
        await server.svc.store.db.selectFrom('recovery_code').select('id').where('user_id', '=', eve.id).execute(),
      ).toEqual([]);
    };

    await nothingWritten(call('POST', '/auth/totp/confirm', eve.headers, { code: '123456' }), 409, {
      code: 'auth.enrolment_not_started',
    });
    await nothingWritten(call('POST', '/auth/totp', token), 403, { code: 'auth.forbidden' });
    await nothingWritten(call('POST', '/auth/totp/confirm', eve.headers, { code: '12345' }), 400, {
      code: 'validation.invalid',
      path: 'code',
    });
    await nothingWritten(call('POST', '/auth/totp/confirm', eve.headers, {}), 400, {
      code: 'validation.invalid',
      path: 'code',
    });

    const { secret } = (await call('POST', '/auth/totp', eve.headers)).json<{ secret: string }>();
    const wrong = codeAt(secret) === '000000' ? '111111' : '000000';
    await nothingWritten(call('POST', '/auth/totp/confirm', eve.headers, { code: wrong }), 401, {
      code: 'auth.second_factor_invalid',
      path: 'code',
    });
    await nothingWritten(call('POST', '/auth/totp/confirm', token, { code: codeAt(secret) }), 403, {
      code: 'auth.forbidden',
    });
    time.advance(15 * MINUTE);
    await nothingWritten(call('POST', '/auth/totp/confirm', eve.headers, { code: codeAt(secret) }), 409, {
      code: 'auth.enrolment_expired',
    });

    // Starting again replaces the waiting secret; once confirmed, a second enrolment is refused.
    const { secret: fresh } = (await call('POST', '/auth/totp', eve.headers)).json<{ secret: string }>();
    expect(fresh).not.toBe(secret);
    expect((await call('POST', '/auth/totp/confirm', eve.headers, { code: codeAt(secret) })).json()).toMatchObject({
      code: 'auth.second_factor_invalid',
    });
    expect((await call('POST', '/auth/totp/confirm', eve.headers, { code: codeAt(fresh) })).statusCode).toBe(200);
    const before = await auditCount();
    const twice = await call('POST', '/auth/totp', eve.headers);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'auth.second_factor_enrolled' });
    const confirmAgain = await call('POST', '/auth/totp/confirm', eve.headers, {
      code: codeAt(fresh, new Date(time.now().getTime() + STEP)),
    });
    expect(confirmAgain.json()).toMatchObject({ code: 'auth.second_factor_enrolled' });
    expect(await auditCount()).toBe(before);
  });

  it('ends the other sessions of a user who switches the factor on, and keeps the one that did', async () => {
    const fay = await signedInUser('viewer');
    const other = headersOf(await signIn({ username: fay.username }));
    await enrol(fay.headers);
    expect((await call('GET', '/auth/me', fay.headers)).statusCode).toBe(200);
    expect((await call('GET', '/auth/me', other)).statusCode).toBe(401);
  });

  it('lets an admin require a second factor per role: an unenrolled user of it may only enrol', async () => {
    const admin = await signedInUser('admin');
    const gus = await signedInUser('analyst');
    const token = await bearerHeaders(server.svc, gus);
    expect((await call('PUT', '/auth/second-factor-policy', gus.headers, { roles: ['analyst'] })).statusCode).toBe(403);
    expect(
      (await call('PUT', '/auth/second-factor-policy', admin.headers, { roles: ['analyst', 'wizard'] })).json(),
    ).toMatchObject({ code: 'validation.invalid', path: 'roles.1' });
    const set = await call('PUT', '/auth/second-factor-policy', admin.headers, { roles: ['analyst', 'documenter'] });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ roles: ['analyst', 'documenter'] });
    expect((await call('GET', '/auth/second-factor-policy', admin.headers)).json()).toEqual({
      roles: ['analyst', 'documenter'],
    });
    const notes = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'entity_type', 'entity_id', 'actor'])
      .where('entity_type', '=', 'second_factor_policy')
      .execute();
    expect(notes).toEqual([
      {
        action: 'auth.second_factor_require',
        entity_type: 'second_factor_policy',
        entity_id: 'analyst',
        actor: admin.id,
      },
      {
        action: 'auth.second_factor_require',
        entity_type: 'second_factor_policy',
        entity_id: 'documenter',
        actor: admin.id,
      },
    ]);

    // Already signed in, or signing in now: only the enrolment routes answer.
    for (const headers of [gus.headers, headersOf(await signIn({ username: gus.username })), token]) {
      const refused = await call('GET', '/facilities', headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'auth.enrolment_required' });
      expect((await call('GET', '/auth/me', headers)).json()).toMatchObject({ mustEnrol: true });
    }
    const fresh = await signIn({ username: gus.username });
    expect(fresh.json()).toMatchObject({ mustEnrol: true });
    expect((await call('POST', '/auth/tokens', headersOf(fresh), { name: 'x' })).json()).toMatchObject({
      code: 'auth.enrolment_required',
    });
    expect((await call('GET', '/auth/second-factor', gus.headers)).json()).toMatchObject({
      enrolled: false,
      required: true,
    });
    expect((await call('GET', '/facilities', admin.headers)).statusCode).toBe(200); // other roles are not affected

    await enrol(gus.headers);
    expect((await call('GET', '/facilities', gus.headers)).statusCode).toBe(200);
    expect((await call('GET', '/facilities', token)).statusCode).toBe(200);

    const cleared = await call('PUT', '/auth/second-factor-policy', admin.headers, { roles: [] });
    expect(cleared.json()).toEqual({ roles: [] });
    const before = await auditCount();
    await call('PUT', '/auth/second-factor-policy', admin.headers, { roles: [] });
    expect(await auditCount()).toBe(before);
  });

  it("lets an admin reset a user's second factor: the secret, the codes and the sessions go", async () => {
    const admin = await signedInUser('admin');
    const hal = await signedInUser('documenter');
    await enrol(hal.headers);
    expect((await call('DELETE', `/users/${hal.username}/second-factor`, hal.headers)).statusCode).toBe(403);
    expect((await call('DELETE', '/users/nobody-at-all/second-factor', admin.headers)).json()).toMatchObject({
      code: 'record.not_found',
    });
    const reset = await call('DELETE', `/users/${hal.username}/second-factor`, admin.headers);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toEqual({ reset: true, sessionsEnded: 1 });
    expect((await call('GET', '/auth/me', hal.headers)).statusCode).toBe(401);
    expect(
      await server.svc.store.db.selectFrom('recovery_code').select('id').where('user_id', '=', hal.id).execute(),
    ).toEqual([]);
    expect((await signIn({ username: hal.username })).statusCode).toBe(200);
    expect(await auditOf(hal.id)).toContain('auth.second_factor_reset');
    const before = await auditCount();
    expect((await call('DELETE', `/users/${hal.id}/second-factor`, admin.headers)).json()).toEqual({
      reset: false,
      sessionsEnded: 0,
    });
    expect(await auditCount()).toBe(before);
  });

  it('ends the session a browser still held when it signs in again', async () => {
    const ida = await signedInUser('viewer');
    const again = await signIn({ username: ida.username }, { cookie: ida.headers.cookie });
    expect(again.statusCode).toBe(200);
    expect((await call('GET', '/auth/me', ida.headers)).statusCode).toBe(401);
    expect((await call('GET', '/auth/me', headersOf(again))).statusCode).toBe(200);
    expect(await auditOf(ida.id)).toContain('auth.session_replace');
    // A failed sign-in leaves the session alone.
    const kept = headersOf(again);
    expect(
      (await signIn({ username: ida.username, password: 'a-wrong-password-here' }, { cookie: kept.cookie })).statusCode,
    ).toBe(401);
    expect((await call('GET', '/auth/me', kept)).statusCode).toBe(200);
  });

  it('ends API tokens with the sessions only when asked to', async () => {
    const admin = await signedInUser('admin');
    const jon = await signedInUser('analyst');
    const token = await bearerHeaders(server.svc, jon);
    const plain = await call('POST', `/users/${jon.username}/revoke-sessions`, admin.headers);
    expect(plain.json()).toEqual({ revoked: 1, tokensRevoked: 0 });
    expect((await call('GET', '/auth/me', token)).statusCode).toBe(200);
    const all = await call('POST', `/users/${jon.username}/revoke-sessions`, admin.headers, { tokens: true });
    expect(all.json()).toEqual({ revoked: 0, tokensRevoked: 1 });
    expect((await call('GET', '/auth/me', token)).statusCode).toBe(401);
    expect(await auditOf(jon.id)).toContain('auth.tokens_revoke');
    expect(
      (await call('POST', `/users/${jon.username}/revoke-sessions`, admin.headers, { tokens: 'yes' })).json(),
    ).toMatchObject({ code: 'validation.invalid', path: 'tokens' });
  });

  it('refuses weak and common passwords with a readable reason', async () => {
    const admin = await signedInUser('admin');
    for (const password of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12']) {
      const before = await auditCount();
      const res = await call('POST', '/users', admin.headers, {
        username: `weak-${password.length}-${password[0]}`,
        role: 'viewer',
        password,
      });
      expect(res.statusCode, password).toBe(400);
      const body = res.json<{ code: string; path: string; message: string }>();
      expect(body).toMatchObject({ code: 'validation.invalid', path: 'password' });
      expect(body.message).toMatch(/too easy to guess|most common passwords/);
      expect(await auditCount()).toBe(before);
    }
    const containsName = await call('POST', '/users', admin.headers, {
      username: 'zhanargul',
      role: 'viewer',
      password: 'zhanargul2024!',
    });
    expect(containsName.json()).toMatchObject({ code: 'validation.invalid', path: 'password' });
    expect(
      (await call('POST', '/users', admin.headers, { username: 'strong-one', role: 'viewer', password: PASSWORD }))
        .statusCode,
    ).toBe(201);
  });

  it('keeps the audit chain whole', async () => {
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
