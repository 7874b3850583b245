import { afterAll, beforeAll, expect, it } from 'vitest';
import { assignToAllegation } from '../../src/services/access.service.ts';
import type { Actor } from '../../src/services/context.ts';
import { revealIdentity } from '../../src/services/person.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, makePerson } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const NAME = 'Zzqorbek Canary-Reveal';

describeEachDialect('revealing an identity is limited by need-to-know', (dialect) => {
  let server: AuthTestServer;
  let hiddenVictim: string;
  let mixedVictim: string;
  let openVictim: string;
  let caseRestricted: string;
  let teamMember: Actor;
  let outsider: Actor;
  let outsiderDocumenter: Actor;
  let admin: Actor;
  const auth = new Map<Actor, Record<string, string>>();

  const reveal = (who: Actor, personId: string, reason = 'preparing the complaint') =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/people/${encodeURIComponent(personId)}/identity`,
      headers: auth.get(who)!,
      payload: { reason },
    });
  const views = () =>
    server.svc.store.db
      .selectFrom('audit_entry')
      .select(['actor', 'entity_id', 'reason'])
      .where('action', '=', 'identity.view')
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    teamMember = await makeUser(svc, 'documenter');
    outsider = await makeUser(svc, 'analyst');
    outsiderDocumenter = await makeUser(svc, 'documenter');
    admin = await makeUser(svc, 'admin');
    for (const u of [teamMember, outsider, outsiderDocumenter, admin]) auth.set(u, await bearerHeaders(svc, u));
    const facility = await makeFacility(svc);
    hiddenVictim = await makePerson(svc, { roles: ['victim'], identity: { name: NAME } });
    mixedVictim = await makePerson(svc, { roles: ['victim'], identity: { name: `${NAME} Two` } });
    openVictim = await makePerson(svc, { roles: ['victim'], identity: { name: `${NAME} Three` } });
    // The documenter records the restricted case, so they are on its team.
    caseRestricted = await makeAllegation(
      svc,
      {
        title: 'Beating',
        sensitivity: 'restricted',
        facilityId: facility,
        victims: [{ personId: hiddenVictim }, { personId: mixedVictim }],
        acts: [{ kind: 'beating', victimId: hiddenVictim }],
      },
      teamMember,
    );
    await makeAllegation(svc, {
      title: 'Overcrowding',
      sensitivity: 'internal',
      facilityId: facility,
      victims: [{ personId: mixedVictim }, { personId: openVictim }],
    });
  });
  afterAll(async () => server?.dispose());

  it('shows the name to the case team, with an audited identity.view and its reason', async () => {
    const res = await reveal(teamMember, hiddenVictim, 'drafting the complaint to the prosecutor');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: NAME });
    expect((await views()).at(-1)).toEqual({
      actor: teamMember.id,
      entity_id: hiddenVictim,
      reason: 'drafting the complaint to the prosecutor',
    });
  });

  it('answers 404 outside the team, as for a person who does not exist, and records no view', async () => {
    const before = (await views()).length;
    for (const who of [outsider, outsiderDocumenter]) {
      for (const person of [hiddenVictim, mixedVictim]) {
        const hidden = await reveal(who, person);
        expect(hidden.statusCode, hidden.body).toBe(404);
        expect(hidden.body).not.toContain('Zzqorbek');
        const missing = await reveal(who, 'no-such-person');
        const { requestId: _a, message: _m1, ...hiddenBody } = hidden.json<Record<string, unknown>>();
        const { requestId: _b, message: _m2, ...missingBody } = missing.json<Record<string, unknown>>();
        expect(hiddenBody).toEqual(missingBody);
      }
    }
    expect((await views()).length).toBe(before);
  });

  it('does not limit people named only in allegations without need-to-know', async () => {
    const res = await reveal(outsider, openVictim);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: `${NAME} Three` });
  });

  it('opens once the user is put on the team; an admin joins the team first, and that is an audit entry', async () => {
    // A user of its own: the other tests keep their outsiders outside, whatever order they run in.
    const joiner = await makeUser(server.svc, 'analyst');
    auth.set(joiner, await bearerHeaders(server.svc, joiner));
    expect((await reveal(joiner, mixedVictim)).statusCode).toBe(404);
    await assignToAllegation(server.svc, admin, caseRestricted, joiner.id);
    expect((await reveal(joiner, mixedVictim)).json()).toMatchObject({ name: `${NAME} Two` });
    await expect(revealIdentity(server.svc, admin, hiddenVictim, 'key custody check')).rejects.toMatchObject({
      code: 'record.not_found',
    });
    await assignToAllegation(server.svc, admin, caseRestricted, admin.id);
    expect((await revealIdentity(server.svc, admin, hiddenVictim, 'key custody check')).name).toBe(NAME);
    // The route itself stays closed to roles that do not handle cases.
    expect((await reveal(admin, hiddenVictim)).statusCode).toBe(403);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
