import { addDays, format, getDay, isValid, parseISO } from 'date-fns';

/**
 * Pure working-day rules for legal deadlines: which days are public holidays in a tenant's calendar
 * and where a deadline that falls on a weekend or holiday moves to. No I/O; the calendars come as
 * data (`server/catalogues/holidays/*.json`, see holiday-catalogue.ts).
 */

/** A holiday on the same day every year ("MM-DD") or a number of days from Easter Sunday. */
export type HolidayRule = { fixed: string } | { easterOffset: number };

export interface HolidayDefinition {
  id: string;
  names: Record<string, string>;
  rule: HolidayRule;
  /** First and last year (inclusive) in which the holiday applies. */
  from?: number;
  until?: number;
  /** Why the entry is as it is (legal basis, simplifications); not shown to users. */
  note?: string;
}

export interface HolidayCalendar {
  calendar: string;
  names: Record<string, string>;
  holidays: HolidayDefinition[];
}

export interface HolidayOccurrence {
  date: string;
  id: string;
}

/** Every name must exist in the languages the user interface offers. */
const LANGUAGES = ['de', 'fr', 'it', 'en'] as const;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// February has 28 days: a fixed holiday has to exist every year.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Easter falls between 22 March and 25 April; within ±80 days every date stays in the Easter year.
const MAX_EASTER_OFFSET = 80;
// The Gregorian computus applies from 1583; ISO dates have four-digit years.
const MIN_YEAR = 1583;
const MAX_YEAR = 9999;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isYear = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= MIN_YEAR && (value as number) <= MAX_YEAR;

/** Reads a calendar from untrusted JSON; throws an error naming `source` and the offending entry. */
export function parseHolidayCalendar(json: unknown, source: string): HolidayCalendar {
  const fail = (where: string, problem: string): never => {
    throw new Error(`${source}: ${where}: ${problem}`);
  };
  if (!isObject(json)) return fail('calendar', 'must be a JSON object');
  rejectUnknownKeys(json, ['calendar', 'names', 'holidays'], 'calendar', fail);
  const calendar = json.calendar;
  if (typeof calendar !== 'string' || !ID.test(calendar)) return fail('calendar', `"calendar" must be a lower-case id like "ch-lu", got ${JSON.stringify(calendar)}`);
  const names = parseNames(json.names, 'calendar names', fail);
  if (!Array.isArray(json.holidays)) return fail('calendar', '"holidays" must be an array');

  const seen = new Set<string>();
  const holidays = json.holidays.map((entry: unknown, index): HolidayDefinition => {
    const at = `holidays[${index}]`;
    if (!isObject(entry)) return fail(at, 'must be an object');
    const id = entry.id;
    if (typeof id !== 'string' || !ID.test(id)) return fail(at, `"id" must be a lower-case id like "good-friday", got ${JSON.stringify(id)}`);
    const where = `holiday "${id}" (${at})`;
    if (seen.has(id)) fail(where, 'duplicate id');
    seen.add(id);
    rejectUnknownKeys(entry, ['id', 'names', 'rule', 'from', 'until', 'note'], where, fail);

    const holiday: HolidayDefinition = { id, names: parseNames(entry.names, where, fail), rule: parseRule(entry.rule, where, fail) };
    if (entry.from !== undefined) {
      if (!isYear(entry.from)) fail(where, `"from" must be a year ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(entry.from)}`);
      holiday.from = entry.from as number;
    }
    if (entry.until !== undefined) {
      if (!isYear(entry.until)) fail(where, `"until" must be a year ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(entry.until)}`);
      holiday.until = entry.until as number;
    }
    if (holiday.from !== undefined && holiday.until !== undefined && holiday.from > holiday.until) fail(where, `"from" ${holiday.from} is after "until" ${holiday.until}`);
    if (entry.note !== undefined) {
      if (typeof entry.note !== 'string') fail(where, '"note" must be a string');
      holiday.note = entry.note as string;
    }
    return Object.freeze(holiday);
  });
  // Frozen because holidaysOf memoises per calendar object.
  return Object.freeze({ calendar, names, holidays: Object.freeze(holidays) as HolidayDefinition[] });
}

function rejectUnknownKeys(object: JsonObject, allowed: readonly string[], where: string, fail: (where: string, problem: string) => never): void {
  // A misspelt optional key ("untill") would otherwise silently change the calendar.
  for (const key of Object.keys(object)) if (!allowed.includes(key)) fail(where, `unknown key "${key}"`);
}

function parseNames(value: unknown, where: string, fail: (where: string, problem: string) => never): Record<string, string> {
  if (!isObject(value)) return fail(where, '"names" must be an object with de, fr, it and en');
  for (const language of LANGUAGES) {
    const name = value[language];
    if (typeof name !== 'string' || name.trim() === '') fail(where, `missing name in "${language}"`);
  }
  for (const [language, name] of Object.entries(value)) if (typeof name !== 'string') fail(where, `name in "${language}" must be a string`);
  return Object.freeze({ ...(value as Record<string, string>) });
}

function parseRule(value: unknown, where: string, fail: (where: string, problem: string) => never): HolidayRule {
  if (!isObject(value)) return fail(where, '"rule" must be an object');
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'fixed') {
    const match = typeof value.fixed === 'string' ? MONTH_DAY.exec(value.fixed) : null;
    const month = Number(match?.[1]);
    const day = Number(match?.[2]);
    const daysInMonth = DAYS_IN_MONTH[month - 1];
    if (!match || daysInMonth === undefined || day < 1 || day > daysInMonth) {
      return fail(where, `"fixed" must be a day that exists every year as MM-DD, got ${JSON.stringify(value.fixed)}`);
    }
    return Object.freeze({ fixed: value.fixed as string });
  }
  if (keys.length === 1 && keys[0] === 'easterOffset') {
    const offset = value.easterOffset;
    if (!Number.isInteger(offset) || Math.abs(offset as number) > MAX_EASTER_OFFSET) {
      return fail(where, `"easterOffset" must be a whole number of days within ±${MAX_EASTER_OFFSET}, got ${JSON.stringify(offset)}`);
    }
    return Object.freeze({ easterOffset: offset as number });
  }
  return fail(where, `unknown rule ${JSON.stringify(value)}; expected { "fixed": "MM-DD" } or { "easterOffset": n }`);
}

function checkYear(year: number): void {
  if (!isYear(year)) throw new RangeError(`Year must be a whole number ${MIN_YEAR}–${MAX_YEAR}, got ${year}`);
}

/**
 * Easter Sunday of a Gregorian year as yyyy-MM-dd, by the anonymous Gregorian algorithm
 * (Meeus/Jones/Butcher): pure integer arithmetic, exact for every Gregorian year.
 */
export function easterSunday(year: number): string {
  checkYear(year);
  const a = year % 19; // position in the 19-year Metonic cycle
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); // lunar (Metonic) correction
  const h = (19 * a + b - d - g + 15) % 30; // days from 21 March to the Paschal full moon (roughly)
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the following Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// parseISO of a date-only string gives local midnight and format writes local time, so the round
// trip never shifts a day; addDays moves by calendar days, so DST changes do not matter either.
const iso = (date: Date): string => format(date, 'yyyy-MM-dd');

function toDate(date: string): Date {
  const parsed = ISO_DATE.test(date) ? parseISO(date) : new Date(Number.NaN);
  if (!isValid(parsed) || iso(parsed) !== date) throw new RangeError(`Not a valid date (yyyy-MM-dd): ${JSON.stringify(date)}`);
  return parsed;
}

interface YearHolidays {
  list: readonly HolidayOccurrence[];
  dates: ReadonlySet<string>;
}

// Calendars are treated as immutable (parseHolidayCalendar freezes them), so results can be cached.
const memo = new WeakMap<HolidayCalendar, Map<number, YearHolidays>>();

function yearHolidays(calendar: HolidayCalendar, year: number): YearHolidays {
  checkYear(year);
  let byYear = memo.get(calendar);
  if (!byYear) memo.set(calendar, (byYear = new Map()));
  const cached = byYear.get(year);
  if (cached) return cached;

  const easter = parseISO(easterSunday(year));
  const list = calendar.holidays
    .filter((holiday) => (holiday.from === undefined || holiday.from <= year) && (holiday.until === undefined || year <= holiday.until))
    .map((holiday) => ({
      date: 'fixed' in holiday.rule ? `${year}-${holiday.rule.fixed}` : iso(addDays(easter, holiday.rule.easterOffset)),
      id: holiday.id,
    }))
    .sort((x, y) => (x.date === y.date ? x.id.localeCompare(y.id) : x.date < y.date ? -1 : 1));
  const result = { list, dates: new Set(list.map((holiday) => holiday.date)) };
  byYear.set(year, result);
  return result;
}

/** The public holidays of a year, sorted by date (then id: two holidays can share a day). */
export function holidaysOf(calendar: HolidayCalendar, year: number): HolidayOccurrence[] {
  return yearHolidays(calendar, year).list.map((holiday) => ({ ...holiday }));
}

/** Monday to Friday and not a public holiday of the calendar. */
export function isWorkingDay(calendar: HolidayCalendar, date: string): boolean {
  const day = toDate(date);
  const weekday = getDay(day);
  if (weekday === 0 || weekday === 6) return false;
  return !yearHolidays(calendar, day.getFullYear()).dates.has(date);
}

// Weekends plus all holidays of a year cannot block this many consecutive days; a guard, not a rule.
const MAX_STEPS = 366;

/**
 * The date itself if it is a working day, else the next working day: a legal deadline ending on a
 * Saturday, Sunday or public holiday ends on the next working day (e.g. Art. 20 Abs. 3 VwVG,
 * § 31 Abs. 3 VwVfG, § 193 BGB).
 */
export function nextWorkingDay(calendar: HolidayCalendar, date: string): string {
  let day = toDate(date);
  for (let step = 0; step < MAX_STEPS; step++) {
    const candidate = iso(day);
    if (isWorkingDay(calendar, candidate)) return candidate;
    day = addDays(day, 1);
  }
  throw new Error(`No working day within ${MAX_STEPS} days after ${date} in calendar ${calendar.calendar}`);
}

/**
 * The n-th working day after `date` (the date itself not counted); n = 0 gives nextWorkingDay(date).
 */
export function addWorkingDays(calendar: HolidayCalendar, date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Number of working days must be a whole number ≥ 0, got ${n}`);
  if (n === 0) return nextWorkingDay(calendar, date);
  let day = iso(toDate(date));
  for (let counted = 0; counted < n; counted++) day = nextWorkingDay(calendar, iso(addDays(parseISO(day), 1)));
  return day;
}
