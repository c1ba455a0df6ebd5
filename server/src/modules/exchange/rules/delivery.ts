/** When to try a failed delivery again (pure). */

/** 30 s, 1 min, 2 min … doubling up to 6 h between attempts; after 15 attempts (about a day and a half: a partner down over a weekend night is caught up) the delivery has failed. */
export const MAX_ATTEMPTS = 15;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 6 * 3_600_000;

/** The time of the next attempt after `attempts` failed ones, or null when the delivery has failed for good. */
export function nextAttempt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_DELAY_MS);
  return new Date(now.getTime() + delay);
}
