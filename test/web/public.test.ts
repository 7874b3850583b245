import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../../src/api/auth/security-headers.ts';
import { webApp } from '../../src/api/web.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { reviewStatement } from '../../src/services/statement.service.ts';
import { createVisit, transitionVisit } from '../../src/services/visit.service.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import {
  collectPageProblems,
  expectNoSeriousAxeViolations,
  launchBrowser,
  makeWebUser,
  recordRequests,
  screenshot,
  signIn,
  startWebServer,
  storeLanguage,
  type WebServer,
} from './harness.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const DENIAL = 'demo:la-155-18:statement:mvd-denial';
const BRIEFING = 'demo:la-155-18:statement:oraz-briefing';
const LANGS = ['en', 'ru'] as const;

const idOf = async (svc: Services, table: 'facility' | 'statement', ext: string) =>
  (await svc.store.db.selectFrom(table).select('id').where('external_id', '=', ext).executeTakeFirstOrThrow()).id;

/**
 * The demo case plus what a public page needs to show: six allegations at LA-155/18 (shown as a
 * number), two at a second facility (shown as <5), two reviewed statements, one conducted visit.
 */
async function populate(svc: Services): Promise<{ facilityId: string; smallFacilityId: string; denialId: string }> {
  const facilityId = await idOf(svc, 'facility', FACILITY);
  for (let i = 0; i < 6; i++) {
    await makeAllegation(svc, {
      facilityId,
      period: { start: `2022-01-0${(i % 5) + 4}`, precision: 'day' },
      acts: i < 3 ? [{ kind: 'beating' }, { kind: 'threats' }] : [{ kind: 'beating' }],
    });
  }
  const smallFacilityId = await makeFacility(svc, {
    name: 'Temporary detention isolator of the Almaty police department',
    nameRu: 'ИВС ДП г. Алматы',
    kind: 'temporary_detention_isolator',
    code: 'ИВС-1',
    city: 'Almaty',
  });
  for (let i = 0; i < 2; i++)
    await makeAllegation(svc, { facilityId: smallFacilityId, period: { start: '2022-02-15', precision: 'day' } });
  const denialId = await idOf(svc, 'statement', DENIAL);
  await reviewStatement(svc, SYSTEM, denialId, {
    rating: 'unsupported',
    rationale: 'Internal: the monitor was told this off the record',
    publicReview: 'No independent access to the semi-basement rooms has been allowed.',
  });
  await reviewStatement(svc, SYSTEM, await idOf(svc, 'statement', BRIEFING), {
    rating: 'unverifiable',
    rationale: 'The 27 reports were not published.',
  });
  const visit = await createVisit(svc, SYSTEM, {
    facilityId,
    body: 'National Preventive Mechanism',
    visitDate: '2022-03-01',
    visitType: 'ad_hoc',
    mode: 'unannounced',
    team: ['monitor A', 'monitor B'],
    findingsPublic: 'The semi-basement rooms were locked; the key was said to be with the duty officer.',
  });
  await transitionVisit(svc, SYSTEM, visit.id, {
    to: 'conducted',
    startedAt: '2022-03-01T09:00:00Z',
    endedAt: '2022-03-01T15:30:00Z',
    areaIds: [],
    registersExamined: [],
    refusedAccess: ['semi-basement rooms'],
  });
  return { facilityId, smallFacilityId, denialId };
}

describe('public site in a real browser', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let ids: Awaited<ReturnType<typeof populate>>;

  beforeAll(async () => {
    web = await startWebServer();
    ids = await populate(web.svc);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  async function open(
    lang: 'en' | 'ru',
    opts: { pinLanguage?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page; requests: { paths: string[] }; problems: { problems: string[] } }> {
    const context = await browser.newContext({
      locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    // Pinned through storage before the app starts; unpinned, the browser's locale decides (and the switch can change it).
    if (opts.pinLanguage ?? true) await storeLanguage(page, lang);
    return { context, page, requests: recordRequests(page, web.url), problems: collectPageProblems(page) };
  }

  /** Every API call the page made was to the public API. */
  function expectOnlyPublicApi(paths: string[]): void {
    const api = paths.filter((p) => p.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.filter((p) => !p.startsWith('/api/v1/public/'))).toEqual([]);
  }

  for (const lang of LANGS) {
    it(`home (${lang}): the demo facility, reported figures 27/7/20 with speaker and as-of, <5 for small counts, public requests only`, async () => {
      const { context, page, requests, problems } = await open(lang);
      try {
        await page.goto(web.url);
        await page.locator('.figure-card').first().waitFor();
        await page.locator('.chart-block canvas').first().waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const text = await page.locator('main').innerText();

        expect(text).toContain(
          lang === 'ru' ? 'Следственный изолятор ЛА-155/18' : 'Pre-trial detention center LA-155/18',
        );
        // The three figures of the briefing, each with who said it and as of when; never summed (no 54).
        const figures = await page.locator('.figure-card').allInnerTexts();
        expect(figures.map((f) => Number(/^\s*(\d+)/.exec(f)?.[1])).sort((a, b) => a - b)).toEqual([7, 20, 27]);
        for (const f of figures) {
          expect(f).toContain('Nurdilda Oraz, Ministry of Internal Affairs');
          expect(f).toMatch(lang === 'ru' ? /январь 2022/i : /January 2022/);
        }
        expect(text).not.toMatch(/\b54\b/);
        // Eight allegations in all; the second facility's two are shown as <5.
        expect(await page.locator('.stat-card').first().innerText()).toMatch(/^8\b/);
        const small = page.locator('.facility-card', {
          hasText: lang === 'ru' ? 'ИВС ДП г. Алматы' : 'Temporary detention isolator',
        });
        expect(await small.locator('.facility-card-count').innerText()).toMatch(/^<5/);
        expect(await small.locator('.count-marker').getAttribute('title')).toMatch(
          lang === 'ru' ? /от 1 до 4/ : /between 1 and 4/,
        );
        // Nothing of the person: no names, no identities (the allegations have none, and none may leak).
        expect(text).not.toMatch(/victim|жертв/i);

        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `public-home-${lang}`);
        expectOnlyPublicApi(requests.paths);
        expect(problems.problems).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`facility, statement and list pages (${lang}): layout with declared use and who declared it, visits, reviews; accessible; public requests only`, async () => {
      const { context, page, requests, problems } = await open(lang);
      try {
        await page.goto(`${web.url}/facilities`);
        await page.locator('table.data-table tbody tr').first().waitFor();
        const rows = await page.locator('table.data-table tbody tr').allInnerTexts();
        expect(rows.length).toBe(2);
        // Sorted by the reader's collation: in Russian "ИВС…" comes before "Следственный…".
        expect(rows[0]).toContain(lang === 'ru' ? 'ИВС ДП г. Алматы' : 'Pre-trial detention center LA-155/18');
        expect(rows.find((r) => r.includes('ИВС-1'))).toMatch(/<5/);
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `public-facilities-${lang}`);

        await page
          .locator('table.data-table a', {
            hasText: lang === 'ru' ? 'Следственный изолятор' : 'Pre-trial detention center',
          })
          .click();
        await page.locator('.area-tree').waitFor();
        const facility = await page.locator('main').innerText();
        expect(facility).toContain(lang === 'ru' ? 'полуподвальные помещения' : 'semi-basement rooms');
        expect(facility).toContain('communication systems; heating units');
        expect(facility).toContain('Ministry of Internal Affairs press service');
        expect(facility).toContain('The semi-basement rooms were locked');
        expect(facility).toContain(lang === 'ru' ? 'Не подкреплено доказательствами' : 'Unsupported');
        // The count as the public API gives it: with a <5 at the other facility, this one is hidden too, or the 2 could be worked out.
        const api = (await (await fetch(`${web.url}/api/v1/public/facilities/${ids.facilityId}`)).json()) as {
          counts: { allegations: unknown };
        };
        expect(api.counts.allegations).toBe('suppressed');
        expect(await page.locator('.stat-card').first().locator('.stat-value').innerText()).toMatch(
          lang === 'ru' ? /^скрыто/ : /^hidden/,
        );
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `public-facility-${lang}`);

        await page.goto(`${web.url}/statements`);
        await page.locator('.statement-card').first().waitFor();
        expect(await page.locator('.statement-card').count()).toBe(2);
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `public-statements-${lang}`);

        await page.goto(`${web.url}/statements/${ids.denialId}`);
        await page.locator('.review').waitFor();
        const statement = await page.locator('main').innerText();
        expect(statement).toContain('No independent access to the semi-basement rooms has been allowed.');
        expect(statement).not.toContain('off the record');
        expect(statement).toContain(lang === 'ru' ? 'Что показывают доказательства' : 'What the evidence shows');
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `public-statement-${lang}`);

        expectOnlyPublicApi(requests.paths);
        expect(problems.problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('switches language from the header and remembers it across pages; the keyboard reaches the switch', async () => {
    const { context, page, requests } = await open('en', { pinLanguage: false });
    try {
      await page.goto(web.url);
      await page.locator('.figure-card').first().waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.getByRole('button', { name: 'Русский' }).click();
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('ru');
      expect(await page.locator('h1').innerText()).toBe('Пытки и жестокое обращение в местах лишения свободы');
      await page.getByRole('link', { name: 'Учреждения' }).click();
      await page.locator('table.data-table').waitFor();
      expect(await page.locator('h1').innerText()).toBe('Места лишения свободы');
      await page.reload();
      await page.locator('table.data-table').waitFor();
      expect(await page.locator('h1').innerText()).toBe('Места лишения свободы');
      expectOnlyPublicApi(requests.paths);
    } finally {
      await context.close();
    }
  });

  it('shows the sign-in page, labelled and accessible, in both languages', async () => {
    for (const lang of LANGS) {
      const { context, page } = await open(lang);
      try {
        await page.goto(`${web.url}/login`);
        await page.getByLabel(lang === 'ru' ? 'Имя пользователя' : 'Username').waitFor();
        await page.getByLabel(lang === 'ru' ? 'Пароль' : 'Password').fill('x');
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `login-${lang}`);
      } finally {
        await context.close();
      }
    }
  });

  it("signs in with the API's cookie session, shows the work navigation for the role, and signs out", async () => {
    const user = await makeWebUser(web.svc, 'documenter');
    const { context, page, problems } = await open('en');
    try {
      await page.goto(`${web.url}/login`);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

      await signIn(page, web.url, user.username, user.password);
      expect(new URL(page.url()).pathname).toMatch(/^\/work\//);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.locator('.user-name').innerText()).toContain(user.username);
      expect(await page.locator('.work-nav a').count()).toBeGreaterThan(0);
      // The session survives a reload (the CSRF cookie tells the app to ask who is signed in).
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      await page.goto(`${web.url}/work/allegations`);
      await page.waitForURL((u) => u.pathname === '/login');
      // The failed sign-in is a 401 the browser logs; nothing else went wrong.
      expect(problems.problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('serves the app at / and at its client-side paths with its own CSP; API paths and missing files stay 404', async () => {
    const home = await fetch(web.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.headers.get('content-security-policy')).toBe(APP_CSP);
    const html = await home.text();
    expect(html).toContain('<div id="root">');
    expect((await fetch(`${web.url}/facilities/${ids.facilityId}`)).status).toBe(200);

    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(web.url + script, { headers: { 'accept-encoding': 'br' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);

    for (const url of ['/api/v1/no-such-route', '/api', '/assets/missing.js', '/favicon.ico']) {
      const res = await fetch(web.url + url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
    }
    expect((await fetch(`${web.url}/api/docs/`)).status).toBe(200);
  });

  it('says how to build the app when dist/web is missing, instead of failing', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'vigil-noweb-'));
    const app = Fastify();
    await app.register(webApp, { root: empty });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:web');
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
