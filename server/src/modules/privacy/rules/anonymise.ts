/**
 * What anonymisation replaces. Pure: the values written over a person's identity and what stays
 * for the statistics (sex, nationality, birth year, civil status, permits and the dates and
 * municipalities of residence), so that the key figures of past years do not change.
 */

export const ANONYMISED_NAME = 'Anonymisiert';

/** The columns of a person written when the identity is anonymised, with their new values. */
export interface PersonAnonymisation {
  ahvn13: null;
  official_name: string;
  first_names: string;
  call_name: null;
  maiden_name: null;
  alliance_name: null;
  name_in_foreign_passport: null;
  alias_name: null;
  date_of_birth: string;
  place_of_birth: null;
  place_of_origin: null;
  civil_status_date: null;
  father_name: null;
  mother_name: null;
  legal_capacity: null;
  fire_service_duty: null;
  religion: null;
}

/** 1984-07-12 → 1984-00-00: the year stays for age statistics; eCH allows partly unknown dates. */
export function birthYearOnly(dateOfBirth: string): string {
  return /^\d{4}/.test(dateOfBirth) ? `${dateOfBirth.slice(0, 4)}-00-00` : '0000-00-00';
}

/**
 * A short, meaningless reference in place of the first names: anonymised records stay tellable
 * apart in lists without saying anything about the person.
 */
export function anonymousReference(personId: string): string {
  return `#${personId.replace(/-/g, '').slice(0, 8)}`;
}

export function personAnonymisation(person: { id: string; dateOfBirth: string }): PersonAnonymisation {
  return {
    ahvn13: null,
    official_name: ANONYMISED_NAME,
    first_names: anonymousReference(person.id),
    call_name: null,
    maiden_name: null,
    alliance_name: null,
    name_in_foreign_passport: null,
    alias_name: null,
    date_of_birth: birthYearOnly(person.dateOfBirth),
    place_of_birth: null,
    place_of_origin: null,
    civil_status_date: null,
    father_name: null,
    mother_name: null,
    legal_capacity: null,
    fire_service_duty: null,
    religion: null,
  };
}

/** The data of a name version in the history after anonymisation (the valid-time rows stay). */
export function anonymisedNameData(personId: string): Record<string, string | null> {
  return { officialName: ANONYMISED_NAME, firstNames: anonymousReference(personId), callName: null, maidenName: null, allianceName: null, nameInForeignPassport: null, aliasName: null };
}

/** The data of a nationality version: the nationality is counted, the place of origin is not. */
export function anonymisedNationalityData(data: Record<string, unknown>): Record<string, unknown> {
  return { ...data, placeOfOrigin: null };
}

/** Residence columns cleared: the address; municipality, kind and dates stay for the statistics. */
export const RESIDENCE_CLEARED = { street: null, house_number: null, postal_code: null, town: null, egid: null, ewid: null, household_id: null, arrived_from: null, departed_to: null } as const;

export interface CaseDecision {
  transition?: unknown;
  outcome?: unknown;
  decidedAt?: unknown;
}

/**
 * What stays of a decision in an emptied case file: which step and outcome and when (for the
 * decision statistics), not the written reason nor who decided.
 */
export function decisionRemains(decision: unknown): CaseDecision | null {
  if (typeof decision !== 'object' || decision === null) return null;
  const record = decision as Record<string, unknown>;
  const kept: CaseDecision = {};
  for (const key of ['transition', 'outcome', 'decidedAt'] as const) if (record[key] !== undefined) kept[key] = record[key];
  return kept;
}

/** Timeline entries removed entirely from an emptied case file; others keep their kind and time, not their text. */
export const CASE_EVENT_KINDS_REMOVED = ['note', 'contact'] as const;
