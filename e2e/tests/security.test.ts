import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

/** The access issue in the browser: a blocking note and its disclosure, the access report, the auditor's viewer, an authenticator app. */
describe.skipIf(!HAS_CHROMIUM)('privacy and audit in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let staff: BrowserContext;
  let page: Page;
  let personId = '';

  async function signIn(target: Page, username: string): Promise<void> {
    await target.goto(`${server.url}/login`);
    await target.fill('input[name="username"]', username);
    await target.fill('input[name="password"]', 'migraflow-demo');
    await target.click('button[type="submit"]');
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    staff = await browser.newContext({ locale: 'de-CH', acceptDownloads: true });
    page = await staff.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('hides the address of a person with a blocking note until a reason is given', async () => {
    await signIn(page, 'caseworker');
    await page.waitForURL(/\/persons/);
    // Put a blocking note on a demo person through the API, as the person-file dialog would.
    const session = (await (await page.request.get(`${server.url}/api/v1/auth/session`)).json()) as { csrfToken: string };
    const hits = (await (await page.request.get(`${server.url}/api/v1/persons?q=&limit=5`)).json()) as { id: string }[];
    personId = hits[0]!.id;
    const file = (await (await page.request.get(`${server.url}/api/v1/persons/${personId}`)).json()) as { version: number; residences: { street: string | null }[] };
    const street = file.residences[0]?.street ?? '';
    expect(street).not.toBe('');
    const patched = await page.request.patch(`${server.url}/api/v1/persons/${personId}`, {
      headers: { 'x-csrf-token': session.csrfToken, 'if-match': `"${String(file.version)}"` },
      data: { changes: { blockingNote: true }, correction: true },
    });
    expect(patched.status()).toBe(200);

    await page.goto(`${server.url}/persons/${personId}`);
    await page.locator('[data-testid="blocking-note-badge"]').waitFor();
    expect(await page.locator('main').textContent()).not.toContain(street);
    await page.click('[data-testid="disclose-address"]');
    await page.fill('[data-testid="disclosure-reason"]', 'kurz');
    await page.getByRole('button', { name: 'Grund protokollieren und Adresse anzeigen' }).click();
    await page.getByText('mindestens 10 Zeichen').waitFor();
    await page.fill('[data-testid="disclosure-reason"]', 'Zustellung der Verfügung per Einschreiben');
    await page.getByRole('button', { name: 'Grund protokollieren und Adresse anzeigen' }).click();
    const disclosed = page.locator('[data-testid="disclosed-residences"]');
    await disclosed.waitFor();
    expect(await disclosed.textContent()).toContain(street);
    await page.keyboard.press('Escape');
  });

  it('downloads the right-of-access report as a PDF', async () => {
    await page.locator('[data-testid="access-report-pdf"]').scrollIntoViewIfNeeded();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="access-report-pdf"]')]);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  });

  it("shows the auditor who looked at the person, and exports it as CSV", async () => {
    const auditorContext = await browser.newContext({ locale: 'de-CH', acceptDownloads: true });
    const auditor = await auditorContext.newPage();
    await signIn(auditor, 'auditor');
    // The auditor's start page is the audit log.
    await auditor.waitForURL(/\/audit/);
    await auditor.fill('input[name="person"]', personId);
    await auditor.fill('input[name="action"]', 'person.blocked-data-disclosed');
    await auditor.click('[data-testid="audit-apply"]');
    const row = auditor.locator('[data-testid="audit-row"][data-action="person.blocked-data-disclosed"]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('caseworker');
    await auditor.screenshot({ path: `${ARTIFACTS}/audit-log.png`, fullPage: true });

    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.click('[data-testid="audit-export-csv"]')]);
    const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('person.blocked-data-disclosed');
    expect(lines[1]).toContain('Zustellung der Verfügung per Einschreiben');
    await auditorContext.close();
  });

  it('enrols an authenticator app, and the next sign-in asks for its code', async () => {
    const codeAt = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
    const first = await browser.newContext({ locale: 'de-CH' });
    const lead = await first.newPage();
    await signIn(lead, 'teamlead');
    await lead.waitForURL(/\/persons/);
    await lead.goto(`${server.url}/account/security`);
    await lead.click('[data-testid="totp-start"]');
    await lead.locator('[data-testid="totp-qr"]').waitFor();
    const secret = ((await lead.locator('[data-testid="totp-secret"]').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await lead.fill('[data-testid="totp-confirm"] input[name="code"]', codeAt(secret, Date.now()));
    await lead.click('[data-testid="totp-confirm"] button[type="submit"]');
    await lead.locator('[data-testid="totp-done"]').waitFor();
    await first.close();

    // A fresh browser: the right password alone is not enough any more.
    const second = await browser.newContext({ locale: 'de-CH' });
    const again = await second.newPage();
    await signIn(again, 'teamlead');
    const code = again.locator('input[name="code"]');
    await code.waitFor();
    expect(again.url()).toContain('/login');
    // The next time step's code: the one used for enrolment is never accepted twice.
    await code.fill(codeAt(secret, Date.now() + 30_000));
    await again.locator('form button[type="submit"]').first().click();
    await again.waitForURL(/\/persons/);
    await second.close();
  });
});
