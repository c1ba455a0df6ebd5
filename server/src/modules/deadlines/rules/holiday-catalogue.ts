import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHolidayCalendar, type HolidayCalendar } from './working-days.js';

/**
 * The shipped holiday calendars: `server/catalogues/holidays/<calendar>.json`. Four levels up is
 * `server/` both from `src/modules/deadlines/rules/` and from `dist/modules/deadlines/rules/`.
 */
const HOLIDAYS_DIR = fileURLToPath(new URL('../../../../catalogues/holidays/', import.meta.url));

/**
 * Reads and validates every `*.json` calendar in `dir`, keyed by calendar id. Synchronous because it
 * runs once at start-up; a broken file stops the start with an error naming the file.
 */
export function loadHolidayCalendars(dir: string = HOLIDAYS_DIR): Map<string, HolidayCalendar> {
  const calendars = new Map<string, HolidayCalendar>();
  // Sorted so that the map order does not depend on the file system.
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  for (const name of names) {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const calendar = parseHolidayCalendar(json, file);
    // The file name is the id tenants refer to; a mismatch would make a calendar unreachable.
    const expected = basename(name, '.json');
    if (calendar.calendar !== expected) throw new Error(`${file}: calendar "${calendar.calendar}" must equal the file name "${expected}"`);
    calendars.set(calendar.calendar, calendar);
  }
  return calendars;
}
