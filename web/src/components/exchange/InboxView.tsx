import { Button, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadInboxBody, fetchInboxPage, INBOX_STATUSES, reapplyMessage, type ExchangeFilter, type InboxItem } from '../../api/exchange';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { TimestampText } from '../register/common';
import {
  eventLabel, FilterBar, INBOX_KEY, inboxStatusLabel, InboxStatusTag, isInboxStatus, MessageList, MessageTable, partnerParam, PersonLinks, RowActions, RowContext,
  useActionFeedback, useExchangeList, useFilterParams, type MessageRowsProps,
} from './common';
import { RejectDialog } from './RejectDialog';

/** "all" in the address stands for no status filter; no status at all means the quarantine. */
const ALL = 'all';

function filterOf(params: URLSearchParams): ExchangeFilter {
  const status = params.get('status');
  return { status: status === ALL ? undefined : isInboxStatus(status) ? status : 'quarantined', partnerId: partnerParam(params) };
}

/**
 * The messages received, the quarantine first: why each one is held (in the UI language, from
 * the API), the schema problems with their lines, and what an operator can do about it.
 */
export function InboxView() {
  const { t } = useTranslation();
  const [params, setFilter] = useFilterParams('quarantined');
  const filter = filterOf(params);
  const statusValue = params.get('status') === ALL ? ALL : (filter.status ?? 'quarantined');
  const canManage = useCan('exchange:manage');
  const feedback = useActionFeedback(INBOX_KEY);
  const [rejecting, setRejecting] = useState<InboxItem | null>(null);
  const list = useExchangeList(INBOX_KEY, filter, fetchInboxPage);
  const counts = list.first?.counts ?? {};

  const reapply = useMutation({
    mutationFn: (item: InboxItem) => reapplyMessage(item),
    onMutate: feedback.clear,
    onSuccess: (updated) => feedback.done(updated.status === 'applied' ? t('exchange.inbox.applied') : t('exchange.inbox.stillQuarantined', { reason: updated.reason ?? '' })),
    onError: feedback.showProblem,
  });
  const download = useMutation({
    mutationFn: (item: InboxItem) => downloadInboxBody(item),
    onMutate: feedback.clearProblem,
    onError: feedback.showProblem,
  });

  const statusLabel = (status: string) => {
    const label = inboxStatusLabel(status, t);
    return counts[status] === undefined ? label : t('exchange.filters.statusCount', { status: label, count: counts[status] });
  };

  return (
    <Stack gap="md" data-testid="exchange-inbox">
      <Text>{t('exchange.inbox.intro')}</Text>
      <FilterBar status={statusValue} partner={filter.partnerId ?? ''} onChange={setFilter}>
        {INBOX_STATUSES.map((status) => <option key={status} value={status}>{statusLabel(status)}</option>)}
        <option value={ALL}>{t('exchange.filters.allStatuses')}</option>
      </FilterBar>
      <MessageList list={list} feedback={feedback} countTestId="exchange-inbox-count" moreTestId="exchange-inbox-more">
        {(items, busy) => (
          <InboxTable items={items} busy={busy} canManage={canManage}
            pending={reapply.isPending ? (reapply.variables?.id ?? null) : null}
            onReapply={(item) => { reapply.mutate(item); }}
            onReject={(item) => { feedback.clear(); setRejecting(item); }}
            onDownload={(item) => { download.mutate(item); }} />
        )}
      </MessageList>

      <RejectDialog item={rejecting} onClose={() => { setRejecting(null); }}
        onRejected={async () => {
          setRejecting(null);
          await feedback.done(t('exchange.inbox.rejected'));
        }}
        onReload={feedback.reload} />
    </Stack>
  );
}

const COLUMNS = ['received', 'sender', 'event', 'status', 'details', 'actions'] as const;

interface TableProps extends MessageRowsProps<InboxItem> {
  onReapply: (item: InboxItem) => void;
  onReject: (item: InboxItem) => void;
}

function InboxTable({ items, busy, canManage, pending, onReapply, onReject, onDownload }: TableProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <MessageTable caption={t('exchange.inbox.caption')} columns={COLUMNS.map((column) => t(`exchange.inbox.columns.${column}`))} busy={busy}>
      {items.map((item) => {
        const sender = item.partnerName ?? item.senderId;
        const what = t('exchange.inbox.what', { sender, at: formatTimestamp(item.receivedAt, language).text });
        return (
          <Table.Tr key={item.id} data-testid="exchange-inbox-row" data-status={item.status} data-message-id={item.messageId}>
            <Table.Td className="mf-nowrap"><TimestampText value={item.receivedAt} /></Table.Td>
            <Table.Td>
              <div>{sender}</div>
              {item.partnerName ? <div className="mf-small mf-muted">{item.senderId}</div> : null}
              <div className="mf-small mf-muted mf-break">{t('exchange.common.messageId', { id: item.messageId })}</div>
            </Table.Td>
            <Table.Td>
              {eventLabel(item.eventType, t)}
              {item.eventCount > 1 ? <div className="mf-small mf-muted">{t('exchange.common.eventCount', { count: item.eventCount })}</div> : null}
            </Table.Td>
            <Table.Td><InboxStatusTag status={item.status} /></Table.Td>
            <Table.Td>
              <Stack gap={4}>
                {item.reason ? <Text size="sm" data-testid="exchange-reason">{item.reason}</Text> : null}
                {item.problems.length > 0 ? (
                  <div>
                    <Text size="sm" fw={600}>{t('exchange.inbox.problems')}</Text>
                    <ul className="mf-error-list" data-testid="exchange-problems">
                      {item.problems.map((problem, index) => (
                        <li key={`${String(problem.line)}-${String(index)}`}>{t('exchange.inbox.problemLine', { line: problem.line, message: problem.message })}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                <PersonLinks ids={item.personIds} />
                {item.resolvedBy && item.resolvedAt ? (
                  <Text size="sm" className="mf-muted">
                    {t('exchange.inbox.resolved', { by: item.resolvedBy, at: formatTimestamp(item.resolvedAt, language).text })}
                    {item.status === 'rejected' && item.resolutionNote ? <> · {t('exchange.inbox.note', { note: item.resolutionNote })}</> : null}
                  </Text>
                ) : null}
                {item.status === 'quarantined' && item.attempts > 1 ? <Text size="xs" className="mf-muted">{t('exchange.inbox.attempts', { count: item.attempts })}</Text> : null}
              </Stack>
            </Table.Td>
            <RowActions what={what} onDownload={() => { onDownload(item); }} downloadTestId="exchange-download">
              {canManage && item.status === 'quarantined' ? (
                <>
                  <Button size="compact-sm" onClick={() => { onReapply(item); }} loading={pending === item.id} data-testid="exchange-reapply">
                    {t('exchange.inbox.reapply')}<RowContext>{what}</RowContext>
                  </Button>
                  <Button size="compact-sm" variant="default" onClick={() => { onReject(item); }} data-testid="exchange-reject">
                    {t('exchange.inbox.reject')}<RowContext>{what}</RowContext>
                  </Button>
                </>
              ) : null}
            </RowActions>
          </Table.Tr>
        );
      })}
    </MessageTable>
  );
}
