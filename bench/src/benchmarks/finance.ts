import { createHash } from 'node:crypto';
import {
  AliasNode,
  InsertQueryNode,
  RawNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  sql,
  type Kysely,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { importCamt, INVOICE_REMINDER, previewCamt, qrReference, readCamt, reminderSource, withTenantScope, type CamtEntry, type ImportSummary } from '@migraflow/server';
import { datasetSource, defineBenchmark, type BenchContext, type BenchReport, type DatabaseKind, type ReportOf } from '../lib/benchmark.js';
import { buildCamt054, CREDITS_PER_BOOKING, decimalOf, type CamtCredit } from '../lib/camt-file.js';
import { describeHardware } from '../lib/hardware.js';
import { databaseLabel, formatInt, formatMs, formatSeconds, out, progress } from '../lib/output.js';
import { preparePersonsDataset, type PersonsDataset } from '../lib/persons-dataset.js';
import { vacuumAnalyze } from '../lib/prepared.js';
import { median, roundMs } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';

/**
 * Bank file import (issue "Finance"): one ISO 20022 camt.054 credit notification with N QR-bill
 * payments that pay N open invoices exactly — a large office's month — through `importCamt`, what
 * the upload route and the bank's drop folder call: the file read, every credit matched by its QR
 * reference, the invoices booked in one statement, their reminders closed, payments inserted in
 * slices of 1,000 and the audit rows appended, all in one transaction, in the office's scope
 * (row-level security applies). Beside it: the same file again (must change nothing), the preview
 * of a fresh file, and the same statements sent straight to the database (the ceiling). No target
 * is stated for this; the figures are reported, not checked.
 */

/** Credits in the file (= open invoices it pays). `--persons N` sets it. */
const DEFAULT_CREDITS: Readonly<Record<DatabaseKind, number>> = { pglite: 2_000, postgres: 20_000 };
/**
 * Persons the invoices are spread over. PostgreSQL: always `mf_bench_persons_20000`, reloaded every
 * run (the exchange benchmark's database, which it reloads as well); PGlite: as many as credits,
 * between 1,000 and 20,000.
 */
const PERSONS = 20_000;
const MIN_PERSONS = 1_000;
const YEAR = 2026;
const MONTH = '2026-03';
/** The Swiss QR-IBAN the payments arrive on. */
const QR_IBAN = 'CH4431999123000889012';
/** Invoices created per INSERT … SELECT. */
const INVOICE_CHUNK = 50_000;
/** Payments per INSERT, as `importCamt` slices them. */
const PAYMENT_SLICE = 1_000;
const READ_REPEATS = 3;
/** Audit rows per statement in the raw ceiling: 11 parameters a row, at most 65,535 a statement. */
/** Invoices per audit row of a booking (finance/booking.ts). */
const BOOKING_AUDIT_SLICE = 500;

type Db = Kysely<never>;
type Row = Record<string, unknown>;

// ------------------------------------------------------------------ data

/**
 * 2N open fee invoices (numbers 1…2N of 2026, a valid QR reference each, CHF 50.00–400.00), spread
 * over the dataset's persons, each with its open 'invoice-reminder' deadline as `issueInvoice`
 * schedules it (due five days after the invoice, source `invoice:<id>`). Invoices 1…N are paid by
 * the imported file, N+1…2N by the previewed file and then by the raw statements.
 */
async function createInvoices(db: Db, tenantId: string, persons: number, total: number): Promise<void> {
  for (let from = 1; from <= total; from += INVOICE_CHUNK) {
    const to = Math.min(total, from + INVOICE_CHUNK - 1);
    const references = Array.from({ length: to - from + 1 }, (_, i) => qrReference(YEAR, from + i));
    await sql`
      INSERT INTO invoices (tenant_id, person_id, year, number, reference, kind, currency, lines, amount_minor, status, language, issued_on, due_on, created_by)
      SELECT ${tenantId}::uuid, p.id, ${YEAR}::int, r.number, r.reference, 'fee', 'CHF', '[]'::jsonb,
             5000 + ((r.number::bigint * 7919) % 701)::int * 50, 'open', 'de',
             DATE '2026-02-02' + (r.number % 20), DATE '2026-03-04' + (r.number % 20), 'Benchmark'
        FROM (SELECT ${from - 1}::int + u.ordinality::int AS number, u.reference
                FROM unnest(${references}::text[]) WITH ORDINALITY AS u(reference, ordinality)) r
        JOIN (SELECT id, row_number() OVER (ORDER BY id)::int AS k FROM persons WHERE tenant_id = ${tenantId}) p
          ON p.k = ((r.number - 1) % ${persons}::int) + 1`.execute(db);
  }
  const prefix = reminderSource('');
  await sql`
    INSERT INTO deadlines (tenant_id, person_id, kind, legal_basis, due_date, source, owner_role, working_due_date, reminder_days, escalation_days, next_fire_at)
    SELECT tenant_id, person_id, ${INVOICE_REMINDER}, 'Invoice ' || year || '-' || lpad(number::text, 6, '0') || ' due on ' || due_on || ': reminder if unpaid',
           due_on + 5, ${prefix} || id::text, 'caseworker', due_on + 5, 0, 5, ((due_on + 5) + time '06:00') AT TIME ZONE 'UTC'
      FROM invoices WHERE tenant_id = ${tenantId}`.execute(db);
}

interface InvoiceLine {
  id: string;
  number: number;
  reference: string;
  amountMinor: number;
  debtorName: string;
}

async function invoicesOf(db: Db, tenantId: string): Promise<InvoiceLine[]> {
  const rows = await sql<{ id: string; number: number; reference: string; amount_minor: number; official_name: string; first_names: string }>`
    SELECT i.id, i.number, i.reference, i.amount_minor, p.official_name, p.first_names
      FROM invoices i JOIN persons p ON p.id = i.person_id
     WHERE i.tenant_id = ${tenantId} ORDER BY i.number`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, number: Number(r.number), reference: r.reference, amountMinor: Number(r.amount_minor), debtorName: `${r.first_names} ${r.official_name}` }));
}

function creditsFor(invoices: readonly InvoiceLine[]): CamtCredit[] {
  return invoices.map((invoice) => ({ reference: invoice.reference, amountMinor: invoice.amountMinor, debtorName: invoice.debtorName, note: `Rechnung ${YEAR}-${String(invoice.number).padStart(6, '0')}` }));
}

// ------------------------------------------------------------------ measuring the service's statements

/** A statement as a short label: "INSERT payments", "UPDATE invoices i SET paid_minor = …". */
function describeNode(node: RootOperationNode): string {
  const tableOf = (from: OperationNode | undefined): string => {
    if (from === undefined) return '?';
    if (TableNode.is(from)) return from.table.identifier.name;
    if (AliasNode.is(from)) return tableOf(from.node);
    return from.kind;
  };
  if (SelectQueryNode.is(node)) return `SELECT … FROM ${tableOf(node.from?.froms[0])}`;
  if (InsertQueryNode.is(node)) return `INSERT INTO ${tableOf(node.into)}`;
  if (UpdateQueryNode.is(node)) return `UPDATE ${tableOf(node.table)}`;
  if (RawNode.is(node)) {
    const text = (raw: RawNode): string => raw.sqlFragments.map((fragment, i) => {
      const parameter = raw.parameters[i];
      return fragment + (parameter === undefined ? '' : RawNode.is(parameter) ? text(parameter) : '?');
    }).join('');
    const flat = text(node).replace(/\s+/g, ' ').trim();
    return flat.length > 48 ? `${flat.slice(0, 47)}…` : flat;
  }
  return node.kind;
}

interface StatementFigure {
  statement: string;
  count: number;
  ms: number;
}

/**
 * A Kysely plugin timing every statement the service sends, from the moment it is built to its
 * result (building the SQL, the round trip, the database's work, reading the rows). BEGIN and
 * COMMIT do not pass through plugins: they are in "the rest".
 */
class StatementTimer implements KyselyPlugin {
  readonly #started = new WeakMap<object, { at: number; label: string }>();
  #figures = new Map<string, StatementFigure>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#started.set(args.queryId, { at: performance.now(), label: describeNode(args.node) });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const started = this.#started.get(args.queryId);
    if (started !== undefined) {
      this.#started.delete(args.queryId);
      const figure = this.#figures.get(started.label) ?? { statement: started.label, count: 0, ms: 0 };
      figure.count += 1;
      figure.ms += performance.now() - started.at;
      this.#figures.set(started.label, figure);
    }
    return args.result;
  }

  /** What was timed since the last call, slowest first; starts afresh. */
  take(): StatementFigure[] {
    const figures = [...this.#figures.values()].sort((a, b) => b.ms - a.ms);
    this.#figures = new Map();
    return figures;
  }
}

/** Peak resident set size while `work` runs, sampled every 20 ms (a synchronous stretch is seen at its end). */
async function withRssPeak<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await work();
    return { value, peakRss: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

interface ServiceFigures {
  ms: number;
  statements: StatementFigure[];
  sqlMs: number;
  statementCount: number;
  summary: ImportSummary;
}

async function measured(what: string, timer: StatementTimer, work: () => Promise<ImportSummary>): Promise<ServiceFigures> {
  timer.take();
  const start = performance.now();
  let summary: ImportSummary;
  try {
    summary = await work();
  } catch (error) {
    throw new Error(`finance benchmark: ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const ms = performance.now() - start;
  const statements = timer.take();
  return { ms, statements, sqlMs: statements.reduce((sum, s) => sum + s.ms, 0), statementCount: statements.reduce((sum, s) => sum + s.count, 0), summary };
}

// ------------------------------------------------------------------ state and checks

interface FinanceState {
  payments: number;
  imports: number;
  invoiceVersions: number;
  paidInvoices: number;
  openReminders: number;
  auditRows: number;
}

async function stateOf(db: Db, tenantId: string): Promise<FinanceState> {
  const row = (
    await sql<Record<keyof FinanceState, number | string>>`
      SELECT (SELECT count(*) FROM payments WHERE tenant_id = ${tenantId}) AS payments,
             (SELECT count(*) FROM payment_imports WHERE tenant_id = ${tenantId}) AS imports,
             (SELECT coalesce(sum(version), 0) FROM invoices WHERE tenant_id = ${tenantId}) AS "invoiceVersions",
             (SELECT count(*) FROM invoices WHERE tenant_id = ${tenantId} AND status = 'paid') AS "paidInvoices",
             (SELECT count(*) FROM deadlines WHERE tenant_id = ${tenantId} AND kind = ${INVOICE_REMINDER} AND status = 'open') AS "openReminders",
             (SELECT count(*) FROM audit_log WHERE tenant_id = ${tenantId}) AS "auditRows"`.execute(db)
  ).rows[0];
  if (row === undefined) throw new Error('no state row');
  return {
    payments: Number(row.payments),
    imports: Number(row.imports),
    invoiceVersions: Number(row.invoiceVersions),
    paidInvoices: Number(row.paidInvoices),
    openReminders: Number(row.openReminders),
    auditRows: Number(row.auditRows),
  };
}

interface BatchCheck {
  invoices: number;
  paidInFull: number;
  payments: number;
  bookedInFull: number;
  openReminders: number;
  metReminders: number;
}

/** Where invoices `from`…`to` stand: paid in full, their payments booked in full, their reminders closed. */
async function checkBatch(db: Db, tenantId: string, from: number, to: number): Promise<BatchCheck> {
  const prefix = reminderSource('');
  const row = (
    await sql<Record<keyof BatchCheck, number | string>>`
      WITH batch AS (SELECT * FROM invoices WHERE tenant_id = ${tenantId} AND year = ${YEAR} AND number BETWEEN ${from} AND ${to})
      SELECT (SELECT count(*) FROM batch) AS invoices,
             (SELECT count(*) FROM batch WHERE status = 'paid' AND paid_minor = amount_minor AND paid_on IS NOT NULL) AS "paidInFull",
             (SELECT count(*) FROM payments p JOIN batch b ON b.id = p.invoice_id) AS payments,
             (SELECT count(*) FROM payments p JOIN batch b ON b.id = p.invoice_id WHERE p.booked_minor = p.amount_minor AND p.amount_minor = b.amount_minor AND p.clarification IS NULL) AS "bookedInFull",
             (SELECT count(*) FROM deadlines d JOIN batch b ON d.source = ${prefix} || b.id::text WHERE d.tenant_id = ${tenantId} AND d.kind = ${INVOICE_REMINDER} AND d.status = 'open') AS "openReminders",
             (SELECT count(*) FROM deadlines d JOIN batch b ON d.source = ${prefix} || b.id::text WHERE d.tenant_id = ${tenantId} AND d.kind = ${INVOICE_REMINDER} AND d.status = 'met') AS "metReminders"`.execute(db)
  ).rows[0];
  if (row === undefined) throw new Error('no check row');
  return {
    invoices: Number(row.invoices),
    paidInFull: Number(row.paidInFull),
    payments: Number(row.payments),
    bookedInFull: Number(row.bookedInFull),
    openReminders: Number(row.openReminders),
    metReminders: Number(row.metReminders),
  };
}

function batchProblems(what: string, check: BatchCheck, n: number): string[] {
  const problems: string[] = [];
  if (check.invoices !== n) problems.push(`${what}: ${check.invoices} invoices instead of ${n}`);
  if (check.paidInFull !== n) problems.push(`${what}: ${check.paidInFull} of ${n} invoices paid in full`);
  if (check.payments !== n) problems.push(`${what}: ${check.payments} payments instead of ${n}`);
  if (check.bookedInFull !== n) problems.push(`${what}: ${check.bookedInFull} of ${n} payments booked in full without clarification`);
  if (check.openReminders !== 0) problems.push(`${what}: ${check.openReminders} reminders still open`);
  if (check.metReminders !== n) problems.push(`${what}: ${check.metReminders} of ${n} reminders closed as met`);
  return problems;
}

function summaryProblems(what: string, summary: ImportSummary, expected: { booked: number; clarification: number; known: number }): string[] {
  const { booked, clarification, known } = summary.counts;
  return booked === expected.booked && clarification === expected.clarification && known === expected.known
    ? []
    : [`${what}: booked ${booked}, clarification ${clarification}, known ${known}; expected booked ${expected.booked}, clarification ${expected.clarification}, known ${expected.known}`];
}

// ------------------------------------------------------------------ the raw SQL ceiling

type RawStepName = 'reads' | 'payment_imports' | 'payments' | 'invoices' | 'deadlines' | 'audit' | 'transaction';

const RAW_STEP_LABELS: Readonly<Record<RawStepName, string>> = {
  transaction: 'BEGIN, office scope (SET LOCAL role, mf.tenant), COMMIT',
  reads: 'reads: file known?, known entry keys, invoices locked by reference, booked invoices re-read',
  payment_imports: 'INSERT payment_imports (the import row)',
  payments: `INSERT payments (slices of ${formatInt(PAYMENT_SLICE)})`,
  invoices: 'UPDATE invoices … FROM (VALUES …) (one statement)',
  deadlines: 'UPDATE deadlines (reminders closed, one statement)',
  audit: `audit rows (one per ${formatInt(BOOKING_AUDIT_SLICE)} booked invoices, in one statement; one for the import)`,
};
/** The writes the brief names: payments, invoices, reminders (and the import row the payments point to). */
const RAW_WRITES: readonly RawStepName[] = ['payment_imports', 'payments', 'invoices', 'deadlines'];

interface RawFigures {
  ms: number;
  writesMs: number;
  steps: Array<{ step: RawStepName; statements: number; ms: number }>;
}

function placeholders(count: number, first: number): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}

/**
 * The statements `importCamt` sends for a fresh file, as the same SQL text on the bare driver
 * (PGlite's own `query()`, a dedicated `pg` connection for PostgreSQL), in one transaction in the
 * office's scope (the role and mf.tenant set for the transaction only, so row-level security applies
 * as for the service). The file is read and matched before the clock starts; building the
 * parameters is in. Pays invoices N+1…2N (the previewed file).
 */
async function rawCeiling(dataset: PersonsDataset, entries: readonly CamtEntry[], fileSha256: string, messageId: string): Promise<RawFigures> {
  const { raw, tenantId, actor } = dataset;
  const requestId = 'bench-finance-raw';
  const chain = `${tenantId}:${createHash('sha1').update(requestId).digest()[0]! % 4}`;
  const steps = new Map<RawStepName, { statements: number; ms: number }>();
  const run = async (step: RawStepName, text: string, parameters: readonly unknown[]): Promise<Row[]> => {
    const start = performance.now();
    const rows = await raw.query(text, parameters);
    const figure = steps.get(step) ?? { statements: 0, ms: 0 };
    figure.statements += 1;
    figure.ms += performance.now() - start;
    steps.set(step, figure);
    return rows;
  };

  const start = performance.now();
  await run('transaction', 'BEGIN', []);
  try {
    await run('transaction', `SELECT set_config('role', 'migraflow_tenant', true), set_config('mf.tenant', $1, true)`, [tenantId]);
    await run('reads', 'select * from "payment_imports" where "tenant_id" = $1 and "file_sha256" = $2', [tenantId, fileSha256]);
    const keys = entries.map((entry) => entry.key);
    await run('reads', `select "entry_key" from "payments" where "tenant_id" = $1 and "entry_key" in (${placeholders(keys.length, 2)})`, [tenantId, ...keys]);
    const references = [...new Set(entries.map((entry) => entry.reference).filter((r): r is string => r !== null))];
    const invoices = await run('reads', `select * from "invoices" where "tenant_id" = $1 and "reference" in (${placeholders(references.length, 2)}) order by "id" for update`, [tenantId, ...references]);
    const byReference = new Map(invoices.map((invoice) => [String(invoice.reference), invoice]));
    const planned = entries.map((entry) => {
      const invoice = entry.reference === null ? undefined : byReference.get(entry.reference);
      if (invoice === undefined || invoice.status !== 'open' || Number(invoice.amount_minor) !== entry.amountMinor) throw new Error(`raw ceiling: credit ${entry.position} does not pay an open invoice exactly`);
      return { entry, invoiceId: String(invoice.id), personId: String(invoice.person_id) };
    });

    const [imported] = await run(
      'payment_imports',
      'insert into "payment_imports" ("tenant_id", "file_sha256", "file_name", "standard", "message_id", "entries", "booked", "clarified", "known_before", "imported_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning "id"',
      [tenantId, fileSha256, 'camt054-bench-raw.xml', 'camt.054.001.08', messageId, planned.length, planned.length, 0, 0, actor.displayName],
    );
    const importId = String(imported?.id);
    const columns = ['tenant_id', 'import_id', 'source', 'entry_key', 'booking_date', 'value_date', 'amount_minor', 'currency', 'reference', 'debtor_name', 'debtor_iban', 'remittance_text', 'position', 'invoice_id', 'booked_minor', 'clarification', 'clarification_status', 'recorded_by'];
    for (let at = 0; at < planned.length; at += PAYMENT_SLICE) {
      const slice = planned.slice(at, at + PAYMENT_SLICE);
      const values = slice.map((_, i) => `(${placeholders(columns.length, 1 + i * columns.length)})`).join(', ');
      const parameters = slice.flatMap(({ entry, invoiceId }) => [
        tenantId, importId, 'bank', entry.key, entry.bookingDate ?? entry.valueDate, entry.valueDate, entry.amountMinor, entry.currency, entry.reference,
        entry.debtorName, entry.debtorIban, entry.remittanceText, entry.position, invoiceId, entry.amountMinor, null, null, actor.displayName,
      ]);
      await run('payments', `insert into "payments" (${columns.map((c) => `"${c}"`).join(', ')}) values ${values}`, parameters);
    }
    const ids = planned.map((p) => p.invoiceId);
    await run('reads', `select * from "invoices" where "id" in (${placeholders(ids.length, 1)})`, ids);
    await run(
      'invoices',
      `
    UPDATE invoices i
       SET paid_minor = i.paid_minor + v.add_minor,
           status = CASE WHEN i.paid_minor + v.add_minor >= i.amount_minor THEN 'paid' ELSE i.status END,
           paid_on = CASE WHEN i.paid_minor + v.add_minor >= i.amount_minor THEN v.paid_on END,
           version = i.version + 1
      FROM (VALUES ${planned.map((_, i) => `($${3 * i + 1}::uuid, $${3 * i + 2}::integer, $${3 * i + 3}::date)`).join(', ')}) AS v(id, add_minor, paid_on)
     WHERE i.id = v.id
 RETURNING i.*`,
      planned.flatMap(({ entry, invoiceId }) => [invoiceId, entry.amountMinor, entry.bookingDate]),
    );
    const sources = ids.map((id) => reminderSource(id));
    await run(
      'deadlines',
      `update "deadlines" set "status" = $1, "closed_at" = $2, "next_fire_at" = $3 where "tenant_id" = $4 and "source" in (${placeholders(sources.length, 5)}) and "status" = $${5 + sources.length}`,
      ['met', new Date(), null, tenantId, ...sources, 'open'],
    );
    // The service's append: one audit row per slice of 500 booked invoices, naming the persons in
    // details.results, all rows in one statement (appendAuditMany).
    const slices = [];
    for (let at = 0; at < planned.length; at += BOOKING_AUDIT_SLICE) slices.push(planned.slice(at, at + BOOKING_AUDIT_SLICE));
    const auditValues = slices.map((_, i) => {
      const p = 11 * i;
      return `($${p + 1}::integer, $${p + 2}, $${p + 3}::uuid, $${p + 4}::uuid, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10}, $${p + 11}::jsonb)`;
    });
    await run(
      'audit',
      `SELECT audit_append(chain, tenant, actor_id, actor_kind, actor_name, action, entity_type, entity_id, request_id, details)
    FROM (VALUES ${auditValues.join(', ')}) AS v(position, chain, tenant, actor_id, actor_kind, actor_name, action, entity_type, entity_id, request_id, details)
    ORDER BY position`,
      slices.flatMap((slice, i) => {
        const persons = [...new Set(slice.map(({ personId }) => personId))];
        return [
          i, chain, tenantId, actor.id, actor.kind, actor.name, 'finance.payment-booked', persons.length === 1 ? 'person' : null, persons.length === 1 ? persons[0] : null, requestId,
          JSON.stringify({ results: persons, invoices: slice.map(({ entry, invoiceId }) => ({ invoiceId, amount: decimalOf(entry.amountMinor), status: 'paid' })) }),
        ];
      }),
    );
    await run(
      'audit',
      'SELECT audit_append($1, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::jsonb) AS audit_id',
      [chain, tenantId, actor.id, actor.kind, actor.name, 'finance.camt-imported', 'payment-import', importId, requestId,
        JSON.stringify({ sha256: fileSha256, fileName: 'camt054-bench-raw.xml', messageId, booked: planned.length, clarified: 0, known: 0, invoices: ids })],
    );
    await run('transaction', 'COMMIT', []);
  } catch (error) {
    await raw.query('ROLLBACK', []).catch(() => undefined);
    throw error;
  }
  const ms = performance.now() - start;
  const list = (Object.keys(RAW_STEP_LABELS) as RawStepName[]).map((step) => ({ step, statements: steps.get(step)?.statements ?? 0, ms: steps.get(step)?.ms ?? 0 }));
  return { ms, writesMs: list.filter((s) => RAW_WRITES.includes(s.step)).reduce((sum, s) => sum + s.ms, 0), steps: list };
}

// ------------------------------------------------------------------ the run

function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count / ms) * 1000 : Number.NaN;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function roundStatements(statements: readonly StatementFigure[]): StatementFigure[] {
  return statements.map((s) => ({ statement: s.statement, count: s.count, ms: roundMs(s.ms) }));
}

async function runOn(kind: DatabaseKind, context: BenchContext, report: ReportOf): Promise<BenchReport> {
  const credits = context.options.persons ?? DEFAULT_CREDITS[kind];
  const persons = kind === 'postgres' ? PERSONS : Math.min(PERSONS, Math.max(MIN_PERSONS, credits));
  out(`## Bank file import (camt.054) — ${databaseLabel(kind)}`);
  out();
  // A fresh register each run: the benchmark books invoices.
  const dataset = await preparePersonsDataset({ ...datasetSource(kind, context.options), fresh: true, persons });
  try {
    const db = dataset.database.db as unknown as Db;
    const { tenantId, actor } = dataset;
    progress(`finance: ${formatInt(2 * credits)} open invoices with their reminders over ${formatInt(dataset.persons)} persons …`);
    const loadStart = performance.now();
    await createInvoices(db, tenantId, dataset.persons, 2 * credits);
    const invoiceLoadMs = performance.now() - loadStart;
    const analyzeMs = await vacuumAnalyze(db);
    const invoices = await invoicesOf(db, tenantId);
    if (invoices.length !== 2 * credits) throw new Error(`created ${invoices.length} invoices instead of ${2 * credits}`);

    // The bank's work, before the clock starts: file A pays invoices 1…N, file B invoices N+1…2N.
    const fileA = Buffer.from(buildCamt054({ messageId: `NTFC-BENCH-${credits}-A`, iban: QR_IBAN, month: MONTH, credits: creditsFor(invoices.slice(0, credits)) }));
    const fileB = Buffer.from(buildCamt054({ messageId: `NTFC-BENCH-${credits}-B`, iban: QR_IBAN, month: MONTH, credits: creditsFor(invoices.slice(credits)) }));
    const bookings = Math.ceil(credits / CREDITS_PER_BOOKING);

    const timer = new StatementTimer();
    const serviceDb = dataset.database.db.withPlugin(timer);
    const problems: string[] = [];

    // A running server has read bank files before: the reader's code is warm (file B, untimed), so
    // that the import's own reading takes what `readCamt` alone takes below.
    readCamt(fileB);

    // (1) the import
    progress(`finance: importing a camt.054 file with ${formatInt(credits)} credits (${megabytes(fileA.length)}) …`);
    const rssBefore = process.memoryUsage.rss();
    const { value: imported, peakRss } = await withRssPeak(() =>
      measured(`importCamt of a file with ${formatInt(credits)} credits`, timer, () => withTenantScope(tenantId, () => importCamt(serviceDb, { actor, requestId: 'bench-finance-import' }, fileA, 'camt054-bench.xml'))),
    );
    const memoryAfter = process.memoryUsage();
    problems.push(...summaryProblems('import', imported.summary, { booked: credits, clarification: 0, known: 0 }));
    // Reading alone, on the same bytes: the import's first phase.
    const readSamples: number[] = [];
    for (let i = 0; i < READ_REPEATS; i++) {
      const start = performance.now();
      const statement = readCamt(fileA);
      readSamples.push(performance.now() - start);
      if (statement.entries.length !== credits) problems.push(`readCamt found ${statement.entries.length} credits instead of ${credits}`);
    }
    const readMs = median(readSamples);

    // (2) the same file again: must change nothing.
    progress('finance: the same file again …');
    const stateBefore = await stateOf(db, tenantId);
    const again = await measured('importCamt of the same file again', timer, () => withTenantScope(tenantId, () => importCamt(serviceDb, { actor, requestId: 'bench-finance-again' }, fileA, 'camt054-bench.xml')));
    const stateAfter = await stateOf(db, tenantId);
    problems.push(...summaryProblems('same file again', again.summary, { booked: 0, clarification: 0, known: credits }));
    if (again.summary.alreadyImported === null) problems.push('same file again: not recognised as imported');
    if (JSON.stringify(stateBefore) !== JSON.stringify(stateAfter)) problems.push(`same file again changed the data: ${JSON.stringify(stateBefore)} → ${JSON.stringify(stateAfter)}`);

    // (3) the preview of a fresh file (invoices N+1…2N, all open).
    progress('finance: preview of a fresh file …');
    const preview = await measured(`previewCamt of a file with ${formatInt(credits)} credits`, timer, () => withTenantScope(tenantId, () => previewCamt(serviceDb, { actor, requestId: 'bench-finance-preview' }, fileB)));
    problems.push(...summaryProblems('preview', preview.summary, { booked: credits, clarification: 0, known: 0 }));

    // (4) the same statements straight on the database, booking file B.
    progress('finance: the same statements on the bare driver …');
    const statementB = readCamt(fileB);
    const rawFigures = await rawCeiling(dataset, statementB.entries, createHash('sha256').update(fileB).digest('hex'), statementB.messageId);

    // Correctness: the imported file paid invoices 1…N exactly, the raw statements N+1…2N; nothing to clarify.
    const checkA = await checkBatch(db, tenantId, 1, credits);
    const checkB = await checkBatch(db, tenantId, credits + 1, 2 * credits);
    problems.push(...batchProblems(`import (invoices 1–${credits})`, checkA, credits));
    problems.push(...batchProblems(`raw statements (invoices ${credits + 1}–${2 * credits})`, checkB, credits));
    const importPayments = Number((await sql<{ n: number | string }>`SELECT count(*) AS n FROM payments WHERE import_id = ${imported.summary.importId}::uuid`.execute(db)).rows[0]?.n ?? 0);
    if (importPayments !== credits) problems.push(`the import wrote ${importPayments} payments instead of ${credits}`);
    const clarifications = Number((await sql<{ n: number | string }>`SELECT count(*) AS n FROM payments WHERE tenant_id = ${tenantId} AND clarification IS NOT NULL`.execute(db)).rows[0]?.n ?? 0);
    if (clarifications !== 0) problems.push(`${clarifications} payments on the clarification list`);
    const finalState = await stateOf(db, tenantId);

    const otherMs = imported.ms - readMs - imported.sqlMs;
    out(`${describeHardware(context.hardware)}; ${dataset.description}; ${formatInt(dataset.persons)} persons; ${formatInt(2 * credits)} open invoices with reminders made in ${formatSeconds(invoiceLoadMs)} (VACUUM ANALYZE ${formatSeconds(analyzeMs)}).`);
    out();
    out(
      markdownTable(
        ['measure', 'figure'],
        [
          ['credits in the file (each pays one open invoice exactly)', formatInt(credits)],
          ['file', `camt.054.001.08, ${megabytes(fileA.length)}, ${formatInt(bookings)} collective credits of ≤ ${CREDITS_PER_BOOKING}`],
          ['**import** (`importCamt`, one transaction): wall time', formatSeconds(imported.ms)],
          ['import: credits/s', formatInt(perSecond(credits, imported.ms))],
          ['– reading the file (`readCamt` alone, same bytes, median of 3)', `${formatMs(readMs)} ms`],
          [`– SQL statements (${formatInt(imported.statementCount)}, built → result)`, `${formatMs(imported.sqlMs)} ms`],
          ['– the rest (hash, matching, building rows, BEGIN/COMMIT, scope)', `${formatMs(otherMs)} ms`],
          ['import outcome', `booked ${formatInt(imported.summary.counts.booked)}, clarification ${imported.summary.counts.clarification}, known ${imported.summary.counts.known}`],
          ['**same file again** (must change nothing): wall time', `${formatMs(again.ms)} ms (${formatInt(perSecond(credits, again.ms))} credits/s; SQL ${formatMs(again.sqlMs)} ms in ${again.statementCount} statements)`],
          ['same file again: outcome', `known ${formatInt(again.summary.counts.known)}; payments, imports, invoice versions, reminders, audit rows unchanged: ${JSON.stringify(stateBefore) === JSON.stringify(stateAfter) ? 'yes' : 'NO'}`],
          ['**preview** of a fresh file (`previewCamt`): wall time', `${formatMs(preview.ms)} ms (${formatInt(perSecond(credits, preview.ms))} credits/s; SQL ${formatMs(preview.sqlMs)} ms in ${preview.statementCount} statements)`],
          ['preview outcome', `would book ${formatInt(preview.summary.counts.booked)}, clarification ${preview.summary.counts.clarification}`],
          ['**raw ceiling**: the writes (import row, payments, invoices, reminders)', `${formatMs(rawFigures.writesMs)} ms (${formatInt(perSecond(credits, rawFigures.writesMs))} credits/s)`],
          ['raw ceiling: every statement of the import, in one transaction', `${formatMs(rawFigures.ms)} ms (${formatInt(perSecond(credits, rawFigures.ms))} credits/s)`],
          ['import ÷ raw (every statement)', (imported.ms / rawFigures.ms).toFixed(2)],
          ['process RSS before the import / after / peak during (sampled every 20 ms)', `${megabytes(rssBefore)} / ${megabytes(memoryAfter.rss)} / ${megabytes(peakRss)}`],
          ['JS heap used after the import', megabytes(memoryAfter.heapUsed)],
        ],
        ['left', 'right'],
      ),
    );
    out();
    out(`Statements of the import (${dataset.kind === 'pglite' ? 'PGlite in this process' : 'PostgreSQL'}), slowest first:`);
    out();
    out(
      markdownTable(
        ['statement', 'count', 'ms', 'share of the import'],
        imported.statements.map((s) => [s.statement, formatInt(s.count), formatMs(s.ms), `${((s.ms / imported.ms) * 100).toFixed(1)} %`]),
      ),
    );
    out();
    out('The same statements on the bare driver (raw ceiling, booking the previewed file):');
    out();
    out(markdownTable(['step', 'statements', 'ms'], rawFigures.steps.map((s) => [RAW_STEP_LABELS[s.step], formatInt(s.statements), formatMs(s.ms)])));
    out();
    out(`Check: invoices 1–${formatInt(credits)} paid in full ${formatInt(checkA.paidInFull)}, payments of the import ${formatInt(importPayments)}, booked without clarification ${formatInt(checkA.bookedInFull)}, reminders closed ${formatInt(checkA.metReminders)} (open ${checkA.openReminders}); clarification list ${clarifications}.`);
    out();

    if (problems.length > 0) {
      throw new Error(`finance benchmark: the import did not do what it must:\n- ${problems.join('\n- ')}`);
    }

    return report({
      environment: {
        database: dataset.description,
        persons: dataset.persons,
        invoices: 2 * credits,
        invoiceLoadMs: Math.round(invoiceLoadMs),
        analyzeMs: Math.round(analyzeMs),
        file: { standard: 'camt.054.001.08', bytes: fileA.length, credits, bookings },
      },
      results: {
        credits,
        import: {
          ms: roundMs(imported.ms),
          perSecond: Math.round(perSecond(credits, imported.ms)),
          readMs: roundMs(readMs),
          sqlMs: roundMs(imported.sqlMs),
          otherMs: roundMs(otherMs),
          statements: roundStatements(imported.statements),
          counts: imported.summary.counts,
        },
        sameFileAgain: { ms: roundMs(again.ms), sqlMs: roundMs(again.sqlMs), statements: roundStatements(again.statements), counts: again.summary.counts, unchanged: JSON.stringify(stateBefore) === JSON.stringify(stateAfter) },
        preview: { ms: roundMs(preview.ms), sqlMs: roundMs(preview.sqlMs), statements: roundStatements(preview.statements), counts: preview.summary.counts },
        raw: { ms: roundMs(rawFigures.ms), writesMs: roundMs(rawFigures.writesMs), steps: rawFigures.steps.map((s) => ({ ...s, ms: roundMs(s.ms) })) },
        importOverRaw: roundMs(imported.ms / rawFigures.ms),
        memory: { rssBeforeBytes: rssBefore, rssAfterBytes: memoryAfter.rss, peakRssBytes: peakRss, heapUsedAfterBytes: memoryAfter.heapUsed },
        check: { importBatch: checkA, rawBatch: checkB, importPayments, clarifications, finalState },
      },
      targets: [],
    });
  } finally {
    await dataset.close();
  }
}

export const financeBenchmark = defineBenchmark('finance', 'camt.054 bank file import: N credits paying N open invoices (import, same file again, preview, raw SQL)', runOn);
