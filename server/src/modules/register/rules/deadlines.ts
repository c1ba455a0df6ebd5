import { addDays, addMonths, format, parseISO } from 'date-fns';
import type { RegistrationType } from '../../../platform/db/tables.js';

/** A duty with a legal due date, started by a front-desk registration (Lucerne NG §§ 3, 5, 7, 8). */
export interface RegistrationDeadline {
  kind: 'deposit-papers' | 'register-stay' | 'guest-exemption-ends' | 'report-private-lodging' | 'proof-of-residence';
  legalBasis: string;
  dueDate: string;
}

const iso = (date: Date) => format(date, 'yyyy-MM-dd');

/**
 * The deadline a registration of `type` starts on `arrivalDate` (YYYY-MM-DD). These are the dates
 * the law gives; the deadlines engine moves them to the next working day when it fires them.
 */
export function registrationDeadline(type: RegistrationType, arrivalDate: string): RegistrationDeadline {
  const arrival = parseISO(arrivalDate);
  switch (type) {
    case 'settled':
      return { kind: 'deposit-papers', legalBasis: 'NG § 3: deposit identity papers within 14 days of settling', dueDate: iso(addDays(arrival, 14)) };
    case 'stay':
      return { kind: 'register-stay', legalBasis: 'NG § 5: register the stay and deposit proof of residence within 14 days', dueDate: iso(addDays(arrival, 14)) };
    case 'guest':
      return { kind: 'guest-exemption-ends', legalBasis: 'NG § 7.1: guests are exempt from registering for two months', dueDate: iso(addMonths(arrival, 2)) };
    case 'private-lodging':
      return { kind: 'report-private-lodging', legalBasis: 'NG § 7.3: foreigners lodging privately report within ten days with valid papers', dueDate: iso(addDays(arrival, 10)) };
    case 'weekly-commuter':
      return { kind: 'proof-of-residence', legalBasis: 'NG § 8.1: weekly commuters deposit proof of their residence within one month', dueDate: iso(addMonths(arrival, 1)) };
    case 'self-employed':
      return { kind: 'proof-of-residence', legalBasis: 'NG § 8.2: self-employed persons from elsewhere prove their residence within one month', dueDate: iso(addMonths(arrival, 1)) };
  }
}
