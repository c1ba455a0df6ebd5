import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError, NETWORK_ERROR } from '../api/client';

interface ErrorStateProps {
  error: unknown;
  onRetry?: (() => void) | undefined;
  /** Show a link to the start page as well. */
  withHomeLink?: boolean;
  /** Leave out the "Something went wrong" title when the page heading already says it. */
  withTitle?: boolean;
}

/** The generic "something went wrong" message: network failures, 5xx, unexpected errors. */
export function ErrorState({ error, onRetry, withHomeLink = false, withTitle = true }: ErrorStateProps) {
  const { t } = useTranslation();
  let message: string;
  let requestId = '';
  if (isApiError(error)) {
    requestId = error.problem.requestId;
    if (error.code === NETWORK_ERROR) message = t('error.network');
    else if (error.problem.detail) message = error.problem.detail;
    else if (error.status >= 500) message = t('error.server');
    else message = t('error.body');
  } else {
    message = t('error.unexpected');
  }
  return (
    <Alert color="accent" variant="light" title={withTitle ? t('error.title') : undefined}
      role="alert" data-testid="error-state">
      <Text size="sm">{message}</Text>
      {requestId ? (
        <Text size="sm" mt="xs" c="dimmed">
          {t('error.reference', { id: requestId })}
        </Text>
      ) : null}
      {onRetry || withHomeLink ? (
        <Group mt="md" gap="sm">
          {onRetry ? (
            <Button size="sm" onClick={onRetry}>
              {t('error.retry')}
            </Button>
          ) : null}
          {withHomeLink ? (
            <Button size="sm" variant="default" component={Link} to="/">
              {t('error.home')}
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Alert>
  );
}
