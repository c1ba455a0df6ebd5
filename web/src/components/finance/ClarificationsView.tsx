import { Button, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { fetchClarifications, type ClarificationItem, type ClarificationStatus } from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatDate, formatMoney } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { DateText } from '../register/common';
import { clarificationLabel, CLARIFICATIONS_KEY, FeedbackArea, FinanceDialog, formatReference, Money, paymentSourceLabel, RowContext, useFinanceFeedback } from './common';
import { ResolveForm, type ResolveAction } from './ResolveForm';

const STATUSES: readonly ClarificationStatus[] = ['open', 'resolved'];
const RESOLUTIONS = ['booked', 'refunded', 'acknowledged'] as const;

function statusOf(params: URLSearchParams): ClarificationStatus {
  return params.get('status') === 'resolved' ? 'resolved' : 'open';
}

/**
 * The clarification list: money that could not be booked by itself (partial payments,
 * overpayments, unknown references, duplicates, reversals). Each item is settled by booking it to
 * an invoice, recording its refund, or acknowledging it; the item's version guards against two
 * people settling it at once.
 */
export function ClarificationsView() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = statusOf(params);
  const feedback = useFinanceFeedback();
  const [resolving, setResolving] = useState<{ item: ClarificationItem; action: ResolveAction } | null>(null);
  const list = useQuery({
    queryKey: [...CLARIFICATIONS_KEY, status],
    queryFn: ({ signal }) => fetchClarifications(status, signal),
    placeholderData: keepPreviousData,
  });
  const items = list.data;
  const setStatus = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'resolved') next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true, preventScrollReset: true });
  };

  return (
    <Stack gap="md" data-testid="finance-clarifications">
      <Text>{t('finance.clarifications.intro')}</Text>
      <form className="mf-panel mf-filter-bar" role="search" aria-label={t('finance.clarifications.filterLabel')} onSubmit={(event) => { event.preventDefault(); }}>
        <NativeSelect name="status" size="sm" label={t('finance.clarifications.status')} value={status} onChange={(event) => { setStatus(event.currentTarget.value); }}>
          {STATUSES.map((value) => <option key={value} value={value}>{t(`finance.clarifications.statuses.${value}`)}</option>)}
        </NativeSelect>
      </form>
      <FeedbackArea feedback={feedback} testId="clarification-notice" />
      <p className="mf-result-count" role="status" aria-live="polite" data-testid="clarification-count">
        {items ? (items.length === 0 ? t(`finance.clarifications.none.${status}`) : t('finance.clarifications.count', { count: items.length })) : ''}
      </p>
      {list.isPending ? <Loading /> : null}
      {list.isError && !items ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {items && items.length > 0 ? (
        <ClarificationTable items={items} status={status} busy={list.isFetching} onResolve={(item, action) => { feedback.clear(); setResolving({ item, action }); }} />
      ) : null}
      <FinanceDialog opened={resolving !== null} onClose={() => { setResolving(null); }} size="lg"
        title={resolving ? t(`finance.resolve.titles.${resolving.action}`) : ''}>
        {resolving ? (
          <ResolveForm item={resolving.item} initialAction={resolving.action} onClose={() => { setResolving(null); }}
            onReload={feedback.reload}
            onResolved={async (resolved) => {
              setResolving(null);
              const resolution = resolved.resolution ?? 'acknowledged';
              await feedback.done(t(`finance.resolve.done.${resolution}`, { number: resolved.invoice?.number ?? '' }));
            }} />
        ) : null}
      </FinanceDialog>
    </Stack>
  );
}

/** The open list ends with what can be done, the resolved one with how it was settled. */
const COLUMNS = { open: ['date', 'amount', 'payer', 'reason', 'invoice', 'actions'], resolved: ['date', 'amount', 'payer', 'reason', 'invoice', 'state'] } as const;

function ClarificationTable({ items, status, busy, onResolve }: {
  items: ClarificationItem[];
  status: ClarificationStatus;
  busy: boolean;
  onResolve: (item: ClarificationItem, action: ResolveAction) => void;
}) {
  const { t } = useTranslation();
  const captionId = useId();
  const language = currentLanguage();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined} data-testid="clarification-table">
        <caption id={captionId} className="sr-only">{t('finance.clarifications.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            {COLUMNS[status].map((column) => <Table.Th key={column} scope="col" className={column === 'amount' ? 'mf-num' : undefined}>{t(`finance.clarifications.columns.${column}`)}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const what = t('finance.clarifications.what', { amount: formatMoney(item.amount, item.currency, language), date: formatDate(item.bookingDate, language) });
            const open = item.status === 'open';
            const unbooked = item.unbooked !== '0.00';
            return (
              <Table.Tr key={item.id} data-testid="clarification-row" data-clarification={item.clarification ?? ''} data-status={item.status ?? ''} data-reference={item.reference ?? ''}>
                <Table.Td className="mf-nowrap">
                  <DateText value={item.bookingDate} />
                  <div className="mf-small mf-muted">{paymentSourceLabel(item.source, t)}</div>
                </Table.Td>
                <Table.Th scope="row" className="mf-num">
                  <Money amount={item.amount} currency={item.currency} />
                  {item.booked !== '0.00' ? <div className="mf-small mf-muted">{t('finance.clarifications.booked', { amount: formatMoney(item.booked, item.currency, language) })}</div> : null}
                  {item.refunded !== '0.00' ? <div className="mf-small mf-muted">{t('finance.clarifications.refunded', { amount: formatMoney(item.refunded, item.currency, language) })}</div> : null}
                  {open && unbooked ? <div className="mf-small">{t('finance.clarifications.unbooked', { amount: formatMoney(item.unbooked, item.currency, language) })}</div> : null}
                </Table.Th>
                <Table.Td>
                  {item.debtorName ?? <span className="mf-muted">{t('finance.clarifications.noPayer')}</span>}
                  {item.debtorIban ? <div className="mf-small mf-muted mf-break">{item.debtorIban}</div> : null}
                  <div className="mf-small">
                    {item.reference ? <span className="mf-reference">{formatReference(item.reference)}</span> : <span className="mf-muted">{t('finance.import.noReference')}</span>}
                  </div>
                  {item.remittanceText ? <div className="mf-small mf-muted">{item.remittanceText}</div> : null}
                </Table.Td>
                <Table.Td>{clarificationLabel(item.clarification, t)}</Table.Td>
                <Table.Td className="mf-nowrap">
                  {item.invoice ? <Link to={`/persons/${encodeURIComponent(item.invoice.personId)}#finance`}>{item.invoice.number}</Link> : <span className="mf-muted">–</span>}
                </Table.Td>
                {open ? (
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      {unbooked ? (
                        <Button size="compact-sm" onClick={() => { onResolve(item, 'book'); }} data-testid="clarification-book">
                          {t('finance.resolve.actions.book')}<RowContext>{what}</RowContext>
                        </Button>
                      ) : null}
                      {unbooked ? (
                        <Button size="compact-sm" variant="default" onClick={() => { onResolve(item, 'refund'); }} data-testid="clarification-refund">
                          {t('finance.resolve.actions.refund')}<RowContext>{what}</RowContext>
                        </Button>
                      ) : null}
                      <Button size="compact-sm" variant="default" onClick={() => { onResolve(item, 'acknowledge'); }} data-testid="clarification-acknowledge">
                        {t('finance.resolve.actions.acknowledge')}<RowContext>{what}</RowContext>
                      </Button>
                    </Stack>
                  </Table.Td>
                ) : (
                  <Table.Td>
                    <span className="mf-tag">{resolutionLabel(item.resolution, t)}</span>
                    {item.resolvedBy ? <div className="mf-small mf-muted">{t('finance.clarifications.resolvedBy', { by: item.resolvedBy })}</div> : null}
                    {item.resolutionNote ? <div className="mf-small">{item.resolutionNote}</div> : null}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function resolutionLabel(resolution: string | null, t: TFunction): string {
  if (resolution && (RESOLUTIONS as readonly string[]).includes(resolution)) return t(`finance.clarifications.resolutions.${resolution as (typeof RESOLUTIONS)[number]}`);
  return t('finance.clarifications.statuses.resolved');
}
