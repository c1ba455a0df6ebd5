import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';

export const ACCOUNT_SECURITY_PATH = '/account/security';

/**
 * When the office requires an authenticator app and this user has none yet, the API answers
 * every page's calls with `totp-enrolment-required`; send the user to set it up instead.
 */
export function TotpEnrolmentGate() {
  const session = useSession();
  const { pathname } = useLocation();
  if (session.data?.signIn?.totpEnrolmentRequired && pathname !== ACCOUNT_SECURITY_PATH) return <Navigate to={ACCOUNT_SECURITY_PATH} replace />;
  return <Outlet />;
}
