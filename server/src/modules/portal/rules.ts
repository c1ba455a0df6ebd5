/** Pure rules of the applicant portal: no I/O, tested as functions (test/unit/portal-rules.test.ts). */

export const ACCOUNT_KINDS = ['applicant', 'employer', 'representative'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type PortalTokenPurpose = 'verify-email' | 'password-reset';

/** How long a token sent by mail stays good: a day to confirm the address, an hour to reset a password. */
export const TOKEN_LIFETIME_MINUTES: Record<PortalTokenPurpose, number> = { 'verify-email': 24 * 60, 'password-reset': 60 };

export function tokenExpiry(purpose: PortalTokenPurpose, issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + TOKEN_LIFETIME_MINUTES[purpose] * 60_000);
}

export type TokenVerdict = 'valid' | 'unknown' | 'used' | 'expired' | 'wrong-purpose';

/** Whether a stored token may be used now for `purpose`; a token is good until (not at) its expiry. */
export function judgeToken(token: { purpose: PortalTokenPurpose; expiresAt: Date; usedAt: Date | null } | null, purpose: PortalTokenPurpose, now: Date): TokenVerdict {
  if (!token) return 'unknown';
  if (token.purpose !== purpose) return 'wrong-purpose';
  if (token.usedAt !== null) return 'used';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

// --- e-mail addresses ----------------------------------------------------------------------------

/**
 * The form of an address the portal takes: what the user name of the access module can hold
 * (a–z, digits, . _ + - in the local part; a domain with a dot), at most 100 characters.
 * Deliberately narrower than RFC 5321: quoted local parts and non-ASCII addresses are refused.
 */
const EMAIL = /^[a-z0-9][a-z0-9._+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Trims and lower-cases an address: `  Anna.Meier@Example.CH ` → `anna.meier@example.ch`. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The normalised address, or null when it is not one the portal takes. */
export function parseEmail(raw: string): string | null {
  const email = normaliseEmail(raw);
  if (email.length < 3 || email.length > 100) return null;
  if (!EMAIL.test(email) || email.includes('..')) return null;
  return email;
}

// --- mandates ------------------------------------------------------------------------------------

export const MANDATE_SCOPES = ['applications', 'status', 'messages', 'appointments', 'documents'] as const;
export type MandateScope = (typeof MANDATE_SCOPES)[number];

export interface MandatePeriod {
  validFrom: string;
  validUntil: string | null;
  revokedAt: Date | null;
}

/** `YYYY-MM-DD` of an instant in Swiss time (the offices' calendar). */
export function calendarDate(at: Date, timeZone = 'Europe/Zurich'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Whether a mandate lets its representative act on `date` (YYYY-MM-DD): from `validFrom` up to and
 * including `validUntil`, and not revoked on or before that date.
 */
export function mandateValidOn(mandate: MandatePeriod, date: string): boolean {
  if (date < mandate.validFrom) return false;
  if (mandate.validUntil !== null && date > mandate.validUntil) return false;
  if (mandate.revokedAt !== null && calendarDate(mandate.revokedAt) <= date) return false;
  return true;
}

export type MandateState = 'active' | 'future' | 'expired' | 'revoked';

export function mandateState(mandate: MandatePeriod, date: string): MandateState {
  if (mandate.revokedAt !== null) return 'revoked';
  if (date < mandate.validFrom) return 'future';
  if (mandate.validUntil !== null && date > mandate.validUntil) return 'expired';
  return 'active';
}

export type MandateInputProblem = 'scope-empty' | 'scope-unknown' | 'until-before-from' | 'until-in-past';

/** Checks a new mandate's scope and period; returns the problems (none: fine). Duplicates in the scope are dropped. */
export function checkNewMandate(input: { scope: readonly string[]; validFrom: string; validUntil: string | null }, today: string): MandateInputProblem[] {
  const problems: MandateInputProblem[] = [];
  if (input.scope.length === 0) problems.push('scope-empty');
  if (input.scope.some((item) => !(MANDATE_SCOPES as readonly string[]).includes(item))) problems.push('scope-unknown');
  if (input.validUntil !== null && input.validUntil < input.validFrom) problems.push('until-before-from');
  else if (input.validUntil !== null && input.validUntil < today) problems.push('until-in-past');
  return problems;
}

/** The scope in canonical order without repetitions. */
export function normaliseScope(scope: readonly string[]): MandateScope[] {
  return MANDATE_SCOPES.filter((item) => scope.includes(item));
}

// --- links in mails ------------------------------------------------------------------------------

/** The page of the web app a mail links to, with its token: `https://amt.example.ch/portal/verify?token=…`. */
export function portalLink(baseUrl: string, page: 'verify' | 'reset-password', token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/portal/${page}?token=${encodeURIComponent(token)}`;
}

/** Letters and digits that cannot be mixed up when read aloud or typed from paper (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const HUMAN_CODE_LENGTH = 12;

/**
 * A code a person types from paper or a phone screen: 12 characters of a 30-letter alphabet
 * (about 59 bits), shown in groups of four. `pick(n)` draws a uniform integer below n
 * (crypto.randomInt in the service; a fixed sequence in tests).
 */
export function humanCode(pick: (below: number) => number): string {
  let code = '';
  for (let i = 0; i < HUMAN_CODE_LENGTH; i++) code += CODE_ALPHABET[pick(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** What a person typed, as the code was issued: upper case, without spaces and dashes; null when it cannot be one. */
export function normaliseHumanCode(raw: string): string | null {
  const plain = raw.toUpperCase().replace(/[\s-]/g, '');
  if (plain.length !== HUMAN_CODE_LENGTH || [...plain].some((char) => !CODE_ALPHABET.includes(char))) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8, 12)}`;
}

/** How long a share code may live: the person picks 1 to 90 days. */
export const SHARE_CODE_MAX_DAYS = 90;
/** A link code from the office is good for 30 days and five wrong dates of birth. */
export const LINK_CODE_DAYS = 30;
export const LINK_CODE_MAX_FAILURES = 5;

/**
 * Whether a date of birth typed by the person fits the register's. The register keeps partly
 * unknown dates with zeros ('1980-05-00', '1980-00-00'): then only the known parts must agree.
 */
export function birthDateMatches(registered: string, typed: string): boolean {
  const [year, month, day] = registered.split('-');
  const [typedYear, typedMonth, typedDay] = typed.split('-');
  if (!year || year !== typedYear) return false;
  if (month && month !== '00' && month !== typedMonth) return false;
  if (day && day !== '00' && day !== typedDay) return false;
  return true;
}
