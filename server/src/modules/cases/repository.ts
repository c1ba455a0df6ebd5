import { sql, type Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { CasesTable } from '../../platform/db/tables.js';

export type CaseRow = Selectable<CasesTable>;

/** Which units' cases a user works on: all (office-wide role) or the listed ones. */
export type CaseScope = { all: true } | { all: false; unitIds: string[] };

export async function nextReference(trx: Trx, tenantId: string, year: number): Promise<string> {
  const row = await sql<{ last_number: number }>`
    INSERT INTO case_counters (tenant_id, year, last_number) VALUES (${tenantId}, ${year}, 1)
    ON CONFLICT (tenant_id, year) DO UPDATE SET last_number = case_counters.last_number + 1
    RETURNING last_number`.execute(trx);
  return `${year}-${String(row.rows[0]?.last_number ?? 1).padStart(6, '0')}`;
}

export async function findCase(db: Db | Trx, tenantId: string, id: string, forUpdate = false): Promise<CaseRow | null> {
  let query = db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function insertEvent(trx: Trx, event: { tenantId: string; caseId: string; kind: string; actor: string; text?: string | null; details?: Record<string, unknown> }): Promise<void> {
  await trx.insertInto('case_events').values({ tenant_id: event.tenantId, case_id: event.caseId, kind: event.kind, actor_name: event.actor, text: event.text ?? null, details: JSON.stringify(event.details ?? {}) }).execute();
}

export async function eventsOf(db: Db | Trx, caseId: string) {
  return db.selectFrom('case_events').select(['id', 'at', 'kind', 'actor_name', 'text', 'details']).where('case_id', '=', caseId).orderBy('id', 'desc').execute();
}

export async function tasksOf(db: Db | Trx, caseId: string) {
  return db
    .selectFrom('case_tasks')
    .leftJoin('users', 'users.id', 'case_tasks.assignee_id')
    .select(['case_tasks.id', 'case_tasks.title', 'case_tasks.due_on', 'users.display_name as assignee_name', 'case_tasks.done_at', 'case_tasks.done_by'])
    .where('case_tasks.case_id', '=', caseId)
    .orderBy('case_tasks.created_at')
    .execute();
}
