import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ARTICLE_SENTENCE, startCaptureSite, type CaptureSite } from '../support/capture-site.ts';
import { describeEachDialect } from '../support/databases.ts';
import { bearerHeaders } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

describeEachDialect('POST /api/v1/captures', (dialect) => {
  let server: TestServer;
  let site: CaptureSite;
  const saved = { allow: process.env.VIGIL_CAPTURE_ALLOW_PRIVATE, chromium: process.env.VIGIL_CHROMIUM };
  beforeAll(async () => {
    server = await openTestServer(dialect);
    site = await startCaptureSite();
    // No browser here: the service tests cover the screenshot, and a launch costs seconds.
    process.env.VIGIL_CHROMIUM = '/nonexistent/chromium';
  });
  afterEach(() => {
    if (saved.allow === undefined) delete process.env.VIGIL_CAPTURE_ALLOW_PRIVATE;
    else process.env.VIGIL_CAPTURE_ALLOW_PRIVATE = saved.allow;
  });
  afterAll(async () => {
    if (saved.chromium === undefined) delete process.env.VIGIL_CHROMIUM;
    else process.env.VIGIL_CHROMIUM = saved.chromium;
    await site.close();
    await server.dispose();
  });

  it('captures a page for a documenter; refuses private addresses unless allowed, other schemes, and viewers', async () => {
    const headers = await bearerHeaders(server.svc, 'documenter');
    const post = (payload: unknown, h: Record<string, string> = headers) =>
      server.app.inject({ method: 'POST', url: '/api/v1/captures', headers: h, payload: payload as object });

    const refused = await post({ url: site.url('/article') });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'capture.address_refused', path: 'url' });
    expect((await post({ url: 'file:///etc/passwd' })).json()).toMatchObject({ code: 'capture.unsupported_scheme' });
    expect((await post({ url: site.url('/article'), extra: 1 })).statusCode).toBe(400);
    expect((await post({ url: site.url('/article') }, await bearerHeaders(server.svc, 'viewer'))).statusCode).toBe(403);

    process.env.VIGIL_CAPTURE_ALLOW_PRIVATE = '1';
    const res = await post({
      url: site.url('/old'),
      purpose: 'preserve before it is taken down',
      kind: 'news_article',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      finalUrl: site.url('/article'),
      status: 200,
      screenshot: 'missing',
      screenshotMissing: expect.stringMatching(/^no_browser/),
    });
    expect(body.redirects).toHaveLength(2);
    expect(body.items.map((i: { role: string }) => i.role)).toEqual(['body', 'headers', 'readable']);
    const source = await server.app.inject({ method: 'GET', url: `/api/v1/sources/${body.sourceId}`, headers });
    expect(source.statusCode).toBe(200);
    expect(source.json()).toMatchObject({ kind: 'news_article', url: site.url('/article') });
    expect(JSON.stringify(source.json())).toContain(ARTICLE_SENTENCE.slice(0, 40));

    const huge = await server.app.inject({
      method: 'POST',
      url: '/api/v1/captures',
      headers,
      payload: { url: site.url('/huge-declared') },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'capture.too_large' });
  });
});
