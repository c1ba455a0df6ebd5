import { describe, expect, it } from 'vitest';
import { counterFor, freeSlots, isoWeekday, reminderTime, zonedInstant, type DayPlan } from '../../src/modules/appointments/rules.js';

const ZURICH = 'Europe/Zurich';
const plan = (overrides: Partial<DayPlan> = {}): DayPlan => ({
  date: '2026-03-10',
  timeZone: ZURICH,
  hours: [{ opens: '08:00', closes: '09:00' }],
  closed: false,
  slotMinutes: 15,
  counters: 1,
  bookings: [],
  now: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});
const starts = (p: DayPlan) => freeSlots(p).map((s) => s.start.toISOString());

describe('wall-clock times in a zone', () => {
  it('knows winter and summer time in Zurich', () => {
    expect(zonedInstant('2026-01-15', '08:00', ZURICH).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(zonedInstant('2026-07-15', '08:00', ZURICH).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(isoWeekday('2026-03-29')).toBe(7);
    expect(isoWeekday('2026-03-30')).toBe(1);
  });
});

describe('free slots', () => {
  it('cuts the opening hours into slots of the service length; a slot running past closing is not offered', () => {
    expect(starts(plan())).toEqual(['2026-03-10T07:00:00.000Z', '2026-03-10T07:15:00.000Z', '2026-03-10T07:30:00.000Z', '2026-03-10T07:45:00.000Z']);
    expect(starts(plan({ slotMinutes: 40 }))).toEqual(['2026-03-10T07:00:00.000Z']);
    expect(starts(plan({ hours: [{ opens: '13:30', closes: '14:00' }, { opens: '08:00', closes: '08:30' }], slotMinutes: 30 }))).toEqual(['2026-03-10T07:00:00.000Z', '2026-03-10T12:30:00.000Z']);
  });

  it('has nothing on a closed day (closure or holiday) or without hours', () => {
    expect(freeSlots(plan({ closed: true }))).toEqual([]);
    expect(freeSlots(plan({ hours: [] }))).toEqual([]);
  });

  it('uses the right offset on the days the clocks change', () => {
    // Summer time starts on Sunday 29 March 2026 at 02:00 (→ 03:00): 08:00 is UTC+2 that day.
    expect(starts(plan({ date: '2026-03-29', hours: [{ opens: '08:00', closes: '08:30' }] }))).toEqual(['2026-03-29T06:00:00.000Z', '2026-03-29T06:15:00.000Z']);
    // The night before it was still UTC+1.
    expect(starts(plan({ date: '2026-03-28', hours: [{ opens: '08:00', closes: '08:15' }] }))).toEqual(['2026-03-28T07:00:00.000Z']);
    // Winter time returns on 25 October 2026.
    expect(starts(plan({ date: '2026-10-25', hours: [{ opens: '08:00', closes: '08:15' }] }))).toEqual(['2026-10-25T07:00:00.000Z']);
    // The skipped hour has no slots: a desk open at night offers 01:00–02:00 and 03:00–04:00 only.
    expect(starts(plan({ date: '2026-03-29', hours: [{ opens: '01:00', closes: '04:00' }], slotMinutes: 60 }))).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z']);
  });

  it('offers a slot while one counter is free, and takes the lowest free counter', () => {
    const at = (time: string) => zonedInstant('2026-03-10', time, ZURICH);
    const booked = [{ counter: 1, startsAt: at('08:00'), endsAt: at('08:15') }];
    expect(starts(plan({ bookings: booked }))).not.toContain('2026-03-10T07:00:00.000Z');
    const two = freeSlots(plan({ counters: 2, bookings: booked }));
    expect(two[0]?.freeCounters).toEqual([2]);
    expect(counterFor(at('08:00'), at('08:15'), 2, booked)).toBe(2);
    expect(counterFor(at('08:00'), at('08:15'), 1, booked)).toBeNull();
    // A longer booking blocks every slot it overlaps.
    const long = [{ counter: 1, startsAt: at('08:00'), endsAt: at('08:40') }];
    expect(starts(plan({ bookings: long }))).toEqual(['2026-03-10T07:45:00.000Z']);
  });

  it('offers no slot in the past', () => {
    expect(starts(plan({ now: new Date('2026-03-10T07:15:00Z') }))).toEqual(['2026-03-10T07:30:00.000Z', '2026-03-10T07:45:00.000Z']);
  });
});

describe('reminder time', () => {
  it('is the day before at 09:00 local time, or none when that has passed', () => {
    const start = zonedInstant('2026-03-30', '10:00', ZURICH);
    expect(reminderTime(start, ZURICH, new Date('2026-03-01T00:00:00Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(reminderTime(start, ZURICH, new Date('2026-03-29T12:00:00Z'))).toBeNull();
  });
});
