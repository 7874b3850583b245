import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { findChromium } from '../../src/evidence/capture-browser.ts';
import { captureUrl } from '../../src/services/capture.service.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { getEvidence } from '../../src/services/evidence.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import {
  ARTICLE_HTML,
  ARTICLE_SENTENCE,
  NAV_TEXT,
  PDF_BYTES,
  startCaptureSite,
  type CaptureSite,
} from '../support/capture-site.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, openTestServices } from '../support/factories.ts';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const CHROMIUM = findChromium();

async function readBlob(svc: Services, sha256: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of await svc.blobs.read(sha256)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function count(svc: Services, table: 'source' | 'evidence_item' | 'custody_event'): Promise<number> {
  return Number(
    (await svc.store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
  );
}

async function blobCount(svc: Services): Promise<number> {
  let n = 0;
  for await (const _ of svc.blobs.list()) n += 1;
  return n;
}

let site: CaptureSite;
beforeAll(async () => {
  site = await startCaptureSite();
});
afterAll(async () => site.close());

describeEachDialect('web capture', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let allegationId: string;
  let documenter: { id: string; role: 'documenter' };
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    documenter = { id: (await addUser(svc, SYSTEM, { username: 'doc', role: 'documenter' })).id, role: 'documenter' };
    allegationId = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
  });
  afterEach(async () => dispose());

  it('captures an article: raw body as received, headers, readable text without the navigation, a source, custody', async () => {
    const c = await captureUrl(svc, documenter, site.url('/article'), {
      allegationId,
      purpose: 'preserve the report',
      allowPrivate: true,
      browser: false,
      kind: 'news_article',
    });
    expect(c).toMatchObject({
      finalUrl: site.url('/article'),
      status: 200,
      redirects: [],
      screenshot: 'missing',
      mediaType: 'text/html',
    });
    expect(c.screenshotMissing).toMatch(/^disabled/);
    expect(c.capturedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(c.items.map((i) => [i.role, i.copyKind, i.mediaType])).toEqual([
      ['body', 'original', 'text/html'],
      ['headers', 'original', 'application/json'],
      ['readable', 'working', 'text/plain'],
    ]);
    const [body, headers, readable] = c.items;
    expect(body!.sha256).toBe(sha(ARTICLE_HTML));
    expect((await readBlob(svc, body!.sha256)).equals(Buffer.from(ARTICLE_HTML))).toBe(true);
    const doc = JSON.parse((await readBlob(svc, headers!.sha256)).toString('utf8'));
    expect(doc).toMatchObject({
      requestedUrl: site.url('/article'),
      finalUrl: site.url('/article'),
      status: 200,
      capturedAt: c.capturedAt,
    });
    expect(doc.headers).toContainEqual(['x-served-by', 'capture-site']);
    const text = (await readBlob(svc, readable!.sha256)).toString('utf8');
    expect(text).toContain(ARTICLE_SENTENCE);
    expect(text).toContain('Отдельно родственники');
    expect(text).not.toContain(NAV_TEXT);
    expect(text).not.toContain('Unrelated story');
    expect(readable!.parentSha256).toBe(body!.sha256);

    const src = await svc.store.db
      .selectFrom('source')
      .selectAll()
      .where('id', '=', c.sourceId)
      .executeTakeFirstOrThrow();
    expect(src).toMatchObject({
      kind: 'news_article',
      url: site.url('/article'),
      outlet: 'Example News',
      language: 'ru',
      collected_at: c.capturedAt,
      collected_by: documenter.id,
    });
    expect(src.title).toContain('Semi-basement cells');
    expect(src.content).toContain(ARTICLE_SENTENCE);

    const bodyItem = await getEvidence(svc, documenter, body!.id);
    expect(bodyItem.item).toMatchObject({
      sourceId: c.sourceId,
      allegationId: allegationId,
      copyKind: 'original',
      capturedFrom: site.url('/article'),
      capturedAt: c.capturedAt,
      tool: expect.stringMatching(/^vigil capture/),
    });
    expect(bodyItem.custody).toHaveLength(1);
    expect(bodyItem.custody[0]).toMatchObject({
      action: 'collected',
      purpose: 'preserve the report',
      actor: documenter.id,
    });
    expect(bodyItem.custody[0]!.detail).toMatchObject({
      status: 200,
      screenshot: 'missing',
      screenshot_missing: expect.stringMatching(/^disabled/),
    });
    const textItem = await getEvidence(svc, documenter, readable!.id);
    expect(textItem.item).toMatchObject({
      copyKind: 'working',
      parentSha256: body!.sha256,
      tool: expect.stringMatching(/^readability \d/),
      transformation: 'readable text of the article',
    });
    expect(textItem.custody.map((e) => e.action)).toEqual(['derived']);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('follows redirects, recording the chain and the final URL', async () => {
    const c = await captureUrl(svc, documenter, site.url('/old'), { allowPrivate: true, browser: false });
    expect(c.finalUrl).toBe(site.url('/article'));
    expect(c.redirects).toEqual([
      { url: site.url('/old'), status: 301, location: '/moved' },
      { url: site.url('/moved'), status: 302, location: '/article#top' },
    ]);
    const body = await getEvidence(svc, documenter, c.items[0]!.id);
    expect(body.item.capturedFrom).toBe(`${site.url('/old')} → ${site.url('/article')}`);
    const doc = JSON.parse((await readBlob(svc, c.items[1]!.sha256)).toString('utf8'));
    expect(doc.redirects.map((r: { status: number }) => r.status)).toEqual([301, 302]);
    await expect(
      captureUrl(svc, documenter, site.url('/loop'), { allowPrivate: true, browser: false }),
    ).rejects.toMatchObject({ code: 'capture.too_many_redirects' });
    await expect(
      captureUrl(svc, documenter, site.url('/to-file'), { allowPrivate: true, browser: false }),
    ).rejects.toMatchObject({ code: 'capture.unsupported_scheme' });
  });

  it('stops a slow page at the time limit and a huge page at the size limit, recording nothing', async () => {
    await expect(
      captureUrl(svc, documenter, site.url('/slow'), { allowPrivate: true, browser: false, timeoutMs: 400 }),
    ).rejects.toMatchObject({ code: 'capture.timeout' });
    await expect(
      captureUrl(svc, documenter, site.url('/huge'), { allowPrivate: true, browser: false, maxBytes: 200_000 }),
    ).rejects.toMatchObject({ code: 'capture.too_large' });
    await expect(
      captureUrl(svc, documenter, site.url('/huge-declared'), {
        allowPrivate: true,
        browser: false,
        maxBytes: 200_000,
      }),
    ).rejects.toMatchObject({ code: 'capture.too_large' });
    expect([await count(svc, 'source'), await count(svc, 'evidence_item'), await blobCount(svc)]).toEqual([0, 0, 0]);
  });

  it('stores a PDF as it is, with no readable text and no screenshot', async () => {
    const c = await captureUrl(svc, documenter, site.url('/report.pdf'), { allowPrivate: true });
    expect(c.mediaType).toBe('application/pdf');
    expect(c.items.map((i) => i.role)).toEqual(['body', 'headers']);
    expect(c.items[0]).toMatchObject({ sha256: sha(PDF_BYTES), size: PDF_BYTES.length, mediaType: 'application/pdf' });
    expect(c).toMatchObject({ screenshot: 'missing', screenshotMissing: expect.stringMatching(/^not_html/) });
  });

  it('stores a 404 with its status: a page taken down is evidence too', async () => {
    const c = await captureUrl(svc, documenter, site.url('/removed-story'), { allowPrivate: true, browser: false });
    expect(c.status).toBe(404);
    expect(c.items.map((i) => i.role)).toEqual(['body', 'headers', 'readable']);
    const src = await svc.store.db
      .selectFrom('source')
      .select(['summary', 'title'])
      .where('id', '=', c.sourceId)
      .executeTakeFirstOrThrow();
    expect(src.summary).toMatch(/^HTTP 404 Not Found\. /);
    const custody = (await getEvidence(svc, documenter, c.items[0]!.id)).custody[0]!;
    expect(custody.detail).toMatchObject({ status: 404 });
  });

  it('keeps a compressed body as received and derives the decoded page from it', async () => {
    const c = await captureUrl(svc, documenter, site.url('/compressed'), { allowPrivate: true, browser: false });
    expect(c.items.map((i) => [i.role, i.mediaType])).toEqual([
      ['body', 'application/gzip'],
      ['decoded', 'text/html'],
      ['headers', 'application/json'],
      ['readable', 'text/plain'],
    ]);
    expect(c.items[1]).toMatchObject({ sha256: sha(ARTICLE_HTML), parentSha256: c.items[0]!.sha256 });
  });

  it('refuses other schemes, private addresses when not allowed, and unknown allegations, before fetching', async () => {
    await expect(captureUrl(svc, documenter, 'file:///etc/passwd')).rejects.toMatchObject({
      code: 'capture.unsupported_scheme',
      path: 'url',
    });
    await expect(captureUrl(svc, documenter, 'data:text/html,<p>x</p>')).rejects.toMatchObject({
      code: 'capture.unsupported_scheme',
    });
    await expect(captureUrl(svc, documenter, site.url('/article'))).rejects.toMatchObject({
      code: 'capture.address_refused',
    });
    await expect(
      captureUrl(svc, documenter, site.url('/article').replace('127.0.0.1', 'localhost')),
    ).rejects.toMatchObject({ code: 'capture.address_refused' });
    await expect(captureUrl(svc, documenter, 'http://[::ffff:127.0.0.1]/')).rejects.toMatchObject({
      code: 'capture.address_refused',
    });
    await expect(captureUrl(svc, documenter, 'not a url')).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'url',
    });
    await expect(
      captureUrl(svc, documenter, site.url('/article'), { allegationId: 'no-such', allowPrivate: true }),
    ).rejects.toMatchObject({ code: 'reference.missing', path: 'allegationId' });
    await expect(
      captureUrl(svc, documenter, 'http://no-such-host.invalid/', { allowPrivate: true, browser: false }),
    ).rejects.toMatchObject({ code: 'capture.unreachable' });
    expect(await count(svc, 'evidence_item')).toBe(0);
  });

  it.runIf(dialect === 'sqlite')('records screenshot_missing when there is no browser', async () => {
    const c = await captureUrl(svc, documenter, site.url('/article'), {
      allowPrivate: true,
      browser: '/nonexistent/chromium',
    });
    expect(c.screenshot).toBe('missing');
    expect(c.screenshotMissing).toMatch(/^failed: /);
    const saved = process.env.VIGIL_CHROMIUM;
    process.env.VIGIL_CHROMIUM = '/nonexistent/chromium';
    try {
      const d = await captureUrl(svc, documenter, site.url('/article'), { allowPrivate: true });
      expect(d).toMatchObject({ screenshot: 'missing', screenshotMissing: expect.stringMatching(/^no_browser/) });
      expect((await getEvidence(svc, documenter, d.items[0]!.id)).custody[0]!.detail).toMatchObject({
        screenshot_missing: expect.stringMatching(/^no_browser/),
      });
    } finally {
      if (saved === undefined) delete process.env.VIGIL_CHROMIUM;
      else process.env.VIGIL_CHROMIUM = saved;
    }
  });

  // One browser launch per run: it takes seconds on a small machine.
  it.runIf(dialect === 'sqlite' && CHROMIUM !== null)(
    'stores a full-page screenshot and a PDF when Chromium is there',
    { timeout: 60_000 },
    async () => {
      const c = await captureUrl(svc, documenter, site.url('/article'), { allowPrivate: true, allegationId });
      expect(c.screenshot, c.screenshotMissing ?? '').toBe('stored');
      const shot = c.items.find((i) => i.role === 'screenshot')!;
      const pdf = c.items.find((i) => i.role === 'pdf')!;
      expect(shot).toMatchObject({ mediaType: 'image/png', copyKind: 'working', parentSha256: c.items[0]!.sha256 });
      expect(pdf).toMatchObject({
        mediaType: 'application/pdf',
        copyKind: 'working',
        parentSha256: c.items[0]!.sha256,
      });
      expect((await readBlob(svc, shot.sha256)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect((await readBlob(svc, pdf.sha256)).subarray(0, 5).toString()).toBe('%PDF-');
      const item = await getEvidence(svc, documenter, shot.id);
      expect(item.item.tool).toMatch(/^chromium \d+\.\d+.* screenshot$/);
      expect(item.custody.map((e) => e.action)).toEqual(['derived']);
      expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
    },
  );
});
