import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { buildCamt054 } from '../../server/test/support/camt.js';
import { ARTIFACTS, HAS_CHROMIUM, launchBrowser } from '../support/browser.js';
import { removeDataDir, startServer, type RunningServer } from '../support/server.js';

interface Invoice {
  id: string;
  number: string;
  reference: string;
  status: string;
  amount: string;
  open: string;
}

interface CaseDetail {
  id: string;
  version: number;
  state: string;
  person: { id: string };
  checklist: { id: string; optional: boolean; done: boolean }[];
}

/** A date some years ahead as YYYY-MM-DD: the new "valid until" of the extended permit. */
function yearsAhead(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

/** Text as read, with the no-break spaces of formatted amounts ("CHF\u00a097.00") as plain spaces. */
async function textOf(locator: { textContent: () => Promise<string | null> }): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');
}

/** A signed-in API client (cookie and CSRF token), as the web app is, for setting the scene. */
async function apiAs(url: string, username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: url, extraHTTPHeaders: { 'accept-language': 'de' } });
  const login = await api.post('/api/v1/auth/login', { data: { username, password: 'migraflow-demo' } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { api, csrf: csrfToken };
}

/**
 * The finance issue in the browser: a decision shows the fee it will charge and charges it, a
 * camt.054 file that pays the invoice is previewed (nothing booked) and then booked, and the
 * invoice shows as paid on the case and in the person file; the same file again changes nothing.
 */
describe.skipIf(!HAS_CHROMIUM)('finance in Chromium against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let caseworker: { api: APIRequestContext; csrf: string };
  let caseId = '';
  let personId = '';
  let invoice: Invoice;
  const camtXml = () =>
    buildCamt054({
      messageId: `E2E-NTFC-${invoice.number}`,
      entries: [{ amount: invoice.amount, reference: invoice.reference, debtorName: 'E2E Zahlerin', acctSvcrRef: `E2E-${invoice.number}`, bookingDate: new Date().toISOString().slice(0, 10) }],
    });
  const caseInvoices = async (): Promise<Invoice[]> => {
    const response = await caseworker.api.get(`/api/v1/cases/${caseId}/invoices`);
    expect(response.status()).toBe(200);
    return (await response.json()) as Invoice[];
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    caseworker = await apiAs(server.url, 'caseworker');
  });
  afterAll(async () => {
    await caseworker?.api.dispose();
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('sets the office up as creditor (administrator, through the API)', async () => {
    const { api, csrf } = await apiAs(server.url, 'admin');
    const current = (await (await api.get('/api/v1/finance/settings')).json()) as { version: number } | null;
    const saved = await api.put('/api/v1/finance/settings', {
      headers: { 'x-csrf-token': csrf, ...(current ? { 'if-match': `"${String(current.version)}"` } : {}) },
      data: { officeName: 'Amt für Migration (E2E)', creditorName: 'Amt für Migration Luzern', street: 'Fruttstrasse', buildingNumber: '15', postalCode: '6002', town: 'Luzern', country: 'CH', account: 'CH44 3199 9123 0008 8901 2', paymentDays: 30 },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    expect(await saved.json()).toMatchObject({ account: 'CH4431999123000889012', currency: 'CHF' });
    await api.dispose();
  });

  it('brings a permit extension to its decision (caseworker, through the API)', async () => {
    const { api, csrf } = caseworker;
    const queue = (await (await api.get('/api/v1/cases?type=permit-extension&limit=100')).json()) as { items: { id: string; state: string }[] };
    const received = queue.items.find((item) => item.state === 'received');
    expect(received, 'a received permit extension in the demo data').toBeDefined();
    caseId = received!.id;
    let detail = (await (await api.get(`/api/v1/cases/${caseId}`)).json()) as CaseDetail;
    personId = detail.person.id;
    const write = async (method: 'put' | 'patch' | 'post', path: string, data: unknown) => {
      const response = await api[method](`/api/v1/cases/${caseId}${path}`, { headers: { 'x-csrf-token': csrf, 'if-match': `"${String(detail.version)}"` }, data });
      expect(response.status(), await response.text()).toBe(200);
      detail = (await response.json()) as CaseDetail;
    };
    for (const item of detail.checklist.filter((entry) => !entry.optional && !entry.done)) await write('put', `/checklist/${item.id}`, { done: true });
    await write('patch', '/fields', { fields: { validUntil: yearsAhead(2) } });
    await write('post', '/steps/start-review', {});
    expect(detail.state).toBe('in-review');
    expect(await caseInvoices()).toEqual([]);
  });

  it('shows the fee before the decision and charges it with the decision (team lead)', async () => {
    const context = await browser.newContext({ locale: 'de-CH' });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="username"]', 'teamlead');
    await page.fill('input[name="password"]', 'migraflow-demo');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/persons/);

    await page.goto(`${server.url}/cases/${caseId}`);
    await page.locator('[data-testid="case-page"]').waitFor({ timeout: 15_000 });
    // The fee beside the button, before anything is decided.
    expect(await textOf(page.getByTestId('case-step-fee-extend'))).toBe('Gebühr: CHF 97.00');
    await page.click('[data-testid="case-step-extend"]');
    const form = page.locator('[data-testid="step-form"][data-step="extend"]');
    await form.waitFor();
    const fee = form.getByTestId('step-fee');
    expect(await fee.getAttribute('data-total')).toBe('97.00');
    const feeText = await textOf(fee);
    expect(feeText).toContain('GebV-AIG Art. 8 Abs. 1 lit. e');
    expect(feeText).toContain('GebV-AIG Art. 8 Abs. 2 lit. a');
    expect(await textOf(form.getByTestId('step-fee-total'))).toBe('CHF 97.00');
    expect(await form.getByTestId('step-fee-line').count()).toBe(2);
    await form.locator('textarea[name="reason"]').fill('Die Voraussetzungen für die Verlängerung sind erfüllt; die Unterlagen sind vollständig.');
    await form.getByTestId('step-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });

    const row = page.locator('[data-testid="case-finance"] [data-testid="invoice-row"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-status')).toBe('open');
    // The open invoice prints with its QR-bill.
    const pdf = await page.request.get(`${server.url}${(await row.getByTestId('invoice-pdf').getAttribute('href')) ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    const invoices = await caseInvoices();
    expect(invoices).toHaveLength(1);
    invoice = invoices[0]!;
    expect(invoice).toMatchObject({ status: 'open', amount: '97.00', open: '97.00' });
    expect(await row.getAttribute('data-number')).toBe(invoice.number);
  });

  it('previews a camt.054 file that pays the invoice without booking anything', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Finanzen' }).click();
    await page.waitForURL(/\/finance\/import$/);
    await page.getByRole('heading', { level: 1, name: 'Finanzen' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Bankdateien' }).getAttribute('aria-selected')).toBe('true');

    // Not a bank file: the server's reason, in German.
    await page.getByLabel('camt-Datei (XML)').setInputFiles({ name: 'notiz.xml', mimeType: 'application/xml', buffer: Buffer.from('keine XML-Datei') });
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    const refused = page.getByTestId('camt-refused');
    await refused.waitFor();
    expect(await refused.getAttribute('data-code')).toBe('camt-not-xml');
    expect(await refused.textContent()).toContain('Nichts wurde gebucht');

    await page.getByLabel('camt-Datei (XML)').setInputFiles({ name: 'camt054-e2e.xml', mimeType: 'application/xml', buffer: Buffer.from(camtXml()) });
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    const preview = page.getByTestId('camt-preview-result');
    await preview.waitFor({ timeout: 15_000 });
    expect(await refused.count()).toBe(0);
    const entry = preview.locator(`[data-testid="camt-entry"][data-reference="${invoice.reference}"]`);
    expect(await entry.getAttribute('data-outcome')).toBe('booked');
    const text = await textOf(entry);
    expect(text).toContain(invoice.number);
    expect(text).toContain('CHF 97.00');
    expect(text).toContain('E2E Zahlerin');
    expect(await textOf(preview.getByTestId('camt-total-credited'))).toBe('CHF 97.00');
    expect(await page.getByTestId('camt-outcome').textContent()).toContain('noch nichts gebucht');
    await page.screenshot({ path: `${ARTIFACTS}/finance-camt-preview.png`, fullPage: true });

    // The preview booked nothing.
    expect((await caseInvoices())[0]).toMatchObject({ status: 'open', open: '97.00' });
  });

  it('books the file, and the invoice shows as paid on the case and in the person file', async () => {
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    const result = page.getByTestId('camt-import-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-already-imported')).toBe('false');
    expect(await result.locator(`[data-testid="camt-entry"][data-reference="${invoice.reference}"]`).getAttribute('data-outcome')).toBe('booked');
    expect(await page.getByTestId('camt-outcome').textContent()).toContain('Die Datei ist gebucht. Verbucht: 1');
    expect((await caseInvoices())[0]).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00' });

    await page.goto(`${server.url}/cases/${caseId}`);
    const caseRow = page.locator(`[data-testid="case-finance"] [data-testid="invoice-row"][data-number="${invoice.number}"]`);
    await caseRow.waitFor({ timeout: 15_000 });
    expect(await caseRow.getAttribute('data-status')).toBe('paid');
    expect(await caseRow.textContent()).toContain('Bezahlt');
    expect(await caseRow.locator('[data-testid="invoice-payment"][data-source="bank"]').count()).toBe(1);
    // Nothing is open any more: no counter payment, no payment slip.
    expect(await caseRow.getByTestId('invoice-pay').count()).toBe(0);
    expect(await caseRow.getByTestId('invoice-pdf').count()).toBe(0);

    await page.goto(`${server.url}/persons/${personId}#finance`);
    const personRow = page.locator(`[data-testid="person-finance"] [data-testid="invoice-row"][data-number="${invoice.number}"]`);
    await personRow.waitFor({ timeout: 15_000 });
    expect(await personRow.getAttribute('data-status')).toBe('paid');
    await page.screenshot({ path: `${ARTIFACTS}/finance-person.png`, fullPage: true });
  });

  it('says so when the same file comes again, and changes nothing', async () => {
    await page.goto(`${server.url}/finance/import`);
    await page.getByLabel('camt-Datei (XML)').setInputFiles({ name: 'camt054-e2e.xml', mimeType: 'application/xml', buffer: Buffer.from(camtXml()) });
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    const preview = page.getByTestId('camt-preview-result');
    await preview.waitFor({ timeout: 15_000 });
    expect(await preview.getAttribute('data-already-imported')).toBe('true');
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    const result = page.getByTestId('camt-import-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('camt-outcome').textContent()).toContain('Es wurde nichts geändert');
    const invoices = await caseInvoices();
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: 'paid', paid: '97.00' });
  });
});
