import { Alert, Button, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { login } from '../api/endpoints';
import { fetchSsoProviders, loginWithCode, rememberedTenant, rememberTenant, ssoStartUrl } from '../api/security';
import type { SessionInfo } from '../api/types';
import { useSession, useSetSession } from '../auth/session';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { returnPath } from '../lib/returnPath';
import { requestHeadingFocus } from '../lib/useFocusOnNavigate';
import { usePageTitle } from '../lib/usePageTitle';
import { TotpCodeInput } from '../components/TotpCodeInput';

type Field = 'username' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

const FORM_ERROR_ID = 'login-form-error';
const SSO_ERRORS = ['oidc-unknown-user', 'oidc-failed', 'oidc-unavailable', 'oidc-not-configured'] as const;
type SsoError = (typeof SSO_ERRORS)[number];

function isSsoError(value: string | null): value is SsoError {
  return (SSO_ERRORS as readonly (string | null)[]).includes(value);
}

/** Sign-in: user name and password, then the authenticator code when the account has one; or the office's single sign-on. */
export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const location = useLocation();
  const session = useSession();
  const setSession = useSetSession();
  const [pendingToken, setPendingToken] = useState<string | null>(null);
  const [expiredNotice, setExpiredNotice] = useState(false);

  const onSignedIn = (info: SessionInfo) => {
    rememberTenant(info.tenant.slug);
    requestHeadingFocus(); // focus was on the (disabled) button; start at the new page's heading
    setSession(info);
  };

  if (session.data) return <Navigate to={returnPath(location.state)} replace />;
  if (session.isPending) return <Loading />;

  return (
    <div className="mf-panel">
      <Stack gap="md">
        {pendingToken ? (
          <CodeStep
            pendingToken={pendingToken}
            onSignedIn={onSignedIn}
            onRestart={(expired) => {
              setExpiredNotice(expired);
              setPendingToken(null);
            }}
          />
        ) : (
          <PasswordStep
            expiredNotice={expiredNotice}
            onSignedIn={onSignedIn}
            onCodeNeeded={(token) => {
              setExpiredNotice(false);
              requestHeadingFocus();
              setPendingToken(token);
            }}
          />
        )}
      </Stack>
    </div>
  );
}

function PasswordStep({ expiredNotice, onSignedIn, onCodeNeeded }: { expiredNotice: boolean; onSignedIn: (info: SessionInfo) => void; onCodeNeeded: (pendingToken: string) => void }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ssoError = searchParams.get('ssoError');

  const mutation = useMutation({
    mutationFn: (credentials: { username: string; password: string }) => login(credentials.username, credentials.password),
    onSuccess: (result) => {
      if ('pendingToken' in result) onCodeNeeded(result.pendingToken);
      else onSignedIn(result);
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
    <>
      <Title order={1}>{t('login.title')}</Title>
      <Text>{t('login.intro')}</Text>

      {expiredNotice ? (
        <Alert color="accent" variant="light" role="alert" data-testid="login-pending-expired">
          {t('security.login.pendingExpired')}
        </Alert>
      ) : null}
      {ssoError ? (
        <Alert color="accent" variant="light" title={t('security.login.ssoFailed')} role="alert" data-testid="sso-error" data-code={ssoError}>
          {isSsoError(ssoError) ? t(`security.ssoErrors.${ssoError}`) : t('security.ssoErrors.other')}
        </Alert>
      ) : null}
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
      <SingleSignOn />
    </>
  );
}

/** "Sign in with <office SSO>": for the office of the URL (?tenant=) or of the last sign-in here, else every office that has one. */
function SingleSignOn() {
  const { t } = useTranslation();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const tenant = searchParams.get('tenant') ?? rememberedTenant();
  const providers = useQuery({
    queryKey: ['sso-providers', tenant],
    queryFn: ({ signal }) => fetchSsoProviders(tenant, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
  const list = providers.data ?? [];
  if (list.length === 0) return null;
  const returnTo = returnPath(location.state);
  return (
    <Stack gap="sm" data-testid="sso">
      <Divider label={t('security.login.or')} labelPosition="center" />
      {list.map((provider) => (
        // A full page load: the provider's sign-in page is another site.
        <Button key={provider.tenant} component="a" href={ssoStartUrl(provider.tenant, { returnTo })} variant="default" size="md">
          {t('security.login.sso', { label: provider.label })}
        </Button>
      ))}
    </Stack>
  );
}

function CodeStep({ pendingToken, onSignedIn, onRestart }: { pendingToken: string; onSignedIn: (info: SessionInfo) => void; onRestart: (expired: boolean) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: (typed: string) => loginWithCode(pendingToken, typed),
    onSuccess: onSignedIn,
    onError: (error) => {
      // The pending sign-in ran out (or the account got locked meanwhile): the password comes first again.
      if (isApiError(error) && error.code === 'pending-login-expired') {
        onRestart(true);
        return;
      }
      setCode('');
      codeRef.current?.focus();
    },
  });
  const error = mutation.error;
  const refusal = error && isApiError(error) && !error.isUnexpected ? error.problem.detail || error.problem.title : null;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (!code.trim()) {
      setMissing(true);
      codeRef.current?.focus();
      return;
    }
    setMissing(false);
    mutation.mutate(code.trim());
  };

  return (
    <>
      <Title order={1}>{t('security.login.codeTitle')}</Title>
      <Text>{t('security.login.codeIntro')}</Text>
      {refusal ? (
        <Alert color="accent" variant="light" title={t('login.failed')} role="alert" data-testid="login-error" data-code={isApiError(error) ? error.code : undefined}>
          {refusal}
        </Alert>
      ) : null}
      {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
      <form noValidate onSubmit={onSubmit}>
        <Stack gap="md">
          <TotpCodeInput ref={codeRef} value={code} onChange={setCode} missing={missing} size="md" autoFocus />
          <Button type="submit" size="md" loading={mutation.isPending}>
            {t('security.login.verify')}
          </Button>
          <Button variant="subtle" onClick={() => { onRestart(false); }}>
            {t('security.login.back')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
