/**
 * Pure rules of the appointments module: the free slots of a service point on a day, the counter a
 * booking takes, when the reminder goes out. No I/O. Times of day are wall-clock times in the
 * service point's zone (e.g. Europe/Zurich); instants are `Date`s (UTC).
 */

export interface OpeningRange {
  /** 'HH:MM' (or 'HH:MM:SS' as the database returns it). */
  opens: string;
  closes: string;
}

export interface ActiveBooking {
  counter: number;
  startsAt: Date;
  endsAt: Date;
}

export interface DayPlan {
  /** The local day, 'YYYY-MM-DD'. */
  date: string;
  timeZone: string;
  /** The opening hours of this weekday (empty: closed). */
  hours: readonly OpeningRange[];
  /** Closed that day: a closure of the service point or a public holiday of the office's calendar. */
  closed: boolean;
  slotMinutes: number;
  counters: number;
  bookings: readonly ActiveBooking[];
  /** Slots that start at or before this instant are not offered. */
  now: Date;
}

export interface Slot {
  start: Date;
  end: Date;
  /** The counters still free for the whole slot, lowest first. */
  freeCounters: number[];
}

/** ISO weekday of a calendar date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Adds days to a calendar date. */
export function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether a zone name is one this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock parts of an instant in a zone. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(formatterOf(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/** Offset of the zone from UTC at an instant, in milliseconds (Zurich: +1 h in winter, +2 h in summer). */
function offsetAt(instant: number, timeZone: string): number {
  const { date, time } = localParts(new Date(instant), timeZone);
  const asUtc = Date.parse(`${date}T${time}Z`);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time on a day in a zone. A time that does not exist (skipped by the
 * change to summer time) moves forward by the gap; a time that exists twice takes the earlier one.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (first === second) return new Date(first);
  // Around a change the two guesses differ: take the one that reads back as the wall time, the earlier if both do.
  const readsBack = (candidate: number) => offsetAt(candidate, timeZone) + candidate === wall;
  if (readsBack(Math.min(first, second))) return new Date(Math.min(first, second));
  if (readsBack(Math.max(first, second))) return new Date(Math.max(first, second));
  return new Date(Math.max(first, second));
}

/** Minutes since midnight of 'HH:MM[:SS]'. */
function minutesOf(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The counters free for the whole of [start, end), lowest first. */
export function freeCountersFor(start: Date, end: Date, counters: number, bookings: readonly ActiveBooking[]): number[] {
  const free: number[] = [];
  for (let counter = 1; counter <= counters; counter++) {
    const busy = bookings.some((b) => b.counter === counter && b.startsAt.getTime() < end.getTime() && b.endsAt.getTime() > start.getTime());
    if (!busy) free.push(counter);
  }
  return free;
}

/** The counter a new booking takes: the lowest free one for the whole slot, or null when all are busy. */
export function counterFor(start: Date, end: Date, counters: number, bookings: readonly ActiveBooking[]): number | null {
  return freeCountersFor(start, end, counters, bookings)[0] ?? null;
}

/**
 * The free slots of a day: each opening range is cut into slots of the service's length from its
 * opening time (a slot that would run past closing is not offered); a slot is free when at least
 * one counter has no booking overlapping it; nothing on a closed day, nothing that starts in the past.
 */
export function freeSlots(plan: DayPlan): Slot[] {
  if (plan.closed || plan.slotMinutes <= 0 || plan.counters < 1) return [];
  const slots: Slot[] = [];
  const ranges = [...plan.hours].sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
  for (const range of ranges) {
    const closes = minutesOf(range.closes);
    for (let at = minutesOf(range.opens); at + plan.slotMinutes <= closes; at += plan.slotMinutes) {
      const start = zonedInstant(plan.date, clock(at), plan.timeZone);
      const end = zonedInstant(plan.date, clock(at + plan.slotMinutes), plan.timeZone);
      // A slot whose local start lies in the hour skipped by summer time does not exist.
      if (localParts(start, plan.timeZone).time.slice(0, 5) !== clock(at)) continue;
      if (start.getTime() <= plan.now.getTime()) continue;
      const freeCounters = freeCountersFor(start, end, plan.counters, plan.bookings);
      if (freeCounters.length > 0) slots.push({ start, end, freeCounters });
    }
  }
  return slots;
}

/** Hour (local) of the day before the appointment at which the reminder goes out. */
export const REMINDER_HOUR = '09:00';

/**
 * When the reminder mail goes out: the day before the appointment at 09:00 local time; null when
 * that moment has already passed at booking (an appointment for tomorrow booked this afternoon
 * needs no reminder — the confirmation just went out).
 */
export function reminderTime(startsAt: Date, timeZone: string, now: Date): Date | null {
  const day = localParts(startsAt, timeZone).date;
  const at = zonedInstant(addDaysIso(day, -1), REMINDER_HOUR, timeZone);
  return at.getTime() > now.getTime() ? at : null;
}

/** Longest range of days the free slots may be asked for at once. */
export const MAX_RANGE_DAYS = 42;

/** The days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDaysIso(day, 1)) days.push(day);
  return days;
}
