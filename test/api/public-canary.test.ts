/**
 * PR10 canary: a victim with a unique name (in Latin and Cyrillic script), sentinel contacts and
 * notes, an allegation with sentinel title, summary and free text, and sentinels in every other
 * free-text field near them; then every route under /api/v1/public (found by walking the
 * registered routes, `:id` filled with real ids) is requested without signing in, and none of
 * the sentinels, nor the victims' pseudonyms, may appear in any response's bytes.
 */
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { classifyAllegation } from '../../src/services/allegation.service.ts';
import { createArea } from '../../src/services/facility.service.ts';
import { createVisit } from '../../src/services/visit.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  makeAllegation,
  makeCriminalCase,
  makeFacility,
  makePerson,
  makeReportedFigure,
  makeSource,
  makeStatement,
} from '../support/factories.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

const PUBLIC_PREFIX = '/api/v1/public';
const DEMO_FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';

/** Strings that must never leave through a public route. */
const SENTINELS = [
  'Zephyrine Quillfeather-Oraz',
  'Zephyrine',
  'Quillfeather',
  'Зефирина Квиллфезер',
  'Зефирина',
  'Квиллфезер',
  'canary-contacts-7f3a+zq@example.invalid',
  'canary-notes-lives-with-aunt-on-Abai-street',
  'canary-title-4b1d',
  'canary-summary-taken-to-the-basement-at-night',
  'canary-act-description-plastic-bag',
  'canary-classification-rationale',
  'canary-period-text',
  'canary-source-title-testimony',
  'canary-source-summary',
  'canary-source-content',
  'canary-area-notes',
  'canary-facility-notes',
  'canary-visit-findings',
  'canary-visit-team',
  'canary-proceeding-reference',
  'canary-victim-statement',
  'canary-review-rationale',
];

interface Canary {
  sentinels: string[];
  /** Ids that name no public record: asking for them must 404 without echoing anything sensitive. */
  privateIds: string[];
}

async function plantCanary(svc: Services): Promise<Canary> {
  const latin = await makePerson(svc, {
    roles: ['victim'],
    custody: 'released',
    identity: {
      name: 'Zephyrine Quillfeather-Oraz',
      birthDate: '1991-04-17',
      contacts: 'canary-contacts-7f3a+zq@example.invalid',
      notes: 'canary-notes-lives-with-aunt-on-Abai-street',
    },
  });
  const cyrillic = await makePerson(svc, {
    roles: ['victim', 'witness'],
    custody: 'released',
    identity: { name: 'Зефирина Квиллфезер' },
  });
  const pseudonyms = (
    await svc.store.db.selectFrom('person').select('pseudonym').where('id', 'in', [latin, cyrillic]).execute()
  ).map((p) => p.pseudonym);
  expect(pseudonyms).toHaveLength(2);

  const facility = (
    await svc.store.db
      .selectFrom('facility')
      .select('id')
      .where('external_id', '=', DEMO_FACILITY)
      .executeTakeFirstOrThrow()
  ).id;
  const testimony = await makeSource(svc, {
    kind: 'testimony',
    title: 'canary-source-title-testimony Zephyrine Quillfeather-Oraz',
    summary: 'canary-source-summary',
    content: 'canary-source-content',
  });
  const allegation = await makeAllegation(svc, {
    title: 'canary-title-4b1d',
    summary: 'canary-summary-taken-to-the-basement-at-night Zephyrine Quillfeather-Oraz',
    facilityId: facility,
    period: { start: '2022-01-07', precision: 'day', text: 'canary-period-text' },
    victims: [{ personId: latin }, { personId: cyrillic }],
    acts: [
      { kind: 'beating', victimId: latin },
      { kind: 'other', victimId: cyrillic, description: 'canary-act-description-plastic-bag' },
    ],
    sources: [{ sourceId: testimony, relation: 'reports' }],
  });
  await classifyAllegation(svc, SYSTEM, allegation, {
    classification: 'torture',
    rationale: 'canary-classification-rationale',
  });
  // Six more at the same facility: the facility's count is published as a number, the path most likely to leak.
  for (let i = 0; i < 6; i++)
    await makeAllegation(svc, { facilityId: facility, period: { start: '2022-01-08', precision: 'day' } });
  // Three at another facility: a '<5' cell and its complement.
  const other = await makeFacility(svc, {
    name: 'IVS Almaty',
    kind: 'temporary_detention_isolator',
    notes: 'canary-facility-notes',
  });
  for (let i = 0; i < 3; i++) await makeAllegation(svc, { facilityId: other, victims: [{ personId: latin }] });
  await makeCriminalCase(svc, { allegationId: allegation, reference: 'canary-proceeding-reference' });

  await createArea(svc, SYSTEM, {
    facilityId: facility,
    level: 'room',
    label: 'interview room 3',
    notes: 'canary-area-notes Zephyrine',
  });
  const visit = await createVisit(svc, SYSTEM, {
    facilityId: facility,
    body: 'NPM of Kazakhstan',
    visitDate: '2022-03-10',
    visitType: 'ad_hoc',
    mode: 'unannounced',
    team: ['canary-visit-team'],
    findings: 'canary-visit-findings: Zephyrine Quillfeather-Oraz showed bruises',
    findingsPublic: 'The semi-basement rooms were locked; the keys were said to be with the deputy head.',
  });
  await svc.store.db.updateTable('visit').set({ status: 'conducted' }).where('id', '=', visit.id).execute();

  // The victim's own words, reviewed: never a public claim, even from a published source.
  const article = await makeSource(svc, {
    title: 'Relatives speak out',
    url: 'https://example.org/relatives',
    summary: 'canary-source-summary',
    content: 'canary-source-content Зефирина',
  });
  const victimStatement = await makeStatement(svc, {
    sourceId: article,
    speakerPersonId: latin,
    speakerLabel: 'Zephyrine Quillfeather-Oraz',
    stance: 'allegation',
    gist: 'canary-victim-statement',
    review: { rating: 'accurate', rationale: 'corroborated' },
  });
  const fromTestimony = await makeStatement(svc, {
    sourceId: testimony,
    gist: 'canary-victim-statement 2',
    review: { rating: 'accurate', rationale: 'x' },
  });
  // A public claim, so the statement routes have something to show.
  await makeStatement(svc, {
    sourceId: article,
    facilityId: facility,
    stance: 'denial',
    speakerLabel: 'Ministry of Internal Affairs, press service',
    gist: 'There is no torture room in the basement',
    // The rationale is internal: only the public review text may leave.
    review: {
      rating: 'contradicted_by_evidence',
      rationale: 'canary-review-rationale: the deputy head admitted it off the record',
      publicReview: 'Visit found locked rooms with no declared use',
    },
  });
  await makeReportedFigure(svc, { sourceId: testimony, value: 1, speakerLabel: 'Zephyrine Quillfeather-Oraz' });

  return {
    sentinels: [...SENTINELS, ...pseudonyms],
    privateIds: [allegation, latin, cyrillic, victimStatement, fromTestimony, testimony],
  };
}

/** Every string inside a JSON value (keys included), so escaped forms are caught as well as raw bytes. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

describeEachDialect('public API canary (PR10)', (dialect) => {
  let server: TestServer;
  let canary: Canary;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    server = await openTestServer(dialect, {
      demo: true,
      extend: (app) => app.addHook('onRoute', (r) => void routes.push(r)),
    });
    canary = await plantCanary(server.svc);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const publicRoutes = () => routes.filter((r) => r.url.startsWith(PUBLIC_PREFIX) && r.method !== 'HEAD');

  it('registers the public routes, each declaring public access', () => {
    expect(
      publicRoutes()
        .map((r) => `${String(r.method)} ${r.url}`)
        .sort(),
    ).toEqual([
      'GET /api/v1/public/export',
      'GET /api/v1/public/facilities',
      'GET /api/v1/public/facilities/:id',
      'GET /api/v1/public/reported-figures',
      'GET /api/v1/public/statements',
      'GET /api/v1/public/statements/:id',
      'GET /api/v1/public/statements/:id.jsonld',
      'GET /api/v1/public/statistics',
    ]);
    for (const r of publicRoutes())
      expect((r.config as { access?: unknown } | undefined)?.access, r.url).toBe('public');
  });

  it('never shows a sentinel, a pseudonym or the allegation text in any public response, and needs no sign-in', async () => {
    const get = (url: string) => server.app.inject({ method: 'GET', url });
    const ids = async (list: string) => {
      const out: string[] = [];
      for (let after: string | null = ''; after !== null; ) {
        const res = await get(`${PUBLIC_PREFIX}/${list}?limit=200${after ? `&after=${after}` : ''}`);
        expect(res.statusCode, list).toBe(200);
        const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
        out.push(...page.items.map((i) => i.id));
        after = page.nextCursor;
      }
      return out;
    };
    const idsFor: Record<string, string[]> = {
      facilities: await ids('facilities'),
      statements: await ids('statements'),
    };
    expect(idsFor.facilities!.length).toBeGreaterThanOrEqual(2);
    expect(idsFor.statements!.length).toBeGreaterThanOrEqual(1);

    const requests: { url: string; expectOk: boolean }[] = [];
    for (const r of publicRoutes()) {
      if (!r.url.includes(':id')) {
        requests.push({ url: r.url, expectOk: true });
        continue;
      }
      const kind = r.url.slice(PUBLIC_PREFIX.length + 1).split('/')[0]!;
      for (const id of idsFor[kind] ?? [])
        requests.push({ url: r.url.replace(':id', encodeURIComponent(id)), expectOk: true });
      // Private records asked for by id: a 404 that echoes nothing sensitive.
      for (const id of canary.privateIds)
        requests.push({ url: r.url.replace(':id', encodeURIComponent(id)), expectOk: false });
    }

    const needles = canary.sentinels.map((s) => ({ s, bytes: Buffer.from(s, 'utf8'), lower: s.toLowerCase() }));
    for (const { url, expectOk } of requests) {
      const res = await get(url); // no cookie, no token: public means signed out
      expect(res.statusCode, url).toBe(expectOk ? 200 : 404);
      const body = res.rawPayload;
      const text = strings(JSON.parse(body.toString('utf8')))
        .join('\n')
        .toLowerCase();
      for (const n of needles) {
        expect(body.includes(n.bytes), `${url} contains "${n.s}"`).toBe(false);
        expect(text.includes(n.lower), `${url} contains "${n.s}" (decoded)`).toBe(false);
      }
    }
    expect(requests.filter((r) => r.expectOk).length).toBeGreaterThan(publicRoutes().length);
  });

  it('still counts the canary allegation: 7 at LA-155/18 beside 3 elsewhere, so the 7 is hidden as the complement of the <5', async () => {
    const get = async <T>(url: string) => (await server.app.inject({ method: 'GET', url })).json<T>();
    const stats = await get<{ allegations: { total: unknown; byFacility: { name: string; count: unknown }[] } }>(
      `${PUBLIC_PREFIX}/statistics`,
    );
    expect(stats.allegations.total).toBe(10);
    expect(stats.allegations.byFacility.map((f) => [f.name, f.count])).toEqual([
      ['IVS Almaty', '<5'],
      ['Pre-trial detention center LA-155/18', 'suppressed'],
    ]);
    const page = await get<{ counts: { allegations: unknown } }>(
      `${PUBLIC_PREFIX}/facilities/${encodeURIComponent(DEMO_FACILITY)}`,
    );
    expect(page.counts.allegations).toBe('suppressed');
  });
});
