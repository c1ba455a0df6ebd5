import { Alert, Button, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAppointmentServices, fetchServicePoints, inviteToAppointment } from '../../api/appointments';
import type { CaseDetail } from '../../api/cases';
import { fetchPersonAccounts } from '../../api/portal-service';
import { useCan } from '../../auth/permissions';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { fieldErrorsOf, refusalText, withLabel } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { FileSection } from '../register/PersonSections';

const DEFAULT_VALID_DAYS = 30;

/**
 * Invite the person of an open case to book an appointment: there is no open calendar, so this is
 * the only way to a slot. The booking link goes to an address of the person's online-counter
 * account (or one the caseworker types), in the case's language unless chosen otherwise.
 */
export function AppointmentInviteSection({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const canManagePortal = useCan('portal:manage');
  const services = useQuery({ queryKey: ['appointment-services'], queryFn: ({ signal }) => fetchAppointmentServices(signal) });
  const points = useQuery({ queryKey: ['appointment-service-points'], queryFn: ({ signal }) => fetchServicePoints(signal) });
  // Reading who follows the person is audited: asked once per case page, not on every change.
  const accounts = useQuery({ queryKey: ['person-portal-accounts', detail.person.id], queryFn: ({ signal }) => fetchPersonAccounts(detail.person.id, signal), enabled: canManagePortal, staleTime: Infinity });
  const [service, setService] = useState('');
  const [point, setPoint] = useState('');
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState<Language>(isLanguage(detail.language) ? detail.language : 'de');
  const [validDays, setValidDays] = useState(String(DEFAULT_VALID_DAYS));
  const activePoints = (points.data ?? []).filter((candidate) => candidate.active);
  const invite = useMutation({
    mutationFn: () => inviteToAppointment(detail.id, { service: service || services.data?.[0]?.slug || '', servicePointId: point || activePoints[0]?.id || '', email: email.trim() || accounts.data?.[0]?.email || '', language, validDays: Number(validDays) }),
  });

  if (detail.closedAt) return null;
  if (services.isPending || points.isPending) return <FileSection id="appointment" title={t('appointmentInvite.title')}><Loading /></FileSection>;
  if (services.isError || points.isError) return <FileSection id="appointment" title={t('appointmentInvite.title')}><ErrorState error={services.error ?? points.error} onRetry={() => { void services.refetch(); void points.refetch(); }} /></FileSection>;
  if (services.data.length === 0 || activePoints.length === 0) {
    return (
      <FileSection id="appointment" title={t('appointmentInvite.title')} testId="appointment-invite-section">
        <Text>{t('appointmentInvite.notSetUp')}</Text>
      </FileSection>
    );
  }

  const errors = fieldErrorsOf(invite.error);
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    invite.mutate();
  };
  const knownAddresses = accounts.data ?? [];
  return (
    <FileSection id="appointment" title={t('appointmentInvite.title')} testId="appointment-invite-section">
      <form onSubmit={onSubmit} noValidate data-testid="appointment-invite-form">
        <Stack gap="sm">
          <Text size="sm">{t('appointmentInvite.intro')}</Text>
          <NativeSelect label={t('appointmentInvite.service')} value={service || services.data[0]?.slug} onChange={(event) => { setService(event.currentTarget.value); }} name="service">
            {services.data.map((candidate) => (
              <option key={candidate.slug} value={candidate.slug}>{`${candidate.names[currentLanguage()] ?? candidate.slug} (${t('appointmentInvite.minutes', { count: candidate.slotMinutes })})`}</option>
            ))}
          </NativeSelect>
          <NativeSelect label={t('appointmentInvite.servicePoint')} value={point || activePoints[0]?.id} onChange={(event) => { setPoint(event.currentTarget.value); }} name="servicePointId">
            {activePoints.map((candidate) => <option key={candidate.id} value={candidate.id}>{`${candidate.name}, ${candidate.address}`}</option>)}
          </NativeSelect>
          {knownAddresses.length > 0 ? (
            <NativeSelect label={t('appointmentInvite.account')} description={t('appointmentInvite.accountHint')} value={email || knownAddresses[0]?.email} name="account"
              onChange={(event) => { setEmail(event.currentTarget.value); const chosen = knownAddresses.find((a) => a.email === event.currentTarget.value); if (chosen) setLanguage(chosen.language); }}>
              {knownAddresses.map((account) => (
                <option key={account.accountId} value={account.email}>{`${account.name} <${account.email}>${account.via === 'mandate' ? ` – ${t('appointmentInvite.viaMandate')}` : ''}`}</option>
              ))}
            </NativeSelect>
          ) : (
            <TextInput type="email" label={t('appointmentInvite.email')} description={t('appointmentInvite.emailHint')} value={email} onChange={(event) => { setEmail(event.currentTarget.value); }} name="email" required
              error={withLabel(t('appointmentInvite.email'), errors.email)} autoComplete="off" />
          )}
          <NativeSelect label={t('appointmentInvite.language')} value={language} onChange={(event) => { const value = event.currentTarget.value; if (isLanguage(value)) setLanguage(value); }} name="language">
            {LANGUAGES.map((code) => <option key={code} value={code}>{LANGUAGE_NAMES[code]}</option>)}
          </NativeSelect>
          <TextInput type="number" min={1} max={90} label={t('appointmentInvite.validDays')} value={validDays} onChange={(event) => { setValidDays(event.currentTarget.value); }} name="validDays"
            error={withLabel(t('appointmentInvite.validDays'), errors.validDays)} />
          {invite.isError && Object.keys(errors).length === 0 ? (refusalText(invite.error) ? <Alert color="red" role="alert">{refusalText(invite.error)}</Alert> : <ErrorState error={invite.error} />) : null}
          {invite.isSuccess ? (
            <Alert className="mf-alert-success" variant="light" role="status" data-testid="appointment-invite-sent">
              {t('appointmentInvite.sent', { email: invite.data.email, until: formatTimestamp(invite.data.validUntil, currentLanguage()).text })}
            </Alert>
          ) : null}
          <div>
            <Button type="submit" loading={invite.isPending} data-testid="appointment-invite-submit">{t('appointmentInvite.submit')}</Button>
          </div>
        </Stack>
      </form>
    </FileSection>
  );
}
