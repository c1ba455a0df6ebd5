import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadAccessReport, type ReportLanguage } from '../../api/privacy';
import { currentLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n';
import { refusalText } from '../../lib/problems';
import { useReauthentication } from '../ReauthDialog';

/**
 * "Auskunft": the right-of-access report of the person, as JSON or PDF. It is an export, so the
 * server asks for a recent sign-in; then the dialog asks for the password and the download repeats.
 */
export function AccessReportActions({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const selectId = useId();
  const [language, setLanguage] = useState<ReportLanguage>(currentLanguage());
  const [busy, setBusy] = useState<'json' | 'pdf' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const reauth = useReauthentication();

  const download = async (format: 'json' | 'pdf') => {
    setBusy(format);
    setFailure(null);
    try {
      await reauth.run(() => downloadAccessReport(personId, format, language));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

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
        <Button size="sm" loading={busy === 'pdf'} onClick={() => { void download('pdf'); }} data-testid="access-report-pdf">
          {t('privacy.report.pdf')}
        </Button>
        <Button size="sm" variant="default" loading={busy === 'json'} onClick={() => { void download('json'); }} data-testid="access-report-json">
          {t('privacy.report.json')}
        </Button>
      </Group>
      {failure ? <Alert color="red" mt="xs">{refusalText(failure) ?? t('privacy.report.failed')}</Alert> : null}
      {reauth.dialog}
    </div>
  );
}
