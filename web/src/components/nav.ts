import type { ParseKeys } from 'i18next';
import type { RoleSlug } from '../api/types';
import { rolesWith } from '../auth/permissions';

export interface NavItem {
  path: string;
  labelKey: ParseKeys;
  /** Built already; the others show the "coming soon" page. */
  ready: boolean;
  /** Only for these roles (the API refuses the others); every staff role when absent. */
  roles?: readonly RoleSlug[];
}

export interface NavGroup {
  /** Heading of the group; the first group has none. */
  labelKey: ParseKeys | null;
  items: readonly NavItem[];
}

/** The register routes answer caseworkers, team leads and municipal clerks (docs/register.md). */
const REGISTER_ROLES: readonly RoleSlug[] = ['caseworker', 'team-lead', 'municipal-clerk'];

/** Permits and the key figures answer only the roles with those permissions (access rules). */
const PERMIT_ROLES: readonly RoleSlug[] = rolesWith('permits:read');
const STATISTICS_ROLES: readonly RoleSlug[] = rolesWith('statistics:read');
const CASE_ROLES: readonly RoleSlug[] = rolesWith('cases:read');
const CASE_LEAD_ROLES: readonly RoleSlug[] = rolesWith('cases:lead');
const AUDIT_ROLES: readonly RoleSlug[] = rolesWith('audit:read');
const RETENTION_ROLES: readonly RoleSlug[] = rolesWith('retention:read');
const EXCHANGE_ROLES: readonly RoleSlug[] = rolesWith('exchange:read');
/** Bank files, the clarification list and the account (finance:book), or the creditor settings (finance:manage). */
const FINANCE_ROLES: readonly RoleSlug[] = [...new Set([...rolesWith('finance:book'), ...rolesWith('finance:manage')])];
/** The counter's day view: the roles that may read a service point's appointments. */
const APPOINTMENT_ROLES: readonly RoleSlug[] = rolesWith('appointments:read');

export const NAV_GROUPS: readonly NavGroup[] = [
  {
    labelKey: null,
    items: [{ path: '/persons', labelKey: 'modules.persons', ready: true, roles: rolesWith('persons:read') }],
  },
  {
    labelKey: 'modules.register',
    items: [
      { path: '/register/arrival', labelKey: 'modules.arrival', ready: true, roles: REGISTER_ROLES },
      { path: '/register/papers-journal', labelKey: 'modules.papersJournal', ready: true, roles: REGISTER_ROLES },
      { path: '/register/reconciliation', labelKey: 'modules.reconciliation', ready: true, roles: REGISTER_ROLES },
    ],
  },
  {
    labelKey: null,
    items: [
      { path: '/cases', labelKey: 'modules.cases', ready: true, roles: CASE_ROLES },
      { path: '/cases/overview', labelKey: 'modules.caseOverview', ready: true, roles: CASE_LEAD_ROLES },
      { path: '/appointments/day', labelKey: 'modules.appointments', ready: true, roles: APPOINTMENT_ROLES },
      { path: '/permits/expiring', labelKey: 'modules.permits', ready: true, roles: PERMIT_ROLES },
      { path: '/deadlines', labelKey: 'modules.deadlines', ready: false },
      { path: '/finance', labelKey: 'modules.finance', ready: true, roles: FINANCE_ROLES },
      { path: '/exchange', labelKey: 'modules.exchange', ready: true, roles: EXCHANGE_ROLES },
      { path: '/reports/key-figures', labelKey: 'modules.reports', ready: true, roles: STATISTICS_ROLES },
      { path: '/audit', labelKey: 'audit.nav', ready: true, roles: AUDIT_ROLES },
      { path: '/retention', labelKey: 'privacy.nav', ready: true, roles: RETENTION_ROLES },
      { path: '/admin', labelKey: 'modules.admin', ready: false },
      { path: '/account/security', labelKey: 'security.nav', ready: true },
    ],
  },
];

export const NAV_ITEMS: readonly NavItem[] = NAV_GROUPS.flatMap((group) => group.items);

/**
 * Whether the item's link is marked as the current page on `pathname`: its own path and the pages
 * below it, unless another item is more specific (/cases/overview is not the work queue /cases).
 */
export function navItemCurrent(item: NavItem, pathname: string): boolean {
  const within = (path: string) => pathname === path || pathname.startsWith(`${path}/`);
  if (!within(item.path)) return false;
  return !NAV_ITEMS.some((other) => other.path.length > item.path.length && other.path.startsWith(`${item.path}/`) && within(other.path));
}

/** Whether a signed-in user with these roles may use the item. */
export function navItemAllowed(item: NavItem, roles: readonly string[]): boolean {
  return !item.roles || item.roles.some((role) => roles.includes(role));
}
