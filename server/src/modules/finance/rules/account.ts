import { differenceInCalendarDays, parseISO } from 'date-fns';

/**
 * The yearly account's definitions: revenue by kind as the office's published account lays it out
 * (Entgelte, Rückerstattung SEM, Interne Verrechnung), refunds paid back, money collected for
 * others, and how old the open receivables are.
 */

export type RevenueKind = 'fees' | 'federal-refund' | 'internal-charge' | 'other';
export const REVENUE_KINDS: readonly RevenueKind[] = ['fees', 'federal-refund', 'internal-charge', 'other'];

export type AgeBand = 'not-due' | '1-30' | '31-90' | '91-180' | 'over-180';
export const AGE_BANDS: readonly AgeBand[] = ['not-due', '1-30', '31-90', '91-180', 'over-180'];

/** How long a receivable is overdue on a day, in bands. */
export function ageBand(dueOn: string, onDate: string): AgeBand {
  const overdue = differenceInCalendarDays(parseISO(onDate), parseISO(dueOn));
  if (overdue <= 0) return 'not-due';
  if (overdue <= 30) return '1-30';
  if (overdue <= 90) return '31-90';
  if (overdue <= 180) return '91-180';
  return 'over-180';
}

export interface Receivable {
  kind: 'fee' | 'fine' | 'deposit';
  openMinor: number;
  dueOn: string;
}

export type ReceivableAges = Record<AgeBand, { count: number; openMinor: number }>;

export function receivableAges(receivables: readonly Receivable[], onDate: string): ReceivableAges {
  const ages = Object.fromEntries(AGE_BANDS.map((band) => [band, { count: 0, openMinor: 0 }])) as ReceivableAges;
  for (const receivable of receivables) {
    const band = ages[ageBand(receivable.dueOn, onDate)];
    band.count += 1;
    band.openMinor += receivable.openMinor;
  }
  return ages;
}
