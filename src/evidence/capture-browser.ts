import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Route } from 'playwright-core';
import { isPublicHost } from './capture-address.ts';

/** Where Chromium is looked for when VIGIL_CHROMIUM does not say. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless browser that talks to nothing but the page: no updates, sync or first-run calls. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium executable to use: VIGIL_CHROMIUM, else /usr/bin/chromium, or null when it is not there. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidate = env.VIGIL_CHROMIUM || DEFAULT_CHROMIUM;
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return null;
  }
}

/** A rendered page. */
export interface Rendered {
  png: Buffer;
  pdf: Buffer;
  /** e.g. `chromium 156.0.8078.108`. */
  browser: string;
}

/**
 * Renders a captured HTML page in headless Chromium and takes a full-page PNG screenshot and a
 * PDF. The browser is not sent to fetch the page again: its request for the page is answered with
 * the stored bytes, so the pictures show the same document as the stored body. Images, styles and
 * scripts the page loads come from the web (only from public addresses unless `allowPrivate`);
 * once the page is shown, the top frame may not navigate away. Each call uses a fresh profile.
 */
export async function renderPage(opts: {
  executable: string;
  url: string;
  status: number;
  contentType: string;
  body: Uint8Array;
  timeoutMs: number;
  allowPrivate: boolean;
}): Promise<Rendered> {
  const profile = await mkdtemp(path.join(tmpdir(), 'vigil-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.executable,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
    acceptDownloads: false,
    timeout: opts.timeoutMs,
  });
  try {
    const version = context.browser()?.version() ?? 'unknown';
    const page = context.pages()[0] ?? (await context.newPage());
    const target = withoutFragment(opts.url);
    let served = false;
    await context.route('**/*', async (route: Route) => {
      const req = route.request();
      const topLevel = req.isNavigationRequest() && req.frame() === page.mainFrame();
      if (topLevel) {
        if (served || withoutFragment(req.url()) !== target) return route.abort('blockedbyclient');
        served = true;
        return route.fulfill({
          status: opts.status,
          headers: { 'content-type': opts.contentType },
          body: Buffer.from(opts.body),
        });
      }
      const u = new URL(req.url());
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return route.continue();
      if (!opts.allowPrivate && !(await isPublicHost(u.hostname))) return route.abort('blockedbyclient');
      return route.continue();
    });
    page.setDefaultTimeout(opts.timeoutMs);
    await page.goto(opts.url, { waitUntil: 'load', timeout: opts.timeoutMs });
    // Late images and fonts: a short wait for the network to settle, never a failure.
    await page.waitForLoadState('networkidle', { timeout: Math.min(3000, opts.timeoutMs) }).catch(() => undefined);
    const png = await page.screenshot({ fullPage: true, type: 'png', timeout: opts.timeoutMs });
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ printBackground: true, format: 'A4' });
    return { png, pdf, browser: `chromium ${version}` };
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true }).catch(() => undefined);
  }
}

function withoutFragment(u: string): string {
  try {
    const url = new URL(u);
    url.hash = '';
    return url.href;
  } catch {
    return u;
  }
}
