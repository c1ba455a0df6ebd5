import { Alert, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { fetchCase, type CaseDetail, type LocalText } from '../../api/cases';
import { currentLanguage, intlLocale, type Language } from '../../i18n';
import { todayIso } from '../../lib/format';
import { isVersionConflict, otherFieldErrors, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { VersionConflictAlert } from '../VersionConflictAlert';
import { DateText } from '../register/common';
import { storeCase } from './caseQueries';

/** A case type's text in the UI language, else German, else any. */
export function localText(text: LocalText | null | undefined, language: Language = currentLanguage()): string {
  if (!text) return '';
  return text[language] || text.de || text.en || text.fr || text.it || '';
}

/** A due date; past dates say "overdue" in words (not by colour alone). */
export function DueDate({ value, overdue }: { value: string | null; overdue?: boolean }) {
  const { t } = useTranslation();
  if (!value) return <DateText value={null} />;
  const late = overdue ?? value < todayIso();
  return (
    <span className={late ? 'mf-due mf-due--overdue' : 'mf-due'} data-overdue={late ? 'true' : undefined}>
      <DateText value={value} />
      {late ? <span className="mf-tag mf-tag--alert">{t('cases.overdue')}</span> : null}
    </span>
  );
}

function looksLikeCase(value: unknown): value is CaseDetail {
  return typeof value === 'object' && value !== null && typeof (value as CaseDetail).id === 'string'
    && typeof (value as CaseDetail).version === 'number' && typeof (value as CaseDetail).reference === 'string';
}

/**
 * `409 version-conflict`: someone else changed the case since it was loaded. Loads the current
 * case (sent along as `current`, else fetched); the user's entries stay where they are.
 */
function CaseConflict({ error, caseId, onReloaded }: { error: unknown; caseId: string; onReloaded: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reload = async () => {
    const current = isApiError(error) ? error.problem.extensions?.current : undefined;
    storeCase(queryClient, looksLikeCase(current) ? current : await fetchCase(caseId));
    onReloaded();
  };
  return <VersionConflictAlert title={t('cases.conflict.title')} body={t('cases.conflict.body')} reload={reload} />;
}

/**
 * A failed write to a case, as the API explained it (problem+json): a version conflict with a
 * reload, the API's sentence for a refusal with its field messages, or the generic error.
 */
export function CaseProblem({ error, caseId, onReloaded, known = [] }: {
  error: unknown;
  caseId: string;
  onReloaded: () => void;
  /** Fields shown next to their inputs; the others are listed here. */
  known?: readonly string[];
}) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isVersionConflict(error)) return <CaseConflict error={error} caseId={caseId} onReloaded={onReloaded} />;
  if (!isApiError(error) || error.isUnexpected) return <ErrorState error={error} />;
  const unplaced = otherFieldErrors(error, known);
  const hasPlacedErrors = (error.problem.errors?.length ?? 0) > unplaced.length;
  return (
    <Alert color="accent" variant="light" role="alert" title={t('form.notSaved')} data-testid="case-refused" data-code={error.code}>
      <Text size="sm">{hasPlacedErrors ? t('form.fixErrors') : refusalText(error)}</Text>
      {unplaced.length > 0 ? (
        <ul className="mf-error-list">
          {unplaced.map((item) => <li key={`${item.field}-${item.message}`}>{item.field}: {item.message}</li>)}
        </ul>
      ) : null}
    </Alert>
  );
}

/** The case pages' dialogs (one implementation for every staff page). */
export { ResponsiveDialog as CaseDialog } from '../ResponsiveDialog';

/** "12 days" in the UI language. */
export function AgeText({ days }: { days: number }) {
  const { t } = useTranslation();
  return <>{t('cases.ageDays', { count: days })}</>;
}

/** A sha256 shortened for the eye; the whole value is in the title (and copied with the text). */
export function ShortHash({ value }: { value: string }) {
  return (
    <code className="mf-hash" title={value} data-sha256={value}>
      {value.slice(0, 12)}…
    </code>
  );
}

/** File size in kB / MB. */
export function formatSize(bytes: number, language: Language = currentLanguage()): string {
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 }).format(value)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'kB');
  return format(bytes / (1024 * 1024), 'MB');
}
