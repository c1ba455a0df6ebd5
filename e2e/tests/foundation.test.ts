import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

describe.skipIf(!HAS_CHROMIUM)('web shell in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

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

  it('prints the URL and the demo logins on start', () => {
    expect(server.output()).toMatch(/running at http:\/\/localhost:\d+/);
    expect(server.output()).toMatch(/caseworker\s+caseworker/);
    expect(server.output()).toMatch(/password "migraflow-demo"/);
  });

  it('refuses a wrong password with a readable message', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'caseworker');
    await page.fill('input[name="password"]', 'not the password');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('body')).toContain('Benutzername oder Passwort ist falsch');
  });

  it('signs in as a caseworker and finds a demo person with a misspelled name', async () => {
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);
    const rows = page.locator('[data-testid="person-row"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);

    // Take a real demo name and search for it without its diacritics and with one letter wrong.
    const response = await page.request.get(`${server.url}/api/v1/persons?q=&limit=200`);
    const persons = (await response.json()) as { officialName: string }[];
    const target = persons.map((p) => p.officialName).find((name) => name.length >= 6) ?? persons[0]!.officialName;
    const plain = target.normalize('NFD').replace(/\p{Diacritic}/gu, '');
    const misspelled = plain.slice(0, -1) + (plain.endsWith('x') ? 'y' : 'x');
    await page.fill('input[type="search"][name="q"]', misspelled);
    await expect.poll(async () => (await rows.first().textContent()) ?? '', { timeout: 10_000 }).toContain(target);
    await page.screenshot({ path: `${ARTIFACTS}/persons-search.png`, fullPage: true });
  });

  it('switches the language and every visible string follows', async () => {
    const germanNav = await page.locator('nav').textContent();
    await page.selectOption('[data-testid="language-select"]', 'fr');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('fr');
    const frenchNav = await page.locator('nav').textContent();
    expect(frenchNav).not.toBe(germanNav);
    await page.selectOption('[data-testid="language-select"]', 'en');
    await expect.poll(() => page.locator('nav').textContent()).toContain('Persons');
  });

  it('signs out and shows the login page again', async () => {
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator('h1').count()).toBeGreaterThan(0);
    const session = await page.request.get(`${server.url}/api/v1/auth/session`);
    expect(session.status()).toBe(401);
  });

  it('shows the session-expired page when the session runs out', async () => {
    await page.fill('input[name="username"]', 'caseworker');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);
    // Let the page's own first requests finish while signed in, so the next API call is ours.
    await page.waitForLoadState('networkidle');
    // End the session on the server but keep the browser's cookie: that is what an expiry looks like to the page.
    const cookies = await page.context().cookies();
    const csrf = ((await (await page.request.get(`${server.url}/api/v1/auth/session`)).json()) as { csrfToken: string }).csrfToken;
    await page.request.post(`${server.url}/api/v1/auth/logout`, { headers: { 'x-csrf-token': csrf } });
    await page.context().addCookies(cookies);
    // Any API call now meets the ended session. Usually that is our search; on a slow machine a late
    // request of the page itself may come first and show the notice before we can type.
    await page
      .locator('input[type="search"][name="q"]')
      .fill('meier', { timeout: 5_000 })
      .catch(() => undefined);
    await expect.poll(() => page.locator('[data-testid="session-expired"]').count(), { timeout: 10_000 }).toBe(1);
  });
});

describe('the server process', () => {
  it('stops cleanly on SIGTERM and a second start reuses the data without seeding again', async () => {
    const first = await startServer();
    try {
      const before = (await (await fetch(`${first.url}/api/health`)).json()) as { status: string };
      expect(before.status).toBe('ok');
      expect(first.output()).toContain('The demo office was loaded now.');
      expect(await first.stop()).toBe(0);
      const second = await startServer({ dataDir: first.dataDir });
      try {
        expect(second.output()).not.toContain('The demo office was loaded now.');
        const login = await fetch(`${second.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'caseworker', password: 'migraflow-demo' }) });
        expect(login.status).toBe(200);
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const persons = (await (await fetch(`${second.url}/api/v1/persons?limit=200`, { headers: { cookie } })).json()) as unknown[];
        expect(persons.length).toBe(200);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      removeDataDir(first.dataDir);
    }
  });
});
