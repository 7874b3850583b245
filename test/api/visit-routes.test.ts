import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAFEGUARD_CHECKS } from '../../src/domain/vocabularies.ts';
import { SYSTEM } from '../../src/services/context.ts';
import { createArea } from '../../src/services/facility.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeFacility, makeStatement } from '../support/factories.ts';
import { bearerHeaders, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

type Headers = Record<string, string>;

describeEachDialect('visit and recommendation transitions over HTTP', (dialect) => {
  let server: AuthTestServer;
  let monitor: Headers;
  let analyst: Headers;
  let facility: string;
  let area: string;

  const post = (url: string, payload: unknown, headers: Headers = monitor) =>
    server.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string, headers: Headers = analyst) => server.app.inject({ method: 'GET', url, headers });
  const planVisit = async () => {
    const res = await post('/api/v1/visits', {
      facilityId: facility,
      body: 'NPM',
      visitDate: '2022-03-01',
      visitType: 'ad_hoc',
      mode: 'unannounced',
      team: ['monitor A'],
      recommendations: [{ text: 'Install CCTV', addressee: 'MVD', deadline: '2022-06-01' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const conducted = {
    to: 'conducted',
    startedAt: '2022-03-01T09:00:00Z',
    endedAt: '2022-03-01T12:00:00Z',
    registersExamined: [],
    refusedAccess: ['CCTV archive'],
  };

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    monitor = await bearerHeaders(server.svc, 'monitor');
    analyst = await bearerHeaders(server.svc, 'analyst');
    facility = await makeFacility(server.svc);
    area = (await createArea(server.svc, SYSTEM, { facilityId: facility, level: 'room', label: 'Semi-basement' })).id;
  });
  afterAll(async () => server?.dispose());

  it('moves a visit step by step and shows what each step recorded', async () => {
    const id = await planVisit();
    const res = await post(`/api/v1/visits/${id}/transitions`, {
      ...conducted,
      areaIds: [area],
      version: 1,
      reason: 'visit done',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id, status: 'conducted', version: 2 });
    const answers = Object.fromEntries(SAFEGUARD_CHECKS.map((c) => [c.id, 'not_checked']));
    expect(
      (
        await post(`/api/v1/visits/${id}/transitions`, {
          to: 'findings_drafted',
          safeguards: answers,
          findingsPublic: 'No CCTV',
        })
      ).statusCode,
    ).toBe(200);

    const view = await get(`/api/v1/visits/${id}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({
      id,
      status: 'findings_drafted',
      version: 3,
      startedAt: '2022-03-01T09:00:00Z',
      endedAt: '2022-03-01T12:00:00Z',
      areaIds: [area],
      registersExamined: [],
      refusedAccess: ['CCTV archive'],
      cancellationReason: null,
      replyStatementId: null,
      findingsPublic: 'No CCTV',
      safeguards: answers,
      recommendations: [expect.objectContaining({ status: 'issued', replyStatementId: null, followUpVisitId: null })],
    });
    const list = await get(`/api/v1/visits?facilityId=${facility}`);
    expect(
      list.json<{ items: Array<{ id: string; registersExamined: unknown }> }>().items.find((v) => v.id === id)
        ?.registersExamined,
    ).toEqual([]);
  });

  it('answers 422 with the field for a failed guard, 409 for a forbidden step or a stale version, 404 for an unknown visit', async () => {
    const id = await planVisit();
    const guard = await post(`/api/v1/visits/${id}/transitions`, {
      ...conducted,
      areaIds: [area],
      registersExamined: undefined,
    });
    expect(guard.statusCode).toBe(422);
    expect(guard.json()).toMatchObject({ code: 'state.guard_failed', path: 'registersExamined' });
    const forbidden = await post(`/api/v1/visits/${id}/transitions`, { to: 'report_sent', responseDue: '2022-04-01' });
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.json()).toMatchObject({ code: 'state.transition_not_allowed' });
    const stale = await post(`/api/v1/visits/${id}/transitions`, { ...conducted, version: 9 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'record.conflict', path: 'version' });
    const bad = await post(`/api/v1/visits/${id}/transitions`, { to: 'conducted', startedAt: 'yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation.invalid', path: 'startedAt' });
    const unknownField = await post(`/api/v1/visits/${id}/transitions`, { to: 'conducted', status: 'closed' });
    expect(unknownField.statusCode).toBe(400);
    expect((await post('/api/v1/visits/no-such-visit/transitions', conducted)).statusCode).toBe(404);
    expect((await get(`/api/v1/visits/${id}`)).json()).toMatchObject({ status: 'planned', version: 1 });
  });

  it('lets only monitors run visits and follow-ups', async () => {
    const id = await planVisit();
    const res = await post(`/api/v1/visits/${id}/transitions`, { to: 'cancelled', cancellationReason: 'x' }, analyst);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'auth.forbidden' });
    expect((await post(`/api/v1/recommendations/${id}:r001/transitions`, { to: 'accepted' }, analyst)).statusCode).toBe(
      403,
    );
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: `/api/v1/visits/${id}/transitions`,
          payload: { to: 'cancelled' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('keeps one of two concurrent steps from the same version and refuses the other with 409', async () => {
    const id = await planVisit();
    const results = await Promise.all([
      post(`/api/v1/visits/${id}/transitions`, { ...conducted, areaIds: [area], version: 1 }),
      post(`/api/v1/visits/${id}/transitions`, { to: 'cancelled', cancellationReason: 'no access', version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409)!.json<{ code: string }>();
    // The loser read either the old version (stale) or the new status (no such step from it).
    expect(['record.conflict', 'state.transition_not_allowed']).toContain(loser.code);
    expect((await get(`/api/v1/visits/${id}`)).json<{ version: number }>().version).toBe(2);
  });

  it('follows a recommendation up over HTTP', async () => {
    const id = await planVisit();
    const rec = `${id}:r001`;
    const reply = await makeStatement(server.svc, { speakerLabel: 'MVD' });
    const missing = await post(`/api/v1/recommendations/${encodeURIComponent(rec)}/transitions`, { to: 'rejected' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({ code: 'state.guard_failed', path: 'replyStatementId' });
    const noStatement = await post(`/api/v1/recommendations/${encodeURIComponent(rec)}/transitions`, {
      to: 'rejected',
      replyStatementId: 'no-such-statement',
    });
    expect(noStatement.statusCode).toBe(422);
    expect(noStatement.json()).toMatchObject({ code: 'reference.missing', path: 'replyStatementId' });
    const ok = await post(`/api/v1/recommendations/${encodeURIComponent(rec)}/transitions`, {
      to: 'rejected',
      replyStatementId: reply,
      version: 1,
      reason: 'ministry declined',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ id: rec, status: 'rejected', version: 2 });
    expect((await get(`/api/v1/visits/${id}`)).json()).toMatchObject({
      recommendations: [expect.objectContaining({ id: rec, status: 'rejected', replyStatementId: reply, version: 2 })],
    });
    expect((await post('/api/v1/recommendations/no-such/transitions', { to: 'accepted' })).statusCode).toBe(404);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
