import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { isApiError } from '../api/client';
import { checkShareCode, type SharedPermit } from '../api/portal-service';
import { ErrorState } from '../components/ErrorState';
import { DateText, TimestampText } from '../components/register/common';
import { refusalText } from '../lib/problems';
import { usePageTitle } from '../lib/usePageTitle';

/** A share code has 12 characters (server/src/modules/portal/rules.ts: HUMAN_CODE_LENGTH). */
const CODE_LENGTH = 12;

/** What was typed, as the code is printed (K7QF-92MD-XH3P): spaces, dashes and small letters do not matter. */
export function normaliseCode(raw: string): string | null {
  const plain = raw.toUpperCase().replace(/[\s-]/g, '');
  if (plain.length !== CODE_LENGTH) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}

function isInvalidCode(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/**
 * Public: an employer or landlord enters the share code a person gave them and sees the permit
 * category and its validity — and nothing else about the person.
 */
export function CheckPermitPage() {
  const { t } = useTranslation();
  usePageTitle(t('checkPermit.title'));
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const fieldRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({ mutationFn: (normalised: string) => checkShareCode(normalised) });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const normalised = normaliseCode(code);
    const problem = code.trim() === '' ? t('checkPermit.codeRequired') : normalised === null ? t('checkPermit.codeLength', { length: CODE_LENGTH }) : undefined;
    setFieldError(problem);
    if (problem || normalised === null) {
      fieldRef.current?.focus();
      return;
    }
    mutation.mutate(normalised);
  };

  const failure = mutation.error;
  return (
    <Stack gap="md">
      <div className="mf-panel" data-testid="check-permit">
        <Stack gap="md">
          <Title order={1}>{t('checkPermit.title')}</Title>
          <Text>{t('checkPermit.intro')}</Text>
          <Text fw={600} data-testid="check-only-this">{t('checkPermit.onlyThis')}</Text>
          <form noValidate onSubmit={onSubmit} data-testid="check-form">
            <Stack gap="md">
              <TextInput
                ref={fieldRef}
                name="code"
                label={t('checkPermit.code')}
                description={t('checkPermit.codeHint')}
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                value={code}
                onChange={(event) => { setCode(event.currentTarget.value); setFieldError(undefined); }}
                error={fieldError}
                size="md"
                styles={{ input: { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', letterSpacing: '0.05em' } }}
              />
              <div>
                <Button type="submit" size="md" loading={mutation.isPending} data-testid="check-submit">{t('checkPermit.submit')}</Button>
              </div>
            </Stack>
          </form>
        </Stack>
      </div>
      {mutation.isSuccess ? <Result permit={mutation.data} /> : null}
      {failure ? (
        isInvalidCode(failure) ? <Outcome testId="check-invalid" title={t('checkPermit.invalid.title')} tone="bad">{t('checkPermit.invalid.body')}</Outcome>
          : isApiError(failure) && !failure.isUnexpected ? <Outcome testId="check-refused" title={t('checkPermit.refused')} tone="bad">{refusalText(failure)}</Outcome>
            : <ErrorState error={failure} />
      ) : null}
    </Stack>
  );
}

/**
 * The answer, in a panel that takes the focus when it appears (the button that had it stays, but
 * the news is below): the result is read out first.
 */
function Outcome({ testId, title, tone, children }: { testId: string; title: string; tone: 'good' | 'bad'; children: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const border = tone === 'good' ? '#0b5c41' : 'var(--mf-accent)';
  return (
    <section className="mf-panel" aria-labelledby={`${testId}-heading`} data-testid={testId} style={{ borderColor: border, borderWidth: 2, borderInlineStartWidth: 6 }}>
      <Stack gap="sm">
        <h2 id={`${testId}-heading`} ref={headingRef} tabIndex={-1} className="mf-section-title">{title}</h2>
        {children}
      </Stack>
    </section>
  );
}

function Result({ permit }: { permit: SharedPermit }) {
  const { t } = useTranslation();
  // The office's own name of the category (its catalogue, in the page's language), else the code alone.
  const categoryName = permit.categoryNames?.[currentLanguage()] ?? null;
  const valid = permit.status === 'valid';
  return (
    <Outcome testId="check-result" title={valid ? t('checkPermit.result.valid') : t('checkPermit.noPermit.title')} tone={valid ? 'good' : 'bad'}>
      {valid ? null : <Text data-testid="check-no-permit">{t('checkPermit.noPermit.body')}</Text>}
      <dl className="mf-facts-list" data-status={permit.status}>
        <dt>{t('checkPermit.result.office')}</dt>
        <dd data-testid="check-office">{permit.office}</dd>
        {valid && permit.category ? (
          <>
            <dt>{t('checkPermit.result.category')}</dt>
            <dd data-testid="check-category" data-category={permit.category}>
              {categoryName ? (
                <>
                  <span className="mf-permit-code" aria-hidden="true">{permit.category}</span>
                  {categoryName}
                </>
              ) : permit.category}
            </dd>
            <dt>{t('checkPermit.result.validUntil')}</dt>
            <dd data-testid="check-valid-until">{permit.validUntil ? <DateText value={permit.validUntil} /> : t('checkPermit.result.noEnd')}</dd>
          </>
        ) : null}
        <dt>{t('checkPermit.result.checkedAt')}</dt>
        <dd data-testid="check-checked-at"><TimestampText value={permit.checkedAt} /></dd>
        <dt>{t('checkPermit.result.codeValidUntil')}</dt>
        <dd><TimestampText value={permit.codeValidUntil} /></dd>
      </dl>
      <Alert color="gray" variant="light" role="note" className="mf-alert-info" data-testid="check-nothing-else">
        <Text size="sm">{t('checkPermit.nothingElse')}</Text>
      </Alert>
    </Outcome>
  );
}
