import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessReportUrl, type ReportLanguage } from '../../api/privacy';
import { currentLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n';

/**
 * "Auskunft": the right-of-access report of the person, as JSON or PDF. The server asks for a
 * recent sign-in because it is an export; the download itself carries the session cookie.
 */
export function AccessReportActions({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const selectId = useId();
  const [language, setLanguage] = useState<ReportLanguage>(currentLanguage());
  return (
    <div data-testid="access-report-actions">
      <Text size="sm" mb="xs">{t('privacy.report.explanation')}</Text>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          id={selectId}
          size="sm"
          label={t('privacy.report.language')}
          value={language}
          data={LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code] }))}
          onChange={(event) => { setLanguage(event.currentTarget.value as ReportLanguage); }}
        />
        <Button size="sm" component="a" href={accessReportUrl(personId, 'pdf', language)} download data-testid="access-report-pdf">
          {t('privacy.report.pdf')}
        </Button>
        <Button size="sm" variant="default" component="a" href={accessReportUrl(personId, 'json')} download data-testid="access-report-json">
          {t('privacy.report.json')}
        </Button>
      </Group>
    </div>
  );
}
