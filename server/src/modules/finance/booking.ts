import { appendAuditMany, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';
import { closeDeadlinesOfSource } from '../deadlines/index.js';
import { reminderSource } from './invoices.js';
import * as repo from './repository.js';
import { formatMinor } from './rules/money.js';

/**
 * Books money to invoices, whatever brought it (a bank file, the counter, a deposit offset): the
 * invoices' balances in one statement, their reminders closed once paid, a deposit's ledger for an
 * instalment, and an audit row each. Each invoice appears once in `items`.
 */
export async function bookMany(trx: Trx, context: RequestContext, items: readonly { invoice: repo.InvoiceRow; bookMinor: number; date: string }[]): Promise<repo.InvoiceRow[]> {
  const updated = await repo.addToInvoices(trx, items.map((item) => ({ id: item.invoice.id, addMinor: item.bookMinor, date: item.date })));
  const byId = new Map(updated.map((row) => [row.id, row]));
  const paid = updated.filter((row) => row.status !== 'open');
  if (paid.length > 0) await closeDeadlinesOfSource(trx, paid[0]!.tenant_id, paid.map((row) => reminderSource(row.id)), 'met');
  for (const item of items) {
    const row = byId.get(item.invoice.id);
    if (row?.deposit_id) await recordDepositPayment(trx, context, row, item.bookMinor, item.date);
  }
  // One audit row per slice of invoices, not per invoice: each row names the persons in
  // `results`, where the auditor's person filter and the access report find it (migration 0010).
  // A row per invoice made a month's bank file spend most of its time appending to one chain.
  const subject = subjectOf(context.actor, context.requestId);
  const rows = [];
  for (let start = 0; start < items.length; start += AUDIT_SLICE) {
    const slice = items.slice(start, start + AUDIT_SLICE);
    const persons = [...new Set(slice.map((item) => item.invoice.person_id))];
    const invoices = slice.map((item) => ({ invoiceId: item.invoice.id, amount: formatMinor(item.bookMinor), status: byId.get(item.invoice.id)?.status ?? null }));
    rows.push({ subject, entry: { action: 'finance.payment-booked', entityType: persons.length === 1 ? 'person' : null, entityId: persons.length === 1 ? persons[0] : null, details: { results: persons, invoices } } });
  }
  await appendAuditMany(trx, rows);
  return items.map((item) => byId.get(item.invoice.id)!);
}

const AUDIT_SLICE = 500;

export async function book(trx: Trx, context: RequestContext, invoice: repo.InvoiceRow, bookMinor: number, date: string): Promise<repo.InvoiceRow> {
  const [updated] = await bookMany(trx, context, [{ invoice, bookMinor, date }]);
  return updated!;
}

/** An instalment came in: the office now holds more of the deposit; all instalments paid, it is held in full. */
async function recordDepositPayment(trx: Trx, context: RequestContext, invoice: repo.InvoiceRow, bookMinor: number, date: string): Promise<void> {
  const depositId = invoice.deposit_id;
  if (!depositId) return;
  const held = (await repo.heldOf(trx, depositId)) + bookMinor;
  await repo.own(trx).insertInto('deposit_ledger').values({ tenant_id: invoice.tenant_id, deposit_id: depositId, person_id: invoice.person_id, entry_date: date, kind: 'paid', amount_minor: bookMinor, held_minor: held, invoice_id: invoice.id, note: null, recorded_by: context.actor.displayName }).execute();
  const deposit = await repo.own(trx).selectFrom('deposits').selectAll().where('id', '=', depositId).forUpdate().executeTakeFirstOrThrow();
  if (deposit.status === 'required' && held >= deposit.amount_minor) {
    await repo.own(trx).updateTable('deposits').set({ status: 'held', version: deposit.version + 1 }).where('id', '=', depositId).execute();
  }
}
