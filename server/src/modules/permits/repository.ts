import { sql, type Insertable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { PermitsTable } from '../../platform/db/tables.js';

/** The only code of the permits module that touches the database. */

export async function categoriesOf(db: Db | Trx, tenantId: string) {
  return db.selectFrom('permit_categories').selectAll().where('tenant_id', '=', tenantId).orderBy('code').execute();
}

export type CategoryRow = Awaited<ReturnType<typeof categoriesOf>>[number];

export async function permitsOfPerson(db: Db | Trx, personId: string) {
  return db.selectFrom('permits').selectAll().where('person_id', '=', personId).orderBy('valid_from').orderBy('created_at').execute();
}

export type PermitRow = Awaited<ReturnType<typeof permitsOfPerson>>[number];

export async function eventsOfPermits(db: Db | Trx, permitIds: string[]) {
  if (permitIds.length === 0) return [];
  return db.selectFrom('permit_events').selectAll().where('permit_id', 'in', permitIds).orderBy('event_date').orderBy('recorded_at').execute();
}

export async function findPermit(db: Db | Trx, tenantId: string, id: string): Promise<PermitRow | null> {
  return (await db.selectFrom('permits').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function insertPermit(trx: Trx, permit: Insertable<PermitsTable>): Promise<PermitRow> {
  return trx.insertInto('permits').values(permit).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic lock on a permit: null when its version is no longer the expected one. */
export async function updatePermit(trx: Trx, id: string, expectedVersion: number | null, set: Partial<Pick<PermitsTable, 'category' | 'is_main' | 'valid_from' | 'valid_until' | 'ended_on' | 'end_reason' | 'conditions' | 'card_number'>>): Promise<PermitRow | null> {
  let query = trx.updateTable('permits').set((eb) => ({ ...set, version: eb('version', '+', 1) })).where('id', '=', id);
  if (expectedVersion !== null) query = query.where('version', '=', expectedVersion);
  return (await query.returningAll().executeTakeFirst()) ?? null;
}

export async function insertEvent(trx: Trx, event: { tenantId: string; permitId: string; event: 'granted' | 'extended' | 'category-changed' | 'expired' | 'revoked' | 'ended-departure' | 'ended-death' | 'ended-naturalisation' | 'corrected'; date: string; details?: Record<string, unknown>; by: string }): Promise<void> {
  await trx
    .insertInto('permit_events')
    .values({ tenant_id: event.tenantId, permit_id: event.permitId, event: event.event, event_date: event.date, details: JSON.stringify(event.details ?? {}), recorded_by: event.by })
    .execute();
}

/** True when the person has a main residence in the office's area on `date`. */
export async function isRegisteredOn(db: Db | Trx, personId: string, date: string): Promise<boolean> {
  const result = await sql<{ ok: boolean }>`
    SELECT EXISTS (SELECT 1 FROM residences r WHERE r.person_id = ${personId} AND r.superseded_at IS NULL AND r.kind = 'main'
      AND r.arrival_date <= ${date}::date AND (r.departure_date IS NULL OR r.departure_date > ${date}::date)) AS ok`.execute(db);
  return result.rows[0]?.ok ?? false;
}

export interface ExpiryRow {
  permit_id: string;
  person_id: string;
  official_name: string;
  first_names: string;
  date_of_birth: string;
  nationality: string;
  category: string;
  valid_until: string;
  days_left: number;
}

/**
 * Main permits of persons still registered that expire within `withinDays`, or have expired
 * without a newer main permit — the caseworker's expiry list, soonest first.
 */
export async function expiringPermits(db: Db | Trx, tenantId: string, today: string, withinDays: number, limit: number): Promise<ExpiryRow[]> {
  const result = await sql<ExpiryRow>`
    SELECT pm.id AS permit_id, p.id AS person_id, p.official_name, p.first_names, p.date_of_birth, p.nationality, pm.category,
           pm.valid_until::text AS valid_until, (pm.valid_until - ${today}::date) AS days_left
    FROM permits pm JOIN persons p ON p.id = pm.person_id
    WHERE pm.tenant_id = ${tenantId} AND pm.is_main AND pm.ended_on IS NULL AND pm.valid_until IS NOT NULL
      AND pm.valid_until <= ${today}::date + ${withinDays}::int
      AND p.merged_into IS NULL
      AND NOT EXISTS (SELECT 1 FROM permits newer WHERE newer.person_id = pm.person_id AND newer.is_main AND newer.valid_from > pm.valid_from)
      AND EXISTS (SELECT 1 FROM residences r WHERE r.person_id = p.id AND r.superseded_at IS NULL AND r.kind = 'main' AND r.departure_date IS NULL)
    ORDER BY pm.valid_until, p.official_name
    LIMIT ${limit}`.execute(db);
  return result.rows;
}
