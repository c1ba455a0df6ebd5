import { NativeSelect, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EXPIRY_LIST_LIMIT, fetchExpiringPermits } from '../api/endpoints';
import type { ExpiringPermit } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { DateText } from '../components/register/common';
import { EXPIRING_PERMITS_KEY, usePermitCategories } from '../components/register/personQueries';
import { RequirePermission } from '../components/RequirePermission';
import { currentLanguage } from '../i18n';
import { formatNationality } from '../lib/format';
import { categoryName } from '../lib/permits';
import { usePageTitle } from '../lib/usePageTitle';

const WINDOWS = [30, 60, 90, 180] as const;
const DEFAULT_WINDOW = 60;
type SortOrder = 'asc' | 'desc';

function windowParam(value: string | null): number {
  const days = Number(value);
  return (WINDOWS as readonly number[]).includes(days) ? days : DEFAULT_WINDOW;
}

export function ExpiringPermitsPage() {
  return (
    <RequirePermission permission="permits:read">
      <ExpiringPermits />
    </RequirePermission>
  );
}

function ExpiringPermits() {
  const { t } = useTranslation();
  usePageTitle(t('expiry.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const withinDays = windowParam(searchParams.get('within'));
  const sort: SortOrder = searchParams.get('sort') === 'desc' ? 'desc' : 'asc';

  // The choices live in the address, so the view can be bookmarked and survives a reload.
  const setParam = (key: 'within' | 'sort', value: string, fallback: string) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value !== fallback) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  const result = useQuery({
    queryKey: [...EXPIRING_PERMITS_KEY, withinDays],
    queryFn: ({ signal }) => fetchExpiringPermits(withinDays, signal),
    placeholderData: keepPreviousData,
  });
  const items = result.data;
  const sorted = items
    ? [...items].sort((a, b) => (sort === 'asc' ? a.daysLeft - b.daysLeft : b.daysLeft - a.daysLeft)
        || a.officialName.localeCompare(b.officialName))
    : undefined;
  const expiredCount = items?.filter((item) => item.expired).length ?? 0;

  return (
    <Stack gap="md">
      <Title order={1}>{t('expiry.title')}</Title>
      <Text>{t('expiry.intro')}</Text>

      <div className="mf-panel mf-filter-bar" role="group" aria-label={t('expiry.filters')}>
        <NativeSelect name="withinDays" label={t('expiry.within')} value={String(withinDays)} size="sm"
          onChange={(event) => { setParam('within', event.currentTarget.value, String(DEFAULT_WINDOW)); }}>
          {WINDOWS.map((days) => (
            <option key={days} value={days}>{t('expiry.days', { count: days })}</option>
          ))}
        </NativeSelect>
      </div>

      <p className="mf-result-count" role="status" aria-live="polite" data-testid="expiry-count">
        {items
          ? items.length === 0
            ? t('expiry.countNone')
            : `${t('expiry.count', { count: items.length })}${expiredCount > 0 ? ` · ${t('expiry.expiredCount', { count: expiredCount })}` : ''}`
          : ''}
      </p>
      {items && items.length >= EXPIRY_LIST_LIMIT ? <Text size="sm">{t('expiry.limited', { count: EXPIRY_LIST_LIMIT })}</Text> : null}
      {result.isPending ? <Loading /> : null}
      {result.isError ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {sorted && sorted.length > 0 ? (
        <ExpiryTable items={sorted} withinDays={withinDays} sort={sort} busy={result.isFetching}
          onSort={() => { setParam('sort', sort === 'asc' ? 'desc' : 'asc', 'asc'); }} />
      ) : null}
    </Stack>
  );
}

function DaysLeft({ item }: { item: ExpiringPermit }) {
  const { t } = useTranslation();
  if (item.daysLeft === 0) return <>{t('expiry.today')}</>;
  if (item.daysLeft < 0) return <>{t('expiry.expiredAgo', { count: -item.daysLeft })}</>;
  return <>{t('expiry.daysLeft', { count: item.daysLeft })}</>;
}

function ExpiryTable({ items, withinDays, sort, busy, onSort }: {
  items: ExpiringPermit[];
  withinDays: number;
  sort: SortOrder;
  busy: boolean;
  onSort: () => void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const categories = usePermitCategories();
  const captionId = useId();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined} className="mf-expiry-table">
        <caption id={captionId} className="sr-only">{t('expiry.caption', { days: withinDays })}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('expiry.columns.name')}</Table.Th>
            <Table.Th scope="col" aria-sort={sort === 'asc' ? 'ascending' : 'descending'}>
              <UnstyledButton onClick={onSort} className="mf-sort-button" data-testid="sort-days-left">
                {t('expiry.columns.daysLeft')}
                <span aria-hidden="true" className="mf-sort-icon">{sort === 'asc' ? '▲' : '▼'}</span>
                <span className="sr-only">{sort === 'asc' ? t('expiry.sortedAsc') : t('expiry.sortedDesc')}</span>
              </UnstyledButton>
            </Table.Th>
            <Table.Th scope="col">{t('expiry.columns.validUntil')}</Table.Th>
            <Table.Th scope="col">{t('expiry.columns.permit')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.permitId} data-testid="expiry-row" data-expired={item.expired ? 'true' : 'false'}
              data-days-left={item.daysLeft} className={item.expired ? 'mf-row-expired' : undefined}>
              <Table.Th scope="row">
                <Link to={`/persons/${encodeURIComponent(item.personId)}#permits`}>
                  {item.officialName} {item.firstNames}
                </Link>
                <div className="mf-muted mf-small mf-person-facts">
                  <span className="sr-only">{t('expiry.columns.dateOfBirth')}: </span>
                  <DateText value={item.dateOfBirth} />
                  {' · '}
                  <span className="sr-only">{t('expiry.columns.nationality')}: </span>
                  {formatNationality(item.nationality, language, t)}
                </div>
              </Table.Th>
              <Table.Td>
                {item.expired ? <span className="mf-tag mf-tag--alert">{t('expiry.expired')}</span> : null}
                <span className={item.expired ? 'mf-days mf-days--expired' : 'mf-days'}><DaysLeft item={item} /></span>
              </Table.Td>
              <Table.Td className="mf-nowrap"><DateText value={item.validUntil} /></Table.Td>
              <Table.Td>{categoryName(item.category, categories.data, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
