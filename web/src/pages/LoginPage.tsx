import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '../api/client';
import { login } from '../api/endpoints';
import { useSession, useSetSession } from '../auth/session';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { returnPath } from '../lib/returnPath';
import { requestHeadingFocus } from '../lib/useFocusOnNavigate';
import { usePageTitle } from '../lib/usePageTitle';

type Field = 'username' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

const FORM_ERROR_ID = 'login-form-error';

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const location = useLocation();
  const session = useSession();
  const setSession = useSetSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const mutation = useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      login(credentials.username, credentials.password),
    onSuccess: (info) => {
      requestHeadingFocus(); // focus was on the (disabled) button; start at the new page's heading
      setSession(info);
    },
    onError: (error) => {
      const next: FieldErrors = {};
      if (isApiError(error)) {
        for (const fieldError of error.problem.errors ?? []) {
          if (fieldError.field === 'username' || fieldError.field === 'password') {
            next[fieldError.field] = fieldError.message;
          }
        }
      }
      setFieldErrors(next);
      // The submit button was disabled while waiting, so focus is lost: put it where the fix is.
      if (next.username) usernameRef.current?.focus();
      else {
        passwordRef.current?.focus();
        passwordRef.current?.select();
      }
    },
  });

  const error = mutation.error;
  const hasFieldErrors = Boolean(fieldErrors.username || fieldErrors.password);
  // Expected refusals (wrong password, locked account, rate limit) carry a sentence from the
  // API in the current language; network failures and 5xx get the generic error message.
  const formError =
    error && isApiError(error) && !error.isUnexpected && !hasFieldErrors
      ? error.problem.detail || error.problem.title
      : null;
  const unexpectedError = error && (!isApiError(error) || error.isUnexpected) ? error : null;

  // Tie a form-level refusal to both fields (aria-describedby / aria-invalid), so it is read
  // again when the user returns to a field. Mantine manages these attributes itself only for
  // its own field errors, hence the DOM update.
  useEffect(() => {
    for (const input of [usernameRef.current, passwordRef.current]) {
      if (!input) continue;
      if (formError) {
        input.setAttribute('aria-describedby', FORM_ERROR_ID);
        input.setAttribute('aria-invalid', 'true');
      } else if (input.getAttribute('aria-describedby') === FORM_ERROR_ID) {
        input.removeAttribute('aria-describedby');
        input.removeAttribute('aria-invalid');
      }
    }
  }, [formError]);

  if (session.data) return <Navigate to={returnPath(location.state)} replace />;
  if (session.isPending) return <Loading />;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!username.trim()) errors.username = t('login.usernameRequired');
    if (!password) errors.password = t('login.passwordRequired');
    setFieldErrors(errors);
    mutation.reset();
    if (errors.username) usernameRef.current?.focus();
    else if (errors.password) passwordRef.current?.focus();
    else mutation.mutate({ username: username.trim(), password });
  };

  return (
    <div className="mf-panel">
      <Stack gap="md">
        <Title order={1}>{t('login.title')}</Title>
        <Text>{t('login.intro')}</Text>

        {formError ? (
          <Alert
            id={FORM_ERROR_ID}
            color="accent"
            variant="light"
            title={t('login.failed')}
            role="alert"
            data-testid="login-error"
            data-code={isApiError(error) ? error.code : undefined}
          >
            {formError}
          </Alert>
        ) : null}
        {unexpectedError ? <ErrorState error={unexpectedError} /> : null}

        <form noValidate onSubmit={onSubmit}>
          <Stack gap="md">
            <TextInput
              ref={usernameRef}
              name="username"
              label={t('login.username')}
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              required
              withAsterisk={false}
              value={username}
              onChange={(event) => { setUsername(event.currentTarget.value); }}
              error={fieldErrors.username}
              size="md"
            />
            <PasswordInput
              ref={passwordRef}
              name="password"
              label={t('login.password')}
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={password}
              onChange={(event) => { setPassword(event.currentTarget.value); }}
              error={fieldErrors.password}
              visibilityToggleFocusable
              visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
              size="md"
            />
            <Button type="submit" size="md" loading={mutation.isPending}>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </div>
  );
}
