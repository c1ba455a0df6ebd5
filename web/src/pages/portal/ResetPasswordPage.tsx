import { Button, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { confirmPasswordReset, PORTAL_PASSWORD_MIN } from '../../api/portal';
import { fieldErrorsOf, withLabel } from '../../lib/problems';
import { usePageTitle } from '../../lib/usePageTitle';
import { FocusedHeading, isTokenProblem, NewPasswordInput, usePasswordRule, TokenProblem, useOffice, useTokenFromUrl } from './shared';

/** The link in the reset mail: a new password, typed twice; every session of the account ends. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.reset.title'));
  const token = useTokenFromUrl();
  const office = useOffice();
  const rule = usePasswordRule();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ password?: string | undefined; repeat?: string | undefined }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: (next: string) => confirmPasswordReset(token ?? '', next),
    onError: (error) => {
      const message = fieldErrorsOf(error).password;
      if (message) {
        setErrors({ password: withLabel(t('portal.fields.newPassword'), message) });
        passwordRef.current?.focus();
      }
    },
  });

  if (!token) {
    return (
      <div className="mf-panel">
        <Stack gap="md">
          <Title order={1}>{t('portal.reset.title')}</Title>
          <Text role="alert" data-testid="token-missing">{t('portal.token.missing')}</Text>
        </Stack>
      </div>
    );
  }

  if (mutation.isSuccess) {
    return (
      <div className="mf-panel" role="status" aria-live="polite" data-testid="reset-done">
        <Stack gap="md">
          <FocusedHeading>{t('portal.reset.doneTitle')}</FocusedHeading>
          <Text>{t('portal.reset.doneBody')}</Text>
          <Button component={Link} to="/login" size="md">{t('portal.signIn')}</Button>
        </Stack>
      </div>
    );
  }

  const error = mutation.error;
  if (error && isApiError(error) && isTokenProblem(error.code)) {
    return (
      <div className="mf-panel" aria-live="polite">
        <Stack gap="md">
          <FocusedHeading>{t('portal.reset.failedTitle')}</FocusedHeading>
          <TokenProblem error={error} office={office} />
        </Stack>
      </div>
    );
  }

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: typeof errors = {};
    if (password.length < PORTAL_PASSWORD_MIN) next.password = t('portal.errors.passwordShort', { min: PORTAL_PASSWORD_MIN });
    else if (repeat !== password) next.repeat = t('portal.errors.passwordMismatch');
    setErrors(next);
    if (next.password) passwordRef.current?.focus();
    else if (next.repeat) repeatRef.current?.focus();
    else mutation.mutate(password);
  };

  return (
    <div className="mf-panel">
      <Stack gap="md">
        <Title order={1}>{t('portal.reset.title')}</Title>
        <Text>{t('portal.reset.intro')}</Text>
        {error && !errors.password ? <TokenProblem error={error} office={office} /> : null}
        <form noValidate onSubmit={onSubmit}>
          <Stack gap="md">
            <NewPasswordInput ref={passwordRef} name="password" label={t('portal.fields.newPassword')} description={rule} value={password} onChange={setPassword} error={errors.password} />
            <NewPasswordInput ref={repeatRef} name="passwordRepeat" label={t('portal.fields.repeatPassword')} value={repeat} onChange={setRepeat} error={errors.repeat} />
            <Button type="submit" size="md" loading={mutation.isPending}>
              {t('portal.reset.submit')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </div>
  );
}
