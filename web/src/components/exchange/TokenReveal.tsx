import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A partner's inbox token, shown this once (the server keeps only its hash): a read-only field to
 * copy from, a copy button, and a plain warning that it will not be shown again.
 */
export function TokenReveal({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // The dialog's content changed under the focus: put it on the token, selected for copying.
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  return (
    <Stack gap="md" data-testid="exchange-token-reveal">
      <Alert color="accent" variant="light" title={t('exchange.token.warningTitle')}>
        <Text size="sm">{t('exchange.token.warning')}</Text>
      </Alert>
      <TextInput ref={inputRef} readOnly value={token} label={t('exchange.token.label')} description={t('exchange.token.usage')}
        autoComplete="off" spellCheck={false} styles={{ input: { fontFamily: 'monospace' } }}
        onFocus={(event) => { event.currentTarget.select(); }} data-testid="exchange-token" />
      <Group justify="space-between" gap="sm">
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy} data-testid="exchange-token-copy">
              <span aria-live="polite">{copied ? t('exchange.token.copied') : t('exchange.token.copy')}</span>
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone} data-testid="exchange-token-done">{t('exchange.token.done')}</Button>
      </Group>
    </Stack>
  );
}
