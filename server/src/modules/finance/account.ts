import { sql } from 'kysely';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { Table } from '../reporting/index.js';
import { amountOrProblem } from './amounts.js';
import { today, tenantFinance } from './invoices.js';
import * as repo from './repository.js';
import { AGE_BANDS, receivableAges, type ReceivableAges } from './rules/account.js';
import { formatMinor } from './rules/money.js';

/**
 * The yearly account (definitions in docs/finance.md): the revenue side as the office publishes it
 * (Entgelte, Rückerstattung SEM, Interne Verrechnung), what was let off and paid back, money
 * collected for the municipalities, deposits, and the open receivables with their age.
 */
export interface YearlyAccount {
  year: number;
  currency: 'CHF' | 'EUR';
  revenue: { fees: string; federalRefunds: string; internalCharges: string; other: string; total: string };
  fees: { invoiced: string; reductions: string; waivedCount: number; received: string };
  refunds: { paidBack: string; count: number };
  fines: { invoiced: string; received: string; byMunicipality: { bfs: number | null; invoiced: string; received: string }[] };
  deposits: { ordered: string; received: string; offset: string; released: string; heldAtYearEnd: string };
  receivables: { asOf: string; byKind: Record<'fee' | 'fine' | 'deposit', { count: number; open: string }>; ages: Record<string, { count: number; open: string }> };
}

const num = (value: unknown) => Number(value ?? 0);

async function sums(trx: Trx, tenantId: string, year: number) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const invoiced = await sql<{ kind: string; bfs: number | null; total: string; reductions: string; waived: string }>`
    SELECT kind, CASE WHEN kind = 'fine' THEN beneficiary_bfs END AS bfs,
           coalesce(sum(amount_minor), 0)::bigint AS total,
           coalesce(sum((SELECT coalesce(sum((l ->> 'amountMinor')::int), 0) FROM jsonb_array_elements(lines) l WHERE (l ->> 'amountMinor')::int < 0)), 0)::bigint AS reductions,
           count(*) FILTER (WHERE status = 'waived') AS waived
      FROM invoices
     WHERE tenant_id = ${tenantId} AND issued_on BETWEEN ${from} AND ${to} AND status <> 'cancelled'
     GROUP BY 1, 2`.execute(trx);
  const received = await sql<{ kind: string; bfs: number | null; total: string }>`
    SELECT i.kind, CASE WHEN i.kind = 'fine' THEN i.beneficiary_bfs END AS bfs, coalesce(sum(p.booked_minor), 0)::bigint AS total
      FROM payments p JOIN invoices i ON i.id = p.invoice_id
     WHERE p.tenant_id = ${tenantId} AND p.booking_date BETWEEN ${from} AND ${to}
     GROUP BY 1, 2`.execute(trx);
  const refunds = await sql<{ total: string; count: string }>`
    SELECT coalesce(sum(refunded_minor), 0)::bigint AS total, count(*) AS count
      FROM payments
     WHERE tenant_id = ${tenantId} AND resolution = 'refunded' AND resolved_at >= ${from}::date AND resolved_at < (${to}::date + 1)`.execute(trx);
  const entries = await sql<{ kind: string; total: string }>`
    SELECT kind, coalesce(sum(amount_minor), 0)::bigint AS total FROM revenue_entries
     WHERE tenant_id = ${tenantId} AND booked_on BETWEEN ${from} AND ${to} GROUP BY 1`.execute(trx);
  const ledger = await sql<{ kind: string; total: string }>`
    SELECT kind, coalesce(sum(amount_minor), 0)::bigint AS total FROM deposit_ledger
     WHERE tenant_id = ${tenantId} AND entry_date BETWEEN ${from} AND ${to} GROUP BY 1`.execute(trx);
  const held = await sql<{ total: string }>`
    SELECT coalesce(sum(held_minor), 0)::bigint AS total FROM (
      SELECT DISTINCT ON (deposit_id) held_minor FROM deposit_ledger
       WHERE tenant_id = ${tenantId} AND entry_date <= ${to} ORDER BY deposit_id, seq DESC) last`.execute(trx);
  return { invoiced: invoiced.rows, received: received.rows, refunds: refunds.rows[0], entries: entries.rows, ledger: ledger.rows, held: held.rows[0] };
}

async function receivablesOf(trx: Trx, tenantId: string, asOf: string): Promise<{ byKind: YearlyAccount['receivables']['byKind']; ages: ReceivableAges }> {
  const open = await repo.own(trx).selectFrom('invoices').select(['kind', 'amount_minor', 'paid_minor', 'due_on']).where('tenant_id', '=', tenantId).where('status', '=', 'open').execute();
  const receivables = open.map((r) => ({ kind: r.kind, openMinor: r.amount_minor - r.paid_minor, dueOn: r.due_on }));
  const byKind = { fee: { count: 0, open: '0.00' }, fine: { count: 0, open: '0.00' }, deposit: { count: 0, open: '0.00' } };
  for (const kind of ['fee', 'fine', 'deposit'] as const) {
    const mine = receivables.filter((r) => r.kind === kind);
    byKind[kind] = { count: mine.length, open: formatMinor(mine.reduce((a, r) => a + r.openMinor, 0)) };
  }
  return { byKind, ages: receivableAges(receivables, asOf) };
}

export async function yearlyAccount(db: Db, context: RequestContext, year: number): Promise<YearlyAccount> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError(422, 'invalid-year', { year });
  return inTransaction(db, async (trx) => {
    const tenantId = context.actor.tenantId;
    const finance = await tenantFinance(trx, tenantId);
    const s = await sums(trx, tenantId, year);
    const invoicedOf = (kind: string) => s.invoiced.filter((r) => r.kind === kind).reduce((a, r) => a + num(r.total), 0);
    const receivedOf = (kind: string) => s.received.filter((r) => r.kind === kind).reduce((a, r) => a + num(r.total), 0);
    const entryOf = (kind: string) => num(s.entries.find((r) => r.kind === kind)?.total);
    const ledgerOf = (kind: string) => num(s.ledger.find((r) => r.kind === kind)?.total);
    const fees = invoicedOf('fee');
    const municipalities = [...new Set(s.invoiced.filter((r) => r.kind === 'fine').map((r) => r.bfs).concat(s.received.filter((r) => r.kind === 'fine').map((r) => r.bfs)))];
    // Receivables are what is open now, whatever year is shown: that is what the office still has to collect.
    const asOf = today();
    const receivables = await receivablesOf(trx, tenantId, asOf);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.account-read', entityType: 'account', entityId: null, details: { year } }, { read: true });
    return {
      year,
      currency: finance.currency,
      revenue: {
        fees: formatMinor(fees),
        federalRefunds: formatMinor(entryOf('federal-refund')),
        internalCharges: formatMinor(entryOf('internal-charge')),
        other: formatMinor(entryOf('other')),
        total: formatMinor(fees + entryOf('federal-refund') + entryOf('internal-charge') + entryOf('other')),
      },
      fees: {
        invoiced: formatMinor(fees),
        reductions: formatMinor(-s.invoiced.filter((r) => r.kind === 'fee').reduce((a, r) => a + num(r.reductions), 0)),
        waivedCount: s.invoiced.filter((r) => r.kind === 'fee').reduce((a, r) => a + num(r.waived), 0),
        received: formatMinor(receivedOf('fee')),
      },
      refunds: { paidBack: formatMinor(num(s.refunds?.total)), count: num(s.refunds?.count) },
      fines: {
        invoiced: formatMinor(invoicedOf('fine')),
        received: formatMinor(receivedOf('fine')),
        byMunicipality: municipalities
          .sort((a, b) => (a ?? 0) - (b ?? 0))
          .map((bfs) => ({ bfs, invoiced: formatMinor(s.invoiced.filter((r) => r.kind === 'fine' && r.bfs === bfs).reduce((a, r) => a + num(r.total), 0)), received: formatMinor(s.received.filter((r) => r.kind === 'fine' && r.bfs === bfs).reduce((a, r) => a + num(r.total), 0)) })),
      },
      deposits: { ordered: formatMinor(ledgerOf('ordered')), received: formatMinor(ledgerOf('paid')), offset: formatMinor(ledgerOf('offset')), released: formatMinor(ledgerOf('released')), heldAtYearEnd: formatMinor(num(s.held?.total)) },
      receivables: {
        asOf,
        byKind: receivables.byKind,
        ages: Object.fromEntries(AGE_BANDS.map((band) => [band, { count: receivables.ages[band].count, open: formatMinor(receivables.ages[band].openMinor) }])),
      },
    };
  });
}

/** The account as one table for CSV and XLSX: section, line, amount. */
export function accountTable(account: YearlyAccount): Table {
  const rows: (string | number)[][] = [
    ['Ertrag / Revenue', 'Entgelte (Gebühren) / Fees', account.revenue.fees],
    ['Ertrag / Revenue', 'Rückerstattung SEM / Federal refunds', account.revenue.federalRefunds],
    ['Ertrag / Revenue', 'Interne Verrechnung / Internal charges', account.revenue.internalCharges],
    ['Ertrag / Revenue', 'Übriger Ertrag / Other revenue', account.revenue.other],
    ['Ertrag / Revenue', 'Total Ertrag / Total revenue', account.revenue.total],
    ['Gebühren / Fees', 'Ermässigungen und Erlasse / Reductions and waivers', account.fees.reductions],
    ['Gebühren / Fees', 'Eingegangen / Received', account.fees.received],
    ['Rückzahlungen / Refunds', 'Zurückbezahlt / Paid back', account.refunds.paidBack],
    ['Bussen für Gemeinden / Fines for municipalities', 'Verfügt / Imposed', account.fines.invoiced],
    ['Bussen für Gemeinden / Fines for municipalities', 'Eingegangen / Received', account.fines.received],
    ...account.fines.byMunicipality.map((m) => ['Bussen für Gemeinden / Fines for municipalities', `BFS ${m.bfs ?? '—'}`, m.received]),
    ['Kautionen / Deposits', 'Angeordnet / Ordered', account.deposits.ordered],
    ['Kautionen / Deposits', 'Eingegangen / Received', account.deposits.received],
    ['Kautionen / Deposits', 'Verrechnet / Offset', account.deposits.offset],
    ['Kautionen / Deposits', 'Freigegeben / Released', account.deposits.released],
    ['Kautionen / Deposits', 'Bestand Jahresende / Held at year end', account.deposits.heldAtYearEnd],
    ...(['fee', 'fine', 'deposit'] as const).map((kind) => ['Offene Forderungen / Open receivables', kind, account.receivables.byKind[kind].open]),
    ...Object.entries(account.receivables.ages).map(([band, value]) => ['Offene Forderungen nach Alter / Receivables by age', band, value.open]),
  ];
  return { title: `Rechnung ${account.year}`, columns: ['section', 'line', `amount_${account.currency.toLowerCase()}`], rows };
}

export interface RevenueInput {
  kind: 'federal-refund' | 'internal-charge' | 'other';
  bookedOn: string;
  amount: string | number;
  text: string;
}

/** Revenue without an invoice (the federal lump sums, internal charges), for the account. */
export async function addRevenueEntry(db: Db, context: RequestContext, input: RevenueInput) {
  const amountMinor = amountOrProblem(input.amount);
  return inTransaction(db, async (trx) => {
    const row = await repo.own(trx).insertInto('revenue_entries').values({ tenant_id: context.actor.tenantId, kind: input.kind, booked_on: input.bookedOn, amount_minor: amountMinor, text: input.text.trim(), recorded_by: context.actor.displayName }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.revenue-booked', entityType: 'revenue-entry', entityId: row.id, details: { kind: input.kind, amount: formatMinor(amountMinor) } });
    return { id: row.id, kind: row.kind, bookedOn: row.booked_on, amount: formatMinor(row.amount_minor), text: row.text };
  });
}
