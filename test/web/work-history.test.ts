/**
 * The history on an allegation's page (issue 11), in a real browser: after edits of the title, the
 * acts, the consent and the status, and of the victim's identity, the page shows each change with
 * labels in English and in Russian (no codes), usernames, and never the victim's name.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllegation, transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import { revealIdentity, updatePerson } from '../../src/services/person.service.ts';
import { makePerson } from '../support/factories.ts';
import {
  expectNoSeriousAxeViolations,
  launchBrowser,
  makeWebUser,
  screenshotOf,
  signIn,
  startWebServer,
  type WebServer,
} from './harness.ts';
import { watchProblems } from './work-helpers.ts';

const NAME = 'Dana Historyeva-93f';

describe('the history of an allegation in a real browser', { timeout: 300_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let analyst: { username: string; password: string };
  let allegationId: string;

  beforeAll(async () => {
    web = await startWebServer({ demo: false });
    analyst = await makeWebUser(web.svc, 'analyst');
    const me = {
      id: (
        await web.svc.store.db
          .selectFrom('app_user')
          .select('id')
          .where('username', '=', analyst.username)
          .executeTakeFirstOrThrow()
      ).id,
      role: 'analyst' as const,
    };
    const victim = await makePerson(web.svc, { roles: ['victim'], identity: { name: NAME } });
    ({ id: allegationId } = await createAllegation(web.svc, me, {
      title: 'Beaten in the semi-basement',
      period: { start: '2022-01-21', precision: 'day' },
      acts: [{ kind: 'beating', victimId: victim }, { kind: 'forced_signature' }],
      victims: [{ personId: victim }],
      consent: ['record', 'share'],
    }));
    await updateAllegation(web.svc, me, allegationId, {
      title: 'Beaten and threatened in the semi-basement',
      version: 1,
    });
    await updateAllegation(web.svc, me, allegationId, {
      acts: [{ kind: 'beating', victimId: victim }, { kind: 'threats' }],
      version: 2,
    });
    await updateAllegation(web.svc, me, allegationId, { consent: ['record'], version: 3 });
    await transitionAllegationStatus(web.svc, me, allegationId, { to: 'triage', reason: 'First look at the report' });
    await updatePerson(web.svc, me, victim, { identity: { name: `${NAME} (married name)` }, version: 1 });
    await revealIdentity(web.svc, me, victim, 'Preparing the complaint');
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  async function open(
    lang: 'en' | 'ru',
  ): Promise<{ page: Page; history: ReturnType<Page['locator']>; problems: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
      timezoneId: 'Asia/Almaty',
    });
    const page = await context.newPage();
    await signIn(page, web.url, analyst.username, analyst.password);
    const { problems } = watchProblems(page);
    await page.addInitScript((l) => localStorage.setItem('vigil.lang', l), lang);
    await page.goto(`${web.url}/work/allegations/${allegationId}`);
    const history = page.locator('section#history');
    await expect.poll(() => history.locator('ol.history > li').count(), { timeout: 15_000 }).toBe(12);
    // The latest twelve show; the earlier ones on request.
    const total = (await web.svc.store.db.selectFrom('audit_entry').select('seq').execute()).length;
    await history
      .getByRole('button', { name: lang === 'ru' ? /^Показать \d+ более ран/ : /^Show \d+ earlier entr/ })
      .click();
    await expect.poll(() => history.locator('ol.history > li').count()).toBeGreaterThan(12);
    expect(await history.locator('ol.history > li').count()).toBeLessThanOrEqual(total);
    return { page, history, problems };
  }

  const cases = {
    en: {
      lines: [
        'Allegation changed',
        'Title: “Beaten in the semi-basement” → “Beaten and threatened in the semi-basement”',
        'Act removed',
        'Act: Forced signature',
        'Act added',
        'Act: Threats',
        'Consent withdrawn',
        'Consent withdrawn: Share with partners',
        'Status changed',
        'Status: Received → Triage',
        'First look at the report',
        'Person’s record changed: V-0001',
        'Name: changed',
        'Identity revealed: V-0001',
        'Preparing the complaint',
      ],
    },
    ru: {
      lines: [
        'Сообщение изменено',
        'Заголовок: «Beaten in the semi-basement» → «Beaten and threatened in the semi-basement»',
        'Удалено действие',
        'Действие: Принуждение к подписи',
        'Добавлено действие',
        'Действие: Угрозы жертве, родным',
        'Согласие отозвано',
        'Согласие отозвано: Передача партнёрам',
        'Статус изменён',
        'Статус: Получено → Первичный разбор',
        'Изменена запись лица: V-0001',
        'Имя: изменено',
        'Раскрыта личность: V-0001',
      ],
    },
  } as const;

  for (const lang of ['en', 'ru'] as const) {
    it(`shows each change with labels, usernames and no codes (${lang})`, async () => {
      const { page, history, problems } = await open(lang);
      const text = await history.innerText();
      for (const line of cases[lang].lines) expect(text, line).toContain(line);
      expect(text).toContain(analyst.username);
      // No raw action codes, field names or ids, and never the victim's name.
      for (const code of [
        'transition:',
        'received->triage',
        'verification_status',
        'forced_signature',
        'consent_scope',
        'allegation_act',
        allegationId,
      ])
        expect(text, code).not.toContain(code);
      expect(await page.content()).not.toContain('Historyeva');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expectNoSeriousAxeViolations(page);
      await screenshotOf(history, `work-allegation-history-${lang}`);
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }
});
