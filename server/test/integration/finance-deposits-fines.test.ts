import { randomUUID } from 'node:crypto';
import { addDays, addMonths, format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database, DatabaseKind } from '../../src/platform/db/database.js';
import { fireDueDeadlines } from '../../src/modules/deadlines/index.js';
import { readShippedCaseTypes } from '../../src/modules/cases/index.js';
import { buildCamt054 } from '../support/camt.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * Deposits (Kaution, NG § 15a) and fines (NG § 18) through the HTTP API, as a migration office
 * works them: a decision orders the deposit, instalments are paid at the counter or by bank file,
 * a waiver needs a second person, the deposit pays open claims on departure; a fine only after a
 * lapsed reminder, invoiced to the municipality once the decision is in force.
 */

const TODAY = new Date().toISOString().slice(0, 10);
const NOON = (date: string) => new Date(`${date}T12:00:00Z`);
const day = (offset: number, from = TODAY) => format(addDays(NOON(from), offset), 'yyyy-MM-dd');
const monthsAfter = (date: string, months: number) => format(addMonths(NOON(date), months), 'yyyy-MM-dd');
const QR_IBAN_SPACED = 'CH44 3199 9123 0008 8901 2';

interface Deposit {
  id: string;
  personId: string;
  caseId: string | null;
  basis: string;
  household: string;
  amount: string;
  held: string;
  instalments: number;
  status: string;
  waiverReason: string | null;
  waiverRequestedBy: string | null;
  waiverDecidedBy: string | null;
  orderedOn: string;
  settledOn: string | null;
  version: number;
}
interface LedgerEntry {
  depositId: string;
  date: string;
  kind: string;
  amount: string;
  held: string;
  invoiceId: string | null;
  note: string | null;
}
interface Deposits {
  deposits: Deposit[];
  ledger: LedgerEntry[];
}
interface Invoice {
  id: string;
  number: string;
  personId: string;
  caseId: string | null;
  depositId: string | null;
  kind: string;
  status: string;
  reference: string;
  currency: string;
  amount: string;
  paid: string;
  open: string;
  beneficiaryBfs: number | null;
  lines: { code: string; legalBasis: string; amount: string }[];
  issuedOn: string;
  dueOn: string;
  version: number;
  payments: { source: string; amount: string; booked: string }[];
}
interface CaseView {
  id: string;
  version: number;
  state: string;
  phase: string;
  fields: Record<string, string>;
  steps: { id: string; decision: { outcome: string; fourEyes: boolean } | null }[];
  pendingDecision: { transition: string; proposedBy: string } | null;
  decision: { outcome: string; decidedBy: string; approvedBy: string | null } | null;
  deadlines: { kind: string; dueDate: string; workingDueDate: string; status: string }[];
  timeline: { kind: string; details: Record<string, unknown> | null }[];
  appeal: { until: string | null; status: string | null } | null;
  legalForceOn: string | null;
  closedAt: string | null;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
  allowed?: string[];
}
interface PersonFile {
  version: number;
  deadlines: { kind: string; dueDate: string; status: string }[];
}

/** Minor units of '1666.68', to add amounts without floats. */
const minor = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
const money = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

/** The API as one office's staff use it: a caseworker, two team leads, an administrator. */
function officeApi(getApp: () => FastifyInstance) {
  async function call(session: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return getApp().inject({ method, url, payload: payload as object | string | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }
  async function ok<T>(response: LightMyRequestResponse, status = 200): Promise<T> {
    if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
    return response.json<T>();
  }
  function problem(response: LightMyRequestResponse, status: number, code: string): Problem {
    expect(response.statusCode, response.body.slice(0, 400)).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const body = response.json<Problem>();
    expect(body.code).toBe(code);
    expect(body.detail.length).toBeGreaterThan(10);
    return body;
  }
  return { call, ok, problem };
}

/** A Swiss office set up as creditor, with a caseworker, two team leads and an administrator signed in. */
async function openOffice(kind: DatabaseKind, slug: string) {
  const database = await createTestDatabase(kind);
  const app = await buildTestApp(database);
  const tenant = await createTenant(database.db, slug);
  for (const [username, role] of [['worker', 'caseworker'], ['lead', 'team-lead'], ['lead2', 'team-lead']] as const) await createTestUser(database.db, tenant, username, role, 'aufenthalt');
  await createTestUser(database.db, tenant, 'admin', 'admin');
  const [worker, lead, secondLead, admin] = await Promise.all(['worker', 'lead', 'lead2', 'admin'].map((name) => signIn(app, name)));
  const api = officeApi(() => app);
  await api.ok(await api.call(admin!, 'PUT', '/api/v1/finance/settings', { officeName: 'Amt für Migration Luzern', creditorName: 'Kanton Luzern, Amt für Migration', street: 'Fruttstrasse', buildingNumber: '15', postalCode: '6005', town: 'Luzern', country: 'CH', account: QR_IBAN_SPACED }));
  return { database, app, tenant, worker: worker!, lead: lead!, secondLead: secondLead!, admin: admin! };
}

describe.each(DATABASE_KINDS)('deposits (Kaution, NG § 15a) on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let worker: Session;
  let lead: Session;
  let secondLead: Session;
  let personNumber = 0;
  const { call, ok, problem } = officeApi(() => app);

  beforeAll(async () => {
    ({ database, app, tenant, worker, lead, secondLead } = await openOffice(kind, 'office-deposits'));
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  /** A person from Brazil registered in Luzern since 2015, alone or in a household given by id. */
  async function newPerson(options: { householdId?: string; permit?: { category: string; admissionReason: string } } = {}): Promise<string> {
    personNumber++;
    const base = person(tenant.id, `Deposit${personNumber}`, 'Ana', LUZERN);
    const p = { ...base, nationality: 'BR', residences: [{ ...base.residences[0]!, arrivalDate: '2015-01-01', householdId: options.householdId ?? null }] };
    await addPersons(database.db, [p]);
    if (options.permit) await ok(await call(worker, 'POST', `/api/v1/persons/${p.id}/permits`, { ...options.permit, validFrom: day(-300), validUntil: day(60) }), 201);
    return p.id;
  }

  async function depositPassport(personId: string, validUntil: string | null): Promise<string> {
    const paper = await ok<{ id: string }>(await call(worker, 'POST', `/api/v1/persons/${personId}/papers`, { kind: 'passport', designation: 'Passaporte Brasil', number: `FX${personNumber}0001`, issuingCountry: 'BR', validUntil, depositedOn: day(-5), feeChf: 0 }), 201);
    return paper.id;
  }

  async function drive(view: CaseView, transition: string, fields: Record<string, string> = {}): Promise<CaseView> {
    return ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${view.id}/steps/${transition}`, { reason: 'The conditions of the law are met.', fields }, { 'if-match': `"${view.version}"` }));
  }

  /** A first permit under the quota (B) granted by decision: the grant orders the deposit if one is owed. */
  async function grantFirstPermit(personId: string): Promise<CaseView> {
    const checklist = readShippedCaseTypes('CH')
      .find((t) => t.slug === 'first-permit-quota')!
      .checklist.map((c) => c.id);
    const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'first-permit-quota', personId, language: 'de', checklist }), 201);
    const granted = await drive(await drive(opened, 'start-review'), 'grant', { category: 'B', validFrom: TODAY, validUntil: day(-1, monthsAfter(TODAY, 12)) });
    expect(granted.state).toBe('granted');
    return granted;
  }

  async function depositsOf(personId: string): Promise<Deposits> {
    return ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`));
  }
  async function invoicesOf(personId: string): Promise<Invoice[]> {
    return ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`));
  }
  async function depositInvoices(personId: string): Promise<Invoice[]> {
    return (await invoicesOf(personId)).filter((i) => i.kind === 'deposit').sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
  }
  async function payAtCounter(invoice: Invoice, amount = invoice.open): Promise<Invoice> {
    return ok<Invoice>(await call(worker, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount, note: 'Bar am Schalter' }, { 'if-match': `"${invoice.version}"` }), 201);
  }
  async function order(personId: string, body: object): Promise<LightMyRequestResponse> {
    return call(worker, 'POST', `/api/v1/persons/${personId}/deposits`, body);
  }

  it('orders CHF 3000 when a first-permit (quota) decision grants B to a person without a deposited passport', async () => {
    const personId = await newPerson();
    const granted = await grantFirstPermit(personId);
    const { deposits, ledger } = await depositsOf(personId);
    expect(deposits).toHaveLength(1);
    const deposit = deposits[0]!;
    expect(deposit).toMatchObject({ personId, caseId: granted.id, basis: 'no-valid-passport', household: 'single', amount: '3000.00', held: '0.00', instalments: 1, status: 'required', orderedOn: TODAY, settledOn: null });
    expect(ledger).toEqual([expect.objectContaining({ depositId: deposit.id, kind: 'ordered', amount: '3000.00', held: '0.00' })]);
    const invoices = await invoicesOf(personId);
    const depositInvoice = invoices.filter((i) => i.kind === 'deposit');
    expect(depositInvoice).toHaveLength(1);
    expect(depositInvoice[0]).toMatchObject({ depositId: deposit.id, caseId: granted.id, status: 'open', currency: 'CHF', amount: '3000.00', open: '3000.00', issuedOn: TODAY, dueOn: day(30) });
    expect(depositInvoice[0]!.lines).toEqual([expect.objectContaining({ code: 'deposit', legalBasis: 'NG § 15a', amount: '3000.00' })]);
    expect(depositInvoice[0]!.reference).toMatch(/^\d{27}$/);
    // The decision's fee is a separate invoice; the deposit is not a fee.
    expect(invoices.filter((i) => i.kind === 'fee').map((i) => i.amount)).toEqual(['137.00']);
    // The case records the effect with the deposit it ordered.
    expect(granted.timeline.some((e) => e.kind === 'effect' && e.details?.depositId === deposit.id)).toBe(true);
  });

  it('orders CHF 3000 when a settlement-permit decision changes B to C for a person without a deposited passport', async () => {
    const personId = await newPerson({ permit: { category: 'B', admissionReason: 'other' } });
    const checklist = readShippedCaseTypes('CH')
      .find((t) => t.slug === 'settlement-permit')!
      .checklist.map((c) => c.id);
    const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'settlement-permit', personId, language: 'de', checklist }), 201);
    const granted = await drive(await drive(opened, 'start-review'), 'grant', { validFrom: TODAY });
    expect(granted.state).toBe('granted');
    const { deposits } = await depositsOf(personId);
    expect(deposits).toEqual([expect.objectContaining({ caseId: granted.id, basis: 'no-valid-passport', household: 'single', amount: '3000.00', status: 'required' })]);
    expect((await depositInvoices(personId)).map((i) => i.amount)).toEqual(['3000.00']);
  });

  it('orders none when the person has deposited a valid passport, but does when the deposited one has expired or was returned', async () => {
    const withPassport = await newPerson();
    await depositPassport(withPassport, day(400));
    await grantFirstPermit(withPassport);
    expect((await depositsOf(withPassport)).deposits).toEqual([]);
    expect((await invoicesOf(withPassport)).filter((i) => i.kind === 'deposit')).toEqual([]);

    const expired = await newPerson();
    await depositPassport(expired, day(-1));
    await grantFirstPermit(expired);
    expect((await depositsOf(expired)).deposits.map((d) => d.amount)).toEqual(['3000.00']);

    const returned = await newPerson();
    const paperId = await depositPassport(returned, day(400));
    await ok(await call(worker, 'POST', `/api/v1/papers/${paperId}/return`, { date: TODAY }));
    await grantFirstPermit(returned);
    expect((await depositsOf(returned)).deposits.map((d) => d.amount)).toEqual(['3000.00']);
  });

  it('orders the family amount of CHF 5000 for a person in a household of two', async () => {
    const householdId = randomUUID();
    const applicant = await newPerson({ householdId });
    await newPerson({ householdId });
    await grantFirstPermit(applicant);
    const { deposits } = await depositsOf(applicant);
    expect(deposits).toEqual([expect.objectContaining({ household: 'family', amount: '5000.00', basis: 'no-valid-passport' })]);
    expect((await depositInvoices(applicant)).map((i) => i.amount)).toEqual(['5000.00']);
  });

  it('orders a deposit by hand for a self-supporting provisionally admitted person (F) in three monthly instalments that add up exactly', async () => {
    const single = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const firstDueOn = day(45);
    const ordered = await ok<Deposit>(await order(single, { selfSupporting: true, instalments: 3, firstDueOn }), 201);
    expect(ordered).toMatchObject({ basis: 'provisionally-admitted-self-supporting', household: 'single', amount: '3000.00', held: '0.00', instalments: 3, status: 'required' });
    const plan = await depositInvoices(single);
    expect(plan.map((i) => i.amount)).toEqual(['1000.00', '1000.00', '1000.00']);
    expect(plan.map((i) => i.dueOn)).toEqual([firstDueOn, monthsAfter(firstDueOn, 1), monthsAfter(firstDueOn, 2)]);
    expect(plan.every((i) => i.depositId === ordered.id && i.status === 'open')).toBe(true);
    expect(new Set(plan.map((i) => i.reference)).size).toBe(3);

    // CHF 5000 in three: the cents that do not divide go on the first instalment.
    const householdId = randomUUID();
    const family = await newPerson({ householdId, permit: { category: 'F', admissionReason: 'provisional-admission' } });
    await newPerson({ householdId });
    const familyDeposit = await ok<Deposit>(await order(family, { selfSupporting: true, instalments: 3 }), 201);
    expect(familyDeposit).toMatchObject({ household: 'family', amount: '5000.00' });
    const familyPlan = await depositInvoices(family);
    expect(familyPlan.map((i) => i.amount)).toEqual(['1666.68', '1666.66', '1666.66']);
    expect(familyPlan.reduce((sum, i) => sum + minor(i.amount), 0)).toBe(500_000);
    // Without a first due date: 30 days from today, then month by month.
    expect(familyPlan.map((i) => i.dueOn)).toEqual([day(30), monthsAfter(day(30), 1), monthsAfter(day(30), 2)]);
  });

  it('refuses to order a deposit the law does not ask for, and a second one', async () => {
    const dependent = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    problem(await order(dependent, { selfSupporting: false }), 422, 'deposit-not-owed-not-self-supporting');
    problem(await order(dependent, {}), 422, 'deposit-not-owed-not-self-supporting');
    const noPermit = await newPerson();
    problem(await order(noPermit, { selfSupporting: true }), 422, 'deposit-not-owed-category-not-concerned');
    const shortStay = await newPerson({ permit: { category: 'L', admissionReason: 'other' } });
    problem(await order(shortStay, { selfSupporting: true }), 422, 'deposit-not-owed-category-not-concerned');
    const passportHolder = await newPerson({ permit: { category: 'B', admissionReason: 'other' } });
    await depositPassport(passportHolder, day(400));
    problem(await order(passportHolder, {}), 422, 'deposit-not-owed-has-valid-passport');
    for (const personId of [dependent, noPermit, shortStay, passportHolder]) expect((await depositsOf(personId)).deposits).toEqual([]);
    expect((await invoicesOf(noPermit)).length).toBe(0);

    const owing = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    await ok(await order(owing, { selfSupporting: true }), 201);
    problem(await order(owing, { selfSupporting: true, instalments: 2 }), 409, 'deposit-exists');
    expect((await depositsOf(owing)).deposits).toHaveLength(1);
    expect(await depositInvoices(owing)).toHaveLength(1);
  });

  it('holds the deposit once every instalment is paid, by bank file and at the counter, with a running total in the ledger', async () => {
    const personId = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const deposit = await ok<Deposit>(await order(personId, { selfSupporting: true, instalments: 3 }), 201);
    const [first, second, third] = await depositInvoices(personId);

    // The first instalment arrives by bank (camt.054 with the QR reference).
    const camt = buildCamt054({ messageId: `NTFC-DEPOSIT-${kind}`, entries: [{ amount: '1000.00', reference: first!.reference, debtorName: 'Ana Deposit', acctSvcrRef: `DEP-${kind}-1` }] });
    const imported = await ok<{ counts: { booked: number; clarification: number } }>(await call(lead, 'POST', '/api/v1/finance/camt/imports', camt, { 'content-type': 'application/xml' }));
    expect(imported.counts).toMatchObject({ booked: 1, clarification: 0 });
    let state = await depositsOf(personId);
    expect(state.deposits[0]).toMatchObject({ status: 'required', held: '1000.00' });

    // The others at the counter.
    await payAtCounter((await depositInvoices(personId)).find((i) => i.id === second!.id)!);
    expect((await depositsOf(personId)).deposits[0]).toMatchObject({ status: 'required', held: '2000.00' });
    await payAtCounter((await depositInvoices(personId)).find((i) => i.id === third!.id)!);

    state = await depositsOf(personId);
    expect(state.deposits[0]).toMatchObject({ id: deposit.id, status: 'held', held: '3000.00' });
    const paid = state.ledger.filter((e) => e.kind === 'paid');
    expect(paid.map((e) => [e.amount, e.held, e.invoiceId])).toEqual([
      ['1000.00', '1000.00', first!.id],
      ['1000.00', '2000.00', second!.id],
      ['1000.00', '3000.00', third!.id],
    ]);
    expect(state.ledger.map((e) => e.kind)).toEqual(['ordered', 'paid', 'paid', 'paid']);
    expect((await depositInvoices(personId)).map((i) => i.status)).toEqual(['paid', 'paid', 'paid']);
  });

  it('waives a deposit in hardship only with a second person: the asker cannot decide, even as team lead', async () => {
    const personId = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const deposit = await ok<Deposit>(await order(personId, { selfSupporting: true, instalments: 2 }), 201);
    const [paidInstalment, openInstalment] = await depositInvoices(personId);
    await payAtCounter(paidInstalment!);
    const current = (await depositsOf(personId)).deposits[0]!;
    expect(current).toMatchObject({ status: 'required', held: '1500.00' });

    // Asked by a caseworker, with the reason; caseworkers cannot approve at all.
    const reason = 'Lost her job; supports two children alone (hardship).';
    const requested = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason }, { 'if-match': `"${current.version}"` }));
    expect(requested).toMatchObject({ status: 'waiver-requested', waiverReason: reason, waiverRequestedBy: 'Test worker', held: '1500.00' });
    problem(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-decision`, { approve: true }, { 'if-match': `"${requested.version}"` }), 403, 'forbidden');

    const approved = await ok<Deposit>(await call(lead, 'POST', `/api/v1/deposits/${deposit.id}/waiver-decision`, { approve: true, comment: 'Hardship shown.' }, { 'if-match': `"${requested.version}"` }));
    expect(approved).toMatchObject({ status: 'waived', waiverDecidedBy: 'Test lead', held: '0.00' });
    const invoices = await depositInvoices(personId);
    expect(invoices.find((i) => i.id === openInstalment!.id)?.status).toBe('cancelled');
    expect(invoices.find((i) => i.id === paidInstalment!.id)?.status).toBe('paid');
    const { deposits, ledger } = await depositsOf(personId);
    expect(deposits[0]).toMatchObject({ status: 'waived', held: '0.00' });
    expect(ledger.map((e) => [e.kind, e.amount, e.held])).toEqual([
      ['ordered', '3000.00', '0.00'],
      ['paid', '1500.00', '1500.00'],
      ['waiver-requested', '0.00', '1500.00'],
      ['waived', '3000.00', '1500.00'],
      ['released', '1500.00', '0.00'],
    ]);
    expect(ledger.find((e) => e.kind === 'waiver-requested')?.note).toBe(reason);

    // A team lead who asks is the asker: another team lead decides.
    const other = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const second = await ok<Deposit>(await order(other, { selfSupporting: true }), 201);
    const asked = await ok<Deposit>(await call(lead, 'POST', `/api/v1/deposits/${second.id}/waiver-request`, { reason: 'Illness, no income.' }, { 'if-match': `"${second.version}"` }));
    const own = problem(await call(lead, 'POST', `/api/v1/deposits/${second.id}/waiver-decision`, { approve: true }, { 'if-match': `"${asked.version}"` }), 403, 'waiver-own-request');
    expect(own.detail).toMatch(/second person/i);
    expect((await depositsOf(other)).deposits[0]).toMatchObject({ status: 'waiver-requested', version: asked.version });
    expect((await depositInvoices(other)).map((i) => i.status)).toEqual(['open']);
    const byOther = await ok<Deposit>(await call(secondLead, 'POST', `/api/v1/deposits/${second.id}/waiver-decision`, { approve: true }, { 'if-match': `"${asked.version}"` }));
    expect(byOther).toMatchObject({ status: 'waived', waiverRequestedBy: 'Test lead', waiverDecidedBy: 'Test lead2' });
    expect((await depositInvoices(other)).map((i) => i.status)).toEqual(['cancelled']);
    const ledgerOfOther = (await depositsOf(other)).ledger;
    expect(ledgerOfOther.map((e) => e.kind)).toEqual(['ordered', 'waiver-requested', 'waived']);
  });

  it('puts a refused waiver back to required, with the instalments still asked for', async () => {
    const personId = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const deposit = await ok<Deposit>(await order(personId, { selfSupporting: true }), 201);
    const asked = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'Says the amount is too high.' }, { 'if-match': `"${deposit.version}"` }));
    // A waiver cannot be asked twice while one is pending.
    problem(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'again' }, { 'if-match': `"${asked.version}"` }), 409, 'deposit-state');
    const refused = await ok<Deposit>(await call(lead, 'POST', `/api/v1/deposits/${deposit.id}/waiver-decision`, { approve: false, comment: 'No hardship shown.' }, { 'if-match': `"${asked.version}"` }));
    expect(refused).toMatchObject({ status: 'required', waiverDecidedBy: 'Test lead' });
    const { ledger } = await depositsOf(personId);
    expect(ledger.map((e) => e.kind)).toEqual(['ordered', 'waiver-requested', 'waiver-refused']);
    expect(ledger.at(-1)?.note).toBe('No hardship shown.');
    expect((await depositInvoices(personId)).map((i) => i.status)).toEqual(['open']);
    // Still owed: paying it holds it.
    await payAtCounter((await depositInvoices(personId))[0]!);
    expect((await depositsOf(personId)).deposits[0]).toMatchObject({ status: 'held', held: '3000.00' });
  });

  it('holds a deposit paid in full while a waiver was pending once the waiver is refused', async () => {
    const personId = await newPerson({ permit: { category: 'F', admissionReason: 'provisional-admission' } });
    const deposit = await ok<Deposit>(await order(personId, { selfSupporting: true }), 201);
    const asked = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/waiver-request`, { reason: 'Asks for a waiver, pays anyway.' }, { 'if-match': `"${deposit.version}"` }));
    // The person pays the whole deposit while the team lead has not yet decided.
    await payAtCounter((await depositInvoices(personId))[0]!);
    expect((await depositsOf(personId)).deposits[0]).toMatchObject({ held: '3000.00' });
    const current = (await depositsOf(personId)).deposits[0]!;
    const refused = await ok<Deposit>(await call(lead, 'POST', `/api/v1/deposits/${deposit.id}/waiver-decision`, { approve: false }, { 'if-match': `"${current.version}"` }));
    expect(refused.held).toBe('3000.00');
    // The office holds all of it: the deposit is held, not owed again.
    expect(refused.status).toBe('held');
    expect(asked.status).toBe('waiver-requested');
  });
});

describe.each(DATABASE_KINDS)('fines (NG § 18) and settling a deposit on departure on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let worker: Session;
  let lead: Session;
  let secondLead: Session;
  let admin: Session;
  let personNumber = 0;
  const { call, ok, problem } = officeApi(() => app);

  beforeAll(async () => {
    ({ database, app, tenant, worker, lead, secondLead, admin } = await openOffice(kind, 'office-fines'));
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function newPerson(municipality = LUZERN, permit?: { category: string; admissionReason: string }): Promise<string> {
    personNumber++;
    const base = person(tenant.id, `Fine${personNumber}`, 'Luis', municipality);
    const p = { ...base, nationality: 'BR', residences: [{ ...base.residences[0]!, arrivalDate: '2015-01-01' }] };
    await addPersons(database.db, [p]);
    if (permit) await ok(await call(worker, 'POST', `/api/v1/persons/${p.id}/permits`, { ...permit, validFrom: day(-300), validUntil: day(60) }), 201);
    return p.id;
  }

  const step = (view: CaseView, transition: string, body: object, session: Session = worker, headers: Record<string, string> = {}) =>
    call(session, 'POST', `/api/v1/cases/${view.id}/steps/${transition}`, body, { 'if-match': `"${view.version}"`, ...headers });
  const readCase = async (id: string) => ok<CaseView>(await call(worker, 'GET', `/api/v1/cases/${id}`));
  const caseInvoices = async (id: string) => ok<Invoice[]>(await call(worker, 'GET', `/api/v1/cases/${id}/invoices`));

  /** A duty-to-report case asked and reminded, the reminder running to `reminderDueDate`. */
  async function remindedCase(personId: string, reminderDueDate: string, typeSlug = 'duty-to-report'): Promise<CaseView> {
    const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug, personId, language: 'de' }), 201);
    const requested = await ok<CaseView>(await step(opened, 'send-request', { fields: { papersDueDate: day(-30) } }));
    expect(requested.state).toBe('requested');
    const reminded = await ok<CaseView>(await step(requested, 'send-reminder', { fields: { reminderDueDate } }));
    expect(reminded.state).toBe('reminded');
    expect(reminded.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'reminder-due', dueDate: reminderDueDate, status: 'open' })]));
    return reminded;
  }

  /** Fine proposed by the caseworker and approved by the team lead (four eyes). */
  async function fine(view: CaseView, amount: string): Promise<CaseView> {
    const proposed = await ok<CaseView>(await step(view, 'impose-fine', { reason: 'Not registered despite the reminder.', fields: { fineAmount: amount } }));
    expect(proposed).toMatchObject({ state: 'reminded', pendingDecision: { transition: 'impose-fine', proposedBy: 'Test worker' } });
    // The caseworker who proposed cannot decide (caseworkers approve nothing at all).
    expect((await call(worker, 'POST', `/api/v1/cases/${view.id}/approval`, { approve: true }, { 'if-match': `"${proposed.version}"` })).statusCode).toBe(403);
    const decided = await ok<CaseView>(await call(lead, 'POST', `/api/v1/cases/${view.id}/approval`, { approve: true, comment: 'Agreed.' }, { 'if-match': `"${proposed.version}"` }));
    expect(decided).toMatchObject({ state: 'fined', phase: 'decided', decision: { outcome: 'negative', decidedBy: 'Test worker', approvedBy: 'Test lead' } });
    return decided;
  }

  /** The decision reaches the person today; the scheduler puts it into force after the appeal period. */
  async function notifyAndComeIntoForce(decided: CaseView): Promise<CaseView> {
    const notified = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/notification`, { notifiedOn: TODAY }, { 'if-match': `"${decided.version}"` }));
    expect(notified.legalForceOn).not.toBeNull();
    // Nothing is invoiced while the appeal period runs.
    expect((await caseInvoices(decided.id)).filter((i) => i.kind === 'fine')).toEqual([]);
    await fireDueDeadlines(database.db, { now: NOON(notified.legalForceOn!) });
    const inForce = await readCase(decided.id);
    expect(inForce.closedAt).not.toBeNull();
    return inForce;
  }

  it('offers no fine before a reminder: from "requested" there is no impose-fine step', async () => {
    const personId = await newPerson();
    const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'duty-to-report', personId, language: 'de' }), 201);
    const requested = await ok<CaseView>(await step(opened, 'send-request', { fields: { papersDueDate: day(-30) } }));
    expect(requested.steps.map((s) => s.id)).not.toContain('impose-fine');
    const refused = problem(await step(requested, 'impose-fine', { reason: 'x', fields: { fineAmount: '200' } }), 409, 'transition-not-allowed');
    expect(refused.allowed).toEqual(expect.arrayContaining(['send-reminder', 'complied']));
    expect(refused.allowed).not.toContain('impose-fine');
    const after = await readCase(requested.id);
    expect(after).toMatchObject({ state: 'requested', version: requested.version, decision: null });
  });

  it('refuses a fine while the reminder deadline runs (up to and including its working due date), naming the date', async () => {
    const personId = await newPerson();
    const running = await remindedCase(personId, day(10));
    expect(running.steps.find((s) => s.id === 'impose-fine')?.decision).toEqual({ outcome: 'negative', fourEyes: true });
    const dueOn = running.deadlines.find((d) => d.kind === 'reminder-due')!.workingDueDate;
    const english = problem(await step(running, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '300' } }), 422, 'fine-reminder-running');
    expect(english.detail).toContain(dueOn);
    const german = problem(await step(running, 'impose-fine', { reason: 'Nicht angemeldet.', fields: { fineAmount: '300' } }, worker, { 'accept-language': 'de' }), 422, 'fine-reminder-running');
    expect(german.detail).toContain(dueOn);
    expect(german.detail).toMatch(/Frist der Mahnung/);
    expect(await readCase(running.id)).toMatchObject({ state: 'reminded', version: running.version, pendingDecision: null });

    // On the deadline's last day the person is still in time.
    const lastDay = await remindedCase(await newPerson(), TODAY);
    problem(await step(lastDay, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '300' } }), 422, 'fine-reminder-running');
  });

  it('refuses a fine once the person has complied with the reminder by depositing the papers', async () => {
    const personId = await newPerson();
    const reminded = await remindedCase(personId, day(-10));
    // The person came within the reminder's deadline and handed in the passport.
    await ok(await call(worker, 'POST', `/api/v1/persons/${personId}/papers`, { kind: 'passport', designation: 'Passaporte Brasil', number: 'FY1234567', issuingCountry: 'BR', validUntil: day(900), depositedOn: day(-12), feeChf: 0 }), 201);
    const current = await readCase(reminded.id);
    problem(await step(current, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '300' } }), 422, 'fine-reminder-met');
    expect(await readCase(reminded.id)).toMatchObject({ state: 'reminded', pendingDecision: null });
  });

  it('refuses a fine above CHF 1000 at the field, and a fine of zero by the rule', async () => {
    const reminded = await remindedCase(await newPerson(), day(-12));
    const above = problem(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '1500' } }), 400, 'validation-failed');
    expect(above.errors).toEqual([{ field: 'fields.fineAmount', message: expect.stringMatching(/maximum/) }]);
    problem(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '1000.01' } }), 400, 'validation-failed');
    // Zero passes the field (no minimum) and is refused by the fine rule, in the fine's own words.
    problem(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '0' } }), 422, 'fine-not-positive');
    expect(await readCase(reminded.id)).toMatchObject({ state: 'reminded', version: reminded.version, pendingDecision: null });
  });

  it('keeps the NG § 18 rule when an office uploads a case type without the field maximum or without the reminder', async () => {
    const shipped = readShippedCaseTypes('CH').find((t) => t.slug === 'duty-to-report')!;
    const lenient = JSON.parse(JSON.stringify(shipped)) as typeof shipped;
    lenient.slug = 'duty-to-report-lenient';
    lenient.version = 1;
    for (const field of lenient.fields) delete field.max;
    const imposeFine = lenient.transitions.find((t) => t.id === 'impose-fine')!;
    lenient.transitions.push({ ...imposeFine, id: 'impose-fine-at-once', from: ['requested'] });
    const stored = await call(admin, 'POST', '/api/v1/case-types', lenient);
    expect(stored.statusCode, stored.body).toBe(201);

    const reminded = await remindedCase(await newPerson(), day(-12), 'duty-to-report-lenient');
    const above = problem(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '1500' } }), 422, 'fine-above-maximum');
    expect(above.detail).toContain('1500');
    // CHF 1000 itself is allowed.
    const proposed = await ok<CaseView>(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '1000' } }));
    expect(proposed.pendingDecision?.transition).toBe('impose-fine');

    const opened = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'duty-to-report-lenient', personId: await newPerson(), language: 'de' }), 201);
    const requested = await ok<CaseView>(await step(opened, 'send-request', { fields: { papersDueDate: day(-30) } }));
    problem(await step(requested, 'impose-fine-at-once', { reason: 'Not registered.', fields: { fineAmount: '200' } }), 422, 'fine-without-reminder');
    expect(await readCase(requested.id)).toMatchObject({ state: 'requested', version: requested.version, pendingDecision: null });
  });

  it('decides a fine after a lapsed reminder with four eyes and invoices it to the municipality once in force', async () => {
    const personId = await newPerson(LUZERN);
    const reminded = await remindedCase(personId, day(-10));
    // Four eyes hold for a team lead too: who proposes does not approve.
    const byLead = await ok<CaseView>(await step(reminded, 'impose-fine', { reason: 'Not registered.', fields: { fineAmount: '350' } }, lead));
    expect(byLead.pendingDecision?.proposedBy).toBe('Test lead');
    problem(await call(lead, 'POST', `/api/v1/cases/${reminded.id}/approval`, { approve: true }, { 'if-match': `"${byLead.version}"` }), 403, 'own-decision');
    const sentBack = await ok<CaseView>(await call(secondLead, 'POST', `/api/v1/cases/${reminded.id}/approval`, { approve: false, comment: 'Let the caseworker propose.' }, { 'if-match': `"${byLead.version}"` }));
    expect(sentBack).toMatchObject({ state: 'reminded', pendingDecision: null });
    const decided = await fine(sentBack, '350');
    // No invoice at the decision: the fine waits for legal force.
    expect((await caseInvoices(decided.id)).filter((i) => i.kind === 'fine')).toEqual([]);
    const inForce = await notifyAndComeIntoForce(decided);
    const fines = (await caseInvoices(decided.id)).filter((i) => i.kind === 'fine');
    expect(fines).toHaveLength(1);
    expect(fines[0]).toMatchObject({ personId, caseId: decided.id, status: 'open', currency: 'CHF', amount: '350.00', open: '350.00', beneficiaryBfs: 1061, issuedOn: inForce.legalForceOn, dueOn: day(30, inForce.legalForceOn!) });
    expect(fines[0]!.lines).toEqual([expect.objectContaining({ code: 'fine', legalBasis: 'NG § 18', amount: '350.00' })]);
    // Firing again changes nothing.
    await fireDueDeadlines(database.db, { now: NOON(inForce.legalForceOn!) });
    expect((await caseInvoices(decided.id)).filter((i) => i.kind === 'fine')).toHaveLength(1);
  });

  it('invoices the amount the second person approved, not one changed after the proposal', async () => {
    const reminded = await remindedCase(await newPerson(), day(-10));
    const proposed = await ok<CaseView>(await step(reminded, 'impose-fine', { reason: 'Not registered despite the reminder.', fields: { fineAmount: '300' } }));
    expect(proposed.pendingDecision?.transition).toBe('impose-fine');
    // The proposer raises the amount while the proposal waits for the team lead.
    const changed = await call(worker, 'PATCH', `/api/v1/cases/${reminded.id}/fields`, { fields: { fineAmount: '900' } }, { 'if-match': `"${proposed.version}"` });
    const current = await readCase(reminded.id);
    if (changed.statusCode !== 200) expect(current.fields.fineAmount).toBe('300');
    const decided = await ok<CaseView>(await call(lead, 'POST', `/api/v1/cases/${reminded.id}/approval`, { approve: true }, { 'if-match': `"${current.version}"` }));
    const inForce = await notifyAndComeIntoForce(decided);
    expect((await caseInvoices(inForce.id)).filter((i) => i.kind === 'fine').map((i) => i.amount)).toEqual(['300.00']);
  });

  it('invoices the fine to the municipality the person lives in (Kriens)', async () => {
    const personId = await newPerson(KRIENS);
    const inForce = await notifyAndComeIntoForce(await fine(await remindedCase(personId, day(-14)), '120.50'));
    const fines = (await caseInvoices(inForce.id)).filter((i) => i.kind === 'fine');
    expect(fines.map((i) => [i.amount, i.beneficiaryBfs])).toEqual([['120.50', 1059]]);
  });

  it('holds a fine back while an appeal filed in time runs, and invoices it when the appeal is dismissed', async () => {
    const personId = await newPerson();
    const decided = await fine(await remindedCase(personId, day(-10)), '400');
    const notified = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/notification`, { notifiedOn: TODAY }, { 'if-match': `"${decided.version}"` }));
    const appealed = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/appeal`, { filedOn: day(3) }, { 'if-match': `"${notified.version}"` }));
    expect(appealed.appeal?.status).toBe('filed');
    await fireDueDeadlines(database.db, { now: NOON(day(5, notified.legalForceOn!)) });
    const waiting = await readCase(decided.id);
    expect(waiting.closedAt).toBeNull();
    expect((await caseInvoices(decided.id)).filter((i) => i.kind === 'fine')).toEqual([]);
    expect((await ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`))).filter((i) => i.kind === 'fine')).toEqual([]);

    const decidedOn = day(20, notified.legalForceOn!);
    const dismissed = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/appeal-outcome`, { outcome: 'dismissed', decidedOn }, { 'if-match': `"${waiting.version}"` }));
    expect(dismissed.closedAt).not.toBeNull();
    const fines = (await caseInvoices(decided.id)).filter((i) => i.kind === 'fine');
    expect(fines.map((i) => [i.amount, i.beneficiaryBfs, i.status])).toEqual([['400.00', 1061, 'open']]);
  });

  it('charges no fine when the appeal is upheld: the case goes back to "reminded"', async () => {
    const personId = await newPerson();
    const decided = await fine(await remindedCase(personId, day(-10)), '500');
    const notified = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/notification`, { notifiedOn: TODAY }, { 'if-match': `"${decided.version}"` }));
    const appealed = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/appeal`, { filedOn: TODAY }, { 'if-match': `"${notified.version}"` }));
    const upheld = await ok<CaseView>(await call(worker, 'POST', `/api/v1/cases/${decided.id}/appeal-outcome`, { outcome: 'upheld', decidedOn: day(40) }, { 'if-match': `"${appealed.version}"` }));
    expect(upheld).toMatchObject({ state: 'reminded', decision: null });
    await fireDueDeadlines(database.db, { now: NOON(day(10, notified.legalForceOn!)) });
    expect((await caseInvoices(decided.id)).filter((i) => i.kind === 'fine')).toEqual([]);
  });

  /** A person granted B by decision (fee CHF 137 and a deposit of CHF 3000), later fined CHF `fineAmount`. */
  async function personWithFeeDepositAndFine(municipality: { bfs: number; name: string }, fineAmount: string) {
    const personId = await newPerson(municipality);
    const checklist = readShippedCaseTypes('CH')
      .find((t) => t.slug === 'first-permit-quota')!
      .checklist.map((c) => c.id);
    let view = await ok<CaseView>(await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'first-permit-quota', personId, language: 'de', checklist }), 201);
    view = await ok<CaseView>(await step(view, 'start-review', {}));
    view = await ok<CaseView>(await step(view, 'grant', { reason: 'Quota available.', fields: { category: 'B', validFrom: TODAY, validUntil: day(-1, monthsAfter(TODAY, 12)) } }));
    expect(view.state).toBe('granted');
    await notifyAndComeIntoForce(await fine(await remindedCase(personId, day(-10)), fineAmount));
    const invoices = await ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`));
    const deposit = (await ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`))).deposits[0]!;
    return { personId, deposit, invoices };
  }

  async function settlementDeadlines(personId: string) {
    const file = await ok<PersonFile>(await call(worker, 'GET', `/api/v1/persons/${personId}`));
    return { file, open: file.deadlines.filter((d) => d.kind === 'deposit-settlement') };
  }

  it('on departure schedules the settlement, which pays the open fee and fine from the deposit (oldest due first) and releases the rest', async () => {
    const { personId, deposit, invoices } = await personWithFeeDepositAndFine(KRIENS, '250');
    const fee = invoices.find((i) => i.kind === 'fee')!;
    const fineInvoice = invoices.find((i) => i.kind === 'fine')!;
    const depositInvoice = invoices.find((i) => i.kind === 'deposit')!;
    expect(fee).toMatchObject({ amount: '137.00', status: 'open' });
    expect(fineInvoice).toMatchObject({ amount: '250.00', status: 'open', beneficiaryBfs: 1059 });
    expect(fee.dueOn < fineInvoice.dueOn).toBe(true);

    // The person pays the deposit: the office holds CHF 3000.
    await ok(await call(worker, 'POST', `/api/v1/invoices/${depositInvoice.id}/payments`, { amount: '3000.00' }, { 'if-match': `"${depositInvoice.version}"` }), 201);
    const held = (await ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`))).deposits[0]!;
    expect(held).toMatchObject({ id: deposit.id, status: 'held', held: '3000.00' });

    // Departure: the settlement becomes a deadline in the caseworkers' list.
    const { file } = await settlementDeadlines(personId);
    const departed = await ok<PersonFile>(await call(worker, 'POST', `/api/v1/persons/${personId}/departure`, { date: TODAY, departedTo: 'Brasilien' }, { 'if-match': `"${file.version}"` }));
    expect(departed.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'deposit-settlement', dueDate: TODAY, status: 'open' })]));

    const settled = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/settlement`, undefined, { 'if-match': `"${held.version}"` }));
    expect(settled).toMatchObject({ status: 'settled', settledOn: TODAY, held: '0.00' });
    const after = await ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`));
    expect(after.find((i) => i.id === fee.id)).toMatchObject({ status: 'paid', paid: '137.00', open: '0.00', payments: [expect.objectContaining({ source: 'deposit', amount: '137.00' })] });
    expect(after.find((i) => i.id === fineInvoice.id)).toMatchObject({ status: 'paid', paid: '250.00', payments: [expect.objectContaining({ source: 'deposit', amount: '250.00' })] });

    const { deposits, ledger } = await ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`));
    expect(deposits[0]).toMatchObject({ status: 'settled', held: '0.00' });
    const settlement = ledger.filter((e) => e.kind === 'offset' || e.kind === 'released');
    expect(settlement.map((e) => [e.kind, e.amount, e.held, e.invoiceId])).toEqual([
      ['offset', '137.00', '2863.00', fee.id],
      ['offset', '250.00', '2613.00', fineInvoice.id],
      ['released', '2613.00', '0.00', null],
    ]);
    expect(money(settlement.reduce((sum, e) => sum + minor(e.amount), 0))).toBe('3000.00');
    // The settlement deadline is done, and a second settlement is refused.
    expect((await settlementDeadlines(personId)).open).toEqual([]);
    problem(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/settlement`, undefined, { 'if-match': `"${settled.version}"` }), 409, 'deposit-state');
  });

  it('offsets a partly paid deposit against the claim due first and releases nothing when the claims exceed it', async () => {
    const { personId, deposit, invoices } = await personWithFeeDepositAndFine(LUZERN, '1000');
    const fee = invoices.find((i) => i.kind === 'fee')!;
    const fineInvoice = invoices.find((i) => i.kind === 'fine')!;
    const depositInvoice = invoices.find((i) => i.kind === 'deposit')!;
    // The fee fell due before the fine: it is paid first.
    expect(fee.dueOn < fineInvoice.dueOn).toBe(true);
    expect(fineInvoice).toMatchObject({ amount: '1000.00', beneficiaryBfs: 1061 });
    await ok(await call(worker, 'POST', `/api/v1/invoices/${depositInvoice.id}/payments`, { amount: '500' }, { 'if-match': `"${depositInvoice.version}"` }), 201);
    const current = (await ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`))).deposits[0]!;
    expect(current).toMatchObject({ id: deposit.id, status: 'required', held: '500.00' });

    const settled = await ok<Deposit>(await call(worker, 'POST', `/api/v1/deposits/${deposit.id}/settlement`, undefined, { 'if-match': `"${current.version}"` }));
    expect(settled).toMatchObject({ status: 'settled', held: '0.00' });
    const after = await ok<Invoice[]>(await call(worker, 'GET', `/api/v1/persons/${personId}/invoices`));
    expect(after.find((i) => i.id === fee.id)).toMatchObject({ status: 'paid', paid: '137.00' });
    expect(after.find((i) => i.id === fineInvoice.id)).toMatchObject({ status: 'open', paid: '363.00', open: '637.00' });
    // The rest of the deposit is no longer asked for.
    expect(after.find((i) => i.id === depositInvoice.id)).toMatchObject({ status: 'cancelled', paid: '500.00' });
    const { ledger } = await ok<Deposits>(await call(worker, 'GET', `/api/v1/persons/${personId}/deposits`));
    expect(ledger.map((e) => [e.kind, e.amount, e.held, e.invoiceId])).toEqual([
      ['ordered', '3000.00', '0.00', null],
      ['paid', '500.00', '500.00', depositInvoice.id],
      ['offset', '137.00', '363.00', fee.id],
      ['offset', '363.00', '0.00', fineInvoice.id],
    ]);
  });
});
