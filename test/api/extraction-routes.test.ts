import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { proposeExtraction } from '../../src/services/extraction-review.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { ARTICLE, DENIAL, scenarioExtraction } from '../support/extraction-fixture.ts';
import { bearerHeaders, makeUser } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

type Headers = Record<string, string>;
interface Fact {
  id: string;
  field: string;
  payload: Record<string, unknown>;
  span: { start: number; end: number };
  words: string;
  status: string;
  version: number;
  recordType: string | null;
  recordId: string | null;
}

describeEachDialect('review queue over HTTP', (dialect) => {
  let server: TestServer;
  const as = new Map<UserRole, Headers>();
  let runId: string;
  let facts: Fact[];

  const call = (method: 'GET' | 'POST', url: string, role: UserRole | null, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: role ? as.get(role)! : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const fact = (field: string, pick: (p: Record<string, unknown>) => boolean = () => true) =>
    facts.find((f) => f.field === field && pick(f.payload))!;

  beforeAll(async () => {
    server = await openTestServer(dialect, { demo: true });
    for (const role of ['admin', 'analyst', 'documenter', 'monitor', 'viewer'] as const)
      as.set(role, await bearerHeaders(server.svc, role));
    // Deterministic facts for the decisions; the shipped extractor is exercised by POST /extractions below.
    const documenter = await makeUser(server.svc, 'documenter');
    runId = (
      await proposeExtraction(
        server.svc,
        documenter,
        { text: ARTICLE, title: 'MVD denies torture cells' },
        scenarioExtraction(),
        'test',
      )
    ).id;
    const res = await call('GET', `/api/v1/extractions/${runId}`, 'analyst');
    expect(res.statusCode, res.body).toBe(200);
    facts = res.json<{ items: Fact[] }>().items;
  }, 120_000);
  afterAll(async () => server?.dispose());

  it('proposes from text with the shipped extractor: 201, then 200 for the same text; records nothing', async () => {
    const before = (await call('GET', '/api/v1/statements?limit=200', 'analyst')).json<{ items: unknown[] }>().items
      .length;
    const text = ARTICLE.replace('Kazakhstan:', 'Kazakhstan —');
    const first = await call('POST', '/api/v1/extractions', 'documenter', {
      text,
      url: 'https://example.org/a',
      title: 'Another copy',
    });
    expect(first.statusCode, first.body).toBe(201);
    const { id, facts: n } = first.json<{ id: string; created: boolean; facts: number }>();
    expect(n).toBeGreaterThan(5);
    const again = await call('POST', '/api/v1/extractions', 'analyst', { text });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id, created: false, facts: n });
    expect(
      (await call('GET', '/api/v1/statements?limit=200', 'analyst')).json<{ items: unknown[] }>().items.length,
    ).toBe(before);

    const list = await call('GET', '/api/v1/extractions?limit=1', 'documenter');
    expect(list.statusCode, list.body).toBe(200);
    const page = list.json<{ items: Array<{ id: string; facts: { proposed: number } }>; nextCursor: string | null }>();
    expect(page.items[0]).toMatchObject({ id, facts: { proposed: n } });
    expect(page.nextCursor).not.toBeNull();
    const next = await call('GET', `/api/v1/extractions?limit=1&after=${page.nextCursor}`, 'documenter');
    expect(next.json<{ items: Array<{ id: string }> }>().items[0]!.id).toBe(runId);
  });

  it('refuses a URL without text, bad bodies and bad cursors with 400', async () => {
    const url = await call('POST', '/api/v1/extractions', 'documenter', { url: 'https://example.org/b' });
    expect(url.statusCode).toBe(400);
    expect(url.json()).toMatchObject({ code: 'validation.invalid', path: 'text' });
    expect((await call('POST', '/api/v1/extractions', 'documenter', { text: '   ' })).statusCode).toBe(400);
    expect(
      (await call('POST', '/api/v1/extractions', 'documenter', { text: 'x', sourceId: 'no-such-source' })).statusCode,
    ).toBe(422);
    expect((await call('GET', '/api/v1/proposed-facts?after=bogus', 'analyst')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/proposed-facts?status=pending', 'analyst')).statusCode).toBe(400);
    expect(
      (
        await call('POST', `/api/v1/proposed-facts/${fact('places').id}/decision`, 'analyst', {
          decision: 'maybe',
          version: 1,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('lets documenters propose and read, analysts and admins decide; viewers and monitors neither', async () => {
    expect((await call('GET', '/api/v1/extractions', null)).statusCode).toBe(401);
    for (const role of ['viewer', 'monitor'] as const) {
      expect((await call('GET', '/api/v1/proposed-facts', role)).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/extractions', role, { text: 'x' })).statusCode).toBe(403);
    }
    const target = fact('places', (p) => p.name === 'Almaty');
    for (const role of ['viewer', 'monitor', 'documenter'] as const) {
      const res = await call('POST', `/api/v1/proposed-facts/${target.id}/decision`, role, {
        decision: 'accept',
        version: 1,
      });
      expect(res.statusCode, role).toBe(403);
      expect(res.json()).toMatchObject({ code: 'auth.forbidden' });
    }
    const queue = await call('GET', `/api/v1/proposed-facts?extractionId=${runId}&field=places`, 'documenter');
    expect(queue.json<{ items: Fact[] }>().items.map((f) => f.payload.name)).toEqual(['Kazakhstan', 'Almaty']);
    expect(
      (
        await call('POST', `/api/v1/proposed-facts/${target.id}/decision`, 'admin', {
          decision: 'reject',
          reason: 'a city, no record',
          version: 1,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('accepts the denial: a Statement on the Source with the quoted words; the facility links the demo one', async () => {
    const facility = fact('facilities');
    const f = await call('POST', `/api/v1/proposed-facts/${facility.id}/decision`, 'analyst', {
      decision: 'accept',
      version: 1,
    });
    expect(f.statusCode, f.body).toBe(200);
    const demo = await call('GET', '/api/v1/facilities/demo:la-155-18:facility:kz-almaty-la-155-18', 'analyst');
    expect(f.json()).toMatchObject({
      status: 'accepted',
      recordType: 'facility',
      recordId: demo.json<{ id: string }>().id,
    });

    const denial = fact('statements', (p) => p.stance === 'denial');
    const res = await call('POST', `/api/v1/proposed-facts/${denial.id}/decision`, 'analyst', {
      decision: 'accept',
      reason: 'matches the ministry site',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    const decided = res.json<{ recordId: string; version: number }>();
    const st = await call('GET', `/api/v1/statements/${decided.recordId}`, 'viewer');
    expect(st.json()).toMatchObject({ stance: 'denial', quote: DENIAL, facilityId: demo.json<{ id: string }>().id });

    const run = (await call('GET', `/api/v1/extractions/${runId}`, 'documenter')).json<{
      sourceId: string;
      text: string;
      items: Fact[];
    }>();
    const kept = run.items.find((i) => i.id === denial.id)!;
    expect(kept).toMatchObject({ status: 'accepted', recordType: 'statement', recordId: decided.recordId });
    expect(run.text.slice(kept.span.start, kept.span.end)).toBe(DENIAL);
    expect(kept.words).toBe(DENIAL);
    expect(st.json<{ sourceId: string }>().sourceId).toBe(run.sourceId);

    const stale = await call('POST', `/api/v1/proposed-facts/${denial.id}/decision`, 'analyst', {
      decision: 'reject',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'record.conflict' });
    expect(
      (
        await call('POST', `/api/v1/proposed-facts/${denial.id}/decision`, 'analyst', {
          decision: 'reject',
          version: decided.version,
        })
      ).json(),
    ).toMatchObject({ code: 'state.transition_not_allowed' });
    expect(
      (
        await call('POST', '/api/v1/proposed-facts/no-such-fact/decision', 'analyst', {
          decision: 'reject',
          version: 1,
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('GET', '/api/v1/extractions/no-such-run', 'analyst')).statusCode).toBe(404);
  });

  it('asks for what ST2 needs before recording a figure, and records it with speaker, as-of and source', async () => {
    const f27 = fact('reported_figures', (p) => p.value === 27);
    const missing = await call('POST', `/api/v1/proposed-facts/${f27.id}/decision`, 'analyst', {
      decision: 'accept',
      version: 1,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'validation.invalid', path: 'edits.asOf' });
    const ok = await call('POST', `/api/v1/proposed-facts/${f27.id}/decision`, 'analyst', {
      decision: 'accept',
      edits: { asOf: '2022-01', asOfPrecision: 'part_of_month' },
      version: 1,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const figure = await call('GET', `/api/v1/reported-figures?counts=torture_reports&limit=200`, 'analyst');
    const mine = figure
      .json<{ items: Array<{ id: string; speakerLabel: string; asOf: string; sourceId: string }> }>()
      .items.find((i) => i.id === ok.json<{ recordId: string }>().recordId);
    expect(mine).toMatchObject({ speakerLabel: 'Nurdilda Oraz', asOf: '2022-01' });
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
