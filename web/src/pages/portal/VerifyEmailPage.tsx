import { Button, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { verifyEmail } from '../../api/portal';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../lib/usePageTitle';
import { FocusedHeading, TokenProblem, useOffice, useTokenFromUrl } from './shared';

/** The link in the confirmation mail: confirms the address once, then points to the sign-in. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.verify.title'));
  const token = useTokenFromUrl();
  const office = useOffice();
  const mutation = useMutation({ mutationFn: verifyEmail });
  const sent = useRef(false);
  const { mutate } = mutation;

  useEffect(() => {
    // The token works once: send it once, even when React runs this effect twice.
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);

  if (!token) {
    return (
      <div className="mf-panel">
        <Stack gap="md">
          <Title order={1}>{t('portal.verify.title')}</Title>
          <TokenProblemless />
        </Stack>
      </div>
    );
  }

  return (
    <div className="mf-panel" aria-live="polite" aria-busy={mutation.isPending}>
      {mutation.isSuccess ? (
        <Stack gap="md" data-testid="verify-done">
          <FocusedHeading>{t('portal.verify.doneTitle')}</FocusedHeading>
          <Text>{t('portal.verify.doneBody')}</Text>
          <Button component={Link} to="/login" size="md" data-testid="go-sign-in">
            {t('portal.signIn')}
          </Button>
        </Stack>
      ) : mutation.isError ? (
        <Stack gap="md">
          <FocusedHeading>{t('portal.verify.failedTitle')}</FocusedHeading>
          <TokenProblem error={mutation.error} office={office} />
        </Stack>
      ) : (
        <Stack gap="md">
          <Title order={1}>{t('portal.verify.title')}</Title>
          <Loading />
        </Stack>
      )}
    </div>
  );
}

function TokenProblemless() {
  const { t } = useTranslation();
  return (
    <Text role="alert" data-testid="token-missing">
      {t('portal.token.missing')}
    </Text>
  );
}
