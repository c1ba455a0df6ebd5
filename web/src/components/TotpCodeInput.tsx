import { TextInput, type MantineSize } from '@mantine/core';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';

/** The authenticator app's code: digits, filled in by the phone's one-time-code suggestion. */
export function TotpCodeInput({ ref, value, onChange, missing, size, autoFocus = false }: {
  ref?: Ref<HTMLInputElement>;
  value: string;
  onChange: (value: string) => void;
  /** Submitted empty: say that the code is needed. */
  missing: boolean;
  size?: MantineSize;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      ref={ref}
      name="code"
      label={t('security.code')}
      description={t('security.codeHint')}
      inputMode="numeric"
      autoComplete="one-time-code"
      autoFocus={autoFocus}
      maxLength={9}
      required
      withAsterisk={false}
      value={value}
      onChange={(event) => { onChange(event.currentTarget.value); }}
      error={missing ? t('security.codeRequired') : undefined}
      {...(size ? { size } : {})}
    />
  );
}
