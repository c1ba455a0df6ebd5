import type { Trx } from '../../platform/db/transaction.js';

/**
 * What other modules hear about a case, inside the transaction of the change (the portal mails the
 * applicant when a state asks something of them or a letter is ready). The composition root
 * subscribes them, so the cases module does not depend on who listens.
 */
/** A case entered a state, with the letters the step wrote (one step, one notice). */
export interface CaseChange {
  tenantId: string;
  caseId: string;
  personId: string;
  reference: string;
  typeSlug: string;
  state: string;
  phase: string;
  language: string;
  letters: { documentId: string; title: string }[];
}

export type CaseChangeHandler = (trx: Trx, change: CaseChange) => Promise<void>;

const handlers = new Set<CaseChangeHandler>();

export function onCaseChange(handler: CaseChangeHandler): void {
  handlers.add(handler);
}

export async function announceCaseChange(trx: Trx, change: CaseChange): Promise<void> {
  for (const handler of handlers) await handler(trx, change);
}
