import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

const PARTNER = 'Einwohnerkontrolle Kriens (E2E)';
const PARTICIPANT = 'T1-1059-7';

/** An eCH-0020 v3 move-out of somebody the register does not know (modelled on server/test/fixtures/ech0020/move-out.xml). */
function moveOutOfUnknownPerson(messageId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<eCH-0020:delivery xmlns:eCH-0020="http://www.ech.ch/xmlns/eCH-0020/3" xmlns:eCH-0058="http://www.ech.ch/xmlns/eCH-0058/5" xmlns:eCH-0044="http://www.ech.ch/xmlns/eCH-0044/4" xmlns:eCH-0007="http://www.ech.ch/xmlns/eCH-0007/5" xmlns:eCH-0011="http://www.ech.ch/xmlns/eCH-0011/8" xmlns:eCH-0008="http://www.ech.ch/xmlns/eCH-0008/3" version="3.0">
  <eCH-0020:deliveryHeader>
    <eCH-0058:senderId>${PARTICIPANT}</eCH-0058:senderId>
    <eCH-0058:messageId>${messageId}</eCH-0058:messageId>
    <eCH-0058:messageType>http://www.ech.ch/xmlns/eCH-0020/3</eCH-0058:messageType>
    <eCH-0058:sendingApplication><eCH-0058:manufacturer>E2E</eCH-0058:manufacturer><eCH-0058:product>Test</eCH-0058:product><eCH-0058:productVersion>1</eCH-0058:productVersion></eCH-0058:sendingApplication>
    <eCH-0058:messageDate>2026-11-20T10:00:00</eCH-0058:messageDate>
    <eCH-0058:eventDate>2026-11-19</eCH-0058:eventDate>
    <eCH-0058:action>1</eCH-0058:action>
    <eCH-0058:testDeliveryFlag>false</eCH-0058:testDeliveryFlag>
  </eCH-0020:deliveryHeader>
  <eCH-0020:moveOut>
    <eCH-0020:moveOutPerson>
      <eCH-0044:localPersonId><eCH-0044:personIdCategory>LU.1059</eCH-0044:personIdCategory><eCH-0044:personId>e2e-404</eCH-0044:personId></eCH-0044:localPersonId>
      <eCH-0044:officialName>Niemand</eCH-0044:officialName>
      <eCH-0044:firstName>Nora</eCH-0044:firstName>
      <eCH-0044:sex>2</eCH-0044:sex>
      <eCH-0044:dateOfBirth><eCH-0044:yearMonthDay>1990-04-12</eCH-0044:yearMonthDay></eCH-0044:dateOfBirth>
    </eCH-0020:moveOutPerson>
    <eCH-0020:moveOutReportingDestination>
      <eCH-0020:reportingMunicipality><eCH-0007:municipalityId>1061</eCH-0007:municipalityId><eCH-0007:municipalityName>Luzern</eCH-0007:municipalityName></eCH-0020:reportingMunicipality>
      <eCH-0020:departureDate>2026-11-19</eCH-0020:departureDate>
      <eCH-0020:goesTo><eCH-0011:foreignCountry><eCH-0011:country><eCH-0008:countryId>8207</eCH-0008:countryId><eCH-0008:countryNameShort>Deutschland</eCH-0008:countryNameShort></eCH-0011:country></eCH-0011:foreignCountry></eCH-0020:goesTo>
    </eCH-0020:moveOutReportingDestination>
  </eCH-0020:moveOut>
</eCH-0020:delivery>
`;
}

/** The data exchange in the browser: a partner with its one-time token, a quarantined message, its rejection. */
describe.skipIf(!HAS_CHROMIUM)('data exchange in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token = '';
  const messageId = `e2e-move-out-${String(Date.now())}`;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'de-CH' });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'admin');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.pathname !== '/login');
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('opens the data exchange from the navigation, at the quarantine', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Datenaustausch' }).click();
    await page.waitForURL(/\/exchange\/quarantine$/);
    await page.getByRole('heading', { level: 1, name: 'Datenaustausch' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Quarantäne und Eingang' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('exchange-inbox-count').textContent()).toContain('Keine Meldungen');
  });

  it('creates a partner and shows its inbox token once', async () => {
    await page.getByRole('tab', { name: 'Partner' }).click();
    await page.waitForURL(/\/exchange\/partners$/);
    await page.getByRole('button', { name: 'Neuer Partner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Neuer Partner' });
    await dialog.waitFor();
    // Refused without the required fields, with the message next to the field.
    await dialog.getByRole('button', { name: 'Partner erfassen' }).click();
    await dialog.getByText('Bitte füllen Sie dieses Feld aus.').first().waitFor();

    await dialog.getByLabel('Name', { exact: true }).fill(PARTNER);
    await dialog.getByLabel('Teilnehmer-ID (sedex)').fill(PARTICIPANT);
    await dialog.getByRole('radio', { name: 'Kein Versand (nur Empfang)' }).check();
    await dialog.getByRole('checkbox', { name: 'Wegzug' }).check();
    await dialog.getByRole('checkbox', { name: 'Zuzug' }).check();
    await dialog.getByRole('button', { name: 'Partner erfassen' }).click();

    const reveal = page.getByRole('dialog', { name: `Eingangs-Token für ${PARTNER}` });
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('Es wird nicht wieder angezeigt');
    token = await reveal.getByLabel('Eingangs-Token').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.screenshot({ path: `${ARTIFACTS}/exchange-token.png`, fullPage: true });
    await reveal.getByRole('button', { name: 'Fertig, Token ist kopiert' }).click();
    await reveal.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: PARTNER });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(PARTICIPANT);
    expect(text).toContain('Zuzug, Wegzug');
    expect(text).toContain('Eingangs-Token ausgestellt');
    // The token is nowhere on the page any more.
    expect(await page.locator('body').textContent()).not.toContain(token);
  });

  it('takes a message with the token and holds it in quarantine', async () => {
    const response = await fetch(`${server.url}/api/v1/exchange/ech0020`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml', 'accept-language': 'de' },
      body: moveOutOfUnknownPerson(messageId),
    });
    const problem = (await response.json()) as { code: string; outcome: string };
    expect(response.status, JSON.stringify(problem)).toBe(422);
    expect(problem).toMatchObject({ code: 'exchange-unknown-person', outcome: 'quarantined' });
  });

  it('shows the reason in plain words and rejects the message with a note', async () => {
    await page.getByRole('tab', { name: 'Quarantäne und Eingang' }).click();
    await page.waitForURL(/\/exchange\/quarantine$/);
    const row = page.getByRole('row').filter({ hasText: messageId });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(PARTNER);
    expect(text).toContain('Wegzug');
    expect(text).toContain('In Quarantäne');
    expect(text).toContain('Nora Niemand');
    expect(text).toContain('im Register nicht zu finden');
    await page.screenshot({ path: `${ARTIFACTS}/exchange-quarantine.png`, fullPage: true });

    await row.getByRole('button', { name: /^Ablehnen/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Meldung ablehnen' });
    await dialog.waitFor();
    const note = dialog.getByLabel('Notiz für den Absender');
    // Keyboard only: the note field has the focus, Enter in the button sends the form.
    await expect.poll(() => note.evaluate((element) => element === document.activeElement)).toBe(true);
    await note.fill('x');
    await dialog.getByRole('button', { name: 'Meldung ablehnen' }).press('Enter');
    await dialog.getByText('Bitte schreiben Sie eine Notiz').waitFor();
    await note.fill('Person ist bei uns nicht gemeldet, bitte Zuständigkeit prüfen.');
    await dialog.getByRole('button', { name: 'Meldung ablehnen' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('status').filter({ hasText: 'Die Meldung wurde abgelehnt.' }).waitFor();
    // It has left the quarantine…
    await expect.poll(() => page.getByRole('row').filter({ hasText: messageId }).count()).toBe(0);
    // …and is listed as rejected, with the note.
    await page.getByLabel('Status', { exact: true }).selectOption('rejected');
    await page.waitForURL(/status=rejected/);
    const rejected = page.getByRole('row').filter({ hasText: messageId });
    await rejected.waitFor();
    const after = (await rejected.textContent()) ?? '';
    expect(after).toContain('Abgelehnt');
    expect(after).toContain('Person ist bei uns nicht gemeldet');
    expect(after).toContain('admin');
  });

  it('keeps the view in the address: a deep link opens the rejected messages again', async () => {
    await page.goto(`${server.url}/exchange/quarantine?status=rejected`);
    await page.getByRole('row').filter({ hasText: messageId }).waitFor();
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('rejected');
    expect(await page.title()).toContain('Quarantäne und Eingang');
  });
});
