import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import { paperTypeOf, type PaperMediaType } from '../../platform/files.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import { AppError, invalidFields, problems, type DomainFieldError } from '../../platform/errors.js';
import { closeCaseDeadlines, deadlinesOfCase, earliestOpenDueDate, nextWorkingDayOf, scheduleDeadline, type DueDeadline } from '../deadlines/index.js';
import { documentsOfCase, storeDocument } from '../documents/index.js';
import { amountOrProblem as amountOf, chargeCaseStep, checkFine, feeDto, feePreviews, adjustedStepFee, type FeeAdjustment } from '../finance/index.js';
import { latestMainPermit } from '../permits/index.js';
import { visiblePerson } from '../register/index.js';
import { caseTypeById, currentCaseType, type LoadedCaseType } from './case-types.js';
import { applyEffect } from './effects.js';
import { announceCaseChange, type CaseChange } from './events.js';
import { produceLetter } from './letters.js';
import * as repo from './repository.js';
import type { CaseRow, CaseScope } from './repository.js';
import type { CaseEffect, CaseTransition, CaseTypeDefinition, Language } from './rules/definition.js';
import { afterAppeal, appealPeriodEnd, effectsHeldBack, legalForceAfterPeriod, type AppealOutcome } from './rules/legal-force.js';
import { automaticStep, blockersOf, splitEffects, stateOf, stepOptions, type Blocker, type CaseSnapshot, type ConditionFacts } from './rules/workflow.js';

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const CASE_ROLES: readonly RoleSlug[] = ['caseworker', 'team-lead'];

export function caseScopeOf(actor: Actor): CaseScope {
  const grants = actor.roles.filter((grant) => CASE_ROLES.includes(grant.role));
  if (grants.some((grant) => grant.unitId === null)) return { all: true };
  return { all: false, unitIds: grants.map((grant) => grant.unitId).filter((id): id is string => id !== null) };
}

function inScope(scope: CaseScope, unitId: string): boolean {
  return scope.all || scope.unitIds.includes(unitId);
}

function rolesOf(actor: Actor): RoleSlug[] {
  return actor.roles.map((grant) => grant.role);
}

function audit(trx: Trx, context: RequestContext, action: string, row: CaseRow, details: Record<string, unknown> = {}) {
  return appendAudit(trx, subjectOf(context.actor, context.requestId), { action, entityType: 'person', entityId: row.person_id, details: { caseId: row.id, reference: row.reference, ...details } });
}

/** A case the caller may see: its unit in their scope and its person visible to them. Otherwise 404. */
async function visibleCase(trx: Trx, context: RequestContext, id: string, forUpdate: boolean): Promise<CaseRow> {
  const row = await repo.findCase(trx, context.actor.tenantId, id, forUpdate);
  if (!row || !inScope(caseScopeOf(context.actor), row.unit_id) || !(await visiblePerson(trx, context.actor, row.person_id))) throw problems.notFound('case');
  return row;
}

/** For other modules' staff routes on a case (messages, the online application): the case if the caller may see it, else 404. */
export async function caseForStaff(trx: Trx, context: RequestContext, id: string): Promise<{ id: string; tenantId: string; personId: string; reference: string; unitId: string; assigneeId: string | null; language: string; closed: boolean }> {
  const row = await visibleCase(trx, context, id, false);
  return { id: row.id, tenantId: row.tenant_id, personId: row.person_id, reference: row.reference, unitId: row.unit_id, assigneeId: row.assignee_id, language: row.language, closed: row.closed_at !== null };
}

/** Loads the case for a change: the version must still be the one the caller read. */
async function lockCase(trx: Trx, context: RequestContext, id: string, expectedVersion: number): Promise<CaseRow> {
  const row = await visibleCase(trx, context, id, true);
  if (row.version !== expectedVersion) throw problems.versionConflict(row.version);
  if (row.closed_at !== null) throw new AppError(409, 'case-closed');
  return row;
}

async function factsOf(trx: Trx, row: CaseRow): Promise<ConditionFacts> {
  const permit = await latestMainPermit(trx, row.person_id);
  return { today: today(), receivedOn: row.received_on, mainPermitLastDay: permit?.valid_until ?? null, hasMainPermit: permit !== null };
}

function snapshotOf(row: CaseRow): CaseSnapshot {
  return { state: row.state, checklist: row.checklist, fields: row.fields, hasPendingDecision: row.pending_decision !== null, closed: row.closed_at !== null };
}

// --- field values ---------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks values against the case type's field definitions; unknown or malformed ones are 400s naming the field. */
function checkedFields(type: CaseTypeDefinition, given: Record<string, string> | undefined): Record<string, string> {
  if (!given) return {};
  const errors: DomainFieldError[] = [];
  for (const [id, value] of Object.entries(given)) {
    const field = `fields.${id}`;
    const definition = type.fields.find((f) => f.id === id);
    if (!definition) errors.push({ field, message: 'unknown-field' });
    else if (definition.type === 'date' && (!ISO_DATE.test(value) || Number.isNaN(parseISO(value).getTime()))) errors.push({ field, message: 'not-a-date' });
    else if (definition.type === 'amount' && !/^\d+(\.\d+)?$/.test(value)) errors.push({ field, message: 'not-an-amount' });
    else if (definition.type === 'amount' && !/^\d+(\.\d{1,2})?$/.test(value)) errors.push({ field, message: 'too-many-decimals' });
    else if (definition.max !== undefined && Number(value) > definition.max) errors.push({ field, message: 'above-maximum' });
  }
  if (errors.length > 0) throw invalidFields(...errors);
  return given;
}

// --- deadlines of states ---------------------------------------------------------------------

async function enterState(trx: Trx, row: CaseRow, type: CaseTypeDefinition, stateId: string, fields: Record<string, string>): Promise<void> {
  for (const deadline of stateOf(type, stateId).deadlines ?? []) {
    const dueDate = deadline.dateField !== undefined ? fields[deadline.dateField] : format(addDays(parseISO(today()), deadline.days ?? 0), 'yyyy-MM-dd');
    if (!dueDate) continue;
    await scheduleDeadline(trx, {
      tenantId: row.tenant_id,
      personId: row.person_id,
      caseId: row.id,
      unitId: row.unit_id,
      assigneeId: row.assignee_id,
      kind: deadline.kind,
      legalBasis: deadline.legalBasis.en,
      dueDate,
      source: `case:${row.id}`,
      ...(deadline.reminderDays === undefined ? {} : { reminderDays: deadline.reminderDays }),
      ...(deadline.escalationDays === undefined ? {} : { escalationDays: deadline.escalationDays }),
    });
  }
}

async function leaveState(trx: Trx, row: CaseRow, type: CaseTypeDefinition): Promise<void> {
  const kinds = (stateOf(type, row.state).deadlines ?? []).map((d) => d.kind);
  await closeCaseDeadlines(trx, row.id, 'met', kinds);
}

/** Keeps the queue's sort key right after deadlines changed (saveCase leaves it alone), without counting as a new version. */
async function refreshNextDue(trx: Trx, row: CaseRow): Promise<CaseRow> {
  return trx.updateTable('cases').set({ next_due_on: await earliestOpenDueDate(trx, row.id) }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
}

async function saveCase(trx: Trx, row: CaseRow, set: Partial<Omit<CaseRow, 'checklist' | 'fields' | 'pending_decision' | 'decision' | 'pending_effects'>> & { checklist?: CaseRow['checklist']; fields?: Record<string, string>; pending_decision?: unknown; decision?: unknown; pending_effects?: unknown[] }): Promise<CaseRow> {
  const { checklist, fields, pending_decision: pendingDecision, decision, pending_effects: pendingEffects, ...plain } = set;
  return trx
    .updateTable('cases')
    .set({
      ...plain,
      ...(checklist === undefined ? {} : { checklist: JSON.stringify(checklist) }),
      ...(fields === undefined ? {} : { fields: JSON.stringify(fields) }),
      ...(pendingDecision === undefined ? {} : { pending_decision: pendingDecision === null ? null : JSON.stringify(pendingDecision) }),
      ...(decision === undefined ? {} : { decision: decision === null ? null : JSON.stringify(decision) }),
      ...(pendingEffects === undefined ? {} : { pending_effects: JSON.stringify(pendingEffects) }),
      version: row.version + 1,
      updated_at: new Date(),
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// --- create ----------------------------------------------------------------------------------

export interface NewCaseInput {
  typeSlug: string;
  personId: string;
  receivedOn?: string;
  language?: Language;
  fields?: Record<string, string>;
  checklist?: string[];
  unitId?: string;
}

/** Opens a case in the unit its type names; the engine then takes any automatic step (e.g. the Fiktionsbescheinigung). */
export async function createCase(db: Db, context: RequestContext, input: NewCaseInput): Promise<string> {
  return inTransaction(db, (trx) => openCase(trx, context, input));
}

/** `createCase` inside a caller's transaction (an online application opens its case with its own writes). */
export async function openCase(trx: Trx, context: RequestContext, input: NewCaseInput): Promise<string> {
  const tenantId = context.actor.tenantId;
  const person = await visiblePerson(trx, context.actor, input.personId);
  if (!person) throw problems.notFound('person');
  const loaded = await currentCaseType(trx, tenantId, input.typeSlug);
  const type = loaded.definition;
  const unit = input.unitId
    ? await trx.selectFrom('units').select('id').where('tenant_id', '=', tenantId).where('id', '=', input.unitId).executeTakeFirst()
    : await trx.selectFrom('units').select('id').where('tenant_id', '=', tenantId).where('slug', '=', type.unit).executeTakeFirst();
  if (!unit || !inScope(caseScopeOf(context.actor), unit.id)) throw problems.forbidden();
  const fields = checkedFields(type, input.fields);
  const now = new Date().toISOString();
  const checklist: CaseRow['checklist'] = {};
  for (const id of input.checklist ?? []) {
    if (!type.checklist.some((item) => item.id === id)) throw invalidFields({ field: `checklist.${id}`, message: 'required' });
    checklist[id] = { done: true, by: context.actor.displayName, at: now };
  }
  const receivedOn = input.receivedOn ?? today();
  const reference = await repo.nextReference(trx, tenantId, Number(receivedOn.slice(0, 4)));
  const initial = stateOf(type, type.initialState);
  let row = await trx
    .insertInto('cases')
    .values({
      tenant_id: tenantId,
      reference,
      case_type_id: loaded.id,
      type_slug: loaded.slug,
      person_id: person.id,
      unit_id: unit.id,
      assignee_id: rolesOf(context.actor).includes('caseworker') && context.actor.kind === 'user' ? context.actor.id : null,
      state: initial.id,
      phase: initial.phase,
      checklist: JSON.stringify(checklist),
      fields: JSON.stringify(fields),
      language: input.language ?? context.actor.locale,
      received_on: receivedOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.insertEvent(trx, { tenantId, caseId: row.id, kind: 'created', actor: context.actor.displayName, details: { type: loaded.slug, version: loaded.version, receivedOn } });
  await enterState(trx, row, type, initial.id, fields);
  await announceStateEntered(trx, row, []);
  row = await refreshNextDue(trx, row);
  row = await runAutomaticSteps(trx, context, row, type);
  await audit(trx, context, 'case.created', row, { type: loaded.slug });
  return row.id;
}

function announceStateEntered(trx: Trx, row: CaseRow, letters: CaseChange['letters']): Promise<void> {
  return announceCaseChange(trx, { tenantId: row.tenant_id, caseId: row.id, personId: row.person_id, reference: row.reference, typeSlug: row.type_slug, state: row.state, phase: row.phase, language: row.language, letters });
}

// --- steps -------------------------------------------------------------------------------------

function refusal(type: CaseTypeDefinition, blockers: Blocker[], language: Language): AppError | null {
  const labelOf = (id: string) => type.checklist.find((c) => c.id === id)?.names[language] ?? type.fields.find((f) => f.id === id)?.names[language] ?? id;
  for (const blocker of blockers) {
    if (blocker.reason === 'role') return new AppError(403, 'step-role', { roles: blocker.roles.join(', ') });
  }
  for (const blocker of blockers) {
    switch (blocker.reason) {
      case 'pending-decision':
        return new AppError(409, 'decision-pending');
      case 'checklist':
        return new AppError(422, 'checklist-incomplete', { missing: blocker.missing.map(labelOf).join(', ') }, { missing: blocker.missing });
      case 'fields':
        return new AppError(422, 'case-fields-missing', { missing: blocker.missing.map(labelOf).join(', ') }, { missing: blocker.missing });
      case 'condition':
        return new AppError(409, 'condition-not-met', { condition: blocker.condition });
      default:
        break;
    }
  }
  return null;
}

export interface StepInput {
  reason?: string;
  fields?: Record<string, string>;
  /** A lower fee than the tariff's (0 waives it), with the reason; charged with the step. */
  fee?: { charge: string | number; reason: string };
}

function feeAdjustmentOf(fee: StepInput['fee']): FeeAdjustment | undefined {
  if (!fee) return undefined;
  return { chargeMinor: amountOf(fee.charge, { allowZero: true }), reason: fee.reason };
}

/**
 * NG § 18: a fine only after a reminder whose deadline has passed. Checked when the fine is
 * decided, before the reminder's deadline closes with the state it belongs to.
 */
async function checkObligations(trx: Trx, row: CaseRow, transition: CaseTransition, fields: Record<string, string>): Promise<void> {
  for (const effect of transition.decision?.effects ?? []) {
    if (effect.type !== 'obligation' || effect.kind !== 'fine') continue;
    const deadlines = await deadlinesOfCase(trx, row.id);
    const reminder = effect.afterDeadline === undefined ? undefined : deadlines.filter((d) => d.kind === effect.afterDeadline).at(-1);
    checkFine(fields[effect.amountField] ?? '', reminder ? { dueDate: reminder.workingDueDate, status: reminder.status } : null, today());
  }
}

export async function takeStep(db: Db, context: RequestContext, id: string, expectedVersion: number, transitionId: string, input: StepInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockCase(trx, context, id, expectedVersion);
    const type = (await caseTypeById(trx, row.case_type_id)).definition;
    const language = context.actor.locale;
    const transition = type.transitions.find((t) => t.id === transitionId && t.from.includes(row.state));
    if (!transition) {
      const allowed = type.transitions.filter((t) => t.from.includes(row.state) && t.automatic !== true);
      throw new AppError(
        409,
        'transition-not-allowed',
        { state: stateOf(type, row.state).names[language], transition: transitionId, allowed: allowed.map((t) => `${t.id} (${t.names[language]})`).join(', ') || '—' },
        { allowed: allowed.map((t) => t.id) },
      );
    }
    const given = checkedFields(type, input.fields);
    const fields = { ...row.fields, ...given };
    const refused = refusal(type, blockersOf(type, transition, snapshotOf(row), rolesOf(context.actor), await factsOf(trx, row), given), language);
    if (refused) throw refused;
    const reason = input.reason?.trim() ?? '';
    if (transition.reasonRequired === true && reason === '') throw new AppError(422, 'reason-required');
    await checkObligations(trx, row, transition, fields);
    const fee = feeAdjustmentOf(input.fee);
    if (fee) await adjustedStepFee(trx, { tenantId: row.tenant_id, caseType: row.type_slug, transition: transition.id, date: today(), adjustment: fee });
    if (transition.decision?.fourEyes === true) {
      const proposal = { transition: transition.id, reason, fields: given, fee: input.fee ?? null, proposedBy: context.actor.displayName, proposedById: context.actor.id, proposedAt: new Date().toISOString() };
      const saved = await saveCase(trx, row, { pending_decision: proposal, fields });
      await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'decision-proposed', actor: context.actor.displayName, text: reason, details: { transition: transition.id, outcome: transition.decision.outcome } });
      await trx
        .insertInto('notifications')
        .values({ tenant_id: row.tenant_id, recipient_role: 'team-lead', recipient_unit_id: row.unit_id, recipient_user_id: null, case_id: row.id, kind: 'approval-requested', message: JSON.stringify({ reference: row.reference, transition: transition.id, proposedBy: context.actor.displayName }) })
        .execute();
      await audit(trx, context, 'case.decision-proposed', saved, { transition: transition.id });
      return;
    }
    await executeStep(trx, context, row, type, transition, fields, reason, null, fee);
  });
}

/** Takes a step: leaves the state, decides and applies effects, enters the new state, writes its letters. */
async function executeStep(trx: Trx, context: RequestContext, row: CaseRow, type: CaseTypeDefinition, transition: CaseTransition, fields: Record<string, string>, reason: string, approvedBy: string | null, fee?: FeeAdjustment): Promise<CaseRow> {
  await leaveState(trx, row, type);
  const target = stateOf(type, transition.to);
  const day = today();
  let decision: unknown;
  let pendingEffects: CaseEffect[] = [];
  if (transition.decision) {
    const proposedBy = (row.pending_decision as { proposedBy?: string } | null)?.proposedBy;
    decision = { transition: transition.id, outcome: transition.decision.outcome, reason, decidedBy: proposedBy ?? context.actor.displayName, approvedBy, decidedAt: new Date().toISOString() };
    const effects = splitEffects(transition.decision.effects);
    const withFields = { ...row, fields };
    for (const effect of effects.now) await applyEffect(trx, context, withFields, fields, effect, day);
    pendingEffects = effects.atLegalForce;
  }
  // The fee the tariff sets for this step is charged with it, in the same transaction.
  const invoice = await chargeCaseStep(trx, context, { tenantId: row.tenant_id, personId: row.person_id, caseId: row.id, caseType: row.type_slug, transition: transition.id, language: row.language, date: day, ...(fee ? { adjustment: fee } : {}) });
  if (invoice) await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'fee', actor: context.actor.displayName, details: { invoiceId: invoice.id, amount: (invoice.amount_minor / 100).toFixed(2), currency: invoice.currency, status: invoice.status, reason: invoice.adjustment_reason } });
  // A decision that cannot be appealed (or a plain closing step) ends the case at once.
  const closes = target.phase === 'closed' || (target.phase === 'decided' && !type.appeal);
  let saved = await saveCase(trx, row, {
    state: target.id,
    phase: closes ? 'closed' : target.phase,
    fields,
    pending_decision: null,
    ...(decision === undefined ? {} : { decision, decided_at: new Date(), pending_effects: pendingEffects }),
    ...(closes ? { closed_at: new Date() } : {}),
  });
  await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'transition', actor: context.actor.displayName, text: reason === '' ? null : reason, details: { transition: transition.id, from: row.state, to: target.id, ...(approvedBy ? { approvedBy } : {}) } });
  await enterState(trx, saved, type, target.id, fields);
  const letters: CaseChange['letters'] = [];
  for (const letterId of transition.letters ?? []) {
    const document = await produceLetter(trx, context, saved, type, letterId);
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'letter', actor: context.actor.displayName, text: document.title, details: { documentId: document.id, template: letterId, sha256: document.sha256 } });
    letters.push({ documentId: document.id, title: document.title });
  }
  await announceStateEntered(trx, saved, letters);
  saved = await refreshNextDue(trx, saved);
  await audit(trx, context, decision === undefined ? 'case.step' : 'case.decided', saved, { transition: transition.id });
  return runAutomaticSteps(trx, context, saved, type);
}

async function runAutomaticSteps(trx: Trx, context: RequestContext, row: CaseRow, type: CaseTypeDefinition): Promise<CaseRow> {
  let current = row;
  // A case type could chain automatic steps; a handful is plenty and guards against a loop in the data.
  for (let i = 0; i < 5 && current.closed_at === null; i++) {
    const step = automaticStep(type, snapshotOf(current), await factsOf(trx, current));
    if (!step) break;
    current = await executeStep(trx, context, current, type, step, current.fields, '', null);
  }
  return current;
}

export async function decideApproval(db: Db, context: RequestContext, id: string, expectedVersion: number, approve: boolean, comment: string | undefined): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockCase(trx, context, id, expectedVersion);
    const pending = row.pending_decision as { transition: string; reason: string; proposedById: string; proposedBy: string; fee?: StepInput['fee'] | null } | null;
    if (!pending) throw new AppError(409, 'no-pending-decision');
    if (pending.proposedById === context.actor.id) throw new AppError(403, 'own-decision');
    if (!rolesOf(context.actor).includes('team-lead')) throw new AppError(403, 'step-role', { roles: 'team-lead' });
    const type = (await caseTypeById(trx, row.case_type_id)).definition;
    if (!approve) {
      const saved = await saveCase(trx, row, { pending_decision: null });
      await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'decision-rejected', actor: context.actor.displayName, text: comment ?? null, details: { transition: pending.transition, proposedBy: pending.proposedBy } });
      await audit(trx, context, 'case.decision-rejected', saved, { transition: pending.transition });
      return;
    }
    const transition = type.transitions.find((t) => t.id === pending.transition);
    if (!transition) throw new AppError(409, 'no-pending-decision');
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'decision-approved', actor: context.actor.displayName, text: comment ?? null, details: { transition: pending.transition, proposedBy: pending.proposedBy } });
    await checkObligations(trx, row, transition, row.fields);
    await executeStep(trx, context, row, type, transition, row.fields, pending.reason, context.actor.displayName, feeAdjustmentOf(pending.fee ?? undefined));
  });
}

// --- checklist, fields, assignment, notes, tasks, attachments ---------------------------------------

export async function setChecklistItem(db: Db, context: RequestContext, id: string, expectedVersion: number, itemId: string, done: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockCase(trx, context, id, expectedVersion);
    const type = (await caseTypeById(trx, row.case_type_id)).definition;
    if (!type.checklist.some((item) => item.id === itemId)) throw problems.notFound('case');
    const checklist = { ...row.checklist };
    if (done) checklist[itemId] = { done: true, by: context.actor.displayName, at: new Date().toISOString() };
    else delete checklist[itemId];
    let saved = await saveCase(trx, row, { checklist });
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'checklist', actor: context.actor.displayName, details: { item: itemId, done } });
    saved = await runAutomaticSteps(trx, context, saved, type);
    await audit(trx, context, 'case.checklist', saved, { item: itemId, done });
  });
}

export async function setFields(db: Db, context: RequestContext, id: string, expectedVersion: number, given: Record<string, string>): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockCase(trx, context, id, expectedVersion);
    // The second person approves the proposal as it stands: its fields cannot change underneath them.
    if (row.pending_decision !== null) throw new AppError(409, 'decision-pending');
    const type = (await caseTypeById(trx, row.case_type_id)).definition;
    const fields = { ...row.fields, ...checkedFields(type, given) };
    const saved = await saveCase(trx, row, { fields });
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'fields', actor: context.actor.displayName, details: given });
    await audit(trx, context, 'case.fields', saved, { fields: Object.keys(given) });
  });
}

export async function assignCase(db: Db, context: RequestContext, id: string, expectedVersion: number, assigneeId: string | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await lockCase(trx, context, id, expectedVersion);
    let name: string | null = null;
    if (assigneeId !== null) {
      const user = await trx.selectFrom('users').select(['id', 'display_name']).where('tenant_id', '=', row.tenant_id).where('id', '=', assigneeId).where('disabled', '=', false).executeTakeFirst();
      if (!user) throw problems.notFound('user');
      name = user.display_name;
    }
    const saved = await saveCase(trx, row, { assignee_id: assigneeId });
    // Reminders follow the case to its new owner.
    await trx.updateTable('deadlines').set({ assignee_id: assigneeId }).where('case_id', '=', row.id).where('status', '=', 'open').execute();
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'assigned', actor: context.actor.displayName, text: name, details: { assigneeId } });
    await audit(trx, context, 'case.assigned', saved, { assigneeId });
  });
}

export async function addNote(db: Db, context: RequestContext, id: string, input: { kind: 'note' | 'contact'; text: string; channel?: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await visibleCase(trx, context, id, false);
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: input.kind, actor: context.actor.displayName, text: input.text, details: input.channel ? { channel: input.channel } : {} });
    await audit(trx, context, `case.${input.kind}`, row);
  });
}

export async function addTask(db: Db, context: RequestContext, id: string, input: { title: string; dueOn?: string; assigneeId?: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await visibleCase(trx, context, id, false);
    await trx.insertInto('case_tasks').values({ tenant_id: row.tenant_id, case_id: row.id, title: input.title, due_on: input.dueOn ?? null, assignee_id: input.assigneeId ?? row.assignee_id }).execute();
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'task', actor: context.actor.displayName, text: input.title, details: input.dueOn ? { dueOn: input.dueOn } : {} });
    await audit(trx, context, 'case.task', row);
  });
}

export async function completeTask(db: Db, context: RequestContext, id: string, taskId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await visibleCase(trx, context, id, false);
    const task = await trx.updateTable('case_tasks').set({ done_at: new Date(), done_by: context.actor.displayName }).where('id', '=', taskId).where('case_id', '=', row.id).where('done_at', 'is', null).returning(['title']).executeTakeFirst();
    if (!task) throw problems.notFound('task');
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'task-done', actor: context.actor.displayName, text: task.title });
    await audit(trx, context, 'case.task-done', row);
  });
}

/** Files an uploaded paper; the declared type must be what the file's content is. */
export async function addAttachment(db: Db, context: RequestContext, id: string, file: { fileName: string; mediaType: string; content: Buffer }): Promise<void> {
  const actual = await paperTypeOf(file.content);
  if (actual === null || actual !== file.mediaType) throw new AppError(415, 'unsupported-attachment', { type: file.mediaType });
  await inTransaction(db, async (trx) => {
    const row = await visibleCase(trx, context, id, false);
    await attachToCase(trx, context, row, { ...file, mediaType: actual });
  });
}

/**
 * Files a paper whose content was already checked, inside the caller's transaction; the timeline
 * names the checklist item it was handed in for, when the sender said.
 */
export async function attachToCase(trx: Trx, context: RequestContext, target: CaseRow | string, file: { fileName: string; mediaType: PaperMediaType; content: Buffer; checklistItem?: string }): Promise<{ documentId: string }> {
  const row = typeof target === 'string' ? await visibleCase(trx, context, target, false) : target;
  const document = await storeDocument(trx, { tenantId: row.tenant_id, caseId: row.id, personId: row.person_id, kind: 'attachment', template: null, title: file.fileName, fileName: file.fileName, mediaType: file.mediaType, language: null, content: file.content, createdBy: context.actor.displayName });
  await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'attachment', actor: context.actor.displayName, text: file.fileName, details: { documentId: document.id, sha256: document.sha256, ...(file.checklistItem ? { checklistItem: file.checklistItem } : {}) } });
  await audit(trx, context, 'case.attachment', row, { documentId: document.id });
  return { documentId: document.id };
}

// --- notification, appeal, legal force ------------------------------------------------------------

async function decidedCaseWithAppeal(trx: Trx, context: RequestContext, id: string, expectedVersion: number) {
  const row = await lockCase(trx, context, id, expectedVersion);
  if (row.decision === null || row.phase !== 'decided') throw new AppError(409, 'not-decided');
  const type = (await caseTypeById(trx, row.case_type_id)).definition;
  if (!type.appeal) throw new AppError(409, 'no-appeal-in-case-type');
  return { row, type, appeal: type.appeal };
}

/** The decision reached the person: the appeal period runs, and the legal-force date follows from it. */
export async function recordNotification(db: Db, context: RequestContext, id: string, expectedVersion: number, notifiedOn: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, appeal } = await decidedCaseWithAppeal(trx, context, id, expectedVersion);
    if (row.notified_on !== null) throw new AppError(409, 'already-notified', { date: row.notified_on });
    const appealUntil = appealPeriodEnd(notifiedOn, appeal.days, await nextWorkingDayOf(trx, row.tenant_id));
    const legalForceOn = legalForceAfterPeriod(appealUntil);
    let saved = await saveCase(trx, row, { notified_on: notifiedOn, appeal_until: appealUntil, legal_force_on: legalForceOn });
    await scheduleDeadline(trx, { tenantId: row.tenant_id, personId: row.person_id, caseId: row.id, unitId: row.unit_id, assigneeId: row.assignee_id, kind: LEGAL_FORCE, legalBasis: 'The decision comes into force when the appeal period has passed', dueDate: legalForceOn, source: `case:${row.id}`, reminderDays: 0 });
    saved = await refreshNextDue(trx, saved);
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'notified', actor: context.actor.displayName, details: { notifiedOn, appealUntil, legalForceOn } });
    await audit(trx, context, 'case.notified', saved, { notifiedOn });
  });
}

export async function fileAppeal(db: Db, context: RequestContext, id: string, expectedVersion: number, filedOn: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, appeal } = await decidedCaseWithAppeal(trx, context, id, expectedVersion);
    if (row.notified_on === null || row.appeal_until === null) throw new AppError(409, 'not-notified');
    if (row.appeal_status !== null) throw new AppError(409, 'appeal-already-recorded');
    if (filedOn > row.appeal_until || filedOn < row.notified_on) throw new AppError(422, 'outside-appeal-period', { from: row.notified_on, until: row.appeal_until });
    // A suspensive appeal holds everything until the outcome; otherwise the effects still follow the period.
    if (appeal.suspensive) await closeCaseDeadlines(trx, row.id, 'cancelled', [LEGAL_FORCE]);
    const saved = await refreshNextDue(trx, await saveCase(trx, row, { appeal_status: 'filed', appeal_filed_on: filedOn, legal_force_on: null }));
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'appeal-filed', actor: context.actor.displayName, details: { filedOn, suspensive: appeal.suspensive } });
    await audit(trx, context, 'case.appeal-filed', saved, { filedOn });
  });
}

export async function decideAppeal(db: Db, context: RequestContext, id: string, expectedVersion: number, outcome: AppealOutcome, decidedOn: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, type, appeal } = await decidedCaseWithAppeal(trx, context, id, expectedVersion);
    if (row.appeal_status !== 'filed') throw new AppError(409, 'no-appeal-filed');
    const result = afterAppeal(outcome, decidedOn);
    await closeCaseDeadlines(trx, row.id, 'cancelled', [LEGAL_FORCE]);
    await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'appeal-decided', actor: context.actor.displayName, details: { outcome, decidedOn } });
    if (result.reopen) {
      const state = stateOf(type, appeal.reopenState);
      const saved = await saveCase(trx, row, { appeal_status: outcome, state: state.id, phase: state.phase, decision: null, decided_at: null, pending_effects: [], notified_on: null, appeal_until: null, legal_force_on: null });
      await enterState(trx, saved, type, state.id, saved.fields);
      await audit(trx, context, 'case.appeal-upheld', await refreshNextDue(trx, saved));
      return;
    }
    const inForce = await comeIntoForce(trx, context, row, result.legalForceOn ?? decidedOn);
    await audit(trx, context, `case.appeal-${outcome}`, await saveCase(trx, inForce, { appeal_status: outcome }));
  });
}

/** Applies the effects that waited for legal force and closes the case. */
async function comeIntoForce(trx: Trx, context: RequestContext, row: CaseRow, legalForceOn: string): Promise<CaseRow> {
  for (const effect of row.pending_effects as CaseEffect[]) await applyEffect(trx, context, row, row.fields, effect, legalForceOn);
  await repo.insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'legal-force', actor: context.actor.displayName, details: { legalForceOn } });
  return saveCase(trx, row, { pending_effects: [], legal_force_on: legalForceOn, closed_at: new Date(), phase: 'closed' });
}

export const LEGAL_FORCE = 'legal-force';

/** The scheduler acts as this system user when a decision comes into force unattended. */
function systemContext(tenantId: string): RequestContext {
  return {
    actor: { kind: 'token', id: '00000000-0000-0000-0000-000000000000', name: 'scheduler', displayName: 'MigraFlow', tenantId, tenantSlug: '', tenantName: '', roles: [{ role: 'caseworker', unitId: null }], locale: 'de', sessionIdHash: null },
    requestId: 'scheduler',
  };
}

/** Deadline handler: the appeal period has passed. */
export async function onLegalForceDue(trx: Trx, deadline: DueDeadline): Promise<void> {
  if (deadline.case_id === null) return;
  const row = await repo.findCase(trx, deadline.tenant_id, deadline.case_id, true);
  if (!row || row.closed_at !== null) return;
  const type = (await caseTypeById(trx, row.case_type_id)).definition;
  const context = systemContext(row.tenant_id);
  if (row.appeal_status === 'filed') {
    if (effectsHeldBack(true, type.appeal?.suspensive ?? true)) return;
    // Not suspensive: the effects take hold now, but the case stays open until the appeal is decided.
    for (const effect of row.pending_effects as CaseEffect[]) await applyEffect(trx, context, row, row.fields, effect, deadline.working_due_date);
    await saveCase(trx, row, { pending_effects: [] });
    return;
  }
  const saved = await comeIntoForce(trx, context, row, deadline.working_due_date);
  await audit(trx, context, 'case.legal-force', saved);
}

// --- reading -----------------------------------------------------------------------------------

export async function readCase(db: Db, context: RequestContext, id: string) {
  return inTransaction(db, async (trx) => {
    const row = await visibleCase(trx, context, id, false);
    const detail = await caseDetail(trx, context, row);
    await audit(trx, context, 'case.read', row);
    return detail;
  });
}

async function caseDetail(trx: Trx, context: RequestContext, row: CaseRow) {
  const loaded: LoadedCaseType = await caseTypeById(trx, row.case_type_id);
  const type = loaded.definition;
  const person = await trx.selectFrom('persons').select(['id', 'official_name', 'first_names', 'date_of_birth', 'nationality']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
  const unit = await trx.selectFrom('units').select(['id', 'name']).where('id', '=', row.unit_id).executeTakeFirstOrThrow();
  const assignee = row.assignee_id ? await trx.selectFrom('users').select(['id', 'display_name']).where('id', '=', row.assignee_id).executeTakeFirst() : undefined;
  const state = stateOf(type, row.state);
  const facts = await factsOf(trx, row);
  const options = stepOptions(type, snapshotOf(row), rolesOf(context.actor), facts).filter((option) => option.transition.automatic !== true);
  // What each step would cost today, shown before the decision is taken.
  const fees = await feePreviews(trx, row.tenant_id, row.type_slug, options.map(({ transition }) => transition.id), facts.today);
  const steps = options
    .map(({ transition, blockers }, index) => ({
      id: transition.id,
      names: transition.names,
      to: transition.to,
      primary: transition.primary === true,
      reasonRequired: transition.reasonRequired === true,
      requiredFields: transition.requiredFields ?? [],
      decision: transition.decision ? { outcome: transition.decision.outcome, fourEyes: transition.decision.fourEyes === true } : null,
      // Missing fields can be given with the step itself, so they do not disable the button.
      allowed: blockers.every((b) => b.reason === 'fields'),
      blockers,
      fee: fees[index] && fees[index].lines.length > 0 ? feeDto(fees[index]) : null,
    }))
    .sort((a, b) => Number(b.primary) - Number(a.primary));
  const pending = row.pending_decision as { transition: string; reason: string; fields: Record<string, string>; proposedBy: string; proposedById: string; proposedAt: string } | null;
  const decision = row.decision as { transition: string; outcome: 'positive' | 'negative'; reason: string; decidedBy: string; approvedBy: string | null; decidedAt: string } | null;
  const namesOf = (transitionId: string) => type.transitions.find((t) => t.id === transitionId)?.names ?? { de: transitionId, fr: transitionId, it: transitionId, en: transitionId };
  return {
    id: row.id,
    reference: row.reference,
    version: row.version,
    type: { slug: loaded.slug, version: loaded.version, names: type.names },
    person: { id: person.id, name: `${person.first_names} ${person.official_name}`, dateOfBirth: person.date_of_birth, nationality: person.nationality },
    unit: { id: unit.id, name: unit.name },
    assignee: assignee ? { id: assignee.id, name: assignee.display_name } : null,
    state: row.state,
    stateNames: state.names,
    phase: row.phase,
    language: row.language,
    receivedOn: row.received_on,
    openedAt: row.opened_at.toISOString(),
    ageDays: differenceInCalendarDays(parseISO(today()), parseISO(row.received_on)),
    nextDueOn: row.next_due_on,
    fields: row.fields,
    fieldDefinitions: type.fields.map((f) => ({ id: f.id, type: f.type, names: f.names, ...(f.max === undefined ? {} : { max: f.max }) })),
    checklist: type.checklist.map((item) => {
      const entry = row.checklist[item.id];
      return { id: item.id, kind: item.kind, names: item.names, legalBasis: item.legalBasis, optional: item.optional === true, done: entry?.done === true, by: entry?.by ?? null, at: entry?.at ?? null };
    }),
    steps,
    pendingDecision: pending ? { ...pending, names: namesOf(pending.transition) } : null,
    decision: decision ? { ...decision, names: namesOf(decision.transition) } : null,
    notifiedOn: row.notified_on,
    appeal: type.appeal ? { days: type.appeal.days, suspensive: type.appeal.suspensive, until: row.appeal_until, status: row.appeal_status, filedOn: row.appeal_filed_on } : null,
    legalForceOn: row.legal_force_on,
    // Until the appeal period has run out, the date is what it will be if nobody appeals.
    legalForceProvisional: row.legal_force_on !== null && row.closed_at === null,
    closedAt: row.closed_at?.toISOString() ?? null,
    deadlines: (await deadlinesOfCase(trx, row.id)).map((d) => ({ id: d.id, kind: d.kind, legalBasis: d.legalBasis, dueDate: d.dueDate, workingDueDate: d.workingDueDate, status: d.status, stage: d.stage })),
    tasks: (await repo.tasksOf(trx, row.id)).map((t) => ({ id: t.id, title: t.title, dueOn: t.due_on, assigneeName: t.assignee_name ?? null, doneAt: t.done_at?.toISOString() ?? null, doneBy: t.done_by })),
    documents: await documentsOfCase(trx, row.id),
    timeline: (await repo.eventsOf(trx, row.id)).map((e) => ({ id: String(e.id), at: e.at.toISOString(), kind: e.kind, actor: e.actor_name, text: e.text, details: e.details })),
  };
}

export type CaseDetail = Awaited<ReturnType<typeof caseDetail>>;
