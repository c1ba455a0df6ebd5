import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../support/axe.js';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { apiSignIn, linkFromMail } from '../support/mail.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

const PHONE = { width: 360, height: 740 };
const TIME_ZONE = 'Europe/Zurich';

/** The local day (YYYY-MM-DD) of an instant at the service point. */
function localDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

interface Booked {
  id: string;
  start: string;
  version: number;
}

/** Serious or critical axe findings, and content wider than the phone's screen. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  return [...(await seriousAccessibilityViolations(page)), ...(wide ? ['the page scrolls sideways'] : [])];
}

/** The counter's day view on a phone, against the real server: a booking made through an invitation, checked in. */
describe.skipIf(!HAS_CHROMIUM)('appointments of the day in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pointId = '';
  let caseReference = '';
  let personName = '';
  let day = '';
  let first: Booked;
  let second: Booked;

  beforeAll(async () => {
    // Mails are written as .eml files (no SMTP_URL); deliver them every second.
    server = await startServer({ env: { MAIL_INTERVAL_SECONDS: '1' } });
    browser = await launchBrowser();
    const phone = await browser.newContext({ locale: 'en-CH', viewport: PHONE, timezoneId: TIME_ZONE });
    page = await phone.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('books two appointments through invitations (the demo data has none)', async () => {
    // The office sets up a service and a service point with two counters, open all day every day,
    // so that the test finds free times whenever it runs; and a second point, first by name, that
    // the page would choose if it did not remember the last one.
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
      data: { name: 'Counter hall Lucerne', address: 'Fruttstrasse 15, 6002 Luzern', counters: 2 },
    });
    expect(created.status()).toBe(201);
    const branch = await admin.post(`${server.url}/api/v1/appointment-service-points`, {
      headers: { 'x-csrf-token': adminCsrf },
      data: { name: 'Branch office Kriens', address: 'Schachenstrasse 13, 6010 Kriens', counters: 1 },
    });
    expect(branch.status()).toBe(201);
    const point = (await created.json()) as { id: string; version: number };
    pointId = point.id;
    const hours = await admin.put(`${server.url}/api/v1/appointment-service-points/${point.id}/hours`, {
      headers: { 'x-csrf-token': adminCsrf, 'if-match': `"${String(point.version)}"` },
      data: { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })) },
    });
    expect(hours.status()).toBe(200);
    await office.close();

    // The caseworker invites the person of an open case, twice.
    const desk = await browser.newContext();
    const caseworker = desk.request;
    const csrf = await apiSignIn(caseworker, server.url, 'caseworker');
    const queue = (await (await caseworker.get(`${server.url}/api/v1/cases?limit=5`)).json()) as { items: { id: string; reference: string; personName: string }[] };
    const chosen = queue.items[0];
    expect(chosen).toBeTruthy();
    caseReference = chosen?.reference ?? '';
    personName = chosen?.personName ?? '';
    const book = async (to: string, choose: (slots: { start: string }[]) => { start: string } | undefined): Promise<Booked> => {
      const invited = await caseworker.post(`${server.url}/api/v1/cases/${chosen?.id ?? ''}/appointment-invitations`, {
        headers: { 'x-csrf-token': csrf },
        data: { service: 'biometrics', servicePointId: pointId, email: to, language: 'en' },
      });
      expect(invited.status()).toBe(201);
      const link = await linkFromMail(server.dataDir, to, '/appointments/book?token=');
      const token = new URL(link, server.url).searchParams.get('token') ?? '';
      const view = (await (await caseworker.get(`${server.url}/api/v1/appointments/by-invitation`, { headers: { 'x-invitation-token': token } })).json()) as { slots: { start: string }[] };
      const slot = choose(view.slots);
      expect(slot).toBeTruthy();
      const booked = await caseworker.post(`${server.url}/api/v1/appointments/by-invitation/booking`, { headers: { 'x-invitation-token': token }, data: { start: slot?.start } });
      expect(booked.status()).toBe(201);
      return (await booked.json()) as Booked;
    };
    // The first free time (today's, if any is left), then another on the same day: a later one, or
    // the same time at the other counter when it was the day's last.
    first = await book('first.visitor@example.ch', (slots) => slots[0]);
    day = localDay(first.start);
    second = await book('second.visitor@example.ch', (slots) => {
      const sameDay = slots.filter((s) => localDay(s.start) === day);
      return sameDay.find((s) => s.start !== first.start) ?? sameDay[0];
    });
    expect(localDay(second.start)).toBe(day);
    await desk.close();
  });

  it('shows the day on a phone and checks the person in', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'caseworker');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);

    await page.goto(`${server.url}/appointments/day?servicePoint=${pointId}&date=${day}`);
    const card = page.locator(`[data-testid="appointment"][data-appointment-id="${first.id}"]`);
    await card.waitFor();
    expect(await page.title()).toContain('Appointments of the day');
    expect(await page.locator('[data-testid="appointment-day-count"]').textContent()).toContain('2 appointments');
    expect(await page.locator('select[name="servicePoint"]').inputValue()).toBe(pointId);
    expect(await page.locator('input[name="date"]').inputValue()).toBe(day);
    // What the clerk needs to greet the person and open the case.
    expect(await card.locator('[data-testid="appointment-person"]').textContent()).toBe(personName);
    const caseLink = card.locator('[data-testid="appointment-case-link"]');
    expect(await caseLink.textContent()).toBe(`Open case ${caseReference}`);
    expect(await caseLink.getAttribute('href')).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
    expect(await card.getAttribute('data-status')).toBe('booked');
    expect(await card.locator('[data-testid="appointment-status"]').textContent()).toBe('Booked');
    // In time order: the earlier booking first.
    expect(await page.locator('[data-testid="appointment"]').first().getAttribute('data-appointment-id')).toBe(first.id);

    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/appointment-day-phone.png`, fullPage: true });

    await card.getByRole('button', { name: 'Checked in' }).click();
    await page.locator(`[data-testid="appointment"][data-appointment-id="${first.id}"][data-status="checked-in"]`).waitFor();
    expect(await card.locator('[data-testid="appointment-status"]').textContent()).toBe('Checked in');
    // The buttons are gone with the booked state; the outcome is announced and has the focus.
    expect(await card.getByRole('button').count()).toBe(0);
    const notice = page.locator('[data-testid="appointment-day-notice"]');
    expect(await notice.textContent()).toBe(`${personName} is checked in.`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('appointment-day-notice');
    expect(await accessibilityProblems(page)).toEqual([]);
    // From the top: a full-page shot of a page scrolled to the notice shows the sticky header mid-page.
    await page.evaluate(() => { window.scrollTo(0, 0); });
    await page.screenshot({ path: `${ARTIFACTS}/appointment-day-checked-in.png`, fullPage: true });

    // The choice is remembered: the page without parameters opens the same service point.
    await page.goto(`${server.url}/appointments/day?date=${day}`);
    await card.waitFor();
    expect(await page.locator('select[name="servicePoint"]').inputValue()).toBe(pointId);
  });

  it('says so when someone else marked the appointment meanwhile, and shows it as it is now', async () => {
    // Another clerk checks the second person in while this page still shows the booking.
    const other = await browser.newContext();
    const csrf = await apiSignIn(other.request, server.url, 'teamlead');
    const marked = await other.request.post(`${server.url}/api/v1/appointments/${second.id}/check-in`, { headers: { 'x-csrf-token': csrf, 'if-match': `"${String(second.version)}"` } });
    expect(marked.status()).toBe(200);
    await other.close();

    const card = page.locator(`[data-testid="appointment"][data-appointment-id="${second.id}"]`);
    expect(await card.getAttribute('data-status')).toBe('booked');
    await card.getByRole('button', { name: 'Did not come' }).click();
    const conflict = page.locator('[data-testid="version-conflict"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else changed this appointment meanwhile');
    // The day loaded again: the appointment shows as checked in, without buttons.
    await page.locator(`[data-testid="appointment"][data-appointment-id="${second.id}"][data-status="checked-in"]`).waitFor();
    expect(await card.getByRole('button').count()).toBe(0);
    await page.locator('[data-testid="conflict-reload"]').click();
    await conflict.waitFor({ state: 'detached' });
  });

  it('moves to the next day, which is empty', async () => {
    await page.click('[data-testid="appointment-day-next"]');
    await page.waitForURL((url) => url.searchParams.get('date') !== day);
    await page.locator('[data-testid="appointment-day-empty"]').waitFor();
    expect(await page.locator('[data-testid="appointment-day-empty"]').textContent()).toBe('No appointments on this day.');
    // The focus stays on the button, for the next press.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('appointment-day-next');
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
