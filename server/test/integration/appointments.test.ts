import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createMailTransport, deliverDueMails, type MailTransport } from '../../src/platform/mail/index.js';
import { fireDueDeadlines, holidayCalendars, holidaysOf } from '../../src/modules/deadlines/index.js';
import type { AppointmentTables } from '../../src/modules/appointments/repository.js';
import { zonedInstant } from '../../src/modules/appointments/rules.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import { expectStatus, isoToday, openCase, personWithPermit, plusDays, request } from '../support/finance.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';

/**
 * Appointments end to end: a service point with opening hours, an invitation from a case mailed
 * with its booking link, free slots (hours, closures, holidays, slot length), booking with an
 * iCalendar confirmation read at a real SMTP server, reschedule and cancel, refused tokens, the
 * day view and check-in, the reminder through the deadlines engine, and many people racing for
 * one slot of a one-counter service point.
 */

const ZURICH = 'Europe/Zurich';
const ADDRESS = 'Fruttstrasse 15, 6002 Luzern';

interface Problem {
  code: string;
}
interface BookingView {
  id: string;
  start: string;
  end: string;
  counter: number;
  status: string;
  version: number;
}
interface InvitationView {
  invitation: { id: string; validUntil: string };
  booking: BookingView | null;
  slots: { start: string; end: string }[];
}
interface PointView {
  id: string;
  version: number;
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json<Problem>().code).toBe(code);
}

const compact = (date: string) => date.replace(/-/g, '');
const localStart = (date: string, time: string) => zonedInstant(date, time, ZURICH).toISOString();

describe.each(DATABASE_KINDS)('appointments on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let office: TestTenant;
  let admin: Session;
  let worker: Session;
  let clerk: Session;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let dataDir: string;
  let point: PointView;
  let single: PointView;
  let caseId: string;
  /** An ordinary day ahead that is no holiday, the day after it closed. */
  let day: string;
  let closedDay: string;
  let holiday: string;
  let mailCount = 0;

  const table = () => database.db.withTables<AppointmentTables>();
  const publicCall = (method: 'GET' | 'POST', url: string, token: string | null, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'en', ...(token === null ? {} : { 'x-invitation-token': token }) } });

  /** Delivers what is queued and returns the mails that arrived since the last call. */
  async function newMails(): Promise<ReceivedMail[]> {
    for (;;) {
      const report = await deliverDueMails(database.db, transport, { batchSize: 50 });
      if (report.claimed === 0) break;
    }
    const fresh = smtp.received.slice(mailCount);
    mailCount = smtp.received.length;
    return fresh;
  }

  async function invite(servicePointId: string, email = 'ana.zahler@example.ch', validDays = 90, service = 'biometrics'): Promise<string> {
    expectStatus(await request(app, worker, 'POST', `/api/v1/cases/${caseId}/appointment-invitations`, { service, servicePointId, email, language: 'en', validDays }), 201);
    const mails = await newMails();
    const mail = mails.find((m) => m.envelope.to.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    if (!token) throw new Error('no invitation mail with a token');
    return token;
  }

  const icsOf = (mail: ReceivedMail | undefined) => mail?.attachments.find((a) => a.filename.endsWith('.ics'))?.content.toString('utf8') ?? '';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    office = await createTenant(database.db, 'office-appointments');
    await createTestUser(database.db, office, 'apt-admin', 'admin');
    await createTestUser(database.db, office, 'apt-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, office, 'apt-clerk', 'municipal-clerk', 'gemeinde-1061');
    admin = await signIn(app, 'apt-admin');
    worker = await signIn(app, 'apt-worker');
    clerk = await signIn(app, 'apt-clerk');
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-appointments-'));
    smtp = await startSmtpServer();
    transport = createMailTransport({ smtpUrl: smtp.url, mailFrom: 'Amt für Migration <no-reply@migraflow.example.ch>', dataDir });

    const calendar = holidayCalendars().get('ch-lu')!;
    const year = Number(isoToday().slice(0, 4));
    const holidays = new Set([...holidaysOf(calendar, year), ...holidaysOf(calendar, year + 1)].map((h) => h.date));
    day = plusDays(isoToday(), 3);
    while (holidays.has(day) || holidays.has(plusDays(day, 1))) day = plusDays(day, 1);
    closedDay = plusDays(day, 1);
    holiday = [...holidays].sort().find((d) => d > plusDays(isoToday(), 1))!;

    expectStatus(await request(app, admin, 'PUT', '/api/v1/appointment-services/biometrics', { names: { de: 'Biometrie', fr: 'Biométrie', it: 'Biometria', en: 'Biometrics' }, slotMinutes: 15 }), 200);
    expectStatus(await request(app, admin, 'PUT', '/api/v1/appointment-services/interview', { names: { de: 'Gespräch', fr: 'Entretien', it: 'Colloquio', en: 'Interview' }, slotMinutes: 30 }), 200);
    const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '12:00' }));
    point = expectStatus<PointView>(await request(app, admin, 'POST', '/api/v1/appointment-service-points', { name: 'Fruttstrasse', address: ADDRESS, counters: 2 }), 201);
    point = expectStatus<PointView>(await request(app, admin, 'PUT', `/api/v1/appointment-service-points/${point.id}/hours`, { hours }, { 'if-match': `"${point.version}"` }), 200);
    expectStatus(await request(app, admin, 'POST', `/api/v1/appointment-service-points/${point.id}/closures`, { date: closedDay, reason: 'Team day' }), 201);
    single = expectStatus<PointView>(await request(app, admin, 'POST', '/api/v1/appointment-service-points', { name: 'Kriens', address: 'Schachenstrasse 13, 6010 Kriens', counters: 1 }), 201);
    single = expectStatus<PointView>(await request(app, admin, 'PUT', `/api/v1/appointment-service-points/${single.id}/hours`, { hours }, { 'if-match': `"${single.version}"` }), 200);

    const personId = await personWithPermit(app, database.db, office, worker);
    caseId = (await openCase(app, worker, 'permit-extension', personId)).id;
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
    transport?.close();
    await smtp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('configures service points only with appointments:manage, and checks If-Match on the hours', async () => {
    expectProblem(await request(app, worker, 'POST', '/api/v1/appointment-service-points', { name: 'X', address: 'Y', counters: 1 }), 403, 'forbidden');
    expectProblem(await request(app, admin, 'PUT', `/api/v1/appointment-service-points/${point.id}/hours`, { hours: [] }), 428, 'precondition-required');
    expectProblem(await request(app, admin, 'PUT', `/api/v1/appointment-service-points/${point.id}/hours`, { hours: [] }, { 'if-match': '"1"' }), 409, 'version-conflict');
    const points = expectStatus<{ id: string; hours: unknown[]; closures: { date: string }[] }[]>(await request(app, worker, 'GET', '/api/v1/appointment-service-points'), 200);
    const mine = points.find((p) => p.id === point.id)!;
    expect(mine.hours).toHaveLength(7);
    expect(mine.closures.map((c) => c.date)).toContain(closedDay);
  });

  it('offers free slots by opening hours and slot length, none on a closure or a public holiday', async () => {
    const token = await invite(point.id);
    const view = expectStatus<InvitationView>(await publicCall('GET', `/api/v1/appointments/by-invitation?from=${day}&to=${closedDay}`, token), 200);
    const onDay = view.slots.filter((s) => s.start >= localStart(day, '00:00') && s.start < localStart(closedDay, '00:00'));
    expect(onDay).toHaveLength(16);
    expect(onDay[0]).toEqual({ start: localStart(day, '08:00'), end: localStart(day, '08:15') });
    expect(onDay.at(-1)).toEqual({ start: localStart(day, '11:45'), end: localStart(day, '12:00') });
    expect(view.slots.filter((s) => s.start >= localStart(closedDay, '00:00'))).toEqual([]);
    const onHoliday = expectStatus<InvitationView>(await publicCall('GET', `/api/v1/appointments/by-invitation?from=${holiday}&to=${holiday}`, token), 200);
    expect(onHoliday.slots).toEqual([]);
    expectProblem(await publicCall('GET', `/api/v1/appointments/by-invitation?from=${day}&to=${plusDays(day, 60)}`, token), 400, 'appointment-range-too-long');
  });

  it('books a slot and mails a confirmation whose calendar entry has the booking id and the local start', async () => {
    const token = await invite(point.id);
    const booking = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start: localStart(day, '09:00') }), 201);
    expect(booking).toMatchObject({ status: 'booked', counter: 1, start: localStart(day, '09:00'), end: localStart(day, '09:15') });
    const mails = await newMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Appointment confirmed');
    const ics = icsOf(mails[0]);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${booking.id}`);
    expect(ics).toContain(`DTSTART;TZID=Europe/Zurich:${compact(day)}T090000`);
    expect(ics).toContain(`DTEND;TZID=Europe/Zurich:${compact(day)}T091500`);
    // The zone the times name is defined in the file itself, with its summer and winter offsets.
    expect(ics).toMatch(/BEGIN:VTIMEZONE\r?\nTZID:Europe\/Zurich[\s\S]*TZOFFSETTO:\+0200[\s\S]*TZOFFSETTO:\+0100[\s\S]*END:VTIMEZONE/);
    expect(ics).toContain('LOCATION:Fruttstrasse 15\\, 6002 Luzern');
    expect(mails[0]!.attachments[0]!.contentType).toContain('method=REQUEST');
    // One appointment per invitation; a slot that is none is refused.
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start: localStart(day, '10:00') }), 409, 'appointment-already-booked');
    const other = await invite(point.id, 'someone.else@example.ch');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', other, { start: localStart(day, '12:00') }), 422, 'appointment-slot-unavailable');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', other, { start: localStart(closedDay, '09:00') }), 422, 'appointment-slot-unavailable');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', other, { start: localStart(day, '09:07') }), 422, 'appointment-slot-unavailable');
    // The second counter still takes 09:00; then the slot is full.
    expect(expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', other, { start: localStart(day, '09:00') }), 201).counter).toBe(2);
    const third = await invite(point.id, 'third@example.ch');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', third, { start: localStart(day, '09:00') }), 409, 'slot-taken');
    const view = expectStatus<InvitationView>(await publicCall('GET', `/api/v1/appointments/by-invitation?from=${day}&to=${day}`, third), 200);
    expect(view.slots.map((s) => s.start)).not.toContain(localStart(day, '09:00'));
    await newMails();
  });

  it('reschedules (CANCEL for the old entry, REQUEST for the new one) and cancels', async () => {
    const token = await invite(point.id, 'mover@example.ch');
    const first = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start: localStart(day, '10:00') }), 201);
    await newMails();
    const moved = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/reschedule', token, { start: localStart(day, '11:00') }), 200);
    expect(moved.id).not.toBe(first.id);
    const mails = await newMails();
    const cancelIcs = mails.map(icsOf).find((ics) => ics.includes('METHOD:CANCEL'));
    const requestIcs = mails.map(icsOf).find((ics) => ics.includes('METHOD:REQUEST'));
    expect(cancelIcs).toContain(`UID:${first.id}`);
    expect(cancelIcs).toContain('STATUS:CANCELLED');
    expect(requestIcs).toContain(`UID:${moved.id}`);
    expect(requestIcs).toContain(`DTSTART;TZID=Europe/Zurich:${compact(day)}T110000`);
    // The old slot is free again.
    const view = expectStatus<InvitationView>(await publicCall('GET', `/api/v1/appointments/by-invitation?from=${day}&to=${day}`, token), 200);
    expect(view.slots.map((s) => s.start)).toContain(localStart(day, '10:00'));
    expect(view.booking?.id).toBe(moved.id);

    const cancelled = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/cancellation', token, {}), 200);
    expect(cancelled.status).toBe('cancelled');
    const cancelMails = await newMails();
    expect(cancelMails).toHaveLength(1);
    expect(icsOf(cancelMails[0])).toContain('METHOD:CANCEL');
    expect(icsOf(cancelMails[0])).toContain(`UID:${moved.id}`);
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/cancellation', token, {}), 409, 'appointment-not-booked');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/reschedule', token, { start: localStart(day, '11:00') }), 409, 'appointment-not-booked');
  });

  it('refuses an unknown or expired token, and a booking without an invitation', async () => {
    expectProblem(await publicCall('GET', '/api/v1/appointments/by-invitation', 'not-a-token'), 404, 'invitation-invalid');
    expectProblem(await publicCall('GET', '/api/v1/appointments/by-invitation', null), 404, 'invitation-invalid');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', null, { start: localStart(day, '08:00') }), 404, 'invitation-invalid');
    const token = await invite(point.id, 'late@example.ch');
    const view = expectStatus<InvitationView>(await publicCall('GET', '/api/v1/appointments/by-invitation', token), 200);
    await table().updateTable('appointment_invitations').set({ valid_until: new Date(Date.now() - 1000) }).where('id', '=', view.invitation.id).execute();
    expectProblem(await publicCall('GET', '/api/v1/appointments/by-invitation', token), 410, 'invitation-expired');
    expectProblem(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', null, { start: localStart(day, '08:00'), token }), 410, 'invitation-expired');
    // The token is stored only as its hash.
    const stored = await table().selectFrom('appointment_invitations').select('token_hash').where('id', '=', view.invitation.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
  });

  it('shows the day at the counter and checks a person in with If-Match', async () => {
    const token = await invite(point.id, 'visitor@example.ch');
    const booking = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start: localStart(day, '08:30') }), 201);
    const dayView = expectStatus<{ appointments: { id: string; person: { officialName: string } | null; caseId: string | null; caseReference: string | null; version: number; counter: number }[] }>(await request(app, clerk, 'GET', `/api/v1/appointments?servicePoint=${point.id}&date=${day}`), 200);
    const entry = dayView.appointments.find((a) => a.id === booking.id)!;
    expect(entry.person?.officialName).toMatch(/^Zahler/);
    expect(entry.caseId).toBe(caseId);
    // The clerk greets the person and opens the case by its reference.
    const { reference } = await database.db.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(entry.caseReference).toBe(reference);
    expectProblem(await request(app, admin, 'GET', `/api/v1/appointments?servicePoint=${point.id}&date=${day}`), 403, 'forbidden');
    expectProblem(await request(app, clerk, 'POST', `/api/v1/appointments/${booking.id}/check-in`), 428, 'precondition-required');
    expectProblem(await request(app, clerk, 'POST', `/api/v1/appointments/${booking.id}/check-in`, undefined, { 'if-match': '"7"' }), 409, 'version-conflict');
    const checkedIn = expectStatus<BookingView>(await request(app, clerk, 'POST', `/api/v1/appointments/${booking.id}/check-in`, undefined, { 'if-match': `"${booking.version}"` }), 200);
    expect(checkedIn).toMatchObject({ status: 'checked-in', version: booking.version + 1 });
    expectProblem(await request(app, clerk, 'POST', `/api/v1/appointments/${booking.id}/no-show`, undefined, { 'if-match': `"${checkedIn.version}"` }), 409, 'appointment-not-open');
    const audit = await database.db.selectFrom('audit_log').select('action').where('tenant_id', '=', office.id).where('action', 'like', 'appointments.%').execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['appointments.service-set', 'appointments.service-point-created', 'appointments.hours-set', 'appointments.closure-added', 'appointments.invitation-sent', 'appointments.invitation-read', 'appointments.booked', 'appointments.rescheduled', 'appointments.cancelled', 'appointments.day-read', 'appointments.checked-in']));
    await newMails();
  });

  it('mails the reminder the day before through the deadlines engine', async () => {
    const token = await invite(point.id, 'reminded@example.ch');
    const booking = expectStatus<BookingView>(await publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start: localStart(day, '11:30') }), 201);
    await newMails();
    const deadline = await database.db.selectFrom('deadlines').select(['kind', 'next_fire_at']).where('source', '=', `appointment:${booking.id}`).executeTakeFirstOrThrow();
    expect(deadline.kind).toBe('appointment-reminder');
    expect(new Date(deadline.next_fire_at!).toISOString()).toBe(localStart(plusDays(day, -1), '09:00'));
    await fireDueDeadlines(database.db, { now: new Date(new Date(localStart(plusDays(day, -1), '09:00')).getTime() - 60_000) });
    expect((await newMails()).filter((m) => m.envelope.to.includes('reminded@example.ch'))).toEqual([]);
    await fireDueDeadlines(database.db, { now: new Date(localStart(plusDays(day, -1), '09:01')) });
    const reminders = (await newMails()).filter((m) => m.envelope.to.includes('reminded@example.ch'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.subject).toContain('Reminder');
    expect(reminders[0]!.text).toContain('Fruttstrasse 15');
  });

  it('lets exactly one of many people racing for the last counter of a slot book it', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await invite(single.id, `racer-${i}@example.ch`));
    const start = localStart(day, '10:30');
    const responses = await Promise.all(tokens.map((token) => publicCall('POST', '/api/v1/appointments/by-invitation/booking', token, { start })));
    const booked = responses.filter((r) => r.statusCode === 201);
    const refused = responses.filter((r) => r.statusCode === 409);
    expect(booked, responses.map((r) => r.statusCode).join(',')).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const response of refused) expect(response.json<Problem>().code).toBe('slot-taken');
    const active = await table().selectFrom('appointment_bookings').select('id').where('service_point_id', '=', single.id).where('starts_at', '=', new Date(start)).where('status', '<>', 'cancelled').execute();
    expect(active).toHaveLength(1);
    // Exactly one confirmation went out.
    expect((await newMails()).filter((m) => m.subject.includes('Appointment confirmed'))).toHaveLength(1);
  });

  it('never lets two appointments of different lengths overlap on one counter, even when booked at the same instant', async () => {
    // Five rounds of a 30-minute interview and a 15-minute biometrics appointment racing for overlapping times of the only counter.
    for (let round = 0; round < 5; round++) {
      const hour = String(8 + Math.floor(round / 2)).padStart(2, '0');
      const half = round % 2 === 0 ? '00' : '30';
      const longToken = await invite(single.id, `long-${round}@example.ch`, 90, 'interview');
      const shortToken = await invite(single.id, `short-${round}@example.ch`, 90, 'biometrics');
      const longStart = localStart(day, `${hour}:${half}`);
      const shortStart = new Date(new Date(longStart).getTime() + 15 * 60_000).toISOString();
      const [long, short] = await Promise.all([
        publicCall('POST', '/api/v1/appointments/by-invitation/booking', longToken, { start: longStart }),
        publicCall('POST', '/api/v1/appointments/by-invitation/booking', shortToken, { start: shortStart }),
      ]);
      expect([long.statusCode, short.statusCode].sort(), `${long.body} ${short.body}`).toEqual([201, 409]);
      const loser = long.statusCode === 409 ? long : short;
      expect(loser.json<Problem>().code).toBe('slot-taken');
    }
    const active = await table()
      .selectFrom('appointment_bookings')
      .select(['starts_at', 'ends_at'])
      .where('service_point_id', '=', single.id)
      .where('status', '<>', 'cancelled')
      .orderBy('starts_at')
      .execute();
    for (let i = 1; i < active.length; i++) expect(new Date(active[i]!.starts_at).getTime()).toBeGreaterThanOrEqual(new Date(active[i - 1]!.ends_at).getTime());
  });
});
