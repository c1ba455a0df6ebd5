import { Button, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { acknowledgeSessionExpiry } from '../api/client';
import { usePageTitle } from '../lib/usePageTitle';

export function SessionExpiredPage() {
  const { t } = useTranslation();
  usePageTitle(t('sessionExpired.title'));
  const location = useLocation();
  useEffect(() => { acknowledgeSessionExpiry(); }, []);
  return (
    <div className="mf-panel" data-testid="session-expired">
      <Stack gap="md">
        <Title order={1}>{t('sessionExpired.title')}</Title>
        <Text>{t('sessionExpired.body')}</Text>
        <div>
          {/* Passes on where the user was, so that signing in again returns there. */}
          <Button component={Link} to="/login" state={location.state as unknown} size="md">
            {t('sessionExpired.action')}
          </Button>
        </div>
      </Stack>
    </div>
  );
}
