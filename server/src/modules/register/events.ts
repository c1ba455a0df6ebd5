import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';

/**
 * What other modules must do when the register records a departure, inside the same transaction
 * (e.g. permits end "by departure"). The composition root subscribes them; the register does not
 * know who listens, so modules do not depend on each other in a circle.
 */
export type DepartureHandler = (trx: Trx, context: RequestContext, personId: string, date: string) => Promise<void>;

const departureHandlers = new Set<DepartureHandler>();

export function onDeparture(handler: DepartureHandler): void {
  departureHandlers.add(handler);
}

export async function announceDeparture(trx: Trx, context: RequestContext, personId: string, date: string): Promise<void> {
  for (const handler of departureHandlers) await handler(trx, context, personId, date);
}
