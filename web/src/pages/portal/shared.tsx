import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { forwardRef, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { rememberedTenant } from '../../api/security';
import { PORTAL_PASSWORD_MIN, PORTAL_TOKEN_PROBLEMS, type PortalTokenProblem } from '../../api/portal';
import { ErrorState } from '../../components/ErrorState';

/** The office (tenant slug) of the page: `?office=` from the link, else the office of the last sign-in here. */
export function useOffice(): string | null {
  const [searchParams] = useSearchParams();
  const fromUrl = searchParams.get('office');
  if (fromUrl && /^[a-z0-9][a-z0-9-]{1,62}$/.test(fromUrl)) return fromUrl;
  return rememberedTenant();
}

/**
 * The one-time token of a mail link (`?token=`), read once and then taken out of the address bar,
 * so that it ends up neither in the history nor in a later link or screenshot.
 */
export function useTokenFromUrl(): string | null {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const [token] = useState(() => searchParams.get('token'));
  useEffect(() => {
    if (!searchParams.has('token')) return;
    const rest = new URLSearchParams(searchParams);
    rest.delete('token');
    const query = rest.toString();
    void navigate({ search: query ? `?${query}` : '' }, { replace: true });
  }, [searchParams, navigate]);
  return token && token.length > 0 ? token : null;
}

export function isTokenProblem(code: string): code is PortalTokenProblem {
  return (PORTAL_TOKEN_PROBLEMS as readonly string[]).includes(code);
}

/** A page heading that takes the focus when it appears (after a form was sent, the form is gone). */
export function FocusedHeading({ children, testId }: { children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Title order={1} ref={ref} tabIndex={-1} data-testid={testId}>
      {children}
    </Title>
  );
}

/** The password rule as the server checks it, shown under the field before anyone types. */
export function usePasswordRule(): string {
  const { t } = useTranslation();
  return t('portal.password.rule', { min: PORTAL_PASSWORD_MIN });
}

/** A refusal of a confirmation or reset link: what happened, in plain words, and what to do now. */
export function TokenProblem({ error, office }: { error: unknown; office: string | null }) {
  const { t } = useTranslation();
  if (!isApiError(error) || error.isUnexpected) return <ErrorState error={error} />;
  const code = isTokenProblem(error.code) ? error.code : null;
  const forgot = office ? `/portal/forgot-password?office=${encodeURIComponent(office)}` : '/portal/forgot-password';
  return (
    <Stack gap="md">
      <Alert color="accent" variant="light" role="alert" title={code ? t(`portal.token.${code}.title`) : t('portal.token.other')} data-testid="token-problem" data-code={error.code}>
        <Text size="sm">{code ? t(`portal.token.${code}.body`) : error.problem.detail || error.problem.title}</Text>
      </Alert>
      <Stack gap="xs">
        <Button component={Link} to="/login" size="md" variant={code === 'portal-token-used' ? 'filled' : 'default'}>
          {t('portal.signIn')}
        </Button>
        <Button component={Link} to={forgot} variant="subtle">
          {t('portal.forgot.link')}
        </Button>
      </Stack>
    </Stack>
  );
}

/** Shown when a page needs the office but the link had none. */
export function MissingOffice() {
  const { t } = useTranslation();
  return (
    <Alert color="accent" variant="light" role="alert" title={t('portal.missingOffice.title')} data-testid="missing-office">
      {t('portal.missingOffice.body')}
    </Alert>
  );
}

/** A page that needs the office, opened from a link without one. */
export function MissingOfficePanel({ title }: { title: string }) {
  return (
    <div className="mf-panel">
      <Stack gap="md">
        <Title order={1}>{title}</Title>
        <MissingOffice />
      </Stack>
    </div>
  );
}

/** What a page says once its form went through, with the way on to sign in. */
export function DonePanel({ testId, title, lines }: { testId: string; title: string; lines: string[] }) {
  const { t } = useTranslation();
  return (
    <div className="mf-panel" role="status" aria-live="polite" data-testid={testId}>
      <Stack gap="md">
        <FocusedHeading>{title}</FocusedHeading>
        {lines.map((line) => <Text key={line}>{line}</Text>)}
        <Anchor component={Link} to="/login">{t('portal.signIn')}</Anchor>
      </Stack>
    </div>
  );
}

/** A field for a new password (or its repetition), as the sign-up and the reset ask for it. */
export const NewPasswordInput = forwardRef<HTMLInputElement, { name: string; label: string; description?: string; value: string; onChange: (value: string) => void; error?: string | undefined }>(
  function NewPasswordInput({ name, label, description, value, onChange, error }, ref) {
    const { t } = useTranslation();
    return (
      <PasswordInput
        ref={ref}
        name={name}
        label={label}
        description={description}
        autoComplete="new-password"
        required
        withAsterisk={false}
        value={value}
        onChange={(event) => { onChange(event.currentTarget.value); }}
        error={error}
        visibilityToggleFocusable
        visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
        size="md"
      />
    );
  },
);

/** The e-mail address an account signs in with, as the sign-up and the forgotten-password form ask for it. */
export const EmailInput = forwardRef<HTMLInputElement, { description?: string; value: string; onChange: (value: string) => void; error?: string | undefined }>(
  function EmailInput({ description, value, onChange, error }, ref) {
    const { t } = useTranslation();
    return (
      <TextInput
        ref={ref}
        name="email"
        type="email"
        label={t('portal.fields.email')}
        description={description}
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        withAsterisk={false}
        value={value}
        onChange={(event) => { onChange(event.currentTarget.value); }}
        error={error}
        size="md"
      />
    );
  },
);
