import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HTTP_STATUS, toHttpError } from '../../src/api/errors.ts';
import { ERROR_CODES, VigilError, type ErrorCode } from '../../src/domain/errors.ts';
import { bearerHeaders } from './auth-fixture.ts';
import { capturingLogger, openTestServer, type TestServer } from './server-fixture.ts';

type ErrorResponse = { code: string; message: string; path?: string; requestId: string; issues?: unknown[] };

describe('error mapping', () => {
  it("gives every error code a status, 4xx for the client's mistakes and 500 for the server's", () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const out = toHttpError(new VigilError(code, `detail of ${code}`, { path: 'field' }));
      expect(out.status, code).toBe(HTTP_STATUS[code]);
      if (out.status >= 500) {
        expect(out.body, code).toEqual({ code: 'internal', message: 'internal error' });
      } else {
        expect(out.body, code).toEqual({ code, message: `detail of ${code}`, path: 'field' });
      }
    }
  });

  it('maps the codes as documented', () => {
    expect(HTTP_STATUS['validation.invalid']).toBe(400);
    expect(HTTP_STATUS['reference.missing']).toBe(422);
    expect(HTTP_STATUS['record.not_found']).toBe(404);
    expect(HTTP_STATUS['record.conflict']).toBe(409);
    expect(HTTP_STATUS['record.duplicate']).toBe(409);
    expect(HTTP_STATUS['state.transition_not_allowed']).toBe(409);
    expect(HTTP_STATUS['state.guard_failed']).toBe(422);
    expect(HTTP_STATUS['crypto.decrypt_failed']).toBe(500);
  });

  it('masks anything that is not a Vigil or Fastify request error', () => {
    expect(toHttpError(new TypeError('cannot read x of undefined'))).toEqual({
      status: 500,
      body: { code: 'internal', message: 'internal error' },
    });
    expect(toHttpError('a string')).toMatchObject({ status: 500 });
  });

  it('passes all validation issues when there are several', () => {
    const err = new VigilError('validation.invalid', 'first', {
      path: 'a',
      details: {
        issues: [
          { path: 'a', message: 'first' },
          { path: 'b', message: 'second' },
        ],
      },
    });
    expect(toHttpError(err).body.issues).toHaveLength(2);
  });
});

describe('error responses over HTTP', () => {
  let server: TestServer;
  let auth: { authorization: string };
  const log = capturingLogger();

  beforeAll(async () => {
    server = await openTestServer('sqlite', {
      logger: log.logger,
      bodyLimit: 200,
      extend: (app) => {
        // Test-only routes, outside /api/v1 so they need no response schema.
        app.get('/test/boom', async () => {
          throw new Error('secret detail: /home/monitor/keys and V-0001 = Aigerim');
        });
        app.get('/test/crypto', async () => {
          throw new VigilError('crypto.decrypt_failed', "person.name: cannot be decrypted with this instance's key");
        });
        app.get(
          '/test/bad-response',
          { schema: { response: { 200: z.object({ n: z.number() }) } } },
          async () => ({ n: 'not a number' }) as unknown as { n: number },
        );
        app.post(
          '/test/echo',
          {
            schema: {
              body: z.strictObject({ title: z.string().min(1) }),
              response: { 200: z.object({ title: z.string() }) },
            },
          },
          async (req) => req.body,
        );
      },
    });
    auth = await bearerHeaders(server.svc, 'viewer');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const get = async (url: string) => {
    const res = await server.app.inject({ method: 'GET', url, headers: auth });
    return { status: res.statusCode, body: res.json<ErrorResponse>(), raw: res.body, headers: res.headers };
  };
  const post = async (payload: string, contentType = 'application/json') => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload,
      headers: { 'content-type': contentType },
    });
    return { status: res.statusCode, body: res.json<ErrorResponse>() };
  };

  it.each([
    ['/api/v1/allegations?limit=0', 'limit'],
    ['/api/v1/allegations?limit=abc', 'limit'],
    ['/api/v1/allegations?limit=1000', 'limit'],
    ['/api/v1/allegations?limit=2.5', 'limit'],
    ['/api/v1/facilities?after=not-a-cursor', 'after'],
    ['/api/v1/facilities?after=WyJvbmx5LW9uZSJd', 'after'], // a cursor of the wrong shape: ["only-one"]
    ['/api/v1/facilities?kind=castle', 'kind'],
    ['/api/v1/statements?stance=maybe', 'stance'],
    ['/api/v1/facilities?limitt=5', 'limitt'],
    ['/api/v1/search?limit=0', 'limit'],
  ])('GET %s → 400 validation.invalid at %s', async (url, path) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation.invalid', path });
    expect(res.body.message).toEqual(expect.any(String));
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.raw).not.toContain('    at ');
  });

  it('answers unknown records with 404 record.not_found', async () => {
    for (const url of ['/api/v1/allegations/nope', '/api/v1/facilities/nope', '/api/v1/statements/nope']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.body, url).toMatchObject({ code: 'record.not_found', path: 'id' });
    }
  });

  it('answers unknown endpoints with 404 request.route_not_found', async () => {
    const res = await get('/api/v1/torture-rooms?x=1');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'request.route_not_found',
      message: 'no endpoint GET /api/v1/torture-rooms',
    });
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it('answers a malformed URL with 400 request.invalid', async () => {
    const res = await get('/api/v1/facilities/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.invalid');
  });

  it("turns Fastify's request errors into 4xx with stable codes", async () => {
    expect(await post('{"title": ')).toMatchObject({ status: 400, body: { code: 'request.invalid_json' } });
    expect(await post('')).toMatchObject({ status: 400, body: { code: 'request.invalid_json' } });
    expect(await post('<title/>', 'application/xml')).toMatchObject({
      status: 415,
      body: { code: 'request.unsupported_media_type' },
    });
    expect(await post(JSON.stringify({ title: 'x'.repeat(500) }))).toMatchObject({
      status: 413,
      body: { code: 'request.body_too_large' },
    });
    expect(await post(JSON.stringify({ title: '' }))).toMatchObject({
      status: 400,
      body: { code: 'validation.invalid', path: 'title' },
    });
    expect(await post(JSON.stringify({ title: 'ok', extra: 1 }))).toMatchObject({
      status: 400,
      body: { code: 'validation.invalid', path: 'extra' },
    });
    expect(await post(JSON.stringify({ title: 'ok' }))).toMatchObject({ status: 200, body: { title: 'ok' } });
  });

  it('masks an unexpected error as 500 with a request id, and logs it under that id', async () => {
    const res = await get('/test/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'internal', message: 'internal error', requestId: res.headers['x-request-id'] });
    expect(res.raw).not.toContain('secret');
    expect(res.raw).not.toContain('    at ');
    const entry = log.lines().find((l) => l.reqId === res.body.requestId && l.level === 50);
    expect(entry?.msg).toBe('request failed');
    expect((entry?.err as { message?: string } | undefined)?.message).toContain('secret detail');
  });

  it('masks server-side Vigil errors (crypto) and response-schema mismatches as 500', async () => {
    const crypto = await get('/test/crypto');
    expect(crypto.status).toBe(500);
    expect(crypto.body.code).toBe('internal');
    expect(crypto.raw).not.toContain('decrypt');
    expect(log.lines().find((l) => l.reqId === crypto.body.requestId && l.level === 50)?.code).toBe(
      'crypto.decrypt_failed',
    );

    const mismatch = await get('/test/bad-response');
    expect(mismatch.status).toBe(500);
    expect(mismatch.body.code).toBe('internal');
  });

  it('logs rejected requests by code and path only, and never the client address or query', async () => {
    await get('/api/v1/facilities?kind=castle&city=SecretVillage');
    const text = log.text();
    expect(text).not.toContain('SecretVillage');
    expect(text).not.toContain('remoteAddress');
    expect(text).not.toContain('castle');
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ msg: 'request rejected', code: 'validation.invalid', path: 'kind' }),
    );
  });
});
