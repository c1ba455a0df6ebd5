import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { startSmtpServer, type TestSmtpServer } from '../../server/test/support/smtp.js';
import { seriousAccessibilityViolations } from '../support/axe.js';
import { apiSignIn, linkFromSmtp } from '../support/mail.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

const PHONE = { width: 360, height: 740 };
const PASSWORD = 'purple river quietly 42';

/** The online counter's account pages and the appointment booking page, on a phone, against the real server. */
describe.skipIf(!HAS_CHROMIUM)('online counter and appointment booking in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let smtp: TestSmtpServer;
  const seen = new Set<string>();
  const email = `anna.muster.${String(Date.now())}@example.ch`;

  beforeAll(async () => {
    // Mails go through SMTP to a real server in this process, delivered every second.
    smtp = await startSmtpServer();
    server = await startServer({ env: { MAIL_INTERVAL_SECONDS: '1', SMTP_URL: smtp.url, MAIL_FROM: 'Amt für Migration <no-reply@migraflow.example.ch>' } });
    browser = await launchBrowser();
    phone = await browser.newContext({ locale: 'en-CH', viewport: PHONE, timezoneId: 'Europe/Zurich' });
    page = await phone.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
    await smtp?.stop();
  });

  it('opens an account: the form shows the password rule and says to check the e-mail', async () => {
    await page.goto(`${server.url}/portal/sign-up?office=demo`);
    await page.locator('[data-testid="sign-up-form"]').waitFor();
    expect(await page.locator('main').textContent()).toContain('At least 12 characters');
    await page.screenshot({ path: `${ARTIFACTS}/portal-sign-up.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Your name').fill('Anna Muster');
    await page.locator('input[name="password"]').fill('too short');
    await page.getByRole('button', { name: 'Open account' }).click();
    await page.getByText('The password must have at least 12 characters.').waitFor();
    // The first wrong field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');

    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Open account' }).click();
    const done = page.locator('[data-testid="sign-up-done"]');
    await done.waitFor();
    expect(await done.textContent()).toContain(email);
    await page.screenshot({ path: `${ARTIFACTS}/portal-sign-up-done.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('confirms the address with the link from the mail, once', async () => {
    const link = await linkFromSmtp(smtp, email, '/portal/verify?token=', seen);
    await page.goto(`${server.url}${link}`);
    await page.locator('[data-testid="verify-done"]').waitFor();
    // The token is read once and leaves the address bar.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: `${ARTIFACTS}/portal-verify.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The same link again: used.
    await page.goto(`${server.url}${link}`);
    const problem = page.locator('[data-testid="token-problem"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('portal-token-used');
    expect(await problem.textContent()).toContain('The link was already used');
  });

  it('signs in as the new applicant and lands on the account page, not in the staff area', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/portal$/);
    const greeting = page.locator('[data-testid="portal-greeting"]');
    await greeting.waitFor();
    expect(await greeting.textContent()).toContain('Anna Muster');
    await page.screenshot({ path: `${ARTIFACTS}/portal-home.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The staff pages send an applicant back to their own.
    await page.goto(`${server.url}/persons`);
    await page.waitForURL(/\/portal$/);
    await page.click('[data-testid="portal-sign-out"]');
    await page.waitForURL(/\/login/);
  });

  it('resets the password with the link from the mail', async () => {
    await page.goto(`${server.url}/portal/forgot-password?office=demo`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.locator('[data-testid="forgot-done"]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/portal-forgot-password.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const link = await linkFromSmtp(smtp, email, '/portal/reset-password?token=', seen);
    await page.goto(`${server.url}${link}`);
    await page.locator('input[name="password"]').waitFor();
    expect(page.url()).not.toContain('token=');
    await page.locator('input[name="password"]').fill('a brand new passphrase');
    await page.locator('input[name="passwordRepeat"]').fill('a brand new passphrase!');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/portal-reset-password.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.locator('input[name="passwordRepeat"]').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.locator('[data-testid="reset-done"]').waitFor();

    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', email);
    await page.fill('input[name="password"]', 'a brand new passphrase');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/portal$/);
    await page.click('[data-testid="portal-sign-out"]');
    await page.waitForURL(/\/login/);
  });

  it('books an appointment from an invitation, and tells when someone was faster', async () => {
    // The office sets up a service and a service point with one counter, open every day.
    const office = await browser.newContext();
    const admin = office.request;
    const adminCsrf = await apiSignIn(admin, server.url, 'admin');
    const service = await admin.put(`${server.url}/api/v1/appointment-services/biometrics`, {
      headers: { 'x-csrf-token': adminCsrf },
      data: { names: { de: 'Biometrische Daten erfassen', fr: 'Saisie des données biométriques', it: 'Rilevamento dei dati biometrici', en: 'Taking biometric data' }, slotMinutes: 15 },
    });
    expect(service.status()).toBe(200);
    const created = await admin.post(`${server.url}/api/v1/appointment-service-points`, {
      headers: { 'x-csrf-token': adminCsrf },
      data: { name: 'Counter hall Lucerne', address: 'Fruttstrasse 15, 6002 Luzern', counters: 1 },
    });
    expect(created.status()).toBe(201);
    const point = (await created.json()) as { id: string; version: number };
    const hours = await admin.put(`${server.url}/api/v1/appointment-service-points/${point.id}/hours`, {
      headers: { 'x-csrf-token': adminCsrf, 'if-match': `"${String(point.version)}"` },
      data: { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '17:00' })) },
    });
    expect(hours.status()).toBe(200);
    await office.close();

    // The caseworker invites the person of an open case, twice (two people after the same slot).
    const desk = await browser.newContext();
    const caseworker = desk.request;
    const csrf = await apiSignIn(caseworker, server.url, 'caseworker');
    const queue = (await (await caseworker.get(`${server.url}/api/v1/cases?limit=5`)).json()) as { items: { id: string }[] };
    const caseId = queue.items[0]?.id;
    expect(caseId).toBeTruthy();
    const invite = async (to: string) => {
      const response = await caseworker.post(`${server.url}/api/v1/cases/${caseId ?? ''}/appointment-invitations`, {
        headers: { 'x-csrf-token': csrf },
        data: { service: 'biometrics', servicePointId: point.id, email: to, language: 'en' },
      });
      expect(response.status()).toBe(201);
      return linkFromSmtp(smtp, to, '/appointments/book?token=', seen);
    };
    const mine = await invite('invitee@example.ch');
    const other = await invite('someone.else@example.ch');
    await desk.close();

    await page.goto(`${server.url}${mine}`);
    const slots = page.locator('[data-testid="slot"]');
    await slots.first().waitFor();
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('[data-testid="booking-invitation"]').textContent()).toContain('Counter hall Lucerne');
    await page.screenshot({ path: `${ARTIFACTS}/booking-slots.png`, fullPage: false });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Someone else books the first free time while this page shows it.
    const first = await slots.first().getAttribute('data-start');
    const otherToken = new URL(other, server.url).searchParams.get('token') ?? '';
    const taken = await page.request.post(`${server.url}/api/v1/appointments/by-invitation/booking`, { headers: { 'x-invitation-token': otherToken }, data: { start: first } });
    expect(taken.status()).toBe(201);
    await slots.first().click();
    await page.locator('[data-testid="slot-book"]').click();
    const notice = page.locator('[data-testid="booking-notice"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Someone was faster');
    // The list is fresh again: the taken time is gone.
    await page.waitForFunction((start) => !document.querySelector(`[data-testid="slot"][data-start="${start ?? ''}"]`), first);

    const chosen = slots.first();
    const label = (await chosen.getAttribute('aria-label')) ?? '';
    await chosen.click();
    await page.locator('[data-testid="slot-book"]').click();
    const confirmation = page.locator('[data-testid="booking-confirmation"]');
    await confirmation.waitFor();
    const text = (await confirmation.textContent()) ?? '';
    expect(text).toContain('A calendar invitation was e-mailed to you.');
    expect(text).toContain('Fruttstrasse 15');
    expect(label).toContain(await page.locator('[data-testid="confirmed-date"]').textContent());
    await page.screenshot({ path: `${ARTIFACTS}/booking-confirmation.png`, fullPage: true });

    // Back on the overview: the appointment, with moving and cancelling.
    await page.click('[data-testid="booking-back"]');
    await page.locator('[data-testid="booking-current"]').waitFor();
    await page.click('[data-testid="cancel-booking"]');
    await page.click('[data-testid="cancel-yes"]');
    await page.locator('[data-testid="booking-cancelled"]').waitFor();
    await slots.first().waitFor();
  });
});
