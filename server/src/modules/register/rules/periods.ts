/** Dates are ISO strings (YYYY-MM-DD), which compare correctly as strings. */
export function isBefore(a: string, b: string): boolean {
  return a < b;
}

/** True when the period is well-formed: no end, or an end on or after the start. */
export function isValidPeriod(start: string, end: string | null | undefined): boolean {
  return end === null || end === undefined || end >= start;
}
