import { Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { downloadOutboxBody, fetchOutboxPage, OUTBOX_STATUSES, resendOutboxMessage, type ExchangeFilter, type ExchangePartner, type OutboxItem, type OutboxPartnerSummary } from '../../api/exchange';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatCount, formatTimestamp } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { TimestampText } from '../register/common';
import { ActionProblem, eventLabel, isOutboxStatus, OUTBOX_KEY, OutboxStatusTag, partnerParam, PartnerSelect, RowContext, usePartners } from './common';

function filterOf(params: URLSearchParams): ExchangeFilter {
  const status = params.get('status');
  return { status: isOutboxStatus(status) ? status : undefined, partnerId: partnerParam(params) };
}

/** Messages to the partners: the state per partner, then every message with its delivery. */
export function OutboxView() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const canManage = useCan('exchange:manage');
  const queryClient = useQueryClient();
  const partners = usePartners();
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLParagraphElement>(null);
  /** A refused action: the message takes the focus (the busy button lost it). */
  const showProblem = (error: unknown) => {
    setActionError(error);
    requestAnimationFrame(() => problemRef.current?.focus());
  };

  const result = useInfiniteQuery({
    queryKey: [...OUTBOX_KEY, filter],
    queryFn: ({ pageParam, signal }) => fetchOutboxPage(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = result.data?.pages.flatMap((page) => page.items);
  const summary = result.data?.pages[0]?.partners;

  const setFilter = (key: 'status' | 'partner', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true, preventScrollReset: true });
  };

  const resend = useMutation({
    mutationFn: (item: OutboxItem) => resendOutboxMessage(item.id),
    onMutate: () => { setActionError(null); setNotice(''); },
    onSuccess: async () => {
      setNotice(t('exchange.outbox.resent'));
      // The button was busy (and so lost the focus): the outcome takes it.
      requestAnimationFrame(() => noticeRef.current?.focus());
      await queryClient.invalidateQueries({ queryKey: OUTBOX_KEY });
    },
    onError: showProblem,
  });
  const download = useMutation({
    mutationFn: (item: OutboxItem) => downloadOutboxBody(item),
    onMutate: () => { setActionError(null); },
    onError: showProblem,
  });

  return (
    <Stack gap="md" data-testid="exchange-outbox">
      <Text>{t('exchange.outbox.intro')}</Text>
      <section className="mf-panel" aria-labelledby="exchange-outbox-summary">
        <h2 id="exchange-outbox-summary" className="mf-section-title">{t('exchange.outbox.summary')}</h2>
        {summary === undefined && result.isPending ? <Loading /> : null}
        {summary && summary.length === 0 ? <Text size="sm">{t('exchange.outbox.noSummary')}</Text> : null}
        {summary && summary.length > 0 ? <SummaryTable summary={summary} partners={partners.data} /> : null}
      </section>

      <form className="mf-panel mf-filter-bar" role="search" aria-label={t('exchange.filters.label')} onSubmit={(event) => { event.preventDefault(); }}>
        <NativeSelect name="status" size="sm" label={t('exchange.filters.status')} value={filter.status ?? ''} onChange={(event) => { setFilter('status', event.currentTarget.value); }}>
          <option value="">{t('exchange.filters.allStatuses')}</option>
          {OUTBOX_STATUSES.map((status) => <option key={status} value={status}>{t(`exchange.outboxStatus.${status}`)}</option>)}
        </NativeSelect>
        <PartnerSelect value={filter.partnerId ?? ''} onChange={(value) => { setFilter('partner', value); }} partners={partners.data} />
      </form>

      {/* The outcome of an action, and a refusal: each takes the focus when it appears. */}
      <div>
        <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid="exchange-notice">{notice}</div>
        <div ref={problemRef} tabIndex={-1}>
          <ActionProblem error={actionError} conflictTitle={t('exchange.inbox.conflictTitle')} conflictBody={t('exchange.inbox.conflictBody')}
            reload={async () => {
              setActionError(null);
              await queryClient.invalidateQueries({ queryKey: OUTBOX_KEY });
              requestAnimationFrame(() => countRef.current?.focus());
            }} />
        </div>
      </div>

      <p ref={countRef} tabIndex={-1} className="mf-result-count" role="status" aria-live="polite" data-testid="exchange-outbox-count">
        {items ? (items.length === 0 ? t('exchange.common.none') : result.hasNextPage ? t('exchange.common.countMore', { count: items.length }) : t('exchange.common.count', { count: items.length })) : ''}
      </p>
      {result.isPending ? <Loading /> : null}
      {result.isError && !items ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items && items.length > 0 ? (
        <OutboxTable items={items} busy={result.isFetching && !result.isFetchingNextPage} canManage={canManage}
          pending={resend.isPending ? (resend.variables?.id ?? null) : null}
          onResend={(item) => { resend.mutate(item); }} onDownload={(item) => { download.mutate(item); }} />
      ) : null}
      {result.isFetchNextPageError ? <ErrorState error={result.error} onRetry={() => void result.fetchNextPage()} /> : null}
      {result.hasNextPage ? (
        <div>
          <Button variant="default" onClick={() => void result.fetchNextPage()} loading={result.isFetchingNextPage} data-testid="exchange-outbox-more">{t('exchange.common.loadMore')}</Button>
        </div>
      ) : null}
    </Stack>
  );
}

function SummaryTable({ summary, partners }: { summary: OutboxPartnerSummary[]; partners: readonly ExchangePartner[] | undefined }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const nameOf = (id: string) => partners?.find((partner) => partner.id === id)?.name ?? id;
  const count = (value: number) => formatCount(value, language);
  return (
    <div className="mf-table-scroll" role="region" aria-label={t('exchange.outbox.summaryCaption')} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="exchange-outbox-summary">
        <caption className="sr-only">{t('exchange.outbox.summaryCaption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('exchange.outbox.columns.partner')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('exchange.outbox.columns.pending')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('exchange.outbox.columns.sent')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('exchange.outbox.columns.failed')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('exchange.outbox.columns.acknowledged')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.lastAcknowledged')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.map((row) => {
            const name = nameOf(row.partnerId);
            return (
              <Table.Tr key={row.partnerId}>
                <Table.Th scope="row">
                  <Link to={`/exchange/outbox?partner=${encodeURIComponent(row.partnerId)}`} aria-label={t('exchange.outbox.showPartner', { name })}>{name}</Link>
                </Table.Th>
                <Table.Td className="mf-num">{count(row.pending)}</Table.Td>
                <Table.Td className="mf-num">{count(row.sent)}</Table.Td>
                <Table.Td className="mf-num">
                  {row.failed > 0 ? (
                    <Link to={`/exchange/outbox?partner=${encodeURIComponent(row.partnerId)}&status=failed`}><span className="mf-tag mf-tag--alert">{count(row.failed)}</span></Link>
                  ) : count(row.failed)}
                </Table.Td>
                <Table.Td className="mf-num">{count(row.acknowledged)}</Table.Td>
                <Table.Td className="mf-nowrap">{row.lastAcknowledgedAt ? <TimestampText value={row.lastAcknowledgedAt} /> : <span className="mf-muted">{t('exchange.common.notYet')}</span>}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}

interface TableProps {
  items: OutboxItem[];
  busy: boolean;
  canManage: boolean;
  pending: string | null;
  onResend: (item: OutboxItem) => void;
  onDownload: (item: OutboxItem) => void;
}

function OutboxTable({ items, busy, canManage, pending, onResend, onDownload }: TableProps) {
  const { t } = useTranslation();
  const captionId = useId();
  const language = currentLanguage();
  const at = (value: string) => formatTimestamp(value, language).text;
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined}>
        <caption id={captionId} className="sr-only">{t('exchange.outbox.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('exchange.outbox.columns.created')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.partner')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.event')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.status')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.delivery')}</Table.Th>
            <Table.Th scope="col">{t('exchange.outbox.columns.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const what = t('exchange.outbox.what', { partner: item.partnerName, at: at(item.createdAt) });
            return (
              <Table.Tr key={item.id} data-testid="exchange-outbox-row" data-status={item.status}>
                <Table.Td className="mf-nowrap"><TimestampText value={item.createdAt} /></Table.Td>
                <Table.Td>
                  <div>{item.partnerName}</div>
                  <div className="mf-small mf-muted">{item.participantId}</div>
                </Table.Td>
                <Table.Td>
                  <div>{eventLabel(item.eventType, t)}</div>
                  {item.personId ? <div className="mf-small"><Link to={`/persons/${encodeURIComponent(item.personId)}`}>{t('exchange.common.personLinkOne')}</Link></div> : null}
                </Table.Td>
                <Table.Td><OutboxStatusTag status={item.status} /></Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{t('exchange.outbox.attempts', { count: item.attempts })}</Text>
                    {item.lastError ? <Text size="sm" data-testid="exchange-last-error">{t('exchange.outbox.lastError', { error: item.lastError })}</Text> : null}
                    {item.nextAttemptAt ? <Text size="sm">{t('exchange.outbox.nextAttempt', { at: at(item.nextAttemptAt) })}</Text> : null}
                    {item.sentAt ? <Text size="sm" className="mf-muted">{t('exchange.outbox.sentAt', { at: at(item.sentAt) })}</Text> : null}
                    {item.acknowledgedAt ? <Text size="sm" className="mf-muted">{t('exchange.outbox.acknowledgedAt', { at: at(item.acknowledgedAt) })}</Text> : null}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    {canManage && item.status !== 'acknowledged' ? (
                      <Button size="compact-sm" variant={item.status === 'failed' ? 'filled' : 'default'} onClick={() => { onResend(item); }} loading={pending === item.id} data-testid="exchange-resend">
                        {t('exchange.outbox.resend')}<RowContext>{what}</RowContext>
                      </Button>
                    ) : null}
                    <Button size="compact-sm" variant="subtle" onClick={() => { onDownload(item); }} data-testid="exchange-outbox-download">
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
