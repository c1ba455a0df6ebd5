import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { isApiError } from '../api/client';
import { isReauthenticationRequired, reauthenticate, ssoStartUrl } from '../api/security';
import { SESSION_QUERY_KEY, useSession } from '../auth/session';
import { ErrorState } from './ErrorState';
import { TotpCodeInput } from './TotpCodeInput';

interface ReauthDialogProps {
  opened: boolean;
  onCancel: () => void;
  /** The session counts as freshly signed in again: repeat what was refused. */
  onConfirmed: () => void;
}

/**
 * "Confirm it's you" before an export or a rights change (the API answered
 * `reauthentication-required`): password and, with an authenticator app, its code; a single
 * sign-on session goes to the office's provider instead and comes back to this page.
 */
export function ReauthDialog({ opened, onCancel, onConfirmed }: ReauthDialogProps) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  return (
    <Modal
      opened={opened}
      onClose={onCancel}
      title={t('security.reauth.title')}
      fullScreen={isPhone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      classNames={{ title: 'mf-dialog-title' }}
    >
      {opened ? <ReauthForm onCancel={onCancel} onConfirmed={onConfirmed} /> : null}
    </Modal>
  );
}

function ReauthForm({ onCancel, onConfirmed }: Omit<ReauthDialogProps, 'opened'>) {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const location = useLocation();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState<'password' | 'code' | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const signIn = session.data?.signIn;
  const withCode = signIn?.totpEnabled ?? false;

  const mutation = useMutation({
    mutationFn: () => reauthenticate(password, withCode ? code.trim() : undefined),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
      onConfirmed();
    },
    onError: () => {
      setCode('');
      passwordRef.current?.focus();
    },
  });

  if (signIn?.reauthenticateWith === 'oidc' && session.data) {
    const returnTo = `${location.pathname}${location.search}`;
    return (
      <Stack gap="md">
        <Text>{t('security.reauth.introSso')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button component="a" href={ssoStartUrl(session.data.tenant.slug, { reauth: true, returnTo })}>
            {t('security.reauth.sso')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const error = mutation.error;
  const refusal = error && isApiError(error) && !error.isUnexpected ? error.problem.detail || error.problem.title : null;
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (!password) {
      setMissing('password');
      passwordRef.current?.focus();
    } else if (withCode && !code.trim()) {
      setMissing('code');
      codeRef.current?.focus();
    } else {
      setMissing(null);
      mutation.mutate();
    }
  };

  return (
    <form noValidate onSubmit={onSubmit} data-testid="reauth-form">
      <Stack gap="md">
        <Text>{t('security.reauth.intro')}</Text>
        {refusal ? (
          <Alert color="accent" variant="light" role="alert" data-code={isApiError(error) ? error.code : undefined}>
            {refusal}
          </Alert>
        ) : null}
        {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
        <PasswordInput
          ref={passwordRef}
          name="password"
          label={t('login.password')}
          autoComplete="current-password"
          data-autofocus
          required
          withAsterisk={false}
          value={password}
          onChange={(event) => { setPassword(event.currentTarget.value); }}
          error={missing === 'password' ? t('login.passwordRequired') : undefined}
          visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
        />
        {withCode ? (
          <TotpCodeInput ref={codeRef} value={code} onChange={setCode} missing={missing === 'code'} />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t('security.reauth.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface Pending {
  retry: () => void;
  cancel: () => void;
}

/**
 * For pages with exports or rights changes: `run(action)` runs the API call; when it answers
 * `reauthentication-required`, the dialog asks the person to confirm and the call is repeated.
 * Render `dialog` once in the page. A cancelled dialog rejects with the original refusal.
 */
export function useReauthentication(): { run: <T>(action: () => Promise<T>) => Promise<T>; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const run = useCallback(<T,>(action: () => Promise<T>): Promise<T> => {
    return action().catch((error: unknown) => {
      if (!isReauthenticationRequired(error)) throw error;
      return new Promise<T>((resolve, reject) => {
        setPending({
          retry: () => {
            setPending(null);
            action().then(resolve, reject);
          },
          cancel: () => {
            setPending(null);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        });
      });
    });
  }, []);
  const dialog = <ReauthDialog opened={pending !== null} onCancel={() => pending?.cancel()} onConfirmed={() => pending?.retry()} />;
  return { run, dialog };
}
