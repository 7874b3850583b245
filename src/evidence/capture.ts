import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { VigilError } from '../domain/errors.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';
import { findChromium, renderPage, DEFAULT_CHROMIUM } from './capture-browser.ts';
import { fetchWithLimits, headerOf } from './capture-fetch.ts';
import { READABLE_TOOL, readableText, type ReadableText } from '../extract/html.ts';

/** Default time limit of a fetch: 30 s (the browser gets the same again). */
const DEFAULT_CAPTURE_TIMEOUT_MS = 30_000;
/** Default largest response body: 50 MiB. */
const DEFAULT_CAPTURE_MAX_BYTES = 50 * 1024 * 1024;
/** Redirects followed before giving up. */
const MAX_REDIRECTS = 10;
/** HTML larger than this is stored but not parsed for text or rendered: 16 MiB. */
const PARSE_MAX_BYTES = 16 * 1024 * 1024;
/** The `tool` of what the fetch itself stores. */
const CAPTURE_TOOL = 'vigil capture 0.1.0';
const USER_AGENT = 'Mozilla/5.0 (compatible; Vigil/0.1; evidence capture)';

/** What each stored file of a capture is. */
export type ArtefactRole = 'body' | 'decoded' | 'headers' | 'readable' | 'screenshot' | 'pdf';

/** One file a capture stored in the blob store. */
interface Artefact {
  role: ArtefactRole;
  sha256: string;
  size: number;
  /** The bytes were already stored (by an earlier capture of the same content). */
  existed: boolean;
  mediaType: string;
  /** `original`: bytes as received from the web server; `working`: made by Vigil from them. */
  copyKind: 'original' | 'working';
  parentSha256: string | null;
  transformation: string | null;
  tool: string;
  originalName: string;
}

/** A redirect the fetch followed. */
export interface Redirect {
  url: string;
  status: number;
  location: string;
}

/** Everything a capture learned and stored; the records are made from it afterwards. */
export interface WebCapture {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  statusText: string;
  redirects: Redirect[];
  /** When the final response arrived, ISO-8601 in UTC. */
  capturedAt: string;
  /** What the body is: sniffed from its bytes, else as declared. */
  mediaType: string;
  declaredContentType: string | null;
  html: boolean;
  readable: ReadableText | null;
  screenshot: 'stored' | 'missing';
  /** Why there is no screenshot (no browser, not HTML, disabled, or the browser failed). */
  screenshotMissing: string | null;
  artefacts: Artefact[];
}

/** How a capture is made. */
export interface CaptureOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Reach loopback and private networks (off by default: a server must not be made to fetch its own network). */
  allowPrivate?: boolean;
  /** false: no browser; a string: this Chromium executable; default: VIGIL_CHROMIUM or /usr/bin/chromium when present. */
  browser?: boolean | string;
  clock?: () => Date;
  /** Told of each step as it starts, for a progress display. */
  onStep?: (step: 'fetch' | 'store' | 'text' | 'render') => void;
}

const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** `text/html; charset=utf-8` → `text/html`, or null when it is not a media type. */
function essence(contentType: string | undefined): string | null {
  const e = contentType?.split(';')[0]?.trim().toLowerCase();
  return e && MEDIA_TYPE.test(e) ? e : null;
}

function looksLikeHtml(head: Uint8Array): boolean {
  const start = Buffer.from(head)
    .toString('latin1', 0, 512)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  return (
    start.startsWith('<!doctype html') ||
    start.startsWith('<html') ||
    /^<!--[\s\S]*?-->\s*<(!doctype html|html)/.test(start)
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Captures a web page: fetches it within a time and size limit (following up to 10 redirects),
 * and stores in the blob store the body exactly as received, the response headers and redirect
 * chain as a JSON document, for HTML the readable text (Readability), and when Chromium is there
 * a full-page PNG screenshot and a PDF of the page. Nothing is recorded in the database here:
 * the caller records the items once every file is stored, so a failure leaves at most unreferenced
 * blobs, never a record without its bytes.
 *
 * Any final status is stored, a 404 or 410 included: that a page was gone is itself evidence.
 */
export async function captureWeb(blobs: BlobStore, url: string, opts: CaptureOptions = {}): Promise<WebCapture> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_CAPTURE_MAX_BYTES;
  const allowPrivate = opts.allowPrivate ?? false;
  opts.onStep?.('fetch');
  const fetched = await fetchWithLimits(
    url,
    { timeoutMs, maxBytes, maxRedirects: MAX_REDIRECTS, allowPrivate, userAgent: USER_AGENT },
    opts.clock,
  );
  let raw: StoredBlob;
  try {
    opts.onStep?.('store');
    raw = await blobs.put(fetched.body);
  } finally {
    fetched.close();
  }
  const capturedAt = fetched.respondedAt.toISOString();
  const declaredContentType = headerOf(fetched.headers, 'content-type') ?? null;
  const artefacts: Artefact[] = [];
  const encoding = headerOf(fetched.headers, 'content-encoding')?.trim().toLowerCase() ?? '';
  const encoded = encoding !== '' && encoding !== 'identity';

  // The content is the body itself, or, when the server compressed it anyway, the body decoded.
  let content: StoredBlob | null = raw;
  if (encoded) content = DECODERS[encoding] ? await decode(blobs, raw, DECODERS[encoding](), maxBytes) : null;
  const sniffed = content ? (await fileTypeFromBuffer(content.head))?.mime : undefined;
  const declared = essence(declaredContentType ?? undefined);
  const mediaType =
    sniffed ?? declared ?? (content && looksLikeHtml(content.head) ? 'text/html' : 'application/octet-stream');
  const html = content !== null && HTML_TYPES.has(mediaType);

  const ext = html ? 'html' : mediaType.split('/')[1]?.replace(/[^a-z0-9]+/g, '') || 'bin';
  artefacts.push(
    item(
      'body',
      raw,
      encoded
        ? encoding === 'gzip' || encoding === 'x-gzip'
          ? 'application/gzip'
          : 'application/octet-stream'
        : mediaType,
      'original',
      null,
      null,
      CAPTURE_TOOL,
      encoded ? `body.${encoding}` : `body.${ext}`,
    ),
  );
  if (encoded && content) {
    artefacts.push(
      item(
        'decoded',
        content,
        mediaType,
        'working',
        raw.sha256,
        `content-encoding ${encoding} decoded`,
        'node zlib',
        `body.${ext}`,
      ),
    );
  }

  const headersDoc = {
    requestedUrl: url,
    finalUrl: fetched.url,
    capturedAt,
    status: fetched.status,
    statusText: fetched.statusText,
    httpVersion: fetched.httpVersion,
    headers: fetched.headers,
    redirects: fetched.redirects,
    tool: CAPTURE_TOOL,
  };
  const headers = await blobs.put(once(Buffer.from(`${JSON.stringify(headersDoc, null, 2)}\n`, 'utf8')));
  artefacts.push(item('headers', headers, 'application/json', 'original', null, null, CAPTURE_TOOL, 'headers.json'));

  const contentType =
    declaredContentType && HTML_TYPES.has(essence(declaredContentType) ?? '') ? declaredContentType : 'text/html';
  const parseable = html && content !== null && content.size <= PARSE_MAX_BYTES ? content : null;
  const page = parseable ? { body: await readAll(await blobs.read(parseable.sha256)), sha256: parseable.sha256 } : null;

  let readable: ReadableText | null = null;
  if (page) {
    opts.onStep?.('text');
    try {
      readable = readableText(page.body, fetched.url, contentType);
    } catch {
      readable = null; // a document jsdom cannot parse still has its body stored
    }
    if (readable && readable.text !== '') {
      const text = await blobs.put(once(Buffer.from(`${readable.text}\n`, 'utf8')));
      const how =
        readable.method === 'article' ? 'readable text of the article' : 'text of the whole page (no article found)';
      artefacts.push(item('readable', text, 'text/plain', 'working', page.sha256, how, READABLE_TOOL, 'readable.txt'));
    }
  }

  let screenshotMissing: string | null = null;
  const executable = opts.browser === false ? null : typeof opts.browser === 'string' ? opts.browser : findChromium();
  if (opts.browser === false) screenshotMissing = 'disabled: capture made without a browser';
  else if (!html) screenshotMissing = `not_html: a ${mediaType} body is stored as it is`;
  else if (!page) screenshotMissing = `too_large: HTML over ${PARSE_MAX_BYTES} bytes is not rendered`;
  else if (!executable)
    screenshotMissing = `no_browser: no Chromium at ${process.env.VIGIL_CHROMIUM || DEFAULT_CHROMIUM} (set VIGIL_CHROMIUM)`;
  else {
    opts.onStep?.('render');
    try {
      const r = await renderPage({
        executable,
        url: fetched.url,
        status: fetched.status,
        contentType,
        body: page.body,
        timeoutMs,
        allowPrivate,
      });
      const png = await blobs.put(once(r.png));
      const pdf = await blobs.put(once(r.pdf));
      artefacts.push(
        item(
          'screenshot',
          png,
          'image/png',
          'working',
          page.sha256,
          'full-page screenshot',
          `${r.browser} screenshot`,
          'screenshot.png',
        ),
      );
      artefacts.push(
        item(
          'pdf',
          pdf,
          'application/pdf',
          'working',
          page.sha256,
          'page printed to PDF',
          `${r.browser} pdf`,
          'page.pdf',
        ),
      );
    } catch (err) {
      screenshotMissing = `failed: ${((err as Error)?.message ?? String(err)).split('\n')[0]?.slice(0, 300)}`;
    }
  }

  return {
    requestedUrl: url,
    finalUrl: fetched.url,
    status: fetched.status,
    statusText: fetched.statusText,
    redirects: fetched.redirects.map(({ url: u, status, location }) => ({ url: u, status, location })),
    capturedAt,
    mediaType,
    declaredContentType,
    html,
    readable,
    screenshot: screenshotMissing === null ? 'stored' : 'missing',
    screenshotMissing,
    artefacts,
  };
}

function item(
  role: ArtefactRole,
  blob: StoredBlob,
  mediaType: string,
  copyKind: 'original' | 'working',
  parentSha256: string | null,
  transformation: string | null,
  tool: string,
  originalName: string,
): Artefact {
  return {
    role,
    sha256: blob.sha256,
    size: blob.size,
    existed: blob.existed,
    mediaType,
    copyKind,
    parentSha256,
    transformation,
    tool,
    originalName,
  };
}

/** Stores the decoded content of a compressed body (a compression bomb stops at the size limit). */
async function decode(
  blobs: BlobStore,
  raw: StoredBlob,
  decoder: Transform,
  maxBytes: number,
): Promise<StoredBlob | null> {
  const source = await blobs.read(raw.sha256);
  source.on('error', (err) => decoder.destroy(err));
  try {
    return await blobs.put(source.pipe(decoder), { maxBytes });
  } catch (err) {
    if (err instanceof VigilError && err.code === 'evidence.too_large') {
      throw new VigilError(
        'capture.too_large',
        `the decoded response is larger than the capture limit of ${maxBytes} bytes`,
        { path: 'url', details: { maxBytes } },
      );
    }
    if (err instanceof VigilError) throw err;
    return null; // a body that does not decode is still stored as received
  } finally {
    source.destroy();
  }
}
