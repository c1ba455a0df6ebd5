import { addDays, addMonths, format, parseISO, subMonths } from 'date-fns';

/** Pure permit rules: validity, the L 12-month rule, expiry notices, overlaps. No I/O. */

/** EU member states and EFTA states other than Switzerland (free movement of persons). */
export const EU_EFTA = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
  'IS', 'LI', 'NO',
]);

export type NationalityGroup = 'eu-efta' | 'other';

export function nationalityGroup(nationality: string): NationalityGroup {
  return EU_EFTA.has(nationality.toUpperCase()) ? 'eu-efta' : 'other';
}

/** Validity of a category as configured per tenant (permit_categories.validity). */
export interface ValidityRule {
  euEftaMonths?: number;
  otherMonths?: number;
  unlimited?: boolean;
  /** C: the card is checked after this many months although the permit has no end. */
  controlMonths?: number;
  maxMonths?: number;
}

const iso = (date: Date) => format(date, 'yyyy-MM-dd');

/**
 * The default validity of a new permit: e.g. B for EU/EFTA nationals five years, for third-country
 * nationals one year; L up to one year; C without end but with a control date for the card.
 */
export function defaultValidity(rule: ValidityRule, nationality: string, validFrom: string): { validUntil: string | null; controlDate: string | null } {
  const from = parseISO(validFrom);
  if (rule.unlimited) return { validUntil: null, controlDate: rule.controlMonths ? iso(addMonths(from, rule.controlMonths)) : null };
  const months = nationalityGroup(nationality) === 'eu-efta' ? (rule.euEftaMonths ?? rule.otherMonths) : (rule.otherMonths ?? rule.euEftaMonths);
  if (months === undefined) return { validUntil: null, controlDate: null };
  return { validUntil: iso(addDays(addMonths(from, months), -1)), controlDate: null };
}

/** A validity longer than the category allows (e.g. an L beyond one year). */
export function exceedsMaximum(rule: ValidityRule, validFrom: string, validUntil: string | null): boolean {
  if (!rule.maxMonths) return false;
  if (validUntil === null) return true;
  return validUntil > iso(addDays(addMonths(parseISO(validFrom), rule.maxMonths), -1));
}

export interface PermitPeriod {
  validFrom: string;
  /** Last day in force: the end date if ended early, else the last day of validity; null = open. */
  lastDay: string | null;
}

export function lastDayOf(permit: { validUntil: string | null; endedOn: string | null }): string | null {
  // ended_on is the first day no longer in force.
  const ended = permit.endedOn ? iso(addDays(parseISO(permit.endedOn), -1)) : null;
  if (ended && permit.validUntil) return ended < permit.validUntil ? ended : permit.validUntil;
  return ended ?? permit.validUntil;
}

export function overlaps(a: PermitPeriod, b: PermitPeriod): boolean {
  const aEndsBeforeB = a.lastDay !== null && a.lastDay < b.validFrom;
  const bEndsBeforeA = b.lastDay !== null && b.lastDay < a.validFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/**
 * The first day of the uninterrupted stay on L permits a new L permit continues: the stay goes on
 * when the previous L ended at most one day before the new one starts.
 */
export function lStayStart(previousL: { validFrom: string; lastDay: string | null; lStayStart: string | null }[], validFrom: string): string {
  const dayBefore = iso(addDays(parseISO(validFrom), -1));
  const previous = previousL
    .filter((p) => p.validFrom < validFrom && (p.lastDay === null || p.lastDay >= dayBefore))
    .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  return previous ? (previous.lStayStart ?? previous.validFrom) : validFrom;
}

/** An L holder counts as staying 12 months or more from this date on. */
export function twelveMonthsReachedOn(lStay: string): string {
  return iso(addMonths(parseISO(lStay), 12));
}

/** The notice to the holder goes out two months before the permit expires. */
export function expiryNoticeDate(validUntil: string): string {
  return iso(subMonths(parseISO(validUntil), 2));
}
