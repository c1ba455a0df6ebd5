import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../support/axe.js';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { apiSignIn, linkFromMail } from '../support/mail.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

const PHONE = { width: 360, height: 740 };
const PASSWORD = 'green harbour slowly 77';

interface ExpiringPermit {
  personId: string;
  category: string;
  dateOfBirth: string;
  expired: boolean;
  daysLeft: number;
}

/**
 * The online counter's application journey on a phone, against the real server: a new applicant
 * links the account with the office's code, fills in the permit extension step by step, uploads
 * papers, sends it and downloads the interim confirmation of lawful stay.
 */
describe.skipIf(!HAS_CHROMIUM)('online application at the online counter in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let files: string;
  let pdf: string;
  const seen = new Set<string>();
  const email = `luca.rossi.${String(Date.now())}@example.ch`;
  let personId = '';
  let dateOfBirth = '';
  let applicationId = '';

  /** No serious or critical axe finding, and nothing wider than the phone (no sideways scrolling). */
  const checkScreen = async (name: string) => {
    expect(await seriousAccessibilityViolations(page), name).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/portal-apply-${name}.png`, fullPage: true });
  };

  const stepHeading = () => page.locator('[data-testid="step-heading"]');

  /** Next, then the new step's heading has the focus. */
  const next = async (expectedStep: number) => {
    await page.click('[data-testid="step-next"]');
    await page.locator(`[data-testid="application-wizard"][data-step="${String(expectedStep)}"]`).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'step-heading');
  };

  beforeAll(async () => {
    // Mails are written as .eml files (no SMTP_URL); deliver them every second.
    server = await startServer({ env: { MAIL_INTERVAL_SECONDS: '1' } });
    browser = await launchBrowser();
    phone = await browser.newContext({ locale: 'en-CH', viewport: PHONE, timezoneId: 'Europe/Zurich' });
    page = await phone.newPage();
    files = mkdtempSync(path.join(tmpdir(), 'mf-apply-'));
    pdf = path.join(files, 'passport.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  });
  afterAll(async () => {
    await browser?.close();
    if (files) rmSync(files, { recursive: true, force: true });
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('opens an account, confirms it and signs in', async () => {
    await page.goto(`${server.url}/portal/sign-up?office=demo`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Your name').fill('Luca Rossi');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Open account' }).click();
    await page.locator('[data-testid="sign-up-done"]').waitFor();

    const link = await linkFromMail(server.dataDir, email, '/portal/verify?token=', seen);
    await page.goto(`${server.url}${link}`);
    await page.locator('[data-testid="verify-done"]').waitFor();

    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/portal$/);
    await page.locator('[data-testid="portal-link-form"]').waitFor();
    await checkScreen('home-unlinked');
  });

  it('links the account with the code from the office and the date of birth', async () => {
    // The office: someone with a permit B that still runs and no case yet gets a code.
    const desk = await browser.newContext();
    const caseworker = desk.request;
    const csrf = await apiSignIn(caseworker, server.url, 'caseworker');
    const expiring = (await (await caseworker.get(`${server.url}/api/v1/permits/expiring?withinDays=730&limit=1000`)).json()) as ExpiringPermit[];
    for (const permit of expiring.filter((candidate) => candidate.category === 'B' && !candidate.expired && candidate.daysLeft > 5)) {
      const cases = (await (await caseworker.get(`${server.url}/api/v1/cases?person=${permit.personId}&limit=1`)).json()) as { items: unknown[] };
      if (cases.items.length === 0) {
        personId = permit.personId;
        break;
      }
    }
    expect(personId).not.toBe('');
    const person = (await (await caseworker.get(`${server.url}/api/v1/persons/${personId}`)).json()) as { identity: { dateOfBirth: string } };
    dateOfBirth = person.identity.dateOfBirth;
    expect(dateOfBirth).toMatch(/^\d{4}-(?!00)\d{2}-(?!00)\d{2}$/);
    const issued = await caseworker.post(`${server.url}/api/v1/portal/persons/${personId}/link-code`, { headers: { 'x-csrf-token': csrf } });
    expect(issued.status()).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    await desk.close();

    // A wrong date of birth: the API's plain answer, and the form stays.
    await page.getByLabel('Code from the office').fill(code.toLowerCase().replace(/-/g, ' '));
    await page.getByLabel('Your date of birth').fill('1999-01-01');
    await page.click('[data-testid="portal-link-submit"]');
    const refusal = page.locator('[data-testid="portal-link-error"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('do not match');

    await page.getByLabel('Your date of birth').fill(dateOfBirth);
    await page.click('[data-testid="portal-link-submit"]');
    await page.locator('[data-testid="portal-linked-person"]').waitFor();
    await page.locator('[data-testid="portal-offer"][data-form="permit-extension"]').waitFor();
    expect(await page.locator('[data-testid="portal-link-form"]').count()).toBe(0);
    await checkScreen('home');
  });

  it('fills in the permit extension step by step, uploads papers and sends it', async () => {
    await page.locator('[data-testid="portal-offer"][data-form="permit-extension"] [data-testid="portal-offer-start"]').click();
    await page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/);
    applicationId = /applications\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    // Step 1: what the office knows, shown and not asked.
    await page.locator('[data-testid="application-wizard"][data-step="1"]').waitFor();
    expect(await page.locator('[data-testid="step-indicator"]').textContent()).toBe('Step 1 of 6');
    expect(await page.locator('[data-testid="register-facts"]').textContent()).toContain('Permit');
    expect(await page.locator('[data-testid="register-facts"] input').count()).toBe(0);
    expect(await page.locator('[data-testid="register-note"]').textContent()).toContain('call the office');
    await checkScreen('step-1-register');

    // Step 2: nothing chosen yet — Next says so next to the question.
    await next(2);
    expect(await stepHeading().textContent()).toContain('Your address');
    await page.click('[data-testid="step-next"]');
    const addressError = page.getByText('Please choose an answer.');
    await addressError.waitFor();
    const described = await page.locator('[data-question="sameAddress"] [role="radiogroup"]').getAttribute('aria-describedby');
    const errorId = await addressError.getAttribute('id');
    expect(described?.split(' ')).toContain(errorId);
    // The new address is asked only after "No, I have moved".
    expect(await page.locator('[data-question="newStreet"]').count()).toBe(0);
    await page.getByLabel('No, I have moved').check();
    await page.locator('[data-question="newStreet"]').waitFor();
    await page.getByLabel('Yes', { exact: true }).check();
    expect(await page.locator('[data-question="newStreet"]').count()).toBe(0);
    await checkScreen('step-2-address');

    // Step 3: the employer is asked once "employed" is chosen.
    await next(3);
    await page.getByLabel('I am employed').check();
    await page.getByLabel('What is the name of your employer?').fill('Schindler Aufzüge AG');
    await checkScreen('step-3-work');

    // Step 4: remarks are optional.
    await next(4);
    await checkScreen('step-4-remarks');

    // Step 5: papers. The first upload is held back a moment, so that its progress bar shows.
    await next(5);
    expect(await stepHeading().textContent()).toContain('Your documents');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const passportUpload = (url: URL) => url.pathname.endsWith('/uploads') && url.searchParams.get('slot') === 'passport';
    await page.route(passportUpload, async (route) => {
      await held;
      await route.continue();
    });
    await page.locator('[data-testid="upload-input-passport"]').setInputFiles(pdf);
    const progress = page.locator('[data-testid="upload-slot"][data-slot="passport"] [data-testid="upload-progress"] [role="progressbar"]');
    // At 0 % the filled part has no width: the bar's track is what shows.
    await progress.waitFor({ state: 'attached' });
    expect(await progress.locator('xpath=..').isVisible()).toBe(true);
    expect(await progress.getAttribute('aria-valuenow')).not.toBeNull();
    expect(await progress.getAttribute('aria-label')).toContain('Uploading passport.pdf');
    await page.screenshot({ path: `${ARTIFACTS}/portal-apply-uploading.png`, fullPage: true });
    release();
    const passportFiles = page.locator('[data-testid="upload-slot"][data-slot="passport"] [data-testid="uploaded-file"]');
    await passportFiles.first().waitFor();
    await page.unroute(passportUpload);
    expect(await passportFiles.textContent()).toContain('passport.pdf');
    expect(await page.locator('[data-testid="upload-slot"][data-slot="passport"] [data-testid="upload-status"]').textContent()).toContain('passport.pdf is uploaded.');

    // A text file is refused before it is sent, in plain words.
    const notes = path.join(files, 'notes.txt');
    writeFileSync(notes, 'not a paper');
    await page.locator('[data-testid="upload-input-proof-of-income"]').setInputFiles(notes);
    const wrong = page.locator('[data-testid="upload-slot"][data-slot="proof-of-income"] [data-testid="upload-problem"]');
    await wrong.waitFor();
    expect(await wrong.textContent()).toContain('not a PDF, JPEG or PNG');

    const payslip = path.join(files, 'payslip-march.pdf');
    writeFileSync(payslip, '%PDF-1.4\n% payslip\n%%EOF\n');
    await page.locator('[data-testid="upload-input-proof-of-income"]').setInputFiles(payslip);
    await page.locator('[data-testid="upload-slot"][data-slot="proof-of-income"] [data-testid="uploaded-file"]').waitFor();
    expect(await wrong.count()).toBe(0);
    await checkScreen('step-5-documents');

    // Check and send: every answer with its question, choices as their labels, files per slot.
    await next(6);
    const check = page.locator('[data-testid="application-check"]');
    await check.waitFor();
    expect(await stepHeading().textContent()).toContain('Check and send');
    expect(await page.locator('[data-testid="check-answer-sameAddress"]').textContent()).toBe('Yes');
    expect(await page.locator('[data-testid="check-answer-workSituation"]').textContent()).toBe('I am employed');
    expect(await page.locator('[data-testid="check-answer-employerName"]').textContent()).toBe('Schindler Aufzüge AG');
    expect(await page.locator('[data-testid="check-upload-passport"]').textContent()).toContain('passport.pdf');
    expect(await page.locator('[data-testid="check-upload-proof-of-income"]').textContent()).toContain('payslip-march.pdf');
    expect(await page.locator('[data-testid="application-missing"]').count()).toBe(0);
    await checkScreen('step-6-check');

    await page.click('[data-testid="application-send"]');
    const sent = page.locator('[data-testid="application-sent"]');
    await sent.waitFor();
    expect(await page.locator('[data-testid="application-sent-heading"]').textContent()).toBe('We have received your application');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('application-sent-heading');
    const reference = (await page.locator('[data-testid="application-reference"]').textContent()) ?? '';
    expect(reference.trim().length).toBeGreaterThan(3);
    await page.locator('[data-testid="interim-confirmation"]').waitFor();
    expect(await page.locator('[data-testid="application-status-link"]').getAttribute('href')).toMatch(/^\/portal\/cases\/[0-9a-f-]{36}$/);
    await checkScreen('sent');

    // The confirmation of lawful stay is a PDF to keep.
    const href = (await page.locator('[data-testid="interim-download"]').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/portal\/cases\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('application/pdf');
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="interim-download"]')]);
    expect(saved.suggestedFilename()).toMatch(/\.pdf$/);
  });

  it('shows a sent application again as sent, with the way to its status, and lists it on the account page', async () => {
    await page.goto(`${server.url}/portal/applications/${applicationId}`);
    await page.locator('[data-testid="application-sent"]').waitFor();
    expect(await page.locator('[data-testid="application-wizard"]').count()).toBe(0);
    expect(await page.locator('[data-testid="application-status-link"]').count()).toBe(1);

    await page.goto(`${server.url}/portal`);
    const row = page.locator(`[data-testid="portal-application"][data-application="${applicationId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('submitted');
    expect(await row.locator('[data-testid="portal-application-status"]').getAttribute('href')).toMatch(/^\/portal\/cases\/[0-9a-f-]{36}$/);
  });

  it('follows the case on its status page, and books the appointment the caseworker invites to from the case page', async () => {
    await page.locator('[data-testid="portal-application-status"]').first().click();
    await page.waitForURL(/\/portal\/cases\/[0-9a-f-]{36}$/);
    const caseId = /cases\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.locator('[data-testid="case-stages"]').waitFor();
    expect(await page.locator('[data-testid="case-phase-text"]').textContent()).toBeTruthy();
    await checkScreen('status');

    // The caseworker, on the case page at a desk, invites the applicant (their account is offered).
    const desk = await browser.newContext({ locale: 'en-CH', viewport: { width: 1280, height: 900 } });
    const staff = await desk.newPage();
    await staff.goto(`${server.url}/login`);
    await staff.fill('input[name="username"]', 'caseworker');
    await staff.fill('input[name="password"]', 'migraflow-demo');
    await staff.click('button[type="submit"]');
    await staff.waitForURL((url) => !url.pathname.startsWith('/login'));
    await staff.goto(`${server.url}/cases/${caseId}`);
    const form = staff.locator('[data-testid="appointment-invite-form"]');
    await form.waitFor();
    expect(await form.locator('select[name="account"]').inputValue()).toBe(email);
    await staff.click('[data-testid="appointment-invite-submit"]');
    expect(await staff.locator('[data-testid="appointment-invite-sent"]').textContent()).toContain(email);
    await desk.close();

    // The applicant books with the link from the mail.
    const link = await linkFromMail(server.dataDir, email, '/appointments/book?token=', seen);
    await page.goto(`${server.url}${link}`);
    const slots = page.locator('[data-testid="slot"]');
    await slots.first().waitFor();
    await checkScreen('booking');
    await slots.first().click();
    await page.locator('[data-testid="slot-book"]').click();
    await page.locator('[data-testid="booking-confirmation"]').waitFor();
    expect(await page.locator('[data-testid="booking-confirmation"]').textContent()).toContain('Fruttstrasse 15');
    await checkScreen('booked');
    await page.goto(`${server.url}/portal`);
    await page.locator('[data-testid="portal-sign-out"]').waitFor();
  });

  it('opens the link of the expiry mail after signing in, and discards the new draft on request', async () => {
    await page.click('[data-testid="portal-sign-out"]');
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/portal/apply/permit-extension?person=${personId}`);
    await page.waitForURL(/\/login/);
    await page.fill('input[name="username"]', email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    // Back where the mail pointed: a new draft (the first one is sent).
    await page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain(applicationId);
    await page.locator('[data-testid="application-wizard"][data-step="1"]').waitFor();
    await checkScreen('apply-from-mail');
    const draftId = /applications\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    // Another tab saves meanwhile: Next does not overwrite it, says so, and keeps this step's choice.
    await next(2);
    await page.getByLabel('Yes', { exact: true }).check();
    const session = (await (await page.request.get(`${server.url}/api/v1/auth/session`)).json()) as { csrfToken: string };
    const current = (await (await page.request.get(`${server.url}/api/v1/portal/applications/${draftId}`)).json()) as { version: number };
    const elsewhere = await page.request.patch(`${server.url}/api/v1/portal/applications/${draftId}`, {
      headers: { 'x-csrf-token': session.csrfToken, 'if-match': `"${String(current.version)}"` },
      data: { answers: { remarks: 'Written in another tab' } },
    });
    expect(elsewhere.status()).toBe(200);
    await page.click('[data-testid="step-next"]');
    const conflict = page.locator('[data-testid="version-conflict"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('changed in another window');
    expect(await page.getByLabel('Yes', { exact: true }).isChecked()).toBe(true);
    await checkScreen('conflict');
    await next(3);
    await page.getByLabel('I am looking for work').check();
    await next(4);
    expect(await page.getByLabel(/Is there anything else/).inputValue()).toBe('Written in another tab');

    await page.click('[data-testid="application-discard"]');
    await page.locator('[data-testid="discard-dialog"]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.click('[data-testid="discard-yes"]');
    await page.waitForURL(/\/portal$/);
    await page.locator('[data-testid="apply-discarded"]').waitFor();
    await page.locator('[data-testid="portal-applications"] [data-testid="portal-application"]').first().waitFor();
    expect(await page.locator('[data-testid="portal-application"][data-state="draft"]').count()).toBe(0);

    // An outdated link: said in plain words, with the way back.
    await page.goto(`${server.url}/portal/apply/no-such-form`);
    await page.locator('[data-testid="apply-unknown-form"]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
