import type { Db, Trx } from '../../platform/db/transaction.js';
import { nextFireAt, STAGES } from './rules/stages.js';
import { workingDayOf } from './calendars.js';

export interface NewDeadline {
  tenantId: string;
  personId: string | null;
  kind: string;
  legalBasis: string;
  /** The date the law gives; the engine moves it to the next working day of the tenant's calendar. */
  dueDate: string;
  source: string;
  caseId?: string | null;
  unitId?: string | null;
  assigneeId?: string | null;
  /** Whose work it is; the escalation always goes to the team leads. */
  ownerRole?: 'caseworker' | 'municipal-clerk';
  reminderDays?: number;
  escalationDays?: number;
  /** For a deadline with a due handler that acts at a precise moment (e.g. an appointment reminder): when it fires. */
  fireAt?: Date;
}

export interface DeadlineRecord {
  id: string;
  personId: string | null;
  caseId: string | null;
  kind: string;
  legalBasis: string;
  dueDate: string;
  workingDueDate: string;
  status: 'open' | 'met' | 'cancelled';
  stage: number;
}

const COLUMNS = ['id', 'person_id', 'case_id', 'kind', 'legal_basis', 'due_date', 'working_due_date', 'status', 'stage'] as const;

function toRecord(row: { id: string; person_id: string | null; case_id: string | null; kind: string; legal_basis: string; due_date: string; working_due_date: string | null; status: DeadlineRecord['status']; stage: number }): DeadlineRecord {
  return { id: row.id, personId: row.person_id, caseId: row.case_id, kind: row.kind, legalBasis: row.legal_basis, dueDate: row.due_date, workingDueDate: row.working_due_date ?? row.due_date, status: row.status, stage: row.stage };
}

export async function insertDeadline(trx: Trx, deadline: NewDeadline): Promise<DeadlineRecord> {
  const workingDueDate = await workingDayOf(trx, deadline.tenantId, deadline.dueDate);
  const reminderDays = deadline.reminderDays ?? 3;
  const escalationDays = deadline.escalationDays ?? 5;
  const row = await trx
    .insertInto('deadlines')
    .values({
      tenant_id: deadline.tenantId,
      person_id: deadline.personId,
      kind: deadline.kind,
      legal_basis: deadline.legalBasis,
      due_date: deadline.dueDate,
      source: deadline.source,
      case_id: deadline.caseId ?? null,
      unit_id: deadline.unitId ?? null,
      assignee_id: deadline.assigneeId ?? null,
      owner_role: deadline.ownerRole ?? 'caseworker',
      working_due_date: workingDueDate,
      reminder_days: reminderDays,
      escalation_days: escalationDays,
      next_fire_at: deadline.fireAt ?? nextFireAt({ workingDueDate, reminderDays, escalationDays }, STAGES.none),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function closeOpenDeadlines(trx: Trx, personId: string, kinds: string[], status: 'met' | 'cancelled'): Promise<number> {
  if (kinds.length === 0) return 0;
  const result = await trx
    .updateTable('deadlines')
    .set({ status, closed_at: new Date(), next_fire_at: null })
    .where('person_id', '=', personId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Closes the open deadlines of a case, e.g. those of the state it leaves. */
export async function closeCaseDeadlines(trx: Trx, caseId: string, status: 'met' | 'cancelled', kinds?: string[]): Promise<number> {
  let query = trx.updateTable('deadlines').set({ status, closed_at: new Date(), next_fire_at: null }).where('case_id', '=', caseId).where('status', '=', 'open');
  if (kinds) {
    if (kinds.length === 0) return 0;
    query = query.where('kind', 'in', kinds);
  }
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** Closes the open deadlines something started, e.g. the payment reminders of invoices once they are paid. */
export async function closeDeadlinesOfSource(trx: Trx, tenantId: string, sources: string | readonly string[], status: 'met' | 'cancelled'): Promise<number> {
  const list = typeof sources === 'string' ? [sources] : [...sources];
  if (list.length === 0) return 0;
  const result = await trx.updateTable('deadlines').set({ status, closed_at: new Date(), next_fire_at: null }).where('tenant_id', '=', tenantId).where('source', 'in', list).where('status', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deadlinesOfPerson(db: Db | Trx, personId: string): Promise<DeadlineRecord[]> {
  const rows = await db.selectFrom('deadlines').select(COLUMNS).where('person_id', '=', personId).orderBy('due_date').execute();
  return rows.map(toRecord);
}

export async function deadlinesOfCase(db: Db | Trx, caseId: string): Promise<DeadlineRecord[]> {
  const rows = await db.selectFrom('deadlines').select(COLUMNS).where('case_id', '=', caseId).orderBy('due_date').orderBy('created_at').execute();
  return rows.map(toRecord);
}

/** The earliest open working due date of a case, kept on the case for the queue's sort. */
export async function earliestOpenDueDate(trx: Trx, caseId: string): Promise<string | null> {
  const row = await trx.selectFrom('deadlines').select((eb) => eb.fn.min('working_due_date').as('due')).where('case_id', '=', caseId).where('status', '=', 'open').executeTakeFirst();
  return (row?.due as string | null | undefined) ?? null;
}

export async function movePersonDeadlines(trx: Trx, fromPersonId: string, toPersonId: string): Promise<void> {
  await trx.updateTable('deadlines').set({ person_id: toPersonId }).where('person_id', '=', fromPersonId).execute();
}
