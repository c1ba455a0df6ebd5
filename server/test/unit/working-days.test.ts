import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDay, parseISO } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  easterSunday,
  holidaysOf,
  isWorkingDay,
  nextWorkingDay,
  parseHolidayCalendar,
  type HolidayCalendar,
} from '../../src/modules/deadlines/rules/working-days.js';
import { loadHolidayCalendars } from '../../src/modules/deadlines/rules/holiday-catalogue.js';

const calendars = loadHolidayCalendars();
const calendar = (id: string): HolidayCalendar => {
  const found = calendars.get(id);
  if (!found) throw new Error(`calendar ${id} not shipped`);
  return found;
};
const lucerne = calendar('ch-lu');
const berlin = calendar('de-be');
const bavaria = calendar('de-by');

describe('Easter Sunday', () => {
  it('matches known dates, including the earliest and latest possible', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(1583)).toBe('1583-04-10');
  });
  it('is always a Sunday between 22 March and 25 April', () => {
    const wrong: string[] = [];
    for (let year = 1583; year <= 9999; year++) {
      const easter = easterSunday(year);
      if (getDay(parseISO(easter)) !== 0 || easter.slice(5) < '03-22' || easter.slice(5) > '04-25') wrong.push(easter);
    }
    expect(wrong).toEqual([]);
  });
  it('rejects years outside the Gregorian range', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('holiday calendars', () => {
  it('lists the public holidays of Lucerne in 2026', () => {
    expect(holidaysOf(lucerne, 2026)).toEqual([
      { date: '2026-01-01', id: 'new-year' },
      { date: '2026-01-02', id: 'st-berchtolds-day' },
      { date: '2026-04-03', id: 'good-friday' },
      { date: '2026-04-06', id: 'easter-monday' },
      { date: '2026-05-14', id: 'ascension' },
      { date: '2026-05-25', id: 'whit-monday' },
      { date: '2026-06-04', id: 'corpus-christi' },
      { date: '2026-08-01', id: 'national-day' },
      { date: '2026-08-15', id: 'assumption' },
      { date: '2026-11-01', id: 'all-saints' },
      { date: '2026-12-08', id: 'immaculate-conception' },
      { date: '2026-12-25', id: 'christmas-day' },
      { date: '2026-12-26', id: 'st-stephens-day' },
    ]);
  });
  it('respects year bounds', () => {
    const dates = (cal: HolidayCalendar, year: number) => holidaysOf(cal, year).map((holiday) => holiday.date);
    expect(dates(berlin, 2018)).not.toContain('2018-03-08');
    expect(dates(berlin, 2019)).toContain('2019-03-08');
    expect(dates(berlin, 2025)).toContain('2025-05-08');
    expect(dates(berlin, 2026)).not.toContain('2026-05-08');
    expect(dates(bavaria, 2017)).toContain('2017-10-31');
    expect(dates(bavaria, 2018)).not.toContain('2018-10-31');
  });
  it('keeps both holidays when two fall on the same day', () => {
    // 2008: Ascension on 1 May.
    expect(holidaysOf(berlin, 2008).filter((holiday) => holiday.date === '2008-05-01').map((holiday) => holiday.id)).toEqual(['ascension', 'labour-day']);
  });
  it('hands out copies, so callers cannot change the memo', () => {
    const first = holidaysOf(lucerne, 2026);
    first.length = 0;
    expect(holidaysOf(lucerne, 2026)).toHaveLength(13);
  });
});

describe('working days and deadlines', () => {
  it('treats weekends and holidays as non-working days', () => {
    expect(isWorkingDay(lucerne, '2026-06-03')).toBe(true);
    expect(isWorkingDay(lucerne, '2026-06-06')).toBe(false); // Saturday
    expect(isWorkingDay(lucerne, '2026-06-07')).toBe(false); // Sunday
    expect(isWorkingDay(bavaria, '2026-01-06')).toBe(false); // Epiphany, Tuesday
    expect(isWorkingDay(berlin, '2026-01-06')).toBe(true);
  });
  it('moves a deadline on Saturday 1 August 2026 to Monday 3 August', () => {
    expect(nextWorkingDay(lucerne, '2026-08-01')).toBe('2026-08-03');
  });
  it('moves a deadline on Christmas Day 2026 in Lucerne over St Stephen and the weekend', () => {
    expect(nextWorkingDay(lucerne, '2026-12-25')).toBe('2026-12-28');
  });
  it('moves a deadline over Good Friday and Easter Monday', () => {
    expect(nextWorkingDay(lucerne, '2026-04-03')).toBe('2026-04-07');
  });
  it('keeps a deadline that falls on a working day', () => {
    expect(nextWorkingDay(lucerne, '2026-08-04')).toBe('2026-08-04');
  });
  it('knows Corpus Christi is a holiday in Lucerne and Bavaria but not in Berlin', () => {
    expect(isWorkingDay(berlin, '2026-06-04')).toBe(true);
    expect(isWorkingDay(lucerne, '2026-06-04')).toBe(false);
    expect(isWorkingDay(bavaria, '2026-06-04')).toBe(false);
    expect(nextWorkingDay(lucerne, '2026-06-04')).toBe('2026-06-05');
  });
  it('does not shift Women’s Day to Monday when it falls on a Sunday', () => {
    expect(isWorkingDay(berlin, '2026-03-08')).toBe(false);
    expect(isWorkingDay(berlin, '2026-03-09')).toBe(true);
    expect(isWorkingDay(berlin, '2027-03-08')).toBe(false); // Monday
  });
  it('crosses the year end', () => {
    expect(nextWorkingDay(lucerne, '2027-12-31')).toBe('2027-12-31'); // Friday, no holiday
    expect(nextWorkingDay(lucerne, '2028-01-01')).toBe('2028-01-03');
    expect(nextWorkingDay(berlin, '2027-12-25')).toBe('2027-12-27');
  });
  it('adds working days', () => {
    expect(addWorkingDays(lucerne, '2026-12-23', 0)).toBe('2026-12-23');
    expect(addWorkingDays(lucerne, '2026-12-23', 1)).toBe('2026-12-24');
    expect(addWorkingDays(lucerne, '2026-12-23', 2)).toBe('2026-12-28');
    expect(addWorkingDays(lucerne, '2026-12-26', 0)).toBe('2026-12-28');
    expect(addWorkingDays(lucerne, '2026-12-31', 1)).toBe('2027-01-04');
    expect(() => addWorkingDays(lucerne, '2026-12-23', -1)).toThrow(RangeError);
  });
  it('rejects malformed dates', () => {
    expect(() => isWorkingDay(lucerne, '2026-02-30')).toThrow(RangeError);
    expect(() => nextWorkingDay(lucerne, '2026-8-1')).toThrow(RangeError);
    expect(() => isWorkingDay(lucerne, '2026-08-01T00:00')).toThrow(RangeError);
  });
});

describe('parsing calendars', () => {
  const valid = () => ({
    calendar: 'xx-test',
    names: { de: 'Test', fr: 'Test', it: 'Test', en: 'Test' },
    holidays: [{ id: 'new-year', names: { de: 'Neujahr', fr: 'Nouvel An', it: 'Capodanno', en: 'New Year' }, rule: { fixed: '01-01' } as object }],
  });
  const withHoliday = (changes: Record<string, unknown>) => {
    const json = valid();
    json.holidays[0] = { ...json.holidays[0]!, ...changes };
    return json;
  };

  it('accepts a valid calendar', () => {
    expect(parseHolidayCalendar(valid(), 'test.json').holidays).toHaveLength(1);
  });
  it('names the source and the entry on bad data', () => {
    expect(() => parseHolidayCalendar(withHoliday({ rule: { fixed: '02-30' } }), 'bad.json')).toThrow(/^bad\.json: holiday "new-year" \(holidays\[0\]\): "fixed" .*"02-30"/);
    expect(() => parseHolidayCalendar(withHoliday({ rule: { fixed: '02-29' } }), 'bad.json')).toThrow(/bad\.json: holiday "new-year"/);
    expect(() => parseHolidayCalendar(withHoliday({ rule: { fixed: '1-01' } }), 'bad.json')).toThrow(/bad\.json: holiday "new-year"/);
    expect(() => parseHolidayCalendar(withHoliday({ rule: { weekday: 'monday' } }), 'bad.json')).toThrow(/bad\.json: holiday "new-year".*unknown rule/);
    expect(() => parseHolidayCalendar(withHoliday({ rule: { fixed: '01-01', easterOffset: 1 } }), 'bad.json')).toThrow(/unknown rule/);
    expect(() => parseHolidayCalendar(withHoliday({ rule: { easterOffset: 1.5 } }), 'bad.json')).toThrow(/"easterOffset"/);
    expect(() => parseHolidayCalendar(withHoliday({ names: { de: 'Neujahr', fr: 'Nouvel An', it: 'Capodanno' } }), 'bad.json')).toThrow(/bad\.json: holiday "new-year".*missing name in "en"/);
    expect(() => parseHolidayCalendar(withHoliday({ names: undefined }), 'bad.json')).toThrow(/bad\.json: holiday "new-year".*"names"/);
    expect(() => parseHolidayCalendar(withHoliday({ from: 2030, until: 2020 }), 'bad.json')).toThrow(/"from" 2030 is after "until" 2020/);
    expect(() => parseHolidayCalendar(withHoliday({ untill: 2020 }), 'bad.json')).toThrow(/unknown key "untill"/);
    expect(() => parseHolidayCalendar(withHoliday({ id: 'New Year' }), 'bad.json')).toThrow(/bad\.json: holidays\[0\]: "id"/);
  });
  it('rejects duplicate ids and a broken calendar header', () => {
    const json = valid();
    json.holidays.push(json.holidays[0]!);
    expect(() => parseHolidayCalendar(json, 'dup.json')).toThrow(/dup\.json: holiday "new-year" \(holidays\[1\]\): duplicate id/);
    expect(() => parseHolidayCalendar({ ...valid(), names: { de: 'Test' } }, 'head.json')).toThrow(/head\.json: calendar names: missing name in "fr"/);
    expect(() => parseHolidayCalendar({ ...valid(), holidays: {} }, 'head.json')).toThrow(/head\.json: calendar: "holidays"/);
    expect(() => parseHolidayCalendar([], 'head.json')).toThrow(/head\.json: calendar: must be a JSON object/);
  });
});

describe('holiday catalogue', () => {
  it('ships Lucerne, Berlin and Bavaria', () => {
    expect([...calendars.keys()]).toEqual(['ch-lu', 'de-be', 'de-by']);
    for (const cal of calendars.values()) expect(cal.names.de).toBeTruthy();
  });
  it('insists that the calendar id equals the file name and names broken files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'holidays-'));
    try {
      writeFileSync(join(dir, 'xx-other.json'), JSON.stringify({ calendar: 'xx-test', names: { de: 'T', fr: 'T', it: 'T', en: 'T' }, holidays: [] }));
      expect(() => loadHolidayCalendars(dir)).toThrow(/xx-other\.json: calendar "xx-test" must equal the file name "xx-other"/);
      rmSync(join(dir, 'xx-other.json'));
      writeFileSync(join(dir, 'xx-broken.json'), '{ "calendar": ');
      expect(() => loadHolidayCalendars(dir)).toThrow(/xx-broken\.json: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
