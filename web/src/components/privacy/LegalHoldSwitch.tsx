import { Alert, Button, Group, Switch, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchPersonHold, liftPersonHold, placePersonHold } from '../../api/privacy';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { refusalText } from '../../lib/problems';
import { useReauthentication } from '../ReauthDialog';

export function legalHoldKey(personId: string) {
  return ['privacy', 'legal-hold', personId] as const;
}

/**
 * The legal hold on a person: shown to everyone with the report right; switched only by team
 * leads, placing needs a reason (it is audited and shown in the access report).
 */
export function LegalHoldSwitch({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const canHold = useCan('privacy:hold');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const hold = useQuery({ queryKey: legalHoldKey(personId), queryFn: ({ signal }) => fetchPersonHold(personId, signal) });
  const done = () => {
    setEditing(false);
    setReason('');
    void queryClient.invalidateQueries({ queryKey: legalHoldKey(personId) });
  };
  // Placing and lifting a hold ask for a recent sign-in, like other rights changes.
  const reauth = useReauthentication();
  const place = useMutation({ mutationFn: () => reauth.run(() => placePersonHold(personId, reason.trim())), onSuccess: done });
  const lift = useMutation({ mutationFn: () => reauth.run(() => liftPersonHold(personId)), onSuccess: done });
  const error = place.error ?? lift.error;
  const current = hold.data ?? null;
  const busy = hold.isLoading || place.isPending || lift.isPending;

  return (
    <div data-testid="legal-hold">
      {reauth.dialog}
      <Switch
        label={t('privacy.hold.label')}
        description={current ? t('privacy.hold.active', { reason: current.reason, by: current.placedBy, at: formatTimestamp(current.placedAt, language).text }) : t('privacy.hold.inactive')}
        checked={current !== null || editing}
        disabled={!canHold || busy}
        onChange={(event) => {
          if (event.currentTarget.checked) setEditing(true);
          else if (current) lift.mutate();
          else setEditing(false);
        }}
        data-testid="legal-hold-switch"
      />
      {editing && current === null ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim().length >= 3) place.mutate();
          }}
        >
          <Textarea mt="sm" label={t('privacy.hold.reason')} description={t('privacy.hold.reasonHint')} value={reason} required minLength={3} maxLength={2000}
            onChange={(event) => { setReason(event.currentTarget.value); }} data-testid="legal-hold-reason" />
          <Group gap="xs" mt="xs">
            <Button size="sm" type="submit" loading={place.isPending} disabled={reason.trim().length < 3}>{t('privacy.hold.place')}</Button>
            <Button size="sm" variant="default" onClick={() => { setEditing(false); }}>{t('privacy.hold.cancel')}</Button>
          </Group>
        </form>
      ) : null}
      {!canHold ? <Text size="xs" c="dimmed" mt={4}>{t('privacy.hold.teamLeadOnly')}</Text> : null}
      {error ? <Alert mt="sm" color="red" variant="light" role="alert">{refusalText(error) ?? t('privacy.hold.failed')}</Alert> : null}
    </div>
  );
}
