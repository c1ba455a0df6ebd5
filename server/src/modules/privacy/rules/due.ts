import type { RetentionPeriod } from './catalogue.js';

/**
 * Which records are due under a rule on a date. Pure: the repository fetches the facts, these
 * functions decide.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(iso: string): [number, number, number] {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`Not an ISO date (yyyy-mm-dd): ${iso}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The first day that is no longer due: `asOf` minus the period. Years and months count back on the
 * calendar (29 February minus a year is 28 February, 31 March minus a month is 28/29 February),
 * then days.
 */
export function cutoffOf(asOf: string, period: RetentionPeriod): string {
  const [year, month, day] = parts(asOf);
  const totalMonths = year * 12 + (month - 1) - period.years * 12 - period.months;
  const targetYear = Math.floor(totalMonths / 12);
  const targetMonth = (totalMonths % 12) + 1;
  const clamped = Math.min(day, daysInMonth(targetYear, targetMonth));
  const date = new Date(Date.UTC(targetYear, targetMonth - 1, clamped - period.days));
  return date.toISOString().slice(0, 10);
}

/** Due once the whole period has passed since the event: an event on the cutoff day waits one more day. */
export function isDue(eventDate: string, cutoff: string): boolean {
  return eventDate.slice(0, 10) < cutoff;
}

export interface DepartureFacts {
  /** Whether the person still has a residence without a departure date. */
  openResidence: boolean;
  /** The latest departure date of the person's residences, if any. */
  lastDeparture: string | null;
  /** The date a permit ended by death, if any. */
  deathDate: string | null;
}

/**
 * The day a person left the office's area for good: the date of death, or else the last
 * departure when no residence is open any more. Null while the person still lives here.
 */
export function leftOn(facts: DepartureFacts): string | null {
  if (facts.deathDate !== null) return facts.deathDate;
  if (facts.openResidence) return null;
  return facts.lastDeparture;
}

export interface ChainSummary {
  chain: string;
  /** Where the chain begins today: the last row retention removed before (0: never). */
  checkpointSeq: number;
  /** The newest row of the chain. */
  maxSeq: number;
  /** The oldest row that must stay: recent enough, or about a held person or case; null if none. */
  firstKeptSeq: number | null;
}

/**
 * Which oldest rows of an audit chain may go: always a prefix, so the chain stays whole from the
 * new checkpoint on; it ends before the first row that must stay (a held row stops it too).
 */
export function auditCut(summary: ChainSummary): { fromSeq: number; toSeq: number } | null {
  const toSeq = (summary.firstKeptSeq ?? summary.maxSeq + 1) - 1;
  if (toSeq <= summary.checkpointSeq) return null;
  return { fromSeq: summary.checkpointSeq + 1, toSeq };
}

/** Splits due items into those to act on and those a legal hold keeps. */
export function splitHeld<T>(items: readonly T[], isHeld: (item: T) => boolean): { act: T[]; held: T[] } {
  const act: T[] = [];
  const held: T[] = [];
  for (const item of items) (isHeld(item) ? held : act).push(item);
  return { act, held };
}
