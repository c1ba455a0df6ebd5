import { apiRequest } from './client';
import type { Language } from '../i18n';

/** Booking an appointment with the token of an invitation (server/src/modules/appointments/routes.ts). */

export interface InvitationView {
  invitation: {
    id: string;
    language: Language;
    validUntil: string;
    service: { slug: string; names: Partial<Record<Language, string>>; slotMinutes: number };
    servicePoint: { id: string; name: string; address: string; timeZone: string };
  };
  booking: Booking | null;
  slots: Slot[];
}

export interface Slot {
  start: string;
  end: string;
}

export interface Booking {
  id: string;
  invitationId: string;
  servicePointId: string;
  counter: number;
  start: string;
  end: string;
  status: 'booked' | 'cancelled' | 'checked-in' | 'no-show';
  version: number;
}

/** The server lists at most six weeks at once. */
export const BOOKING_RANGE_DAYS = 42;

// The token travels in a header, never in a URL: URLs end up in logs.
const withToken = (token: string) => ({ 'X-Invitation-Token': token });

export function fetchInvitation(token: string, range: { from?: string; to?: string }, signal?: AbortSignal): Promise<InvitationView> {
  return apiRequest<InvitationView>('/api/v1/appointments/by-invitation', { query: range, headers: withToken(token), signal });
}

export function bookSlot(token: string, start: string): Promise<Booking> {
  return apiRequest<Booking>('/api/v1/appointments/by-invitation/booking', { method: 'POST', body: { start }, headers: withToken(token) });
}

export function rescheduleBooking(token: string, start: string): Promise<Booking> {
  return apiRequest<Booking>('/api/v1/appointments/by-invitation/reschedule', { method: 'POST', body: { start }, headers: withToken(token) });
}

export function cancelBooking(token: string): Promise<Booking> {
  // An empty object: the route's (optional) body schema refuses a request without one.
  return apiRequest<Booking>('/api/v1/appointments/by-invitation/cancellation', { method: 'POST', body: {}, headers: withToken(token) });
}

// ---- staff: the day view at the counter ------------------------------------------------------

/** A service point as GET /api/v1/appointment-service-points lists it (no personal data). */
export interface ServicePoint {
  id: string;
  unitId: string | null;
  name: string;
  address: string;
  counters: number;
  timeZone: string;
  active: boolean;
  version: number;
  hours: { weekday: number; opens: string; closes: string }[];
  closures: { id: string; date: string; reason: string | null }[];
}

export type AppointmentStatus = Booking['status'];

/** One booking of the day; person and case are null when the signed-in user may not see the person. */
export interface DayAppointment {
  id: string;
  counter: number;
  start: string;
  end: string;
  status: AppointmentStatus;
  version: number;
  service: { slug: string; names: Partial<Record<Language, string>> };
  caseId: string | null;
  caseReference: string | null;
  person: { id: string; officialName: string; firstNames: string; dateOfBirth: string } | null;
}

export interface DayView {
  servicePoint: { id: string; name: string; address: string; counters: number; timeZone: string };
  date: string;
  appointments: DayAppointment[];
}

export function fetchServicePoints(signal?: AbortSignal): Promise<ServicePoint[]> {
  return apiRequest<ServicePoint[]>('/api/v1/appointment-service-points', { signal });
}

/** The bookings of a service point on a local day (YYYY-MM-DD); reading it is audited. */
export function fetchDayView(servicePointId: string, date: string, signal?: AbortSignal): Promise<DayView> {
  return apiRequest<DayView>('/api/v1/appointments', { query: { servicePoint: servicePointId, date }, signal });
}

export type AppointmentMark = 'check-in' | 'no-show';

/** At the counter: the person came, or did not. `version` is the booking's as loaded (If-Match). */
export function markAppointment(id: string, version: number, mark: AppointmentMark): Promise<Booking> {
  return apiRequest<Booking>(`/api/v1/appointments/${encodeURIComponent(id)}/${mark}`, { method: 'POST', ifMatch: version });
}

// ---- staff: inviting the person of a case ------------------------------------------------------------

export interface AppointmentService {
  id: string;
  slug: string;
  names: Partial<Record<Language, string>>;
  slotMinutes: number;
}

export function fetchAppointmentServices(signal?: AbortSignal): Promise<AppointmentService[]> {
  return apiRequest<AppointmentService[]>('/api/v1/appointment-services', { signal });
}

export interface InvitationInput {
  service: string;
  servicePointId: string;
  email: string;
  language: Language;
  validDays?: number;
}

/** The booking link goes out by mail at once; the answer is the invitation without its token. */
export function inviteToAppointment(caseId: string, input: InvitationInput): Promise<{ id: string; email: string; validUntil: string }> {
  return apiRequest(`/api/v1/cases/${encodeURIComponent(caseId)}/appointment-invitations`, { method: 'POST', body: input });
}
