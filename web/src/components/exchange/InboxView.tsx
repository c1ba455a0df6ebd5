import { Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { downloadInboxBody, fetchInboxPage, INBOX_STATUSES, reapplyMessage, type ExchangeFilter, type InboxItem } from '../../api/exchange';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatTimestamp } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { TimestampText } from '../register/common';
import { ActionProblem, eventLabel, INBOX_KEY, InboxStatusTag, isInboxStatus, partnerParam, PartnerSelect, PersonLinks, RowContext, usePartners } from './common';
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
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const statusValue = params.get('status') === ALL ? ALL : (filter.status ?? 'quarantined');
  const canManage = useCan('exchange:manage');
  const queryClient = useQueryClient();
  const partners = usePartners();
  const noticeRef = useRef<HTMLDivElement>(null);
  const [notice, setNotice] = useState('');
  const [rejecting, setRejecting] = useState<InboxItem | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLParagraphElement>(null);
  /** A refused action: the message takes the focus (the busy button lost it). */
  const showProblem = (error: unknown) => {
    setActionError(error);
    requestAnimationFrame(() => problemRef.current?.focus());
  };

  const result = useInfiniteQuery({
    queryKey: [...INBOX_KEY, filter],
    queryFn: ({ pageParam, signal }) => fetchInboxPage(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = result.data?.pages.flatMap((page) => page.items);
  const counts = result.data?.pages[0]?.counts ?? {};

  const setFilter = (key: 'status' | 'partner', value: string) => {
    const next = new URLSearchParams(params);
    if (value && !(key === 'status' && value === 'quarantined')) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true, preventScrollReset: true });
  };

  /** After an action the row may leave the list: the outcome is announced and takes the focus. */
  const announce = (text: string) => {
    setNotice(text);
    requestAnimationFrame(() => noticeRef.current?.focus());
  };
  const reload = async () => {
    setActionError(null);
    await queryClient.invalidateQueries({ queryKey: INBOX_KEY });
    requestAnimationFrame(() => countRef.current?.focus());
  };

  const reapply = useMutation({
    mutationFn: (item: InboxItem) => reapplyMessage(item),
    onMutate: () => { setActionError(null); setNotice(''); },
    onSuccess: async (updated) => {
      announce(updated.status === 'applied' ? t('exchange.inbox.applied') : t('exchange.inbox.stillQuarantined', { reason: updated.reason ?? '' }));
      await queryClient.invalidateQueries({ queryKey: INBOX_KEY });
    },
    onError: showProblem,
  });
  const download = useMutation({
    mutationFn: (item: InboxItem) => downloadInboxBody(item),
    onMutate: () => { setActionError(null); },
    onError: showProblem,
  });

  const statusLabel = (status: string) => {
    const label = isInboxStatus(status) ? t(`exchange.inboxStatus.${status}`) : status;
    return counts[status] === undefined ? label : t('exchange.filters.statusCount', { status: label, count: counts[status] });
  };

  return (
    <Stack gap="md" data-testid="exchange-inbox">
      <Text>{t('exchange.inbox.intro')}</Text>
      <form className="mf-panel mf-filter-bar" role="search" aria-label={t('exchange.filters.label')} onSubmit={(event) => { event.preventDefault(); }}>
        <NativeSelect name="status" size="sm" label={t('exchange.filters.status')} value={statusValue} onChange={(event) => { setFilter('status', event.currentTarget.value); }}>
          {INBOX_STATUSES.map((status) => <option key={status} value={status}>{statusLabel(status)}</option>)}
          <option value={ALL}>{t('exchange.filters.allStatuses')}</option>
        </NativeSelect>
        <PartnerSelect value={filter.partnerId ?? ''} onChange={(value) => { setFilter('partner', value); }} partners={partners.data} />
      </form>

      {/* The outcome of an action, and a refusal: each takes the focus when it appears. */}
      <div>
        <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid="exchange-notice">{notice}</div>
        <div ref={problemRef} tabIndex={-1}>
          <ActionProblem error={actionError} conflictTitle={t('exchange.inbox.conflictTitle')} conflictBody={t('exchange.inbox.conflictBody')} reload={reload} />
        </div>
      </div>

      <p ref={countRef} tabIndex={-1} className="mf-result-count" role="status" aria-live="polite" data-testid="exchange-inbox-count">
        {items ? (items.length === 0 ? t('exchange.common.none') : result.hasNextPage ? t('exchange.common.countMore', { count: items.length }) : t('exchange.common.count', { count: items.length })) : ''}
      </p>
      {result.isPending ? <Loading /> : null}
      {result.isError && !items ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items && items.length > 0 ? (
        <InboxTable items={items} busy={result.isFetching && !result.isFetchingNextPage} canManage={canManage}
          pending={reapply.isPending ? (reapply.variables?.id ?? null) : null}
          onReapply={(item) => { reapply.mutate(item); }}
          onReject={(item) => { setActionError(null); setNotice(''); setRejecting(item); }}
          onDownload={(item) => { download.mutate(item); }} />
      ) : null}
      {result.isFetchNextPageError ? <ErrorState error={result.error} onRetry={() => void result.fetchNextPage()} /> : null}
      {result.hasNextPage ? (
        <div>
          <Button variant="default" onClick={() => void result.fetchNextPage()} loading={result.isFetchingNextPage} data-testid="exchange-inbox-more">{t('exchange.common.loadMore')}</Button>
        </div>
      ) : null}

      <RejectDialog item={rejecting} onClose={() => { setRejecting(null); }}
        onRejected={async () => {
          setRejecting(null);
          announce(t('exchange.inbox.rejected'));
          await queryClient.invalidateQueries({ queryKey: INBOX_KEY });
        }}
        onReload={reload} />
    </Stack>
  );
}

interface TableProps {
  items: InboxItem[];
  busy: boolean;
  canManage: boolean;
  pending: string | null;
  onReapply: (item: InboxItem) => void;
  onReject: (item: InboxItem) => void;
  onDownload: (item: InboxItem) => void;
}

function InboxTable({ items, busy, canManage, pending, onReapply, onReject, onDownload }: TableProps) {
  const { t } = useTranslation();
  const captionId = useId();
  const language = currentLanguage();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined}>
        <caption id={captionId} className="sr-only">{t('exchange.inbox.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('exchange.inbox.columns.received')}</Table.Th>
            <Table.Th scope="col">{t('exchange.inbox.columns.sender')}</Table.Th>
            <Table.Th scope="col">{t('exchange.inbox.columns.event')}</Table.Th>
            <Table.Th scope="col">{t('exchange.inbox.columns.status')}</Table.Th>
            <Table.Th scope="col">{t('exchange.inbox.columns.details')}</Table.Th>
            <Table.Th scope="col">{t('exchange.inbox.columns.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
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
                <Table.Td>
                  <Group gap={6} wrap="wrap">
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
                    <Button size="compact-sm" variant="subtle" onClick={() => { onDownload(item); }} data-testid="exchange-download">
                      {t('exchange.common.download')}<RowContext>{what}</RowContext>
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
