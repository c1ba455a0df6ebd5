/**
 * NG § 18: a person who does not register or deposit papers after a reminder can be fined, by the
 * municipality, up to CHF 1,000. The rule refuses a fine in any other situation.
 */

export const FINE_MAXIMUM_MINOR = 100_000;

export interface ReminderFact {
  /** The deadline the reminder set. */
  dueDate: string;
  /** 'met': the person complied, so there is nothing to fine. */
  status: 'open' | 'met' | 'cancelled';
}

export type FineProblem = 'fine-above-maximum' | 'fine-not-positive' | 'fine-without-reminder' | 'fine-reminder-running' | 'fine-reminder-met';

export function fineProblem(amountMinor: number, reminder: ReminderFact | null, today: string): FineProblem | null {
  if (!Number.isInteger(amountMinor) || amountMinor <= 0) return 'fine-not-positive';
  if (amountMinor > FINE_MAXIMUM_MINOR) return 'fine-above-maximum';
  // A withdrawn reminder is no reminder.
  if (!reminder || reminder.status === 'cancelled') return 'fine-without-reminder';
  if (reminder.status === 'met') return 'fine-reminder-met';
  // The deadline must have passed: a fine on its last day would punish someone still in time.
  if (today <= reminder.dueDate) return 'fine-reminder-running';
  return null;
}
