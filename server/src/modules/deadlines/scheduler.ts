import { sql } from 'kysely';
import { runPeriodically, type Periodic } from '../../platform/jobs/periodic.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { nextFireAt, recipientOf, stageToFire, STAGES, type OwnerRole, type Stage } from './rules/stages.js';

/**
 * The durable scheduler. Deadlines are rows; each pass locks the due ones with
 * `FOR UPDATE SKIP LOCKED`, fires one stage and moves `next_fire_at` on, all in one transaction.
 * Several server processes can run it against one PostgreSQL: a row another process holds is
 * skipped, and once committed its stage has moved on, so every stage fires exactly once. A
 * restart loses nothing: what was due while the server was down is found on the next pass.
 */

export interface DueDeadline {
  id: string;
  tenant_id: string;
  person_id: string | null;
  case_id: string | null;
  unit_id: string | null;
  assignee_id: string | null;
  owner_role: OwnerRole;
  kind: string;
  legal_basis: string;
  /** What started it, e.g. 'case:<id>' or 'invoice:<id>'. */
  source: string;
  due_date: string;
  working_due_date: string;
  reminder_days: number;
  escalation_days: number;
  stage: number;
}

/** Some deadlines do something when due instead of reminding anyone (e.g. a decision coming into force). */
export type DueHandler = (trx: Trx, deadline: DueDeadline, now: Date) => Promise<void>;
const handlers = new Map<string, DueHandler>();

export function onDeadlineDue(kind: string, handler: DueHandler): void {
  handlers.set(kind, handler);
}

export function hasDueHandler(kind: string): boolean {
  return handlers.has(kind);
}

export interface FireOptions {
  now?: Date;
  worker?: string;
  batchSize?: number;
}

async function notify(trx: Trx, deadline: DueDeadline, stage: Stage): Promise<void> {
  const recipient = recipientOf(stage, deadline.owner_role, deadline.unit_id, deadline.assignee_id);
  await trx
    .insertInto('notifications')
    .values({
      tenant_id: deadline.tenant_id,
      recipient_user_id: recipient.userId,
      recipient_role: recipient.role,
      recipient_unit_id: recipient.unitId,
      deadline_id: deadline.id,
      case_id: deadline.case_id,
      kind: stage === STAGES.reminded ? 'deadline-reminder' : stage === STAGES.due ? 'deadline-due' : 'deadline-escalation',
      message: JSON.stringify({ deadlineKind: deadline.kind, legalBasis: deadline.legal_basis, dueDate: deadline.working_due_date, personId: deadline.person_id, caseId: deadline.case_id }),
    })
    .execute();
}

async function fireOne(trx: Trx, deadline: DueDeadline, now: Date, worker: string): Promise<void> {
  const handler = handlers.get(deadline.kind);
  if (handler) {
    await handler(trx, deadline, now);
    await trx.insertInto('deadline_firings').values({ deadline_id: deadline.id, stage: STAGES.due, worker }).execute();
    await trx.updateTable('deadlines').set({ stage: STAGES.due, status: 'met', closed_at: now, next_fire_at: null }).where('id', '=', deadline.id).execute();
    return;
  }
  const times = { workingDueDate: deadline.working_due_date, reminderDays: deadline.reminder_days, escalationDays: deadline.escalation_days };
  const stage = stageToFire(times, deadline.stage as Stage, now);
  if (stage === null) {
    // Not due after all (the dates moved): only put the next firing right.
    await trx.updateTable('deadlines').set({ next_fire_at: nextFireAt(times, deadline.stage as Stage) }).where('id', '=', deadline.id).execute();
    return;
  }
  await notify(trx, deadline, stage);
  await trx.insertInto('deadline_firings').values({ deadline_id: deadline.id, stage, worker }).execute();
  await trx.updateTable('deadlines').set({ stage, next_fire_at: nextFireAt(times, stage) }).where('id', '=', deadline.id).execute();
}

/** Fires everything due at `now`, batch by batch, and returns how many stages fired. */
export async function fireDueDeadlines(db: Db, options: FireOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const worker = options.worker ?? `pid-${process.pid}`;
  const batchSize = options.batchSize ?? 100;
  let total = 0;
  for (;;) {
    const fired = await inTransaction(db, async (trx) => {
      const due = await sql<DueDeadline>`
        SELECT id, tenant_id, person_id, case_id, unit_id, assignee_id, owner_role, kind, legal_basis, source, due_date,
               coalesce(working_due_date, due_date) AS working_due_date, reminder_days, escalation_days, stage
          FROM deadlines
         WHERE status = 'open' AND next_fire_at <= ${now}
         ORDER BY next_fire_at
         LIMIT ${batchSize}
           FOR UPDATE SKIP LOCKED`.execute(trx);
      for (const deadline of due.rows) await fireOne(trx, deadline, now, worker);
      return due.rows.length;
    });
    total += fired;
    if (fired < batchSize) return total;
  }
}

export type SchedulerHandle = Periodic;

/** Runs a pass every `intervalMs` until stopped; a failed pass is logged and the next one tries again. */
export function startScheduler(db: Db, intervalMs: number, log: (error: unknown) => void, worker?: string): SchedulerHandle {
  return runPeriodically(intervalMs, () => fireDueDeadlines(db, worker === undefined ? {} : { worker }), log, { immediately: true });
}
