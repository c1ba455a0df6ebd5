import { Button, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadOutboxBody, fetchOutboxPage, OUTBOX_STATUSES, resendOutboxMessage, type ExchangeFilter, type ExchangePartner, type OutboxItem, type OutboxPartnerSummary } from '../../api/exchange';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatCount, formatTimestamp } from '../../lib/format';
import { Loading } from '../Loading';
import { TimestampText } from '../register/common';
import {
  eventLabel, FilterBar, isOutboxStatus, MessageList, MessageTable, OUTBOX_KEY, OutboxStatusTag, partnerParam, RowActions, RowContext,
  useActionFeedback, useExchangeList, useFilterParams, usePartners, type MessageRowsProps,
} from './common';

function filterOf(params: URLSearchParams): ExchangeFilter {
  const status = params.get('status');
  return { status: isOutboxStatus(status) ? status : undefined, partnerId: partnerParam(params) };
}

/** Messages to the partners: the state per partner, then every message with its delivery. */
export function OutboxView() {
  const { t } = useTranslation();
  const [params, setFilter] = useFilterParams();
  const filter = filterOf(params);
  const canManage = useCan('exchange:manage');
  const partners = usePartners();
  const feedback = useActionFeedback(OUTBOX_KEY);
  const list = useExchangeList(OUTBOX_KEY, filter, fetchOutboxPage);
  const summary = list.first?.partners;

  const resend = useMutation({
    mutationFn: (item: OutboxItem) => resendOutboxMessage(item.id),
    onMutate: feedback.clear,
    onSuccess: () => feedback.done(t('exchange.outbox.resent')),
    onError: feedback.showProblem,
  });
  const download = useMutation({
    mutationFn: (item: OutboxItem) => downloadOutboxBody(item),
    onMutate: feedback.clearProblem,
    onError: feedback.showProblem,
  });

  return (
    <Stack gap="md" data-testid="exchange-outbox">
      <Text>{t('exchange.outbox.intro')}</Text>
      <section className="mf-panel" aria-labelledby="exchange-outbox-summary">
        <h2 id="exchange-outbox-summary" className="mf-section-title">{t('exchange.outbox.summary')}</h2>
        {summary === undefined && list.result.isPending ? <Loading /> : null}
        {summary && summary.length === 0 ? <Text size="sm">{t('exchange.outbox.noSummary')}</Text> : null}
        {summary && summary.length > 0 ? <SummaryTable summary={summary} partners={partners.data} /> : null}
      </section>

      <FilterBar status={filter.status ?? ''} partner={filter.partnerId ?? ''} onChange={setFilter}>
        <option value="">{t('exchange.filters.allStatuses')}</option>
        {OUTBOX_STATUSES.map((status) => <option key={status} value={status}>{t(`exchange.outboxStatus.${status}`)}</option>)}
      </FilterBar>
      <MessageList list={list} feedback={feedback} countTestId="exchange-outbox-count" moreTestId="exchange-outbox-more">
        {(items, busy) => (
          <OutboxTable items={items} busy={busy} canManage={canManage}
            pending={resend.isPending ? (resend.variables?.id ?? null) : null}
            onResend={(item) => { resend.mutate(item); }} onDownload={(item) => { download.mutate(item); }} />
        )}
      </MessageList>
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

const COLUMNS = ['created', 'partner', 'event', 'status', 'delivery', 'actions'] as const;

interface TableProps extends MessageRowsProps<OutboxItem> {
  onResend: (item: OutboxItem) => void;
}

function OutboxTable({ items, busy, canManage, pending, onResend, onDownload }: TableProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const at = (value: string) => formatTimestamp(value, language).text;
  return (
    <MessageTable caption={t('exchange.outbox.caption')} columns={COLUMNS.map((column) => t(`exchange.outbox.columns.${column}`))} busy={busy}>
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
            <RowActions what={what} onDownload={() => { onDownload(item); }} downloadTestId="exchange-outbox-download">
              {canManage && item.status !== 'acknowledged' ? (
                <Button size="compact-sm" variant={item.status === 'failed' ? 'filled' : 'default'} onClick={() => { onResend(item); }} loading={pending === item.id} data-testid="exchange-resend">
                  {t('exchange.outbox.resend')}<RowContext>{what}</RowContext>
                </Button>
              ) : null}
            </RowActions>
          </Table.Tr>
        );
      })}
    </MessageTable>
  );
}
