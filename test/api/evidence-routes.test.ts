import { createHash, randomBytes } from 'node:crypto';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { SYSTEM } from '../../src/services/context.ts';
import { assignToAllegation } from '../../src/services/access.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import { bearerHeaders, makeUser } from './auth-fixture.ts';
import { openTestServer, type TestServer } from './server-fixture.ts';

type Part = { name: string; value: string | Buffer; filename?: string; type?: string };

/** A multipart/form-data body with its parts in the order given (the order is what some tests are about). */
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vigil${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? `\r\nContent-Type: ${p.type ?? 'application/octet-stream'}` : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`),
      Buffer.from(p.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

/** A small JPEG carrying EXIF with a camera make and GPS coordinates, and the "rotated 90°" orientation. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: '#884422' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCam', Model: 'X1', Copyright: 'relative of the victim' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 15/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '76/1 54/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

describeEachDialect('evidence routes', (dialect) => {
  let server: TestServer;
  let allegationId: string;
  let doc: { authorization: string };
  const savedLimit = process.env.VIGIL_MAX_UPLOAD_BYTES;

  beforeAll(async () => {
    server = await openTestServer(dialect);
    allegationId = await makeAllegation(server.svc, { facilityId: await makeFacility(server.svc) });
    doc = await bearerHeaders(server.svc, 'documenter');
  });
  afterAll(async () => server?.dispose());
  afterEach(() => {
    if (savedLimit === undefined) delete process.env.VIGIL_MAX_UPLOAD_BYTES;
    else process.env.VIGIL_MAX_UPLOAD_BYTES = savedLimit;
  });

  const upload = (parts: Part[], headers: Record<string, string> = doc) => {
    const body = multipart(parts);
    return server.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };
  const get = (url: string, headers: Record<string, string> = doc) =>
    server.app.inject({ method: 'GET', url, headers });
  const counts = async () => {
    const items = await server.svc.store.db
      .selectFrom('evidence_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const blobs: string[] = [];
    for await (const h of server.svc.blobs.list()) blobs.push(h);
    const incoming = await readdir(path.join((server.svc.blobs as FsBlobStore).root, '.incoming')).catch(() => []);
    return { items: Number(items.n), blobs: blobs.length, incoming: incoming.length };
  };

  it('files an upload streamed from multipart: fields first, then the file; shows it with its custody log', async () => {
    const bytes = Buffer.from("statement of the detainee's mother, typed up");
    const res = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'purpose', value: "intake of a relative's statement" },
      { name: 'capturedAt', value: '2022-01-12T10:00:00Z' },
      { name: 'file', value: bytes, filename: 'C:\\Users\\x\\statement.txt', type: 'text/plain' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      sha256: sha(bytes),
      size: bytes.length,
      mediaType: 'text/plain',
      duplicate: false,
      linked: false,
    });
    const shown = await get(`/api/v1/evidence/${res.json().id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      allegationId,
      sha256: sha(bytes),
      originalName: 'statement.txt',
      copyKind: 'original',
      capturedAt: '2022-01-12T10:00:00Z',
      parentSha256: null,
      custody: [{ action: 'collected', purpose: "intake of a relative's statement" }],
    });
    const list = await get(`/api/v1/allegations/${allegationId}/evidence`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(res.json().id);
  });

  it('links a duplicate upload to the first item (200, duplicate), and takes files past the 1 MiB JSON body limit', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const first = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'video.bin' },
    ]);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      sha256: sha(bytes),
      size: bytes.length,
      mediaType: 'application/octet-stream',
    });
    const before = await counts();
    const again = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'copy.bin' },
    ]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true, linked: true });
    expect(await counts()).toEqual(before);
    const custody = (await get(`/api/v1/evidence/${first.json().id}`))
      .json()
      .custody.map((c: { action: string }) => c.action);
    expect(custody).toEqual(['collected', 'received']);
  });

  it('refuses a file over VIGIL_MAX_UPLOAD_BYTES with 413 evidence.too_large and keeps nothing', async () => {
    const before = await counts();
    process.env.VIGIL_MAX_UPLOAD_BYTES = '1000';
    const streamed = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: randomBytes(5000), filename: 'big.bin' },
    ]);
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json()).toMatchObject({ code: 'evidence.too_large', path: 'file' });
    // Far past the limit: refused from the Content-Length, before reading the body.
    const declared = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: randomBytes(1200 * 1024), filename: 'big.bin' },
    ]);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'evidence.too_large' });
    const exact = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: randomBytes(1000), filename: 'exact.bin' },
    ]);
    expect(exact.statusCode).toBe(201);
    const after = await counts();
    expect(after).toEqual({ items: before.items + 1, blobs: before.blobs + 1, incoming: 0 });
  });

  it('refuses uploads without a file, with the file before the fields, or with fields after it; nothing is kept', async () => {
    const before = await counts();
    const bytes = randomBytes(100);
    const noFile = await upload([{ name: 'allegationId', value: allegationId }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ code: 'evidence.file_missing', path: 'file' });
    const fileFirst = await upload([
      { name: 'file', value: bytes, filename: 'a.bin' },
      { name: 'allegationId', value: allegationId },
    ]);
    expect(fileFirst.statusCode).toBe(400);
    expect(fileFirst.json()).toMatchObject({
      code: 'evidence.upload_invalid',
      message: expect.stringMatching(/send the fields first/),
    });
    const fieldAfter = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'a.bin' },
      { name: 'purpose', value: 'late' },
    ]);
    expect(fieldAfter.statusCode).toBe(400);
    expect(fieldAfter.json()).toMatchObject({ code: 'evidence.upload_invalid', path: 'purpose' });
    const twoFiles = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'a.bin' },
      { name: 'file', value: bytes, filename: 'b.bin' },
    ]);
    expect(twoFiles.statusCode).toBe(400);
    const unknownField = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'sha256', value: 'forged' },
      { name: 'file', value: bytes, filename: 'a.bin' },
    ]);
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json()).toMatchObject({ code: 'validation.invalid' });
    const badRef = await upload([
      { name: 'allegationId', value: 'no-such-allegation' },
      { name: 'file', value: bytes, filename: 'a.bin' },
    ]);
    expect(badRef.statusCode).toBe(422);
    expect(badRef.json()).toMatchObject({ code: 'reference.missing', path: 'allegationId' });
    const empty = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: '', filename: 'empty.txt' },
    ]);
    expect(empty.json()).toMatchObject({ code: 'evidence.empty' });
    const broken = await server.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...doc, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="allegationId"\r\n\r\nabc',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    const after = await counts();
    // The empty file leaves one blob (the empty one) by design of the store; no item, and nothing half-written.
    expect({ items: after.items, incoming: after.incoming }).toEqual({ items: before.items, incoming: 0 });
  });

  it('answers a JSON or text body with 415, and other routes stay JSON-only', async () => {
    const json = await server.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: doc,
      payload: { allegationId },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'request.unsupported_media_type' });
    const text = await server.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...doc, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const body = multipart([{ name: 'name', value: 'IVS' }]);
    const elsewhere = await server.app.inject({
      method: 'POST',
      url: '/api/v1/facilities',
      headers: { ...(await bearerHeaders(server.svc, 'monitor')), ...body.headers },
      payload: body.payload,
    });
    expect(elsewhere.statusCode).toBe(415);
    expect(elsewhere.json()).toMatchObject({ code: 'request.unsupported_media_type' });
  });

  it('serves the bytes as an attachment, never inline, and logs the download with its purpose', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    const filed = (
      await upload([
        { name: 'allegationId', value: allegationId },
        { name: 'file', value: html, filename: 'saved page.html', type: 'text/html' },
      ])
    ).json();
    expect(filed.mediaType).toBe('text/html');
    const noPurpose = await get(`/api/v1/evidence/${filed.id}/content`);
    expect(noPurpose.statusCode).toBe(400);
    const res = await get(
      `/api/v1/evidence/${filed.id}/content?purpose=${encodeURIComponent('annex to the complaint')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(html)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'text/html',
      'content-length': String(html.length),
      'x-content-type-options': 'nosniff',
      'content-disposition': expect.stringMatching(
        /^attachment; filename="saved page.html"; filename\*=UTF-8''saved%20page.html$/,
      ),
      'cache-control': 'no-store',
    });
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    const custody = (await get(`/api/v1/evidence/${filed.id}`)).json().custody;
    expect(custody.at(-1)).toMatchObject({ action: 'downloaded', purpose: 'annex to the complaint' });
  });

  it('cuts a download of altered bytes short of its Content-Length, and logs the mismatch', async () => {
    const bytes = randomBytes(256 * 1024);
    const filed = (
      await upload([
        { name: 'allegationId', value: allegationId },
        { name: 'file', value: bytes, filename: 'x.bin' },
      ])
    ).json();
    const file = (server.svc.blobs as FsBlobStore).pathOf(filed.sha256);
    await chmod(file, 0o600);
    const altered = Buffer.from(bytes);
    altered[1000] = altered[1000]! ^ 0xff;
    await writeFile(file, altered);
    let received = -1;
    try {
      const res = await get(`/api/v1/evidence/${filed.id}/content?purpose=check`);
      received = res.rawPayload.length;
    } catch {
      received = 0; // the response was destroyed: as good as cut short
    }
    expect(received).toBeLessThan(bytes.length);
    // The mismatch is logged once the stream has been destroyed: wait for the entry.
    await vi.waitFor(async () => {
      const custody = (await get(`/api/v1/evidence/${filed.id}`)).json().custody;
      expect(custody.at(-1)).toMatchObject({ action: 'verified', detail: { result: 'hash_mismatch' } });
    });
  });

  it('records manual custody actions; disposal is not one of them', async () => {
    const filed = (
      await upload([
        { name: 'allegationId', value: allegationId },
        { name: 'file', value: randomBytes(64), filename: 'x.bin' },
      ])
    ).json();
    const url = `/api/v1/evidence/${filed.id}/custody`;
    const ok = await server.app.inject({
      method: 'POST',
      url,
      headers: doc,
      payload: { action: 'transferred', recipient: "Prosecutor's Office", purpose: 'complaint annex' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const disposed = await server.app.inject({ method: 'POST', url, headers: doc, payload: { action: 'disposed' } });
    expect(disposed.statusCode).toBe(400);
    const viewer = await server.app.inject({
      method: 'POST',
      url,
      headers: await bearerHeaders(server.svc, 'viewer'),
      payload: { action: 'analysed' },
    });
    expect(viewer.statusCode).toBe(403);
    const custody = (await get(`/api/v1/evidence/${filed.id}`)).json().custody;
    expect(custody.at(-1)).toMatchObject({
      action: 'transferred',
      recipient: "Prosecutor's Office",
      purpose: 'complaint annex',
    });
  });

  it('hides the items of a restricted allegation from users off its team (404), until they are assigned', async () => {
    const restricted = await makeAllegation(server.svc, {
      facilityId: await makeFacility(server.svc),
      sensitivity: 'restricted',
    });
    const outsider = await makeUser(server.svc, 'analyst');
    const out = await bearerHeaders(server.svc, outsider);
    const admin = await makeUser(server.svc, 'admin');
    // Need-to-know binds admins too: one assigns themselves (audited) before handling the case.
    await assignToAllegation(server.svc, SYSTEM, restricted, admin.id);
    const filed = (
      await upload(
        [
          { name: 'allegationId', value: restricted },
          { name: 'file', value: await jpegWithGps(), filename: 'cell.jpg' },
        ],
        await bearerHeaders(server.svc, admin),
      )
    ).json();
    expect(filed.id).toEqual(expect.any(String));
    for (const url of [
      `/api/v1/evidence/${filed.id}`,
      `/api/v1/evidence/${filed.id}/content?purpose=x`,
      `/api/v1/allegations/${restricted}/evidence`,
    ]) {
      const res = await get(url, out);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ code: 'record.not_found' });
    }
    for (const url of [`/api/v1/evidence/${filed.id}/custody`, `/api/v1/evidence/${filed.id}/working-copy`]) {
      const res = await server.app.inject({ method: 'POST', url, headers: out, payload: { action: 'analysed' } });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect([400, 404], url).toContain(res.statusCode);
    }
    const wc = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${filed.id}/working-copy`,
      headers: out,
      payload: {},
    });
    expect(wc.statusCode).toBe(404);
    const intoIt = await upload(
      [
        { name: 'allegationId', value: restricted },
        { name: 'file', value: randomBytes(10), filename: 'x.bin' },
      ],
      out,
    );
    expect(intoIt.statusCode).toBe(422);
    await assignToAllegation(server.svc, SYSTEM, restricted, outsider.id);
    expect((await get(`/api/v1/evidence/${filed.id}`, out)).statusCode).toBe(200);
  });

  it('makes a working copy of a JPEG without EXIF or GPS, linked to its untouched original', async () => {
    const jpeg = await jpegWithGps();
    const meta = await sharp(jpeg).metadata();
    expect(meta.exif).toBeDefined();
    const original = (
      await upload([
        { name: 'allegationId', value: allegationId },
        { name: 'file', value: jpeg, filename: 'cell.jpg', type: 'image/jpeg' },
      ])
    ).json();
    expect(original.mediaType).toBe('image/jpeg');
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${original.id}/working-copy`,
      headers: doc,
      payload: { purpose: 'for the public report' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const copy = res.json();
    expect(copy).toMatchObject({
      parentId: original.id,
      parentSha256: sha(jpeg),
      mediaType: 'image/jpeg',
      created: true,
      transformation: 'metadata stripped: exif, gps, xmp, iptc; turned upright (EXIF orientation 6)',
      tool: expect.stringMatching(/^sharp \d/),
    });
    const bytes = (await get(`/api/v1/evidence/${copy.id}/content?purpose=check`)).rawPayload;
    expect(sha(bytes)).toBe(copy.sha256);
    const stripped = await sharp(bytes).metadata();
    expect(stripped.exif).toBeUndefined();
    expect(stripped.xmp).toBeUndefined();
    expect(stripped.iptc).toBeUndefined();
    expect(bytes.includes(Buffer.from('PhoneCam'))).toBe(false);
    expect([stripped.width, stripped.height]).toEqual([20, 40]);
    // The original: same bytes, same hash, still carrying its metadata.
    expect(await server.svc.blobs.check(original.sha256)).toBe('ok');
    const originalBytes = (await get(`/api/v1/evidence/${original.id}/content?purpose=check`)).rawPayload;
    expect(sha(originalBytes)).toBe(sha(jpeg));
    const shownCopy = (await get(`/api/v1/evidence/${copy.id}`)).json();
    expect(shownCopy).toMatchObject({
      copyKind: 'working',
      parentSha256: sha(jpeg),
      allegationId,
      originalName: 'cell.working.jpg',
    });
    expect(shownCopy.custody[0]).toMatchObject({
      action: 'derived',
      purpose: 'for the public report',
      detail: { parentId: original.id, parentSha256: sha(jpeg) },
    });
    const shownOriginal = (await get(`/api/v1/evidence/${original.id}`)).json();
    expect(shownOriginal.custody.map((c: { action: string }) => c.action)).toContain('copied');
    const again = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${original.id}/working-copy`,
      headers: doc,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: copy.id, created: false });
    const ofCopy = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${copy.id}/working-copy`,
      headers: doc,
      payload: {},
    });
    expect(ofCopy.json()).toMatchObject({ code: 'evidence.working_copy_unsupported' });
  });

  it('refuses a working copy of a file that is not an image (422)', async () => {
    const filed = (
      await upload([
        { name: 'allegationId', value: allegationId },
        { name: 'file', value: Buffer.from('%PDF-1.4\n%…'), filename: 'x.pdf' },
      ])
    ).json();
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${filed.id}/working-copy`,
      headers: doc,
      payload: {},
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'evidence.working_copy_unsupported' });
  });

  it('leaves an audit chain that verifies after an upload, a duplicate and a custody action', async () => {
    const bytes = randomBytes(128);
    const filed = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'chain.bin' },
    ]);
    expect(filed.statusCode, filed.body).toBe(201);
    const again = await upload([
      { name: 'allegationId', value: allegationId },
      { name: 'file', value: bytes, filename: 'chain-copy.bin' },
    ]);
    expect(again.statusCode).toBe(200);
    const custody = await server.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/${filed.json().id}/custody`,
      headers: doc,
      payload: { action: 'transferred', recipient: "Prosecutor's Office", purpose: 'complaint annex' },
    });
    expect(custody.statusCode, custody.body).toBe(201);
    const actions = await server.svc.store.db
      .selectFrom('audit_entry')
      .select('action')
      .where('entity_id', '=', filed.json().id)
      .execute();
    expect(actions.length).toBeGreaterThan(0);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
