import { CloseButton, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';

/** The confirmation after a change on a record page ("saved"), until the user closes it. */
export function DismissibleNotice({ notice, testId, onClose }: { notice: string | null; testId: string; onClose: () => void }) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <div className="mf-notice" role="status" data-testid={testId}>
      <span>{notice}</span>
      <CloseButton size="sm" aria-label={t('common.close')} onClick={onClose} />
    </div>
  );
}

/** While a record page loads: a spinner; when the record does not exist: a way back; on other errors: retry. */
export function RecordLoadState({ query, notFound, notFoundText, back }: { query: UseQueryResult<unknown>; notFound: boolean; notFoundText: string; back: { to: string; label: string } }) {
  if (query.isPending) return <Loading />;
  if (notFound) {
    return (
      <div className="mf-panel">
        <Text>{notFoundText}</Text>
        <Text mt="md"><Link to={back.to}>{back.label}</Link></Text>
      </div>
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return null;
}
