import type { Db, Trx } from '../../platform/db/transaction.js';

export interface NewDeadline {
  tenantId: string;
  personId: string | null;
  kind: string;
  legalBasis: string;
  dueDate: string;
  source: string;
}

export interface DeadlineRecord {
  id: string;
  personId: string | null;
  kind: string;
  legalBasis: string;
  dueDate: string;
  status: 'open' | 'met' | 'cancelled';
}

export async function insertDeadline(trx: Trx, deadline: NewDeadline): Promise<DeadlineRecord> {
  const row = await trx
    .insertInto('deadlines')
    .values({ tenant_id: deadline.tenantId, person_id: deadline.personId, kind: deadline.kind, legal_basis: deadline.legalBasis, due_date: deadline.dueDate, source: deadline.source })
    .returning(['id', 'person_id', 'kind', 'legal_basis', 'due_date', 'status'])
    .executeTakeFirstOrThrow();
  return { id: row.id, personId: row.person_id, kind: row.kind, legalBasis: row.legal_basis, dueDate: row.due_date, status: row.status };
}

export async function closeOpenDeadlines(trx: Trx, personId: string, kinds: string[], status: 'met' | 'cancelled'): Promise<number> {
  if (kinds.length === 0) return 0;
  const result = await trx
    .updateTable('deadlines')
    .set({ status, closed_at: new Date() })
    .where('person_id', '=', personId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deadlinesOfPerson(db: Db | Trx, personId: string): Promise<DeadlineRecord[]> {
  const rows = await db
    .selectFrom('deadlines')
    .select(['id', 'person_id', 'kind', 'legal_basis', 'due_date', 'status'])
    .where('person_id', '=', personId)
    .orderBy('due_date')
    .execute();
  return rows.map((row) => ({ id: row.id, personId: row.person_id, kind: row.kind, legalBasis: row.legal_basis, dueDate: row.due_date, status: row.status }));
}

export async function movePersonDeadlines(trx: Trx, fromPersonId: string, toPersonId: string): Promise<void> {
  await trx.updateTable('deadlines').set({ person_id: toPersonId }).where('person_id', '=', fromPersonId).execute();
}
