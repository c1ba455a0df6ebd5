import { Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { requestPasswordReset } from '../../api/portal';
import { ErrorState } from '../../components/ErrorState';
import { fieldErrorsOf, withLabel } from '../../lib/problems';
import { usePageTitle } from '../../lib/usePageTitle';
import { DonePanel, EmailInput, MissingOfficePanel, useOffice } from './shared';

/** "Forgot your password?": a reset link by mail; the answer never tells whether the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.forgot.title'));
  const office = useOffice();
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const emailRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: (address: string) => requestPasswordReset(office ?? '', address),
    onError: (error) => {
      const message = fieldErrorsOf(error).email;
      setEmailError(message ? withLabel(t('portal.fields.email'), message) : undefined);
      emailRef.current?.focus();
    },
  });

  if (!office) return <MissingOfficePanel title={t('portal.forgot.title')} />;

  if (mutation.isSuccess) {
    return <DonePanel testId="forgot-done" title={t('portal.forgot.doneTitle')} lines={[t('portal.forgot.doneBody', { email: mutation.variables }), t('portal.forgot.doneHint')]} />;
  }

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const trimmed = email.trim();
    const problem = !trimmed ? t('portal.errors.emailRequired') : !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed) ? t('portal.errors.emailInvalid') : undefined;
    setEmailError(problem);
    if (problem) {
      emailRef.current?.focus();
      return;
    }
    mutation.mutate(trimmed);
  };

  const error = mutation.error;
  const refusal = error && isApiError(error) && !error.isUnexpected && !emailError ? error.problem.detail || error.problem.title : null;

  return (
    <div className="mf-panel">
      <Stack gap="md">
        <Title order={1}>{t('portal.forgot.title')}</Title>
        <Text>{t('portal.forgot.intro')}</Text>
        <div aria-live="polite">
          {refusal ? (
            <Text role="alert" c="accent" data-testid="forgot-error">
              {refusal}
            </Text>
          ) : null}
        </div>
        {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
        <form noValidate onSubmit={onSubmit}>
          <Stack gap="md">
            <EmailInput ref={emailRef} value={email} onChange={setEmail} error={emailError} />
            <Button type="submit" size="md" loading={mutation.isPending}>
              {t('portal.forgot.submit')}
            </Button>
          </Stack>
        </form>
        <Anchor component={Link} to="/login" size="sm">{t('portal.backToSignIn')}</Anchor>
      </Stack>
    </div>
  );
}
