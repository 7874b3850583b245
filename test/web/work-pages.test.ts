import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAllegation, transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import { proposeAllegationTransition } from '../../src/services/allegation-proposal.service.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { fileEvidence } from '../../src/services/evidence.service.ts';
import { createVisit, transitionVisit } from '../../src/services/visit.service.ts';
import {
  advanceStage,
  makeAllegation,
  makeCriminalCase,
  makeInternalInquiry,
  makePerson,
  makeSource,
  registerErdr,
} from '../support/factories.ts';
import {
  expectNoSeriousAxeViolations,
  launchBrowser,
  makeWebUser,
  screenshot,
  signIn,
  startWebServer,
  type WebServer,
} from './harness.ts';
import { watchProblems } from './work-helpers.ts';

const FACILITY = 'demo:la-155-18:facility:kz-almaty-la-155-18';
const SEMI_BASEMENT = 'demo:la-155-18:area:semi-basement-rooms';
const LANGS = ['en', 'ru'] as const;

const idOf = async (svc: Services, table: 'facility' | 'area', ext: string) =>
  (await svc.store.db.selectFrom(table).select('id').where('external_id', '=', ext).executeTakeFirstOrThrow()).id;

/** A corroborated allegation in the semi-basement with its sources, classification and two proceedings, and a visit. */
async function populate(
  svc: Services,
  proposer: string,
): Promise<{ allegationId: string; caseId: string; denialId: string }> {
  const facilityId = await idOf(svc, 'facility', FACILITY);
  const areaId = await idOf(svc, 'area', SEMI_BASEMENT);
  const victim = await makePerson(svc, {
    roles: ['victim'],
    custody: 'in_custody',
    risk: 'medium',
    identity: { name: 'Screenshot Victim' },
  });
  const unit = await makePerson(svc, { roles: ['alleged_perpetrator'], perpetratorKind: 'police', isUnit: true });
  const call = await makeSource(svc, {
    kind: 'relative_report',
    title: "Mother's call, 3 February 2022",
    outlet: 'phone call',
    reliability: 'B',
    credibility: '2',
  });
  const post = await makeSource(svc, {
    kind: 'social_media_post',
    title: "Sister's post about the semi-basement",
    url: 'https://www.facebook.com/example/posts/1',
    reliability: 'C',
    credibility: '3',
  });
  const allegationId = await makeAllegation(svc, {
    title: 'Beaten during questioning in the semi-basement',
    summary:
      'After his arrest in January 2022 he was taken to a semi-basement room, beaten and threatened until he signed a statement.',
    facilityId,
    areaId,
    period: { start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January 2022' },
    acts: [
      { kind: 'beating', areaId, victimId: victim },
      { kind: 'threats', areaId, victimId: victim },
      { kind: 'forced_signature', victimId: victim },
    ],
    victims: [{ personId: victim }],
    perpetrators: [{ personId: unit, perpetratorKind: 'police' }],
    sources: [
      { sourceId: call, relation: 'reports' },
      { sourceId: post, relation: 'corroborates' },
    ],
    consent: ['record', 'publish_anonymised'],
  });
  for (const to of ['triage', 'consent_safety_check'] as const)
    await transitionAllegationStatus(svc, SYSTEM, allegationId, { to });
  await transitionAllegationStatus(svc, SYSTEM, allegationId, { to: 'under_verification', risk: 'medium' });
  // Four eyes: an analyst proposes corroboration; Vigil's own set-up work approves it, as a second analyst would.
  const proposerId = (
    await svc.store.db.selectFrom('app_user').select('id').where('username', '=', proposer).executeTakeFirstOrThrow()
  ).id;
  const proposal = await proposeAllegationTransition(svc, { id: proposerId, role: 'analyst' }, allegationId, {
    to: 'corroborated',
    reason: 'Two independent sources',
  });
  await transitionAllegationStatus(svc, SYSTEM, allegationId, {
    to: 'corroborated',
    proposalId: proposal.id,
    reason: 'Two independent sources',
  });
  await classifyAllegation(svc, SYSTEM, allegationId, {
    classification: 'torture',
    rationale: 'Severe beating by police to obtain a signature',
    catChecklist: {
      severity: 'severe',
      intent: 'intentional',
      purpose: 'confession_or_information',
      officialLink: 'direct',
    },
  });
  async function* bytes() {
    yield Buffer.from('%PDF-1.4\n% stand-in for the medical certificate\n');
  }
  await fileEvidence(svc, SYSTEM, bytes(), {
    allegationId,
    sourceId: call,
    originalName: 'medical-certificate.pdf',
    purpose: 'intake',
  });
  const caseId = await makeCriminalCase(svc, { allegationId, reference: 'Complaint 12/345', openedOn: '2022-02-04' });
  await registerErdr(svc, caseId, { onDate: '2022-02-05', sourceId: call, details: { erdrNumber: '221500031000123' } });
  const inquiry = await makeInternalInquiry(svc, { allegationId, openedOn: '2022-02-10' });
  await advanceStage(svc, inquiry, { to: 'concluded', onDate: '2022-03-10', details: { outcome: 'no_sanction' } });
  await makeCriminalCase(svc, {
    body: 'Prosecutor General’s Office',
    reference: 'Complaint 7/2022',
    openedOn: '2022-03-01',
  });

  const visit = await createVisit(svc, SYSTEM, {
    facilityId,
    body: 'National Preventive Mechanism',
    visitDate: '2022-03-01',
    visitType: 'ad_hoc',
    mode: 'unannounced',
    team: ['Monitor A', 'Monitor B'],
    safeguards: {
      custody_register: 'partial',
      relative_notified: 'no',
      lawyer_from_outset: 'no',
      medical_screening: 'yes',
      cctv: 'not_checked',
    },
    findings: 'The semi-basement rooms were locked; the key was said to be with the duty officer.',
    recommendations: [
      {
        text: 'Give monitors access to every semi-basement room without notice.',
        addressee: 'Ministry of Internal Affairs',
        deadline: '2022-06-01',
      },
      {
        text: 'Install CCTV in every interview room.',
        addressee: 'Ministry of Internal Affairs',
        deadline: '2030-01-01',
      },
    ],
  });
  await transitionVisit(svc, SYSTEM, visit.id, {
    to: 'conducted',
    startedAt: '2022-03-01T09:00:00Z',
    endedAt: '2022-03-01T15:30:00Z',
    areaIds: [],
    registersExamined: ['custody register'],
    refusedAccess: ['semi-basement rooms'],
  });
  const denialId = (
    await svc.store.db
      .selectFrom('statement')
      .select('id')
      .where('external_id', '=', 'demo:la-155-18:statement:mvd-denial')
      .executeTakeFirstOrThrow()
  ).id;
  return { allegationId, caseId, denialId };
}

/** Waits until the page has loaded its data: no request in flight and no loading line left. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect
    .poll(
      () =>
        page
          .locator('main [role="status"]')
          .filter({ hasText: /^(Loading…|Загрузка…|…)$/ })
          .count(),
      { timeout: 15_000 },
    )
    .toBe(0);
  await expect.poll(() => page.locator('main h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
}

describe('work pages in a real browser: axe and screenshots in English and Russian', { timeout: 300_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let ids: Awaited<ReturnType<typeof populate>>;
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    web = await startWebServer();
    const proposer = await makeWebUser(web.svc, 'analyst');
    ids = await populate(web.svc, proposer.username);
    browser = await launchBrowser();
    for (const role of ['documenter', 'analyst', 'monitor', 'admin']) {
      const user = await makeWebUser(web.svc, role);
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        timezoneId: 'Asia/Almaty',
      });
      const page = await context.newPage();
      await signIn(page, web.url, user.username, user.password);
      await page.close();
      contexts.set(role, context);
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const pages = (): { name: string; role: string; path: string; heading: RegExp }[] => [
    { name: 'intake', role: 'documenter', path: '/work/intake', heading: /Record a report|Запись сообщения/ },
    { name: 'allegations', role: 'analyst', path: '/work/allegations', heading: /Allegations|Сообщения о нарушениях/ },
    {
      name: 'allegation',
      role: 'analyst',
      path: `/work/allegations/${ids.allegationId}`,
      heading: /Beaten during questioning/,
    },
    { name: 'proceedings', role: 'analyst', path: '/work/proceedings', heading: /Proceedings|Производства/ },
    {
      name: 'proceeding',
      role: 'analyst',
      path: `/work/proceedings/${ids.caseId}`,
      heading: /Prosecutor's Office of Almaty/,
    },
    {
      name: 'visits',
      role: 'monitor',
      path: '/work/visits',
      heading: /Visits and recommendations|Посещения и рекомендации/,
    },
    {
      name: 'statements',
      role: 'analyst',
      path: `/work/statements?stance=denial&id=${ids.denialId}`,
      heading: /Statements|Заявления/,
    },
    {
      name: 'search',
      role: 'analyst',
      path: `/work/search?q=${encodeURIComponent('ЛА-155/18')}`,
      heading: /Search|Поиск/,
    },
    { name: 'admin', role: 'admin', path: '/work/admin', heading: /Users and tokens|Пользователи и токены/ },
  ];

  for (const lang of LANGS) {
    it(`every work page passes axe and is screenshotted (${lang})`, async () => {
      for (const p of pages()) {
        const page = await contexts.get(p.role)!.newPage();
        const problems = watchProblems(page);
        await page.addInitScript((l) => localStorage.setItem('vigil.lang', l), lang);
        await page.goto(`${web.url}${p.path}`);
        await settle(page).catch((err: unknown) => {
          throw new Error(
            `${p.name} (${lang}) did not finish loading: ${String(err)}; ${problems.problems.join('; ')}`,
          );
        });
        expect(await page.locator('main h1').first().innerText(), p.name).toMatch(p.heading);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        await expectNoSeriousAxeViolations(page);
        await screenshot(page, `work-${p.name}-${lang}`);
        expect(problems.problems, p.name).toEqual([]);
        await page.close();
      }
    });
  }

  it('the allegation page shows pseudonyms only; revealing a name asks for a reason and is audited', async () => {
    const page = await contexts.get('analyst')!.newPage();
    await page.addInitScript(() => localStorage.setItem('vigil.lang', 'en'));
    await page.goto(`${web.url}/work/allegations/${ids.allegationId}`);
    await settle(page);
    expect(await page.content()).not.toContain('Screenshot Victim');
    await page
      .getByRole('button', { name: /^Reveal identity of V-/ })
      .first()
      .click();
    await page.getByLabel('Why do you need the name?').fill('Preparing the complaint to the prosecutor');
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    await expect.poll(() => page.getByText('Screenshot Victim').isVisible()).toBe(true);
    const reads = await web.svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'reason'])
      .where('action', '=', 'identity.view')
      .execute();
    expect(reads.map((r) => r.reason)).toContain('Preparing the complaint to the prosecutor');
    await page.close();
  });
});
