import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rejectMessage, type InboxItem } from '../../api/exchange';
import { currentLanguage } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { useServerFieldErrors } from '../register/common';
import { ActionProblem, eventLabel, ExchangeDialog } from './common';

const NOTE_MIN = 3;
const NOTE_MAX = 2000;

interface RejectDialogProps {
  /** The message to reject; null: closed. */
  item: InboxItem | null;
  onClose: () => void;
  onRejected: () => Promise<void>;
  /** The message changed meanwhile: load the list again. */
  onReload: () => Promise<void>;
}

/** "Reject" with the note the sender gets in its negative receipt (required). */
export function RejectDialog({ item, onClose, onRejected, onReload }: RejectDialogProps) {
  const { t } = useTranslation();
  return (
    <ExchangeDialog opened={item !== null} onClose={onClose} title={t('exchange.reject.title')} size="md">
      {item ? <RejectForm item={item} onClose={onClose} onRejected={onRejected} onReload={onReload} /> : null}
    </ExchangeDialog>
  );
}

function RejectForm({ item, onClose, onRejected, onReload }: Omit<RejectDialogProps, 'item'> & { item: InboxItem }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const mutation = useMutation({
    mutationFn: () => rejectMessage(item, note.trim()),
    onSuccess: onRejected,
    onError: () => { noteRef.current?.focus(); },
  });
  const serverError = useServerFieldErrors(mutation.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (note.trim().length < NOTE_MIN) {
      setMissing(true);
      noteRef.current?.focus();
      return;
    }
    setMissing(false);
    mutation.mutate();
  };

  return (
    <form noValidate onSubmit={onSubmit} data-testid="exchange-reject-form">
      <Stack gap="md">
        <Text size="sm">{t('exchange.reject.intro')}</Text>
        <Text size="sm" fw={600}>
          {eventLabel(item.eventType, t)} · {item.partnerName ?? item.senderId} · {formatTimestamp(item.receivedAt, currentLanguage()).text}
        </Text>
        {item.reason ? <Text size="sm">{item.reason}</Text> : null}
        <ActionProblem error={mutation.error && !serverError('note', '') ? mutation.error : null}
          conflictTitle={t('exchange.inbox.conflictTitle')} conflictBody={t('exchange.inbox.conflictBody')}
          reload={async () => { await onReload(); onClose(); }} />
        <Textarea ref={noteRef} name="note" label={t('exchange.reject.note')} description={t('exchange.reject.noteHint')}
          required withAsterisk={false} rows={3} maxLength={NOTE_MAX} data-autofocus value={note}
          onChange={(event) => { setNote(event.currentTarget.value); }}
          error={missing ? t('exchange.reject.noteRequired') : serverError('note', t('exchange.reject.note'))} data-testid="exchange-reject-note" />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="exchange-reject-submit">{t('exchange.reject.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
