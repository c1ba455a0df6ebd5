import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { scheduleDeadline } from '../deadlines/index.js';
import { invoiceCaseObligation, orderDepositIfOwed } from '../finance/index.js';
import { changeCategoryInTransaction, endInTransaction, extendInTransaction, grantInTransaction, latestMainPermit, type GrantInput } from '../permits/index.js';
import type { CaseEffect } from './rules/definition.js';
import type { CaseRow } from './repository.js';
import { insertEvent } from './repository.js';

function field(row: CaseRow, fields: Record<string, string>, id: string | undefined): string | undefined {
  return id === undefined ? undefined : (fields[id] ?? row.fields[id]);
}

async function mainPermitOrRefuse(trx: Trx, personId: string) {
  const permit = await latestMainPermit(trx, personId);
  if (!permit) throw new AppError(409, 'condition-not-met', { condition: 'has-main-permit' });
  return permit;
}

/**
 * Carries out one effect of a decision through the module that owns the data (permits, deadlines);
 * it runs in the decision's transaction, so a refused effect undoes the whole decision.
 */
export async function applyEffect(trx: Trx, context: RequestContext, row: CaseRow, fields: Record<string, string>, effect: CaseEffect, today: string): Promise<void> {
  const value = (id: string | undefined) => field(row, fields, id);
  let details: Record<string, unknown> = { type: effect.type };
  switch (effect.type) {
    case 'grant-permit': {
      const input: GrantInput = { category: effect.category ?? value(effect.categoryField) ?? '', admissionReason: effect.admissionReason as GrantInput['admissionReason'], validFrom: value(effect.validFromField) ?? today };
      const validUntil = value(effect.validUntilField);
      if (validUntil) input.validUntil = validUntil;
      const permit = await grantInTransaction(trx, context, row.person_id, input);
      const deposit = await orderDepositIfOwed(trx, context, { personId: row.person_id, caseId: row.id, category: permit.category, language: row.language });
      details = { ...details, permitId: permit.id, category: permit.category, validFrom: permit.valid_from, validUntil: permit.valid_until, ...(deposit ? { depositId: deposit.id } : {}) };
      break;
    }
    case 'extend-permit': {
      const permit = await mainPermitOrRefuse(trx, row.person_id);
      const extended = await extendInTransaction(trx, context, permit.id, null, value(effect.validUntilField) ?? '');
      details = { ...details, permitId: permit.id, category: permit.category, validUntil: extended.valid_until };
      break;
    }
    case 'change-category': {
      const permit = await mainPermitOrRefuse(trx, row.person_id);
      const input: GrantInput = { category: effect.category, admissionReason: effect.admissionReason as GrantInput['admissionReason'], validFrom: value(effect.validFromField) ?? today };
      const validUntil = value(effect.validUntilField);
      if (validUntil) input.validUntil = validUntil;
      const changed = await changeCategoryInTransaction(trx, context, permit.id, null, input);
      const deposit = await orderDepositIfOwed(trx, context, { personId: row.person_id, caseId: row.id, category: changed.category, language: row.language });
      details = { ...details, fromPermitId: permit.id, permitId: changed.id, category: changed.category, ...(deposit ? { depositId: deposit.id } : {}) };
      break;
    }
    case 'end-permit': {
      const permit = await mainPermitOrRefuse(trx, row.person_id);
      const date = value(effect.dateField) ?? today;
      await endInTransaction(trx, context, permit.id, null, { date, reason: effect.reason });
      details = { ...details, permitId: permit.id, date };
      break;
    }
    case 'obligation': {
      // The finance module invoices it; the invoice's reminder takes care of collecting it.
      const invoice = await invoiceCaseObligation(trx, context, { tenantId: row.tenant_id, personId: row.person_id, caseId: row.id, kind: effect.kind, amountText: value(effect.amountField) ?? '', payWithinDays: effect.payWithinDays, language: row.language, date: today, legalBasis: effect.kind === 'fine' ? 'NG § 18' : row.reference });
      details = { ...details, kind: effect.kind, amount: (invoice.amount_minor / 100).toFixed(2), dueDate: invoice.due_on, invoiceId: invoice.id };
      break;
    }
    case 'schedule-deadline': {
      const dueDate = value(effect.dateField) ?? today;
      await scheduleDeadline(trx, { tenantId: row.tenant_id, personId: row.person_id, caseId: row.id, unitId: row.unit_id, assigneeId: row.assignee_id, kind: effect.kind, legalBasis: effect.legalBasis.en, dueDate, source: `case:${row.id}` });
      details = { ...details, kind: effect.kind, dueDate };
      break;
    }
  }
  await insertEvent(trx, { tenantId: row.tenant_id, caseId: row.id, kind: 'effect', actor: context.actor.displayName, details });
}
