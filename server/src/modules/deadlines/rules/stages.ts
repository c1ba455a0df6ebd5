import { addDays, format, parseISO } from 'date-fns';

/**
 * The life of a deadline as the engine sees it: a reminder some days before (stage 1), a notice on
 * the day it is due (stage 2), an escalation to the team lead some days after (stage 3). Dates are
 * working-day due dates; stages fire at 06:00 UTC so the morning's work lists already show them.
 */
export const STAGES = { none: 0, reminded: 1, due: 2, escalated: 3 } as const;
export type Stage = (typeof STAGES)[keyof typeof STAGES];

export interface StageTimes {
  workingDueDate: string;
  reminderDays: number;
  escalationDays: number;
}

const FIRE_HOUR_UTC = 6;

function dayAt(date: string, offsetDays: number): Date {
  const day = format(addDays(parseISO(date), offsetDays), 'yyyy-MM-dd');
  return new Date(`${day}T${String(FIRE_HOUR_UTC).padStart(2, '0')}:00:00Z`);
}

/** When the stage after `stage` fires, or null when the deadline has nothing more to say. */
export function nextFireAt(times: StageTimes, stage: Stage): Date | null {
  switch (stage) {
    case STAGES.none:
      return dayAt(times.workingDueDate, -times.reminderDays);
    case STAGES.reminded:
      return dayAt(times.workingDueDate, 0);
    case STAGES.due:
      return dayAt(times.workingDueDate, times.escalationDays);
    default:
      return null;
  }
}

/**
 * The stage to fire now. A deadline found late (e.g. the server was down for a week) skips the
 * stages that no longer help: it fires only the latest stage whose time has come.
 */
export function stageToFire(times: StageTimes, stage: Stage, now: Date): Stage | null {
  let next: Stage | null = null;
  for (let candidate = stage; candidate < STAGES.escalated; candidate++) {
    const at = nextFireAt(times, candidate as Stage);
    if (at !== null && at.getTime() <= now.getTime()) next = (candidate + 1) as Stage;
  }
  return next;
}

export type OwnerRole = 'caseworker' | 'municipal-clerk';

/**
 * Who hears of a stage: the owner (the assigned person, else everyone with the owner's role in the
 * deadline's unit) first; on escalation the team leads — of the same unit for office work, of the
 * whole office for a municipality's, which has no team lead of its own.
 */
export function recipientOf(stage: Stage, owner: OwnerRole, unitId: string | null, assigneeId: string | null): { userId: string | null; role: OwnerRole | 'team-lead' | null; unitId: string | null } {
  if (stage !== STAGES.escalated) return assigneeId !== null ? { userId: assigneeId, role: null, unitId: null } : { userId: null, role: owner, unitId };
  return { userId: null, role: 'team-lead', unitId: owner === 'caseworker' ? unitId : null };
}
