import type { SourceKind } from '../../domain/vocabularies.ts';
import type { Captured } from '../../services/capture.service.ts';
import type { Services } from '../../services/context.ts';
import { formatBytes, startProgress } from '../progress.ts';
import { consoleActor } from '../runtime.ts';

/** Options of `vigil capture`. */
export interface CaptureCommandOptions {
  allegation?: string;
  purpose?: string;
  kind?: string;
  timeout?: number;
  maxBytes?: number;
  browser: boolean;
}

const STEPS = ['fetch', 'store', 'text', 'render'] as const;

/**
 * Captures a page from the console. The operator runs Vigil on their own machine, so the capture
 * may reach private and loopback addresses (the API refuses them unless configured otherwise).
 */
export async function captureCommand(svc: Services, url: string, opts: CaptureCommandOptions): Promise<Captured> {
  // Loaded here, not at start-up: jsdom and the browser driver would slow every other command.
  const { captureUrl } = await import('../../services/capture.service.ts');
  const progress = startProgress('capture', STEPS.length + 1, { unit: 'steps' });
  try {
    const captured = await captureUrl(svc, consoleActor(), url, {
      allegationId: opts.allegation,
      purpose: opts.purpose,
      kind: opts.kind as SourceKind | undefined,
      timeoutMs: opts.timeout !== undefined ? Math.round(opts.timeout * 1000) : undefined,
      maxBytes: opts.maxBytes,
      browser: opts.browser ? undefined : false,
      allowPrivate: true,
      onStep: (step) => progress.update(STEPS.indexOf(step)),
    });
    progress.update(STEPS.length + 1);
    return captured;
  } finally {
    progress.stop();
  }
}

/** What `vigil capture` prints: the page, the source, one line per stored item, the screenshot. */
export function describeCapture(c: Captured): string[] {
  const lines = [
    `capture: ${c.finalUrl} (HTTP ${c.status}${c.redirects.length ? `, ${c.redirects.length} redirect${c.redirects.length > 1 ? 's' : ''} from ${c.requestedUrl}` : ''}) at ${c.capturedAt}`,
    `source ${c.sourceId}: ${c.title}`,
  ];
  for (const i of c.items) {
    lines.push(
      `item ${i.id}\t${i.role}\t${i.copyKind}\t${i.mediaType}\t${formatBytes(i.size)}\tsha256 ${i.sha256}${i.linked ? '\t(already stored)' : ''}`,
    );
  }
  lines.push(
    c.screenshot === 'stored'
      ? 'screenshot: stored (PNG and PDF)'
      : `screenshot: missing (${c.screenshotMissing ?? 'unknown'})`,
  );
  return lines;
}
