import { z } from 'zod';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, buildServer, trustProxyFromEnv } from '../../src/api/server.ts';
import { authPolicyFromEnv, DEFAULT_AUTH_POLICY } from '../../src/services/auth-policy.ts';
import { DUMMY_PASSWORD_HASH } from '../../src/services/auth-secrets.ts';
import { hashPassword } from '../../src/services/password.ts';
import { LoginLimiter } from '../../src/services/login-limiter.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const PASSWORD = 'steppe kettle violet harbour';

describe('security headers, docs page and route access rules', () => {
  let server: AuthTestServer;

  beforeAll(async () => {
    server = await openAuthServer('sqlite');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("sends helmet's headers, with a CSP that allows nothing, on answers and on errors alike", async () => {
    for (const url of ['/health', '/api/v1/vocabularies', '/api/v1/allegations', '/api/v1/no-such-route']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toBe(
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      expect(res.headers['x-request-id'], url).toEqual(expect.any(String));
    }
  });

  it('serves the docs page with its scripts, styles and the OpenAPI document under a same-origin CSP', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // Everything the page loads is served, from this origin.
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining(['static/swagger-ui-bundle.js', 'static/swagger-initializer.js', 'static/swagger-ui.css']),
    );
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script for the CSP to block
    for (const asset of [...assets, 'json']) {
      const res = await server.app.inject({ method: 'GET', url: `/api/docs/${asset}` });
      expect(res.statusCode, asset).toBe(200);
    }
    const doc = (await server.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users']));
  });

  it('refuses to start with an API route that declares no access, or a malformed one', async () => {
    const app = buildServer({ svc: server.svc, logger: pino({ level: 'silent' }) });
    const schema = { response: { 200: z.object({ ok: z.boolean() }) } };
    expect(() => app.get(`${API_PREFIX}/undeclared`, { schema }, async () => ({ ok: true }))).toThrow(
      /must declare config\.access/,
    );
    expect(() =>
      app.get(`${API_PREFIX}/typo`, { schema, config: { access: ['admins'] as never } }, async () => ({ ok: true })),
    ).toThrow(/config\.access must be/);
    expect(() =>
      app.get(`${API_PREFIX}/nobody`, { schema, config: { access: [] } }, async () => ({ ok: true })),
    ).toThrow(/config\.access must be/);
    await app.close();

    const nested = buildServer({ svc: server.svc, logger: pino({ level: 'silent' }) });
    nested.register(async (scope) => {
      scope.get(`${API_PREFIX}/in-a-plugin`, { schema }, async () => ({ ok: true }));
    });
    await expect(nested.ready()).rejects.toThrow(/must declare config\.access/);
    await nested.close().catch(() => undefined);
  });

  it('checks access before validating input, so a stranger learns nothing from validation errors', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'X' } });
    expect(res.statusCode).toBe(401);
    const head = await server.app.inject({ method: 'HEAD', url: '/api/v1/facilities' });
    expect(head.statusCode).toBe(401);
  });

  it('lets a public write run as nobody when the session cookie comes without its CSRF token', async () => {
    const user = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    const first = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD },
    });
    const cookie = `vigil_session=${first.cookies.find((c) => c.name === 'vigil_session')!.value}`;
    const again = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD },
      headers: { cookie },
    });
    expect(again.statusCode).toBe(200);
  });

  it('treats a token with an Authorization header as the only credential, even next to a valid cookie', async () => {
    const user = await makeUser(server.svc, 'viewer', { password: PASSWORD });
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: PASSWORD },
    });
    const cookie = `vigil_session=${login.cookies.find((c) => c.name === 'vigil_session')!.value}`;
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie, authorization: 'Bearer vgl_revoked' },
    });
    expect(res.statusCode).toBe(401);
    expect(
      (
        await server.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: await bearerHeaders(server.svc, user),
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('sign-in settings', () => {
  it('checks unknown users against a dummy hash made with the same scrypt parameters as real ones', async () => {
    const params = (h: string) => h.split('$').slice(0, 4).join('$');
    expect(params(DUMMY_PASSWORD_HASH)).toBe(params(await hashPassword('anything at all')));
  });

  it('reads the policy from the environment, with defaults, and refuses nonsense', () => {
    expect(authPolicyFromEnv({})).toEqual(DEFAULT_AUTH_POLICY);
    expect(DEFAULT_AUTH_POLICY).toMatchObject({
      sessionIdleMs: 2 * 3600_000,
      sessionMaxMs: 12 * 3600_000,
      maxFailuresPerAccount: 5,
      maxFailuresPerAddress: 20,
    });
    expect(
      authPolicyFromEnv({
        VIGIL_SESSION_IDLE_MINUTES: '30',
        VIGIL_SESSION_MAX_HOURS: '8',
        VIGIL_LOGIN_MAX_FAILURES: '3',
      }),
    ).toMatchObject({
      sessionIdleMs: 30 * 60_000,
      sessionMaxMs: 8 * 3600_000,
      maxFailuresPerAccount: 3,
    });
    expect(() => authPolicyFromEnv({ VIGIL_LOGIN_MAX_FAILURES: 'many' })).toThrow(/VIGIL_LOGIN_MAX_FAILURES/);
    expect(() => authPolicyFromEnv({ VIGIL_SESSION_IDLE_MINUTES: '600', VIGIL_SESSION_MAX_HOURS: '1' })).toThrow(
      /must not exceed/,
    );
    expect(trustProxyFromEnv({})).toBe(false);
    expect(trustProxyFromEnv({ VIGIL_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' })).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });

  it('limits failures in a sliding window and forgets keys beyond its size', () => {
    const limiter = new LoginLimiter(2);
    const window = 1000;
    limiter.fail('a', window, 0);
    limiter.fail('a', window, 400);
    expect(limiter.retryAfter('a', 2, window, 500)).toBe(1); // until the failure at 0 leaves the window
    expect(limiter.retryAfter('a', 3, window, 500)).toBe(0);
    expect(limiter.retryAfter('a', 2, window, 1000)).toBe(0);
    expect(limiter.retryAfter('a', 1, window, 1000)).toBe(1);
    limiter.forgive('a', 400); // an attempt counted in advance that succeeded
    expect(limiter.retryAfter('a', 1, window, 1000)).toBe(0);

    limiter.fail('a', window, 2000);
    limiter.fail('b', window, 2000);
    limiter.fail('c', window, 2000);
    expect(limiter.retryAfter('a', 1, window, 2000)).toBe(0); // the oldest key was dropped to keep 2
    expect(limiter.retryAfter('c', 1, window, 2000)).toBe(1);
  });
});
