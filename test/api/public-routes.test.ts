import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/services/context.ts';
import { reviewStatement } from '../../src/services/statement.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeSource, makeStatement } from '../support/factories.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

const P = '/api/v1/public';
const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const DENIAL = 'demo:la-155-18:statement:mvd-denial';
const BRIEFING = 'demo:la-155-18:statement:oraz-briefing';

type Page<T> = { items: T[]; nextCursor: string | null };
interface AreaNode {
  label: string;
  declaredUse: string[];
  declaredBy: string | null;
  declaredInStatementId: string | null;
  children: AreaNode[];
}

describeEachDialect('public API on the LA-155/18 demo', (dialect) => {
  let server: TestServer;
  const get = async <T>(url: string, headers: Record<string, string> = {}) => {
    const res = await server.app.inject({ method: 'GET', url, headers });
    return {
      status: res.statusCode,
      body: res.json<T>(),
      payload: res.payload,
      type: String(res.headers['content-type']),
      headers: res.headers,
    };
  };

  beforeAll(async () => {
    server = await openTestServer(dialect, { demo: true });
    const svc = server.svc;
    const facility = (
      await svc.store.db
        .selectFrom('facility')
        .select('id')
        .where('external_id', '=', FACILITY)
        .executeTakeFirstOrThrow()
    ).id;
    for (let i = 0; i < 6; i++)
      await makeAllegation(svc, { facilityId: facility, period: { start: '2022-01-06', precision: 'day' } });
    const id = async (ext: string) =>
      (await svc.store.db.selectFrom('statement').select('id').where('external_id', '=', ext).executeTakeFirstOrThrow())
        .id;
    await reviewStatement(svc, SYSTEM, await id(DENIAL), {
      rating: 'unsupported',
      rationale: 'internal-rationale-denial: our monitor was told off the record',
      publicReview: 'No independent access to the semi-basement rooms has been allowed',
    });
    await reviewStatement(svc, SYSTEM, await id(BRIEFING), {
      rating: 'unverifiable',
      rationale: 'internal-rationale-briefing',
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('serves statistics with documented counts, the suppressed funnel and the reported figures, with rules and provenance', async () => {
    const res = await get<{
      generatedAt: string;
      allegations: { total: unknown; byFacility: { name: string; count: unknown }[] };
      funnel: Record<string, unknown>;
      reported: { value: number; speakerLabel: string; source: { title: string } }[];
      rules: { minimumCount: number };
      provenance: { documented: string };
    }>(`${P}/statistics`);
    expect(res.status).toBe(200);
    expect(res.body.allegations.total).toBe(6);
    expect(res.body.allegations.byFacility).toEqual([
      expect.objectContaining({ name: 'Pre-trial detention center LA-155/18', count: 6 }),
    ]);
    expect(res.body.funnel).toMatchObject({ complaints: 0, registered: 0, internalInquiries: 0 });
    expect(res.body.reported.map((r) => r.value).sort((a, b) => a - b)).toEqual([7, 20, 27]);
    expect(res.body.reported[0]!.source.title).toMatch(/denies existence of torture cells/);
    expect(res.body.rules.minimumCount).toBe(5);
    expect(res.body.provenance.documented).toContain(res.body.generatedAt);
  });

  it('refuses filters on public statistics rather than ignoring them', async () => {
    const res = await get<{ code: string; path: string }>(`${P}/statistics?from=2022-01`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation.invalid', path: 'from' });
  });

  it('lists reported figures beside what Vigil counts of the same thing', async () => {
    const res = await get<{
      items: {
        counts: string;
        value: number;
        vigil: { measure: string; count: unknown } | null;
        statementId: string | null;
      }[];
    }>(`${P}/reported-figures`);
    expect(res.status).toBe(200);
    const byCounts = Object.fromEntries(res.body.items.map((i) => [i.counts, i]));
    expect(byCounts.torture_reports).toMatchObject({ value: 27, vigil: { measure: 'allegations', count: 6 } });
    expect(byCounts.criminal_investigations).toMatchObject({
      value: 7,
      vigil: { measure: 'funnel.registered', count: 0 },
    });
    expect(byCounts.internal_inquiries!.vigil).toMatchObject({ measure: 'funnel.internalInquiries' });
    // The briefing has been reviewed, so the figures link to it.
    expect(byCounts.torture_reports!.statementId).toEqual(expect.any(String));
  });

  it('shows the facility page: layout with declared use and who declared it, counts, reviewed statements', async () => {
    const list = await get<Page<{ id: string; code: string; kindLabel: string; counts: { allegations: unknown } }>>(
      `${P}/facilities`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        code: 'LA-155/18',
        kindLabel: 'Pre-trial detention centre',
        counts: { allegations: 6 },
      }),
    ]);

    const page = await get<{
      cells: number;
      areas: AreaNode[];
      counts: Record<string, unknown>;
      statements: { ratingLabel: string }[];
    }>(`${P}/facilities/${list.body.items[0]!.id}`);
    expect(page.status).toBe(200);
    expect(page.body.cells).toBe(230);
    const secure = page.body.areas.find((a) => a.label === 'secure (regime) buildings')!;
    const basement = secure.children.find((a) => a.label === 'semi-basement rooms')!;
    expect(basement).toMatchObject({
      declaredUse: ['communication systems', 'heating units'],
      declaredBy: 'Ministry of Internal Affairs press service',
    });
    expect(basement.declaredInStatementId).toEqual(expect.any(String)); // the denial is reviewed, so public
    expect(page.body.counts).toEqual({ allegations: 6, visits: 0, statements: 1 });
    expect(page.body.statements).toEqual([expect.objectContaining({ ratingLabel: 'Unsupported' })]);
    expect(JSON.stringify(page.body)).not.toContain('notes');
    expect((await get(`${P}/facilities/${encodeURIComponent(FACILITY)}`)).status).toBe(200);
    expect((await get<{ code: string }>(`${P}/facilities/no-such-facility`)).body.code).toBe('record.not_found');
  });

  it('lists only reviewed statements, each with a ClaimReview, and serves it alone as application/ld+json', async () => {
    const list = await get<Page<{ id: string; speakerKind: string; claimReview: Record<string, unknown> }>>(
      `${P}/statements`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const [briefing, denial] = list.body.items; // by date: end of January, then February
    expect(briefing!.speakerKind).toBe('person');
    // The internal rationale is never published; a review without public text publishes the rating alone.
    expect(list.payload).not.toContain('internal-rationale');
    expect(briefing!.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Unverifiable' });
    expect(denial!.claimReview).toEqual({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: expect.stringMatching(new RegExp(`^http://localhost(:80)?/statements/${encodeURIComponent(denial!.id)}$`)),
      claimReviewed: expect.stringContaining('are not true'),
      datePublished: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      author: { '@type': 'Organization', name: 'Vigil' },
      reviewRating: {
        '@type': 'Rating',
        alternateName: 'Unsupported',
        ratingExplanation: 'No independent access to the semi-basement rooms has been allowed',
      },
      itemReviewed: {
        '@type': 'Claim',
        author: { '@type': 'Organization', name: 'Ministry of Internal Affairs of Kazakhstan, press service' },
        datePublished: '2022-02',
        appearance: {
          '@type': 'CreativeWork',
          headline: expect.stringMatching(/denies existence of torture cells/),
          datePublished: '2022-02',
        },
      },
    });
    expect((briefing!.claimReview.itemReviewed as { author: unknown }).author).toEqual({
      '@type': 'Person',
      name: expect.stringContaining('Nurdilda Oraz'),
    });

    const one = await get<{ id: string }>(`${P}/statements/${denial!.id}`);
    expect(one.body.id).toBe(denial!.id);
    const ld = await get<Record<string, unknown>>(`${P}/statements/${denial!.id}.jsonld`);
    expect(ld.status).toBe(200);
    expect(ld.type).toMatch(/^application\/ld\+json/);
    expect(ld.body).toEqual(denial!.claimReview);
    expect(
      (await get(`${P}/statements/${encodeURIComponent('demo:la-155-18:statement:relatives-allegation')}`)).status,
    ).toBe(404);
  });

  it('exports everything public in one document', async () => {
    const res = await get<{
      statistics: unknown;
      facilities: unknown[];
      statements: unknown[];
      reportedFigures: { items: unknown[] };
    }>(`${P}/export`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="vigil-public-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.body.facilities).toHaveLength(1);
    expect(res.body.statements).toHaveLength(2);
    expect(res.body.reportedFigures.items).toHaveLength(3);
  });

  it('describes the public routes in the OpenAPI document', async () => {
    const doc = (await get<{ paths: Record<string, unknown> }>('/api/openapi.json')).body;
    expect(
      Object.keys(doc.paths)
        .filter((p) => p.startsWith(P))
        .sort(),
    ).toEqual([
      `${P}/export`,
      `${P}/facilities`,
      `${P}/facilities/{id}`,
      `${P}/reported-figures`,
      `${P}/statements`,
      `${P}/statements/{id}`,
      `${P}/statements/{id}.jsonld`,
      `${P}/statistics`,
    ]);
  });
});

// Its own store: the statement it adds would otherwise change what the demo tests above count.
describeEachDialect('public JSON-LD of a statement', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer(dialect);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('serves JSON-LD that is safe to embed in a <script> element: <, >, & and U+2028/2029 are escaped', async () => {
    const svc = server.svc;
    const article = await makeSource(svc, {
      kind: 'news_article',
      title: 'Press release',
      url: 'https://news.example/press',
    });
    const gist = 'No cells \u2028 </script><script>alert(1)</script> & <!-- \u2029 none';
    const id = await makeStatement(svc, {
      sourceId: article,
      stance: 'denial',
      speakerLabel: 'Ministry </script> press service',
      gist,
      review: { rating: 'false', rationale: 'internal note', publicReview: 'Seen </script> on the visit' },
    });
    const res = await server.app.inject({ method: 'GET', url: `${P}/statements/${id}.jsonld` });
    expect(res.statusCode).toBe(200);
    expect(res.payload).not.toMatch(/[<>&\u2028\u2029]/);
    expect(res.payload).toContain('\\u003c/script\\u003e');
    const ld = res.json<{ claimReview: unknown; claimReviewed: string; reviewRating: { ratingExplanation: string } }>();
    expect(ld.claimReviewed).toBe(gist);
    expect(ld.reviewRating.ratingExplanation).toBe('Seen </script> on the visit');
    const missing = await server.app.inject({
      method: 'GET',
      url: `${P}/statements/${encodeURIComponent('</script>')}.jsonld`,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.payload).not.toContain('<');
  });
});
