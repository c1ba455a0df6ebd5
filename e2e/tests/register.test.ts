import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

describe.skipIf(!HAS_CHROMIUM)('municipal front desk in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'de-CH' });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'clerk');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('registers an arrival and shows the deadline it started', async () => {
    await page.click('a[href="/register/arrival"]');
    await page.waitForURL(/\/register\/arrival/);
    await page.fill('input[name="person.officialName"]', 'Wüthrich-Nguyễn');
    await page.fill('input[name="person.firstNames"]', 'Léa Thi');
    await page.selectOption('select[name="person.sex"]', 'f');
    await page.fill('input[name="person.dateOfBirth"]', '1994-05-17');
    await page.fill('input[name="person.nationality"]', 'VN');
    await page.selectOption('select[name="residence.municipalityBfs"]', '1061');
    await page.selectOption('select[name="residence.registrationType"]', 'settled');
    await page.fill('input[name="residence.street"]', 'Pilatusstrasse');
    await page.fill('input[name="residence.houseNumber"]', '41');
    await page.fill('input[name="residence.postalCode"]', '6003');
    await page.fill('input[name="residence.town"]', 'Luzern');
    await page.fill('input[name="residence.arrivalDate"]', '2026-11-02');
    await page.click('button[type="submit"]');
    const registerAnyway = page.locator('[data-testid="register-anyway"]');
    const file = page.locator('[data-testid="person-file"]');
    await expect.poll(async () => (await registerAnyway.count()) + (await file.count()), { timeout: 15_000 }).toBeGreaterThan(0);
    if ((await registerAnyway.count()) > 0) await registerAnyway.click();
    await file.waitFor();
    expect(await file.locator('h1').textContent()).toContain('Wüthrich-Nguyễn');
    expect(await page.locator('[data-testid="deadline-notice"]').textContent()).toContain('16.11.2026');
  });

  it('finds the new person with a misspelled name', async () => {
    await page.goto(`${server.url}/persons`);
    await page.fill('input[type="search"][name="q"]', 'wuthrich nguyen');
    await expect.poll(async () => (await page.locator('[data-testid="person-row"]').first().textContent()) ?? '', { timeout: 10_000 }).toContain('Wüthrich-Nguyễn');
    await page.fill('input[type="search"][name="q"]', 'Wuetrich');
    await expect.poll(async () => (await page.locator('[data-testid="person-row"]').first().textContent()) ?? '', { timeout: 10_000 }).toContain('Wüthrich-Nguyễn');
    await page.locator('[data-testid="person-row"]').first().click();
    await page.locator('[data-testid="person-file"]').waitFor();
  });

  it('deposits papers and prints the papers receipt as a PDF', async () => {
    await page.selectOption('select[name="kind"]', 'passport');
    await page.fill('input[name="designation"]', 'Reisepass Vietnam');
    await page.fill('input[name="number"]', 'C7654321');
    await page.fill('input[name="issuingCountry"]', 'VN');
    await page.fill('input[name="validUntil"]', '2032-04-30');
    await page.fill('input[name="depositedOn"]', '2026-11-05');
    await page.fill('input[name="feeChf"]', '30');
    await page.click('[data-testid="deposit-papers"]');
    const link = page.locator('[data-testid="paper-row"] [data-testid="receipt-link"]').first();
    await link.waitFor({ timeout: 10_000 });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\/api\/v1\/papers\/.+\/receipt\.pdf$/);
    const response = await page.request.get(`${server.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const pdf = await response.body();
    const file = `${ARTIFACTS}/papers-receipt.pdf`;
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Schriftenempfangsschein');
    expect(text).toContain('Wüthrich-Nguyễn Léa Thi');
    expect(text).toContain('Pilatusstrasse 41, 6003 Luzern');
    expect(text).toContain('Reisepass Vietnam Nr. C7654321');
    await page.screenshot({ path: `${ARTIFACTS}/person-file.png`, fullPage: true });
  });
});
