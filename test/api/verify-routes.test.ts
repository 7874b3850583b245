import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyInstance } from '../../src/services/verify.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeFacility } from '../support/factories.ts';
import { bearerHeaders, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

type Report = {
  ok: boolean;
  entries: number;
  records: number;
  signedHeads: number | null;
  evidenceFiles: number;
  breaks: Array<{ kind: string; seq?: number; entity?: string; message: string }>;
};

describeEachDialect('POST /admin/verify', (dialect) => {
  let server: AuthTestServer;
  let admin: { authorization: string };

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    admin = await bearerHeaders(server.svc, 'admin');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const verify = (headers: Record<string, string>) =>
    server.app.inject({ method: 'POST', url: '/api/v1/admin/verify', headers });

  it('answers ok with the counts for a clean chain, then names a row edited behind Vigil', async () => {
    const facility = await makeFacility(server.svc);
    const clean = await verify(admin);
    expect(clean.statusCode).toBe(200);
    const report = clean.json<Report>();
    expect(report).toMatchObject({ ok: true, breaks: [], evidenceFiles: 0 });
    expect(report.entries).toBeGreaterThan(0);
    expect(report.records).toBeGreaterThan(0);

    await sql`UPDATE facility SET name = 'Renamed by SQL' WHERE id = ${facility}`.execute(server.svc.store.db);
    const edited = await verify(admin);
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Report>()).toMatchObject({
      ok: false,
      breaks: [
        {
          kind: 'record_altered',
          entity: `facility ${facility}`,
          message: expect.stringMatching(/differs from its last audited state/),
        },
      ],
    });
  });

  it('refuses every other role as other admin routes do, and no login at all', async () => {
    for (const role of ['analyst', 'documenter', 'monitor', 'viewer'] as const) {
      const res = await verify(await bearerHeaders(server.svc, role));
      expect(res.statusCode).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('auth.forbidden');
      const users = await server.app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: await bearerHeaders(server.svc, role),
      });
      expect(users.json()).toMatchObject({ code: res.json<{ code: string }>().code });
    }
    expect((await verify({})).statusCode).toBe(401);
  });

  it('runs one verification at a time: a second call while one runs is refused with 409', async () => {
    const first = verifyInstance(server.svc, { checkpointFile: null, tsa: null });
    const second = await verify(admin);
    expect(second.statusCode).toBe(409);
    expect(second.json<{ code: string }>().code).toBe('verify.already_running');
    await first;
    expect((await verify(admin)).statusCode).toBe(200);
  });
});
