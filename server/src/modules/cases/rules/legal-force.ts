import { addDays, format, parseISO } from 'date-fns';

/**
 * Appeal period and legal force (Rechtskraft). The period starts the day after notification and
 * ends after `days` days; a last day on a weekend or holiday moves to the next working day. Without
 * an appeal the decision is in force the day after the period ends.
 */
export function appealPeriodEnd(notifiedOn: string, days: number, nextWorkingDay: (date: string) => string): string {
  return nextWorkingDay(format(addDays(parseISO(notifiedOn), days), 'yyyy-MM-dd'));
}

export function legalForceAfterPeriod(appealUntil: string): string {
  return format(addDays(parseISO(appealUntil), 1), 'yyyy-MM-dd');
}

export type AppealOutcome = 'dismissed' | 'upheld' | 'withdrawn';

/**
 * After an appeal: a dismissed or withdrawn appeal puts the decision in force on the day of that
 * outcome; an upheld one sets the decision aside and the case goes back to work.
 */
export function afterAppeal(outcome: AppealOutcome, decidedOn: string): { legalForceOn: string | null; reopen: boolean } {
  if (outcome === 'upheld') return { legalForceOn: null, reopen: true };
  return { legalForceOn: decidedOn, reopen: false };
}

/** Whether effects waiting for legal force may run while an appeal is pending. */
export function effectsHeldBack(appealFiled: boolean, suspensive: boolean): boolean {
  return appealFiled && suspensive;
}
