import { Button, Checkbox, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CASE_PHASES, fetchCaseQueue, type QueueItem, type QueuePage, type QueueQuery } from '../api/cases';
import { useCan } from '../auth/permissions';
import { caseQueueKey, useCaseAssignees, useCaseTypes } from '../components/cases/caseQueries';
import { AgeText, DueDate, localText } from '../components/cases/common';
import { NewCaseDialog } from '../components/cases/NewCaseDialog';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { RequirePermission } from '../components/RequirePermission';
import { currentLanguage } from '../i18n';
import { usePageTitle } from '../lib/usePageTitle';

export function CaseQueuePage() {
  return (
    <RequirePermission permission="cases:read">
      <CaseQueue />
    </RequirePermission>
  );
}

type Param = 'unit' | 'type' | 'phase' | 'assignee' | 'overdue' | 'sort';

/** The filters as the address holds them (bookmarkable, kept on reload and back). */
function queueQueryOf(params: URLSearchParams): QueueQuery {
  const phase = params.get('phase') ?? '';
  const assignee = params.get('assignee') ?? '';
  return {
    unit: params.get('unit') ?? undefined,
    type: params.get('type') ?? undefined,
    phase: (CASE_PHASES as readonly string[]).includes(phase) ? phase : undefined,
    assignee: assignee && assignee !== 'all' ? assignee : undefined,
    overdue: params.get('overdue') === 'true' ? true : undefined,
    sort: params.get('sort') === 'due' ? 'due' : 'age',
  };
}

function CaseQueue() {
  const { t } = useTranslation();
  usePageTitle(t('cases.queue.title'));
  const language = currentLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = queueQueryOf(searchParams);
  const canWrite = useCan('cases:write');
  const canLead = useCan('cases:lead');
  const types = useCaseTypes();
  const assignees = useCaseAssignees(canLead);
  const [newOpen, setNewOpen] = useState(false);
  const queryClient = useQueryClient();

  const setParam = (key: Param, value: string) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  const result = useInfiniteQuery({
    queryKey: caseQueueKey(query),
    queryFn: ({ pageParam, signal }) => fetchCaseQueue({ ...query, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: QueuePage) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = result.data?.pages.flatMap((page) => page.items);

  // Units have no list of their own: offer those seen in any queue loaded so far, and the chosen one.
  const units = new Map<string, string>();
  for (const [, data] of queryClient.getQueriesData<InfiniteData<QueuePage>>({ queryKey: ['cases', 'queue'] })) {
    for (const page of data?.pages ?? []) for (const item of page.items) units.set(item.unitId, item.unitName);
  }
  if (query.unit && !units.has(query.unit)) units.set(query.unit, query.unit);

  const assigneeValue = searchParams.get('assignee') ?? 'all';

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{t('cases.queue.title')}</Title>
        {canWrite ? (
          <Button onClick={() => { setNewOpen(true); }} data-testid="new-case">{t('cases.new.button')}</Button>
        ) : null}
      </Group>
      <Text>{t('cases.queue.intro')}</Text>

      <div className="mf-panel mf-filter-bar mf-queue-filters" role="group" aria-label={t('cases.queue.filters')}>
        <NativeSelect name="assignee" size="sm" label={t('cases.queue.assignee')} value={assigneeValue}
          onChange={(event) => { setParam('assignee', event.currentTarget.value === 'all' ? '' : event.currentTarget.value); }}>
          <option value="me">{t('cases.queue.assigneeMe')}</option>
          <option value="none">{t('cases.queue.assigneeNone')}</option>
          <option value="all">{t('cases.queue.assigneeAll')}</option>
          {(assignees.data ?? []).map((user) => <option key={user.id} value={user.id}>{user.displayName}</option>)}
        </NativeSelect>
        <NativeSelect name="type" size="sm" label={t('cases.queue.type')} value={query.type ?? ''}
          onChange={(event) => { setParam('type', event.currentTarget.value); }}>
          <option value="">{t('cases.queue.allTypes')}</option>
          {(types.data ?? []).map((type) => <option key={type.slug} value={type.slug}>{localText(type.names, language)}</option>)}
          {query.type && types.data && !types.data.some((type) => type.slug === query.type) ? <option value={query.type}>{query.type}</option> : null}
        </NativeSelect>
        <NativeSelect name="phase" size="sm" label={t('cases.queue.phase')} value={query.phase ?? ''}
          onChange={(event) => { setParam('phase', event.currentTarget.value); }}>
          <option value="">{t('cases.queue.allPhases')}</option>
          {CASE_PHASES.map((phase) => <option key={phase} value={phase}>{t(`cases.phases.${phase}`)}</option>)}
        </NativeSelect>
        <NativeSelect name="unit" size="sm" label={t('cases.queue.unit')} value={query.unit ?? ''}
          onChange={(event) => { setParam('unit', event.currentTarget.value); }}>
          <option value="">{t('cases.queue.allUnits')}</option>
          {[...units].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </NativeSelect>
        <NativeSelect name="sort" size="sm" label={t('cases.queue.sort')} value={query.sort ?? 'age'}
          onChange={(event) => { setParam('sort', event.currentTarget.value === 'due' ? 'due' : ''); }}>
          <option value="age">{t('cases.queue.sortAge')}</option>
          <option value="due">{t('cases.queue.sortDue')}</option>
        </NativeSelect>
        <Checkbox name="overdue" className="mf-filter-check" label={t('cases.queue.overdueOnly')} checked={query.overdue === true}
          onChange={(event) => { setParam('overdue', event.currentTarget.checked ? 'true' : ''); }} />
      </div>

      <p className="mf-result-count" role="status" aria-live="polite" data-testid="case-queue-count">
        {items
          ? items.length === 0
            ? t('cases.queue.none')
            : result.hasNextPage ? t('cases.queue.countMore', { count: items.length }) : t('cases.queue.count', { count: items.length })
          : ''}
      </p>
      {result.isPending ? <Loading /> : null}
      {result.isError && !items ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items && items.length > 0 ? <QueueTable items={items} busy={result.isFetching && !result.isFetchingNextPage} /> : null}
      {result.isFetchNextPageError ? <ErrorState error={result.error} onRetry={() => void result.fetchNextPage()} /> : null}
      {result.hasNextPage ? (
        <div>
          <Button variant="default" onClick={() => void result.fetchNextPage()} loading={result.isFetchingNextPage} data-testid="case-queue-more">
            {t('cases.queue.loadMore')}
          </Button>
        </div>
      ) : null}

      <NewCaseDialog opened={newOpen} onClose={() => { setNewOpen(false); }} />
    </Stack>
  );
}

function QueueTable({ items, busy }: { items: QueueItem[]; busy: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const captionId = useId();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined} className="mf-queue-table">
        <caption id={captionId} className="sr-only">{t('cases.queue.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('cases.columns.reference')}</Table.Th>
            <Table.Th scope="col">{t('cases.columns.person')}</Table.Th>
            <Table.Th scope="col">{t('cases.columns.type')}</Table.Th>
            <Table.Th scope="col">{t('cases.columns.state')}</Table.Th>
            <Table.Th scope="col" className="mf-num">{t('cases.columns.age')}</Table.Th>
            <Table.Th scope="col">{t('cases.columns.nextDue')}</Table.Th>
            <Table.Th scope="col">{t('cases.columns.assignee')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-testid="case-queue-row" data-case-id={item.id} data-type={item.typeSlug}
              data-state={item.state} data-overdue={item.overdue ? 'true' : 'false'}
              className={item.overdue ? 'mf-row-expired' : undefined}>
              <Table.Th scope="row">
                <Link to={`/cases/${encodeURIComponent(item.id)}`} data-testid="case-link">{item.reference}</Link>
                {item.awaitingApproval ? (
                  <div><span className="mf-tag mf-tag--approval" data-testid="awaiting-approval">{t('cases.awaitingApproval')}</span></div>
                ) : null}
              </Table.Th>
              <Table.Td>{item.personName}</Table.Td>
              <Table.Td>{localText(item.typeNames, language)}</Table.Td>
              <Table.Td>
                {localText(item.stateNames, language)}
                {item.phase !== 'open' ? <div className="mf-small mf-muted">{t(`cases.phases.${item.phase}`)}</div> : null}
              </Table.Td>
              <Table.Td className="mf-num mf-nowrap"><AgeText days={item.ageDays} /></Table.Td>
              <Table.Td className="mf-nowrap"><DueDate value={item.nextDueOn} overdue={item.overdue} /></Table.Td>
              <Table.Td>{item.assigneeName ?? <span className="mf-muted">{t('cases.unassigned')}</span>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
