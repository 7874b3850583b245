/**
 * Browser tests of the web app: a real server on a fresh SQLite database (demo loaded), the
 * built app, and Debian's Chromium driven by playwright-core.
 *
 *   const web = await startWebServer();
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   await page.goto(web.url);
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { startServer } from '../../src/api/server.ts';
import { demoLines } from '../../src/demo/la-155-18.ts';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { SYSTEM, makeServices, type Services } from '../../src/services/context.ts';
import { formatRejected, importRecords, linesOf } from '../../src/services/import.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import { openStore } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { ensureWebBuilt } from '../../scripts/web-build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where screenshots go (committed: the README shows some). */
const SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots', 'web');
/** Debian's Chromium. */
const CHROMIUM = '/usr/bin/chromium';

export interface WebServer {
  url: string;
  svc: Services;
  close(): Promise<void>;
}

/**
 * A real server (startServer) on 127.0.0.1 and a free port, over a fresh SQLite database, key and
 * blob directory in a temp dir, the LA-155/18 demo loaded (unless `demo: false`), and the web
 * app built (once; skipped while dist/web is newer than its sources).
 */
export async function startWebServer(opts: { demo?: boolean } = {}): Promise<WebServer> {
  await ensureWebBuilt();
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-web-'));
  const store = await openStore({ dialect: 'sqlite', file: path.join(dir, 'vigil.db') });
  const stop = new AbortController();
  try {
    const svc = makeServices(store, new Keyring(randomBytes(32)), { blobs: new FsBlobStore(path.join(dir, 'blobs')) });
    if (opts.demo ?? true) {
      const rejected: string[] = [];
      await importRecords(svc, SYSTEM, linesOf(demoLines()), { onReject: (r) => rejected.push(formatRejected(r)) });
      if (rejected.length > 0) throw new Error(`demo import rejected lines:\n${rejected.join('\n')}`);
    }
    const url = await startServer({ svc, port: 0, logger: pino({ level: 'silent' }), signal: stop.signal });
    return {
      url,
      svc,
      async close() {
        stop.abort();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    stop.abort();
    await store.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Headless Chromium (one per test file; open pages or contexts from it). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--font-render-hinting=none',
    ],
  });
}

/** Signs in through the login page and waits until the app has left it. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  // /work forwards to the role's first page; wait for that too.
  await page.waitForURL((u) => u.pathname !== '/work', { timeout: 15_000 });
}

/** A user of `role` with a password, for signing in through the page. */
export async function makeWebUser(svc: Services, role: string): Promise<{ username: string; password: string }> {
  const username = `${role}-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await addUser(svc, SYSTEM, { username, role: role as UserRole, password });
  return { username, password };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core on the page as it is now; throws listing every serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's own CSP (script-src 'self') does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const list = serious
      .map((v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
      .join('\n');
    throw new Error(`axe found ${serious.length} serious/critical violation(s) on ${page.url()}:\n${list}`);
  }
}

/**
 * A full-page PNG at docs/screenshots/web/<name>.png, stored with a 256-colour palette: pages are
 * flat colours and text, so it looks the same at a third of the size in the repository.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const png = await page.screenshot({ fullPage: true });
  await sharp(png)
    .png({ palette: true, colours: 256, compressionLevel: 9, effort: 8 })
    .toFile(path.join(SCREENSHOT_DIR, `${name}.png`));
}

/** A PNG of one element (a section of a page) at docs/screenshots/web/<name>.png, stored like {@link screenshot}. */
export async function screenshotOf(locator: Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const png = await locator.screenshot();
  await sharp(png)
    .png({ palette: true, colours: 256, compressionLevel: 9, effort: 8 })
    .toFile(path.join(SCREENSHOT_DIR, `${name}.png`));
}

/**
 * Records the path of every request the page makes to its own origin from now on (API calls,
 * scripts, styles), for tests that check what a page asks for.
 */
export function recordRequests(page: Page, origin: string): { paths: string[] } {
  const seen = { paths: [] as string[] };
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin === origin) seen.paths.push(u.pathname + u.search);
  });
  return seen;
}

/**
 * Collects console errors, page errors and content-security-policy violations, so a test can
 * assert a page ran cleanly.
 */
export function collectPageProblems(page: Page): { problems: string[] } {
  const out = { problems: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') out.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => out.problems.push(`pageerror: ${e.message}`));
  return out;
}

/** Sets the app's language before its scripts run (what the language switch remembers). */
export async function storeLanguage(page: Page, lang: 'en' | 'ru'): Promise<void> {
  await page.addInitScript((l) => {
    try {
      localStorage.setItem('vigil.lang', l);
    } catch {
      /* storage blocked: the browser language decides */
    }
  }, lang);
}
