import { Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, type Permission } from '../auth/permissions';
import { usePageTitle } from '../lib/usePageTitle';

/** Shows the page only to roles that hold the permission; others get a plain "not for your role". */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const allowed = useCan(permission);
  return allowed ? <>{children}</> : <NoAccess />;
}

function NoAccess() {
  const { t } = useTranslation();
  usePageTitle(t('access.title'));
  return (
    <Stack gap="md" data-testid="no-access">
      <Title order={1}>{t('access.title')}</Title>
      <div className="mf-panel">
        <Text>{t('access.body')}</Text>
        <Text mt="md">
          <Link to="/persons">{t('comingSoon.back')}</Link>
        </Text>
      </div>
    </Stack>
  );
}
