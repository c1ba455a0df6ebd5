import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../support/axe.js';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { apiSignIn } from '../support/mail.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
/** A date as the pages print it in English (Swiss formats: 31.12.2025; other English ones: 31/12/2025). */
const SHOWN_DATE = /\d{2}[./]\d{2}[./]\d{4}/;

/** Wider than the screen would mean sideways scrolling on a phone (WCAG 1.4.10). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The applicant's side of a case in Chromium against the real server with the demo data: the
 * status page of the demo applicant's extension that waits for papers, messages both ways, and a
 * share code that an employer checks without an account, until it is withdrawn.
 */
describe.skipIf(!HAS_CHROMIUM)('case status, messages and share codes in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let visitorContext: BrowserContext | null = null;
  let caseId = '';
  let shareCode = '';
  const question = `Good morning, I will bring my passport to the counter next week. Is that all right? (${String(Date.now())})`;
  const answer = 'Yes, that is fine. Please bring the passport and a recent photo.';

  beforeAll(async () => {
    server = await startServer();
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
  });

  it('signs the applicant in on a phone and lists their cases', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'applicant');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/portal$/);
    // From the account page, as a person would go.
    await page.locator('[data-testid="portal-link-cases"]').click();
    await page.waitForURL(/\/portal\/cases$/);
    const row = page.locator('[data-testid="portal-case-row"][data-phase="waiting"]').first();
    await row.waitFor();
    expect(await row.locator('[data-testid="portal-case-stage"]').textContent()).toBe('We need something from you');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/portal-status-cases.png`, fullPage: true });

    await row.locator('[data-testid="portal-case-link"]').click();
    await page.waitForURL(/\/portal\/cases\/[^/]+$/);
    caseId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the stage and what the office still needs, by when', async () => {
    const status = page.locator('[data-testid="portal-case-status"]');
    await status.waitFor();
    expect(await status.getAttribute('data-phase')).toBe('waiting');
    expect(await page.locator('[data-testid="case-phase-text"]').textContent()).toBe('We need something from you before we can continue.');
    // The current stage is marked for screen readers too.
    const current = page.locator('[data-testid="case-stages"] [aria-current="step"]');
    expect(await current.count()).toBe(1);
    expect(await current.getAttribute('data-stage')).toBe('checking');

    const needs = page.locator('[data-testid="case-needs"]');
    expect(await needs.locator('h2').textContent()).toBe('What we still need');
    expect(await needs.locator('[data-testid="case-missing"] li').count()).toBeGreaterThan(0);
    const answerBy = needs.locator('[data-testid="case-answer-by"]');
    expect(await answerBy.getAttribute('data-date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await answerBy.textContent()).toMatch(SHOWN_DATE);
    expect(await page.locator('[data-testid="case-expected"]').textContent()).toMatch(/decided by|cannot say yet/);

    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/portal-status-case.png`, fullPage: true });
  });

  it('writes a message to the office', async () => {
    // The link in the box leads to the message form.
    await page.click('[data-testid="case-needs-message"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('messages-heading');

    await page.getByLabel('Your message').fill(question);
    expect(await page.locator('[data-testid="message-counter"]').textContent()).toBe(`${String(question.length)} of 5000 characters`);
    await page.click('[data-testid="portal-message-form-submit"]');
    await page.locator('[data-testid="case-messages"] [data-testid="message"][data-direction="in"]').filter({ hasText: question }).waitFor();
    expect(await page.locator('[data-testid="portal-message-form-sent"]').textContent()).toContain('Your message was sent.');
    expect(await page.getByLabel('Your message').inputValue()).toBe('');
  });

  it('the caseworker reads the message and answers it', async () => {
    const desk = await browser.newContext();
    try {
      const csrf = await apiSignIn(desk.request, server.url, 'caseworker');
      const read = await desk.request.get(`${server.url}/api/v1/cases/${caseId}/messages`);
      expect(read.status()).toBe(200);
      const messages = (await read.json()) as { direction: string; body: string }[];
      expect(messages.some((message) => message.direction === 'in' && message.body === question)).toBe(true);
      const sent = await desk.request.post(`${server.url}/api/v1/cases/${caseId}/messages`, { headers: { 'x-csrf-token': csrf }, data: { body: answer } });
      expect(sent.status()).toBe(201);
    } finally {
      await desk.close();
    }
  });

  it('the applicant reloads and sees the office’s answer, marked as such', async () => {
    await page.reload();
    const reply = page.locator('[data-testid="case-messages"] [data-testid="message"][data-direction="out"]').filter({ hasText: answer });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('From the office');
    // Oldest first: the question comes before the answer.
    const bodies = await page.locator('[data-testid="case-messages"] [data-testid="message-body"]').allTextContents();
    expect(bodies.indexOf(question)).toBeLessThan(bodies.indexOf(answer));
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.locator('#messages').screenshot({ path: `${ARTIFACTS}/portal-status-messages.png` });
  });

  it('creates a share code, shown once with the address to give', async () => {
    await page.goto(`${server.url}/portal/share`);
    await page.locator('[data-testid="share-create-form"]').waitFor();
    expect(await page.locator('[data-testid="share-explained"]').textContent()).toContain('They do not see your name');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('For how many days should the code work?').fill('30');
    await page.getByLabel('Note for you (optional)').fill('for my landlord');
    await page.click('[data-testid="share-create"]');
    const code = page.locator('[data-testid="share-code"]');
    await code.waitFor();
    shareCode = ((await code.textContent()) ?? '').trim();
    expect(shareCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await page.locator('[data-testid="share-address"]').textContent()).toBe(`${server.url}/check`);
    expect(await page.locator('[data-testid="share-once"]').textContent()).toContain('only now');
    // The focus moved from the form (now gone) to the new code.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('share-new-heading');
    const row = page.locator('[data-testid="share-code-row"][data-state="active"]').filter({ hasText: 'for my landlord' });
    await row.waitFor();

    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/portal-share.png`, fullPage: true });
  });

  it('someone without an account checks the code: category and validity, not the person', async () => {
    const me = (await (await page.request.get(`${server.url}/api/v1/portal/me`)).json()) as { person: { name: string } | null };
    const name = me.person?.name ?? '';
    expect(name).not.toBe('');

    visitorContext = await browser.newContext({ locale: 'en-CH', viewport: PHONE, timezoneId: 'Europe/Zurich' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/check`);
    await visitor.locator('[data-testid="check-form"]').waitFor();
    expect(await visitor.locator('[data-testid="check-only-this"]').textContent()).toContain('nothing else about the person');
    expect(await seriousAccessibilityViolations(visitor)).toEqual([]);

    // Typed as people do: small letters, spaces instead of dashes.
    await visitor.getByLabel('Share code').fill(shareCode.toLowerCase().replace(/-/g, ' '));
    await visitor.click('[data-testid="check-submit"]');
    const result = visitor.locator('[data-testid="check-result"]');
    await result.waitFor();
    expect(await result.locator('[data-testid="check-category"]').getAttribute('data-category')).toBe('B');
    expect(await result.locator('[data-testid="check-category"]').textContent()).toContain('Residence permit (B)');
    expect(await result.locator('[data-testid="check-valid-until"]').textContent()).toMatch(SHOWN_DATE);
    const shown = (await visitor.locator('main').textContent()) ?? '';
    for (const part of name.split(/\s+/).filter((word) => word.length > 1)) expect(shown).not.toContain(part);

    expect(await horizontalOverflow(visitor)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(visitor)).toEqual([]);
    await visitor.screenshot({ path: `${ARTIFACTS}/check-permit.png`, fullPage: true });

    // The look is counted on the applicant's list.
    await page.reload();
    const views = page.locator('[data-testid="share-code-row"][data-state="active"] [data-testid="share-code-views"]').first();
    await views.waitFor();
    expect(await views.getAttribute('data-views')).toBe('1');
  });

  it('after the applicant withdraws the code, the check says it does not work', async () => {
    const row = page.locator('[data-testid="share-code-row"][data-state="active"]').filter({ hasText: 'for my landlord' });
    await row.locator('[data-testid="share-withdraw"]').click();
    await page.locator('[data-testid="share-code-row"][data-state="revoked"]').filter({ hasText: 'for my landlord' }).waitFor();
    expect(await page.locator('[data-testid="share-list-status"]').textContent()).toContain('no longer works');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const visitor = visitorContext?.pages()[0];
    if (!visitor) throw new Error('the visitor’s page is gone');
    await visitor.click('[data-testid="check-submit"]');
    const invalid = visitor.locator('[data-testid="check-invalid"]');
    await invalid.waitFor();
    expect(await invalid.textContent()).toContain('This code does not work');
    expect(await visitor.locator('[data-testid="check-result"]').count()).toBe(0);
    expect(await seriousAccessibilityViolations(visitor)).toEqual([]);
    await visitorContext?.close();
  });

  it('the caseworker sees the conversation on the case page', async () => {
    const desk = await browser.newContext({ locale: 'en-CH', viewport: DESKTOP });
    try {
      const staff = await desk.newPage();
      await staff.goto(`${server.url}/login`);
      await staff.fill('input[name="username"]', 'caseworker');
      await staff.fill('input[name="password"]', 'migraflow-demo');
      await staff.click('button[type="submit"]');
      await staff.waitForURL(/\/persons/);
      // The bell says that the applicant wrote, and leads to the case.
      await staff.click('[data-testid="notifications"]');
      const note = staff.getByRole('dialog').getByRole('link', { name: /New message from the applicant on case \d{4}-\d+/ });
      await note.first().waitFor();
      expect(await note.first().getAttribute('href')).toBe(`/cases/${caseId}`);
      await note.first().click();
      await staff.waitForURL(new RegExp(`/cases/${caseId}$`));
      const section = staff.locator('[data-testid="case-messages-section"]');
      await section.locator('[data-testid="message"]').first().waitFor();
      const incoming = section.locator('[data-testid="message"][data-direction="in"]');
      expect(await incoming.first().textContent()).toContain('From the applicant');
      expect(await section.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: answer }).count()).toBe(1);
      expect(await section.locator('[data-testid="case-message-form"]').count()).toBe(1);
      // No online application behind the demo case: no panel for it.
      expect(await staff.locator('[data-testid="case-application-section"]').count()).toBe(0);
      await section.screenshot({ path: `${ARTIFACTS}/case-messages.png` });
    } finally {
      await desk.close();
    }
  });
});
