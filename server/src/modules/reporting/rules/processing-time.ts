import { addDays, format, parseISO } from 'date-fns';

/** How long the office took to decide cases of one type: days from filing to decision. */
export interface ProcessingTime {
  /** Decided cases the figures rest on. */
  cases: number;
  medianDays: number;
  p75Days: number;
  p90Days: number;
}

/** Below this many decided cases a median says little: the portal says it cannot tell yet. */
export const MIN_CASES_FOR_EXPECTATION = 5;

/**
 * Linear-interpolated percentile (as PostgreSQL's percentile_cont) of numbers in ascending order;
 * null for none. Used where the numbers are few (a test, a small office).
 */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, fraction));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}

export interface ExpectedDecision {
  /** Most cases filed like this one are decided by this date (median) … */
  likelyBy: string;
  /** … and nine in ten by this one (90th percentile). */
  latestBy: string;
  basedOnCases: number;
}

/**
 * When an open case can expect its decision, from the office's real processing times; null when
 * there are too few decided cases to say. A case already older than the median gets today as its
 * likely date: it is late, not decided in the past.
 */
export function expectedDecision(receivedOn: string, time: ProcessingTime | null, today: string): ExpectedDecision | null {
  if (time === null || time.cases < MIN_CASES_FOR_EXPECTATION) return null;
  const received = parseISO(receivedOn);
  const atLeastToday = (days: number) => {
    const date = format(addDays(received, Math.ceil(days)), 'yyyy-MM-dd');
    return date < today ? today : date;
  };
  return { likelyBy: atLeastToday(time.medianDays), latestBy: atLeastToday(time.p90Days), basedOnCases: time.cases };
}
