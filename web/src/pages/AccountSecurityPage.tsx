import { Alert, Badge, Button, Code, Group, Image, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { confirmTotp, disableTotp, logoutEverywhere, startTotpEnrolment, type TotpEnrolment } from '../api/security';
import { clearUserData, SESSION_QUERY_KEY, useSession } from '../auth/session';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../lib/usePageTitle';
import { TotpCodeInput } from '../components/TotpCodeInput';

/** The person's own sign-in security: the authenticator app (TOTP) and signing out on every device. */
export function AccountSecurityPage() {
  const { t } = useTranslation();
  usePageTitle(t('security.title'));
  const session = useSession();
  if (!session.data) return <Loading />;
  const signIn = session.data.signIn;
  return (
    <Stack gap="md" data-testid="account-security">
      <Title order={1}>{t('security.title')}</Title>
      <Text>{t('security.intro')}</Text>
      {signIn?.totpEnrolmentRequired ? (
        <Alert color="accent" variant="light" role="alert" data-testid="totp-required">
          {t('security.totp.required')}
        </Alert>
      ) : null}
      <TotpSection enabled={signIn?.totpEnabled ?? false} viaSso={signIn?.method === 'oidc'} />
      <SessionsSection />
    </Stack>
  );
}

function refusalOf(error: unknown): string | null {
  return error && isApiError(error) && !error.isUnexpected ? error.problem.detail || error.problem.title : null;
}

function Problem({ error }: { error: unknown }) {
  const refusal = refusalOf(error);
  if (refusal) {
    return (
      <Alert color="accent" variant="light" role="alert" data-code={isApiError(error) ? error.code : undefined}>
        {refusal}
      </Alert>
    );
  }
  return error ? <ErrorState error={error} /> : null;
}

function CodeForm({ submitLabel, onSubmit, pending, testId }: { submitLabel: string; onSubmit: (code: string) => void; pending: boolean; testId: string }) {
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!code.trim()) {
      setMissing(true);
      ref.current?.focus();
      return;
    }
    setMissing(false);
    onSubmit(code.trim());
    setCode('');
  };
  return (
    <form noValidate onSubmit={submit} data-testid={testId}>
      <Group align="flex-end" gap="sm">
        <TotpCodeInput ref={ref} value={code} onChange={setCode} missing={missing} />
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </form>
  );
}

function TotpSection({ enabled, viaSso }: { enabled: boolean; viaSso: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [done, setDone] = useState<'enabled' | 'disabled' | null>(null);
  const refreshSession = () => queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });

  const start = useMutation({ mutationFn: startTotpEnrolment, onSuccess: (result) => { setDone(null); setEnrolment(result); } });
  const confirm = useMutation({
    mutationFn: confirmTotp,
    onSuccess: async () => {
      setEnrolment(null);
      setDone('enabled');
      await refreshSession();
    },
  });
  const disable = useMutation({
    mutationFn: disableTotp,
    onSuccess: async () => {
      setDone('disabled');
      await refreshSession();
    },
  });

  return (
    <section aria-labelledby={headingId} className="mf-panel" data-testid="totp-section">
      <Stack gap="sm">
        <Group gap="sm">
          <h2 id={headingId} className="mf-section-title">
            {t('security.totp.heading')}
          </h2>
          <Badge color={enabled ? 'green' : 'gray'} variant="light" data-testid="totp-status">
            {enabled ? t('security.totp.on') : t('security.totp.off')}
          </Badge>
        </Group>
        <Text>{t('security.totp.explain')}</Text>
        {viaSso ? <Text c="dimmed">{t('security.totp.viaSso')}</Text> : null}
        {done ? (
          <Alert color="green" variant="light" role="status" data-testid="totp-done">
            {done === 'enabled' ? t('security.totp.enabled') : t('security.totp.disabled')}
          </Alert>
        ) : null}

        {enabled ? (
          <>
            <Text>{t('security.totp.disableIntro')}</Text>
            <Problem error={disable.error} />
            <CodeForm testId="totp-disable" submitLabel={t('security.totp.disable')} pending={disable.isPending} onSubmit={(code) => disable.mutate(code)} />
          </>
        ) : enrolment ? (
          <>
            <Text>{t('security.totp.scan')}</Text>
            <Image src={enrolment.qrDataUrl} alt={t('security.totp.qrAlt')} w={220} h={220} data-testid="totp-qr" />
            <Text>
              {t('security.totp.secretLabel')} <Code data-testid="totp-secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</Code>
            </Text>
            <Text>{t('security.totp.confirmIntro')}</Text>
            <Problem error={confirm.error} />
            <CodeForm testId="totp-confirm" submitLabel={t('security.totp.confirm')} pending={confirm.isPending} onSubmit={(code) => confirm.mutate(code)} />
          </>
        ) : (
          <>
            <Problem error={start.error} />
            <div>
              <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="totp-start">
                {t('security.totp.start')}
              </Button>
            </div>
          </>
        )}
      </Stack>
    </section>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const headingId = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: logoutEverywhere,
    onSettled: async () => {
      // Signed out here either way: this session was one of those ended.
      clearUserData(queryClient, null);
      await navigate('/login', { replace: true });
    },
  });
  return (
    <section aria-labelledby={headingId} className="mf-panel" data-testid="sessions-section">
      <Stack gap="sm">
        <h2 id={headingId} className="mf-section-title">
          {t('security.sessions.heading')}
        </h2>
        <Text>{t('security.sessions.explain')}</Text>
        {confirming ? (
          <Group gap="sm">
            <Text fw={600}>{t('security.sessions.confirm')}</Text>
            <Button color="red" onClick={() => mutation.mutate()} loading={mutation.isPending} data-testid="logout-all-confirm">
              {t('security.sessions.logoutAll')}
            </Button>
            <Button variant="default" onClick={() => { setConfirming(false); }}>
              {t('common.cancel')}
            </Button>
          </Group>
        ) : (
          <div>
            <Button variant="default" onClick={() => { setConfirming(true); }} data-testid="logout-all">
              {t('security.sessions.logoutAll')}
            </Button>
          </div>
        )}
      </Stack>
    </section>
  );
}
