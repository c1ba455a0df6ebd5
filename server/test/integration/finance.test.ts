import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';
import type { FinanceTables } from '../../src/modules/finance/repository.js';
import { fireDueDeadlines } from '../../src/modules/deadlines/index.js';
import { qrReference } from '../../src/modules/finance/rules/references.js';
import { buildCamt053, buildCamt054, type CamtEntryOptions } from '../support/camt.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { parseCsv } from '../support/csv.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import {
  caseInReview,
  chargedInvoice,
  clarifications,
  expectStatus,
  extendBody,
  invoicesOfCase,
  isoToday,
  minor,
  money,
  personWithPermit,
  plusDays,
  postCamt,
  readCase,
  readInvoice,
  request,
  setUpFinance,
  SWISS_CREDITOR,
  SWISS_PLAIN_IBAN,
  takeStep,
  type CaseView,
  type ClarificationView,
  type ImportSummaryView,
  type InvoiceView,
} from '../support/finance.js';

/**
 * The finance module end to end through the HTTP API: the fee shown before a decision and charged
 * with it, the invoice and its QR-bill, bank files (camt.054 and camt.053) booked or put on the
 * clarification list, the list settled, counter payments, reminders, the yearly account, access.
 */

const TODAY = isoToday();
const YEAR = Number(TODAY.slice(0, 4));
const EXTENSION_BASES = ['GebV-AIG Art. 8 Abs. 1 lit. e', 'GebV-AIG Art. 8 Abs. 2 lit. a'];

interface Problem {
  status: number;
  code: string;
  detail?: string;
}

/** A notification's message: JSON text (or already parsed jsonb). */
function messageOf(message: unknown): { invoiceId?: string; level?: number; dueOn?: string } {
  return (typeof message === 'string' ? JSON.parse(message) : message) as { invoiceId?: string; level?: number; dueOn?: string };
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string): Problem {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const problem = response.json<Problem>();
  expect(problem.code).toBe(code);
  return problem;
}

interface YearlyAccountView {
  year: number;
  currency: string;
  revenue: { fees: string; federalRefunds: string; internalCharges: string; other: string; total: string };
  fees: { invoiced: string; reductions: string; waivedCount: number; received: string };
  refunds: { paidBack: string; count: number };
  receivables: { asOf: string; byKind: Record<'fee' | 'fine' | 'deposit', { count: number; open: string }> };
}

describe.each(DATABASE_KINDS)('finance: fees, invoices, bank files and the account on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let office: TestTenant;
  let other: TestTenant;
  let admin: Session;
  let worker: Session;
  let lead: Session;
  let otherLead: Session;
  let otherWorker: Session;
  /** Every invoice issued in `office`, so that the yearly account can be checked against them. */
  const issued = new Set<string>();
  let fileNumber = 0;
  let bankReference = 0;

  /** An open invoice of `office`: a permit extension granted, CHF 97.00. */
  async function invoice(): Promise<{ caseView: CaseView; invoice: InvoiceView }> {
    const charged = await chargedInvoice(app, database.db, office, worker);
    issued.add(charged.invoice.id);
    return charged;
  }
  /** A credit with a reference of the bank's own (AcctSvcrRef) that no other test uses, booked today. */
  const credit = (amount: string, reference?: string, extra: Partial<CamtEntryOptions> = {}): CamtEntryOptions => ({ amount, bookingDate: TODAY, acctSvcrRef: `ZKB-${kind}-${++bankReference}`, debtorName: 'Ana Zahler', ...(reference === undefined ? {} : { reference }), ...extra });
  const camt054 = (entries: CamtEntryOptions[]) => buildCamt054({ messageId: `NTFC-${kind}-${++fileNumber}`, entries });
  async function importFile(xml: string, session: Session = lead): Promise<ImportSummaryView> {
    return expectStatus<ImportSummaryView>(await postCamt(app, session, 'imports', xml, `file-${fileNumber}.xml`), 200);
  }
  /** The test's own view of the finance tables (the platform's Tables do not list a module's). */
  const finance = () => database.db.withTables<FinanceTables>();
  const invoiceNow = (id: string) => readInvoice(app, lead, id);
  const paymentCount = async () => Number((await finance().selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).where('tenant_id', '=', office.id).executeTakeFirstOrThrow()).n);
  const reminderDeadlines = (invoiceId: string) => database.db.selectFrom('deadlines').select(['id', 'kind', 'status', 'due_date', 'working_due_date']).where('source', '=', `invoice:${invoiceId}`).orderBy('created_at').execute();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    office = await createTenant(database.db, 'office-finance');
    other = await createTenant(database.db, 'office-finance-other');
    await createTestUser(database.db, office, 'fin-admin', 'admin');
    await createTestUser(database.db, office, 'fin-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, office, 'fin-lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, other, 'other-lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, other, 'other-worker', 'caseworker', 'aufenthalt');
    admin = await signIn(app, 'fin-admin');
    worker = await signIn(app, 'fin-worker');
    lead = await signIn(app, 'fin-lead');
    otherLead = await signIn(app, 'other-lead');
    otherWorker = await signIn(app, 'other-worker');
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  // --- 1. settings -------------------------------------------------------------------------------

  it('sets the office as creditor with a QR-IBAN, refuses a plain IBAN, and guards later changes with If-Match', async () => {
    expect(expectStatus(await request(app, admin, 'GET', '/api/v1/finance/settings'), 200)).toBeNull();
    const plain = await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...SWISS_CREDITOR, account: SWISS_PLAIN_IBAN });
    expectProblem(plain, 422, 'finance-qr-iban');
    expect(expectStatus(await request(app, admin, 'GET', '/api/v1/finance/settings'), 200)).toBeNull();

    const caseworker = await request(app, worker, 'PUT', '/api/v1/finance/settings', SWISS_CREDITOR);
    expect(caseworker.statusCode).toBe(403);

    const saved = await setUpFinance(app, admin);
    expect(saved).toMatchObject({ account: 'CH4431999123000889012', currency: 'CHF', paymentDays: 30, version: 1 });

    expectProblem(await request(app, admin, 'PUT', '/api/v1/finance/settings', SWISS_CREDITOR), 428, 'precondition-required');
    expectProblem(await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...SWISS_CREDITOR, town: 'Lucerne' }, { 'if-match': '"7"' }), 409, 'version-conflict');
    // A plain IBAN is refused on an update too, and the stored account stays.
    expectProblem(await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...SWISS_CREDITOR, account: SWISS_PLAIN_IBAN }, { 'if-match': '"1"' }), 422, 'finance-qr-iban');
    const updated = expectStatus<{ version: number; town: string; account: string }>(await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...SWISS_CREDITOR, town: 'Luzern' }, { 'if-match': '"1"' }), 200);
    expect(updated).toMatchObject({ version: 2, account: 'CH4431999123000889012' });
  });

  // --- 2. the fee before and with the decision -----------------------------------------------------

  it('shows the fee of each step before the decision, the same as the fee preview', async () => {
    const view = await caseInReview(app, database.db, office, worker);
    expect(view.state).toBe('in-review');
    const detail = expectStatus<CaseView>(await readCase(app, worker, view.id), 200);
    const extend = detail.steps.find((s) => s.id === 'extend');
    expect(extend?.fee).toMatchObject({ currency: 'CHF', total: '97.00' });
    expect(extend?.fee?.lines.map((l) => l.legalBasis)).toEqual(EXTENSION_BASES);
    expect(extend?.fee?.lines.map((l) => l.amount)).toEqual(['75.00', '22.00']);
    // A refusal costs the effort (cantonal tariff); a procedural step costs nothing.
    expect(detail.steps.find((s) => s.id === 'refuse')?.fee?.total).toBe('150.00');
    expect(detail.steps.find((s) => s.id === 'request-papers')?.fee).toBeNull();

    const preview = expectStatus<{ currency: string; total: string; lines: { legalBasis: string }[] }>(await request(app, worker, 'GET', '/api/v1/finance/fee-preview?caseType=permit-extension&transition=extend'), 200);
    expect(preview).toMatchObject({ currency: 'CHF', total: extend?.fee?.total });
    expect(preview.lines.map((l) => l.legalBasis)).toEqual(extend?.fee?.lines.map((l) => l.legalBasis));
    // Nothing is charged by looking.
    expect(await invoicesOfCase(app, worker, view.id)).toEqual([]);
  });

  it('charges the fee with the decision: one open invoice with a QR reference, due in 30 days, a reminder deadline and a timeline entry', async () => {
    const { caseView, invoice: charged } = await invoice();
    expect(caseView.state).toBe('extended');
    const invoices = await invoicesOfCase(app, worker, caseView.id);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ id: charged.id, kind: 'fee', amount: '97.00', paid: '0.00', open: '97.00', status: 'open', currency: 'CHF', caseId: caseView.id, issuedOn: TODAY, dueOn: plusDays(TODAY, 30), paidOn: null, reminderLevel: 0, adjustmentReason: null });
    expect(charged.reference).toMatch(/^\d{27}$/);
    expect(charged.number).toMatch(new RegExp(`^${YEAR}-\\d{6}$`));
    expect(charged.lines.map((l) => [l.legalBasis, l.amount])).toEqual([
      [EXTENSION_BASES[0], '75.00'],
      [EXTENSION_BASES[1], '22.00'],
    ]);
    const fee = caseView.timeline.filter((e) => e.kind === 'fee');
    expect(fee).toHaveLength(1);
    expect(fee[0]?.details).toMatchObject({ invoiceId: charged.id, amount: '97.00', currency: 'CHF', status: 'open' });
    // The reminder waits for the due date and a few days' grace.
    const reminder = caseView.deadlines.filter((d) => d.kind === 'invoice-reminder');
    expect(reminder).toHaveLength(1);
    expect(reminder[0]).toMatchObject({ status: 'open', dueDate: plusDays(TODAY, 35) });
    // The invoice reads the same on its own, with its version as ETag.
    const single = await request(app, worker, 'GET', `/api/v1/invoices/${charged.id}`);
    expect(single.headers.etag).toBe(`"${charged.version}"`);
    expect(single.json<InvoiceView>()).toMatchObject({ id: charged.id, amount: '97.00' });
  });

  it('charges a reduction with its reason as a negative line', async () => {
    const view = await caseInReview(app, database.db, office, worker);
    const after = expectStatus<CaseView>(await takeStep(app, worker, view, 'extend', extendBody({ fee: { charge: '50', reason: 'Härtefall' } })), 200);
    const invoices = await invoicesOfCase(app, worker, view.id);
    invoices.forEach((i) => issued.add(i.id));
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ amount: '50.00', open: '50.00', status: 'open', adjustmentReason: 'Härtefall' });
    expect(invoices[0]?.lines.map((l) => l.amount)).toEqual(['75.00', '22.00', '-47.00']);
    expect(invoices[0]?.lines[2]).toMatchObject({ code: 'reduction', legalBasis: 'Härtefall' });
    expect(after.timeline.find((e) => e.kind === 'fee')?.details).toMatchObject({ amount: '50.00', reason: 'Härtefall' });
  });

  it('records a waived fee without asking for money or reminding', async () => {
    const view = await caseInReview(app, database.db, office, worker);
    const after = expectStatus<CaseView>(await takeStep(app, worker, view, 'extend', extendBody({ fee: { charge: '0', reason: 'x' } })), 200);
    const invoices = await invoicesOfCase(app, worker, view.id);
    invoices.forEach((i) => issued.add(i.id));
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ amount: '0.00', open: '0.00', status: 'waived', adjustmentReason: 'x' });
    expect(invoices[0]?.lines.at(-1)).toMatchObject({ code: 'waiver', amount: '-97.00' });
    expect(after.deadlines.filter((d) => d.kind === 'invoice-reminder')).toEqual([]);
    // Nothing to pay, but the record of the waiver can be printed (or is refused with a reason, never a 500).
    const pdf = await request(app, worker, 'GET', `/api/v1/invoices/${invoices[0]!.id}/pdf`);
    expect([200, 409], pdf.body.slice(0, 300)).toContain(pdf.statusCode);
  });

  it('refuses a reduction without reason or above the tariff, and then neither the step nor its effects nor an invoice are stored', async () => {
    const personId = await personWithPermit(app, database.db, office, worker);
    const view = await caseInReview(app, database.db, office, worker, personId);
    const permits = async () => expectStatus<{ validUntil: string | null; version: number }[]>(await request(app, worker, 'GET', `/api/v1/persons/${personId}/permits`), 200);
    const permitsBefore = await permits();
    expectProblem(await takeStep(app, worker, view, 'extend', extendBody({ fee: { charge: '50', reason: '   ' } })), 422, 'fee-reason-required');
    expectProblem(await takeStep(app, worker, view, 'extend', extendBody({ fee: { charge: '120', reason: 'More work than usual' } })), 422, 'fee-not-a-reduction');
    const after = expectStatus<CaseView>(await readCase(app, worker, view.id), 200);
    expect(after).toMatchObject({ state: 'in-review', version: view.version });
    // Only what the case had before the refused steps: the interim confirmation of the complete application.
    expect(after.timeline.filter((e) => e.kind === 'fee' || e.kind === 'letter')).toEqual(view.timeline.filter((e) => e.kind === 'fee' || e.kind === 'letter'));
    expect(after.timeline.some((e) => e.kind === 'fee')).toBe(false);
    expect(after.documents).toEqual(view.documents);
    expect(await invoicesOfCase(app, worker, view.id)).toEqual([]);
    // The permit extension (applied before the fee in the same transaction) is rolled back too.
    const permitsAfter = await permits();
    expect(permitsAfter).toEqual(permitsBefore);
  });

  it('charges nothing when the step itself is refused (an extension without a permit to extend)', async () => {
    const view = await caseInReview(app, database.db, office, worker, await personWithPermit(app, database.db, office, worker, null));
    expect((await takeStep(app, worker, view, 'extend', extendBody())).statusCode).toBe(409);
    expect(expectStatus<CaseView>(await readCase(app, worker, view.id), 200)).toMatchObject({ state: 'in-review', version: view.version });
    expect(await invoicesOfCase(app, worker, view.id)).toEqual([]);
    const reminders = await database.db.selectFrom('deadlines').select('id').where('case_id', '=', view.id).where('kind', '=', 'invoice-reminder').execute();
    expect(reminders).toEqual([]);
  });

  // --- 3. the invoice as PDF ----------------------------------------------------------------------

  it('prints the invoice as PDF once the office is set up as creditor, and says so before', async () => {
    const { invoice: charged } = await invoice();
    const pdf = await request(app, worker, 'GET', `/api/v1/invoices/${charged.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(2000);

    // The other office has not set itself up as creditor yet: its invoice cannot be printed.
    const notConfigured = await chargedInvoice(app, database.db, other, otherWorker);
    expect(notConfigured.invoice).toMatchObject({ amount: '97.00', status: 'open' });
    expectProblem(await request(app, otherWorker, 'GET', `/api/v1/invoices/${notConfigured.invoice.id}/pdf`), 409, 'finance-not-configured');
  });

  // --- 4. bank files ------------------------------------------------------------------------------

  let paidByBank: { invoice: InvoiceView; caseId: string; acctSvcrRef: string; file: string; importId: string };

  it('previews a camt.054 without booking, then books an exact payment: invoice paid, reminder closed', async () => {
    const { caseView, invoice: target } = await invoice();
    const entry = credit('97.00', target.reference);
    const file = camt054([entry]);
    const clarificationsBefore = (await clarifications(app, lead)).length;

    const preview = expectStatus<ImportSummaryView>(await postCamt(app, lead, 'preview', file), 200);
    expect(preview).toMatchObject({ importId: null, alreadyImported: null, standard: 'camt.054.001.08', counts: { booked: 1, clarification: 0, known: 0 } });
    expect(preview.entries).toHaveLength(1);
    expect(preview.entries[0]).toMatchObject({ outcome: 'booked', amount: '97.00', booked: '97.00', clarification: null, reference: target.reference, invoice: { id: target.id, number: target.number } });
    // Nothing was booked by the preview.
    expect(await invoiceNow(target.id)).toMatchObject({ status: 'open', paid: '0.00', version: target.version, payments: [] });
    expect(await paymentCount()).toBe(0);

    const imported = await importFile(file);
    expect(imported).toMatchObject({ alreadyImported: null, counts: { booked: 1, clarification: 0, known: 0 }, totals: { credited: '97.00', booked: '97.00', clarification: '0.00' } });
    expect(imported.importId).toMatch(/^[0-9a-f-]{36}$/);
    const paid = await invoiceNow(target.id);
    expect(paid).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00', paidOn: TODAY });
    expect(paid.payments).toMatchObject([{ source: 'bank', amount: '97.00', booked: '97.00', clarification: null, bookingDate: TODAY }]);
    expect((await clarifications(app, lead)).length).toBe(clarificationsBefore);
    const deadlines = expectStatus<CaseView>(await readCase(app, worker, caseView.id), 200).deadlines.filter((d) => d.kind === 'invoice-reminder');
    expect(deadlines.map((d) => d.status)).toEqual(['met']);
    paidByBank = { invoice: paid, caseId: caseView.id, acctSvcrRef: entry.acctSvcrRef!, file, importId: imported.importId! };
  });

  it('prints a paid invoice without an internal error (a PDF, or a problem saying why not)', async () => {
    const pdf = await request(app, worker, 'GET', `/api/v1/invoices/${paidByBank.invoice.id}/pdf`);
    expect([200, 409], pdf.body.slice(0, 300)).toContain(pdf.statusCode);
    if (pdf.statusCode === 200) expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    else expect(pdf.headers['content-type']).toContain('application/problem+json');
  });

  it('changes nothing when the same file comes again, and says when it was imported', async () => {
    const before = { invoice: await invoiceNow(paidByBank.invoice.id), payments: await paymentCount(), clarifications: (await clarifications(app, lead)).length, imports: (await finance().selectFrom('payment_imports').select('id').where('tenant_id', '=', office.id).execute()).length };
    const again = await importFile(paidByBank.file);
    expect(again.alreadyImported).not.toBeNull();
    expect(again.importId).toBe(paidByBank.importId);
    expect(again.counts).toMatchObject({ booked: 0, clarification: 0, known: 1 });
    expect(await invoiceNow(paidByBank.invoice.id)).toEqual(before.invoice);
    expect(await paymentCount()).toBe(before.payments);
    expect((await clarifications(app, lead)).length).toBe(before.clarifications);
    expect((await finance().selectFrom('payment_imports').select('id').where('tenant_id', '=', office.id).execute()).length).toBe(before.imports);
    // The preview of a file already imported says so too, and that its credits are known.
    const preview = expectStatus<ImportSummaryView>(await postCamt(app, lead, 'preview', paidByBank.file), 200);
    expect(preview.alreadyImported).not.toBeNull();
    expect(preview.counts).toMatchObject({ booked: 0, known: 1 });
  });

  it('recognises in a camt.053 statement a credit already booked from a camt.054 (same AcctSvcrRef)', async () => {
    const payments = await paymentCount();
    const statement = buildCamt053({ messageId: `STMT-${kind}-${++fileNumber}`, entries: [{ amount: '97.00', reference: paidByBank.invoice.reference, bookingDate: TODAY, acctSvcrRef: paidByBank.acctSvcrRef, debtorName: 'Ana Zahler' }] });
    const imported = await importFile(statement);
    expect(imported.alreadyImported).toBeNull();
    expect(imported.standard).toBe('camt.053.001.08');
    expect(imported.counts).toMatchObject({ booked: 0, clarification: 0, known: 1 });
    expect(imported.entries[0]?.outcome).toBe('known');
    expect(await paymentCount()).toBe(payments);
    expect(await invoiceNow(paidByBank.invoice.id)).toMatchObject({ status: 'paid', paid: '97.00' });
    expect((await invoiceNow(paidByBank.invoice.id)).payments).toHaveLength(1);
  });

  let partial: { invoice: InvoiceView; caseId: string };
  let overpaid: InvoiceView;
  let unknownItem: ClarificationView;

  it('books a partial payment and puts it on the clarification list; the invoice stays open with the rest', async () => {
    const { caseView, invoice: target } = await invoice();
    const imported = await importFile(camt054([credit('40.00', target.reference)]));
    expect(imported.counts).toMatchObject({ booked: 0, clarification: 1 });
    expect(imported.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'partial', booked: '40.00' });
    const after = await invoiceNow(target.id);
    expect(after).toMatchObject({ status: 'open', paid: '40.00', open: '57.00', paidOn: null });
    const item = (await clarifications(app, lead)).find((c) => c.invoice?.id === target.id);
    expect(item).toMatchObject({ clarification: 'partial', status: 'open', amount: '40.00', booked: '40.00', unbooked: '0.00', reference: target.reference });
    // Still owed: the reminder stays.
    const reminder = expectStatus<CaseView>(await readCase(app, worker, caseView.id), 200).deadlines.filter((d) => d.kind === 'invoice-reminder');
    expect(reminder.map((d) => d.status)).toEqual(['open']);
    partial = { invoice: after, caseId: caseView.id };
  });

  it('books what an overpayment owes and puts the surplus on the clarification list', async () => {
    const { invoice: target } = await invoice();
    const imported = await importFile(camt054([credit('100.00', target.reference)]));
    expect(imported.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'overpayment', booked: '97.00' });
    expect(imported.totals).toMatchObject({ credited: '100.00', booked: '97.00', clarification: '3.00' });
    overpaid = await invoiceNow(target.id);
    expect(overpaid).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00', paidOn: TODAY });
    const item = (await clarifications(app, lead)).find((c) => c.invoice?.id === target.id);
    expect(item).toMatchObject({ clarification: 'overpayment', status: 'open', amount: '100.00', booked: '97.00', unbooked: '3.00' });
  });

  it('books nothing for an unknown reference and lists the credit', async () => {
    const payments = await paymentCount();
    // A valid QR reference of an invoice number this office never issued.
    const nobody = qrReference(YEAR, 999_999);
    const imported = await importFile(camt054([credit('97.00', nobody, { debtorName: 'Unbekannt AG' })]));
    expect(imported.counts).toMatchObject({ booked: 0, clarification: 1 });
    expect(imported.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'unknown-reference', booked: '0.00', invoice: null });
    expect(await paymentCount()).toBe(payments + 1);
    const item = (await clarifications(app, lead)).find((c) => c.reference === nobody);
    expect(item).toMatchObject({ clarification: 'unknown-reference', status: 'open', amount: '97.00', booked: '0.00', unbooked: '97.00', debtorName: 'Unbekannt AG', invoice: null });
    unknownItem = item!;
  });

  it('books nothing of a credit in another currency than the invoice', async () => {
    const { invoice: target } = await invoice();
    const file = buildCamt054({ messageId: `NTFC-${kind}-${++fileNumber}`, currency: 'EUR', entries: [credit('97.00', target.reference)] });
    const imported = await importFile(file);
    expect(imported.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'currency', booked: '0.00' });
    expect(await invoiceNow(target.id)).toMatchObject({ status: 'open', paid: '0.00' });
  });

  it('treats a second payment of a paid invoice as a duplicate', async () => {
    const imported = await importFile(camt054([credit('97.00', paidByBank.invoice.reference)]));
    expect(imported.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'duplicate', booked: '0.00' });
    const after = await invoiceNow(paidByBank.invoice.id);
    expect(after).toMatchObject({ status: 'paid', paid: '97.00' });
    const item = (await clarifications(app, lead)).find((c) => c.clarification === 'duplicate' && c.invoice?.id === paidByBank.invoice.id);
    expect(item).toMatchObject({ amount: '97.00', booked: '0.00', unbooked: '97.00', status: 'open' });
  });

  it('books the first of two credits for one invoice in one file and sees the second as a duplicate', async () => {
    const { invoice: target } = await invoice();
    const imported = await importFile(camt054([credit('97.00', target.reference), credit('97.00', target.reference)]));
    expect(imported.entries.map((e) => [e.outcome, e.clarification, e.booked])).toEqual([
      ['booked', null, '97.00'],
      ['clarification', 'duplicate', '0.00'],
    ]);
    expect(imported.counts).toMatchObject({ booked: 1, clarification: 1, known: 0 });
    const after = await invoiceNow(target.id);
    expect(after).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00' });
    expect(after.payments.map((p) => p.booked)).toEqual(['97.00', '0.00']);
  });

  it('books each transaction of a collective credit (one Ntry, several TxDtls)', async () => {
    const first = (await invoice()).invoice;
    const second = (await invoice()).invoice;
    const file = camt054([
      {
        amount: '194.00',
        bookingDate: TODAY,
        batch: [
          { amount: '97.00', reference: first.reference, acctSvcrRef: `ZKB-${kind}-${++bankReference}`, debtorName: 'Ana Zahler' },
          { amount: '97.00', reference: second.reference, acctSvcrRef: `ZKB-${kind}-${++bankReference}`, debtorName: 'Bea Zahler' },
        ],
      },
    ]);
    const imported = await importFile(file);
    expect(imported.counts).toMatchObject({ booked: 2, clarification: 0, known: 0 });
    expect(imported.entries.map((e) => e.invoice?.id)).toEqual([first.id, second.id]);
    expect(await invoiceNow(first.id)).toMatchObject({ status: 'paid', paid: '97.00' });
    expect(await invoiceNow(second.id)).toMatchObject({ status: 'paid', paid: '97.00' });
  });

  it('refuses a file that is not camt, and a bank file sent as JSON', async () => {
    expectProblem(await postCamt(app, lead, 'imports', '<html><body>not a bank file</body></html>'), 422, 'camt-not-camt');
    expectProblem(await postCamt(app, lead, 'imports', 'definitely not xml <'), 422, 'camt-not-xml');
    const json = await request(app, lead, 'POST', '/api/v1/finance/camt/imports', { entries: [] });
    expect(json.statusCode).toBe(415);
  });

  // --- 5. the clarification list ------------------------------------------------------------------

  it('settles the clarification list: books an unknown payment to an open invoice, refunds a surplus with a note', async () => {
    const target = (await invoice()).invoice;
    const resolve = (item: { id: string }, version: number | null, body: object) =>
      request(app, lead, 'POST', `/api/v1/finance/clarifications/${item.id}/resolution`, body, version === null ? {} : { 'if-match': `"${version}"` });

    // Book the unknown credit (97.00) to the open invoice.
    expectProblem(await resolve(unknownItem, unknownItem.version + 5, { action: 'book', invoiceId: target.id }), 409, 'version-conflict');
    expectProblem(await resolve(unknownItem, null, { action: 'book', invoiceId: target.id }), 428, 'precondition-required');
    const booked = expectStatus<ClarificationView>(await resolve(unknownItem, unknownItem.version, { action: 'book', invoiceId: target.id, note: 'Paid with the wrong reference' }), 200);
    expect(booked).toMatchObject({ status: 'resolved', resolution: 'booked', booked: '97.00', unbooked: '0.00', invoice: { id: target.id } });
    expect(await invoiceNow(target.id)).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00' });
    expect((await clarifications(app, lead)).map((c) => c.id)).not.toContain(unknownItem.id);
    expect((await clarifications(app, lead, 'resolved')).map((c) => c.id)).toContain(unknownItem.id);
    // Settled once is settled.
    expectProblem(await resolve(unknownItem, booked.version, { action: 'book', invoiceId: target.id }), 409, 'payment-not-in-clarification');

    // The overpayment's surplus goes back to the payer: only with a note saying so.
    const surplus = (await clarifications(app, lead)).find((c) => c.clarification === 'overpayment' && c.invoice?.id === overpaid.id)!;
    expect(surplus).toBeDefined();
    expectProblem(await resolve(surplus, surplus.version, { action: 'refund', note: '   ' }), 422, 'resolution-note-required');
    const noNote = await resolve(surplus, surplus.version, { action: 'refund' });
    expect(noNote.statusCode).toBeGreaterThanOrEqual(400);
    expect(noNote.statusCode).toBeLessThan(500);
    const refunded = expectStatus<ClarificationView>(await resolve(surplus, surplus.version, { action: 'refund', note: 'CHF 3.00 back to the payer by e-banking' }), 200);
    expect(refunded).toMatchObject({ status: 'resolved', resolution: 'refunded', refunded: '3.00', unbooked: '0.00', booked: '97.00', resolutionNote: 'CHF 3.00 back to the payer by e-banking' });
    // The overpaid invoice is untouched by the refund.
    expect(await invoiceNow(overpaid.id)).toMatchObject({ status: 'paid', paid: '97.00' });
  });

  it('does not book a clarification item beyond what the invoice still asks', async () => {
    const target = (await invoice()).invoice;
    await importFile(camt054([credit('200.00', qrReference(YEAR, 999_998))]));
    const item = (await clarifications(app, lead)).find((c) => c.clarification === 'unknown-reference' && c.amount === '200.00')!;
    expect(item).toBeDefined();
    expectProblem(await request(app, lead, 'POST', `/api/v1/finance/clarifications/${item.id}/resolution`, { action: 'book', invoiceId: target.id }, { 'if-match': `"${item.version}"` }), 422, 'payment-exceeds-invoice');
    expect(await invoiceNow(target.id)).toMatchObject({ status: 'open', paid: '0.00' });
    expect((await clarifications(app, lead)).find((c) => c.id === item.id)).toMatchObject({ status: 'open', version: item.version });
    // Acknowledging the partial payment agreed with the payer closes that item, with a note.
    const partialItem = (await clarifications(app, lead)).find((c) => c.clarification === 'partial' && c.invoice?.id === partial.invoice.id)!;
    const acknowledged = expectStatus<ClarificationView>(await request(app, lead, 'POST', `/api/v1/finance/clarifications/${partialItem.id}/resolution`, { action: 'acknowledge', note: 'Pays the rest next month' }, { 'if-match': `"${partialItem.version}"` }), 200);
    expect(acknowledged).toMatchObject({ status: 'resolved', resolution: 'acknowledged' });
  });

  // --- 6. counter payments ------------------------------------------------------------------------

  it('takes payments at the counter with If-Match: part, then the rest; refuses more than is open and malformed amounts', async () => {
    const { caseView, invoice: target } = await invoice();
    const pay = (version: number | null, body: object) => request(app, worker, 'POST', `/api/v1/invoices/${target.id}/payments`, body, version === null ? {} : { 'if-match': `"${version}"` });
    const etag = (await request(app, worker, 'GET', `/api/v1/invoices/${target.id}`)).headers.etag;
    expect(etag).toBe(`"${target.version}"`);

    expectProblem(await pay(target.version, { amount: '12.345' }), 422, 'amount-too-many-decimals');
    expectProblem(await pay(target.version, { amount: '-5' }), 422, 'amount-negative');
    expectProblem(await pay(target.version + 3, { amount: '40' }), 409, 'version-conflict');
    expectProblem(await pay(null, { amount: '40' }), 428, 'precondition-required');
    expectProblem(await pay(target.version, { amount: '97.05' }), 422, 'counter-overpayment');
    expect(await invoiceNow(target.id)).toMatchObject({ paid: '0.00', version: target.version, payments: [] });

    const first = await pay(target.version, { amount: '40', paidOn: TODAY, note: 'Cash' });
    const part = expectStatus<InvoiceView>(first, 201);
    expect(part).toMatchObject({ status: 'open', paid: '40.00', open: '57.00', paidOn: null });
    expect(first.headers.etag).toBe(`"${part.version}"`);
    expect(part.version).toBeGreaterThan(target.version);
    expectProblem(await pay(part.version, { amount: '57.01' }), 422, 'counter-overpayment');
    expectProblem(await pay(target.version, { amount: '57' }), 409, 'version-conflict');
    const rest = expectStatus<InvoiceView>(await pay(part.version, { amount: 57, paidOn: TODAY }), 201);
    expect(rest).toMatchObject({ status: 'paid', paid: '97.00', open: '0.00', paidOn: TODAY });
    expect(rest.payments.map((p) => [p.source, p.amount, p.booked])).toEqual([
      ['counter', '40.00', '40.00'],
      ['counter', '57.00', '57.00'],
    ]);
    // Paid: nothing more is taken, and the reminder is closed.
    expectProblem(await pay(rest.version, { amount: '1' }), 409, 'invoice-not-open');
    const reminder = expectStatus<CaseView>(await readCase(app, worker, caseView.id), 200).deadlines.filter((d) => d.kind === 'invoice-reminder');
    expect(reminder.map((d) => d.status)).toEqual(['met']);
  });

  // --- 7. reminders -------------------------------------------------------------------------------

  it('reminds an unpaid invoice after its due date and grace, and leaves a paid one alone', async () => {
    const unpaid = (await invoice()).invoice;
    const deadline = (await reminderDeadlines(unpaid.id)).find((d) => d.status === 'open');
    expect(deadline).toBeDefined();
    expect(deadline!.due_date).toBe(plusDays(unpaid.dueOn, 5));
    const workingDue = deadline!.working_due_date ?? deadline!.due_date;
    await fireDueDeadlines(database.db, { now: new Date(`${workingDue}T07:00:00Z`) });

    const reminded = await invoiceNow(unpaid.id);
    expect(reminded).toMatchObject({ status: 'open', reminderLevel: 1 });
    const after = await reminderDeadlines(unpaid.id);
    expect(after.find((d) => d.id === deadline!.id)?.status).toBe('met');
    const next = after.filter((d) => d.status === 'open');
    expect(next).toHaveLength(1);
    // The reminder gives ten more days to pay; the next reminder follows after the same grace.
    const notices = await database.db.selectFrom('notifications').select(['kind', 'message']).where('tenant_id', '=', office.id).where('kind', '=', 'invoice-reminded').execute();
    const notice = notices.map((n) => messageOf(n.message)).find((m) => m.invoiceId === unpaid.id);
    expect(notice).toMatchObject({ level: 1, dueOn: plusDays(workingDue, 10) });
    expect(next[0]?.due_date).toBe(plusDays(workingDue, 10 + 5));

    // The reminder prints with the QR-bill for what is still open.
    const pdf = await request(app, worker, 'GET', `/api/v1/invoices/${unpaid.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The invoice paid by the bank file has no reminder left, and got none.
    const paid = await invoiceNow(paidByBank.invoice.id);
    expect(paid).toMatchObject({ status: 'paid', reminderLevel: 0 });
    expect((await reminderDeadlines(paidByBank.invoice.id)).filter((d) => d.status === 'open')).toEqual([]);
    expect(notices.some((n) => messageOf(n.message).invoiceId === paidByBank.invoice.id)).toBe(false);
  });

  // --- 8. the yearly account ----------------------------------------------------------------------

  it('adds up the yearly account from the invoices, payments and refunds, with revenue without an invoice; exports CSV and XLSX', async () => {
    // Every invoice of the office was issued through these tests.
    const stored = await finance().selectFrom('invoices').select('id').where('tenant_id', '=', office.id).execute();
    expect(new Set(stored.map((r) => r.id))).toEqual(issued);
    const invoices = await Promise.all([...issued].map((id) => invoiceNow(id)));
    const fees = invoices.filter((i) => i.kind === 'fee' && i.issuedOn.startsWith(`${YEAR}-`) && i.status !== 'cancelled');
    const feesMinor = fees.reduce((sum, i) => sum + minor(i.amount), 0);
    const receivedMinor = fees.flatMap((i) => i.payments).filter((p) => p.bookingDate.startsWith(`${YEAR}-`)).reduce((sum, p) => sum + minor(p.booked), 0);
    const reductionsMinor = fees.flatMap((i) => i.lines).filter((l) => minor(l.amount) < 0).reduce((sum, l) => sum - minor(l.amount), 0);
    const openFees = invoices.filter((i) => i.kind === 'fee' && i.status === 'open');
    const refundedMinor = (await clarifications(app, lead, 'resolved')).filter((c) => c.resolution === 'refunded').reduce((sum, c) => sum + minor(c.refunded), 0);
    expect(refundedMinor).toBe(300);

    const account = expectStatus<YearlyAccountView>(await request(app, lead, 'GET', `/api/v1/finance/account?year=${YEAR}`), 200);
    expect(account).toMatchObject({ year: YEAR, currency: 'CHF' });
    expect(account.revenue.fees).toBe(money(feesMinor));
    expect(account.fees).toMatchObject({ invoiced: money(feesMinor), received: money(receivedMinor), reductions: money(reductionsMinor), waivedCount: fees.filter((i) => i.status === 'waived').length });
    expect(account.refunds).toMatchObject({ paidBack: money(refundedMinor), count: 1 });
    expect(account.receivables.byKind.fee).toEqual({ count: openFees.length, open: money(openFees.reduce((sum, i) => sum + minor(i.open), 0)) });

    const refund = expectStatus<{ kind: string; amount: string }>(await request(app, lead, 'POST', '/api/v1/finance/revenue', { kind: 'federal-refund', bookedOn: TODAY, amount: '1234.50', text: 'Globalpauschale SEM, 3. Quartal' }), 201);
    expect(refund).toMatchObject({ kind: 'federal-refund', amount: '1234.50' });
    const withRefund = expectStatus<YearlyAccountView>(await request(app, lead, 'GET', `/api/v1/finance/account?year=${YEAR}`), 200);
    expect(withRefund.revenue).toMatchObject({ fees: money(feesMinor), federalRefunds: '1234.50', total: money(feesMinor + 123450) });
    // Last year had nothing.
    const lastYear = expectStatus<YearlyAccountView>(await request(app, lead, 'GET', `/api/v1/finance/account?year=${YEAR - 1}`), 200);
    expect(lastYear.revenue.total).toBe('0.00');

    const csv = await request(app, lead, 'GET', `/api/v1/finance/account.csv?year=${YEAR}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(csv.body.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n'));
    expect(header).toEqual(['section', 'line', 'amount_chf']);
    expect(rows).toContainEqual(['Ertrag / Revenue', 'Entgelte (Gebühren) / Fees', money(feesMinor)]);
    expect(rows).toContainEqual(['Ertrag / Revenue', 'Rückerstattung SEM / Federal refunds', '1234.50']);
    const xlsx = await request(app, lead, 'GET', `/api/v1/finance/account.xlsx?year=${YEAR}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  // --- 9. access and audit ------------------------------------------------------------------------

  it('keeps bank files and the account to those who book, and every office to its own invoices', async () => {
    const file = camt054([credit('97.00', paidByBank.invoice.reference)]);
    expect((await postCamt(app, worker, 'imports', file)).statusCode).toBe(403);
    expect((await postCamt(app, worker, 'preview', file)).statusCode).toBe(403);
    expect((await request(app, worker, 'GET', '/api/v1/finance/clarifications')).statusCode).toBe(403);
    expect((await request(app, worker, 'GET', `/api/v1/finance/account?year=${YEAR}`)).statusCode).toBe(403);
    expect((await request(app, lead, 'PUT', '/api/v1/finance/settings', SWISS_CREDITOR, { 'if-match': '"2"' })).statusCode).toBe(403);

    // The other office's team lead sees nothing of this office.
    const id = paidByBank.invoice.id;
    expectProblem(await request(app, otherLead, 'GET', `/api/v1/invoices/${id}`), 404, 'not-found');
    expect((await request(app, otherLead, 'GET', `/api/v1/invoices/${id}/pdf`)).statusCode).toBe(404);
    expect((await request(app, otherLead, 'GET', `/api/v1/cases/${paidByBank.caseId}/invoices`)).statusCode).toBe(404);
    expect((await request(app, otherLead, 'GET', `/api/v1/persons/${paidByBank.invoice.personId}/invoices`)).statusCode).toBe(404);
    const target = (await invoice()).invoice;
    expect((await request(app, otherLead, 'POST', `/api/v1/invoices/${target.id}/payments`, { amount: '10' }, { 'if-match': `"${target.version}"` })).statusCode).toBe(404);
    const foreignItem = (await clarifications(app, lead))[0]!;
    expect((await request(app, otherLead, 'POST', `/api/v1/finance/clarifications/${foreignItem.id}/resolution`, { action: 'acknowledge', note: 'x' }, { 'if-match': `"${foreignItem.version}"` })).statusCode).toBe(404);
    expect(await clarifications(app, otherLead)).toEqual([]);
    // A bank file of this office's credits, imported by the other office, finds none of its invoices.
    const elsewhere = await importFile(camt054([credit('97.00', target.reference)]), otherLead);
    expect(elsewhere.entries[0]).toMatchObject({ outcome: 'clarification', clarification: 'unknown-reference', invoice: null });
    expect(await invoiceNow(target.id)).toMatchObject({ status: 'open', paid: '0.00' });
  });

  it('writes the audit trail: each invoice issued, each bank file imported (not its preview or repetition)', async () => {
    const issuedRows = await database.db.selectFrom('audit_log').select(['entity_type', 'entity_id', 'details', 'actor_name']).where('tenant_id', '=', office.id).where('action', '=', 'finance.invoice-issued').execute();
    expect(issuedRows).toHaveLength(issued.size);
    const first = issuedRows.find((r) => (r.details as { invoiceId?: string }).invoiceId === paidByBank.invoice.id);
    expect(first).toMatchObject({ entity_type: 'person', entity_id: paidByBank.invoice.personId, actor_name: 'fin-worker', details: { amount: '97.00', kind: 'fee', caseId: paidByBank.caseId } });

    const imports = await finance().selectFrom('payment_imports').select(['id']).where('tenant_id', '=', office.id).execute();
    const importedRows = await database.db.selectFrom('audit_log').select(['entity_id', 'details', 'actor_name']).where('tenant_id', '=', office.id).where('action', '=', 'finance.camt-imported').execute();
    expect(importedRows.map((r) => r.entity_id).sort()).toEqual(imports.map((r) => r.id).sort());
    expect(importedRows.find((r) => r.entity_id === paidByBank.importId)).toMatchObject({ actor_name: 'fin-lead', details: { booked: 1, clarified: 0, known: 0, invoices: [paidByBank.invoice.id] } });
    const previews = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE tenant_id = ${office.id} AND action = 'finance.camt-previewed'`.execute(database.db);
    expect(Number(previews.rows[0]?.n)).toBe(2);
  });
});
