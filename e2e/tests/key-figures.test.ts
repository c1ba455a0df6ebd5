import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

interface ForeignPopulation {
  date: string;
  permanent: { total: number; C: number; B: number; L_over_12_months: number };
}

const DATE = '2026-10-31';

describe.skipIf(!HAS_CHROMIUM)('key figures in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  /** The number of settled foreigners ("C") the page shows on DATE. */
  let settled = -1;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'de-CH', acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('signs in as a team lead and opens the key figures from the navigation', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'teamlead');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);
    await page.click('a[href="/reports/key-figures"]');
    await page.waitForURL(/\/reports\/key-figures/);
    await page.locator('[data-testid="key-figures"]').waitFor();
    await page.locator('[data-testid="stock-table"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="stock-table"]').textContent()).toContain('1. Ständige ausländische Wohnbevölkerung');
  });

  it('shows the foreign population on a date as the API counts it, and the total adds up', async () => {
    await page.fill('input[name="date"]', DATE);
    const table = page.locator(`[data-testid="stock-table"][data-date="${DATE}"]`);
    await table.waitFor({ timeout: 15_000 });
    const figure = async (path: string) => Number(await table.locator(`[data-figure="${path}"]`).getAttribute('data-value'));
    const total = await figure('permanent.total');
    settled = await figure('permanent.C');
    const residents = await figure('permanent.B');
    const shortTerm = await figure('permanent.L_over_12_months');
    expect(total).toBe(settled + residents + shortTerm);
    expect(total).toBeGreaterThan(0);

    const response = await page.request.get(`${server.url}/api/v1/statistics/foreign-population?date=${DATE}`);
    expect(response.status()).toBe(200);
    const api = (await response.json()) as ForeignPopulation;
    expect(total).toBe(api.permanent.total);
    expect(settled).toBe(api.permanent.C);

    // Shown in the Swiss format, and the chart names the same figures for screen readers.
    const shown = (await table.locator('[data-figure="permanent.total"]').textContent()) ?? '';
    expect(shown.replace(/\D/g, '')).toBe(String(total));
    const chart = page.locator('[data-testid="stock-chart"] svg[role="img"]');
    expect(await chart.getAttribute('aria-label')).toContain('Niedergelassene „C“');
  });

  it('downloads table 1 as CSV with the same figures', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="stock-csv"]')]);
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('section,figure,value');
    expect(lines).toContain(`permanent,C,${String(settled)}`);
    expect(download.suggestedFilename()).toContain(DATE);
    await page.screenshot({ path: `${ARTIFACTS}/key-figures.png`, fullPage: true });
  });
});
