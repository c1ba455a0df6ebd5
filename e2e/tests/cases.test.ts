import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

/** A date some years ahead as YYYY-MM-DD: the new "valid until" of the extended permit. */
function yearsAhead(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', 'migraflow-demo');
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/persons/);
}

describe.skipIf(!HAS_CHROMIUM)('cases in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let caseUrl = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'de-CH' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('opens the first permit extension from the work queue', async () => {
    await signIn(page, server.url, 'caseworker');
    await page.click('a[href="/cases"]');
    await page.waitForURL(/\/cases$/);
    // Waits until the case types are loaded and the option is there.
    await page.selectOption('select[name="type"]', 'permit-extension');
    await page.waitForURL(/type=permit-extension/);
    // The demo has extensions already decided (their fees invoiced) beside the received ones.
    const row = page.locator('[data-testid="case-queue-row"][data-type="permit-extension"][data-state="received"]').first();
    await row.waitFor({ timeout: 15_000 });
    await row.locator('[data-testid="case-link"]').click();
    await page.waitForURL(/\/cases\/[^/?]+$/);
    await page.locator('[data-testid="case-page"]').waitFor({ timeout: 15_000 });
    caseUrl = page.url();
    expect(await page.locator('[data-testid="case-state"]').getAttribute('data-state')).toBe('received');
  });

  it('ticks the checklist, fills the new validity and extends the permit', async () => {
    // Every tick is one write with the case's version: one after the other.
    const unticked = page.locator('[data-testid^="checklist-item-"][data-done="false"]');
    for (let guard = 0; guard < 30 && (await unticked.count()) > 0; guard += 1) {
      const item = unticked.first();
      const testId = await item.getAttribute('data-testid');
      await item.locator('input[type="checkbox"]').click();
      await page.locator(`[data-testid="${testId ?? ''}"][data-done="true"]`).waitFor({ timeout: 10_000 });
    }
    expect(await unticked.count()).toBe(0);

    await page.fill('[data-testid="case-field-validUntil"]', yearsAhead(2));
    const save = page.locator('[data-testid="case-fields-save"]');
    await save.click();
    await expect.poll(() => save.isDisabled(), { timeout: 10_000 }).toBe(true);

    // A new application is first taken into review, then extended: the two main steps in turn.
    await page.click('[data-testid="case-step-start-review"]');
    const review = page.locator('[data-testid="step-form"][data-step="start-review"]');
    const state = () => page.locator('[data-testid="case-state"]').getAttribute('data-state');
    // The step's dialog opens after the click has been handled: wait for it (or for the step already taken).
    await expect.poll(async () => (await review.count()) > 0 || (await state()) === 'in-review', { timeout: 10_000 }).toBe(true);
    if ((await review.count()) > 0) await review.locator('[data-testid="step-submit"]').click();
    await expect.poll(() => page.locator('[data-testid="case-state"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('in-review');
    // Playwright waits until the step is no longer aria-disabled.
    await page.click('[data-testid="case-step-extend"]');
    const form = page.locator('[data-testid="step-form"][data-step="extend"]');
    await form.waitFor();
    if ((await form.locator('[data-testid="step-field-validUntil"]').count()) > 0) {
      await form.locator('[data-testid="step-field-validUntil"]').fill(yearsAhead(2));
    }
    if ((await form.locator('textarea[name="reason"]').count()) > 0) {
      await form.locator('textarea[name="reason"]').fill('Die Voraussetzungen für die Verlängerung sind erfüllt; die Unterlagen sind vollständig.');
    }
    await form.locator('[data-testid="step-submit"]').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });

    await expect.poll(() => page.locator('[data-testid="case-state"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('extended');
    const letter = page.locator('[data-testid="case-documents"] [data-testid="case-document"][data-kind="letter"]').first();
    await letter.waitFor({ timeout: 15_000 });
    const href = await letter.locator('[data-testid="case-document-link"]').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/documents\/[^/]+$/);

    const response = await page.request.get(`${server.url}${href ?? ''}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/pdf/);
    const pdf = await response.body();
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await page.screenshot({ path: `${ARTIFACTS}/case-decided.png`, fullPage: true });
  });

  it('shows the decision in the team lead overview', async () => {
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/login/);
    // A fresh browser context: the team lead starts on their own start page, not where the caseworker left off.
    const lead = await (await browser.newContext({ locale: 'de-CH' })).newPage();
    await signIn(lead, server.url, 'teamlead');
    await lead.click('a[href="/cases/overview"]');
    await lead.waitForURL(/\/cases\/overview/);
    const decisions = lead.locator('[data-testid="overview-decisions"]');
    await decisions.waitFor({ timeout: 15_000 });
    await expect.poll(() => decisions.locator('[data-testid="decisions-week"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await lead.screenshot({ path: `${ARTIFACTS}/case-overview.png`, fullPage: true });

    // The decided case opens for the team lead as well.
    await lead.goto(caseUrl);
    await lead.locator('[data-testid="case-page"]').waitFor({ timeout: 15_000 });
    expect(await lead.locator('[data-testid="case-state"]').getAttribute('data-state')).not.toBe('received');
  });
});
