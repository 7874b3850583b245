import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAllegation, makePerson, makeSource } from '../support/factories.ts';
import { launchBrowser, makeWebUser, signIn, type WebServer, startWebServer } from './harness.ts';
import { watchProblems } from './work-helpers.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const SEMI_BASEMENT = 'demo:la-155-18:area:semi-basement-rooms';

describe('verification and proceedings in a real browser', { timeout: 180_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('an analyst corroborates an allegation and opens a proceeding: complaint → registered under art. 146', async () => {
    const { svc } = web;
    const db = svc.store.db;
    const facilityId = (
      await db.selectFrom('facility').select('id').where('external_id', '=', FACILITY).executeTakeFirstOrThrow()
    ).id;
    const areaId = (
      await db.selectFrom('area').select('id').where('external_id', '=', SEMI_BASEMENT).executeTakeFirstOrThrow()
    ).id;
    // What a documenter recorded: two sources of different origin, `record` consent.
    const victim = await makePerson(svc, { roles: ['victim'], identity: { name: 'Test Victim' } });
    const call = await makeSource(svc, {
      kind: 'relative_report',
      title: "Mother's call, 3 Feb 2022",
      outlet: 'phone call',
    });
    const post = await makeSource(svc, {
      kind: 'social_media_post',
      title: "Sister's post",
      url: 'https://www.facebook.com/example/posts/1',
    });
    const allegationId = await makeAllegation(svc, {
      title: 'Beaten during questioning in the semi-basement',
      facilityId,
      areaId,
      period: { start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January 2022' },
      acts: [{ kind: 'beating', areaId }],
      victims: [{ personId: victim }],
      consent: ['record'],
      sources: [
        { sourceId: call, relation: 'reports' },
        { sourceId: post, relation: 'corroborates' },
      ],
    });
    const analyst = await makeWebUser(svc, 'analyst');
    const second = await makeWebUser(svc, 'analyst');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.addInitScript(() => localStorage.setItem('vigil.lang', 'en'));
    await signIn(page, web.url, analyst.username, analyst.password);
    await page.goto(`${web.url}/work/allegations/${allegationId}`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Beaten during questioning in the semi-basement');

    const step = async (status: string, fill?: () => Promise<void>) => {
      await page.getByLabel('Next step').selectOption({ label: status });
      await fill?.();
      await page.getByRole('button', { name: 'Record the step' }).click();
      await expect.poll(() => page.getByText(`Status is now: ${status}.`).isVisible(), { timeout: 10_000 }).toBe(true);
    };
    await step('Triage');
    await step('Consent and safety check');
    await step('Under verification', async () => {
      await page.getByLabel('Risk assessment').selectOption('medium');
    });
    // Four eyes: this analyst proposes corroboration, and cannot approve it themselves…
    await page.getByLabel('Next step').selectOption({ label: 'Corroborated' });
    await page.getByLabel('Reason').fill('Two independent sources: the family and a public post');
    await page.getByRole('button', { name: 'Propose the step' }).click();
    await expect
      .poll(() => page.getByText('Proposed: Corroborated. Another analyst can now approve it.').isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect.poll(() => page.getByText('Your proposal: another analyst must approve it.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Approve: Corroborated' }).count()).toBe(0);

    // …a second analyst, signed in elsewhere, approves it (in Russian, to walk both languages).
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const otherPage = await other.newPage();
    const otherProblems = watchProblems(otherPage);
    await otherPage.addInitScript(() => localStorage.setItem('vigil.lang', 'ru'));
    await signIn(otherPage, web.url, second.username, second.password);
    await otherPage.goto(`${web.url}/work/allegations/${allegationId}`);
    await expect.poll(() => otherPage.getByText('Открытые предложения').isVisible(), { timeout: 10_000 }).toBe(true);
    await otherPage.getByLabel('Причина утверждения').fill('Проверено: источники независимы');
    await otherPage.getByRole('button', { name: /^Утвердить:/ }).click();
    await expect.poll(() => otherPage.getByText(/^Новый статус:/).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(otherProblems.problems).toEqual([]);
    await other.close();
    const a = await db
      .selectFrom('allegation')
      .select(['verification_status'])
      .where('id', '=', allegationId)
      .executeTakeFirstOrThrow();
    expect(a.verification_status).toBe('corroborated');
    const log = await db
      .selectFrom('audit_entry')
      .select(['actor', 'action'])
      .where('entity_type', '=', 'allegation_proposal')
      .orderBy('seq')
      .execute();
    const ids = await db
      .selectFrom('app_user')
      .select(['id', 'username'])
      .where('username', 'in', [analyst.username, second.username])
      .execute();
    const idOfUser = (u: string) => ids.find((x) => x.username === u)!.id;
    expect(log.slice(-2)).toEqual([
      { actor: idOfUser(analyst.username), action: 'propose' },
      { actor: idOfUser(second.username), action: 'approve' },
    ]);
    await page.reload();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Beaten during questioning in the semi-basement');

    // A complaint to the prosecutor: a criminal case that starts as complaint_filed.
    await page.getByRole('button', { name: 'Open a proceeding' }).click();
    await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption('criminal_case');
    await page.getByLabel('Body it went to').fill("Prosecutor's Office of Almaty");
    await page.getByLabel('Reference of the complaint').fill('Complaint 12/345');
    await page.getByLabel('Date filed').fill('2022-02-04');
    await page.getByRole('button', { name: 'Open the proceeding' }).click();
    const link = page.getByRole('link', { name: "Criminal case — Prosecutor's Office of Almaty" });
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator('.card').first().innerText()).toContain('Complaint filed');

    // On the proceeding's page: registration in the ERDR under art. 146 part 2.
    await link.click();
    await page.getByRole('combobox', { name: 'Stage', exact: true }).selectOption('registered_erdr');
    await page.getByLabel('Official date').fill('2022-02-05');
    await page.getByLabel('ERDR number').fill('221500031000123');
    await page.getByRole('textbox', { name: 'Article', exact: true }).fill('146');
    await page.getByRole('combobox', { name: 'Part', exact: true }).selectOption('2');
    await page.getByLabel('Decided by').selectOption('investigator');
    await page.getByLabel('Document (source)').selectOption({ label: "Mother's call, 3 Feb 2022" });
    await page.getByRole('button', { name: 'Record the stage' }).click();
    await expect
      .poll(() => page.getByText('Recorded: Registered in ERDR.').isVisible(), { timeout: 10_000 })
      .toBe(true);

    const p = await db
      .selectFrom('proceeding')
      .selectAll()
      .where('allegation_id', '=', allegationId)
      .executeTakeFirstOrThrow();
    expect([p.kind, p.stage, p.erdr_number, p.code_article, p.code_part, p.reference]).toEqual([
      'criminal_case',
      'registered_erdr',
      '221500031000123',
      '146',
      '2',
      'Complaint 12/345',
    ]);
    const stages = await db
      .selectFrom('proceeding_stage')
      .select(['stage', 'on_date'])
      .where('proceeding_id', '=', p.id)
      .orderBy('seq')
      .execute();
    expect(stages).toEqual([
      { stage: 'complaint_filed', on_date: '2022-02-04' },
      { stage: 'registered_erdr', on_date: '2022-02-05' },
    ]);
    await expect.poll(() => page.locator('.timeline').innerText()).toContain('ERDR number: 221500031000123');
    expect(problems.problems).toEqual([]);
    await context.close();
  });
});
