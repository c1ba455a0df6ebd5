import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { fetchFinanceSettings, saveFinanceSettings, type FinanceSettings, type SettingsInput } from '../../api/finance';
import { isVersionConflict } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { COUNTRY_CODE_RE, orNull, useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import { FINANCE_SETTINGS_KEY, FinanceProblem } from './common';

type Field = 'officeName' | 'creditorName' | 'street' | 'buildingNumber' | 'postalCode' | 'town' | 'country' | 'account' | 'bic' | 'paymentDays';
type Values = Record<Field, string>;

const REQUIRED: readonly Field[] = ['officeName', 'creditorName', 'street', 'postalCode', 'town', 'country', 'account', 'paymentDays'];
const MAX_LENGTH: Partial<Record<Field, number>> = { officeName: 200, creditorName: 70, street: 70, buildingNumber: 16, postalCode: 16, town: 35, account: 52, bic: 11 };
/** The API's refusals of the account number: shown at the field. */
const ACCOUNT_PROBLEMS = ['finance-qr-iban', 'finance-iban'];

/** "CH44 3199 9123 0008 8901 2" for the eye; stored without spaces. */
function groupedIban(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase().replace(/(.{4})/g, '$1 ').trim();
}

function valuesOf(settings: FinanceSettings | null): Values {
  return {
    officeName: settings?.officeName ?? '',
    creditorName: settings?.creditorName ?? '',
    street: settings?.street ?? '',
    buildingNumber: settings?.buildingNumber ?? '',
    postalCode: settings?.postalCode ?? '',
    town: settings?.town ?? '',
    country: settings?.country ?? '',
    account: groupedIban(settings?.account ?? ''),
    bic: settings?.bic ?? '',
    paymentDays: String(settings?.paymentDays ?? 30),
  };
}

/**
 * The office as creditor, printed on every invoice and its payment slip: name, address, the
 * account (a QR-IBAN for Swiss offices) and the payment period. The first save needs no version;
 * later ones carry the one read (If-Match).
 */
export function SettingsView() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: FINANCE_SETTINGS_KEY, queryFn: ({ signal }) => fetchFinanceSettings(signal) });
  return (
    <Stack gap="md" data-testid="finance-settings">
      <Text>{t('finance.settings.intro')}</Text>
      {query.isPending ? <Loading /> : null}
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isSuccess ? <SettingsForm initial={query.data} /> : null}
    </Stack>
  );
}

function SettingsForm({ initial }: { initial: FinanceSettings | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [values, setValues] = useState<Values>(() => valuesOf(initial));
  const [base, setBase] = useState<FinanceSettings | null>(initial);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [notice, setNotice] = useState('');
  const [reloaded, setReloaded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: (body: SettingsInput) => saveFinanceSettings(base?.version ?? null, body),
    onSuccess: (saved) => {
      setBase(saved);
      setValues(valuesOf(saved));
      queryClient.setQueryData(FINANCE_SETTINGS_KEY, saved);
      setNotice(t('finance.settings.saved'));
      requestAnimationFrame(() => noticeRef.current?.focus());
    },
    onError: () => {
      setAttempt((n) => n + 1);
      requestAnimationFrame(() => {
        if (!formRef.current?.querySelector('[aria-invalid="true"]')) problemRef.current?.focus();
      });
    },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const accountProblem = isApiError(mutation.error) && ACCOUNT_PROBLEMS.includes(mutation.error.code) ? mutation.error.problem.detail : undefined;
  const label = (field: Field) => t(`finance.settings.fields.${field}`);
  const errorOf = (field: Field) => errors[field] ?? (field === 'account' ? accountProblem : undefined) ?? serverError(field, label(field));

  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: FINANCE_SETTINGS_KEY });
    const fresh = queryClient.getQueryData<FinanceSettings | null>(FINANCE_SETTINGS_KEY);
    if (fresh !== undefined) setBase(fresh);
    mutation.reset();
    setReloaded(true);
    requestAnimationFrame(() => problemRef.current?.focus());
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    setNotice('');
    setReloaded(false);
    const next: Partial<Record<Field, string>> = {};
    for (const field of REQUIRED) if (!values[field].trim()) next[field] = t('form.required');
    const country = values.country.trim().toUpperCase();
    if (country && !COUNTRY_CODE_RE.test(country)) next.country = t('form.countryCode');
    const account = values.account.replace(/\s+/g, '').toUpperCase();
    if (account && !/^[A-Z]{2}\d{2}[A-Z0-9]{11,38}$/.test(account)) next.account = t('finance.settings.accountInvalid');
    const bic = values.bic.replace(/\s+/g, '').toUpperCase();
    if (bic && !/^[A-Z0-9]{8,11}$/.test(bic)) next.bic = t('finance.settings.bicInvalid');
    const days = values.paymentDays.trim();
    if (days && !(/^\d{1,3}$/.test(days) && Number(days) >= 1 && Number(days) <= 120)) next.paymentDays = t('finance.settings.paymentDaysInvalid');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({
      officeName: values.officeName.trim(),
      creditorName: values.creditorName.trim(),
      street: values.street.trim(),
      buildingNumber: orNull(values.buildingNumber),
      postalCode: values.postalCode.trim(),
      town: values.town.trim(),
      country,
      account,
      bic: bic || null,
      paymentDays: Number(days),
    });
  };

  const input = (field: Field, extra: { description?: string; inputMode?: 'numeric' | 'text' } = {}) => (
    <TextInput name={field} label={label(field)} required={REQUIRED.includes(field)} withAsterisk={REQUIRED.includes(field)} maxLength={MAX_LENGTH[field]}
      value={values[field]}
      onChange={(event) => { const value = event.currentTarget.value; setValues((previous) => ({ ...previous, [field]: value })); }}
      error={errorOf(field)} data-testid={`settings-${field}`} {...extra} />
  );

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="mf-panel" aria-labelledby={headingId} data-testid="settings-form" data-version={base?.version ?? ''}>
      <h2 id={headingId} className="mf-section-title">{t('finance.settings.heading')}</h2>
      {!base ? <Alert className="mf-alert-info" variant="light" mt="sm" data-testid="settings-first">{t('finance.settings.first')}</Alert> : null}
      <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid="settings-notice">{notice}</div>
      <Stack ref={problemRef} tabIndex={-1} gap="sm" mt="sm">
        {mutation.error && !accountProblem ? (
          <FinanceProblem error={mutation.error} reload={reload} conflictTitle={t('finance.settings.conflictTitle')} conflictBody={t('finance.settings.conflictBody')} />
        ) : null}
        {reloaded && !isVersionConflict(mutation.error) ? <Alert className="mf-alert-info" variant="light" role="status">{t('finance.settings.reloaded')}</Alert> : null}
      </Stack>
      <fieldset className="mf-fieldset">
        <legend className="mf-subheading">{t('finance.settings.office')}</legend>
        <div className="mf-form-grid">
          {input('officeName', { description: t('finance.settings.hints.officeName') })}
          {input('creditorName', { description: t('finance.settings.hints.creditorName') })}
        </div>
      </fieldset>
      <fieldset className="mf-fieldset mf-subpanel">
        <legend className="mf-subheading">{t('finance.settings.address')}</legend>
        <div className="mf-form-grid">
          {input('street')}
          {input('buildingNumber')}
          {input('postalCode')}
          {input('town')}
          {input('country', { description: t('form.countryCodeHint') })}
        </div>
      </fieldset>
      <fieldset className="mf-fieldset mf-subpanel">
        <legend className="mf-subheading">{t('finance.settings.payment')}</legend>
        <div className="mf-form-grid">
          {input('account', { description: t('finance.settings.hints.account') })}
          {input('bic', { description: t('finance.settings.hints.bic') })}
          {input('paymentDays', { description: t('finance.settings.hints.paymentDays'), inputMode: 'numeric' })}
        </div>
      </fieldset>
      <Group mt="md">
        <Button type="submit" loading={mutation.isPending} data-testid="settings-submit">{base ? t('finance.settings.save') : t('finance.settings.saveFirst')}</Button>
      </Group>
    </form>
  );
}
