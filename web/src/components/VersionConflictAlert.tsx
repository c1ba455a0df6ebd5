import { Alert, Button, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * `409 version-conflict`: someone else saved the record since this page loaded it. Says so and
 * loads the current data on request; the user's entries stay where they are.
 */
export function VersionConflictAlert({ title, body, reload }: { title: string; body: string; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const run = async () => {
    setLoading(true);
    setFailed(false);
    try {
      await reload();
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Alert color="accent" variant="light" role="alert" title={title} data-testid="version-conflict">
      <Text size="sm">{body}</Text>
      {failed ? <Text size="sm" mt="xs">{t('error.network')}</Text> : null}
      <Button mt="sm" size="sm" onClick={() => void run()} loading={loading} data-testid="conflict-reload">
        {t('conflict.reload')}
      </Button>
    </Alert>
  );
}
