import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFeeSchedule, type FeeSchedule } from './rules/fees.js';

/** The shipped fee schedules: `server/catalogues/fees/<country>.json`, checked when first read. */
const FEES_DIR = fileURLToPath(new URL('../../../catalogues/fees/', import.meta.url));

const loaded = new Map<'CH' | 'DE', FeeSchedule>();

export function feeScheduleOf(country: 'CH' | 'DE'): FeeSchedule {
  const cached = loaded.get(country);
  if (cached) return cached;
  const source = `fees/${country.toLowerCase()}.json`;
  const schedule = parseFeeSchedule(JSON.parse(readFileSync(`${FEES_DIR}${country.toLowerCase()}.json`, 'utf8')), source);
  if (schedule.country !== country) throw new Error(`${source} declares country ${schedule.country}`);
  loaded.set(country, schedule);
  return schedule;
}
