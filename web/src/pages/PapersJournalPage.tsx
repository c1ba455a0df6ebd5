import { Button, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { fetchPapersJournal, papersJournalCsvUrl, type JournalQuery } from '../api/endpoints';
import type { JournalEntry, JournalOrder } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { DateText, ISO_DATE_RE, NotRecorded } from '../components/register/common';
import { currentLanguage } from '../i18n';
import { formatChf } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

function dateParam(value: string | null): string {
  return value && ISO_DATE_RE.test(value) ? value : '';
}

export function PapersJournalPage() {
  const { t } = useTranslation();
  usePageTitle(t('journal.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const order: JournalOrder = searchParams.get('order') === 'alphabetical' ? 'alphabetical' : 'chronological';
  const from = dateParam(searchParams.get('from'));
  const to = dateParam(searchParams.get('to'));
  const query: JournalQuery = { order, from, to };

  // The filters live in the address, so the view can be bookmarked and survives a reload.
  const setParam = (key: 'order' | 'from' | 'to', value: string) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value && !(key === 'order' && value === 'chronological')) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  const journal = useQuery({
    queryKey: ['papers', 'journal', order, from, to],
    queryFn: ({ signal }) => fetchPapersJournal(query, signal),
    placeholderData: keepPreviousData,
  });
  const entries = journal.data;
  const rangeInvalid = Boolean(from && to && from > to);

  return (
    <Stack gap="md">
      <Title order={1}>{t('journal.title')}</Title>
      <Text>{t('journal.intro')}</Text>

      <div className="mf-panel mf-filter-bar" role="group" aria-label={t('journal.filters')}>
        <div className="mf-filter-order">
          <Text component="span" id="journal-order-label" size="sm" fw={600} className="mf-filter-label">
            {t('journal.order')}
          </Text>
          <SegmentedControl
            aria-labelledby="journal-order-label"
            name="order"
            value={order}
            onChange={(value) => { setParam('order', value); }}
            data={[
              { value: 'chronological', label: t('journal.chronological') },
              { value: 'alphabetical', label: t('journal.alphabetical') },
            ]}
          />
        </div>
        <TextInput type="date" name="from" label={t('journal.from')} value={from} size="sm"
          onChange={(event) => { setParam('from', event.currentTarget.value); }} />
        <TextInput type="date" name="to" label={t('journal.to')} value={to} size="sm"
          onChange={(event) => { setParam('to', event.currentTarget.value); }}
          error={rangeInvalid ? t('journal.rangeInvalid') : undefined} />
        <Button component="a" href={papersJournalCsvUrl(query)} download variant="default" size="sm"
          data-testid="journal-csv" className="mf-filter-csv">
          {t('journal.csv')}
        </Button>
      </div>

      <p className="mf-result-count" role="status" aria-live="polite" data-testid="journal-count">
        {entries ? (entries.length === 0 ? t('journal.countNone') : t('journal.count', { count: entries.length })) : ''}
      </p>
      {journal.isPending ? <Loading /> : null}
      {journal.isError ? <ErrorState error={journal.error} onRetry={() => void journal.refetch()} /> : null}
      {entries && entries.length > 0 ? <JournalTable entries={entries} busy={journal.isFetching} /> : null}
    </Stack>
  );
}

function JournalTable({ entries, busy }: { entries: JournalEntry[]; busy: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const captionId = useId();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined} className="mf-journal-table">
        <caption id={captionId} className="sr-only">{t('journal.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('journal.columns.date')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.event')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.receipt')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.name')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.dateOfBirth')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.papers')}</Table.Th>
            <Table.Th scope="col">{t('journal.columns.validUntil')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('journal.columns.fee')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={`${entry.paperId}-${entry.event}`} data-testid="journal-row" data-event={entry.event}>
              <Table.Td className="mf-nowrap"><DateText value={entry.date} /></Table.Td>
              <Table.Td>
                <span className={entry.event === 'deposit' ? 'mf-tag mf-tag--current' : 'mf-tag'}>
                  {t(`journal.events.${entry.event}`)}
                </span>
              </Table.Td>
              <Table.Td className="mf-num">{entry.receiptNumber}</Table.Td>
              <Table.Th scope="row">
                <Link to={`/persons/${encodeURIComponent(entry.personId)}`}>
                  {entry.officialName} {entry.firstNames}
                </Link>
              </Table.Th>
              <Table.Td className="mf-nowrap"><DateText value={entry.dateOfBirth} /></Table.Td>
              <Table.Td>
                {entry.designation}
                {entry.number ? <span className="mf-muted"> · {entry.number}</span> : null}
              </Table.Td>
              <Table.Td className="mf-nowrap">{entry.validUntil ? <DateText value={entry.validUntil} /> : <NotRecorded />}</Table.Td>
              <Table.Td className="mf-num mf-nowrap">{entry.event === 'deposit' ? formatChf(entry.feeChf, language) : <NotRecorded />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
