import { Button, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { logout } from '../../api/endpoints';
import { fetchPortalMe } from '../../api/portal';
import { clearUserData, useSession } from '../../auth/session';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { fromState } from '../../lib/returnPath';
import { usePageTitle } from '../../lib/usePageTitle';

/** Whether a session is an online-counter account (applicant role only), not a member of staff. */
export function isPortalUser(roles: readonly string[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'applicant');
}

/** Where a signed-in applicant lands: their account at the online counter. */
export function PortalHomePage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.home.title'));
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);
  const signedIn = Boolean(session.data);
  const me = useQuery({ queryKey: ['portal-me'], queryFn: ({ signal }) => fetchPortalMe(signal), enabled: signedIn });

  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/login" replace state={fromState(location)} />;
  if (!isPortalUser(session.data.user.roles)) return <Navigate to="/" replace />;

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Signed out here either way; the server session runs out on its own.
    }
    clearUserData(queryClient, null);
    await navigate('/login', { replace: true });
  };

  const account = me.data?.account;
  return (
    <div className="mf-panel" data-testid="portal-home">
      <Stack gap="md">
        <Title order={1}>{t('portal.home.title')}</Title>
        {me.isPending ? <Loading /> : null}
        {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : null}
        {account ? (
          <>
            <Text data-testid="portal-greeting">{t('portal.home.greeting', { name: account.displayName })}</Text>
            <dl className="mf-facts-list">
              <dt>{t('portal.fields.email')}</dt>
              <dd>{account.email}</dd>
              <dt>{t('portal.fields.kind')}</dt>
              <dd>{t(`portal.kinds.${account.kind}.label`)}</dd>
            </dl>
            <Text>{t('portal.home.comingSoon')}</Text>
          </>
        ) : null}
        <div>
          <Button variant="default" onClick={() => void onSignOut()} loading={signingOut} data-testid="portal-sign-out">
            {t('header.logout')}
          </Button>
        </div>
      </Stack>
    </div>
  );
}
