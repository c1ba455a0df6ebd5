import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/permissions';
import { FileSection } from '../register/PersonSections';
import { AccessReportActions } from './AccessReportActions';
import { LegalHoldSwitch } from './LegalHoldSwitch';

/** The person file's privacy part: the access report and the legal hold; nothing for roles without the report right. */
export function PersonPrivacySection({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const canReport = useCan('privacy:report');
  if (!canReport) return null;
  return (
    <FileSection id="privacy" title={t('privacy.section')} testId="privacy-section">
      <Stack gap="md">
        <AccessReportActions personId={personId} />
        <LegalHoldSwitch personId={personId} />
      </Stack>
    </FileSection>
  );
}
