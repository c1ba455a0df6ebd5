import type { Permit, PermitCategory } from '../api/types';
import type { Language } from '../i18n';
import { addToIsoDate } from './format';

/** The category's name in the UI language ("Niederlassungsbewilligung (C)"), else its code. */
export function categoryName(code: string, categories: readonly PermitCategory[] | undefined, language: Language): string {
  const category = categories?.find((c) => c.code === code);
  return category?.names[language] || category?.names.de || code;
}

export type PermitState = 'in-force' | 'future' | 'expired' | 'ended';

/** Where a permit stands today. `endedOn` is the first day no longer in force. */
export function permitState(permit: Pick<Permit, 'validFrom' | 'validUntil' | 'endedOn'>, today: string): PermitState {
  if (permit.endedOn && permit.endedOn <= today) return 'ended';
  if (permit.validFrom > today) return 'future';
  if (permit.validUntil && permit.validUntil < today) return 'expired';
  return 'in-force';
}

/** EU member states and EFTA states other than Switzerland (free movement; longer default validity). */
const EU_EFTA = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
  'IS', 'LI', 'NO',
]);

export interface ValidityRule {
  euEftaMonths?: number;
  otherMonths?: number;
  unlimited?: boolean;
  controlMonths?: number;
  maxMonths?: number;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function validityRule(category: PermitCategory | undefined): ValidityRule {
  const v = category?.validity ?? {};
  const rule: ValidityRule = {};
  const eu = numberOf(v.euEftaMonths);
  const other = numberOf(v.otherMonths);
  const control = numberOf(v.controlMonths);
  const max = numberOf(v.maxMonths);
  if (eu !== undefined) rule.euEftaMonths = eu;
  if (other !== undefined) rule.otherMonths = other;
  if (control !== undefined) rule.controlMonths = control;
  if (max !== undefined) rule.maxMonths = max;
  if (v.unlimited === true) rule.unlimited = true;
  return rule;
}

/** Months a new permit of this category runs for a national of this country; null = unlimited, undefined = no rule. */
export function defaultMonths(rule: ValidityRule, nationality: string): number | null | undefined {
  if (rule.unlimited) return null;
  return EU_EFTA.has(nationality.toUpperCase()) ? (rule.euEftaMonths ?? rule.otherMonths) : (rule.otherMonths ?? rule.euEftaMonths);
}

/**
 * The validity the server gives a permit granted without "valid until" (a preview; the server
 * decides): months from the start, less one day; null when unlimited; undefined when unknown.
 */
export function defaultValidUntil(rule: ValidityRule, nationality: string, validFrom: string): string | null | undefined {
  const months = defaultMonths(rule, nationality);
  if (months === null) return null;
  if (months === undefined) return undefined;
  const end = addToIsoDate(validFrom, { months });
  return end ? addToIsoDate(end, { days: -1 }) : undefined;
}
