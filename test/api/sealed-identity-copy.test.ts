import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.ts';
import { SYSTEM } from '../../src/services/context.ts';
import { exportRecords } from '../../src/services/export.service.ts';
import { revealIdentity } from '../../src/services/person.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, makePerson } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const NAME = 'Zzcopied Canary-Sealed';

/**
 * Issue 10, reproduction 2: an insider copied a hidden victim's `sealedIdentity` from the export
 * into `POST /api/v1/people` and revealed the new person. Now the API neither hands out nor takes
 * sealed values, and a value pasted into another record (even behind Vigil's back) does not open.
 */
describeEachDialect('reproduction 2: a sealed identity copied into another person', (dialect) => {
  let server: AuthTestServer;
  let victim: string;
  let stolen: Record<string, string>;
  let documenter: Actor;
  let analyst: Actor;
  let admin: Actor;
  const auth = new Map<Actor, Record<string, string>>();

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    documenter = await makeUser(svc, 'documenter');
    analyst = await makeUser(svc, 'analyst');
    admin = await makeUser(svc, 'admin');
    for (const u of [documenter, analyst, admin]) auth.set(u, await bearerHeaders(svc, u));
    victim = await makePerson(svc, { roles: ['victim'], identity: { name: NAME, contacts: '+7 700 111 2233' } });
    await makeAllegation(svc, {
      title: 'Hidden beating',
      sensitivity: 'confidential',
      facilityId: await makeFacility(svc),
      victims: [{ personId: victim }],
    });
    // What the console's full export holds: the only place sealed values leave.
    for await (const l of exportRecords(svc, SYSTEM, { sealedIdentities: true, types: ['person'] }))
      if (l.id === victim) stolen = l.sealedIdentity as Record<string, string>;
    expect(stolen.name).toMatch(/^v2\./);
  });
  afterAll(async () => server?.dispose());

  it('the API export carries no sealed identity, for anyone', async () => {
    for (const who of [analyst, admin]) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/v1/export?type=person',
        headers: auth.get(who)!,
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('sealedIdentity');
      expect(res.body).not.toContain(stolen.name!);
    }
  });

  it('POST and PATCH /api/v1/people refuse a sealed identity with 400 and its field path, and write nothing', async () => {
    const count = async () => (await server.svc.store.db.selectFrom('person').select('id').execute()).length;
    const before = await count();
    for (const who of [documenter, analyst]) {
      const post = await server.app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: auth.get(who)!,
        payload: { roles: ['victim'], sealedIdentity: stolen },
      });
      expect(post.statusCode, post.body).toBe(400);
      expect(post.json()).toMatchObject({ code: 'validation.invalid' });
      expect(post.body).toContain('sealedIdentity');
    }
    expect(await count()).toBe(before);
    const own = await makePerson(server.svc, { roles: ['witness'] }, documenter);
    const patch = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/people/${own}`,
      headers: auth.get(documenter)!,
      payload: { sealedIdentity: stolen, version: 1 },
    });
    expect(patch.statusCode, patch.body).toBe(400);
    expect(patch.json()).toMatchObject({ code: 'validation.invalid' });
    const row = await server.svc.store.db
      .selectFrom('person')
      .select(['name_enc', 'version'])
      .where('id', '=', own)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name_enc: null, version: 1 });
  });

  it("a value pasted into another record behind Vigil's back does not open there", async () => {
    const other = await makePerson(server.svc, { roles: ['victim'] });
    await server.svc.store.db.updateTable('person').set({ name_enc: stolen.name! }).where('id', '=', other).execute();
    await expect(revealIdentity(server.svc, SYSTEM, other, 'test')).rejects.toMatchObject({
      code: 'crypto.decrypt_failed',
      path: 'person.name',
    });
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/people/${other}/identity`,
      headers: auth.get(admin)!,
      payload: { reason: 'test' },
    });
    expect(res.body).not.toContain(NAME);
    expect((await revealIdentity(server.svc, SYSTEM, victim, 'test')).name).toBe(NAME);
  });
});
