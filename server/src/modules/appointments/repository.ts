import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';

/** The appointments module's tables (migration 0015); only this file touches them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Language = 'de' | 'fr' | 'it' | 'en';
export type BookingStatus = 'booked' | 'cancelled' | 'checked-in' | 'no-show';

export type ServicePointsTable = {
  id: Generated<string>;
  tenant_id: string;
  unit_id: string | null;
  name: string;
  address: string;
  counters: number;
  time_zone: Generated<string>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
};

export type OpeningHoursTable = {
  id: Generated<string>;
  tenant_id: string;
  service_point_id: string;
  weekday: number;
  opens: string;
  closes: string;
};

export type ClosuresTable = {
  id: Generated<string>;
  tenant_id: string;
  service_point_id: string;
  closed_on: string;
  reason: string | null;
};

export type ServicesTable = {
  id: Generated<string>;
  tenant_id: string;
  slug: string;
  names: ColumnType<Record<string, string>, string, string>;
  slot_minutes: number;
  version: Generated<number>;
};

export type InvitationsTable = {
  id: Generated<string>;
  tenant_id: string;
  case_id: string;
  person_id: string;
  service_id: string;
  service_point_id: string;
  token_hash: string;
  email: string;
  language: Language;
  valid_until: Timestamp;
  withdrawn_at: Timestamp | null;
  created_by: string;
  created_at: Generated<Date>;
};

export type BookingsTable = {
  id: Generated<string>;
  tenant_id: string;
  invitation_id: string;
  service_point_id: string;
  counter: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: ColumnType<BookingStatus, BookingStatus | undefined, BookingStatus>;
  version: Generated<number>;
  created_at: Generated<Date>;
  cancelled_at: Timestamp | null;
};

export type AppointmentTables = {
  appointment_service_points: ServicePointsTable;
  appointment_opening_hours: OpeningHoursTable;
  appointment_closures: ClosuresTable;
  appointment_services: ServicesTable;
  appointment_invitations: InvitationsTable;
  appointment_bookings: BookingsTable;
};

export function own(db: Db | Trx) {
  return db.withTables<AppointmentTables>();
}

export type ServicePointRow = Selectable<ServicePointsTable>;
export type HoursRow = Selectable<OpeningHoursTable>;
export type ClosureRow = Selectable<ClosuresTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type BookingRow = Selectable<BookingsTable>;

// --- configuration ---------------------------------------------------------------------------------

export async function servicePoints(db: Db | Trx, tenantId: string): Promise<ServicePointRow[]> {
  return own(db).selectFrom('appointment_service_points').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function servicePointById(db: Db | Trx, tenantId: string, id: string, forUpdate = false): Promise<ServicePointRow | null> {
  let query = own(db).selectFrom('appointment_service_points').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function insertServicePoint(trx: Trx, values: Insertable<ServicePointsTable>): Promise<ServicePointRow> {
  return own(trx).insertInto('appointment_service_points').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateServicePoint(trx: Trx, id: string, values: Partial<Pick<ServicePointRow, 'name' | 'address' | 'counters' | 'active' | 'time_zone' | 'unit_id'>>, version: number): Promise<ServicePointRow> {
  return own(trx).updateTable('appointment_service_points').set({ ...values, version: version + 1 }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function hoursOf(db: Db | Trx, servicePointIds: readonly string[]): Promise<HoursRow[]> {
  if (servicePointIds.length === 0) return [];
  return own(db).selectFrom('appointment_opening_hours').selectAll().where('service_point_id', 'in', servicePointIds).orderBy('weekday').orderBy('opens').execute();
}

export async function replaceHours(trx: Trx, tenantId: string, servicePointId: string, hours: readonly { weekday: number; opens: string; closes: string }[]): Promise<void> {
  await own(trx).deleteFrom('appointment_opening_hours').where('service_point_id', '=', servicePointId).execute();
  if (hours.length === 0) return;
  await own(trx)
    .insertInto('appointment_opening_hours')
    .values(hours.map((h) => ({ tenant_id: tenantId, service_point_id: servicePointId, weekday: h.weekday, opens: h.opens, closes: h.closes })))
    .execute();
}

export async function closuresOf(db: Db | Trx, servicePointIds: readonly string[], from: string, to: string | null = null): Promise<ClosureRow[]> {
  if (servicePointIds.length === 0) return [];
  let query = own(db).selectFrom('appointment_closures').selectAll().where('service_point_id', 'in', servicePointIds).where('closed_on', '>=', from);
  if (to !== null) query = query.where('closed_on', '<=', to);
  return query.orderBy('closed_on').execute();
}

export async function insertClosure(trx: Trx, values: Insertable<ClosuresTable>): Promise<ClosureRow> {
  return own(trx).insertInto('appointment_closures').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function deleteClosure(trx: Trx, tenantId: string, id: string): Promise<ClosureRow | null> {
  return (await own(trx).deleteFrom('appointment_closures').where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst()) ?? null;
}

export async function services(db: Db | Trx, tenantId: string): Promise<ServiceRow[]> {
  return own(db).selectFrom('appointment_services').selectAll().where('tenant_id', '=', tenantId).orderBy('slug').execute();
}

export async function serviceBySlug(db: Db | Trx, tenantId: string, slug: string): Promise<ServiceRow | null> {
  return (await own(db).selectFrom('appointment_services').selectAll().where('tenant_id', '=', tenantId).where('slug', '=', slug).executeTakeFirst()) ?? null;
}

export async function serviceById(db: Db | Trx, id: string): Promise<ServiceRow | null> {
  return (await own(db).selectFrom('appointment_services').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function upsertService(trx: Trx, tenantId: string, slug: string, names: Record<string, string>, slotMinutes: number): Promise<ServiceRow> {
  return own(trx)
    .insertInto('appointment_services')
    .values({ tenant_id: tenantId, slug, names: JSON.stringify(names), slot_minutes: slotMinutes })
    .onConflict((oc) => oc.columns(['tenant_id', 'slug']).doUpdateSet((eb) => ({ names: eb.ref('excluded.names'), slot_minutes: eb.ref('excluded.slot_minutes'), version: eb(eb.ref('appointment_services.version'), '+', 1) })))
    .returningAll()
    .executeTakeFirstOrThrow();
}

// --- invitations -------------------------------------------------------------------------------------

export async function insertInvitation(trx: Trx, values: Insertable<InvitationsTable>): Promise<InvitationRow> {
  return own(trx).insertInto('appointment_invitations').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Across offices (the public routes know only the token): the caller scopes the work to its office afterwards. */
export async function invitationByTokenHash(db: Db | Trx, tokenHash: string): Promise<InvitationRow | null> {
  return (await own(db).selectFrom('appointment_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()) ?? null;
}

export async function lockInvitation(trx: Trx, id: string): Promise<InvitationRow | null> {
  return (await own(trx).selectFrom('appointment_invitations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

// --- bookings --------------------------------------------------------------------------------------

export async function activeBookingsBetween(db: Db | Trx, servicePointId: string, from: Date, to: Date): Promise<BookingRow[]> {
  return own(db)
    .selectFrom('appointment_bookings')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where('status', '<>', 'cancelled')
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .orderBy('starts_at')
    .orderBy('counter')
    .execute();
}

export async function currentBookingOf(db: Db | Trx, invitationId: string): Promise<BookingRow | null> {
  return (await own(db).selectFrom('appointment_bookings').selectAll().where('invitation_id', '=', invitationId).where('status', '=', 'booked').executeTakeFirst()) ?? null;
}

export async function insertBooking(trx: Trx, values: Insertable<BookingsTable>): Promise<BookingRow> {
  return own(trx).insertInto('appointment_bookings').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function bookingById(db: Db | Trx, tenantId: string, id: string, forUpdate = false): Promise<BookingRow | null> {
  let query = own(db).selectFrom('appointment_bookings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function setBookingStatus(trx: Trx, booking: BookingRow, status: BookingStatus): Promise<BookingRow> {
  return own(trx)
    .updateTable('appointment_bookings')
    .set({ status, version: booking.version + 1, ...(status === 'cancelled' ? { cancelled_at: new Date() } : {}) })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface DayEntry {
  id: string;
  counter: number;
  starts_at: Date;
  ends_at: Date;
  status: BookingStatus;
  version: number;
  invitation_id: string;
  case_id: string;
  case_reference: string;
  person_id: string;
  service_slug: string;
  service_names: Record<string, string>;
}

/**
 * The bookings of a service point in [from, to), with their invitation's case (and its reference,
 * which the counter clerk reads out and opens), person and service.
 */
export async function dayEntries(db: Db | Trx, tenantId: string, servicePointId: string, from: Date, to: Date): Promise<DayEntry[]> {
  return own(db)
    .selectFrom('appointment_bookings as b')
    .innerJoin('appointment_invitations as i', 'i.id', 'b.invitation_id')
    .innerJoin('appointment_services as s', 's.id', 'i.service_id')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .select(['b.id', 'b.counter', 'b.starts_at', 'b.ends_at', 'b.status', 'b.version', 'b.invitation_id', 'i.case_id', 'c.reference as case_reference', 'i.person_id', 's.slug as service_slug', 's.names as service_names'])
    .where('b.tenant_id', '=', tenantId)
    .where('b.service_point_id', '=', servicePointId)
    .where('b.starts_at', '>=', from)
    .where('b.starts_at', '<', to)
    .orderBy('b.starts_at')
    .orderBy('b.counter')
    .execute();
}

export async function invitationById(db: Db | Trx, id: string): Promise<InvitationRow | null> {
  return (await own(db).selectFrom('appointment_invitations').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}
