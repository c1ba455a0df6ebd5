import { useState } from 'react';
import { Alert, Button, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { discloseBlockedData } from '../../api/endpoints';
import { useCan } from '../../auth/permissions';
import { refusalText } from '../../lib/problems';
import { useIsPhone } from './common';

const MIN_REASON = 10;

/**
 * A blocking note (Sperrvermerk) hides the address from everyone; a role allowed to see it asks for
 * it with a reason, which the server records in the audit log before it answers.
 */
export function BlockedAddressDisclosure({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const allowed = useCan('persons:disclose');
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const mutation = useMutation({ mutationFn: (why: string) => discloseBlockedData(personId, why) });
  if (!allowed) return null;

  const close = () => {
    setOpened(false);
    setReason('');
    setTooShort(false);
    mutation.reset();
  };

  return (
    <>
      <Button variant="subtle" size="compact-sm" onClick={() => { setOpened(true); }} data-testid="disclose-address">
        {t('disclosure.open')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('disclosure.title')} fullScreen={isPhone} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {mutation.data ? (
          <Stack gap="xs" data-testid="disclosed-residences">
            {mutation.data.residences.length === 0 ? <Text>{t('personFile.noResidence')}</Text> : null}
            {mutation.data.residences.map((r) => (
              <Text key={r.id}>
                {[r.street, r.houseNumber].filter(Boolean).join(' ')}, {[r.postalCode, r.town ?? r.municipalityName].filter(Boolean).join(' ')}
                {r.departureDate ? ` (${t('disclosure.until', { date: r.departureDate })})` : ''}
              </Text>
            ))}
            <Text size="sm" c="dimmed">{t('disclosure.recorded')}</Text>
          </Stack>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const why = reason.trim();
              setTooShort(why.length < MIN_REASON);
              if (why.length >= MIN_REASON) mutation.mutate(why);
            }}
          >
            <Stack gap="sm">
              <Text size="sm">{t('disclosure.explain')}</Text>
              <Textarea
                label={t('disclosure.reason')}
                value={reason}
                onChange={(event) => { setReason(event.currentTarget.value); }}
                error={tooShort ? t('disclosure.reasonTooShort', { count: MIN_REASON }) : undefined}
                autosize
                minRows={2}
                required
                data-autofocus
                data-testid="disclosure-reason"
              />
              {mutation.error ? <Alert color="red">{refusalText(mutation.error) ?? t('disclosure.failed')}</Alert> : null}
              <Button type="submit" loading={mutation.isPending}>{t('disclosure.submit')}</Button>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
