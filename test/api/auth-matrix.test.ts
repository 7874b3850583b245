import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, isAllowed, type RouteAccessEntry } from '../../src/api/auth/access.ts';
import { MATRIX_BEGIN, MATRIX_END, renderRoleMatrix, withRoleMatrix } from '../../src/api/auth/role-matrix.ts';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeUser, openAuthServer, sessionHeaders, type AuthTestServer } from './auth-fixture.ts';

const ROLES_DOC = new URL('../../docs/roles.md', import.meta.url);
const REGENERATE = 'VIGIL_WRITE_ROLES_DOC=1 npx vitest run test/api/auth-matrix.test.ts';

/** A request that reaches the route: path parameters filled in, an empty JSON body for writes. */
function requestFor(route: RouteAccessEntry) {
  const url = route.url.replace(/:(\w+)/g, 'no-such-$1');
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  return { method: route.method as 'GET', url, ...(hasBody ? { payload: {} } : {}) };
}

describeEachDialect('role matrix', (dialect) => {
  let server: AuthTestServer;
  const users = new Map<UserRole, string>();

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    for (const role of ROLES) users.set(role, (await makeUser(server.svc, role)).id);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('declares access on every API route, and covers every role and no login', () => {
    expect(server.app.routeAccess.length).toBeGreaterThan(10);
    expect(ROLES).toEqual(['admin', 'analyst', 'documenter', 'monitor', 'viewer']);
  });

  it('walks every route with every role and with no login: refused ones get 401 or 403, allowed ones neither (nor a 5xx)', async () => {
    const wrong: string[] = [];
    for (const route of server.app.routeAccess) {
      for (const role of [...ROLES, null]) {
        // A fresh session per request: some routes (sign-out) end the session they are called with.
        const headers = role === null ? {} : (await sessionHeaders(server.svc, users.get(role)!)).write;
        const res = await server.app.inject({ ...requestFor(route), headers });
        const allowed = isAllowed(route.access, role);
        const expected = allowed ? 'neither 401/403 nor 5xx' : role === null ? '401' : '403';
        const ok = allowed
          ? ![401, 403].includes(res.statusCode) && res.statusCode < 500
          : res.statusCode === (role === null ? 401 : 403);
        if (!ok)
          wrong.push(
            `${route.method} ${route.url} as ${role ?? 'no login'}: ${res.statusCode} ${res.body.slice(0, 120)} (expected ${expected})`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses without a login with auth.required, and the wrong role with auth.forbidden', async () => {
    const anonymous = await server.app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'auth.required' });
    const viewer = await sessionHeaders(server.svc, users.get('viewer')!);
    const forbidden = await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: viewer.cookie });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'auth.forbidden' });
  });

  it('matches docs/roles.md, which is generated from the routes', async () => {
    const table = renderRoleMatrix(server.app.routeAccess);
    let doc = await readFile(ROLES_DOC, 'utf8');
    const expected = withRoleMatrix(doc, table);
    if (process.env.VIGIL_WRITE_ROLES_DOC === '1' && expected !== doc) {
      await writeFile(ROLES_DOC, expected);
      doc = expected;
    }
    const generated = doc.slice(doc.indexOf(MATRIX_BEGIN), doc.indexOf(MATRIX_END));
    expect(
      generated,
      `docs/roles.md is out of date with the routes' access; regenerate it with:\n  ${REGENERATE}\n`,
    ).toBe(expected.slice(expected.indexOf(MATRIX_BEGIN), expected.indexOf(MATRIX_END)));
  });
});
