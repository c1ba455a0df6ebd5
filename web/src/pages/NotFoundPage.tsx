import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../lib/usePageTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <Stack gap="md" data-testid="not-found">
      <Title order={1}>{t('notFound.title')}</Title>
      <div className="mf-panel">
        <Text>{t('notFound.body')}</Text>
        <Text mt="md">
          <Link to="/">{t('notFound.home')}</Link>
        </Text>
      </div>
    </Stack>
  );
}
