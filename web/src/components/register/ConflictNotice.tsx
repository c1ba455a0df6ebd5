import { Alert, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchPersonFile } from '../../api/endpoints';
import type { PersonFile } from '../../api/types';
import { versionConflictOf } from '../../lib/problems';
import { VersionConflictAlert } from '../VersionConflictAlert';
import { storePersonFile } from './personQueries';

interface ConflictNoticeProps {
  error: unknown;
  personId: string;
  /** Called with the fresh file once it is loaded (the form then re-bases on it). */
  onReloaded: (file: PersonFile) => void;
}

/**
 * `409 version-conflict`: someone else saved the person since this page loaded it. Offers to
 * load the current file (sent along in the problem's `current`, else fetched); the user's
 * entries stay in the form so the change can be checked and saved again.
 */
export function ConflictNotice({ error, personId, onReloaded }: ConflictNoticeProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const conflict = versionConflictOf(error);
  if (!conflict) return null;
  const reload = async () => {
    const file = conflict.current ?? (await fetchPersonFile(personId, undefined));
    storePersonFile(queryClient, file);
    onReloaded(file);
  };
  return <VersionConflictAlert title={t('conflict.title')} body={t('conflict.body')} reload={reload} />;
}

/** Shown after the reload: the form now works on the current data. */
export function ReloadedNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" className="mf-alert-info" role="status" data-testid="conflict-reloaded">
      <Text size="sm">{t('conflict.reloaded')}</Text>
    </Alert>
  );
}
