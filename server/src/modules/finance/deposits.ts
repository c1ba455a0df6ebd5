import { addDays, format, parseISO } from 'date-fns';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, problems } from '../../platform/errors.js';
import { scheduleDeadline, closeDeadlinesOfSource } from '../deadlines/index.js';
import { latestMainPermit } from '../permits/index.js';
import { householdSizeOf, visiblePerson } from '../register/index.js';
import { book } from './booking.js';
import { issueInvoice, reminderSource, today } from './invoices.js';
import * as repo from './repository.js';
import { assessDeposit, instalmentPlan, mayDecideWaiver, MAX_INSTALMENTS, settleDeposit, type DepositAssessment, type DepositFacts } from './rules/deposit.js';
import type { LocalisedText } from './rules/fees.js';
import { formatMinor } from './rules/money.js';

const DEPOSIT_NAMES: LocalisedText = { de: 'Kaution', fr: 'Sûretés (caution)', it: 'Cauzione', en: 'Deposit (Kaution)' };
const INSTALMENT: LocalisedText = { de: 'Rate', fr: 'acompte', it: 'rata', en: 'instalment' };
const LEGAL_BASIS = 'NG § 15a';

async function personOrThrow(trx: Trx, context: RequestContext, personId: string) {
  const person = await visiblePerson(trx, context.actor, personId);
  if (!person) throw problems.notFound('person');
  return person;
}

/** The facts NG § 15a asks about, from the register: papers deposited, household, the permit. */
async function factsOf(trx: Trx, tenantId: string, personId: string, permitCategory: string, selfSupporting: boolean, date: string): Promise<DepositFacts> {
  const passport = await trx
    .selectFrom('deposited_papers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .where('kind', '=', 'passport')
    .where('returned_on', 'is', null)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', date)]))
    .executeTakeFirst();
  return { permitCategory, hasRecognisedValidPassport: passport !== undefined, selfSupporting, householdSize: await householdSizeOf(trx, personId) };
}

function notOwed(assessment: Extract<DepositAssessment, { owed: false }>): AppError {
  return new AppError(422, `deposit-not-owed-${assessment.reason}`);
}

export interface OrderInput {
  personId: string;
  caseId?: string | null;
  /** For a provisionally admitted person (F): lives without social assistance. */
  selfSupporting?: boolean;
  instalments?: number;
  firstDueOn?: string;
  language?: repo.Language;
}

async function createDeposit(trx: Trx, context: RequestContext, input: OrderInput, assessment: Extract<DepositAssessment, { owed: true }>): Promise<repo.DepositRow> {
  const tenantId = context.actor.tenantId;
  const instalments = input.instalments ?? 1;
  if (!Number.isInteger(instalments) || instalments < 1 || instalments > MAX_INSTALMENTS) throw new AppError(422, 'deposit-instalments', { max: MAX_INSTALMENTS });
  const orderedOn = today();
  const open = await repo.own(trx).selectFrom('deposits').select('id').where('tenant_id', '=', tenantId).where('person_id', '=', input.personId).where('status', 'in', ['required', 'waiver-requested', 'held']).executeTakeFirst();
  if (open) throw new AppError(409, 'deposit-exists');
  const deposit = await repo
    .own(trx)
    .insertInto('deposits')
    .values({ tenant_id: tenantId, person_id: input.personId, case_id: input.caseId ?? null, basis: assessment.basis, household: assessment.household, amount_minor: assessment.amountMinor, instalments, status: 'required', waiver_reason: null, waiver_requested_by: null, waiver_requested_by_id: null, waiver_decided_by: null, ordered_on: orderedOn, settled_on: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await ledger(trx, context, deposit, 'ordered', assessment.amountMinor, 0, null, `${assessment.basis}, ${assessment.household}, ${instalments} instalment(s)`);
  const firstDue = input.firstDueOn ?? format(addDays(parseISO(orderedOn), 30), 'yyyy-MM-dd');
  for (const instalment of instalmentPlan(assessment.amountMinor, instalments, firstDue)) {
    const text: LocalisedText = instalments === 1 ? DEPOSIT_NAMES : { de: `${DEPOSIT_NAMES.de}, ${INSTALMENT.de} ${instalment.number}/${instalments}`, fr: `${DEPOSIT_NAMES.fr}, ${INSTALMENT.fr} ${instalment.number}/${instalments}`, it: `${DEPOSIT_NAMES.it}, ${INSTALMENT.it} ${instalment.number}/${instalments}`, en: `${DEPOSIT_NAMES.en}, ${INSTALMENT.en} ${instalment.number}/${instalments}` };
    await issueInvoice(trx, context, { tenantId, personId: input.personId, caseId: input.caseId ?? null, depositId: deposit.id, kind: 'deposit', lines: [{ code: 'deposit', names: text, legalBasis: LEGAL_BASIS, amountMinor: instalment.amountMinor }], totalMinor: instalment.amountMinor, language: input.language ?? 'de', issuedOn: orderedOn, dueOn: instalment.dueOn });
  }
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.deposit-ordered', entityType: 'person', entityId: input.personId, details: { depositId: deposit.id, amount: formatMinor(assessment.amountMinor), basis: assessment.basis, instalments } });
  return deposit;
}

async function ledger(trx: Trx, context: RequestContext, deposit: repo.DepositRow, kind: repo.LedgerKind, amountMinor: number, heldMinor: number, invoiceId: string | null, note: string | null): Promise<void> {
  await repo.own(trx).insertInto('deposit_ledger').values({ tenant_id: deposit.tenant_id, deposit_id: deposit.id, person_id: deposit.person_id, entry_date: today(), kind, amount_minor: amountMinor, held_minor: heldMinor, invoice_id: invoiceId, note, recorded_by: context.actor.displayName }).execute();
}

/**
 * When a decision grants a B or C permit (or changes to one), the rule decides whether a deposit is
 * owed; if so it is ordered in the decision's transaction. Returns null when none is owed.
 */
export async function orderDepositIfOwed(trx: Trx, context: RequestContext, input: OrderInput & { category: string }): Promise<repo.DepositRow | null> {
  const facts = await factsOf(trx, context.actor.tenantId, input.personId, input.category, input.selfSupporting ?? false, today());
  const assessment = assessDeposit(facts);
  if (!assessment.owed) return null;
  const existing = await repo.own(trx).selectFrom('deposits').select('id').where('tenant_id', '=', context.actor.tenantId).where('person_id', '=', input.personId).where('status', 'in', ['required', 'waiver-requested', 'held', 'waived']).executeTakeFirst();
  if (existing) return null;
  return createDeposit(trx, context, input, assessment);
}

/** A deposit ordered by hand (e.g. for a provisionally admitted person who supports themselves): the rule still decides. */
export async function orderDeposit(db: Db, context: RequestContext, input: OrderInput): Promise<ReturnType<typeof depositDto>> {
  return inTransaction(db, async (trx) => {
    await personOrThrow(trx, context, input.personId);
    const permit = await latestMainPermit(trx, input.personId);
    const facts = await factsOf(trx, context.actor.tenantId, input.personId, permit?.category ?? '', input.selfSupporting ?? false, today());
    const assessment = assessDeposit(facts);
    if (!assessment.owed) throw notOwed(assessment);
    return depositDto(await createDeposit(trx, context, input, assessment), 0);
  });
}

async function lockDeposit(trx: Trx, context: RequestContext, id: string, expectedVersion: number): Promise<repo.DepositRow> {
  const deposit = await repo.own(trx).selectFrom('deposits').selectAll().where('tenant_id', '=', context.actor.tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!deposit) throw problems.notFound('deposit');
  await personOrThrow(trx, context, deposit.person_id);
  if (deposit.version !== expectedVersion) throw problems.versionConflict(deposit.version);
  return deposit;
}

async function saveDeposit(trx: Trx, deposit: repo.DepositRow, set: Partial<repo.DepositRow>): Promise<repo.DepositRow> {
  return repo.own(trx).updateTable('deposits').set({ ...set, version: deposit.version + 1 }).where('id', '=', deposit.id).returningAll().executeTakeFirstOrThrow();
}

/** Asks to waive the deposit in hardship; a second person decides. */
export async function requestWaiver(db: Db, context: RequestContext, id: string, expectedVersion: number, reason: string) {
  return inTransaction(db, async (trx) => {
    const deposit = await lockDeposit(trx, context, id, expectedVersion);
    if (deposit.status !== 'required') throw new AppError(409, 'deposit-state', { status: deposit.status });
    if (reason.trim() === '') throw new AppError(422, 'waiver-reason-required');
    const saved = await saveDeposit(trx, deposit, { status: 'waiver-requested', waiver_reason: reason.trim(), waiver_requested_by: context.actor.displayName, waiver_requested_by_id: context.actor.id });
    const held = await repo.heldOf(trx, id);
    await ledger(trx, context, saved, 'waiver-requested', 0, held, null, reason.trim());
    await trx.insertInto('notifications').values({ tenant_id: deposit.tenant_id, recipient_role: 'team-lead', recipient_unit_id: null, recipient_user_id: null, case_id: deposit.case_id, kind: 'deposit-waiver-requested', message: JSON.stringify({ depositId: id, personId: deposit.person_id, requestedBy: context.actor.displayName }) }).execute();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.deposit-waiver-requested', entityType: 'person', entityId: deposit.person_id, details: { depositId: id } });
    return depositDto(saved, held);
  });
}

/**
 * The second person's decision on a waiver. Approved: the open instalments are cancelled and what
 * was already paid goes back; refused: the deposit is owed as before.
 */
export async function decideWaiver(db: Db, context: RequestContext, id: string, expectedVersion: number, approve: boolean, comment: string | undefined) {
  return inTransaction(db, async (trx) => {
    const deposit = await lockDeposit(trx, context, id, expectedVersion);
    if (deposit.status !== 'waiver-requested') throw new AppError(409, 'deposit-state', { status: deposit.status });
    if (!mayDecideWaiver(deposit.waiver_requested_by_id, context.actor.id)) throw new AppError(403, 'waiver-own-request');
    let held = await repo.heldOf(trx, id);
    let saved: repo.DepositRow;
    if (approve) {
      saved = await saveDeposit(trx, deposit, { status: 'waived', waiver_decided_by: context.actor.displayName });
      await cancelOpenInstalments(trx, deposit);
      await ledger(trx, context, saved, 'waived', deposit.amount_minor, held, null, comment?.trim() || null);
      if (held > 0) {
        await ledger(trx, context, saved, 'released', held, 0, null, null);
        held = 0;
      }
    } else {
      saved = await saveDeposit(trx, deposit, { status: held >= deposit.amount_minor ? 'held' : 'required', waiver_decided_by: context.actor.displayName });
      await ledger(trx, context, saved, 'waiver-refused', 0, held, null, comment?.trim() || null);
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: approve ? 'finance.deposit-waived' : 'finance.deposit-waiver-refused', entityType: 'person', entityId: deposit.person_id, details: { depositId: id, requestedBy: deposit.waiver_requested_by } });
    return depositDto(saved, held);
  });
}

async function cancelOpenInstalments(trx: Trx, deposit: repo.DepositRow): Promise<void> {
  const open = await repo.own(trx).updateTable('invoices').set((eb) => ({ status: 'cancelled', version: eb('version', '+', 1) })).where('deposit_id', '=', deposit.id).where('status', '=', 'open').returning('id').execute();
  await closeDeadlinesOfSource(trx, deposit.tenant_id, open.map((invoice) => reminderSource(invoice.id)), 'cancelled');
}

/**
 * On departure: the deposit pays the person's open fees and fines first, the rest goes back to
 * them; instalments not yet paid are no longer asked for.
 */
export async function settle(db: Db, context: RequestContext, id: string, expectedVersion: number) {
  return inTransaction(db, async (trx) => {
    const deposit = await lockDeposit(trx, context, id, expectedVersion);
    // A waiver still pending is moot once the person leaves: the deposit is settled as it stands.
    if (!['held', 'required', 'waiver-requested'].includes(deposit.status)) throw new AppError(409, 'deposit-state', { status: deposit.status });
    await cancelOpenInstalments(trx, deposit);
    let held = await repo.heldOf(trx, id);
    const claims = await repo.own(trx).selectFrom('invoices').selectAll().where('tenant_id', '=', deposit.tenant_id).where('person_id', '=', deposit.person_id).where('status', '=', 'open').where('kind', '!=', 'deposit').forUpdate().execute();
    const settlement = settleDeposit(held, claims.map((c) => ({ invoiceId: c.id, openMinor: c.amount_minor - c.paid_minor, dueOn: c.due_on })));
    const day = today();
    for (const offset of settlement.offsets) {
      const claim = claims.find((c) => c.id === offset.invoiceId);
      if (!claim) continue;
      await repo.own(trx).insertInto('payments').values({ tenant_id: deposit.tenant_id, source: 'deposit', booking_date: day, amount_minor: offset.amountMinor, currency: claim.currency, reference: claim.reference, invoice_id: claim.id, booked_minor: offset.amountMinor, clarification: null, clarification_status: null, remittance_text: `Kaution ${id}`, recorded_by: context.actor.displayName }).execute();
      await book(trx, context, claim, offset.amountMinor, day);
      held -= offset.amountMinor;
      await ledger(trx, context, deposit, 'offset', offset.amountMinor, held, claim.id, null);
    }
    if (settlement.releaseMinor > 0) await ledger(trx, context, deposit, 'released', settlement.releaseMinor, 0, null, null);
    const saved = await saveDeposit(trx, deposit, { status: 'settled', settled_on: day });
    await closeDeadlinesOfSource(trx, deposit.tenant_id, `deposit:${id}`, 'met');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.deposit-settled', entityType: 'person', entityId: deposit.person_id, details: { depositId: id, offsets: settlement.offsets.length, released: formatMinor(settlement.releaseMinor) } });
    return depositDto(saved, 0);
  });
}

/** On departure a held deposit must be settled: a deadline puts it in the caseworkers' list. */
export async function remindSettlementOnDeparture(trx: Trx, _context: RequestContext, personId: string, date: string): Promise<void> {
  const deposits = await repo.own(trx).selectFrom('deposits').select(['id', 'tenant_id', 'case_id']).where('person_id', '=', personId).where('status', 'in', ['required', 'waiver-requested', 'held']).execute();
  for (const deposit of deposits) {
    await scheduleDeadline(trx, { tenantId: deposit.tenant_id, personId, caseId: deposit.case_id, kind: 'deposit-settlement', legalBasis: 'NG § 15a: on departure the deposit is released or offset against open public claims', dueDate: date, source: `deposit:${deposit.id}` });
  }
}

export function depositDto(row: repo.DepositRow, heldMinor: number) {
  return {
    id: row.id,
    personId: row.person_id,
    caseId: row.case_id,
    basis: row.basis,
    household: row.household,
    amount: formatMinor(row.amount_minor),
    held: formatMinor(heldMinor),
    instalments: row.instalments,
    status: row.status,
    waiverReason: row.waiver_reason,
    waiverRequestedBy: row.waiver_requested_by,
    waiverRequestedById: row.waiver_requested_by_id,
    waiverDecidedBy: row.waiver_decided_by,
    orderedOn: row.ordered_on,
    settledOn: row.settled_on,
    version: row.version,
  };
}

/** The person's deposits with the ledger of every movement. */
export async function depositsOfPerson(db: Db, context: RequestContext, personId: string) {
  return inTransaction(db, async (trx) => {
    await personOrThrow(trx, context, personId);
    const deposits = await repo.depositsOf(trx, context.actor.tenantId, personId);
    const entries = await repo.ledgerOf(trx, context.actor.tenantId, personId);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.deposits-read', entityType: 'person', entityId: personId }, { read: true });
    return {
      deposits: deposits.map((d) => depositDto(d, entries.filter((e) => e.deposit_id === d.id).at(-1)?.held_minor ?? 0)),
      ledger: entries.map((e) => ({ depositId: e.deposit_id, date: e.entry_date, kind: e.kind, amount: formatMinor(e.amount_minor), held: formatMinor(e.held_minor), invoiceId: e.invoice_id, note: e.note, recordedBy: e.recorded_by })),
    };
  });
}
