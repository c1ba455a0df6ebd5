import { Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="mf-loading" role="status">
      <Loader size="sm" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  );
}
