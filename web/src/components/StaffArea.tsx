import { Navigate, useLocation } from 'react-router';
import { wasSessionExpired } from '../api/client';
import { hasPermission } from '../auth/permissions';
import { useSession } from '../auth/session';
import { fromState } from '../lib/returnPath';
import { ErrorContent } from '../pages/ErrorPage';
import { isPortalUser } from '../pages/portal/PortalHomePage';
import { Loading } from './Loading';
import { PublicFrame, PublicLayout } from './PublicLayout';
import { StaffLayout } from './StaffLayout';

/** Staff routes: needs a session; otherwise sends the user to the login and back afterwards. */
export function StaffArea() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <PublicFrame wide>
        <ErrorContent error={session.error} onRetry={() => void session.refetch()} />
      </PublicFrame>
    );
  }
  if (!session.data) {
    const target = wasSessionExpired() ? '/session-expired' : '/login';
    return <Navigate to={target} replace state={fromState(location)} />;
  }
  // An online-counter account (applicant) has no business in the staff area: its own page.
  if (isPortalUser(session.data.user.roles)) return <Navigate to="/portal" replace />;
  return <StaffLayout session={session.data} />;
}

/** For pages open to everyone (not found): the staff layout when signed in, else the public one. */
export function AnyArea() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.data) return <StaffLayout session={session.data} />;
  return <PublicLayout />;
}

/** Where a role starts: the register for those who work with persons, else the page of their duty. */
function startPage(roles: Parameters<typeof hasPermission>[0]): string {
  // An applicant, employer or representative of the online counter: their account.
  if (isPortalUser(roles)) return '/portal';
  if (hasPermission(roles, 'persons:read')) return '/persons';
  // An auditor sees no person data: the audit log is their start page.
  if (hasPermission(roles, 'audit:read')) return '/audit';
  // An administrator runs the office's connections: the exchange quarantine.
  if (hasPermission(roles, 'exchange:read')) return '/exchange';
  return '/persons';
}

export function HomeRedirect() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <PublicFrame wide>
        <ErrorContent error={session.error} onRetry={() => void session.refetch()} />
      </PublicFrame>
    );
  }
  if (session.data) return <Navigate to={startPage(session.data.user.roles)} replace />;
  return <Navigate to={wasSessionExpired() ? '/session-expired' : '/login'} replace />;
}
