import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { CaseDetail } from '../../api/cases';
import { answerApplicant, fetchCaseMessages, type PortalMessage } from '../../api/portal-service';
import { currentLanguage } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { fieldErrorsOf, refusalText, withLabel } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { TimestampText } from '../register/common';
import { FileSection } from '../register/PersonSections';

/** The server's limit for one message (MessageBody in server/src/modules/portal/service-routes.ts). */
export const MESSAGE_MAX = 5000;

/** Remaining characters below which the counter is also announced to screen readers. */
const ANNOUNCE_BELOW = 250;

/**
 * Its own key, not below the case's: every read of the thread marks the applicant's messages read
 * and is audited, so it must not be refetched with each change to the case.
 */
export function caseMessagesKey(caseId: string) {
  return ['case-messages', caseId] as const;
}

function oldestFirst(a: PortalMessage, b: PortalMessage): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/**
 * A conversation, oldest first (it reads like a letter exchange). Who wrote each message is said
 * in words, not by colour or position alone.
 */
export function MessageThread({ messages, label, who, extra, testId }: {
  messages: readonly PortalMessage[];
  label: string;
  /** The sender line and the tag that says which side wrote it. */
  who: (message: PortalMessage) => { name: string; tag: string };
  /** Anything shown under a message (e.g. whether the applicant has read it). */
  extra?: (message: PortalMessage) => string | null;
  testId: string;
}) {
  return (
    <ol className="mf-events" aria-label={label} data-testid={testId}>
      {[...messages].sort(oldestFirst).map((message) => {
        const sender = who(message);
        const note = extra?.(message) ?? null;
        return (
          <li key={message.id} className="mf-event" data-testid="message" data-direction={message.direction}>
            <div className="mf-event-head">
              <strong>{sender.name}</strong>
              <span className={message.direction === 'out' ? 'mf-tag mf-tag--current' : 'mf-tag'}>{sender.tag}</span>
              <span className="mf-muted mf-small"> · <TimestampText value={message.createdAt} /></span>
            </div>
            <p className="mf-event-text" data-testid="message-body">{message.body}</p>
            {note ? <p className="mf-small mf-muted" style={{ margin: '0.25rem 0 0' }}>{note}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * "120 of 5000 characters" under the field. Screen readers hear it only near the limit and once
 * typing pauses: a count read out at every key press would drown what is typed.
 */
function useAnnouncedRemaining(length: number): string {
  const { t } = useTranslation();
  const [announced, setAnnounced] = useState('');
  const remaining = MESSAGE_MAX - length;
  useEffect(() => {
    const text = remaining < 0 ? t('caseMessages.over', { count: -remaining }) : remaining < ANNOUNCE_BELOW ? t('caseMessages.left', { count: remaining }) : '';
    const timer = window.setTimeout(() => { setAnnounced(text); }, 1000);
    return () => { window.clearTimeout(timer); };
  }, [remaining, t]);
  return announced;
}

/**
 * Writing a message: a labelled field with a character counter; empty or too long is said next
 * to the field and the field gets the focus. `send` resolves once the thread shows the message.
 */
export function MessageComposer({ label, description, submitLabel, sentText, emptyText, send, testId, size = 'sm' }: {
  label: string;
  description?: string;
  submitLabel: string;
  sentText: string;
  emptyText: string;
  send: (body: string) => Promise<unknown>;
  testId: string;
  size?: 'sm' | 'md';
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const announced = useAnnouncedRemaining(body.length);
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: () => {
      setBody('');
      setSent(true);
    },
    onError: (failure) => {
      const field = fieldErrorsOf(failure).body;
      if (field) {
        // The server's phrase follows the field's name ("is too long").
        setError(withLabel(label, field));
        fieldRef.current?.focus();
      }
    },
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    setSent(false);
    const problem = body.trim() === '' ? emptyText : body.length > MESSAGE_MAX ? t('caseMessages.tooLong', { max: MESSAGE_MAX }) : undefined;
    setError(problem);
    if (problem) {
      fieldRef.current?.focus();
      return;
    }
    mutation.mutate(body);
  };

  const failure = mutation.error;
  const fieldFailure = failure !== null && fieldErrorsOf(failure).body !== undefined;
  const over = body.length > MESSAGE_MAX;
  return (
    <form noValidate onSubmit={onSubmit} data-testid={testId}>
      <Stack gap="sm">
        <Textarea
          ref={fieldRef}
          name="body"
          label={label}
          description={
            <>
              {description ? <span style={{ display: 'block' }}>{description}</span> : null}
              <span data-testid="message-counter" data-over={over ? 'true' : undefined} style={over ? { fontWeight: 700 } : undefined}>
                {t('caseMessages.counter', { length: body.length, max: MESSAGE_MAX })}
              </span>
            </>
          }
          inputWrapperOrder={['label', 'description', 'input', 'error']}
          autosize
          minRows={4}
          maxRows={14}
          size={size}
          value={body}
          error={error}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            setSent(false);
            if (error) setError(undefined);
          }}
        />
        <span className="sr-only" aria-live="polite">{announced}</span>
        {failure && !fieldFailure ? (
          !isApiError(failure) || failure.isUnexpected ? <ErrorState error={failure} /> : (
            <Alert color="accent" variant="light" title={t('caseMessages.notSent')} data-testid="message-refused" data-code={failure.code}>
              <Text size="sm">{refusalText(failure)}</Text>
            </Alert>
          )
        ) : null}
        <Group gap="sm" wrap="wrap">
          <Button type="submit" size={size} loading={mutation.isPending} data-testid={`${testId}-submit`}>{submitLabel}</Button>
          <span role="status" className="mf-small" data-testid={`${testId}-sent`}>{sent ? sentText : ''}</span>
        </Group>
      </Stack>
    </form>
  );
}

/** Staff: the secure messages with the applicant on a case, and the answer form. */
export function MessagesSection({ detail, canWrite }: { detail: CaseDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: caseMessagesKey(detail.id), queryFn: ({ signal }) => fetchCaseMessages(detail.id, signal) });
  const send = async (body: string) => {
    await answerApplicant(detail.id, body);
    await queryClient.invalidateQueries({ queryKey: caseMessagesKey(detail.id) });
  };
  const messages = query.data ?? [];
  return (
    <FileSection id="messages" title={t('caseMessages.title')} testId="case-messages-section">
      <Stack gap="md">
        {query.isPending ? <Loading /> : null}
        {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
        {query.isSuccess && messages.length === 0 ? <Text>{t('caseMessages.none')}</Text> : null}
        {messages.length > 0 ? (
          <MessageThread
            messages={messages}
            label={t('caseMessages.title')}
            testId="case-messages"
            who={(message) => (message.direction === 'in'
              ? { name: message.author, tag: t('caseMessages.fromApplicant') }
              : { name: message.author, tag: t('caseMessages.fromOffice') })}
            extra={(message) => {
              if (message.direction !== 'out') return null;
              return message.readAt ? t('caseMessages.readOn', { date: formatTimestamp(message.readAt, currentLanguage()).text }) : t('caseMessages.notRead');
            }}
          />
        ) : null}
        {detail.closedAt ? <Text size="sm" className="mf-muted">{t('caseMessages.closed')}</Text> : canWrite ? (
          <div className="mf-subpanel" style={{ marginTop: 0 }}>
            <MessageComposer
              label={t('caseMessages.answer')}
              description={t('caseMessages.answerHint')}
              submitLabel={t('caseMessages.send')}
              sentText={t('caseMessages.sent')}
              emptyText={t('caseMessages.empty')}
              send={send}
              testId="case-message-form"
            />
          </div>
        ) : null}
      </Stack>
    </FileSection>
  );
}
