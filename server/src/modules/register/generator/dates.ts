/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian).
 *
 * The generator works on integers and formats once at the end: Date objects in the
 * hot loop would dominate the cost of a million persons and invite time-zone bugs.
 * Algorithms after Howard Hinnant, "chrono-compatible low-level date algorithms".
 */

export const DAYS_PER_YEAR = 365.2425;

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Parses a strict 'YYYY-MM-DD' calendar date; throws on anything else (e.g. 2025-02-30). */
export function parseIsoDate(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) throw new RangeError(`expected YYYY-MM-DD, got "${value}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const days = daysFromCivil(year, month, day);
  const back = civilFromDays(days);
  if (back.year !== year || back.month !== month || back.day !== day) {
    throw new RangeError(`not a calendar date: "${value}"`);
  }
  return days;
}

/** Adds whole years, clamping 29 February to 28 February in common years. */
export function addYears(days: number, years: number): number {
  const { year, month, day } = civilFromDays(days);
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  const d = month === 2 && day === 29 && !leap ? 28 : day;
  return daysFromCivil(target, month, d);
}

/** Completed years of age on a given day. */
export function ageOn(birth: number, on: number): number {
  const b = civilFromDays(birth);
  const o = civilFromDays(on);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}
