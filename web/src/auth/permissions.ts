import type { RoleSlug } from '../api/types';
import { useSession } from './session';

/**
 * What each role may do, as the API decides it (server/src/modules/access/rules.ts). The UI only
 * uses it to leave out links and buttons that would end in 403; the API still checks every call.
 */
export type Permission =
  | 'persons:read'
  | 'persons:write'
  | 'permits:read'
  | 'permits:write'
  | 'statistics:read'
  | 'cases:read'
  | 'cases:write'
  | 'cases:approve'
  | 'cases:lead'
  | 'persons:disclose'
  | 'audit:read'
  | 'audit:export'
  | 'users:manage'
  | 'privacy:report'
  | 'privacy:hold'
  | 'retention:read'
  | 'exchange:read'
  | 'exchange:manage'
  | 'finance:read'
  | 'finance:write'
  | 'finance:book'
  | 'finance:approve'
  | 'finance:manage'
  | 'appointments:read'
  | 'appointments:write'
  | 'appointments:manage'
  | 'portal:use'
  | 'portal:manage';

const ROLE_PERMISSIONS: Record<RoleSlug, readonly Permission[]> = {
  caseworker: ['persons:read', 'persons:write', 'persons:disclose', 'permits:read', 'permits:write', 'statistics:read', 'cases:read', 'cases:write', 'privacy:report', 'finance:read', 'finance:write', 'portal:manage', 'appointments:read', 'appointments:write'],
  'team-lead': [
    'persons:read',
    'persons:write',
    'permits:read',
    'permits:write',
    'statistics:read',
    'cases:read',
    'cases:write',
    'cases:approve',
    'cases:lead',
    'persons:disclose',
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
  admin: ['users:manage', 'retention:read', 'exchange:read', 'exchange:manage', 'finance:read', 'finance:manage', 'appointments:manage'],
  auditor: ['audit:read', 'audit:export', 'retention:read'],
  applicant: ['portal:use'],
  partner: ['statistics:read'],
};

/** The roles holding a permission (for navigation items). */
export function rolesWith(permission: Permission): RoleSlug[] {
  return (Object.keys(ROLE_PERMISSIONS) as RoleSlug[]).filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) => role in ROLE_PERMISSIONS && ROLE_PERMISSIONS[role as RoleSlug].includes(permission));
}

/** Whether the signed-in user may do this (false while the session is loading or absent). */
export function useCan(permission: Permission): boolean {
  const session = useSession();
  return session.data ? hasPermission(session.data.user.roles, permission) : false;
}
