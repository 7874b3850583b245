import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const STEP_MS = 30_000;
const VICTIM_NAME = 'Айгерим Черновикова-Тестовая';

const TEXT = {
  en: {
    start: 'Set up an authenticator app',
    code: 'Code from the app',
    confirm: 'Confirm and switch on',
    saved: 'I have saved the codes',
    on: 'The second factor is on: signing in needs a code from your authenticator app.',
    signOut: 'Sign out',
    signIn: 'Sign in',
    factorTitle: 'Second step: the code',
    continue: 'Continue',
    wrong: 'This code is wrong, expired or already used. Wait for the next one and try again.',
  },
  ru: {
    start: 'Настроить приложение-аутентификатор',
    code: 'Код из приложения',
    confirm: 'Подтвердить и включить',
    saved: 'Я сохранил(а) коды',
    on: 'Второй фактор включён: для входа нужен код из приложения-аутентификатора.',
    signOut: 'Выйти',
    signIn: 'Войти',
    factorTitle: 'Второй шаг: код',
    continue: 'Продолжить',
    wrong: 'Код неверный, устарел или уже использован. Дождитесь следующего и попробуйте снова.',
  },
} as const;

/** The code an authenticator app shows now, computed with the library the server uses. */
const codeNow = (secret: string) =>
  OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp: Date.now() });

/**
 * The code of the next 30-second step, as an app whose clock runs a little fast shows it: a code is
 * accepted once, so the sign-in after enrolment needs another step's code, and the server accepts
 * one step either side of now.
 */
const codeOfNextStep = (secret: string) =>
  OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp: Date.now() + STEP_MS });

/** Whether the canvas holds a drawing of dark and light modules (a QR code, not an empty box). */
const canvasHasQr = (page: Page) =>
  page.locator('[data-testid="totp-qr"]').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 64) dark++;
    const share = dark / (data.length / 4);
    return canvas.width >= 200 && share > 0.2 && share < 0.7;
  });

describe('second factor and drafts in a real browser', { timeout: 240_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebServer({ demo: false });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const lang of ['en', 'ru'] as const) {
    it(`enrols with a QR code, signs out, and signs in with a code (${lang})`, async () => {
      const T = TEXT[lang];
      const user = await makeWebUser(web.svc, 'analyst');
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
      });
      await context.addInitScript((l) => localStorage.setItem('vigil.lang', l), lang);
      const page = await context.newPage();
      const problems = watchProblems(page);

      await signIn(page, web.url, user.username, user.password);
      await page.goto(`${web.url}/work/account/security`);
      await page.getByRole('button', { name: T.start }).click();
      const qr = page.locator('[data-testid="totp-qr"]');
      await qr.waitFor({ state: 'visible' });
      await expect.poll(() => canvasHasQr(page)).toBe(true);
      const secret = (await page.locator('[data-testid="totp-secret"]').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, `work-security-enrol-${lang}`);

      // A wrong code is refused next to the field, and focus goes back to it.
      const codeField = page.getByLabel(T.code);
      await codeField.fill(codeNow(secret) === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: T.confirm }).click();
      await page.locator('.field-error').waitFor();
      await expect.poll(() => codeField.evaluate((el) => el === document.activeElement)).toBe(true);
      await expect.poll(() => codeField.getAttribute('aria-invalid')).toBe('true');

      await codeField.fill(codeNow(secret));
      await page.getByRole('button', { name: T.confirm }).click();
      const codes = page.locator('[data-testid="recovery-codes"] li');
      await expect.poll(() => codes.count()).toBe(10);
      await screenshot(page, `work-security-codes-${lang}`);
      await page.getByRole('button', { name: T.saved }).click();
      await page.getByText(T.on).waitFor();
      await page.getByRole('button', { name: T.signOut }).click();
      await page.getByRole('link', { name: T.signIn }).waitFor();

      // Signing in again asks for the code after the password.
      await page.goto(`${web.url}/login`);
      await page.locator('input[name="username"]').fill(user.username);
      await page.locator('input[name="password"]').fill(user.password);
      await page.locator('form button[type="submit"]').click();
      await expect.poll(() => page.locator('h1').innerText()).toBe(T.factorTitle);
      const loginCode = page.locator('input[name="code"]');
      await expect.poll(() => loginCode.evaluate((el) => el === document.activeElement)).toBe(true);
      await loginCode.fill('000000' === codeNow(secret) ? '111111' : '000000');
      await page.getByRole('button', { name: T.continue }).click();
      await page.getByText(T.wrong).waitFor();
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, `login-code-${lang}`);
      await loginCode.fill(codeOfNextStep(secret));
      await page.getByRole('button', { name: T.continue }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/work/'), { timeout: 15_000 });
      await page.getByRole('button', { name: T.signOut }).waitFor();

      const failed = (
        await web.svc.store.db
          .selectFrom('audit_entry')
          .select('reason')
          .where('action', '=', 'auth.login_failed')
          .execute()
      ).map((e) => e.reason);
      expect(failed).toContain('wrong second factor');
      // The answers the page saw as errors are the wrong codes, shown to the user as such.
      expect(problems.problems.filter((p) => !/^401 POST \/api\/v1\/auth\/(login|totp\/confirm)$/.test(p))).toEqual([]);
      await context.close();
    });
  }

  it('keeps no name in the intake draft, says so, and forgets the draft at sign-out', async () => {
    const doc = await makeWebUser(web.svc, 'documenter');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await context.addInitScript(() => localStorage.setItem('vigil.lang', 'en'));
    const page = await context.newPage();
    await signIn(page, web.url, doc.username, doc.password);
    await page.goto(`${web.url}/work/intake`);
    await page.getByLabel('Short title').fill('Beaten during questioning');
    await page.getByLabel('Name', { exact: true }).fill(VICTIM_NAME);
    await page.getByLabel('Contacts (encrypted)').fill('+7 700 000 00 00');
    await expect
      .poll(() => page.getByText('Names and contacts are not kept in the draft', { exact: false }).first().isVisible())
      .toBe(true);

    const stored = () =>
      page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([k]) => k.startsWith('vigil.intake.draft.'))
          .map(([, v]) => v)
          .join('\n'),
      );
    await expect.poll(stored).toContain('Beaten during questioning');
    const everything = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(everything).not.toContain(VICTIM_NAME);
    expect(everything).not.toContain('+7 700 000 00 00');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vigil.intake.draft.'))),
    ).toEqual([]);
    await context.close();
  });
});
