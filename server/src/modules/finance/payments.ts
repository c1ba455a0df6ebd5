import { createHash } from 'node:crypto';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, problems } from '../../platform/errors.js';
import { amountOrProblem } from './amounts.js';
import { book, bookMany } from './booking.js';
import { invoiceDto, today, visibleInvoice, type InvoiceDto } from './invoices.js';
import * as repo from './repository.js';
import { CamtError, readCamt, type CamtEntry, type CamtStatement } from './rules/camt.js';
import { matchCredit, type Clarification } from './rules/matching.js';
import { formatMinor } from './rules/money.js';
import { invoiceNumberText } from './rules/references.js';

function statementOf(bytes: Buffer): CamtStatement {
  try {
    return readCamt(bytes);
  } catch (error) {
    // The message adds its own full stop.
    if (error instanceof CamtError) throw new AppError(422, `camt-${error.problem}`, { problem: error.detail.replace(/\.$/, '') });
    throw error;
  }
}

export type EntryOutcome = 'booked' | 'clarification' | 'known';

export interface PlannedEntry {
  entry: CamtEntry;
  outcome: EntryOutcome;
  bookMinor: number;
  clarification: Clarification | null;
  invoice: repo.InvoiceRow | null;
}

/**
 * Decides for every credit of a file what happens to it, in file order: credits already known
 * (from this file or an earlier one) are skipped, the others are matched against their invoice as
 * it stands after the credits before them, so two payments of one invoice in one file are seen
 * as a payment and a duplicate.
 */
async function plan(trx: Trx, tenantId: string, statement: CamtStatement, lock: boolean): Promise<PlannedEntry[]> {
  const keys = statement.entries.map((e) => e.key);
  const known = await repo.knownEntryKeys(trx, tenantId, keys);
  const references = [...new Set(statement.entries.map((e) => e.reference).filter((r): r is string => r !== null))];
  const invoices = lock ? await repo.lockInvoicesByReference(trx, tenantId, references) : await repo.own(trx).selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('reference', 'in', references.length > 0 ? references : ['']).execute();
  const byReference = new Map(invoices.map((invoice) => [invoice.reference, { ...invoice }]));
  const seen = new Set<string>();
  return statement.entries.map((entry) => {
    if (known.has(entry.key) || seen.has(entry.key)) return { entry, outcome: 'known', bookMinor: 0, clarification: null, invoice: null };
    seen.add(entry.key);
    const invoice = entry.reference === null ? null : (byReference.get(entry.reference) ?? null);
    const match = matchCredit(entry, invoice === null ? null : { status: invoice.status, currency: invoice.currency, amountMinor: invoice.amount_minor, paidMinor: invoice.paid_minor });
    if (invoice && match.bookMinor > 0) {
      invoice.paid_minor += match.bookMinor;
      if (invoice.paid_minor >= invoice.amount_minor) invoice.status = 'paid';
    }
    return { entry, outcome: match.clarification === null ? 'booked' : 'clarification', bookMinor: match.bookMinor, clarification: match.clarification, invoice };
  });
}

function plannedDto(planned: PlannedEntry) {
  return {
    position: planned.entry.position,
    bookingDate: planned.entry.bookingDate,
    amount: formatMinor(planned.entry.amountMinor),
    currency: planned.entry.currency,
    reference: planned.entry.reference,
    debtorName: planned.entry.debtorName,
    remittanceText: planned.entry.remittanceText,
    outcome: planned.outcome,
    booked: formatMinor(planned.bookMinor),
    clarification: planned.clarification,
    invoice: planned.invoice ? { id: planned.invoice.id, number: invoiceNumberText(planned.invoice.year, planned.invoice.number), personId: planned.invoice.person_id } : null,
  };
}

export interface ImportSummary {
  importId: string | null;
  alreadyImported: { on: string; by: string } | null;
  standard: string;
  messageId: string;
  entries: ReturnType<typeof plannedDto>[];
  counts: { booked: number; clarification: number; known: number; debitsSkipped: number };
  totals: { credited: string; booked: string; clarification: string };
}

function summaryOf(statement: CamtStatement, planned: PlannedEntry[], importId: string | null, previous: repo.ImportRow | null): ImportSummary {
  const fresh = planned.filter((p) => p.outcome !== 'known');
  const sum = (values: number[]) => formatMinor(values.reduce((a, b) => a + b, 0));
  return {
    importId,
    alreadyImported: previous ? { on: previous.imported_at.toISOString(), by: previous.imported_by } : null,
    standard: `${statement.kind}.${statement.version}`,
    messageId: statement.messageId,
    entries: planned.map(plannedDto),
    counts: { booked: planned.filter((p) => p.outcome === 'booked').length, clarification: planned.filter((p) => p.outcome === 'clarification').length, known: planned.filter((p) => p.outcome === 'known').length, debitsSkipped: statement.debitsSkipped },
    totals: { credited: sum(fresh.map((p) => p.entry.amountMinor)), booked: sum(fresh.map((p) => p.bookMinor)), clarification: sum(fresh.map((p) => p.entry.amountMinor - p.bookMinor)) },
  };
}

/** What booking the file would do, without booking anything: the import page's preview. */
export async function previewCamt(db: Db, context: RequestContext, bytes: Buffer): Promise<ImportSummary> {
  const statement = statementOf(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return inTransaction(db, async (trx) => {
    const previous = await repo.importByHash(trx, context.actor.tenantId, sha256);
    const planned = await plan(trx, context.actor.tenantId, statement, false);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.camt-previewed', entityType: 'payment-import', entityId: null, details: { sha256, messageId: statement.messageId, entries: planned.length } }, { read: true });
    return summaryOf(statement, previous ? planned.map((p) => ({ ...p, outcome: 'known' as const, bookMinor: 0, clarification: null })) : planned, previous?.id ?? null, previous);
  });
}

/**
 * Books a bank file in one transaction: matched credits to their invoices, everything else onto
 * the clarification list. The same file again changes nothing; a credit already booked from
 * another file (a camt.053 after its camt.054) is recognised by the bank's key and skipped.
 */
export async function importCamt(db: Db, context: RequestContext, bytes: Buffer, fileName: string | null): Promise<ImportSummary> {
  const statement = statementOf(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const tenantId = context.actor.tenantId;
  return inTransaction(db, async (trx) => {
    const previous = await repo.importByHash(trx, tenantId, sha256);
    if (previous) {
      const planned = (await plan(trx, tenantId, statement, false)).map((p) => ({ ...p, outcome: 'known' as const, bookMinor: 0, clarification: null }));
      return summaryOf(statement, planned, previous.id, previous);
    }
    const planned = await plan(trx, tenantId, statement, true);
    const counts = { booked: planned.filter((p) => p.outcome === 'booked').length, clarified: planned.filter((p) => p.outcome === 'clarification').length, known: planned.filter((p) => p.outcome === 'known').length };
    const imported = await repo
      .own(trx)
      .insertInto('payment_imports')
      .values({ tenant_id: tenantId, file_sha256: sha256, file_name: fileName, standard: `${statement.kind}.${statement.version}`, message_id: statement.messageId, entries: planned.length, booked: counts.booked, clarified: counts.clarified, known_before: counts.known, imported_by: context.actor.displayName })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fresh = planned.filter((p) => p.outcome !== 'known');
    // In slices: one statement may carry at most 65,535 parameters, a month's file has thousands of credits.
    for (let start = 0; start < fresh.length; start += 1000) {
      await repo
        .own(trx)
        .insertInto('payments')
        .values(
          fresh.slice(start, start + 1000).map((p) => ({
            tenant_id: tenantId,
            import_id: imported.id,
            source: 'bank' as const,
            entry_key: p.entry.key,
            booking_date: p.entry.bookingDate ?? p.entry.valueDate ?? today(),
            value_date: p.entry.valueDate,
            amount_minor: p.entry.amountMinor,
            currency: p.entry.currency,
            reference: p.entry.reference,
            debtor_name: p.entry.debtorName,
            debtor_iban: p.entry.debtorIban,
            remittance_text: p.entry.remittanceText,
            position: p.entry.position,
            invoice_id: p.invoice?.id ?? null,
            booked_minor: p.bookMinor,
            clarification: p.clarification,
            clarification_status: p.clarification === null ? null : ('open' as const),
            recorded_by: context.actor.displayName,
          })),
        )
        .execute();
    }
    // Each touched invoice is written once, with everything this file paid on it.
    const paidPerInvoice = new Map<string, { bookMinor: number; date: string }>();
    for (const p of fresh) {
      if (!p.invoice || p.bookMinor === 0) continue;
      const sum = paidPerInvoice.get(p.invoice.id) ?? { bookMinor: 0, date: '' };
      const date = p.entry.bookingDate ?? today();
      paidPerInvoice.set(p.invoice.id, { bookMinor: sum.bookMinor + p.bookMinor, date: date > sum.date ? date : sum.date });
    }
    const touched = await repo.own(trx).selectFrom('invoices').selectAll().where('id', 'in', paidPerInvoice.size > 0 ? [...paidPerInvoice.keys()] : ['00000000-0000-0000-0000-000000000000']).execute();
    await bookMany(trx, context, touched.map((invoice) => ({ invoice, bookMinor: paidPerInvoice.get(invoice.id)!.bookMinor, date: paidPerInvoice.get(invoice.id)!.date })));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'finance.camt-imported',
      entityType: 'payment-import',
      entityId: imported.id,
      details: { sha256, fileName, messageId: statement.messageId, ...counts, invoices: [...paidPerInvoice.keys()] },
    });
    return summaryOf(statement, planned, imported.id, null);
  });
}

export interface CounterPayment {
  amount: string | number;
  paidOn?: string;
  note?: string;
}

/** Money paid at the counter: booked at once; more than is open is refused (the clerk gives change). */
export async function recordCounterPayment(db: Db, context: RequestContext, invoiceId: string, expectedVersion: number, input: CounterPayment): Promise<InvoiceDto> {
  const amountMinor = amountOrProblem(input.amount);
  return inTransaction(db, async (trx) => {
    await visibleInvoice(trx, context, invoiceId);
    const invoice = await repo.lockInvoice(trx, context.actor.tenantId, invoiceId);
    if (!invoice) throw problems.notFound('invoice');
    if (invoice.version !== expectedVersion) throw problems.versionConflict(invoice.version);
    if (invoice.status !== 'open') throw new AppError(409, 'invoice-not-open', { status: invoice.status });
    const open = invoice.amount_minor - invoice.paid_minor;
    if (amountMinor > open) throw new AppError(422, 'counter-overpayment', { amount: formatMinor(amountMinor), open: formatMinor(open) });
    const paidOn = input.paidOn ?? today();
    await repo
      .own(trx)
      .insertInto('payments')
      .values({ tenant_id: invoice.tenant_id, source: 'counter', booking_date: paidOn, amount_minor: amountMinor, currency: invoice.currency, reference: invoice.reference, invoice_id: invoice.id, booked_minor: amountMinor, clarification: null, clarification_status: null, remittance_text: input.note?.trim() || null, recorded_by: context.actor.displayName })
      .execute();
    const updated = await book(trx, context, invoice, amountMinor, paidOn);
    return invoiceDto(updated, await repo.paymentsOfInvoices(trx, [invoice.id]));
  });
}

// --- the clarification list ----------------------------------------------------------------------

export function clarificationDto(row: repo.PaymentRow, invoice: { number: string; personId: string } | null) {
  return {
    id: row.id,
    source: row.source,
    bookingDate: row.booking_date,
    amount: formatMinor(row.amount_minor),
    booked: formatMinor(row.booked_minor),
    refunded: formatMinor(row.refunded_minor),
    unbooked: formatMinor(row.amount_minor - row.booked_minor - row.refunded_minor),
    currency: row.currency,
    reference: row.reference,
    debtorName: row.debtor_name,
    debtorIban: row.debtor_iban,
    remittanceText: row.remittance_text,
    position: row.position,
    clarification: row.clarification,
    status: row.clarification_status,
    resolution: row.resolution,
    resolutionNote: row.resolution_note,
    resolvedBy: row.resolved_by,
    invoice: invoice === null ? null : { id: row.invoice_id, ...invoice },
    version: row.version,
  };
}

export async function clarificationList(db: Db, context: RequestContext, status: 'open' | 'resolved'): Promise<ReturnType<typeof clarificationDto>[]> {
  return inTransaction(db, async (trx) => {
    const rows = await repo.own(trx).selectFrom('payments').selectAll().where('tenant_id', '=', context.actor.tenantId).where('clarification_status', '=', status).orderBy('created_at', status === 'open' ? 'asc' : 'desc').limit(500).execute();
    const invoiceIds = [...new Set(rows.map((r) => r.invoice_id).filter((id): id is string => id !== null))];
    const invoices = invoiceIds.length === 0 ? [] : await repo.own(trx).selectFrom('invoices').select(['id', 'year', 'number', 'person_id']).where('id', 'in', invoiceIds).execute();
    const byId = new Map(invoices.map((i) => [i.id, { number: invoiceNumberText(i.year, i.number), personId: i.person_id }]));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.clarifications-read', entityType: 'payment', entityId: null, details: { status, count: rows.length } }, { read: true });
    return rows.map((row) => clarificationDto(row, row.invoice_id === null ? null : (byId.get(row.invoice_id) ?? null)));
  });
}

export type Resolution = { action: 'book'; invoiceId: string; note?: string } | { action: 'refund'; note: string } | { action: 'acknowledge'; note: string };

/**
 * A person settles an item of the clarification list: books the money that is not yet booked to
 * an invoice, records that it was paid back, or acknowledges it (a partial payment agreed with the
 * payer). The version guards against two people settling one item.
 */
export async function resolveClarification(db: Db, context: RequestContext, paymentId: string, expectedVersion: number, resolution: Resolution) {
  return inTransaction(db, async (trx) => {
    const payment = await repo.own(trx).selectFrom('payments').selectAll().where('tenant_id', '=', context.actor.tenantId).where('id', '=', paymentId).forUpdate().executeTakeFirst();
    if (!payment) throw problems.notFound('payment');
    if (payment.version !== expectedVersion) throw problems.versionConflict(payment.version);
    if (payment.clarification_status !== 'open') throw new AppError(409, 'payment-not-in-clarification');
    const unbooked = payment.amount_minor - payment.booked_minor - payment.refunded_minor;
    const note = resolution.note?.trim() ?? '';
    if (resolution.action !== 'book' && note === '') throw new AppError(422, 'resolution-note-required');
    let set: Partial<repo.PaymentRow>;
    let invoiceId = payment.invoice_id;
    if (resolution.action === 'book') {
      if (unbooked === 0) throw new AppError(409, 'payment-nothing-to-book');
      const invoice = await repo.lockInvoice(trx, context.actor.tenantId, resolution.invoiceId);
      if (!invoice) throw problems.notFound('invoice');
      if (invoice.status !== 'open') throw new AppError(409, 'invoice-not-open', { status: invoice.status });
      if (invoice.currency !== payment.currency) throw new AppError(422, 'payment-currency', { payment: payment.currency, invoice: invoice.currency });
      const open = invoice.amount_minor - invoice.paid_minor;
      if (unbooked > open) throw new AppError(422, 'payment-exceeds-invoice', { amount: formatMinor(unbooked), open: formatMinor(open) });
      // A payment belongs to one invoice; money that went to another one first is refunded or acknowledged instead.
      if (payment.invoice_id !== null && payment.invoice_id !== invoice.id && payment.booked_minor > 0) throw new AppError(409, 'payment-split');
      await book(trx, context, invoice, unbooked, payment.booking_date);
      set = { invoice_id: invoice.id, booked_minor: payment.booked_minor + unbooked, resolution: 'booked' };
      invoiceId = invoice.id;
    } else if (resolution.action === 'refund') {
      if (unbooked === 0) throw new AppError(409, 'payment-nothing-to-refund');
      set = { refunded_minor: payment.refunded_minor + unbooked, resolution: 'refunded' };
    } else {
      set = { resolution: 'acknowledged' };
    }
    const updated = await repo
      .own(trx)
      .updateTable('payments')
      .set({ ...set, clarification_status: 'resolved', resolution_note: note || null, resolved_by: context.actor.displayName, resolved_at: new Date(), version: payment.version + 1 })
      .where('id', '=', payment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.clarification-resolved', entityType: 'payment', entityId: payment.id, details: { action: resolution.action, invoiceId, amount: formatMinor(unbooked), clarification: payment.clarification } });
    const invoice = invoiceId === null ? null : await repo.own(trx).selectFrom('invoices').select(['year', 'number', 'person_id']).where('id', '=', invoiceId).executeTakeFirst();
    return clarificationDto(updated, invoice ? { number: invoiceNumberText(invoice.year, invoice.number), personId: invoice.person_id } : null);
  });
}
