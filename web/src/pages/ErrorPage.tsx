import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { PublicFrame } from '../components/PublicLayout';
import { usePageTitle } from '../lib/usePageTitle';
import { NotFoundPage } from './NotFoundPage';

/** Content of the generic error page; used inside a layout or on its own. */
export function ErrorContent({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  usePageTitle(t('error.title'));
  return (
    <Stack gap="md" data-testid="error-page">
      <Title order={1}>{t('error.title')}</Title>
      <ErrorState error={error} onRetry={onRetry ?? (() => { window.location.reload(); })} withHomeLink withTitle={false} />
    </Stack>
  );
}

/** Error boundary for routes inside the staff layout: the navigation stays usable. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <ErrorContent error={error} />;
}

/** Last-resort error boundary at the root: renders its own frame. */
export function RootError() {
  const error = useRouteError();
  const content =
    isRouteErrorResponse(error) && error.status === 404 ? <NotFoundPage /> : <ErrorContent error={error} />;
  return <PublicFrame wide>{content}</PublicFrame>;
}
