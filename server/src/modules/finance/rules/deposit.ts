import { addMonths, format, parseISO } from 'date-fns';

/**
 * The deposit (Kaution) of NG § 15a: who owes it, how much, in which instalments, and what happens
 * to the money on departure. Pure rules; the service gathers the facts.
 */

export const DEPOSIT_SINGLE_MINOR = 300_000;
export const DEPOSIT_FAMILY_MINOR = 500_000;

export type DepositBasis = 'no-valid-passport' | 'provisionally-admitted-self-supporting';
export type Household = 'single' | 'family';

export interface DepositFacts {
  /** The permit the person receives (or, for F, holds). */
  permitCategory: string;
  /** A recognised national passport, valid on the day of the decision. */
  hasRecognisedValidPassport: boolean;
  /** For provisionally admitted persons (F): lives without social assistance. */
  selfSupporting: boolean;
  /** Persons in the household, the person included: spouse or partner and children make a family. */
  householdSize: number;
}

export type DepositAssessment =
  | { owed: true; basis: DepositBasis; household: Household; amountMinor: number }
  | { owed: false; reason: 'category-not-concerned' | 'has-valid-passport' | 'not-self-supporting' };

export function assessDeposit(facts: DepositFacts): DepositAssessment {
  const household: Household = facts.householdSize > 1 ? 'family' : 'single';
  const amountMinor = household === 'family' ? DEPOSIT_FAMILY_MINOR : DEPOSIT_SINGLE_MINOR;
  if (facts.permitCategory === 'B' || facts.permitCategory === 'C') {
    if (facts.hasRecognisedValidPassport) return { owed: false, reason: 'has-valid-passport' };
    return { owed: true, basis: 'no-valid-passport', household, amountMinor };
  }
  if (facts.permitCategory === 'F') {
    if (!facts.selfSupporting) return { owed: false, reason: 'not-self-supporting' };
    return { owed: true, basis: 'provisionally-admitted-self-supporting', household, amountMinor };
  }
  return { owed: false, reason: 'category-not-concerned' };
}

export interface Instalment {
  number: number;
  dueOn: string;
  amountMinor: number;
}

export const MAX_INSTALMENTS = 24;

/**
 * Equal monthly instalments from the first due date; the cents that do not divide evenly go on
 * the first one, so that the plan always adds up to the deposit exactly.
 */
export function instalmentPlan(amountMinor: number, count: number, firstDueOn: string): Instalment[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTALMENTS) throw new RangeError(`instalments must be 1 to ${MAX_INSTALMENTS}`);
  const base = Math.floor(amountMinor / count);
  const rest = amountMinor - base * count;
  const first = parseISO(firstDueOn);
  return Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    dueOn: format(addMonths(first, index), 'yyyy-MM-dd'),
    amountMinor: base + (index === 0 ? rest : 0),
  }));
}

/** A waiver in hardship needs a second person: whoever asked for it cannot approve it. */
export function mayDecideWaiver(requestedById: string | null, deciderId: string): boolean {
  return requestedById !== null && requestedById !== deciderId;
}

export interface OpenClaim {
  invoiceId: string;
  openMinor: number;
  dueOn: string;
}

export interface Settlement {
  offsets: { invoiceId: string; amountMinor: number }[];
  releaseMinor: number;
}

/**
 * On departure the deposit first pays the person's open public claims, oldest due first; what is
 * left goes back to the person.
 */
export function settleDeposit(heldMinor: number, claims: readonly OpenClaim[]): Settlement {
  let left = heldMinor;
  const offsets: Settlement['offsets'] = [];
  const oldestFirst = [...claims].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.invoiceId < b.invoiceId ? -1 : 1));
  for (const claim of oldestFirst) {
    if (left === 0) break;
    const amountMinor = Math.min(left, claim.openMinor);
    if (amountMinor <= 0) continue;
    offsets.push({ invoiceId: claim.invoiceId, amountMinor });
    left -= amountMinor;
  }
  return { offsets, releaseMinor: left };
}
