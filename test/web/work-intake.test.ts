import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSeriousAxeViolations,
  launchBrowser,
  makeWebUser,
  screenshot,
  signIn,
  type WebServer,
  startWebServer,
} from './harness.ts';
import { watchProblems } from './work-helpers.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const SEMI_BASEMENT = 'demo:la-155-18:area:semi-basement-rooms';
const VICTIM_NAME = 'Канат Тестовый-Свидетелев';

describe('intake in a real browser', { timeout: 180_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-intake-'));
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a documenter, in Russian, records an allegation in the semi-basement of LA-155/18 with a file attached', async () => {
    const db = web.svc.store.db;
    const facilityId = (
      await db.selectFrom('facility').select('id').where('external_id', '=', FACILITY).executeTakeFirstOrThrow()
    ).id;
    const areaId = (
      await db.selectFrom('area').select('id').where('external_id', '=', SEMI_BASEMENT).executeTakeFirstOrThrow()
    ).id;
    const file = path.join(dir, 'photo-of-injuries.txt');
    const bytes = Buffer.from('stand-in for a photograph of injuries, taken 2022-02-03\n'.repeat(2000));
    await writeFile(file, bytes);
    const evidenceRoute = (await fetch(`${web.url}/api/v1/evidence`, { method: 'POST' })).status !== 404;

    const doc = await makeWebUser(web.svc, 'documenter');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, web.url, doc.username, doc.password);

    // The language switch in the header, then the work navigation in Russian.
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('link', { name: 'Новое сообщение' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Запись сообщения');

    await page.getByLabel('Краткий заголовок').fill('Избиение на допросе в полуподвале');
    await page
      .getByLabel('Что произошло, со слов сообщающего')
      .fill('Брат рассказал матери, что его били в полуподвальном помещении.');
    await page.getByLabel('Часть месяца', { exact: true }).check();
    await page.getByLabel('Год и месяц').fill('2022-01');
    await page
      .locator('select')
      .filter({ has: page.locator(`option[value="${facilityId}"]`) })
      .selectOption(facilityId);
    await page
      .locator('select')
      .filter({ has: page.locator(`option[value="${areaId}"]`) })
      .selectOption(areaId);

    // A reload keeps what was typed (the draft lives in localStorage, keyed by the user).
    // Wait until the draft holds the last choice (it is saved a moment after each change).
    await expect
      .poll(() =>
        page.evaluate(
          ([prefix, area]) =>
            Object.keys(localStorage).some(
              (k) => k.startsWith(prefix) && (localStorage.getItem(k) ?? '').includes(area),
            ),
          ['vigil.intake.draft.', areaId] as const,
        ),
      )
      .toBe(true);
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Краткий заголовок').inputValue())
      .toBe('Избиение на допросе в полуподвале');
    await expect.poll(() => page.getByText('Несохранённый черновик восстановлен.').isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .locator('select')
          .filter({ has: page.locator(`option[value="${areaId}"]`) })
          .inputValue(),
      )
      .toBe(areaId);

    await page.getByLabel('Имя', { exact: true }).fill(VICTIM_NAME);
    await page.getByLabel('Под стражей').selectOption('in_custody');
    await page.getByLabel('Предполагаемый исполнитель').selectOption('police');
    await page.getByLabel('Избиение').check();
    await page.getByLabel('Угрозы жертве, родным').check();
    await page.getByLabel('Запись', { exact: true }).check();
    await page.getByLabel('Публикация обезличенно').check();

    // Two sources of different origin: the mother's call and a public post.
    await page.getByLabel('Название').first().fill('Звонок матери, 3 февраля 2022');
    await page.getByLabel('Издание').first().fill('телефонный звонок');
    await page.getByRole('button', { name: 'Добавить источник' }).click();
    const second = page.locator('fieldset.source-item').nth(1);
    await second.getByLabel('Вид').selectOption('social_media_post');
    await second.getByLabel('Отношение к сообщению').selectOption('corroborates');
    await second.getByLabel('Название').fill('Пост сестры в Facebook');
    await second.getByLabel('Ссылка').fill('https://www.facebook.com/example/posts/1');

    await page.getByLabel('Прикрепить файлы').setInputFiles(file);
    await page.getByRole('button', { name: 'Сохранить сообщение' }).click();
    await expect.poll(() => page.getByText('Сообщение сохранено:').isVisible(), { timeout: 20_000 }).toBe(true);

    // The upload either succeeded (the hash shown is the file's) or its failure is plain while the allegation stands.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (evidenceRoute) {
      await expect.poll(() => page.getByText(sha256).isVisible(), { timeout: 20_000 }).toBe(true);
    } else {
      await expect
        .poll(() =>
          page.getByRole('alert').filter({ hasText: 'Не удалось загрузить photo-of-injuries.txt' }).isVisible(),
        )
        .toBe(true);
      await expect.poll(() => page.getByText('Само сообщение сохранено.').isVisible()).toBe(true);
    }

    await expectNoSeriousAxeViolations(page);
    await screenshot(page, 'work-intake-saved-ru');

    const stored = await db
      .selectFrom('allegation')
      .selectAll()
      .where('title', '=', 'Избиение на допросе в полуподвале')
      .execute();
    expect(stored).toHaveLength(1);
    const a = stored[0]!;
    expect(a.facility_id).toBe(facilityId);
    expect(a.area_id).toBe(areaId);
    expect(a.verification_status).toBe('received');
    expect([a.period_start, a.period_end, a.period_precision, a.period_text]).toEqual([
      '2022-01-21',
      '2022-01-31',
      'part_of_month',
      'конец января 2022',
    ]);
    expect(JSON.parse(a.consent)).toEqual(['record', 'publish_anonymised']);
    const acts = await db
      .selectFrom('allegation_act')
      .select(['kind', 'area_id'])
      .where('allegation_id', '=', a.id)
      .orderBy('kind')
      .execute();
    expect(acts).toEqual([
      { kind: 'beating', area_id: areaId },
      { kind: 'threats', area_id: areaId },
    ]);
    const sources = await db
      .selectFrom('allegation_source')
      .select('relation')
      .where('allegation_id', '=', a.id)
      .orderBy('relation')
      .execute();
    expect(sources.map((s) => s.relation)).toEqual(['corroborates', 'reports']);
    // The name is sealed: nowhere in the person rows in plain text.
    const people = await db.selectFrom('person').selectAll().execute();
    expect(JSON.stringify(people)).not.toContain(VICTIM_NAME);
    if (evidenceRoute) {
      const items = (await db
        .selectFrom('evidence_item' as never)
        .selectAll()
        .execute()) as unknown as { sha256: string }[];
      expect(items.map((i) => i.sha256)).toContain(sha256);
    }

    // The draft is gone once saved.
    const drafts = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('vigil.intake.draft.')),
    );
    expect(drafts).toEqual([]);

    // The allegation page shows the room and a pseudonym, never the name.
    await page.getByRole('link', { name: 'Избиение на допросе в полуподвале' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Избиение на допросе в полуподвале');
    await expect
      .poll(() => page.getByText('полуподвальные помещения', { exact: false }).first().isVisible())
      .toBe(true);
    await expect.poll(() => page.locator('.pseudonym').first().innerText()).toMatch(/^V-\d+/);
    expect(await page.content()).not.toContain(VICTIM_NAME);
    expect(problems.problems.filter((p) => !(p.includes('/api/v1/evidence') && !evidenceRoute))).toEqual([]);
    await context.close();
  });
});
