import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assignToAllegation, unassignFromAllegation } from '../../src/services/access.service.ts';
import { limitedViewer, may } from '../../src/services/policy.ts';
import { visibleCondition } from '../../src/store/repositories/need-to-know.repository.ts';
import { SYSTEM, type Actor } from '../../src/services/context.ts';
import { search } from '../../src/services/search.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

type Page = { items: Array<{ id: string }>; nextCursor: string | null };
type SearchBody = {
  total: number;
  results: Array<{ entityId: string }>;
  facets: { type: Array<{ value: string; count: number }> };
};

describeEachDialect('need-to-know on allegations', (dialect) => {
  let server: AuthTestServer;
  let restricted: string;
  let confidential: string;
  let internal: string;
  let assigned: Actor;
  let outsider: Actor;
  let admin: Actor;
  const auth = new Map<Actor, { authorization: string }>();

  const get = (who: Actor, url: string) => server.app.inject({ method: 'GET', url, headers: auth.get(who)! });

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    const facility = await makeFacility(svc, { name: 'Isolator of the north' });
    restricted = await makeAllegation(svc, {
      externalId: 'case-r',
      title: 'Beating in the zzquokka basement',
      sensitivity: 'restricted',
      facilityId: facility,
    });
    confidential = await makeAllegation(svc, {
      title: 'Threats zzquokka confidential',
      sensitivity: 'confidential',
      facilityId: facility,
    });
    internal = await makeAllegation(svc, {
      title: 'Overcrowding zzquokka cells',
      sensitivity: 'internal',
      facilityId: facility,
    });
    assigned = await makeUser(svc, 'analyst');
    outsider = await makeUser(svc, 'analyst');
    admin = await makeUser(svc, 'admin');
    for (const a of [assigned, outsider, admin]) auth.set(a, await bearerHeaders(svc, a));
    await assignToAllegation(svc, admin, restricted, assigned.id);
    await assignToAllegation(svc, admin, confidential, assigned.id);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers 404 for a restricted allegation to an analyst outside its team, exactly as for an id never used', async () => {
    for (const key of [restricted, 'case-r', confidential]) {
      const hidden = await get(outsider, `/api/v1/allegations/${encodeURIComponent(key)}`);
      const missing = await get(outsider, `/api/v1/allegations/never-used-${key.length}`);
      expect(hidden.statusCode).toBe(404);
      const { requestId: _a, ...hiddenBody } = hidden.json<Record<string, unknown>>();
      const { requestId: _b, ...missingBody } = missing.json<Record<string, unknown>>();
      expect(hiddenBody).toEqual({ ...missingBody, message: `no allegation "${key}"` });
      expect(hidden.body).not.toContain('zzquokka');
    }
    expect((await get(outsider, `/api/v1/allegations/${internal}`)).statusCode).toBe(200);
  });

  it('shows it to the users assigned to it', async () => {
    const res = await get(assigned, `/api/v1/allegations/${restricted}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: restricted, sensitivity: 'restricted' });
  });

  it('hides it from an admin who is not assigned', async () => {
    expect((await get(admin, `/api/v1/allegations/${restricted}`)).statusCode).toBe(404);
  });

  it('leaves it out of lists and paging', async () => {
    const ids = async (who: Actor) => {
      const seen: string[] = [];
      let url = '/api/v1/allegations?limit=1';
      for (;;) {
        const page = (await get(who, url)).json<Page>();
        seen.push(...page.items.map((a) => a.id));
        if (!page.nextCursor) return seen.sort();
        url = `/api/v1/allegations?limit=1&after=${page.nextCursor}`;
      }
    };
    expect(await ids(outsider)).toEqual([internal]);
    expect(await ids(assigned)).toEqual([restricted, confidential, internal].sort());
  });

  it('leaves it out of search results, totals and facets', async () => {
    const outside = (await get(outsider, '/api/v1/search?q=zzquokka')).json<SearchBody>();
    expect(outside.results.map((r) => r.entityId)).toEqual([internal]);
    expect(outside.total).toBe(1);
    expect(outside.facets.type).toEqual([expect.objectContaining({ value: 'allegation', count: 1 })]);
    const phrase = (
      await get(outsider, `/api/v1/search?q=${encodeURIComponent('"zzquokka basement"')}`)
    ).json<SearchBody>();
    expect(phrase.total).toBe(0);
    const emptyQuery = (await get(outsider, '/api/v1/search?q=')).json<SearchBody>();
    expect(emptyQuery.facets.type.find((f) => f.value === 'allegation')?.count).toBe(1);

    const inside = (await get(assigned, '/api/v1/search?q=zzquokka')).json<SearchBody>();
    expect(inside.results.map((r) => r.entityId).sort()).toEqual([restricted, confidential, internal].sort());
    // Vigil's own view (no actor) is not limited.
    expect((await search(server.svc, { q: 'zzquokka' }, SYSTEM)).total).toBe(3);
  });

  it('offers the rule as a query filter and a check for other code', async () => {
    const { db } = server.svc.store;
    const visible = (who: Actor) => {
      const v = limitedViewer(who);
      const q = db.selectFrom('allegation').select('id');
      return (v === undefined ? q : q.where(visibleCondition('allegation', 'allegation.id', v)))
        .orderBy('id')
        .execute();
    };
    expect((await visible(outsider)).map((r) => r.id)).toEqual([internal]);
    expect((await visible(SYSTEM)).map((r) => r.id)).toEqual([restricted, confidential, internal].sort());
    expect(await may(db, outsider, 'read', 'allegation', restricted)).toBe(false);
    expect(await may(db, assigned, 'read', 'allegation', restricted)).toBe(true);
  });

  it('lets admins assign anyone and analysts only to what they see; assignments are audited and verified', async () => {
    const viewer = await makeUser(server.svc, 'viewer');
    await expect(assignToAllegation(server.svc, viewer, internal, viewer.id)).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    // An analyst outside the team cannot let themselves in: the allegation does not exist for them.
    await expect(assignToAllegation(server.svc, outsider, restricted, outsider.id)).rejects.toMatchObject({
      code: 'record.not_found',
    });
    await expect(assignToAllegation(server.svc, admin, restricted, 'nobody')).rejects.toMatchObject({
      code: 'reference.missing',
      path: 'userId',
    });

    const a = await assignToAllegation(server.svc, admin, restricted, outsider.id);
    expect(await assignToAllegation(server.svc, admin, restricted, outsider.id)).toEqual(a); // twice = once
    expect((await get(outsider, `/api/v1/allegations/${restricted}`)).statusCode).toBe(200);
    await unassignFromAllegation(server.svc, assigned, restricted, outsider.id);
    expect((await get(outsider, `/api/v1/allegations/${restricted}`)).statusCode).toBe(404);

    const entries = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['actor', 'action'])
      .where('entity_type', '=', 'allegation_assignment')
      .orderBy('seq')
      .execute();
    expect(entries.slice(-2)).toEqual([
      { actor: admin.id, action: 'assign' },
      { actor: assigned.id, action: 'delete' },
    ]);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });

    // An assignment added behind Vigil's back is caught by verify.
    await sql`INSERT INTO allegation_assignment (id, external_id, created_at, updated_at, version, allegation_id, user_id)
      VALUES ('forged', NULL, '2022-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z', 1, ${restricted}, ${outsider.id})`.execute(
      server.svc.store.db,
    );
    expect(await verifyStore(server.svc.store)).toMatchObject({
      ok: false,
      break: { kind: 'record_not_in_audit', entity: 'allegation_assignment forged' },
    });
    await sql`DELETE FROM allegation_assignment WHERE id = 'forged'`.execute(server.svc.store.db);
  });
});
