import { readFileSync } from 'node:fs';
import { addDays, format } from 'date-fns';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { buildCamt054 } from '../support/camt.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * What the finance module does with input it must refuse: files that are no bank statements,
 * amounts no currency can hold, fines the law does not allow, a waiver without a second person,
 * writes on a version someone else changed. Every refusal is a problem document with a stable
 * code and a sentence in the caller's language, and leaves nothing booked.
 */

const TODAY = new Date().toISOString().slice(0, 10);
const day = (offset: number) => format(addDays(new Date(`${TODAY}T12:00:00Z`), offset), 'yyyy-MM-dd');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface Invoice {
  id: string;
  status: string;
  reference: string;
  amount: string;
  paid: string;
  open: string;
  version: number;
  payments: unknown[];
}
interface Deposit {
  id: string;
  status: string;
  held: string;
  version: number;
}
interface CaseView {
  id: string;
  version: number;
  state: string;
  fields: Record<string, string>;
  pendingDecision: unknown;
  deadlines: { kind: string; workingDueDate: string }[];
}
interface Clarification {
  id: string;
  status: string;
  version: number;
  clarification: string;
}

describe.each(DATABASE_KINDS)('finance refuses bad input on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let worker: Session;
  let lead: Session;
  let admin: Session;
  let personNumber = 0;
  /** An open deposit invoice of CHF 3000 that no refused request may touch. */
  let invoice: Invoice;

  async function call(session: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | string | Buffer | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }
  async function ok<T>(response: LightMyRequestResponse, status = 200): Promise<T> {
    if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
    return response.json<T>();
  }

  /**
   * Sends the request in German and in English (it must change nothing, so it can be sent twice)
   * and checks the problem document of each: status, media type, code, and a detail that says
   * in that language what is wrong.
   */
  async function refusedInBoth(send: (language: 'de' | 'en') => Promise<LightMyRequestResponse>, status: number, code: string, german: RegExp[], english: RegExp[]): Promise<{ de: Problem; en: Problem }> {
    const result: Partial<Record<'de' | 'en', Problem>> = {};
    for (const [language, patterns] of [['de', german], ['en', english]] as const) {
      const response = await send(language);
      expect(response.statusCode, `${language}: ${response.body}`).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json<Problem>();
      expect(problem).toMatchObject({ status, code, type: `https://migraflow.org/problems/${code}` });
      for (const pattern of patterns) expect(problem.detail, `${language} detail`).toMatch(pattern);
      result[language] = problem;
    }
    expect(result.de!.detail).not.toBe(result.en!.detail);
    return { de: result.de!, en: result.en! };
  }

  async function countOf(table: 'payments' | 'payment_imports' | 'deposit_ledger' | 'invoices'): Promise<number> {
    const row = await sql<{ count: string }>`SELECT count(*)::text AS count FROM ${sql.table(table)} WHERE tenant_id = ${tenant.id}`.execute(database.db);
    return Number(row.rows[0]?.count ?? -1);
  }
  /** Everything a booking would change: the payments, the imports, the invoice, the clarification list. */
  async function books() {
    const current = await ok<Invoice>(await call(worker, 'GET', `/api/v1/invoices/${invoice.id}`));
    const clarifications = await ok<unknown[]>(await call(lead, 'GET', '/api/v1/finance/clarifications'));
    return {
      payments: await countOf('payments'),
      imports: await countOf('payment_imports'),
      ledger: await countOf('deposit_ledger'),
      clarifications: clarifications.length,
      invoice: { status: current.status, paid: current.paid, open: current.open, version: current.version, payments: current.payments.length },
    };
  }

  async function newPerson(permit?: { category: string; admissionReason: string }): Promise<string> {
    personNumber++;
    const base = person(tenant.id, `Input${personNumber}`, 'Mira', LUZERN);
    const p = { ...base, nationality: 'ER', residences: [{ ...base.residences[0]!, arrivalDate: '2016-01-01' }] };
    await addPersons(database.db, [p]);
    if (permit) await ok(await call(worker, 'POST', `/api/v1/persons/${p.id}/permits`, { ...permit, validFrom: day(-200), validUntil: day(100) }), 201);
    return p.id;
  }
  const provisionallyAdmitted = () => newPerson({ category: 'F', admissionReason: 'provisional-admission' });
  async function orderDeposit(personId: string, instalments = 1): Promise<Deposit> {
    return ok<Deposit>(await call(worker, 'POST', `/api/v1/persons/${personId}/deposits`, { selfSupporting: true, instalments }), 201);
  }
  async function depositInvoicesOf(personId: string): Promise<Invoice[]> {
    return (await ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`))).filter((i) => (i as Invoice & { kind: string }).kind === 'deposit');
  }
  async function depositOf(personId: string): Promise<Deposit> {
    return (await ok<{ deposits: Deposit[] }>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`))).deposits[0]!;
  }

  const importCamt = (body: string | Buffer, language: 'de' | 'en', contentType = 'application/xml') => call(lead, 'POST', '/api/v1/finance/camt/imports?fileName=bank.xml', body, { 'content-type': contentType, 'accept-language': language });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'office-bad-input');
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, tenant, 'admin', 'admin');
    worker = await signIn(app, 'worker');
    lead = await signIn(app, 'lead');
    admin = await signIn(app, 'admin');
    await ok(await call(admin, 'PUT', '/api/v1/finance/settings', { officeName: 'Amt für Migration Luzern', creditorName: 'Kanton Luzern, Amt für Migration', street: 'Fruttstrasse', buildingNumber: '15', postalCode: '6005', town: 'Luzern', country: 'CH', account: 'CH44 3199 9123 0008 8901 2' }));
    const owner = await provisionallyAdmitted();
    await orderDeposit(owner);
    invoice = (await depositInvoicesOf(owner))[0]!;
    expect(invoice).toMatchObject({ status: 'open', amount: '3000.00', paid: '0.00' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  describe('bank files (camt)', () => {
    it('refuses a body that is not XML and books nothing', async () => {
      const before = await books();
      await refusedInBoth((language) => importCamt('hello', language), 422, 'camt-not-xml', [/kein lesbares XML/, /Nichts wurde gebucht/], [/not readable XML/, /Nothing was booked/]);
      await refusedInBoth((language) => call(lead, 'POST', '/api/v1/finance/camt/preview', 'hello', { 'content-type': 'application/xml', 'accept-language': language }), 422, 'camt-not-xml', [/kein lesbares XML/], [/not readable XML/]);
      expect(await books()).toEqual(before);
    });

    it('refuses an empty body, saying the file is empty, and books nothing', async () => {
      const before = await books();
      const { en } = await refusedInBoth((language) => importCamt('', language), 422, 'camt-not-xml', [/kein lesbares XML/, /Nichts wurde gebucht/], [/not readable XML/, /empty/]);
      expect(en.detail).toMatch(/empty/);
      expect(await books()).toEqual(before);
    });

    it('refuses XML that is not a bank statement: a payment order (pain.001) and an eCH-0020 message', async () => {
      const before = await books();
      const pain = await refusedInBoth((language) => importCamt(fixture('camt/pain001-001-09.xml'), language), 422, 'camt-not-camt', [/kein Kontoauszug \(camt\.053\)/, /pain\.001/, /Nichts wurde gebucht/], [/neither a bank statement/, /pain\.001/, /Nothing was booked/]);
      expect(pain.en.detail).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
      await refusedInBoth((language) => importCamt(fixture('ech0020/move-out.xml'), language), 422, 'camt-not-camt', [/kein Kontoauszug/, /eCH-0020:delivery/], [/neither a bank statement/, /eCH-0020:delivery/]);
      expect(await books()).toEqual(before);
    });

    it('refuses a camt file with an amount of three decimals as a whole: no entry of it is booked', async () => {
      const before = await books();
      await refusedInBoth((language) => importCamt(fixture('camt/camt054-amount-three-decimals.xml'), language), 422, 'camt-malformed', [/fehlerhaft/, /95\.005/, /Nichts wurde gebucht/], [/faulty/, /95\.005/, /Nothing was booked/]);
      // The first credit pays the invoice exactly; the second one spoils the file, so neither is booked.
      const mixed = buildCamt054({
        messageId: 'NTFC-THREE-DECIMALS',
        entries: [
          { amount: '3000.00', reference: invoice.reference, acctSvcrRef: 'BAD-1' },
          { amount: '95.005', reference: invoice.reference, acctSvcrRef: 'BAD-2' },
        ],
      });
      await refusedInBoth((language) => importCamt(mixed, language), 422, 'camt-malformed', [/95\.005/, /mehr als zwei|Nachkommastellen|decimals/], [/95\.005/, /more than two decimals/]);
      expect(await books()).toEqual(before);
      expect(before.invoice).toMatchObject({ status: 'open', paid: '0.00' });
    });

    it('refuses a bank file sent as JSON or text with 415, and books nothing', async () => {
      const before = await books();
      const good = buildCamt054({ messageId: 'NTFC-AS-JSON', entries: [{ amount: '3000.00', reference: invoice.reference, acctSvcrRef: 'JSON-1' }] });
      // The camt file itself, labelled as JSON (a client that got the header wrong).
      await refusedInBoth((language) => importCamt(good, language, 'application/json'), 415, 'unsupported-media-type', [/application\/json/, /nicht angenommen/], [/application\/json/, /not accepted/]);
      await refusedInBoth((language) => importCamt(JSON.stringify({ file: good }), language, 'application/json'), 415, 'unsupported-media-type', [/application\/json/], [/application\/json/]);
      await refusedInBoth((language) => importCamt(good, language, 'text/plain'), 415, 'unsupported-media-type', [/text\/plain/], [/text\/plain/]);
      expect(await books()).toEqual(before);
    });
  });

  describe('counter payments', () => {
    const pay = (amount: string | number, language: 'de' | 'en', version = invoice.version) => call(worker, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount }, { 'if-match': `"${version}"`, 'accept-language': language });

    it('refuses an amount with three decimals, a negative amount and zero, naming the amount', async () => {
      const before = await books();
      const decimals = await refusedInBoth((language) => pay('10.001', language), 422, 'amount-too-many-decimals', [/10\.001/, /mehr als zwei Nachkommastellen/], [/10\.001/, /more than two decimals/]);
      expect(decimals.de.title).toBe('Zu viele Nachkommastellen');
      await refusedInBoth((language) => pay(10.001, language), 422, 'amount-too-many-decimals', [/10\.001/], [/10\.001/]);
      await refusedInBoth((language) => pay('-10', language), 422, 'amount-negative', [/-10/, /negativ/], [/-10/, /negative/]);
      await refusedInBoth((language) => pay(-10, language), 422, 'amount-negative', [/-10/], [/-10/]);
      await refusedInBoth((language) => pay('0', language), 422, 'amount-zero', [/null/], [/zero/]);
      await refusedInBoth((language) => pay('0.00', language), 422, 'amount-zero', [/null/], [/zero/]);
      await refusedInBoth((language) => pay('zehn', language), 422, 'amount-not-a-number', [/zehn/], [/zehn/]);
      // More than is open: the clerk gives change instead.
      await refusedInBoth((language) => pay('3000.05', language), 422, 'counter-overpayment', [/3000\.00/, /3000\.05/], [/3000\.00/, /3000\.05/]);
      expect(await books()).toEqual(before);
    });

    it('refuses a payment without If-Match (428) and on a stale invoice version (409)', async () => {
      const before = await books();
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount: '10' }, { 'accept-language': language }), 428, 'precondition-required', [/If-Match/], [/If-Match/]);
      expect(await books()).toEqual(before);

      // Someone else books a part first: the version read before is stale.
      const personId = await provisionallyAdmitted();
      await orderDeposit(personId);
      const stale = (await depositInvoicesOf(personId))[0]!;
      await ok(await call(worker, 'POST', `/api/v1/invoices/${stale.id}/payments`, { amount: '100' }, { 'if-match': `"${stale.version}"` }), 201);
      const payments = await countOf('payments');
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/invoices/${stale.id}/payments`, { amount: '100' }, { 'if-match': `"${stale.version}"`, 'accept-language': language }), 409, 'version-conflict', [/inzwischen geändert/], [/changed this record meanwhile/]);
      expect(await countOf('payments')).toBe(payments);
      expect(await ok<Invoice>(await call(worker, 'GET', `/api/v1/invoices/${stale.id}`))).toMatchObject({ paid: '100.00', open: '2900.00' });
    });
  });

  describe('fines', () => {
    async function remindedCase(reminderDueDate: string): Promise<CaseView> {
      const personId = await newPerson();
      const step = (view: CaseView, transition: string, fields: Record<string, string>) => call(worker, 'POST', `/api/v1/cases/${view.id}/steps/${transition}`, { fields }, { 'if-match': `"${view.version}"` });
      const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'duty-to-report', personId, language: 'de' }), 201);
      const requested = await ok<CaseView>(await step(opened, 'send-request', { papersDueDate: day(-40) }));
      return ok<CaseView>(await step(requested, 'send-reminder', { reminderDueDate }));
    }
    const imposeFine = (view: CaseView, fineAmount: string, language: 'de' | 'en', version = view.version) =>
      call(worker, 'POST', `/api/v1/cases/${view.id}/steps/impose-fine`, { reason: 'Nicht angemeldet trotz Mahnung.', fields: { fineAmount } }, { 'if-match': `"${version}"`, 'accept-language': language });
    const unchanged = async (view: CaseView) => expect(await ok<CaseView>(await call(worker, 'GET', `/api/v1/cases/${view.id}`))).toMatchObject({ state: 'reminded', version: view.version, pendingDecision: null });

    it('refuses a fine above CHF 1000 (NG § 18) at the field, naming the field', async () => {
      const view = await remindedCase(day(-10));
      const { de, en } = await refusedInBoth((language) => imposeFine(view, '1500', language), 400, 'validation-failed', [/fields\.fineAmount/, /höher als erlaubt/], [/fields\.fineAmount/, /above the allowed maximum/]);
      expect(de.errors).toEqual([{ field: 'fields.fineAmount', message: 'ist höher als erlaubt' }]);
      expect(en.errors).toEqual([{ field: 'fields.fineAmount', message: 'is above the allowed maximum' }]);
      await refusedInBoth((language) => imposeFine(view, '250.005', language), 400, 'validation-failed', [/fields\.fineAmount/, /Nachkommastellen/], [/fields\.fineAmount/, /more than two decimals/]);
      await unchanged(view);
    });

    it('refuses a fine while the reminder deadline has not passed, naming the date', async () => {
      const view = await remindedCase(day(7));
      const until = view.deadlines.find((d) => d.kind === 'reminder-due')!.workingDueDate;
      await refusedInBoth((language) => imposeFine(view, '300', language), 422, 'fine-reminder-running', [/Frist der Mahnung läuft bis/, new RegExp(until)], [/runs until/, new RegExp(until)]);
      await unchanged(view);
    });

    it('refuses a step on a case version someone else changed', async () => {
      const view = await remindedCase(day(-10));
      const changed = await ok<CaseView>(await call(lead, 'PATCH', `/api/v1/cases/${view.id}/fields`, { fields: { fineAmount: '200' } }, { 'if-match': `"${view.version}"` }));
      await refusedInBoth((language) => imposeFine(view, '300', language), 409, 'version-conflict', [/inzwischen geändert/, new RegExp(`Version ${changed.version}`)], [/changed this record meanwhile/, new RegExp(`version ${changed.version}`)]);
      expect(await ok<CaseView>(await call(worker, 'GET', `/api/v1/cases/${view.id}`))).toMatchObject({ version: changed.version, pendingDecision: null, fields: expect.objectContaining({ fineAmount: '200' }) });
    });
  });

  describe('deposits', () => {
    const decide = (deposit: { id: string }, version: number, session: Session, language: 'de' | 'en', approve = true) => call(session, 'POST', `/api/v1/deposits/${deposit.id}/waiver-decision`, { approve }, { 'if-match': `"${version}"`, 'accept-language': language });

    it('refuses a waiver decided by the person who asked for it, even a team lead', async () => {
      const personId = await provisionallyAdmitted();
      const deposit = await orderDeposit(personId);
      const asked = await ok<Deposit>(await call(lead, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'Severe illness, no income.' }, { 'if-match': `"${deposit.version}"` }));
      const ledger = await countOf('deposit_ledger');
      const { de } = await refusedInBoth((language) => decide(deposit, asked.version, lead, language), 403, 'waiver-own-request', [/zweite Person/, /nicht selbst bewilligen/], [/second person/, /cannot approve/]);
      expect(de.title).toBe('Vier-Augen-Prinzip');
      await refusedInBoth((language) => decide(deposit, asked.version, lead, language, false), 403, 'waiver-own-request', [/zweite Person/], [/second person/]);
      expect(await depositOf(personId)).toMatchObject({ status: 'waiver-requested', version: asked.version });
      expect(await countOf('deposit_ledger')).toBe(ledger);
      expect((await depositInvoicesOf(personId)).map((i) => i.status)).toEqual(['open']);
    });

    it('refuses a waiver request without a reason', async () => {
      const personId = await provisionallyAdmitted();
      const deposit = await orderDeposit(personId);
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: '' }, { 'if-match': `"${deposit.version}"`, 'accept-language': language }), 400, 'validation-failed', [/reason/], [/reason/]);
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: '   ' }, { 'if-match': `"${deposit.version}"`, 'accept-language': language }), 422, 'waiver-reason-required', [/Begründung/], [/reason/]);
      expect(await depositOf(personId)).toMatchObject({ status: 'required', version: deposit.version });
    });

    it('refuses every deposit write on a stale version: waiver request, waiver decision, settlement', async () => {
      const personId = await provisionallyAdmitted();
      const deposit = await orderDeposit(personId);
      const asked = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'Hardship.' }, { 'if-match': `"${deposit.version}"` }));
      expect(asked.version).toBeGreaterThan(deposit.version);
      const ledger = await countOf('deposit_ledger');
      const conflict: [RegExp[], RegExp[]] = [[/inzwischen geändert/, new RegExp(`Version ${asked.version}`)], [/changed this record meanwhile/, new RegExp(`version ${asked.version}`)]];
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'Again.' }, { 'if-match': `"${deposit.version}"`, 'accept-language': language }), 409, 'version-conflict', ...conflict);
      await refusedInBoth((language) => decide(deposit, deposit.version, lead, language), 409, 'version-conflict', ...conflict);
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/deposits/${deposit.id}/settlement`, undefined, { 'if-match': `"${deposit.version}"`, 'accept-language': language }), 409, 'version-conflict', ...conflict);
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/deposits/${deposit.id}/settlement`, undefined, { 'accept-language': language }), 428, 'precondition-required', [/If-Match/], [/If-Match/]);
      expect(await depositOf(personId)).toMatchObject({ status: 'waiver-requested', version: asked.version });
      expect(await countOf('deposit_ledger')).toBe(ledger);
      expect((await depositInvoicesOf(personId)).map((i) => i.status)).toEqual(['open']);
    });

    it('refuses to order a deposit the law does not ask for, in both languages', async () => {
      const invoices = await countOf('invoices');
      const dependent = await provisionallyAdmitted();
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/persons/${dependent}/deposits`, { selfSupporting: false }, { 'accept-language': language }), 422, 'deposit-not-owed-not-self-supporting', [/selbst sorgen/], [/support themselves/]);
      const withoutPermit = await newPerson();
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/persons/${withoutPermit}/deposits`, { selfSupporting: true }, { 'accept-language': language }), 422, 'deposit-not-owed-category-not-concerned', [/B oder C/], [/B or C/]);
      await refusedInBoth((language) => call(worker, 'POST', `/api/v1/persons/${dependent}/deposits`, { selfSupporting: true, instalments: 25 }, { 'accept-language': language }), 400, 'validation-failed', [/instalments/], [/instalments/]);
      expect(await countOf('invoices')).toBe(invoices);
    });
  });

  describe('settings and the clarification list', () => {
    it('refuses finance settings saved on a stale version', async () => {
      const current = await ok<{ version: number; officeName: string }>(await call(admin, 'GET', '/api/v1/finance/settings'));
      const body = { officeName: 'Amt für Migration Luzern', creditorName: 'Kanton Luzern, Amt für Migration', street: 'Fruttstrasse', buildingNumber: '15', postalCode: '6005', town: 'Luzern', country: 'CH', account: 'CH44 3199 9123 0008 8901 2', paymentDays: 20 };
      const saved = await ok<{ version: number }>(await call(admin, 'PUT', '/api/v1/finance/settings', body, { 'if-match': `"${current.version}"` }));
      await refusedInBoth((language) => call(admin, 'PUT', '/api/v1/finance/settings', { ...body, paymentDays: 45 }, { 'if-match': `"${current.version}"`, 'accept-language': language }), 409, 'version-conflict', [/inzwischen geändert/], [/changed this record meanwhile/]);
      await refusedInBoth((language) => call(admin, 'PUT', '/api/v1/finance/settings', { ...body, account: 'CH93 0076 2011 6238 5295 7' }, { 'if-match': `"${saved.version}"`, 'accept-language': language }), 422, 'finance-qr-iban', [/keine gültige QR-IBAN/], [/not a valid QR-IBAN/]);
      expect(await ok<{ version: number; paymentDays: number }>(await call(admin, 'GET', '/api/v1/finance/settings'))).toMatchObject({ version: saved.version, paymentDays: 20 });
    });

    it('refuses resolving a clarification item on a stale version', async () => {
      const camt = buildCamt054({ messageId: 'NTFC-UNKNOWN-REF', entries: [{ amount: '42.00', reference: 'RF18539007547034', debtorName: 'Unknown payer', acctSvcrRef: 'UNKNOWN-1' }] });
      const imported = await ok<{ counts: { clarification: number } }>(await importCamt(camt, 'en'));
      expect(imported.counts.clarification).toBe(1);
      const item = (await ok<Clarification[]>(await call(lead, 'GET', '/api/v1/finance/clarifications'))).find((c) => c.clarification === 'unknown-reference')!;
      const resolved = await ok<Clarification>(await call(lead, 'POST', `/api/v1/finance/clarifications/${item.id}/resolution`, { action: 'refund', note: 'Paid back to the sender.' }, { 'if-match': `"${item.version}"` }));
      expect(resolved.status).toBe('resolved');
      await refusedInBoth(
        (language) => call(lead, 'POST', `/api/v1/finance/clarifications/${item.id}/resolution`, { action: 'acknowledge', note: 'Second clerk, same item.' }, { 'if-match': `"${item.version}"`, 'accept-language': language }),
        409,
        'version-conflict',
        [/inzwischen geändert/],
        [/changed this record meanwhile/],
      );
      const after = await ok<Clarification[]>(await call(lead, 'GET', '/api/v1/finance/clarifications?status=resolved'));
      expect(after.find((c) => c.id === item.id)).toMatchObject({ version: resolved.version, status: 'resolved' });
    });
  });
});
