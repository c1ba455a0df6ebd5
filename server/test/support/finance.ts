import { addDays, addMonths, format, parseISO } from 'date-fns';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { readShippedCaseTypes } from '../../src/modules/cases/index.js';
import type { Db } from '../../src/platform/db/transaction.js';
import { addPersons, LUZERN, person, type Session, type TestTenant } from './fixtures.js';

/**
 * Shared helpers for the finance integration tests: the office as creditor, an invoice charged
 * the way it is in real life (a case step the fee schedule lists), and the shapes the API returns.
 */

/** A Swiss QR-IBAN (IID 31999): what a Swiss office needs for QR-bills with QR references. */
export const SWISS_QR_IBAN = 'CH44 3199 9123 0008 8901 2';
/** A valid Swiss IBAN that is not a QR-IBAN (IID 00762). */
export const SWISS_PLAIN_IBAN = 'CH93 0076 2011 6238 5295 7';

export const SWISS_CREDITOR = {
  officeName: 'Amt für Migration des Kantons Luzern',
  creditorName: 'Amt für Migration Luzern',
  street: 'Fruttstrasse',
  buildingNumber: '15',
  postalCode: '6005',
  town: 'Luzern',
  country: 'CH',
  account: SWISS_QR_IBAN,
};

/** The server's calendar day (it formats `new Date()` the same way). */
export const isoToday = (): string => format(new Date(), 'yyyy-MM-dd');
export const plusDays = (iso: string, days: number): string => format(addDays(parseISO(iso), days), 'yyyy-MM-dd');
export const plusMonths = (iso: string, months: number): string => format(addMonths(parseISO(iso), months), 'yyyy-MM-dd');
/** '97.00' → 9700, for sums in tests without floating point. */
export const minor = (amount: string): number => {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!match) throw new Error(`not an amount with two decimals: ${amount}`);
  const value = Number(match[2]) * 100 + Number(match[3]);
  return match[1] === '-' ? -value : value;
};
export const money = (minorUnits: number): string => `${minorUnits < 0 ? '-' : ''}${Math.floor(Math.abs(minorUnits) / 100)}.${String(Math.abs(minorUnits) % 100).padStart(2, '0')}`;

export interface FeeLineView {
  code: string;
  legalBasis: string;
  amount: string;
}

export interface InvoicePaymentView {
  id: string;
  source: 'bank' | 'counter' | 'deposit';
  bookingDate: string;
  amount: string;
  booked: string;
  clarification: string | null;
  clarificationStatus: 'open' | 'resolved' | null;
}

export interface InvoiceView {
  id: string;
  number: string;
  personId: string;
  caseId: string | null;
  depositId: string | null;
  kind: 'fee' | 'fine' | 'deposit';
  status: 'open' | 'paid' | 'waived' | 'cancelled';
  reference: string;
  currency: 'CHF' | 'EUR';
  amount: string;
  paid: string;
  open: string;
  beneficiaryBfs: number | null;
  lines: FeeLineView[];
  adjustmentReason: string | null;
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
  reminderLevel: number;
  language: string;
  version: number;
  payments: InvoicePaymentView[];
}

export interface ClarificationView {
  id: string;
  source: string;
  bookingDate: string;
  amount: string;
  booked: string;
  refunded: string;
  unbooked: string;
  currency: string;
  reference: string | null;
  debtorName: string | null;
  position: string | null;
  clarification: 'partial' | 'overpayment' | 'unknown-reference' | 'duplicate' | 'reversal' | 'currency';
  status: 'open' | 'resolved';
  resolution: 'booked' | 'refunded' | 'acknowledged' | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  invoice: { id: string; number: string; personId: string } | null;
  version: number;
}

export interface ImportEntryView {
  position: string;
  bookingDate: string | null;
  amount: string;
  currency: string;
  reference: string | null;
  outcome: 'booked' | 'clarification' | 'known';
  booked: string;
  clarification: ClarificationView['clarification'] | null;
  invoice: { id: string; number: string; personId: string } | null;
}

export interface ImportSummaryView {
  importId: string | null;
  alreadyImported: { on: string; by: string } | null;
  standard: string;
  messageId: string;
  entries: ImportEntryView[];
  counts: { booked: number; clarification: number; known: number; debitsSkipped: number };
  totals: { credited: string; booked: string; clarification: string };
}

export interface CaseStepView {
  id: string;
  allowed: boolean;
  requiredFields: string[];
  fee: { currency: string; total: string; lines: FeeLineView[] } | null;
}

export interface CaseView {
  id: string;
  version: number;
  state: string;
  phase: string;
  fields: Record<string, string>;
  steps: CaseStepView[];
  deadlines: { id: string; kind: string; dueDate: string; workingDueDate: string; status: 'open' | 'met' | 'cancelled'; stage: number }[];
  timeline: { kind: string; actor: string; text: string | null; details: Record<string, unknown> | null }[];
  documents: { id: string; kind: string }[];
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as a signed-in person (cookie and CSRF token); a string payload is sent as it is (e.g. a bank file). */
export function request(app: FastifyInstance, session: Session, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as string | object }),
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers },
  });
}

/** The body of an expected answer; any other status fails with the problem the server gave. */
export function expectStatus<T>(response: LightMyRequestResponse, status: number): T {
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

/** Sets the office as creditor with the Swiss QR-IBAN (or what `overrides` say); a second call updates with the version read. */
export async function setUpFinance(app: FastifyInstance, admin: Session, overrides: Partial<typeof SWISS_CREDITOR> & { paymentDays?: number } = {}): Promise<{ account: string; version: number; currency: string; paymentDays: number }> {
  const current = expectStatus<{ version: number } | null>(await request(app, admin, 'GET', '/api/v1/finance/settings'), 200);
  const headers: Record<string, string> = current ? { 'if-match': `"${current.version}"` } : {};
  return expectStatus(await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...SWISS_CREDITOR, ...overrides }, headers), 200);
}

let personCounter = 0;

/** A person living in Luzern since 2015 (Brazilian), with a permit B running out in 30 days unless `permit` is null. */
export async function personWithPermit(app: FastifyInstance, db: Db, tenant: TestTenant, session: Session, permit: string | null = 'B'): Promise<string> {
  personCounter++;
  const base = person(tenant.id, `Zahler${personCounter}`, 'Ana', LUZERN, { nationality: 'BR' });
  const p = { ...base, residences: [{ ...base.residences[0]!, arrivalDate: '2015-01-01' }] };
  await addPersons(db, [p]);
  if (permit !== null) {
    const today = isoToday();
    expectStatus(await request(app, session, 'POST', `/api/v1/persons/${p.id}/permits`, { category: permit, admissionReason: 'other', validFrom: plusDays(today, -300), validUntil: plusDays(today, 30) }), 201);
  }
  return p.id;
}

const swissTypes = readShippedCaseTypes('CH');

/** Opens a case with every checklist item ticked (a Swiss case type unless `types` says otherwise). */
export async function openCase(app: FastifyInstance, session: Session, typeSlug: string, personId: string, types = swissTypes): Promise<CaseView> {
  const type = types.find((t) => t.slug === typeSlug);
  if (!type) throw new Error(`no case type ${typeSlug}`);
  return expectStatus<CaseView>(await request(app, session, 'POST', '/api/v1/cases', { typeSlug, personId, language: 'en', checklist: type.checklist.map((c) => c.id) }), 201);
}

export function readCase(app: FastifyInstance, session: Session, caseId: string): Promise<LightMyRequestResponse> {
  return request(app, session, 'GET', `/api/v1/cases/${caseId}`);
}

/** Takes a step with If-Match of the case's version; the body may carry a fee reduction (`fee`). */
export function takeStep(app: FastifyInstance, session: Session, view: { id: string; version: number }, transition: string, body: object = {}): Promise<LightMyRequestResponse> {
  return request(app, session, 'POST', `/api/v1/cases/${view.id}/steps/${transition}`, body, { 'if-match': `"${view.version}"` });
}

/** The body of the `extend` step of a permit extension: a new end date eleven months on and the reason. */
export function extendBody(extra: object = {}): object {
  return { reason: 'The conditions for an extension are met.', fields: { validUntil: plusDays(plusMonths(isoToday(), 11), -1) }, ...extra };
}

/** A permit-extension case in review, for a (new) person with a permit B: the `extend` step charges the fee. */
export async function caseInReview(app: FastifyInstance, db: Db, tenant: TestTenant, session: Session, personId?: string): Promise<CaseView> {
  const view = await openCase(app, session, 'permit-extension', personId ?? (await personWithPermit(app, db, tenant, session)));
  return expectStatus<CaseView>(await takeStep(app, session, view, 'start-review'), 200);
}

export async function invoicesOfCase(app: FastifyInstance, session: Session, caseId: string): Promise<InvoiceView[]> {
  return expectStatus<InvoiceView[]>(await request(app, session, 'GET', `/api/v1/cases/${caseId}/invoices`), 200);
}

export async function readInvoice(app: FastifyInstance, session: Session, invoiceId: string): Promise<InvoiceView> {
  return expectStatus<InvoiceView>(await request(app, session, 'GET', `/api/v1/invoices/${invoiceId}`), 200);
}

/**
 * An invoice charged with a decision: a permit extension is granted (CHF 97.00 on the Swiss
 * schedule), optionally with a reduction `{ charge, reason }`. Returns the case after the step and
 * the one invoice it produced.
 */
export async function chargedInvoice(app: FastifyInstance, db: Db, tenant: TestTenant, session: Session, options: { personId?: string; fee?: { charge: string | number; reason: string } } = {}): Promise<{ caseView: CaseView; invoice: InvoiceView }> {
  const inReview = await caseInReview(app, db, tenant, session, options.personId);
  const caseView = expectStatus<CaseView>(await takeStep(app, session, inReview, 'extend', extendBody(options.fee ? { fee: options.fee } : {})), 200);
  const invoices = await invoicesOfCase(app, session, caseView.id);
  if (invoices.length !== 1) throw new Error(`expected one invoice for case ${caseView.id}, found ${invoices.length}`);
  return { caseView, invoice: invoices[0]! };
}

/** Sends a bank file (camt.053/.054) to the preview or the import. */
export function postCamt(app: FastifyInstance, session: Session, what: 'preview' | 'imports', xml: string, fileName?: string): Promise<LightMyRequestResponse> {
  const query = fileName === undefined ? '' : `?fileName=${encodeURIComponent(fileName)}`;
  return request(app, session, 'POST', `/api/v1/finance/camt/${what}${query}`, xml, { 'content-type': 'application/xml' });
}

export async function clarifications(app: FastifyInstance, session: Session, status: 'open' | 'resolved' = 'open'): Promise<ClarificationView[]> {
  return expectStatus<ClarificationView[]>(await request(app, session, 'GET', `/api/v1/finance/clarifications?status=${status}`), 200);
}
