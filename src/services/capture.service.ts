import { z } from 'zod';
import { Line, RecordKey, WebUrl, PartialDate } from '../domain/entities/common.ts';
import type { SourceInput } from '../domain/entities/source.ts';
import { SourceKindSchema } from '../domain/vocabularies.ts';
import type { ArtefactRole, CaptureOptions, Redirect, WebCapture } from '../evidence/capture.ts';
import { runWrite } from '../store/audited-writer.ts';
import { insertEvidenceItem } from '../store/repositories/evidence.repository.ts';
import type { Actor, Services } from './context.ts';
import { addCustody } from './evidence.service.ts';
import { writeContext } from './record-write.ts';
import { createSource } from './source.service.ts';
import { resolveOptionalRef } from './references.ts';
import { parseInput } from './validate.ts';

/** What a caller asks for: the address, and where the capture belongs. */
export const CaptureInput = z.strictObject({
  url: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .describe('An http or https address'),
  allegationId: RecordKey.optional().describe('File the captured items under this allegation (id or external id)'),
  purpose: Line.optional().describe('Why the page is captured, for the custody log'),
  kind: SourceKindSchema.optional().describe(
    'Kind of the new source (default `other`; e.g. `news_article`, `social_media_post`)',
  ),
});
export type CaptureInput = z.input<typeof CaptureInput>;

/** One evidence item a capture made. */
interface CapturedItem {
  id: string;
  role: ArtefactRole;
  sha256: string;
  size: number;
  mediaType: string;
  copyKind: 'original' | 'working';
  parentSha256: string | null;
  /** The bytes were already stored (an earlier capture of the same content): the item links to them. */
  linked: boolean;
}

/** The outcome of a capture. */
export interface Captured {
  sourceId: string;
  title: string;
  requestedUrl: string;
  finalUrl: string;
  status: number;
  redirects: Redirect[];
  capturedAt: string;
  mediaType: string;
  screenshot: 'stored' | 'missing';
  screenshotMissing: string | null;
  items: CapturedItem[];
}

/** Where the capture belongs (allegation, purpose, source kind), and the fetch limits and switches. */
export type CaptureUrlOptions = Omit<CaptureInput, 'url'> &
  Pick<CaptureOptions, 'timeoutMs' | 'maxBytes' | 'browser' | 'allowPrivate' | 'onStep'>;

/** The longest readable text kept on the source itself (the full text is always in its evidence item). */
const CONTENT_MAX = 100_000;

/**
 * Captures a web page as evidence (domain.md EV5): fetches and stores its files (captureWeb),
 * then in one audited transaction records a new Source for the page and an evidence item per
 * stored file, each with its custody event — `collected` for what the web server sent (the body,
 * its headers), `derived` for what Vigil made from the body (readable text, screenshot, PDF, with
 * the parent hash, transformation and tool). Files are stored before any record is written: a
 * failure leaves at most unreferenced blobs, never a record without its bytes.
 *
 * @example
 *   const c = await captureUrl(svc, actor, 'https://example.org/news/1', { allegationId, purpose: 'preserve the report' });
 */
export async function captureUrl(
  svc: Services,
  actor: Actor,
  url: string,
  opts: CaptureUrlOptions = {},
): Promise<Captured> {
  const { timeoutMs, maxBytes, browser, allowPrivate, onStep, ...links } = opts;
  const req = parseInput(CaptureInput, { url, ...links });
  // A bad allegation is refused before the web is fetched.
  const db = svc.store.db as unknown as Parameters<typeof resolveOptionalRef>[0];
  // A hidden allegation is reference.missing here, like an unknown one (need-to-know).
  const allegationId = await resolveOptionalRef(db, 'allegation', req.allegationId, 'allegationId', actor);
  // Loaded on first use: jsdom and the browser driver are heavy, and most processes never capture.
  const { captureWeb } = await import('../evidence/capture.ts');
  const cap = await captureWeb(svc.blobs, req.url, {
    timeoutMs,
    maxBytes,
    browser,
    allowPrivate,
    onStep,
    clock: svc.clock,
  });
  const source = sourceOf(cap, req.kind ?? 'other');
  const capturedFrom = cap.finalUrl === cap.requestedUrl ? cap.requestedUrl : `${cap.requestedUrl} → ${cap.finalUrl}`;

  const captured = await runWrite(
    svc.store,
    writeContext(svc, actor, req.purpose ?? `web capture of ${cap.requestedUrl}`.slice(0, 500)),
    async (w): Promise<Captured> => {
      const { id: sourceId } = await createSource(svc, actor, source, w);
      const items: CapturedItem[] = [];
      for (const a of cap.artefacts) {
        const id = svc.newId();
        await insertEvidenceItem(w, {
          id,
          externalId: null,
          sourceId,
          allegationId,
          sha256: a.sha256,
          size: a.size,
          mediaType: a.mediaType,
          originalName: a.originalName,
          capturedFrom: capturedFrom.slice(0, 4000),
          capturedAt: cap.capturedAt,
          capturedBy: actor.id,
          tool: a.tool,
          copyKind: a.copyKind,
          parentSha256: a.parentSha256,
          transformation: a.transformation,
        });
        const common = { sha256: a.sha256, size: a.size, role: a.role };
        if (a.copyKind === 'original') {
          await addCustody(svc, w, id, 'collected', {
            purpose: req.purpose ?? null,
            detail: {
              ...common,
              capture: 'web',
              requestedUrl: cap.requestedUrl,
              finalUrl: cap.finalUrl,
              status: cap.status,
              redirects: cap.redirects.length,
              declaredContentType: cap.declaredContentType,
              screenshot: cap.screenshot,
              ...(cap.screenshotMissing !== null ? { screenshot_missing: cap.screenshotMissing } : {}),
            },
          });
        } else {
          await addCustody(svc, w, id, 'derived', {
            purpose: req.purpose ?? null,
            detail: { ...common, from: a.parentSha256, transformation: a.transformation, tool: a.tool },
          });
        }
        items.push({
          id,
          role: a.role,
          sha256: a.sha256,
          size: a.size,
          mediaType: a.mediaType,
          copyKind: a.copyKind,
          parentSha256: a.parentSha256,
          linked: a.existed,
        });
      }
      return {
        sourceId,
        title: source.title,
        requestedUrl: cap.requestedUrl,
        finalUrl: cap.finalUrl,
        status: cap.status,
        redirects: cap.redirects,
        capturedAt: cap.capturedAt,
        mediaType: cap.mediaType,
        screenshot: cap.screenshot,
        screenshotMissing: cap.screenshotMissing,
        items,
      };
    },
  );
  // Each file's RFC 3161 token, requested in the background once the capture is recorded.
  for (const item of captured.items) svc.timestamps?.request(item.sha256);
  return captured;
}

/**
 * The Source of a captured page. Its content is the readable text (up to 100,000 characters, so
 * it is searchable), never the raw body; the summary says what came back when it was not a 2xx.
 */
function sourceOf(cap: WebCapture, kind: string): SourceInput & { title: string } {
  const r = cap.readable;
  const url = new URL(cap.finalUrl);
  const title =
    (r?.title ?? `${url.hostname}${url.pathname === '/' ? '' : url.pathname}`)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 500) || url.hostname;
  const status =
    cap.status >= 200 && cap.status < 300 ? '' : `HTTP ${cap.status}${cap.statusText ? ` ${cap.statusText}` : ''}. `;
  const gist = r?.excerpt ?? (r?.text ? r.text.slice(0, 500) : `${cap.mediaType} captured from ${cap.finalUrl}`);
  const lang = r?.lang?.toLowerCase().split(/[-_]/)[0];
  const published = r?.publishedTime?.slice(0, 10);
  return {
    kind: kind as SourceInput['kind'],
    title,
    ...(WebUrl.safeParse(cap.finalUrl).success ? { url: cap.finalUrl } : {}),
    outlet: (r?.siteName ?? url.hostname).slice(0, 500),
    ...(lang && /^[a-z]{2,3}$/.test(lang) ? { language: lang } : {}),
    ...(published && PartialDate.safeParse(published).success ? { publishedAt: published } : {}),
    collectedAt: cap.capturedAt,
    summary: `${status}${gist}`.slice(0, 2000),
    ...(r?.text ? { content: r.text.slice(0, CONTENT_MAX) } : {}),
  };
}
