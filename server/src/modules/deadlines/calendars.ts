import type { Trx } from '../../platform/db/transaction.js';
import { loadHolidayCalendars } from './rules/holiday-catalogue.js';
import { nextWorkingDay, type HolidayCalendar } from './rules/working-days.js';

/** The shipped holiday calendars (`server/catalogues/holidays/*.json`), read once. */
let calendars: Map<string, HolidayCalendar> | null = null;

export function holidayCalendars(): Map<string, HolidayCalendar> {
  calendars ??= loadHolidayCalendars();
  return calendars;
}

/** A tenant's calendar: the setting `holidayCalendar`, else its country and canton/Land (CH + LU → ch-lu). */
export function calendarIdOf(tenant: { country: string; region: string; settings: Record<string, unknown> }): string {
  const chosen = tenant.settings.holidayCalendar;
  return typeof chosen === 'string' ? chosen : `${tenant.country}-${tenant.region}`.toLowerCase();
}

const tenantCalendars = new Map<string, HolidayCalendar | null>();

export async function calendarOfTenant(trx: Trx, tenantId: string): Promise<HolidayCalendar | null> {
  if (!tenantCalendars.has(tenantId)) {
    const tenant = await trx.selectFrom('tenants').select(['country', 'region', 'settings']).where('id', '=', tenantId).executeTakeFirstOrThrow();
    tenantCalendars.set(tenantId, holidayCalendars().get(calendarIdOf(tenant)) ?? null);
  }
  return tenantCalendars.get(tenantId) ?? null;
}

/** For a tenant whose region has no calendar yet: weekends are still off. */
const WEEKENDS_ONLY: HolidayCalendar = { calendar: 'weekends', names: {}, holidays: [] };

/** The tenant's rule "this date, or the next working day if it is a weekend or holiday", for pure rules to use. */
export async function nextWorkingDayOf(trx: Trx, tenantId: string): Promise<(date: string) => string> {
  const calendar = (await calendarOfTenant(trx, tenantId)) ?? WEEKENDS_ONLY;
  return (date) => nextWorkingDay(calendar, date);
}

export async function workingDayOf(trx: Trx, tenantId: string, date: string): Promise<string> {
  return (await nextWorkingDayOf(trx, tenantId))(date);
}
