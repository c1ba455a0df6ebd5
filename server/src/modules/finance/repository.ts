import { sql, type ColumnType, type Generated, type Insertable, type Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { Clarification } from './rules/matching.js';
import type { DepositBasis, Household } from './rules/deposit.js';

/** The finance module's tables (migration 0012); only this file touches them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export type InvoiceKind = 'fee' | 'fine' | 'deposit';
export type InvoiceStatus = 'open' | 'paid' | 'waived' | 'cancelled';
export type Language = 'de' | 'fr' | 'it' | 'en';

export type FinanceSettingsTable = {
  tenant_id: string;
  office_name: string;
  creditor_name: string;
  street: string;
  building_number: string | null;
  postal_code: string;
  town: string;
  country: string;
  account: string;
  bic: string | null;
  currency: 'CHF' | 'EUR';
  payment_days: Generated<number>;
  version: Generated<number>;
}

export type InvoicesTable = {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  case_id: string | null;
  deposit_id: string | null;
  year: number;
  number: number;
  reference: string;
  kind: InvoiceKind;
  beneficiary_bfs: number | null;
  currency: 'CHF' | 'EUR';
  lines: Json;
  adjustment_reason: string | null;
  amount_minor: number;
  paid_minor: Generated<number>;
  status: InvoiceStatus;
  language: Language;
  issued_on: string;
  due_on: string;
  paid_on: string | null;
  reminder_level: Generated<number>;
  reminder_due_on: string | null;
  created_by: string;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export type PaymentImportsTable = {
  id: Generated<string>;
  tenant_id: string;
  file_sha256: string;
  file_name: string | null;
  standard: string;
  message_id: string;
  entries: number;
  booked: number;
  clarified: number;
  known_before: number;
  imported_by: string;
  imported_at: Generated<Date>;
}

export type PaymentsTable = {
  id: Generated<string>;
  tenant_id: string;
  import_id: string | null;
  source: 'bank' | 'counter' | 'deposit';
  entry_key: string | null;
  booking_date: string;
  value_date: string | null;
  amount_minor: number;
  currency: string;
  reference: string | null;
  debtor_name: string | null;
  debtor_iban: string | null;
  remittance_text: string | null;
  position: string | null;
  invoice_id: string | null;
  booked_minor: Generated<number>;
  clarification: Clarification | null;
  clarification_status: 'open' | 'resolved' | null;
  resolution: 'booked' | 'refunded' | 'acknowledged' | null;
  refunded_minor: Generated<number>;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  recorded_by: string;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export type DepositStatus = 'required' | 'waiver-requested' | 'waived' | 'held' | 'settled';

export type DepositsTable = {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  case_id: string | null;
  basis: DepositBasis;
  household: Household;
  amount_minor: number;
  instalments: number;
  status: DepositStatus;
  waiver_reason: string | null;
  waiver_requested_by: string | null;
  waiver_requested_by_id: string | null;
  waiver_decided_by: string | null;
  ordered_on: string;
  settled_on: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export type LedgerKind = 'ordered' | 'instalment' | 'paid' | 'waiver-requested' | 'waived' | 'waiver-refused' | 'offset' | 'released';

export type DepositLedgerTable = {
  id: Generated<string>;
  seq: Generated<string>;
  tenant_id: string;
  deposit_id: string;
  person_id: string;
  entry_date: string;
  kind: LedgerKind;
  amount_minor: number;
  held_minor: number;
  invoice_id: string | null;
  note: string | null;
  recorded_by: string;
  created_at: Generated<Date>;
}

export type RevenueEntriesTable = {
  id: Generated<string>;
  tenant_id: string;
  kind: 'federal-refund' | 'internal-charge' | 'other';
  booked_on: string;
  amount_minor: number;
  text: string;
  recorded_by: string;
  created_at: Generated<Date>;
}

export type FinanceTables = {
  finance_settings: FinanceSettingsTable;
  invoices: InvoicesTable;
  payment_imports: PaymentImportsTable;
  payments: PaymentsTable;
  deposits: DepositsTable;
  deposit_ledger: DepositLedgerTable;
  revenue_entries: RevenueEntriesTable;
}

export function own(db: Db | Trx) {
  return db.withTables<FinanceTables>();
}

export type SettingsRow = Selectable<FinanceSettingsTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type DepositRow = Selectable<DepositsTable>;
export type LedgerRow = Selectable<DepositLedgerTable>;
export type ImportRow = Selectable<PaymentImportsTable>;

export async function settingsOf(db: Db | Trx, tenantId: string): Promise<SettingsRow | null> {
  return (await own(db).selectFrom('finance_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()) ?? null;
}

// --- invoices ------------------------------------------------------------------------------------

export async function nextInvoiceNumber(trx: Trx, tenantId: string, year: number): Promise<number> {
  // Numbers run without gaps per office and year; the lock makes concurrent decisions take turns.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`invoice:${tenantId}:${year}`}))`.execute(trx);
  const row = await own(trx).selectFrom('invoices').select((eb) => eb.fn.max('number').as('max')).where('tenant_id', '=', tenantId).where('year', '=', year).executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

export async function insertInvoice(trx: Trx, values: Insertable<InvoicesTable>): Promise<InvoiceRow> {
  return own(trx).insertInto('invoices').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function invoiceById(db: Db | Trx, tenantId: string, id: string): Promise<InvoiceRow | null> {
  return (await own(db).selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Locks the invoices a bank file names, in one query, so that concurrent bookings wait their turn. */
export async function lockInvoicesByReference(trx: Trx, tenantId: string, references: string[]): Promise<InvoiceRow[]> {
  if (references.length === 0) return [];
  return own(trx).selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('reference', 'in', references).orderBy('id').forUpdate().execute();
}

export async function lockInvoice(trx: Trx, tenantId: string, id: string): Promise<InvoiceRow | null> {
  return (await own(trx).selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

export async function invoicesOf(db: Db | Trx, tenantId: string, filter: { personId?: string; caseId?: string }): Promise<InvoiceRow[]> {
  let query = own(db).selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId);
  if (filter.personId) query = query.where('person_id', '=', filter.personId);
  if (filter.caseId) query = query.where('case_id', '=', filter.caseId);
  return query.orderBy('issued_on', 'desc').orderBy('number', 'desc').execute();
}

/**
 * Adds payments to invoices in one statement (a bank file pays thousands at once); an invoice whose
 * balance reaches its amount becomes paid on the given day.
 */
export async function addToInvoices(trx: Trx, items: readonly { id: string; addMinor: number; date: string }[]): Promise<InvoiceRow[]> {
  const updated: InvoiceRow[] = [];
  // In slices: a statement carries at most 65,535 parameters (three per invoice here).
  for (let start = 0; start < items.length; start += 10_000) {
    const values = sql.join(items.slice(start, start + 10_000).map((item) => sql`(${item.id}::uuid, ${item.addMinor}::integer, ${item.date}::date)`));
    const result = await sql<InvoiceRow>`
    UPDATE invoices i
       SET paid_minor = i.paid_minor + v.add_minor,
           status = CASE WHEN i.paid_minor + v.add_minor >= i.amount_minor THEN 'paid' ELSE i.status END,
           paid_on = CASE WHEN i.paid_minor + v.add_minor >= i.amount_minor THEN v.paid_on END,
           version = i.version + 1
      FROM (VALUES ${values}) AS v(id, add_minor, paid_on)
     WHERE i.id = v.id
 RETURNING i.*`.execute(trx);
    updated.push(...result.rows);
  }
  return updated;
}

// --- payments ------------------------------------------------------------------------------------

export async function knownEntryKeys(trx: Trx, tenantId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await own(trx).selectFrom('payments').select('entry_key').where('tenant_id', '=', tenantId).where('entry_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.entry_key ?? ''));
}

export async function importByHash(db: Db | Trx, tenantId: string, sha256: string): Promise<ImportRow | null> {
  return (await own(db).selectFrom('payment_imports').selectAll().where('tenant_id', '=', tenantId).where('file_sha256', '=', sha256).executeTakeFirst()) ?? null;
}

export async function paymentsOfInvoices(db: Db | Trx, invoiceIds: string[]): Promise<PaymentRow[]> {
  if (invoiceIds.length === 0) return [];
  return own(db).selectFrom('payments').selectAll().where('invoice_id', 'in', invoiceIds).orderBy('booking_date').orderBy('created_at').execute();
}

// --- deposits ------------------------------------------------------------------------------------

export async function depositsOf(db: Db | Trx, tenantId: string, personId: string): Promise<DepositRow[]> {
  return own(db).selectFrom('deposits').selectAll().where('tenant_id', '=', tenantId).where('person_id', '=', personId).orderBy('ordered_on').orderBy('created_at').execute();
}

export async function ledgerOf(db: Db | Trx, tenantId: string, personId: string): Promise<LedgerRow[]> {
  return own(db).selectFrom('deposit_ledger').selectAll().where('tenant_id', '=', tenantId).where('person_id', '=', personId).orderBy('seq').execute();
}

export async function heldOf(trx: Trx, depositId: string): Promise<number> {
  const row = await own(trx).selectFrom('deposit_ledger').select('held_minor').where('deposit_id', '=', depositId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.held_minor ?? 0;
}
