import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';
import { closeReminders } from './invoices.js';
import * as repo from './repository.js';
import { formatMinor } from './rules/money.js';

/**
 * Books money to an invoice, whatever brought it (a bank file, the counter, a deposit offset): the
 * invoice's balance, its reminder, and, for a deposit instalment, the deposit's ledger.
 */
export async function book(trx: Trx, context: RequestContext, invoice: repo.InvoiceRow, bookMinor: number, date: string): Promise<repo.InvoiceRow> {
  const updated = await repo.addToInvoice(trx, invoice, bookMinor, date);
  await closeReminders(trx, updated);
  if (updated.deposit_id) await recordDepositPayment(trx, context, updated, bookMinor, date);
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.payment-booked', entityType: 'person', entityId: invoice.person_id, details: { invoiceId: invoice.id, amount: formatMinor(bookMinor), status: updated.status } });
  return updated;
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
