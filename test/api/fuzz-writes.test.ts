import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { AUDITED_TABLES } from '../../src/store/schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

type WriteRoute = { method: string; url: string; role: UserRole };

/** A route's URL with `:id` replaced by a generated path id (or a real one). */
function fill(url: string, id: string): string {
  return url.replace(':id', encodeURIComponent(id));
}

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';

/** Bodies a careless or hostile client sends: wrong types, huge strings, deep nesting, unknown fields, near-valid records. */
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'title',
      'name',
      'kind',
      'version',
      'to',
      'facilityId',
      'acts',
      'roles',
      'identity',
      'value',
      '__proto__',
      'constructor',
      'x',
    ),
    fc.jsonValue(),
  ),
  fc.constant({ title: 'x'.repeat(200_000) }),
  fc.constant(JSON.parse('['.repeat(2000) + ']'.repeat(2000))),
  fc.constant({ name: 'IVS', kind: 'pretrial_detention', unexpected: true }),
  fc.constant({ title: 'Beating', facilityId: FACILITY, acts: [{ kind: 'beating', victimId: { $ne: 1 } }] }),
  fc.constant({ to: 'corroborated', version: -1 }),
  fc.record({
    version: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    name: fc.string(),
    city: fc.string({ maxLength: 600 }),
  }),
);

/** A body each route accepts (with a real path id), so generated ids and shapes also reach the handlers, not only validation. */
const VALID: Record<string, unknown> = {
  'POST /api/v1/facilities': { name: 'IVS', kind: 'temporary_detention_isolator' },
  'PATCH /api/v1/facilities/:id': { city: 'Almaty', version: 1 },
  'POST /api/v1/areas': { facilityId: FACILITY, level: 'room', label: 'Room 1' },
  'PATCH /api/v1/areas/:id': { label: 'Room 2', version: 1 },
  'POST /api/v1/organizations': { name: 'NGO', kind: 'ngo' },
  'PATCH /api/v1/organizations/:id': { name: 'NGO 2', version: 1 },
  'POST /api/v1/people': { roles: ['victim'], identity: { name: 'Fuzz Person' } },
  'PATCH /api/v1/people/:id': { custody: 'released', version: 1 },
  'POST /api/v1/people/:id/identity': { reason: 'fuzz' },
  'POST /api/v1/sources': { kind: 'news_article', title: 'A' },
  'PATCH /api/v1/sources/:id': { title: 'B', version: 1 },
  'POST /api/v1/allegations': {
    title: 'Beating',
    facilityId: FACILITY,
    acts: [{ kind: 'beating' }],
    consent: ['record'],
  },
  'PATCH /api/v1/allegations/:id': { title: 'x', version: 1 },
  'POST /api/v1/allegations/:id/transitions': { to: 'triage' },
  'POST /api/v1/allegations/:id/classification': { classification: 'cidt', rationale: 'r' },
  'POST /api/v1/proceedings': { kind: 'internal_inquiry', body: 'MVD', openedOn: '2022-02-01' },
  'POST /api/v1/proceedings/:id/stages': { to: 'concluded', onDate: '2022-03-01', details: { outcome: 'no_sanction' } },
  'POST /api/v1/statements': {
    speakerLabel: 'MVD',
    sourceId: 'demo:la-155-18:source:article',
    stance: 'denial',
    gist: 'g',
  },
  'PATCH /api/v1/statements/:id': { gist: 'g2', version: 1 },
  'POST /api/v1/statements/:id/review': { rating: 'unsupported', rationale: 'r' },
  'POST /api/v1/reported-figures': {
    value: 1,
    counts: 'x',
    countsLabel: 'x',
    scope: 's',
    asOf: '2022',
    speakerLabel: 's',
    sourceId: 'demo:la-155-18:source:article',
  },
  'PATCH /api/v1/reported-figures/:id': { value: 2, version: 1 },
  'POST /api/v1/visits': {
    facilityId: FACILITY,
    body: 'NPM',
    visitDate: '2022-03-01',
    visitType: 'ad_hoc',
    mode: 'unannounced',
  },
};

const pathId = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constant('../../etc/passwd'),
  fc.constant('x'.repeat(300)),
  fc.constant(FACILITY),
  fc.constant('%00'),
  fc.constant('ЛА-155/18'),
);

async function snapshot(server: TestServer): Promise<string> {
  const counts: number[] = [];
  for (const t of AUDITED_TABLES) {
    counts.push(
      Number(
        (await server.svc.store.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
      ),
    );
  }
  const head = await server.svc.store.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  return JSON.stringify({ counts, head });
}

describeEachDialect('write routes under generated bad input', (dialect) => {
  let server: TestServer;
  const routes: WriteRoute[] = [];
  const headers = new Map<UserRole, Record<string, string>>();

  beforeAll(async () => {
    server = await openTestServer(dialect, {
      demo: true,
      extend: (app) => {
        app.addHook('onRoute', (r) => {
          const access = (r.config as { access?: unknown } | undefined)?.access;
          const method = String(r.method);
          if (!r.url.startsWith('/api/v1/') || !['POST', 'PATCH', 'DELETE'].includes(method) || !Array.isArray(access))
            return;
          if (r.url.includes('/auth/') || r.url.includes('/users')) return; // covered by the auth tests (rate limits, tokens)
          routes.push({ method, url: r.url, role: access[0] as UserRole });
        });
      },
    });
    for (const role of new Set(routes.map((r) => r.role))) headers.set(role, await bearerHeaders(server.svc, role));
  }, 120_000);
  afterAll(async () => server.dispose());

  it('answers every generated request with a 2xx or a 4xx carrying a code; a refusal changes nothing', {
    timeout: 600_000,
  }, async () => {
    expect(routes.length).toBeGreaterThan(15);
    const runs = dialect === 'sqlite' ? 60 : 20;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(body, fc.constant(VALID[`${route.method} ${route.url}`] ?? {})),
          pathId,
          fc.constantFrom('json', 'json', 'broken-json', 'text', 'none'),
          async (payload, id, shape) => {
            const before = await snapshot(server);
            const auth = headers.get(route.role)!;
            const res = await server.app.inject({
              method: route.method as 'POST',
              url: fill(route.url, id),
              headers: {
                ...auth,
                ...(shape === 'text'
                  ? { 'content-type': 'text/plain' }
                  : shape === 'none'
                    ? {}
                    : { 'content-type': 'application/json' }),
              },
              ...(shape === 'broken-json'
                ? { payload: '{"title": "unterminated' }
                : shape === 'text'
                  ? { payload: 'title=x' }
                  : shape === 'none'
                    ? {}
                    : { payload: JSON.stringify(payload) }),
            });
            expect(res.statusCode, `${route.method} ${route.url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              const err = res.json() as { code?: string; message?: string };
              expect(err.code, res.body).toMatch(/^[a-z_]+\.[a-z_]+$/);
              expect(await snapshot(server), `${route.method} ${route.url} changed data though refused`).toBe(before);
            }
          },
        ),
        { numRuns: runs },
      );
    }
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
