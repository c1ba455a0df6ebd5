import type { RoleGrant } from '../../platform/auth/actor.js';
import type { RoleSlug } from '../../platform/db/tables.js';

/** Pure rules of sign-in and authorisation: no I/O, tested as functions. */

export const ROLES: readonly RoleSlug[] = ['caseworker', 'team-lead', 'municipal-clerk', 'admin', 'auditor', 'applicant', 'partner'];

export function isRole(value: string): value is RoleSlug {
  return (ROLES as readonly string[]).includes(value);
}

// --- lockout -----------------------------------------------------------------------------------

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

export interface LockState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** After a wrong password: count it; the fifth failure in a row locks the account for 15 minutes. */
export function afterFailedLogin(state: LockState, now: Date): LockState {
  // A lock that has run out starts a fresh count.
  const previous = state.lockedUntil !== null && !isLocked(state, now) ? 0 : state.failedLogins;
  const failedLogins = previous + 1;
  if (failedLogins >= LOCKOUT_THRESHOLD) {
    return { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) };
  }
  return { failedLogins, lockedUntil: null };
}

// --- sessions ----------------------------------------------------------------------------------

export interface SessionTimes {
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
}

export type SessionVerdict = 'valid' | 'expired';

export function judgeSession(session: SessionTimes, now: Date): SessionVerdict {
  if (session.revokedAt !== null) return 'expired';
  if (session.absoluteExpiresAt.getTime() <= now.getTime()) return 'expired';
  if (session.idleExpiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/**
 * The new idle deadline, or null when the stored one is recent enough: writing on every request
 * would turn every read into a write, so it is extended at most once a minute.
 */
export function extendIdle(session: SessionTimes, now: Date, idleMinutes: number): Date | null {
  const wanted = Math.min(now.getTime() + idleMinutes * 60_000, session.absoluteExpiresAt.getTime());
  return wanted - session.idleExpiresAt.getTime() >= 60_000 ? new Date(wanted) : null;
}

// --- permissions -------------------------------------------------------------------------------

/**
 * Every route declares one permission. 'public' needs nobody; 'authenticated' any signed-in
 * actor; the others are granted to roles below.
 */
export const PERMISSIONS = [
  'persons:read',
  'persons:write',
  // See the address and contact data a blocking note (Sperrvermerk) hides, with a recorded reason.
  'persons:disclose',
  'permits:read',
  'permits:write',
  'statistics:read',
  'audit:read',
  'audit:export',
  'users:manage',
  'cases:read',
  'cases:write',
  'cases:approve',
  'cases:lead',
  'case-types:manage',
  // The right-of-access report on a person (what the office holds, who looked at it).
  'privacy:report',
  // Place and lift legal holds that stop retention.
  'privacy:hold',
  // Read the retention rules and the reports of what retention removed.
  'retention:read',
  // A partner system hands messages to the exchange inbox (eCH-0020, landlord reports).
  'exchange:submit',
  // See the exchange inbox, quarantine, outbox and partners.
  'exchange:read',
  // Manage partners, re-apply or reject quarantined messages, resend, export the register.
  'exchange:manage',
  // A person's or case's invoices, payments and deposits.
  'finance:read',
  // Counter payments, ordering a deposit, asking for a waiver, settling a deposit on departure.
  'finance:write',
  // Bank files, the clarification list, the yearly account, revenue without an invoice.
  'finance:book',
  // The second person's approval of a deposit waiver.
  'finance:approve',
  // The office as creditor: account and address on invoices.
  'finance:manage',
  // The applicant portal: an applicant's, employer's or representative's own account and mandates.
  'portal:use',
  // Link portal accounts to register persons, grant and revoke mandates for the office.
  'portal:manage',
  // The day view of a service point's appointments.
  'appointments:read',
  // At the counter: check a person in, record a no-show.
  'appointments:write',
  // Service points, their counters, opening hours and closures; the services and their slot length.
  'appointments:manage',
] as const;
export type Permission = 'public' | 'authenticated' | (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<RoleSlug, readonly Permission[]> = {
  caseworker: ['persons:read', 'persons:write', 'persons:disclose', 'permits:read', 'permits:write', 'statistics:read', 'cases:read', 'cases:write', 'privacy:report', 'finance:read', 'finance:write', 'portal:manage', 'appointments:read', 'appointments:write'],
  'team-lead': [
    'persons:read',
    'persons:write',
    'persons:disclose',
    'permits:read',
    'permits:write',
    'statistics:read',
    'cases:read',
    'cases:write',
    'cases:approve',
    'cases:lead',
    'privacy:report',
    'privacy:hold',
    'retention:read',
    'exchange:read',
    'exchange:manage',
    'finance:read',
    'finance:write',
    'finance:book',
    'finance:approve',
    'portal:manage',
    'appointments:read',
    'appointments:write',
    'appointments:manage',
  ],
  'municipal-clerk': ['persons:read', 'persons:write', 'persons:disclose', 'finance:read', 'finance:write', 'appointments:read', 'appointments:write'],
  admin: ['users:manage', 'case-types:manage', 'retention:read', 'exchange:read', 'exchange:manage', 'finance:read', 'finance:manage', 'appointments:manage'],
  // The data-protection officer: the audit trail and what retention removed, never case content.
  auditor: ['audit:read', 'audit:export', 'retention:read'],
  applicant: ['portal:use'],
  // Partner systems read the published key figures and hand in their messages.
  partner: ['statistics:read', 'exchange:submit'],
};

export function isPermission(value: unknown): value is Permission {
  return value === 'public' || value === 'authenticated' || (PERMISSIONS as readonly unknown[]).includes(value);
}

export function rolesGrant(roles: readonly RoleGrant[], permission: Permission): boolean {
  if (permission === 'public' || permission === 'authenticated') return true;
  return roles.some((grant) => ROLE_PERMISSIONS[grant.role].includes(permission));
}
