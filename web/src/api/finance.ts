import { apiRequest } from './client';
import type { LocalText } from './cases';

/**
 * The finance module's API (server/src/modules/finance/routes.ts): fees and invoices of a person
 * or case, counter payments, bank files (camt.053/.054) with their clarification list, deposits
 * (Kaution, NG § 15a), the yearly account and the office as creditor. Amounts travel as decimal
 * text ('95.50'); writes to an existing record carry its `version` as If-Match.
 */

export type Currency = 'CHF' | 'EUR';

/** One item of a fee or invoice, with the legal basis it is charged under. */
export interface FeeLine {
  code: string;
  names: LocalText;
  legalBasis: string;
  amount: string;
}

/** What a case step will charge (`steps[].fee` of the case page); null when the step is free. */
export interface StepFee {
  currency: Currency;
  total: string;
  lines: FeeLine[];
}

/** A lower fee than the tariff's (0 waives it), with the reason; sent with the step. */
export interface FeeAdjustment {
  charge: string;
  reason: string;
}

export const INVOICE_KINDS = ['fee', 'fine', 'deposit'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export const INVOICE_STATUSES = ['open', 'paid', 'waived', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const PAYMENT_SOURCES = ['bank', 'counter', 'deposit'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];

export const CLARIFICATIONS = ['partial', 'overpayment', 'unknown-reference', 'duplicate', 'reversal', 'currency'] as const;
export type Clarification = (typeof CLARIFICATIONS)[number];

export interface InvoicePayment {
  id: string;
  source: string;
  bookingDate: string;
  amount: string;
  booked: string;
  clarification: string | null;
  clarificationStatus: 'open' | 'resolved' | null;
}

export interface Invoice {
  id: string;
  /** "2026-000004" */
  number: string;
  personId: string;
  caseId: string | null;
  depositId: string | null;
  kind: string;
  status: string;
  /** The QR or RF reference the payer quotes. */
  reference: string;
  currency: Currency;
  amount: string;
  paid: string;
  /** What is still asked for; 0.00 unless open. */
  open: string;
  beneficiaryBfs: number | null;
  lines: FeeLine[];
  adjustmentReason: string | null;
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
  /** 0 none, 1 or 2 reminders sent. */
  reminderLevel: number;
  language: string;
  version: number;
  payments: InvoicePayment[];
}

export interface CounterPaymentInput {
  amount: string;
  paidOn?: string;
  note?: string;
}

// ---- bank files -------------------------------------------------------------------------------

export type EntryOutcome = 'booked' | 'clarification' | 'known';

export interface CamtEntry {
  /** Where in the file: "Ntfctn 1 › Ntry 2 › TxDtls 1". */
  position: string;
  bookingDate: string | null;
  amount: string;
  currency: string;
  reference: string | null;
  debtorName: string | null;
  remittanceText: string | null;
  outcome: EntryOutcome;
  booked: string;
  clarification: string | null;
  invoice: { id: string; number: string; personId: string } | null;
}

export interface CamtSummary {
  /** Null for a preview of a new file. */
  importId: string | null;
  /** The same file was booked before: nothing changes. */
  alreadyImported: { on: string; by: string } | null;
  /** "camt.054.001.08" */
  standard: string;
  messageId: string;
  entries: CamtEntry[];
  counts: { booked: number; clarification: number; known: number; debitsSkipped: number };
  totals: { credited: string; booked: string; clarification: string };
}

// ---- the clarification list ---------------------------------------------------------------------

export interface ClarificationItem {
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
  debtorIban: string | null;
  remittanceText: string | null;
  position: string | null;
  clarification: string | null;
  status: 'open' | 'resolved' | null;
  resolution: 'booked' | 'refunded' | 'acknowledged' | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  invoice: { id: string | null; number: string; personId: string } | null;
  version: number;
}

export type ClarificationStatus = 'open' | 'resolved';

export type Resolution = { action: 'book'; invoiceId: string; note?: string } | { action: 'refund'; note: string } | { action: 'acknowledge'; note: string };

// ---- deposits -----------------------------------------------------------------------------------

export const DEPOSIT_STATUSES = ['required', 'waiver-requested', 'waived', 'held', 'settled'] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export const LEDGER_KINDS = ['ordered', 'instalment', 'paid', 'waiver-requested', 'waived', 'waiver-refused', 'offset', 'released'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface Deposit {
  id: string;
  personId: string;
  caseId: string | null;
  /** 'no-valid-passport' | 'provisionally-admitted-self-supporting' */
  basis: string;
  /** 'single' | 'family' */
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

export interface LedgerEntry {
  depositId: string;
  date: string;
  kind: string;
  amount: string;
  held: string;
  invoiceId: string | null;
  note: string | null;
  recordedBy: string;
}

export interface PersonDeposits {
  deposits: Deposit[];
  ledger: LedgerEntry[];
}

export interface OrderDepositInput {
  caseId?: string;
  selfSupporting?: boolean;
  instalments?: number;
  firstDueOn?: string;
  language?: 'de' | 'fr' | 'it' | 'en';
}

// ---- the yearly account -------------------------------------------------------------------------

export const AGE_BANDS = ['not-due', '1-30', '31-90', '91-180', 'over-180'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface Receivable {
  count: number;
  open: string;
}

export interface YearlyAccount {
  year: number;
  currency: Currency;
  revenue: { fees: string; federalRefunds: string; internalCharges: string; other: string; total: string };
  fees: { invoiced: string; reductions: string; waivedCount: number; received: string };
  refunds: { paidBack: string; count: number };
  fines: { invoiced: string; received: string; byMunicipality: { bfs: number | null; invoiced: string; received: string }[] };
  deposits: { ordered: string; received: string; offset: string; released: string; heldAtYearEnd: string };
  receivables: { asOf: string; byKind: Record<InvoiceKind, Receivable>; ages: Partial<Record<string, Receivable>> };
}

export const REVENUE_KINDS = ['federal-refund', 'internal-charge', 'other'] as const;
export type RevenueKind = (typeof REVENUE_KINDS)[number];

export interface RevenueInput {
  kind: RevenueKind;
  bookedOn: string;
  amount: string;
  text: string;
}

export interface RevenueEntry {
  id: string;
  kind: RevenueKind;
  bookedOn: string;
  amount: string;
  text: string;
}

export type AccountFormat = 'csv' | 'xlsx';

// ---- the office as creditor ---------------------------------------------------------------------

export interface FinanceSettings {
  officeName: string;
  creditorName: string;
  street: string;
  buildingNumber: string | null;
  postalCode: string;
  town: string;
  country: string;
  /** QR-IBAN (Swiss offices) or IBAN. */
  account: string;
  bic: string | null;
  currency: Currency;
  paymentDays: number;
  version: number;
}

export interface SettingsInput {
  officeName: string;
  creditorName: string;
  street: string;
  buildingNumber: string | null;
  postalCode: string;
  town: string;
  country: string;
  account: string;
  bic: string | null;
  paymentDays: number;
}

// ---- requests -----------------------------------------------------------------------------------

const BASE = '/api/v1/finance';
const invoicePath = (id: string) => `/api/v1/invoices/${encodeURIComponent(id)}`;
const depositPath = (id: string) => `/api/v1/deposits/${encodeURIComponent(id)}`;

export function fetchCaseInvoices(caseId: string, signal?: AbortSignal): Promise<Invoice[]> {
  return apiRequest<Invoice[]>(`/api/v1/cases/${encodeURIComponent(caseId)}/invoices`, { signal });
}

export function fetchPersonInvoices(personId: string, signal?: AbortSignal): Promise<Invoice[]> {
  return apiRequest<Invoice[]>(`/api/v1/persons/${encodeURIComponent(personId)}/invoices`, { signal });
}

/** Where the invoice opens as PDF (with the QR-bill or GiroCode), in the addressee's language. */
export function invoicePdfUrl(id: string): string {
  return `${invoicePath(id)}/pdf`;
}

/** Money paid at the counter; more than is open is refused. Carries the invoice's version (If-Match). */
export function recordCounterPayment(invoice: Pick<Invoice, 'id' | 'version'>, body: CounterPaymentInput): Promise<Invoice> {
  return apiRequest<Invoice>(`${invoicePath(invoice.id)}/payments`, { method: 'POST', body, ifMatch: invoice.version });
}

/** The bank file goes as the bank produced it: its bytes, as XML. */
function sendCamt(path: string, file: Blob, fileName: string): Promise<CamtSummary> {
  return apiRequest<CamtSummary>(path, { method: 'POST', rawBody: file, query: { fileName: fileName || undefined }, headers: { 'Content-Type': 'application/xml' } });
}

/** What booking the file would do; nothing is booked. */
export function previewCamt(file: Blob, fileName: string): Promise<CamtSummary> {
  return sendCamt(`${BASE}/camt/preview`, file, fileName);
}

/** Books the file; the same file again changes nothing (`alreadyImported`). */
export function importCamt(file: Blob, fileName: string): Promise<CamtSummary> {
  return sendCamt(`${BASE}/camt/imports`, file, fileName);
}

export function fetchClarifications(status: ClarificationStatus, signal?: AbortSignal): Promise<ClarificationItem[]> {
  return apiRequest<ClarificationItem[]>(`${BASE}/clarifications`, { query: { status }, signal });
}

export function resolveClarification(item: Pick<ClarificationItem, 'id' | 'version'>, body: Resolution): Promise<ClarificationItem> {
  return apiRequest<ClarificationItem>(`${BASE}/clarifications/${encodeURIComponent(item.id)}/resolution`, { method: 'POST', body, ifMatch: item.version });
}

export function fetchPersonDeposits(personId: string, signal?: AbortSignal): Promise<PersonDeposits> {
  return apiRequest<PersonDeposits>(`/api/v1/persons/${encodeURIComponent(personId)}/deposits`, { signal });
}

/** The rule of NG § 15a decides whether a deposit is owed and how much. */
export function orderDeposit(personId: string, body: OrderDepositInput): Promise<Deposit> {
  return apiRequest<Deposit>(`/api/v1/persons/${encodeURIComponent(personId)}/deposits`, { method: 'POST', body });
}

export function requestDepositWaiver(deposit: Pick<Deposit, 'id' | 'version'>, reason: string): Promise<Deposit> {
  return apiRequest<Deposit>(`${depositPath(deposit.id)}/waiver-request`, { method: 'POST', body: { reason }, ifMatch: deposit.version });
}

/** A second person decides; the one who asked cannot (403 waiver-own-request). */
export function decideDepositWaiver(deposit: Pick<Deposit, 'id' | 'version'>, approve: boolean, comment?: string): Promise<Deposit> {
  return apiRequest<Deposit>(`${depositPath(deposit.id)}/waiver-decision`, { method: 'POST', body: { approve, ...(comment ? { comment } : {}) }, ifMatch: deposit.version });
}

/** On departure: open fees and fines first, the rest back to the person. */
export function settleDeposit(deposit: Pick<Deposit, 'id' | 'version'>): Promise<Deposit> {
  return apiRequest<Deposit>(`${depositPath(deposit.id)}/settlement`, { method: 'POST', ifMatch: deposit.version });
}

export function fetchYearlyAccount(year: number, signal?: AbortSignal): Promise<YearlyAccount> {
  return apiRequest<YearlyAccount>(`${BASE}/account`, { query: { year }, signal });
}

/** Link target for the account as CSV or XLSX (the server answers it as an attachment). */
export function accountFileUrl(year: number, format: AccountFormat): string {
  return `${BASE}/account.${format}?${new URLSearchParams({ year: String(year) }).toString()}`;
}

/** Revenue without an invoice: the federal refunds (Rückerstattung SEM), internal charges. */
export function addRevenueEntry(body: RevenueInput): Promise<RevenueEntry> {
  return apiRequest<RevenueEntry>(`${BASE}/revenue`, { method: 'POST', body });
}

/** Null until an administrator has set the office up as creditor. */
export function fetchFinanceSettings(signal?: AbortSignal): Promise<FinanceSettings | null> {
  return apiRequest<FinanceSettings | null>(`${BASE}/settings`, { signal });
}

/** The first save goes without a version; later ones with the one read (If-Match). */
export function saveFinanceSettings(version: number | null, body: SettingsInput): Promise<FinanceSettings> {
  return apiRequest<FinanceSettings>(`${BASE}/settings`, { method: 'PUT', body, ifMatch: version ?? undefined });
}
