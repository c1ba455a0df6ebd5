import { Navigate, useLocation } from 'react-router';
import { wasSessionExpired } from '../api/client';
import { hasPermission } from '../auth/permissions';
import { useSession } from '../auth/session';
import { fromState } from '../lib/returnPath';
import { ErrorContent } from '../pages/ErrorPage';
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
  return <StaffLayout session={session.data} />;
}

/** For pages open to everyone (not found): the staff layout when signed in, else the public one. */
export function AnyArea() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.data) return <StaffLayout session={session.data} />;
  return <PublicLayout />;
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
  // An auditor sees no person data: the audit log is their start page.
  if (session.data) return <Navigate to={hasPermission(session.data.user.roles, 'audit:read') && !hasPermission(session.data.user.roles, 'persons:read') ? '/audit' : '/persons'} replace />;
  return <Navigate to={wasSessionExpired() ? '/session-expired' : '/login'} replace />;
}
