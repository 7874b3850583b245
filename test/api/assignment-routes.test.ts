import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, sessionHeaders, type AuthTestServer } from './auth-fixture.ts';

type Headers = Record<string, string>;
type Assignment = { id: string; allegationId: string; userId: string; createdAt: string };

describeEachDialect('case team (assignment) routes', (dialect) => {
  let server: AuthTestServer;
  let restricted: string;
  let internal: string;
  let admin: Actor & { username: string };
  let lead: Actor & { username: string };
  let outsider: Actor & { username: string };
  let documenter: Actor & { username: string };
  const auth = new Map<Actor, Headers>();

  const call = (who: Actor, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: auth.get(who)!, ...(payload ? { payload } : {}) });
  const team = async (who: Actor, id: string) =>
    (await call(who, 'GET', `/api/v1/allegations/${id}/assignments`))
      .json<{ items: Assignment[] }>()
      .items.map((a) => a.userId)
      .sort();

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    admin = await makeUser(svc, 'admin');
    lead = await makeUser(svc, 'analyst');
    outsider = await makeUser(svc, 'analyst');
    documenter = await makeUser(svc, 'documenter');
    for (const u of [admin, lead, outsider, documenter]) auth.set(u, await bearerHeaders(svc, u));
    const facility = await makeFacility(svc);
    // Recorded by the lead analyst: they are on its team from the start.
    restricted = await makeAllegation(
      svc,
      { externalId: 'case-restricted', title: 'Beating', sensitivity: 'restricted', facilityId: facility },
      lead,
    );
    internal = await makeAllegation(svc, { title: 'Overcrowding', sensitivity: 'internal', facilityId: facility });
  });
  afterAll(async () => server?.dispose());

  it('lets an admin put anyone on a case team, by id or username; the new member then sees the allegation', async () => {
    expect((await call(outsider, 'GET', `/api/v1/allegations/${restricted}`)).statusCode).toBe(404);
    const res = await call(admin, 'POST', `/api/v1/allegations/${restricted}/assignments`, {
      userId: outsider.username,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ allegationId: restricted, userId: outsider.id });
    // Twice = once.
    expect(
      (await call(admin, 'POST', '/api/v1/allegations/case-restricted/assignments', { userId: outsider.id })).json(),
    ).toEqual(res.json());
    expect((await call(outsider, 'GET', `/api/v1/allegations/${restricted}`)).statusCode).toBe(200);
    expect(await team(lead, restricted)).toEqual([lead.id, outsider.id].sort());

    const del = await call(lead, 'DELETE', `/api/v1/allegations/${restricted}/assignments/${outsider.username}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(del.body).toBe('');
    expect((await call(outsider, 'GET', `/api/v1/allegations/${restricted}`)).statusCode).toBe(404);
    expect(
      (await call(lead, 'DELETE', `/api/v1/allegations/${restricted}/assignments/${outsider.id}`)).json(),
    ).toMatchObject({ code: 'record.not_found', path: 'userId' });

    const log = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['actor', 'action'])
      .where('entity_type', '=', 'allegation_assignment')
      .orderBy('seq')
      .execute();
    expect(log.slice(-2)).toEqual([
      { actor: admin.id, action: 'assign' },
      { actor: lead.id, action: 'delete' },
    ]);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });

  it('answers 404 to an analyst outside the team, exactly as for an allegation that does not exist', async () => {
    for (const [method, url, payload] of [
      ['GET', `/api/v1/allegations/${restricted}/assignments`],
      ['POST', `/api/v1/allegations/${restricted}/assignments`, { userId: outsider.id }],
      ['DELETE', `/api/v1/allegations/${restricted}/assignments/${lead.id}`],
    ] as const) {
      const hidden = await call(outsider, method, url, payload);
      const missing = await call(outsider, method, url.replace(restricted, 'never-used'), payload);
      expect(hidden.statusCode, `${method} ${url}`).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(hidden.json<{ code: string }>().code).toBe(missing.json<{ code: string }>().code);
    }
    expect(await team(lead, restricted)).toEqual([lead.id]);
  });

  it('lets admins and analysts change a team, a documenter only bring in an analyst; anyone who sees the allegation may read it', async () => {
    const res = await call(documenter, 'POST', `/api/v1/allegations/${internal}/assignments`, {
      userId: documenter.id,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'auth.forbidden', path: 'userId' });
    // The documenter who recorded a confidential report hands it to an analyst, who then sees it.
    const own = await makeAllegation(server.svc, { title: 'Threats', sensitivity: 'confidential' }, documenter);
    expect((await call(outsider, 'GET', `/api/v1/allegations/${own}`)).statusCode).toBe(404);
    expect(
      (await call(documenter, 'POST', `/api/v1/allegations/${own}/assignments`, { userId: outsider.username }))
        .statusCode,
    ).toBe(200);
    expect((await call(outsider, 'GET', `/api/v1/allegations/${own}`)).statusCode).toBe(200);
    expect(
      (await call(documenter, 'POST', `/api/v1/allegations/${restricted}/assignments`, { userId: outsider.id }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(documenter, 'DELETE', `/api/v1/allegations/${internal}/assignments/${documenter.id}`)).statusCode,
    ).toBe(403);
    expect((await call(documenter, 'GET', `/api/v1/allegations/${internal}/assignments`)).statusCode).toBe(200);
    expect((await call(documenter, 'GET', `/api/v1/allegations/${restricted}/assignments`)).statusCode).toBe(404);
    expect(
      (await server.app.inject({ method: 'GET', url: `/api/v1/allegations/${internal}/assignments` })).statusCode,
    ).toBe(401);
  });

  it('refuses an unknown or disabled user and a bad body with a code and a path; a cookie write needs the CSRF token', async () => {
    const unknown = await call(admin, 'POST', `/api/v1/allegations/${internal}/assignments`, { userId: 'nobody' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'reference.missing', path: 'userId' });
    const bad = await call(admin, 'POST', `/api/v1/allegations/${internal}/assignments`, { user: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('validation.invalid');
    const session = await sessionHeaders(server.svc, admin.id);
    const noCsrf = await server.app.inject({
      method: 'POST',
      url: `/api/v1/allegations/${internal}/assignments`,
      headers: session.cookie,
      payload: { userId: lead.id },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: 'auth.csrf_failed' });
    const withCsrf = await server.app.inject({
      method: 'POST',
      url: `/api/v1/allegations/${internal}/assignments`,
      headers: session.write,
      payload: { userId: lead.id },
    });
    expect(withCsrf.statusCode).toBe(200);
  });
});
