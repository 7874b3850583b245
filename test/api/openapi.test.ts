import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, buildServer } from '../../src/api/server.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

/** Fastify `/a/:id` as OpenAPI `/a/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document and route schemas', () => {
  let server: TestServer;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    // The hook is added before the server is ready, so it sees every route the plugins register.
    server = await openTestServer('sqlite', { extend: (app) => app.addHook('onRoute', (r) => void routes.push(r)) });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const apiRoutes = () => routes.filter((r) => r.url.startsWith(API_PREFIX) && r.method !== 'HEAD');

  it('registers the API', () => {
    const listed = apiRoutes()
      .map((r) => `${String(r.method)} ${r.url}`)
      .sort();
    expect(listed).toEqual([
      'DELETE /api/v1/allegations/:id/assignments/:userId',
      'DELETE /api/v1/auth/tokens/:id',
      'DELETE /api/v1/users/:id/second-factor',
      'GET /api/v1/allegations',
      'GET /api/v1/allegations/:id',
      'GET /api/v1/allegations/:id/assignments',
      'GET /api/v1/allegations/:id/evidence',
      'GET /api/v1/allegations/:id/history',
      'GET /api/v1/allegations/:id/proposals',
      'GET /api/v1/auth/me',
      'GET /api/v1/auth/second-factor',
      'GET /api/v1/auth/second-factor-policy',
      'GET /api/v1/auth/tokens',
      'GET /api/v1/evidence/:id',
      'GET /api/v1/evidence/:id/content',
      'GET /api/v1/export',
      'GET /api/v1/extractions',
      'GET /api/v1/extractions/:id',
      'GET /api/v1/facilities',
      'GET /api/v1/facilities/:id',
      'GET /api/v1/people',
      'GET /api/v1/people/:id',
      'GET /api/v1/proceedings',
      'GET /api/v1/proceedings/:id',
      'GET /api/v1/proposed-facts',
      'GET /api/v1/public/export',
      'GET /api/v1/public/facilities',
      'GET /api/v1/public/facilities/:id',
      'GET /api/v1/public/reported-figures',
      'GET /api/v1/public/statements',
      'GET /api/v1/public/statements/:id',
      'GET /api/v1/public/statements/:id.jsonld',
      'GET /api/v1/public/statistics',
      'GET /api/v1/reported-figures',
      'GET /api/v1/search',
      'GET /api/v1/sources',
      'GET /api/v1/sources/:id',
      'GET /api/v1/statements',
      'GET /api/v1/statements/:id',
      'GET /api/v1/statistics',
      'GET /api/v1/users',
      'GET /api/v1/visits',
      'GET /api/v1/visits/:id',
      'GET /api/v1/vocabularies',
      'GET /api/v1/witness/heads/:instance',
      'PATCH /api/v1/allegations/:id',
      'PATCH /api/v1/areas/:id',
      'PATCH /api/v1/facilities/:id',
      'PATCH /api/v1/organizations/:id',
      'PATCH /api/v1/people/:id',
      'PATCH /api/v1/reported-figures/:id',
      'PATCH /api/v1/sources/:id',
      'PATCH /api/v1/statements/:id',
      'POST /api/v1/admin/verify',
      'POST /api/v1/allegations',
      'POST /api/v1/allegations/:id/assignments',
      'POST /api/v1/allegations/:id/classification',
      'POST /api/v1/allegations/:id/proposals',
      'POST /api/v1/allegations/:id/proposals/:proposalId/withdraw',
      'POST /api/v1/allegations/:id/transitions',
      'POST /api/v1/areas',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/tokens',
      'POST /api/v1/auth/totp',
      'POST /api/v1/auth/totp/confirm',
      'POST /api/v1/captures',
      'POST /api/v1/evidence',
      'POST /api/v1/evidence/:id/custody',
      'POST /api/v1/evidence/:id/working-copy',
      'POST /api/v1/extractions',
      'POST /api/v1/facilities',
      'POST /api/v1/organizations',
      'POST /api/v1/people',
      'POST /api/v1/people/:id/identity',
      'POST /api/v1/proceedings',
      'POST /api/v1/proceedings/:id/stages',
      'POST /api/v1/proposed-facts/:id/decision',
      'POST /api/v1/recommendations/:id/transitions',
      'POST /api/v1/reported-figures',
      'POST /api/v1/sources',
      'POST /api/v1/statements',
      'POST /api/v1/statements/:id/review',
      'POST /api/v1/users',
      'POST /api/v1/users/:id/revoke-sessions',
      'POST /api/v1/visits',
      'POST /api/v1/visits/:id/transitions',
      'POST /api/v1/witness/heads',
      'PUT /api/v1/auth/second-factor-policy',
    ]);
  });

  it('gives every route under /api/v1 a response schema, including a success and an error response', () => {
    const lacking = apiRoutes().filter((r) => !r.schema?.response);
    expect(lacking.map((r) => r.url)).toEqual([]);
    for (const r of apiRoutes()) {
      const keys = Object.keys(r.schema!.response as object);
      // A create answers 201, or 200 when its external id already existed.
      expect(keys.filter((k) => /^2\d\d$/.test(k)).length, r.url).toBeGreaterThanOrEqual(1);
      expect(keys, r.url).toContain('4xx');
    }
  });

  it('refuses to register an API route without a response schema', async () => {
    const app = buildServer({ svc: server.svc, logger: (await import('pino')).pino({ level: 'silent' }) });
    expect(() => app.get(`${API_PREFIX}/undocumented`, async () => ({ ok: true }))).toThrow(/need a response schema/);
    await app.close();
  });

  it('serves an OpenAPI 3.1 document at /api/openapi.json that describes every route', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = JSON.parse(res.body) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }> }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('Vigil API');
    for (const r of apiRoutes()) {
      const op = doc.paths[openApiPath(r.url)]?.[String(r.method).toLowerCase()];
      expect(op, `${String(r.method)} ${r.url}`).toBeDefined();
      expect(Object.keys(op!.responses).filter((k) => /^2\d\d$/.test(k)).length, r.url).toBeGreaterThanOrEqual(1);
      expect(Object.keys(op!.responses), r.url).toContain('4XX');
    }
    expect(doc.paths['/health']?.get).toBeDefined();
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
    expect(doc.paths['/api/v1/allegations']!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining([
        'query:limit',
        'query:after',
        'query:facilityId',
        'query:status',
        'query:classification',
      ]),
    );
    expect(doc.paths['/api/v1/facilities/{id}']!.get!.parameters).toContainEqual(
      expect.objectContaining({ in: 'path', name: 'id' }),
    );
    // The recursive area tree and the error body are named components.
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['AreaNode', 'FacilityDetail', 'Error', 'Allegation']),
    );
    expect(JSON.stringify(doc)).not.toContain('__SCHEMA__');
  });

  it('serves the docs page at /api/docs', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
  });
});
