import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';

/**
 * What other modules must do when the register records a change, inside the same transaction
 * (permits end "by departure"; the exchange writes its outbox messages). The composition root
 * subscribes them; the register does not know who listens, so modules do not depend on each
 * other in a circle.
 */
/** Why a person leaves the office's foreign population: moved away, died, or became Swiss. */
export type DepartureReason = 'departure' | 'death' | 'naturalised';
export type DepartureHandler = (trx: Trx, context: RequestContext, personId: string, date: string, reason: DepartureReason) => Promise<void>;

/** A change other registers are told about (eCH-0020 events). */
export type RegisterChange =
  | { kind: 'arrival'; personId: string; residenceId: string; date: string }
  | { kind: 'move'; personId: string; residenceId: string; date: string }
  | { kind: 'departure'; personId: string; residenceIds: string[]; date: string; departedTo: string }
  | { kind: 'identity'; personId: string; date: string; fields: string[]; correction: boolean }
  | { kind: 'death'; personId: string; date: string };

export type RegisterChangeHandler = (trx: Trx, context: RequestContext, change: RegisterChange) => Promise<void>;

const departureHandlers = new Set<DepartureHandler>();
const changeHandlers = new Set<RegisterChangeHandler>();

export function onDeparture(handler: DepartureHandler): void {
  departureHandlers.add(handler);
}

export function onRegisterChange(handler: RegisterChangeHandler): void {
  changeHandlers.add(handler);
}

export async function announceDeparture(trx: Trx, context: RequestContext, personId: string, date: string, reason: DepartureReason = 'departure'): Promise<void> {
  for (const handler of departureHandlers) await handler(trx, context, personId, date, reason);
}

export async function announceRegisterChange(trx: Trx, context: RequestContext, change: RegisterChange): Promise<void> {
  for (const handler of changeHandlers) await handler(trx, context, change);
}
