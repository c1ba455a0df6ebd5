import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { downloadAuditExport, fetchAuditPage, type AuditExportFormat, type AuditFilter, type AuditItem } from '../api/audit';
import { useCan } from '../auth/permissions';
import { ChainStatusPanel } from '../components/audit/ChainStatusPanel';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { RequirePermission } from '../components/RequirePermission';
import { usePageTitle } from '../lib/usePageTitle';
import { useReauthentication } from '../components/ReauthDialog';

export function AuditLogPage() {
  return (
    <RequirePermission permission="audit:read">
      <AuditLog />
    </RequirePermission>
  );
}

const FIELDS = ['person', 'user', 'action', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** A local calendar day as the instant it starts (from) or the instant the next day starts (to, exclusive). */
function dayStart(day: string, next: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (next) date.setDate(date.getDate() + 1);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The filters as the address holds them (bookmarkable), turned into what the API takes. */
function filterOf(params: URLSearchParams): AuditFilter {
  const text = (key: Field) => params.get(key)?.trim() || undefined;
  return { person: text('person'), user: text('user'), action: text('action'), from: dayStart(params.get('from') ?? '', false), to: dayStart(params.get('to') ?? '', true) };
}

function AuditLog() {
  const { t } = useTranslation();
  usePageTitle(t('audit.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = filterOf(searchParams);
  const canExport = useCan('audit:export');
  const [draft, setDraft] = useState<Record<Field, string>>(() => Object.fromEntries(FIELDS.map((key) => [key, searchParams.get(key) ?? ''])) as Record<Field, string>);
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);

  const result = useInfiniteQuery({
    queryKey: ['audit', 'log', filter],
    queryFn: ({ pageParam, signal }) => fetchAuditPage(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = result.data?.pages.flatMap((page) => page.items);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FIELDS) if (draft[key].trim()) next.set(key, draft[key].trim());
    setSearchParams(next, { replace: true, preventScrollReset: true });
  };

  // The export asks for a recent sign-in: the dialog confirms it and the download repeats.
  const reauth = useReauthentication();
  const exportAs = async (format: AuditExportFormat) => {
    setExporting(format);
    setExportError(null);
    try {
      await reauth.run(() => downloadAuditExport(filter, format));
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(null);
    }
  };

  const input = (key: Field, type: 'text' | 'date' = 'text') => (
    <TextInput name={key} type={type} size="sm" label={t(`audit.filters.${key}`)} value={draft[key]}
      onChange={(event) => { const value = event.currentTarget.value; setDraft((previous) => ({ ...previous, [key]: value })); }} />
  );

  return (
    <Stack gap="md">
      <Title order={1}>{t('audit.title')}</Title>
      <Text>{t('audit.intro')}</Text>
      <ChainStatusPanel />
      {reauth.dialog}

      <form className="mf-panel mf-filter-bar" role="search" aria-label={t('audit.filters.label')} onSubmit={apply}>
        {input('person')}
        {input('user')}
        {input('action')}
        {input('from', 'date')}
        {input('to', 'date')}
        <Button type="submit" size="sm" data-testid="audit-apply">{t('audit.filters.apply')}</Button>
      </form>
      <Text size="sm" className="mf-muted">{t('audit.filters.hint')}</Text>

      {canExport ? (
        <Group gap="sm">
          <Button variant="default" size="sm" onClick={() => void exportAs('csv')} loading={exporting === 'csv'} data-testid="audit-export-csv">{t('audit.export.csv')}</Button>
          <Button variant="default" size="sm" onClick={() => void exportAs('json')} loading={exporting === 'json'} data-testid="audit-export-json">{t('audit.export.json')}</Button>
        </Group>
      ) : null}
      {exportError ? <ErrorState error={exportError} withTitle={false} /> : null}

      <p className="mf-result-count" role="status" aria-live="polite" data-testid="audit-count">
        {items ? (items.length === 0 ? t('audit.none') : result.hasNextPage ? t('audit.countMore', { count: items.length }) : t('audit.count', { count: items.length })) : ''}
      </p>
      {result.isPending ? <Loading /> : null}
      {result.isError && !items ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items && items.length > 0 ? <AuditTable items={items} busy={result.isFetching && !result.isFetchingNextPage} /> : null}
      {result.isFetchNextPageError ? <ErrorState error={result.error} onRetry={() => void result.fetchNextPage()} /> : null}
      {result.hasNextPage ? (
        <div>
          <Button variant="default" onClick={() => void result.fetchNextPage()} loading={result.isFetchingNextPage} data-testid="audit-more">{t('audit.loadMore')}</Button>
        </div>
      ) : null}
    </Stack>
  );
}

function AuditTable({ items, busy }: { items: AuditItem[]; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const captionId = useId();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined}>
        <caption id={captionId} className="sr-only">{t('audit.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('audit.columns.time')}</Table.Th>
            <Table.Th scope="col">{t('audit.columns.user')}</Table.Th>
            <Table.Th scope="col">{t('audit.columns.action')}</Table.Th>
            <Table.Th scope="col">{t('audit.columns.subject')}</Table.Th>
            <Table.Th scope="col">{t('audit.columns.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-testid="audit-row" data-action={item.action}>
              <Table.Td className="mf-nowrap">{new Date(item.occurredAt).toLocaleString(i18n.language)}</Table.Td>
              <Table.Td>{item.actorName ?? t(`audit.actorKinds.${item.actorKind === 'anonymous' || item.actorKind === 'system' || item.actorKind === 'token' ? item.actorKind : 'user'}`)}</Table.Td>
              <Table.Td><code>{item.action}</code></Table.Td>
              <Table.Td>{item.entityType ? `${item.entityType}${item.entityId ? ` ${item.entityId}` : ''}` : ''}</Table.Td>
              <Table.Td><code className="mf-small">{JSON.stringify(item.details)}</code></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
