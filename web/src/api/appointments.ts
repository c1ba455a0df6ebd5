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
