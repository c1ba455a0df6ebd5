import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../platform/auth/actor.js';
import { appendAudit, subjectOf, type AuditSubject } from '../../platform/audit/audit.js';
import { withTenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, invalidFields, problems } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail/index.js';
import { calendarOfTenant, closeDeadlinesOfSource, holidaysOf, scheduleDeadline, type DueDeadline } from '../deadlines/index.js';
import { visiblePerson } from '../register/index.js';
import { cancellationMail, confirmationMail, invitationMail, reminderMail, type AppointmentFacts, type BookedFacts } from './mails.js';
import * as repo from './repository.js';
import { addDaysIso, counterFor, daysBetween, freeSlots, isoWeekday, isTimeZone, localParts, MAX_RANGE_DAYS, reminderTime, zonedInstant, type ActiveBooking, type Slot } from './rules.js';

export const APPOINTMENT_REMINDER = 'appointment-reminder';
const reminderSource = (bookingId: string) => `appointment:${bookingId}`;

// --- DTOs --------------------------------------------------------------------------------------------

const clock = (time: string) => time.slice(0, 5);

function servicePointDto(point: repo.ServicePointRow, hours: repo.HoursRow[], closures: repo.ClosureRow[]) {
  return {
    id: point.id,
    unitId: point.unit_id,
    name: point.name,
    address: point.address,
    counters: point.counters,
    timeZone: point.time_zone,
    active: point.active,
    version: point.version,
    hours: hours.filter((h) => h.service_point_id === point.id).map((h) => ({ weekday: h.weekday, opens: clock(h.opens), closes: clock(h.closes) })),
    closures: closures.filter((c) => c.service_point_id === point.id).map((c) => ({ id: c.id, date: c.closed_on, reason: c.reason })),
  };
}
export type ServicePointDto = ReturnType<typeof servicePointDto>;

function serviceDto(service: repo.ServiceRow) {
  return { id: service.id, slug: service.slug, names: service.names, slotMinutes: service.slot_minutes, version: service.version };
}

function bookingDto(booking: repo.BookingRow) {
  return { id: booking.id, invitationId: booking.invitation_id, servicePointId: booking.service_point_id, counter: booking.counter, start: new Date(booking.starts_at).toISOString(), end: new Date(booking.ends_at).toISOString(), status: booking.status, version: booking.version };
}
export type BookingDto = ReturnType<typeof bookingDto>;

const today = (timeZone: string, now = new Date()) => localParts(now, timeZone).date;

// --- configuration -----------------------------------------------------------------------------------

async function pointOrThrow(trx: Trx, tenantId: string, id: string, forUpdate = false): Promise<repo.ServicePointRow> {
  const point = await repo.servicePointById(trx, tenantId, id, forUpdate);
  if (!point) throw problems.notFound('service-point');
  return point;
}

async function pointView(trx: Trx, point: repo.ServicePointRow): Promise<ServicePointDto> {
  return servicePointDto(point, await repo.hoursOf(trx, [point.id]), await repo.closuresOf(trx, [point.id], today(point.time_zone)));
}

export async function listServicePoints(db: Db, context: RequestContext): Promise<ServicePointDto[]> {
  return inTransaction(db, async (trx) => {
    const points = await repo.servicePoints(trx, context.actor.tenantId);
    const ids = points.map((p) => p.id);
    const hours = await repo.hoursOf(trx, ids);
    const closures = await repo.closuresOf(trx, ids, today('Europe/Zurich', new Date(Date.now() - 86_400_000)));
    return points.map((p) => servicePointDto(p, hours, closures));
  });
}

export interface ServicePointInput {
  name: string;
  address: string;
  counters: number;
  unitId?: string | null;
  timeZone?: string;
  active?: boolean;
}

async function checkPointInput(trx: Trx, tenantId: string, input: ServicePointInput): Promise<void> {
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw invalidFields({ field: 'timeZone', message: 'unknown-value' });
  if (input.unitId) {
    const unit = await trx.selectFrom('units').select('id').where('tenant_id', '=', tenantId).where('id', '=', input.unitId).executeTakeFirst();
    if (!unit) throw invalidFields({ field: 'unitId', message: 'unknown-value' });
  }
}

function audit(trx: Trx, context: RequestContext, action: string, entityType: string, entityId: string, details: Record<string, unknown> = {}, read = false) {
  return appendAudit(trx, subjectOf(context.actor, context.requestId), { action, entityType, entityId, details }, { read });
}

export async function createServicePoint(db: Db, context: RequestContext, input: ServicePointInput): Promise<ServicePointDto> {
  return inTransaction(db, async (trx) => {
    await checkPointInput(trx, context.actor.tenantId, input);
    const taken = (await repo.servicePoints(trx, context.actor.tenantId)).some((p) => p.name === input.name);
    if (taken) throw problems.conflict(`A service point named "${input.name}" exists already.`);
    const point = await repo.insertServicePoint(trx, { tenant_id: context.actor.tenantId, unit_id: input.unitId ?? null, name: input.name, address: input.address, counters: input.counters, ...(input.timeZone ? { time_zone: input.timeZone } : {}) });
    await audit(trx, context, 'appointments.service-point-created', 'service-point', point.id, { name: point.name });
    return pointView(trx, point);
  });
}

export async function changeServicePoint(db: Db, context: RequestContext, id: string, expectedVersion: number, input: ServicePointInput): Promise<ServicePointDto> {
  return inTransaction(db, async (trx) => {
    const point = await pointOrThrow(trx, context.actor.tenantId, id, true);
    if (point.version !== expectedVersion) throw problems.versionConflict(point.version);
    await checkPointInput(trx, context.actor.tenantId, input);
    const changed = await repo.updateServicePoint(trx, id, { name: input.name, address: input.address, counters: input.counters, ...(input.unitId !== undefined ? { unit_id: input.unitId } : {}), ...(input.timeZone ? { time_zone: input.timeZone } : {}), ...(input.active !== undefined ? { active: input.active } : {}) }, point.version);
    await audit(trx, context, 'appointments.service-point-changed', 'service-point', id, { name: changed.name, counters: changed.counters, active: changed.active });
    return pointView(trx, changed);
  });
}

export async function setOpeningHours(db: Db, context: RequestContext, id: string, expectedVersion: number, hours: readonly { weekday: number; opens: string; closes: string }[]): Promise<ServicePointDto> {
  for (const [index, range] of hours.entries()) {
    if (range.opens >= range.closes) throw invalidFields({ field: `hours/${index}/closes`, message: 'end-before-start' });
  }
  return inTransaction(db, async (trx) => {
    const point = await pointOrThrow(trx, context.actor.tenantId, id, true);
    if (point.version !== expectedVersion) throw problems.versionConflict(point.version);
    await repo.replaceHours(trx, context.actor.tenantId, id, hours);
    const changed = await repo.updateServicePoint(trx, id, {}, point.version);
    await audit(trx, context, 'appointments.hours-set', 'service-point', id, { hours });
    return pointView(trx, changed);
  });
}

export async function addClosure(db: Db, context: RequestContext, id: string, input: { date: string; reason?: string | undefined }): Promise<ServicePointDto> {
  return inTransaction(db, async (trx) => {
    const point = await pointOrThrow(trx, context.actor.tenantId, id, true);
    const existing = await repo.closuresOf(trx, [id], input.date, input.date);
    if (existing.length === 0) await repo.insertClosure(trx, { tenant_id: context.actor.tenantId, service_point_id: id, closed_on: input.date, reason: input.reason ?? null });
    await audit(trx, context, 'appointments.closure-added', 'service-point', id, { date: input.date });
    return pointView(trx, point);
  });
}

export async function removeClosure(db: Db, context: RequestContext, closureId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const removed = await repo.deleteClosure(trx, context.actor.tenantId, closureId);
    if (!removed) throw problems.notFound('closure');
    await audit(trx, context, 'appointments.closure-removed', 'service-point', removed.service_point_id, { date: removed.closed_on });
  });
}

export async function listServices(db: Db, context: RequestContext) {
  return (await repo.services(db, context.actor.tenantId)).map(serviceDto);
}

export async function putService(db: Db, context: RequestContext, slug: string, input: { names: Record<string, string>; slotMinutes: number }) {
  return inTransaction(db, async (trx) => {
    const service = await repo.upsertService(trx, context.actor.tenantId, slug, input.names, input.slotMinutes);
    await audit(trx, context, 'appointments.service-set', 'appointment-service', service.id, { slug, slotMinutes: input.slotMinutes });
    return serviceDto(service);
  });
}

// --- the calendar of a service point ----------------------------------------------------------------

interface Calendar {
  point: repo.ServicePointRow;
  slotMinutes: number;
  hours: repo.HoursRow[];
  closed: Set<string>;
  bookings: ActiveBooking[];
}

async function calendarFor(trx: Trx, point: repo.ServicePointRow, slotMinutes: number, from: string, to: string): Promise<Calendar> {
  const hours = await repo.hoursOf(trx, [point.id]);
  const closed = new Set((await repo.closuresOf(trx, [point.id], from, to)).map((c) => c.closed_on));
  const holidayCalendar = await calendarOfTenant(trx, point.tenant_id);
  if (holidayCalendar) {
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      for (const holiday of holidaysOf(holidayCalendar, year)) closed.add(holiday.date);
    }
  }
  const start = zonedInstant(from, '00:00', point.time_zone);
  const end = zonedInstant(addDaysIso(to, 1), '00:00', point.time_zone);
  const bookings = (await repo.activeBookingsBetween(trx, point.id, start, end)).map((b) => ({ counter: b.counter, startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at) }));
  return { point, slotMinutes, hours, closed, bookings };
}

function slotsOf(calendar: Calendar, date: string, now: Date, withBookings = true): Slot[] {
  const weekday = isoWeekday(date);
  return freeSlots({
    date,
    timeZone: calendar.point.time_zone,
    hours: calendar.hours.filter((h) => h.weekday === weekday),
    closed: calendar.closed.has(date),
    slotMinutes: calendar.slotMinutes,
    counters: calendar.point.counters,
    bookings: withBookings ? calendar.bookings : [],
    now,
  });
}

// --- invitations ---------------------------------------------------------------------------------------

const EMAIL = /^[^@\s<>"(),;:\\[\]]+@[^@\s<>"(),;:\\[\]]+\.[^@\s<>"(),;:\\[\]]+$/;
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface InvitationInput {
  service: string;
  servicePointId: string;
  email: string;
  language: repo.Language;
  validDays?: number | undefined;
}

async function tenantNameOf(trx: Trx, tenantId: string): Promise<string> {
  return (await trx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow()).name;
}

export async function inviteFromCase(db: Db, context: RequestContext, caseId: string, input: InvitationInput, publicUrl: string): Promise<{ id: string; caseId: string; personId: string; service: string; servicePointId: string; email: string; language: repo.Language; validUntil: string }> {
  const email = input.email.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw invalidFields({ field: 'email', message: 'not-an-email' });
  return inTransaction(db, async (trx) => {
    const tenantId = context.actor.tenantId;
    const found = await trx.selectFrom('cases').select(['id', 'person_id', 'closed_at']).where('tenant_id', '=', tenantId).where('id', '=', caseId).executeTakeFirst();
    if (!found || !(await visiblePerson(trx, context.actor, found.person_id))) throw problems.notFound('case');
    if (found.closed_at !== null) throw new AppError(409, 'case-closed');
    const service = await repo.serviceBySlug(trx, tenantId, input.service);
    if (!service) throw invalidFields({ field: 'service', message: 'unknown-value' });
    const point = await repo.servicePointById(trx, tenantId, input.servicePointId);
    if (!point?.active) throw invalidFields({ field: 'servicePointId', message: 'unknown-value' });
    const token = randomBytes(32).toString('base64url');
    const validUntil = new Date(Date.now() + (input.validDays ?? 30) * 86_400_000);
    const invitation = await repo.insertInvitation(trx, { tenant_id: tenantId, case_id: caseId, person_id: found.person_id, service_id: service.id, service_point_id: point.id, token_hash: hashToken(token), email, language: input.language, valid_until: validUntil, created_by: context.actor.displayName });
    const link = `${publicUrl.replace(/\/$/, '')}/appointments/book?token=${token}`;
    await queueMail(trx, invitationMail(factsOf(await tenantNameOf(trx, tenantId), invitation, service, point), link, validUntil));
    await audit(trx, context, 'appointments.invitation-sent', 'person', found.person_id, { invitationId: invitation.id, caseId, service: service.slug, servicePointId: point.id });
    return { id: invitation.id, caseId, personId: found.person_id, service: service.slug, servicePointId: point.id, email, language: invitation.language, validUntil: validUntil.toISOString() };
  });
}

function factsOf(tenantName: string, invitation: repo.InvitationRow, service: repo.ServiceRow, point: repo.ServicePointRow): AppointmentFacts {
  return { tenantId: invitation.tenant_id, tenantName, to: invitation.email, language: invitation.language, serviceName: service.names[invitation.language] ?? service.names.de ?? service.slug, servicePointName: point.name, address: point.address, timeZone: point.time_zone };
}

function bookedFacts(facts: AppointmentFacts, booking: repo.BookingRow): BookedFacts {
  return { ...facts, bookingId: booking.id, startsAt: new Date(booking.starts_at), endsAt: new Date(booking.ends_at), sequence: booking.version - 1 };
}

// --- the public side: with the invitation's token -------------------------------------------------------

const publicSubject = (tenantId: string, requestId: string): AuditSubject => ({ tenantId, actorId: null, actorKind: 'anonymous', actorName: 'appointment invitation', requestId });

/** The invitation a token opens, refused when unknown (404), withdrawn or past its validity (410). */
async function invitationOf(db: Db, token: string | undefined, now: Date): Promise<repo.InvitationRow> {
  if (!token || token.length > 200) throw new AppError(404, 'invitation-invalid');
  // No office scope yet: the token is all the caller has. The work after this runs in the invitation's office.
  const invitation = await repo.invitationByTokenHash(db, hashToken(token));
  if (!invitation) throw new AppError(404, 'invitation-invalid');
  if (invitation.withdrawn_at !== null || new Date(invitation.valid_until).getTime() <= now.getTime()) throw new AppError(410, 'invitation-expired');
  return invitation;
}

async function partsOf(trx: Trx, invitation: repo.InvitationRow) {
  const service = await repo.serviceById(trx, invitation.service_id);
  const point = await repo.servicePointById(trx, invitation.tenant_id, invitation.service_point_id);
  if (!service || !point) throw new AppError(404, 'invitation-invalid');
  return { service, point, facts: factsOf(await tenantNameOf(trx, invitation.tenant_id), invitation, service, point) };
}

export interface SlotRange {
  from?: string | undefined;
  to?: string | undefined;
}

export async function invitationView(db: Db, requestId: string, token: string | undefined, range: SlotRange, now = new Date()) {
  const invitation = await invitationOf(db, token, now);
  return withTenantScope(invitation.tenant_id, () =>
    inTransaction(db, async (trx) => {
      const { service, point } = await partsOf(trx, invitation);
      const from = range.from ?? today(point.time_zone, now);
      const to = range.to ?? addDaysIso(from, 13);
      if (to < from) throw invalidFields({ field: 'to', message: 'end-before-start' });
      if (daysBetween(from, to).length > MAX_RANGE_DAYS) throw new AppError(400, 'appointment-range-too-long', { max: MAX_RANGE_DAYS });
      const lastDay = localParts(new Date(invitation.valid_until), point.time_zone).date;
      const until = to < lastDay ? to : lastDay;
      const slots: { start: string; end: string }[] = [];
      if (point.active && from <= until) {
        const calendar = await calendarFor(trx, point, service.slot_minutes, from, until);
        for (const day of daysBetween(from, until)) {
          for (const slot of slotsOf(calendar, day, now)) {
            if (slot.start.getTime() < new Date(invitation.valid_until).getTime()) slots.push({ start: slot.start.toISOString(), end: slot.end.toISOString() });
          }
        }
      }
      const booking = await repo.currentBookingOf(trx, invitation.id);
      await appendAudit(trx, publicSubject(invitation.tenant_id, requestId), { action: 'appointments.invitation-read', entityType: 'person', entityId: invitation.person_id, details: { invitationId: invitation.id } }, { read: true });
      return {
        invitation: { id: invitation.id, language: invitation.language, validUntil: new Date(invitation.valid_until).toISOString(), service: { slug: service.slug, names: service.names, slotMinutes: service.slot_minutes }, servicePoint: { id: point.id, name: point.name, address: point.address, timeZone: point.time_zone } },
        booking: booking ? bookingDto(booking) : null,
        slots,
      };
    }),
  );
}

/** A unique (23505) or exclusion (23P01) violation of the named constraint. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!e || (e.code !== '23505' && e.code !== '23P01')) return false;
  return e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint));
}

/** Someone else took the counter first: the same start, or an overlapping appointment of another length. */
function isSlotTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'appointment_bookings_slot_uq') || isUniqueViolation(error, 'appointment_bookings_no_overlap');
}

type Mode = 'book' | 'reschedule';

async function cancelIn(trx: Trx, booking: repo.BookingRow, facts: AppointmentFacts): Promise<repo.BookingRow> {
  const cancelled = await repo.setBookingStatus(trx, booking, 'cancelled');
  await closeDeadlinesOfSource(trx, booking.tenant_id, reminderSource(booking.id), 'cancelled');
  await queueMail(trx, cancellationMail(bookedFacts(facts, cancelled)));
  return cancelled;
}

async function bookIn(trx: Trx, invitationId: string, start: Date, now: Date, requestId: string, mode: Mode): Promise<repo.BookingRow> {
  const invitation = await repo.lockInvitation(trx, invitationId);
  if (!invitation || invitation.withdrawn_at !== null || new Date(invitation.valid_until).getTime() <= now.getTime()) throw new AppError(410, 'invitation-expired');
  const { service, point, facts } = await partsOf(trx, invitation);
  const current = await repo.currentBookingOf(trx, invitation.id);
  if (mode === 'book' && current) throw new AppError(409, 'appointment-already-booked');
  if (mode === 'reschedule' && !current) throw new AppError(409, 'appointment-not-booked');
  const day = localParts(start, point.time_zone).date;
  const calendar = await calendarFor(trx, point, service.slot_minutes, day, day);
  // Is it a slot at all (hours, closures, holidays, length, not past, within the invitation)?
  const slot = slotsOf(calendar, day, now, false).find((s) => s.start.getTime() === start.getTime());
  if (!point.active || !slot || start.getTime() >= new Date(invitation.valid_until).getTime()) throw new AppError(422, 'appointment-slot-unavailable');
  let previous: repo.BookingRow | null = null;
  if (current) {
    previous = await cancelIn(trx, current, facts);
    // The old appointment no longer holds its counter.
    calendar.bookings = calendar.bookings.filter((b) => !(b.counter === current.counter && b.startsAt.getTime() === new Date(current.starts_at).getTime()));
  }
  const counter = counterFor(slot.start, slot.end, point.counters, calendar.bookings);
  if (counter === null) throw new AppError(409, 'slot-taken');
  const booking = await repo.insertBooking(trx, { tenant_id: invitation.tenant_id, invitation_id: invitation.id, service_point_id: point.id, counter, starts_at: slot.start, ends_at: slot.end });
  const remindAt = reminderTime(slot.start, point.time_zone, now);
  if (remindAt) {
    await scheduleDeadline(trx, {
      tenantId: invitation.tenant_id,
      personId: invitation.person_id,
      caseId: invitation.case_id,
      kind: APPOINTMENT_REMINDER,
      legalBasis: `Appointment (${service.slug}) on ${day} at ${point.name}: reminder mail the day before`,
      dueDate: day,
      source: reminderSource(booking.id),
      reminderDays: 0,
      fireAt: remindAt,
    });
  }
  await queueMail(trx, confirmationMail(bookedFacts(facts, booking)));
  await appendAudit(trx, publicSubject(invitation.tenant_id, requestId), {
    action: mode === 'book' ? 'appointments.booked' : 'appointments.rescheduled',
    entityType: 'person',
    entityId: invitation.person_id,
    details: { invitationId: invitation.id, caseId: invitation.case_id, bookingId: booking.id, start: slot.start.toISOString(), counter, ...(previous ? { cancelledBookingId: previous.id } : {}) },
  });
  return booking;
}

/**
 * Books (or moves) the invitation's appointment. Two people racing for the last free counter of a
 * slot both insert; the unique index (same start) or the exclusion constraint (overlapping times of
 * different slot lengths) lets one through and the other's insert fails: it tries again (another
 * counter may be free) and is told 'slot-taken' when none is.
 */
export async function bookByInvitation(db: Db, requestId: string, token: string | undefined, startText: string, mode: Mode, now = new Date()): Promise<BookingDto> {
  const start = new Date(startText);
  if (Number.isNaN(start.getTime())) throw invalidFields({ field: 'start', message: 'not-a-date' });
  const invitation = await invitationOf(db, token, now);
  return withTenantScope(invitation.tenant_id, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return bookingDto(await inTransaction(db, (trx) => bookIn(trx, invitation.id, start, now, requestId, mode)));
      } catch (error) {
        if (isUniqueViolation(error, 'appointment_bookings_invitation_uq')) throw new AppError(409, 'appointment-already-booked');
        if (!isSlotTaken(error)) throw error;
        if (attempt >= 3) throw new AppError(409, 'slot-taken');
      }
    }
  });
}

export async function cancelByInvitation(db: Db, requestId: string, token: string | undefined, now = new Date()): Promise<BookingDto> {
  const invitation = await invitationOf(db, token, now);
  return withTenantScope(invitation.tenant_id, () =>
    inTransaction(db, async (trx) => {
      const locked = await repo.lockInvitation(trx, invitation.id);
      const current = locked ? await repo.currentBookingOf(trx, invitation.id) : null;
      if (!current) throw new AppError(409, 'appointment-not-booked');
      const { facts } = await partsOf(trx, invitation);
      const cancelled = await cancelIn(trx, current, facts);
      await appendAudit(trx, publicSubject(invitation.tenant_id, requestId), { action: 'appointments.cancelled', entityType: 'person', entityId: invitation.person_id, details: { invitationId: invitation.id, caseId: invitation.case_id, bookingId: current.id } });
      return bookingDto(cancelled);
    }),
  );
}

// --- staff: the day view, the counter -----------------------------------------------------------------

export async function dayView(db: Db, context: RequestContext, servicePointId: string, date: string) {
  return inTransaction(db, async (trx) => {
    const point = await pointOrThrow(trx, context.actor.tenantId, servicePointId);
    const from = zonedInstant(date, '00:00', point.time_zone);
    const to = zonedInstant(addDaysIso(date, 1), '00:00', point.time_zone);
    const entries = await repo.dayEntries(trx, context.actor.tenantId, point.id, from, to);
    const appointments = [];
    const persons: string[] = [];
    for (const entry of entries) {
      const person = await visiblePerson(trx, context.actor, entry.person_id);
      if (person) persons.push(person.id);
      appointments.push({
        id: entry.id,
        counter: entry.counter,
        start: new Date(entry.starts_at).toISOString(),
        end: new Date(entry.ends_at).toISOString(),
        status: entry.status,
        version: entry.version,
        service: { slug: entry.service_slug, names: entry.service_names },
        // The case, like the person, only for those who may see the person.
        caseId: person ? entry.case_id : null,
        caseReference: person ? entry.case_reference : null,
        person: person ? { id: person.id, officialName: person.officialName, firstNames: person.firstNames, dateOfBirth: person.dateOfBirth } : null,
      });
    }
    await audit(trx, context, 'appointments.day-read', 'service-point', point.id, { date, persons }, true);
    return { servicePoint: { id: point.id, name: point.name, address: point.address, counters: point.counters, timeZone: point.time_zone }, date, appointments };
  });
}

export async function markBooking(db: Db, context: RequestContext, id: string, expectedVersion: number, status: 'checked-in' | 'no-show'): Promise<BookingDto> {
  return inTransaction(db, async (trx) => {
    const booking = await repo.bookingById(trx, context.actor.tenantId, id, true);
    const invitation = booking ? await repo.invitationById(trx, booking.invitation_id) : null;
    if (!booking || !invitation || !(await visiblePerson(trx, context.actor, invitation.person_id))) throw problems.notFound('appointment');
    if (booking.version !== expectedVersion) throw problems.versionConflict(booking.version, bookingDto(booking));
    if (booking.status !== 'booked') throw new AppError(409, 'appointment-not-open', { status: booking.status });
    const changed = await repo.setBookingStatus(trx, booking, status);
    await closeDeadlinesOfSource(trx, booking.tenant_id, reminderSource(booking.id), status === 'checked-in' ? 'met' : 'cancelled');
    await audit(trx, context, status === 'checked-in' ? 'appointments.checked-in' : 'appointments.no-show', 'person', invitation.person_id, { bookingId: id, caseId: invitation.case_id });
    return bookingDto(changed);
  });
}

// --- the reminder ----------------------------------------------------------------------------------------

/** The reminder the day before (deadline kind 'appointment-reminder'): mailed if the appointment still stands. */
export async function onAppointmentReminderDue(trx: Trx, deadline: DueDeadline): Promise<void> {
  const bookingId = deadline.source.startsWith('appointment:') ? deadline.source.slice('appointment:'.length) : null;
  if (!bookingId) return;
  const booking = await repo.bookingById(trx, deadline.tenant_id, bookingId);
  if (booking?.status !== 'booked') return;
  const invitation = await repo.invitationById(trx, booking.invitation_id);
  if (!invitation) return;
  const { facts } = await partsOf(trx, invitation);
  await queueMail(trx, reminderMail(bookedFacts(facts, booking)));
  await appendAudit(trx, { tenantId: deadline.tenant_id, actorId: null, actorKind: 'system', actorName: 'scheduler', requestId: null }, { action: 'appointments.reminder-sent', entityType: 'person', entityId: invitation.person_id, details: { bookingId: booking.id } });
}
