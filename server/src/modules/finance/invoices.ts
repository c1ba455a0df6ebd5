import { addDays, format, parseISO } from 'date-fns';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, problems } from '../../platform/errors.js';
import { scheduleDeadline, type DueDeadline } from '../deadlines/index.js';
import { currentMainResidence, visiblePerson } from '../register/index.js';
import { feeScheduleOf } from './fee-schedule.js';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.js';
import * as repo from './repository.js';
import { adjustFee, feeForStep, FeeAdjustmentError, type ComputedFee, type FeeAdjustment, type FeeLine, type LocalisedText } from './rules/fees.js';
import { fineProblem, type ReminderFact } from './rules/fines.js';
import { formatMinor } from './rules/money.js';
import { invoiceNumberText, referenceFor } from './rules/references.js';
import { amountOrProblem } from './amounts.js';

/** Days after the due date before a reminder goes out: bank transfers take a few days to arrive. */
export const REMINDER_GRACE_DAYS = 5;
/** A reminder gives this many days more; after the second one the claim goes to collection. */
export const REMINDER_DAYS = 10;
export const MAX_REMINDERS = 2;
export const INVOICE_REMINDER = 'invoice-reminder';

const isoDay = (date: Date) => format(date, 'yyyy-MM-dd');
export const today = () => isoDay(new Date());

export interface TenantFinance {
  country: 'CH' | 'DE';
  currency: 'CHF' | 'EUR';
  paymentDays: number;
  settings: repo.SettingsRow | null;
}

/** A Swiss office invoices in francs, a German one in euros. */
function currencyOf(country: 'CH' | 'DE'): 'CHF' | 'EUR' {
  return country === 'CH' ? 'CHF' : 'EUR';
}

export async function tenantFinance(db: Db | Trx, tenantId: string): Promise<TenantFinance> {
  const tenant = await db.selectFrom('tenants').select('country').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = await repo.settingsOf(db, tenantId);
  return { country: tenant.country, currency: currencyOf(tenant.country), paymentDays: settings?.payment_days ?? 30, settings };
}

/** A fee as the API shows it: amounts as decimal text, like every amount of the API. */
export function feeDto(fee: { currency: string; totalMinor: number; lines: FeeLine[]; validFrom?: string | null }) {
  return {
    currency: fee.currency,
    validFrom: fee.validFrom ?? null,
    total: formatMinor(fee.totalMinor),
    lines: fee.lines.map((line) => ({ code: line.code, names: line.names, legalBasis: line.legalBasis, amount: formatMinor(line.amountMinor) })),
  };
}

export interface FeePreview {
  currency: 'CHF' | 'EUR';
  validFrom: string | null;
  totalMinor: number;
  lines: FeeLine[];
}

/**
 * What steps of a case will cost if taken on a day, in the order given: shown before the decision.
 * One look at the office's country serves every step (the case page asks for all its steps).
 */
export async function feePreviews(db: Db | Trx, tenantId: string, caseType: string, transitions: readonly string[], date: string): Promise<FeePreview[]> {
  const { country } = await db.selectFrom('tenants').select('country').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const schedule = feeScheduleOf(country);
  const currency = currencyOf(country);
  return transitions.map((transition) => ({ currency, ...feeForStep(schedule, caseType, transition, date) }));
}

export interface IssueInput {
  tenantId: string;
  personId: string;
  caseId: string | null;
  depositId?: string | null;
  kind: repo.InvoiceKind;
  beneficiaryBfs?: number | null;
  lines: FeeLine[];
  totalMinor: number;
  adjustmentReason?: string | null;
  language: repo.Language;
  issuedOn: string;
  dueOn?: string;
}

/** Issues an invoice with the next number and its payment reference, and starts its reminder. */
export async function issueInvoice(trx: Trx, context: RequestContext, input: IssueInput): Promise<repo.InvoiceRow> {
  const finance = await tenantFinance(trx, input.tenantId);
  const year = Number(input.issuedOn.slice(0, 4));
  const number = await repo.nextInvoiceNumber(trx, input.tenantId, year);
  const dueOn = input.dueOn ?? isoDay(addDays(parseISO(input.issuedOn), finance.paymentDays));
  const invoice = await repo.insertInvoice(trx, {
    tenant_id: input.tenantId,
    person_id: input.personId,
    case_id: input.caseId,
    deposit_id: input.depositId ?? null,
    year,
    number,
    reference: referenceFor(finance.country, year, number),
    kind: input.kind,
    beneficiary_bfs: input.beneficiaryBfs ?? null,
    currency: finance.currency,
    lines: JSON.stringify(input.lines),
    adjustment_reason: input.adjustmentReason ?? null,
    amount_minor: input.totalMinor,
    // A fee waived in full is recorded (the account shows what was let off) but asks nothing.
    status: input.totalMinor === 0 ? 'waived' : 'open',
    language: input.language,
    issued_on: input.issuedOn,
    due_on: dueOn,
    created_by: context.actor.displayName,
  });
  if (invoice.status === 'open') await scheduleReminder(trx, invoice, dueOn);
  await appendAudit(trx, subjectOf(context.actor, context.requestId), {
    action: 'finance.invoice-issued',
    entityType: 'person',
    entityId: input.personId,
    details: { invoiceId: invoice.id, number: invoiceNumberText(year, number), kind: input.kind, amount: formatMinor(input.totalMinor), caseId: input.caseId },
  });
  return invoice;
}

async function scheduleReminder(trx: Trx, invoice: repo.InvoiceRow, dueOn: string): Promise<void> {
  await scheduleDeadline(trx, {
    tenantId: invoice.tenant_id,
    personId: invoice.person_id,
    caseId: invoice.case_id,
    kind: INVOICE_REMINDER,
    legalBasis: `Invoice ${invoiceNumberText(invoice.year, invoice.number)} due on ${dueOn}: reminder if unpaid`,
    dueDate: isoDay(addDays(parseISO(dueOn), REMINDER_GRACE_DAYS)),
    source: reminderSource(invoice.id),
    reminderDays: 0,
  });
}

/**
 * The reminder (Mahnung) when an invoice is still unpaid after its due date and a few days' grace:
 * the invoice is reminded with a new deadline; after the last reminder the team leads are told
 * to hand the claim to collection.
 */
export async function onInvoiceReminderDue(trx: Trx, deadline: DueDeadline): Promise<void> {
  const invoiceId = deadline.source.startsWith('invoice:') ? deadline.source.slice('invoice:'.length) : null;
  if (!invoiceId) return;
  const invoice = await repo.lockInvoice(trx, deadline.tenant_id, invoiceId);
  if (!invoice || invoice.status !== 'open') return;
  if (invoice.reminder_level >= MAX_REMINDERS) {
    await trx
      .insertInto('notifications')
      .values({ tenant_id: invoice.tenant_id, recipient_role: 'team-lead', recipient_unit_id: null, recipient_user_id: null, case_id: invoice.case_id, kind: 'invoice-collection', message: JSON.stringify({ invoiceId: invoice.id, number: invoiceNumberText(invoice.year, invoice.number), open: formatMinor(invoice.amount_minor - invoice.paid_minor), personId: invoice.person_id }) })
      .execute();
    return;
  }
  const level = invoice.reminder_level + 1;
  const newDue = isoDay(addDays(parseISO(deadline.working_due_date), REMINDER_DAYS));
  const reminded = await repo.own(trx).updateTable('invoices').set({ reminder_level: level, reminder_due_on: newDue, version: invoice.version + 1 }).where('id', '=', invoice.id).returningAll().executeTakeFirstOrThrow();
  await scheduleReminder(trx, reminded, newDue);
  await trx
    .insertInto('notifications')
    .values({ tenant_id: invoice.tenant_id, recipient_role: 'caseworker', recipient_unit_id: deadline.unit_id, recipient_user_id: deadline.assignee_id, case_id: invoice.case_id, kind: 'invoice-reminded', message: JSON.stringify({ invoiceId: invoice.id, number: invoiceNumberText(invoice.year, invoice.number), level, dueOn: newDue, personId: invoice.person_id }) })
    .execute();
}

// --- charged by cases ------------------------------------------------------------------------------

export interface CaseStepCharge {
  tenantId: string;
  personId: string;
  caseId: string;
  caseType: string;
  transition: string;
  language: repo.Language;
  date: string;
  adjustment?: FeeAdjustment;
}

/**
 * The fee a step will charge, with the caseworker's reduction or waiver applied; refuses an
 * adjustment without a reason or above the tariff. Asked when a decision is proposed too, so that
 * the second person is not the first to hear of it.
 */
export async function adjustedStepFee(db: Db | Trx, step: Omit<CaseStepCharge, 'personId' | 'caseId' | 'language'>): Promise<(ComputedFee & { reason: string | null }) | null> {
  const finance = await tenantFinance(db, step.tenantId);
  const fee = feeForStep(feeScheduleOf(finance.country), step.caseType, step.transition, step.date);
  if (fee.lines.length === 0) {
    if (step.adjustment) throw new AppError(422, 'fee-nothing-to-adjust');
    return null;
  }
  try {
    return adjustFee(fee, step.adjustment);
  } catch (error) {
    if (error instanceof FeeAdjustmentError) {
      throw error.problem === 'reason-missing' ? new AppError(422, 'fee-reason-required') : new AppError(422, 'fee-not-a-reduction', { fee: `${finance.currency} ${formatMinor(fee.totalMinor)}` });
    }
    throw error;
  }
}

/** Charges the fee of a case step in the step's transaction; a step the schedule does not charge costs nothing. */
export async function chargeCaseStep(trx: Trx, context: RequestContext, step: CaseStepCharge): Promise<repo.InvoiceRow | null> {
  const adjusted = await adjustedStepFee(trx, step);
  if (!adjusted) return null;
  return issueInvoice(trx, context, { tenantId: step.tenantId, personId: step.personId, caseId: step.caseId, kind: 'fee', lines: adjusted.lines, totalMinor: adjusted.totalMinor, adjustmentReason: adjusted.reason, language: step.language, issuedOn: step.date });
}

const FINE_NAMES: LocalisedText = { de: 'Busse wegen Verletzung der Meldepflicht', fr: 'Amende pour violation de l’obligation de s’annoncer', it: 'Multa per violazione dell’obbligo di notificarsi', en: 'Fine for breach of the duty to register' };
const OBLIGATION_NAMES: Record<'fee' | 'deposit', LocalisedText> = {
  fee: { de: 'Gebühr', fr: 'Émolument', it: 'Emolumento', en: 'Fee' },
  deposit: { de: 'Kaution', fr: 'Sûretés (caution)', it: 'Cauzione', en: 'Deposit (Kaution)' },
};

/** Refuses a fine NG § 18 does not allow, at the moment it is decided (before any appeal period runs). */
export function checkFine(amountText: string, reminder: ReminderFact | null, date: string): void {
  const amountMinor = amountOrProblem(amountText, { allowZero: true });
  const problem = fineProblem(amountMinor, reminder, date);
  if (problem === null) return;
  if (problem === 'fine-reminder-running' && reminder) throw new AppError(422, problem, { date: reminder.dueDate });
  throw new AppError(422, problem, { amount: amountText });
}

export interface CaseObligation {
  tenantId: string;
  personId: string;
  caseId: string;
  kind: 'fee' | 'fine' | 'deposit';
  amountText: string;
  payWithinDays: number;
  language: repo.Language;
  date: string;
  legalBasis: string;
}

/**
 * A sum a decision ordered (a fine when it comes into force, a fee): invoiced to the person.
 * A fine goes to the municipality the person lives in (NG § 18).
 */
export async function invoiceCaseObligation(trx: Trx, context: RequestContext, obligation: CaseObligation): Promise<repo.InvoiceRow> {
  const amountMinor = amountOrProblem(obligation.amountText);
  let beneficiaryBfs: number | null = null;
  if (obligation.kind === 'fine') {
    const residence = await currentMainResidence(trx, obligation.personId);
    beneficiaryBfs = residence?.municipality_bfs ?? null;
  }
  const names = obligation.kind === 'fine' ? FINE_NAMES : OBLIGATION_NAMES[obligation.kind];
  return issueInvoice(trx, context, {
    tenantId: obligation.tenantId,
    personId: obligation.personId,
    caseId: obligation.caseId,
    kind: obligation.kind,
    beneficiaryBfs,
    lines: [{ code: obligation.kind, names, legalBasis: obligation.legalBasis, amountMinor }],
    totalMinor: amountMinor,
    language: obligation.language,
    issuedOn: obligation.date,
    dueOn: isoDay(addDays(parseISO(obligation.date), obligation.payWithinDays)),
  });
}

// --- reading -------------------------------------------------------------------------------------

export function invoiceDto(row: repo.InvoiceRow, payments: repo.PaymentRow[] = []) {
  return {
    id: row.id,
    number: invoiceNumberText(row.year, row.number),
    personId: row.person_id,
    caseId: row.case_id,
    depositId: row.deposit_id,
    kind: row.kind,
    status: row.status,
    reference: row.reference,
    currency: row.currency,
    amount: formatMinor(row.amount_minor),
    paid: formatMinor(row.paid_minor),
    open: formatMinor(row.status === 'open' ? row.amount_minor - row.paid_minor : 0),
    beneficiaryBfs: row.beneficiary_bfs,
    lines: (row.lines as FeeLine[]).map((line) => ({ code: line.code, names: line.names, legalBasis: line.legalBasis, amount: formatMinor(line.amountMinor) })),
    adjustmentReason: row.adjustment_reason,
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    paidOn: row.paid_on,
    reminderLevel: row.reminder_level,
    reminderDueOn: row.reminder_due_on,
    language: row.language,
    version: row.version,
    payments: payments
      .filter((p) => p.invoice_id === row.id)
      .map((p) => ({ id: p.id, source: p.source, bookingDate: p.booking_date, amount: formatMinor(p.amount_minor), booked: formatMinor(p.booked_minor), clarification: p.clarification, clarificationStatus: p.clarification_status })),
  };
}

export type InvoiceDto = ReturnType<typeof invoiceDto>;

async function personOrThrow(trx: Trx, context: RequestContext, personId: string) {
  const person = await visiblePerson(trx, context.actor, personId);
  if (!person) throw problems.notFound('person');
  return person;
}

export async function invoicesOfPerson(db: Db, context: RequestContext, personId: string): Promise<InvoiceDto[]> {
  return inTransaction(db, async (trx) => {
    await personOrThrow(trx, context, personId);
    const rows = await repo.invoicesOf(trx, context.actor.tenantId, { personId });
    const payments = await repo.paymentsOfInvoices(trx, rows.map((r) => r.id));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.invoices-read', entityType: 'person', entityId: personId }, { read: true });
    return rows.map((row) => invoiceDto(row, payments));
  });
}

export async function invoicesOfCase(db: Db, context: RequestContext, caseId: string): Promise<InvoiceDto[]> {
  return inTransaction(db, async (trx) => {
    const found = await trx.selectFrom('cases').select('person_id').where('tenant_id', '=', context.actor.tenantId).where('id', '=', caseId).executeTakeFirst();
    if (!found) throw problems.notFound('case');
    await personOrThrow(trx, context, found.person_id);
    const rows = await repo.invoicesOf(trx, context.actor.tenantId, { caseId });
    const payments = await repo.paymentsOfInvoices(trx, rows.map((r) => r.id));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.invoices-read', entityType: 'case', entityId: caseId, details: { personId: found.person_id } }, { read: true });
    return rows.map((row) => invoiceDto(row, payments));
  });
}

/** An invoice the caller may see: of the office, about a person visible to them. */
export async function visibleInvoice(trx: Trx, context: RequestContext, id: string): Promise<repo.InvoiceRow> {
  const invoice = await repo.invoiceById(trx, context.actor.tenantId, id);
  if (!invoice) throw problems.notFound('invoice');
  await personOrThrow(trx, context, invoice.person_id);
  return invoice;
}

export async function readInvoice(db: Db, context: RequestContext, id: string): Promise<InvoiceDto> {
  return inTransaction(db, async (trx) => {
    const invoice = await visibleInvoice(trx, context, id);
    const payments = await repo.paymentsOfInvoices(trx, [invoice.id]);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.invoice-read', entityType: 'person', entityId: invoice.person_id, details: { invoiceId: id } }, { read: true });
    return invoiceDto(invoice, payments);
  });
}

/** The invoice as PDF in the addressee's language, with the QR-bill (CH) or GiroCode (DE) to pay it. */
export async function invoicePdf(db: Db, context: RequestContext, id: string): Promise<{ fileName: string; pdf: Buffer }> {
  const document = await inTransaction(db, async (trx) => {
    const invoice = await visibleInvoice(trx, context, id);
    // Only an open invoice asks for money; paid, waived or cancelled ones have nothing to pay.
    if (invoice.status !== 'open') throw new AppError(409, 'invoice-not-open', { status: invoice.status });
    const finance = await tenantFinance(trx, invoice.tenant_id);
    const settings = finance.settings;
    if (!settings) throw new AppError(409, 'finance-not-configured');
    const person = await personOrThrow(trx, context, invoice.person_id);
    const residence = await currentMainResidence(trx, invoice.person_id);
    const beneficiary = invoice.beneficiary_bfs === null ? null : await trx.selectFrom('residences').select('municipality_name').where('municipality_bfs', '=', invoice.beneficiary_bfs).limit(1).executeTakeFirst();
    const caseReference = invoice.case_id === null ? null : await trx.selectFrom('cases').select('reference').where('id', '=', invoice.case_id).executeTakeFirst();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.invoice-printed', entityType: 'person', entityId: invoice.person_id, details: { invoiceId: id } }, { read: true });
    return invoiceDocument(invoice, { ...finance, settings }, person, residence ?? null, beneficiary?.municipality_name ?? null, caseReference?.reference ?? null);
  });
  return { fileName: `invoice-${document.number}.pdf`, pdf: await renderInvoicePdf(document) };
}

const SUBJECTS: Record<repo.InvoiceKind, LocalisedText> = {
  fee: { de: 'Gebühren', fr: 'Émoluments', it: 'Emolumenti', en: 'Fees' },
  fine: { de: 'Busse (NG § 18)', fr: 'Amende (NG § 18)', it: 'Multa (NG § 18)', en: 'Fine (NG § 18)' },
  deposit: { de: 'Kaution (NG § 15a)', fr: 'Sûretés (NG § 15a)', it: 'Cauzione (NG § 15a)', en: 'Deposit (NG § 15a)' },
};
const PAID_TEXT: LocalisedText = { de: 'Bereits bezahlt', fr: 'Déjà payé', it: 'Già pagato', en: 'Already paid' };
const CASE_WORD: LocalisedText = { de: 'Fall', fr: 'dossier', it: 'pratica', en: 'case' };

function invoiceDocument(
  invoice: repo.InvoiceRow,
  finance: TenantFinance & { settings: repo.SettingsRow },
  person: { officialName: string; firstNames: string },
  residence: { street: string | null; house_number: string | null; postal_code: string | null; town: string | null; municipality_name: string } | null,
  beneficiary: string | null,
  caseReference: string | null,
): InvoiceDocument {
  const language = invoice.language;
  const settings = finance.settings;
  return {
    country: finance.country,
    language,
    number: invoiceNumberText(invoice.year, invoice.number),
    issuedOn: invoice.issued_on,
    // A reminder asks for payment by its own new date.
    dueOn: invoice.reminder_due_on ?? invoice.due_on,
    reminderLevel: invoice.reminder_level,
    creditor: {
      name: settings.creditor_name,
      office: settings.office_name,
      street: settings.street,
      ...(settings.building_number ? { buildingNumber: settings.building_number } : {}),
      postalCode: settings.postal_code,
      town: settings.town,
      country: settings.country,
      account: settings.account,
      ...(settings.bic ? { bic: settings.bic } : {}),
    },
    debtor: residence
      ? {
          name: `${person.firstNames} ${person.officialName}`.slice(0, 70),
          street: residence.street ?? '',
          ...(residence.house_number ? { buildingNumber: residence.house_number } : {}),
          postalCode: residence.postal_code ?? '',
          town: residence.town ?? residence.municipality_name,
          country: finance.country,
        }
      : null,
    reference: invoice.reference,
    currency: invoice.currency,
    subject: caseReference ? `${SUBJECTS[invoice.kind][language]} – ${CASE_WORD[language]} ${caseReference}` : SUBJECTS[invoice.kind][language],
    lines: [
      ...(invoice.lines as FeeLine[]).map((line) => ({ text: line.names[language], legalBasis: line.legalBasis, amountMinor: line.amountMinor })),
      // A partly paid invoice asks only for the rest.
      ...(invoice.paid_minor > 0 ? [{ text: PAID_TEXT[language], legalBasis: '', amountMinor: -invoice.paid_minor }] : []),
    ],
    totalMinor: invoice.amount_minor - invoice.paid_minor,
    ...(beneficiary ? { beneficiary } : {}),
  };
}

/** The deadlines an invoice starts carry this source; a payment in full closes them. */
export function reminderSource(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}
