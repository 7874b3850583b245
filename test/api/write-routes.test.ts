import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders, makeUser } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const BASEMENT = 'demo:la-155-18:area:semi-basement-rooms';
const ARTICLE = 'demo:la-155-18:source:article';

describeEachDialect('write routes', (dialect) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await openTestServer(dialect, { demo: true });
  });
  afterEach(async () => server.dispose());

  async function call(method: string, url: string, headers: Record<string, string>, body?: unknown) {
    const res = await server.app.inject({
      method: method as 'POST',
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of the answer it expects, as the client would
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  }

  it('takes a report from intake to a registered criminal case, over HTTP, each step by the right role', async () => {
    const doc = await bearerHeaders(server.svc, 'documenter');
    const analyst = await makeUser(server.svc, 'analyst');
    const ana = await bearerHeaders(server.svc, analyst);
    const person = await call('POST', '/api/v1/people', doc, {
      roles: ['victim'],
      custody: 'released',
      identity: { name: 'Тест Тестов' },
    });
    expect(person.status).toBe(201);
    const created = await call('POST', '/api/v1/allegations', doc, {
      title: 'Beating in the semi-basement',
      facilityId: FACILITY,
      areaId: BASEMENT,
      period: { start: '2022-01', precision: 'part_of_month', text: 'end of January' },
      acts: [{ kind: 'beating', victimId: person.body.id }],
      victims: [{ personId: person.body.id }],
      sources: [{ sourceId: ARTICLE, relation: 'reports' }],
      consent: ['record'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call('POST', `/api/v1/allegations/${id}/transitions`, doc, { to: 'triage' })).body).toMatchObject({
      code: 'state.transition_not_allowed',
    });
    expect(
      (await call('POST', `/api/v1/allegations/${id}/transitions`, ana, { to: 'triage', version: 1 })).body,
    ).toMatchObject({ status: 'triage', version: 2 });
    expect(
      (await call('POST', `/api/v1/allegations/${id}/transitions`, ana, { to: 'triage', version: 1 })).status,
    ).toBe(409);
    const proceeding = await call('POST', '/api/v1/proceedings', ana, {
      kind: 'criminal_case',
      allegationId: id,
      body: 'Almaty prosecutor',
      reference: 'c-1',
      openedOn: '2022-02-01',
    });
    expect(proceeding.status).toBe(201);
    const stage = await call('POST', `/api/v1/proceedings/${proceeding.body.id}/stages`, ana, {
      to: 'registered_erdr',
      onDate: '2022-02-02',
      sourceId: ARTICLE,
      decidedBy: 'investigator',
      details: { erdrNumber: '221500031000017', article: '146', part: '2' },
    });
    expect(stage.body).toMatchObject({ stage: 'registered_erdr' });
    const read = await call('GET', `/api/v1/proceedings/${proceeding.body.id}`, ana);
    expect(read.body).toMatchObject({
      stage: 'registered_erdr',
      codeArticle: '146',
      overdue: { overdue: expect.any(Boolean) },
    });
    expect((await call('GET', '/api/v1/people', ana)).body.items[0]).not.toHaveProperty('identity');
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });

  it('refuses bad input with a code and the field path, and a role that may not write', async () => {
    const doc = await bearerHeaders(server.svc, 'documenter');
    const viewer = await bearerHeaders(server.svc, 'viewer');
    expect(await call('POST', '/api/v1/allegations', doc, { title: 'x', acts: [{ kind: 'beatng' }] })).toMatchObject({
      status: 400,
      body: { code: 'validation.invalid', path: 'acts.0.kind' },
    });
    expect(await call('POST', '/api/v1/allegations', doc, { title: 'x', facilityId: 'nowhere' })).toMatchObject({
      status: 422,
      body: { code: 'reference.missing', path: 'facilityId' },
    });
    // A criminal case opens with the complaint's reference: its absence names the field the request has.
    expect(
      await call('POST', '/api/v1/proceedings', await bearerHeaders(server.svc, 'analyst'), {
        kind: 'criminal_case',
        body: 'Prosecutor',
        openedOn: '2022-02-01',
      }),
    ).toMatchObject({ status: 422, body: { path: 'reference' } });
    expect(await call('POST', '/api/v1/allegations', viewer, { title: 'x' })).toMatchObject({
      status: 403,
      body: { code: 'auth.forbidden' },
    });
    expect(
      await call('PATCH', `/api/v1/facilities/${FACILITY}`, await bearerHeaders(server.svc, 'monitor'), {
        city: 'Almaty',
      }),
    ).toMatchObject({ status: 400, body: { path: 'version' } });
    expect(await call('POST', '/api/v1/allegations', {}, { title: 'x' })).toMatchObject({
      status: 401,
      body: { code: 'auth.required' },
    });
  });

  it('hides a restricted allegation from users outside its case team (404), shows it to its recorder', async () => {
    const recorder = await makeUser(server.svc, 'documenter');
    const mine = await bearerHeaders(server.svc, recorder);
    const other = await bearerHeaders(server.svc, 'analyst');
    const created = await call('POST', '/api/v1/allegations', mine, {
      title: 'Sexual violence in custody',
      sensitivity: 'restricted',
      consent: ['record'],
    });
    const id = created.body.id as string;
    expect((await call('GET', `/api/v1/allegations/${id}`, mine)).status).toBe(200);
    expect(await call('GET', `/api/v1/allegations/${id}`, other)).toMatchObject({
      status: 404,
      body: { code: 'record.not_found' },
    });
    expect(await call('POST', `/api/v1/allegations/${id}/transitions`, other, { to: 'triage' })).toMatchObject({
      status: 404,
    });
    expect(await call('PATCH', `/api/v1/allegations/${id}`, other, { title: 'x', version: 1 })).toMatchObject({
      status: 404,
    });
  });

  it('lets 20 clients edit the same allegation at once: one wins per version, the rest get 409, nothing is lost', async () => {
    const doc = await bearerHeaders(server.svc, 'documenter');
    const id = (await call('POST', '/api/v1/allegations', doc, { title: 'Start', consent: ['record'] })).body
      .id as string;
    let version = 1;
    const titles: string[] = [];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call('PATCH', `/api/v1/allegations/${id}`, doc, { title: `round ${round} client ${i}`, version }),
        ),
      );
      const won = results.filter((r) => r.status === 200);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 409).length).toBe(19);
      version = won[0]!.body.version as number;
      titles.push(`round ${round} client ${results.indexOf(won[0]!)}`);
    }
    const final = await call('GET', `/api/v1/allegations/${id}`, doc);
    expect(final.body).toMatchObject({ title: titles[2], version: 4 });
    const history = await server.svc.store.db
      .selectFrom('audit_entry')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    expect(history.map((h) => h.action)).toEqual(['create', 'update', 'update', 'update']);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
