import { Stack, Text, Title } from '@mantine/core';
import type { ParseKeys } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../lib/usePageTitle';

export function ComingSoonPage({ titleKey }: { titleKey: ParseKeys }) {
  const { t } = useTranslation();
  const title = t(titleKey);
  usePageTitle(title);
  return (
    <Stack gap="md" data-testid="coming-soon">
      <Title order={1}>{title}</Title>
      <div className="mf-panel">
        <Text>{t('comingSoon.body')}</Text>
        <Text mt="md">
          <Link to="/persons">{t('comingSoon.back')}</Link>
        </Text>
      </div>
    </Stack>
  );
}
