import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { createAllegation, transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import { revealIdentity, updatePerson } from '../../src/services/person.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeCriminalCase, makeFacility, makePerson } from '../support/factories.ts';
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
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/allegations/${open}/history`,
      headers: await bearerHeaders(server.svc, analyst),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      seq: number;
      action: string;
      entityType: string;
      reason: string | null;
      actor: string;
    }>;
    const seqs = items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(items.map((i) => i.entityType)).toEqual(
      expect.arrayContaining(['allegation', 'allegation_act', 'proceeding', 'proceeding_stage']),
    );
    expect(items.find((i) => i.action === 'transition:received->triage')).toMatchObject({
      reason: 'first look',
      actor: 'system',
    });
  });

  it("says what each entry changed, in English and Russian, and keeps a person's values out", async () => {
    const analyst = await makeUser(server.svc, 'analyst', { username: 'hist-edit' });
    const victim = await makePerson(server.svc, { roles: ['victim'], identity: { name: 'Route Canary-4b' } });
    const { id } = await createAllegation(server.svc, analyst, {
      title: 'Before',
      period: { start: '2022-01-10', precision: 'day' },
      acts: [{ kind: 'beating' }],
      victims: [{ personId: victim }],
      consent: ['record', 'publish_anonymised'],
    });
    await updateAllegation(server.svc, analyst, id, {
      title: 'After',
      acts: [{ kind: 'beating' }, { kind: 'isolation' }],
      version: 1,
    });
    await updateAllegation(server.svc, analyst, id, { consent: ['record'], version: 2 });
    await updatePerson(server.svc, analyst, victim, {
      identity: { name: 'Route Canary-5c' },
      custody: 'released',
      version: 1,
    });
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/allegations/${id}/history`,
      headers: await bearerHeaders(server.svc, analyst),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Route Canary');
    type Item = {
      action: string;
      entityType: string;
      actorName: string | null;
      changes: unknown[] | null;
      label: { en: string; ru: string };
      details: Array<{ en: string; ru: string }>;
    };
    const items = res.json().items as Item[];
    const update = items.find((i) => i.entityType === 'allegation' && i.action === 'update')!;
    expect(update).toMatchObject({
      actorName: 'hist-edit',
      changes: [{ field: 'title', from: 'Before', to: 'After' }],
      label: { en: 'Allegation changed', ru: 'Сообщение изменено' },
      details: [{ en: 'Title: “Before” → “After”', ru: 'Заголовок: «Before» → «After»' }],
    });
    expect(items.filter((i) => i.entityType === 'allegation_act').map((i) => i.label.en)).toEqual([
      'Act added',
      'Act added',
    ]);
    expect(items.find((i) => i.details.some((d) => d.en.startsWith('Consent withdrawn')))).toMatchObject({
      changes: [{ field: 'consent', from: ['record', 'publish_anonymised'], to: ['record'] }],
      label: { en: 'Consent withdrawn', ru: 'Согласие отозвано' },
      details: [{ en: 'Consent withdrawn: Publish anonymised', ru: 'Согласие отозвано: Публикация обезличенно' }],
    });
    expect(items.find((i) => i.entityType === 'person' && i.action === 'update')).toMatchObject({
      changes: [
        { field: 'custody', changed: true },
        { field: 'name', changed: true },
      ],
      details: [
        { en: 'Custody: changed', ru: 'Содержание под стражей: изменено' },
        { en: 'Name: changed', ru: 'Имя: изменено' },
      ],
    });
  });

  it("leaves out a person of a case outside the reader's teams, and the reveal of their identity", async () => {
    const member = await makeUser(server.svc, 'analyst', { username: 'hist-team' });
    const outsider = await makeUser(server.svc, 'analyst', { username: 'hist-out' });
    const hidden = await makePerson(server.svc, { roles: ['victim'] });
    await createAllegation(server.svc, member, {
      title: 'Restricted',
      sensitivity: 'restricted',
      period: { start: '2022-01-10', precision: 'day' },
      acts: [{ kind: 'beating' }],
      victims: [{ personId: hidden }],
    });
    const shared = await makeAllegation(server.svc, { title: 'Shared', victims: [{ personId: hidden }] });
    await revealIdentity(server.svc, member, hidden, 'for the court');
    const as = async (who: typeof member) =>
      (
        await server.app.inject({
          method: 'GET',
          url: `/api/v1/allegations/${shared}/history`,
          headers: await bearerHeaders(server.svc, who),
        })
      ).json().items as Array<{ action: string; entityId: string }>;
    const outside = await as(outsider);
    expect(JSON.stringify(outside)).not.toContain(hidden);
    expect(outside.map((i) => i.action)).not.toContain('identity.view');
    expect((await as(member)).filter((i) => i.action === 'identity.view').map((i) => i.entityId)).toEqual([hidden]);
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
