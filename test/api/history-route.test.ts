import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeCriminalCase, makeFacility } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

describeEachDialect('allegation history route', (dialect) => {
  let server: AuthTestServer;
  let open: string;
  let restricted: string;
  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const facilityId = await makeFacility(server.svc);
    open = await makeAllegation(server.svc, { facilityId });
    await transitionAllegationStatus(server.svc, SYSTEM, open, { to: 'triage', reason: 'first look' });
    await makeCriminalCase(server.svc, { allegationId: open });
    restricted = await makeAllegation(server.svc, { facilityId, sensitivity: 'restricted' });
  });
  afterAll(async () => server?.dispose());

  it("lists the allegation's changes, its parts and its proceedings, oldest first, with usernames", async () => {
    const analyst = await makeUser(server.svc, 'analyst', { username: 'hist-ana' });
    const res = await server.app.inject({ method: 'GET', url: `/api/v1/allegations/${open}/history`, headers: await bearerHeaders(server.svc, analyst) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ seq: number; action: string; entityType: string; reason: string | null; actor: string }>;
    const seqs = items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(items.map((i) => i.entityType)).toEqual(expect.arrayContaining(['allegation', 'allegation_act', 'proceeding', 'proceeding_stage']));
    expect(items.find((i) => i.action === 'transition:received->triage')).toMatchObject({ reason: 'first look', actor: 'system' });
  });

  it('answers 404 for a restricted allegation outside the case team, and for an unknown id', async () => {
    const documenter = await makeUser(server.svc, 'documenter', { username: 'hist-doc' });
    const headers = await bearerHeaders(server.svc, documenter);
    for (const id of [restricted, 'no-such-allegation']) {
      const res = await server.app.inject({ method: 'GET', url: `/api/v1/allegations/${id}/history`, headers });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'record.not_found' });
    }
  });
});
