import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AreaNode } from '../../src/api/schemas.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';

type Page<T> = { items: T[]; nextCursor: string | null };

function flatten(nodes: AreaNode[], depth = 0): Array<AreaNode & { depth: number }> {
  return nodes.flatMap((n) => [{ ...n, depth }, ...flatten(n.children, depth + 1)]);
}

describeEachDialect('read-only API on the LA-155/18 demo', (dialect) => {
  let server: TestServer;
  let auth: { authorization: string };
  const get = async <T>(url: string): Promise<{ status: number; body: T; headers: Record<string, unknown> }> => {
    const res = await server.app.inject({ method: 'GET', url, headers: auth });
    return { status: res.statusCode, body: res.json<T>(), headers: res.headers };
  };

  beforeAll(async () => {
    server = await openTestServer(dialect, { demo: true });
    auth = await bearerHeaders(server.svc, 'viewer');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('reports health with the dialect after a query', async () => {
    const res = await get<{ status: string; database: string }>('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: dialect });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists LA-155/18 among the facilities, and shows its areas as a tree with declared use and who declared it', async () => {
    const list =
      await get<Page<{ id: string; externalId: string; code: string; aliases: string[] }>>('/api/v1/facilities');
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    const facility = list.body.items.find((f) => f.externalId === FACILITY);
    expect(facility?.code).toBe('LA-155/18');
    expect(facility?.aliases).toContain('ЛА-155/18');

    const detail = await get<{ id: string; cells: number; areas: AreaNode[] }>(`/api/v1/facilities/${facility!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.cells).toBe(230);
    const areas = flatten(detail.body.areas);
    expect(areas.map((a) => a.label).sort()).toEqual([
      'administrative building',
      'cells',
      'reception',
      'secure (regime) buildings',
      'semi-basement rooms',
    ]);
    const secure = detail.body.areas.find((a) => a.label === 'secure (regime) buildings')!;
    expect(secure.level).toBe('building');
    const semiBasement = secure.children.find((a) => a.label === 'semi-basement rooms')!;
    expect(semiBasement.level).toBe('room');
    expect(semiBasement.declaredUse).toEqual(['communication systems', 'heating units']);
    expect(semiBasement.declaredBy).toBe('Ministry of Internal Affairs press service');
    expect(semiBasement.declaredInStatementId).toEqual(expect.any(String));
  });

  it('finds a facility by external id and filters the list by kind and city', async () => {
    expect((await get<{ code: string }>(`/api/v1/facilities/${encodeURIComponent(FACILITY)}`)).body.code).toBe(
      'LA-155/18',
    );
    expect(
      (await get<Page<unknown>>('/api/v1/facilities?kind=pretrial_detention&city=Almaty')).body.items,
    ).toHaveLength(1);
    expect((await get<Page<unknown>>('/api/v1/facilities?kind=penal_colony')).body.items).toHaveLength(0);
  });

  it('lists the five statements with their stances, oldest first, and pages through them by cursor', async () => {
    const all =
      await get<Page<{ id: string; stance: string; statedOn: string | null; review: unknown }>>('/api/v1/statements');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.items.map((s) => s.stance).sort()).toEqual([
      'allegation',
      'confirmation',
      'confirmation',
      'denial',
      'neutral',
    ]);
    // Undated first, then by date: the relatives' allegation, the January briefing, then February.
    expect(all.body.items.map((s) => s.statedOn)).toEqual([null, '2022-01', '2022-02', '2022-02', '2022-02']);
    expect(all.body.items.every((s) => s.review === null)).toBe(true);

    const seen: string[] = [];
    let url = '/api/v1/statements?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const page = await get<Page<{ id: string }>>(url);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s) => s.id));
      if (!page.body.nextCursor) break;
      url = `/api/v1/statements?limit=2&after=${page.body.nextCursor}`;
    }
    expect(seen).toEqual(all.body.items.map((s) => s.id));

    const denials = await get<Page<{ speakerLabel: string }>>('/api/v1/statements?stance=denial');
    expect(denials.body.items.map((s) => s.speakerLabel)).toEqual([
      'Ministry of Internal Affairs of Kazakhstan, press service',
    ]);
    const one = await get<{ stance: string }>(`/api/v1/statements/${all.body.items[0]!.id}`);
    expect(one.body.stance).toBe('allegation');
  });

  it('lists the reported figures 27, 7 and 20 with what they count', async () => {
    const res =
      await get<Page<{ value: number; counts: string; asOf: string; statementId: string }>>('/api/v1/reported-figures');
    expect(res.status).toBe(200);
    const byCount = Object.fromEntries(res.body.items.map((f) => [f.counts, f.value]));
    expect(byCount).toEqual({ torture_reports: 27, criminal_investigations: 7, internal_inquiries: 20 });
    expect(new Set(res.body.items.map((f) => f.statementId)).size).toBe(1);
    const filtered = await get<Page<{ value: number }>>('/api/v1/reported-figures?counts=torture_reports');
    expect(filtered.body.items.map((f) => f.value)).toEqual([27]);
  });

  it('finds the facility when searching ЛА-155/18 in Cyrillic, with facets', async () => {
    const res = await get<{
      total: number;
      results: Array<{ entityType: string; entityId: string }>;
      facets: Record<string, Array<{ value: string; count: number }>>;
    }>(`/api/v1/search?q=${encodeURIComponent('ЛА-155/18')}`);
    expect(res.status).toBe(200);
    const facilityId = (await get<{ id: string }>(`/api/v1/facilities/${encodeURIComponent(FACILITY)}`)).body.id;
    expect(res.body.results).toContainEqual(expect.objectContaining({ entityType: 'facility', entityId: facilityId }));
    expect(res.body.facets.type).toContainEqual(expect.objectContaining({ value: 'facility', count: 1 }));
  });

  it('lists no allegations (the demo has none) and answers an unknown allegation with 404 record.not_found', async () => {
    const list = await get<Page<unknown>>('/api/v1/allegations?limit=50');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    const missing = await get<{ code: string; path: string; requestId: string }>(
      '/api/v1/allegations/no-such-allegation',
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'record.not_found', path: 'id' });
    expect(missing.body.requestId).toBe(missing.headers['x-request-id']);
  });

  it('gives statistics: no documented allegations, and the reported figures listed apart', async () => {
    const res = await get<{
      documented: { allegations: { total: number } };
      reported: Array<{ value: number; counts: string; sourceTitle: string }>;
    }>('/api/v1/statistics?from=2022-01&to=2022-12');
    expect(res.status).toBe(200);
    expect(res.body.documented.allegations.total).toBe(0);
    expect(res.body.reported.map((f) => f.value).sort((a, b) => a - b)).toEqual([7, 20, 27]);
    expect(res.body.reported[0]!.sourceTitle).toContain('denies existence of torture cells');

    const scoped = await get<{ filters: { facilityId: string | null } }>(
      `/api/v1/statistics?facilityId=${encodeURIComponent(FACILITY)}`,
    );
    expect(scoped.status).toBe(200);
    expect(scoped.body.filters.facilityId).toEqual(expect.any(String));
  });

  it('rejects bad statistics filters with the field path', async () => {
    expect((await get('/api/v1/statistics?from=2022-13')).body).toMatchObject({
      code: 'validation.invalid',
      path: 'from',
    });
    expect((await get('/api/v1/statistics?from=2023&to=2022')).body).toMatchObject({
      code: 'validation.invalid',
      path: 'to',
    });
    const unknown = await get('/api/v1/statistics?facilityId=no-such-facility');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'reference.missing', path: 'facilityId' });
  });

  it('serves every controlled vocabulary with English and Russian labels', async () => {
    const res =
      await get<Record<string, Array<{ id: string; en: string; ru: string; group?: string }>>>('/api/v1/vocabularies');
    expect(res.status).toBe(200);
    expect(res.body.statement_stance?.map((t) => t.id)).toContain('denial');
    expect(res.body.act_kind?.find((t) => t.id === 'beating')).toEqual({
      id: 'beating',
      en: 'Beating',
      ru: 'Избиение',
      group: 'physical',
    });
    for (const terms of Object.values(res.body)) {
      for (const t of terms) expect(t.en && t.ru, t.id).toBeTruthy();
    }
  });
});
