import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { createAllegation } from '../../src/services/allegation.service.ts';
import { createFacility } from '../../src/services/facility.service.ts';
import { createPerson } from '../../src/services/person.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders } from './auth-fixture.ts';
import { capturingLogger, openTestServer, type TestServer } from './server-fixture.ts';

const VICTIM_NAME = 'Aigerim Testova';

type Page<T> = { items: T[]; nextCursor: string | null };

describeEachDialect('allegations over the API', (dialect) => {
  let server: TestServer;
  const log = capturingLogger();
  let facilityId: string;
  const allegationIds: string[] = [];
  let auth: { authorization: string };

  beforeAll(async () => {
    server = await openTestServer(dialect, { logger: log.logger });
    const { svc } = server;
    auth = await bearerHeaders(svc, 'analyst');
    facilityId = (
      await createFacility(svc, SYSTEM, { name: 'Test isolator', kind: 'temporary_detention_isolator', city: 'Almaty' })
    ).id;
    const victim = (
      await createPerson(svc, SYSTEM, {
        roles: ['victim'],
        identity: { name: VICTIM_NAME, contacts: '+7 700 000 0000' },
      })
    ).id;
    const unit = (
      await createPerson(svc, SYSTEM, { roles: ['alleged_perpetrator'], isUnit: true, perpetratorKind: 'police' })
    ).id;
    for (let i = 1; i <= 3; i++) {
      const created = await createAllegation(svc, SYSTEM, {
        title: `Beating at intake ${i}`,
        facilityId: i < 3 ? facilityId : undefined,
        acts: [{ kind: 'beating', victimId: victim }],
        victims: [{ personId: victim }],
        perpetrators: [{ personId: unit, perpetratorKind: 'police' }],
      });
      allegationIds.push(created.id);
    }
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('pages through allegations with limit and after, and filters by facility and status', async () => {
    const seen: string[] = [];
    let url = '/api/v1/allegations?limit=2';
    const pages: number[] = [];
    for (;;) {
      const res = await server.app.inject({ method: 'GET', url, headers: auth });
      expect(res.statusCode).toBe(200);
      const page = res.json<Page<{ id: string }>>();
      pages.push(page.items.length);
      seen.push(...page.items.map((a) => a.id));
      if (!page.nextCursor) break;
      url = `/api/v1/allegations?limit=2&after=${page.nextCursor}`;
    }
    expect(pages).toEqual([2, 1]);
    expect(seen).toEqual([...allegationIds].sort());

    const byFacility = (
      await server.app.inject({ method: 'GET', url: `/api/v1/allegations?facilityId=${facilityId}`, headers: auth })
    ).json<Page<unknown>>();
    expect(byFacility.items).toHaveLength(2);
    const received = (
      await server.app.inject({
        method: 'GET',
        url: '/api/v1/allegations?status=received&classification=undetermined',
        headers: auth,
      })
    ).json<Page<unknown>>();
    expect(received.items).toHaveLength(3);
    const verified = (
      await server.app.inject({ method: 'GET', url: '/api/v1/allegations?status=corroborated', headers: auth })
    ).json<Page<unknown>>();
    expect(verified.items).toHaveLength(0);
  });

  it('shows victims and perpetrators only by id and pseudonym, never an identity', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/allegations/${allegationIds[0]}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ victims: Array<{ personId: string }>; people: Array<{ id: string; pseudonym: string }> }>();
    expect(body.people).toHaveLength(2);
    for (const p of body.people) {
      expect(Object.keys(p).sort()).toEqual(['id', 'pseudonym']);
      expect(p.pseudonym).toMatch(/^[A-Z]+-\d+$/);
    }
    expect(body.people.map((p) => p.id)).toContain(body.victims[0]!.personId);
    expect(res.body).not.toContain(VICTIM_NAME);
    expect(res.body).not.toContain('+7 700');
  });

  it('rejects an unknown status with 400 and the field path', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/allegations?status=tortured', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation.invalid', path: 'status' });
  });

  it('never writes a searched name to the log', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent(VICTIM_NAME)}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    expect(log.text()).not.toContain('Testova');
    expect(log.text()).not.toContain(encodeURIComponent(VICTIM_NAME));
    expect(log.lines().some((l) => (l.req as { url?: string } | undefined)?.url === '/api/v1/search')).toBe(true);
  });
});
