import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { assignToAllegation } from '../../src/services/access.service.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

describeEachDialect('allegation list reuse between changes', (dialect) => {
  let server: AuthTestServer;
  let facilityId: string;
  beforeAll(async () => {
    server = await openAuthServer(dialect);
    facilityId = await makeFacility(server.svc);
  });
  afterAll(async () => server?.dispose());

  const list = async (headers: Record<string, string>, query = '?limit=50') => {
    const res = await server.app.inject({ method: 'GET', url: `/api/v1/allegations${query}`, headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return res.json() as { items: Array<{ id: string; title: string }> };
  };

  it('answers the same page again until something changes, then the change shows at once', async () => {
    const analyst = await bearerHeaders(server.svc, await makeUser(server.svc, 'analyst', { username: 'cache-ana' }));
    const id = await makeAllegation(server.svc, { facilityId, title: 'First title' });
    const first = await list(analyst);
    expect(first.items.find((a) => a.id === id)?.title).toBe('First title');
    // A change made behind Vigil's back does not move the head: the page is reused, which shows it is cached.
    await server.svc.store.db.updateTable('allegation').set({ title: 'Changed by SQL' }).where('id', '=', id).execute();
    expect(await list(analyst)).toEqual(first);
    await server.svc.store.db.updateTable('allegation').set({ title: 'First title' }).where('id', '=', id).execute();
    await updateAllegation(server.svc, SYSTEM, id, { title: 'Second title', version: 1 });
    expect((await list(analyst)).items.find((a) => a.id === id)?.title).toBe('Second title');
    await makeAllegation(server.svc, { facilityId });
    expect((await list(analyst)).items.length).toBe(first.items.length + 1);
  });

  it('never hands one user the page computed for another (need-to-know), and follows a new assignment', async () => {
    const lead = await makeUser(server.svc, 'analyst', { username: 'cache-lead' });
    const other = await makeUser(server.svc, 'analyst', { username: 'cache-other' });
    const restricted = await makeAllegation(
      server.svc,
      { facilityId, sensitivity: 'restricted', title: 'Restricted' },
      lead,
    );
    const leadHeaders = await bearerHeaders(server.svc, lead);
    const otherHeaders = await bearerHeaders(server.svc, other);
    expect((await list(leadHeaders)).items.map((a) => a.id)).toContain(restricted);
    expect((await list(otherHeaders)).items.map((a) => a.id)).not.toContain(restricted);
    await assignToAllegation(server.svc, SYSTEM, restricted, other.id);
    expect((await list(otherHeaders)).items.map((a) => a.id)).toContain(restricted);
  });
});
