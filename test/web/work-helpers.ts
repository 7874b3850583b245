/** Helpers shared by the browser tests of the work pages (test/web/work-*.test.ts). */
import type { Page } from 'playwright-core';

/**
 * Routes the work pages read when the server has them and skip when it does not (the evidence
 * list, the audit history). A 404 from one of these is expected; any other is a bug.
 */
const OPTIONAL = [/^\/api\/v1\/allegations\/[^/]+\/evidence$/, /^\/api\/v1\/allegations\/[^/]+\/history$/];

/** Collects console errors, page errors and unexpected 4xx/5xx answers (the optional routes' 404 aside). */
export function watchProblems(page: Page): { problems: string[] } {
  const out = { problems: [] as string[] };
  page.on('console', (m) => {
    // Failed loads are judged by their response below, where the address is known.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      out.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => out.problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    const u = new URL(r.url());
    const where = u.pathname + u.search;
    if (r.status() === 404 && OPTIONAL.some((re) => re.test(where))) return;
    if (r.status() >= 400) out.problems.push(`${r.status()} ${r.request().method()} ${where}`);
  });
  return out;
}
