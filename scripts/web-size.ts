/**
 * `npm run size:web`: how much JavaScript the public home page loads, gzip-compressed.
 * Builds the app if needed, serves it with the demo case on a free port, opens `/` in headless
 * Chromium, waits until the page (charts included) has settled, and gzips every script it
 * fetched, as a server compressing at level 9 would send it. The budget is ~300 KB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startWebServer } from '../test/web/harness.ts';
import { WEB_OUT } from './web-build.ts';

const BUDGET = 300 * 1024;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const web = await startWebServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const scripts = new Set<string>();
    const sent: Promise<{ bytes: number; encoding: string }>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      scripts.add(new URL(res.url()).pathname);
      sent.push(
        res
          .request()
          .sizes()
          .then((s) => ({ bytes: s.responseBodySize, encoding: res.headers()['content-encoding'] ?? 'identity' })),
      );
    });
    await page.goto(web.url, { waitUntil: 'networkidle' });
    await page.locator('.chart-block').first().waitFor();
    await page.waitForLoadState('networkidle');

    const rows = [...scripts].sort().map((p) => {
      const body = fs.readFileSync(path.join(WEB_OUT, p));
      return { path: p, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
    });
    const all = fs.readdirSync(path.join(WEB_OUT, 'assets')).filter((f) => f.endsWith('.js'));
    const allGzip = all.reduce(
      (n, f) => n + gzipSync(fs.readFileSync(path.join(WEB_OUT, 'assets', f)), { level: 9 }).length,
      0,
    );
    const total = rows.reduce((n, r) => n + r.gzip, 0);
    const width = Math.max(...rows.map((r) => r.path.length));
    process.stdout.write('JavaScript loaded by the public home page (/):\n');
    for (const r of rows)
      process.stdout.write(`  ${r.path.padEnd(width)}  ${kb(r.raw).padStart(9)}  gzip ${kb(r.gzip).padStart(9)}\n`);
    const onWire = await Promise.all(sent);
    const wire = onWire.reduce((n, s) => n + s.bytes, 0);
    const encodings = [...new Set(onWire.map((s) => s.encoding))].join(', ');
    process.stdout.write(
      `total: ${kb(total)} gzip in ${rows.length} files (budget ${kb(BUDGET)}); as this server sent them: ${kb(wire)} (${encodings})\n`,
    );
    process.stdout.write(`the whole app, every page: ${kb(allGzip)} gzip in ${all.length} files\n`);
    if (total > BUDGET) process.exitCode = 1;
  } finally {
    await browser.close();
    await web.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
