import { Alert, Button, Group, NativeSelect, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type QueryKey, type UseInfiniteQueryResult } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { fetchPartners, INBOX_STATUSES, OUTBOX_STATUSES, type ExchangeFilter, type InboxStatus, type OutboxStatus } from '../../api/exchange';
import { isVersionConflict, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { VersionConflictAlert } from '../VersionConflictAlert';

export const PARTNERS_KEY = ['exchange', 'partners'] as const;
export const INBOX_KEY = ['exchange', 'inbox'] as const;
export const OUTBOX_KEY = ['exchange', 'outbox'] as const;

/** The office's partners (for names and the partner filter). */
export function usePartners() {
  return useQuery({ queryKey: PARTNERS_KEY, queryFn: ({ signal }) => fetchPartners(signal), staleTime: 60_000 });
}

const EVENT_KEYS = [
  'baseDelivery', 'moveIn', 'birth', 'move', 'moveOut', 'changeName', 'correctName', 'marriage', 'partnership', 'divorce', 'undoPartnership',
  'undoMarriage', 'correctMaritalInfo', 'changeNationality', 'correctNationality', 'naturalizeForeigner', 'death', 'changeResidencePermit',
  'correctResidencePermit', 'correctIdentification', 'correctBirthInfo', 'negativeReport', 'tenancyReport',
] as const;
type EventKey = (typeof EVENT_KEYS)[number];

function isEventKey(value: string): value is EventKey {
  return (EVENT_KEYS as readonly string[]).includes(value);
}

/** An eCH-0020 event in plain words ("Zuzug"); an event the UI does not know keeps its name. */
export function eventLabel(type: string | null, t: TFunction): string {
  if (!type) return t('exchange.events.unknown');
  return isEventKey(type) ? t(`exchange.events.${type}`) : type;
}

export function isInboxStatus(value: unknown): value is InboxStatus {
  return typeof value === 'string' && (INBOX_STATUSES as readonly string[]).includes(value);
}

export function isOutboxStatus(value: unknown): value is OutboxStatus {
  return typeof value === 'string' && (OUTBOX_STATUSES as readonly string[]).includes(value);
}

/** A received message's status in words (an unknown one keeps its name). */
export function inboxStatusLabel(status: string, t: TFunction): string {
  return isInboxStatus(status) ? t(`exchange.inboxStatus.${status}`) : status;
}

/** A status in words, as a tag; the ones that need someone's attention stand out (not by colour alone: the word says it). */
function StatusTag({ status, label, alert, current }: { status: string; label: string; alert: string; current: string }) {
  return <span className={status === alert ? 'mf-tag mf-tag--alert' : status === current ? 'mf-tag mf-tag--current' : 'mf-tag'} data-status={status}>{label}</span>;
}

export function InboxStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <StatusTag status={status} label={inboxStatusLabel(status, t)} alert="quarantined" current="applied" />;
}

export function OutboxStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <StatusTag status={status} label={isOutboxStatus(status) ? t(`exchange.outboxStatus.${status}`) : status} alert="failed" current="acknowledged" />;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partner filter of the address (?partner=…), when it is a well-formed id (else the API would answer 400). */
export function partnerParam(params: URLSearchParams): string | undefined {
  const value = params.get('partner') ?? '';
  return UUID_RE.test(value) ? value : undefined;
}

/** The partner filter: every partner of the office, by name. */
function PartnerSelect({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const partners = usePartners();
  return (
    <NativeSelect name="partner" size="sm" label={t('exchange.filters.partner')} value={value} onChange={(event) => { onChange(event.currentTarget.value); }}>
      <option value="">{t('exchange.filters.allPartners')}</option>
      {(partners.data ?? []).map((partner) => (
        <option key={partner.id} value={partner.id}>{partner.name}</option>
      ))}
    </NativeSelect>
  );
}

type FilterKey = 'status' | 'partner';

/**
 * The filters of a list live in the address (?status=…&partner=…), so that a link opens the same
 * list; the status the list shows without a filter (`defaultStatus`) is left out of it.
 */
export function useFilterParams(defaultStatus?: string) {
  const [params, setParams] = useSearchParams();
  const setFilter = (key: FilterKey, value: string) => {
    const next = new URLSearchParams(params);
    if (value && !(key === 'status' && value === defaultStatus)) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true, preventScrollReset: true });
  };
  return [params, setFilter] as const;
}

/** The filters above a list: the status (the view gives its options) and the partner. */
export function FilterBar({ status, partner, onChange, children }: { status: string; partner: string; onChange: (key: FilterKey, value: string) => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <form className="mf-panel mf-filter-bar" role="search" aria-label={t('exchange.filters.label')} onSubmit={(event) => { event.preventDefault(); }}>
      <NativeSelect name="status" size="sm" label={t('exchange.filters.status')} value={status} onChange={(event) => { onChange('status', event.currentTarget.value); }}>
        {children}
      </NativeSelect>
      <PartnerSelect value={partner} onChange={(value) => { onChange('partner', value); }} />
    </form>
  );
}

interface CursorPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** A list of messages a page at a time (by cursor); while another filter loads, the last list stays. */
export function useExchangeList<Item, Page extends CursorPage<Item>>(
  queryKey: QueryKey,
  filter: ExchangeFilter,
  fetchPage: (filter: ExchangeFilter, cursor: string | undefined, signal: AbortSignal) => Promise<Page & CursorPage<Item>>,
) {
  const result = useInfiniteQuery({
    queryKey: [...queryKey, filter],
    queryFn: ({ pageParam, signal }) => fetchPage(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  /** The first page (with what the list says beside its items: the counts, the partners' state). */
  const first: Page | undefined = result.data?.pages[0];
  const items: Item[] | undefined = result.data?.pages.flatMap((page) => page.items);
  return { result, items, first };
}

/**
 * What came of an action on a message: the outcome (after it the row may leave the list) and a
 * refusal each take the focus when they appear (the busy button lost it); after a version
 * conflict the list loads again and its count takes the focus.
 */
export function useActionFeedback(listKey: QueryKey) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLParagraphElement>(null);
  const announce = (text: string) => {
    setNotice(text);
    requestAnimationFrame(() => noticeRef.current?.focus());
  };
  return {
    notice, error, noticeRef, problemRef, countRef,
    /** Before an action: the last outcome and refusal go. */
    clear: () => { setError(null); setNotice(''); },
    clearProblem: () => { setError(null); },
    /** The action went through: its outcome is announced, the list loads again. */
    done: async (text: string) => {
      announce(text);
      await queryClient.invalidateQueries({ queryKey: listKey });
    },
    /** A refused action: the message takes the focus (the busy button lost it). */
    showProblem: (problem: unknown) => {
      setError(problem);
      requestAnimationFrame(() => problemRef.current?.focus());
    },
    /** The list is out of date: it loads again and its count takes the focus. */
    reload: async () => {
      setError(null);
      await queryClient.invalidateQueries({ queryKey: listKey });
      requestAnimationFrame(() => countRef.current?.focus());
    },
  };
}

type ActionFeedback = ReturnType<typeof useActionFeedback>;

interface MessageListProps<Item> {
  list: { result: UseInfiniteQueryResult; items: Item[] | undefined };
  feedback: ActionFeedback;
  countTestId: string;
  moreTestId: string;
  /** The rows, when there are any; `busy` while another filter loads. */
  children: (items: Item[], busy: boolean) => ReactNode;
}

/**
 * A paged list of messages: the outcome of an action and a refusal (each takes the focus when it
 * appears), how many, the first page loading or failing, the rows, a failed next page and "load more".
 * A version conflict says the message was dealt with meanwhile (the same words for a received and a sent one).
 */
export function MessageList<Item>({ list: { result, items }, feedback: { notice, noticeRef, error, problemRef, countRef, reload }, countTestId, moreTestId, children }: MessageListProps<Item>) {
  const { t } = useTranslation();
  return (
    <>
      <div>
        <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid="exchange-notice">{notice}</div>
        <div ref={problemRef} tabIndex={-1}>
          <ActionProblem error={error} conflictTitle={t('exchange.inbox.conflictTitle')} conflictBody={t('exchange.inbox.conflictBody')} reload={reload} />
        </div>
      </div>

      <p ref={countRef} tabIndex={-1} className="mf-result-count" role="status" aria-live="polite" data-testid={countTestId}>
        {items ? (items.length === 0 ? t('exchange.common.none') : result.hasNextPage ? t('exchange.common.countMore', { count: items.length }) : t('exchange.common.count', { count: items.length })) : ''}
      </p>
      {result.isPending ? <Loading /> : null}
      {result.isError && !items ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items && items.length > 0 ? children(items, result.isFetching && !result.isFetchingNextPage) : null}
      {result.isFetchNextPageError ? <ErrorState error={result.error} onRetry={() => void result.fetchNextPage()} /> : null}
      {result.hasNextPage ? (
        <div>
          <Button variant="default" onClick={() => void result.fetchNextPage()} loading={result.isFetchingNextPage} data-testid={moreTestId}>{t('exchange.common.loadMore')}</Button>
        </div>
      ) : null}
    </>
  );
}

/** What a view's table of messages is given (and its own actions besides). */
export interface MessageRowsProps<Item> {
  items: Item[];
  /** Another filter loads. */
  busy: boolean;
  canManage: boolean;
  /** The message whose action is under way. */
  pending: string | null;
  onDownload: (item: Item) => void;
}

/** A table of messages: a scrollable region named by its caption, busy while another filter loads; `children` are the rows. */
export function MessageTable({ caption, columns, busy, children }: { caption: string; columns: readonly string[]; busy: boolean; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" aria-busy={busy || undefined}>
        <caption id={captionId} className="sr-only">{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => <Table.Th key={index} scope="col">{column}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </div>
  );
}

/** Screen-reader-only context for a button in a table row ("Reject (message from …)"); the visible label stays first. */
export function RowContext({ children }: { children: ReactNode }) {
  return <span className="sr-only"> {children}</span>;
}

/** A message row's actions: the view's own (`children`), then "Download"; each button names its row for screen readers (`what`). */
export function RowActions({ what, onDownload, downloadTestId, children }: { what: string; onDownload: () => void; downloadTestId: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Table.Td>
      <Group gap={6} wrap="wrap">
        {children}
        <Button size="compact-sm" variant="subtle" onClick={onDownload} data-testid={downloadTestId}>
          {t('exchange.common.download')}<RowContext>{what}</RowContext>
        </Button>
      </Group>
    </Table.Td>
  );
}

/** Links to the persons a message is about. */
export function PersonLinks({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return null;
  if (ids.length === 1) return <Link to={`/persons/${encodeURIComponent(ids[0]!)}`}>{t('exchange.common.personLinkOne')}</Link>;
  return (
    <ul className="mf-plain-list">
      {ids.map((id, index) => (
        <li key={id}><Link to={`/persons/${encodeURIComponent(id)}`}>{t('exchange.common.personLink', { n: index + 1 })}</Link></li>
      ))}
    </ul>
  );
}

/**
 * A refused or failed action on a message or partner: a version conflict (someone else was
 * quicker) with a reload, the API's sentence for another refusal, or the generic error.
 */
export function ActionProblem({ error, conflictTitle, conflictBody, reload }: { error: unknown; conflictTitle: string; conflictBody: string; reload: () => Promise<void> }) {
  if (!error) return null;
  // "Not (or no longer) in quarantine" is the same situation in other words: the list is out of date.
  if (isVersionConflict(error) || (isApiError(error) && error.code === 'exchange-not-quarantined')) {
    return <VersionConflictAlert title={conflictTitle} body={isApiError(error) && error.code === 'exchange-not-quarantined' ? `${refusalText(error) ?? ''} ${conflictBody}` : conflictBody} reload={reload} />;
  }
  const refusal = refusalText(error);
  if (refusal) {
    return (
      <Alert color="accent" variant="light" role="alert" data-testid="exchange-refused" data-code={isApiError(error) ? error.code : undefined}>
        <Text size="sm">{refusal}</Text>
      </Alert>
    );
  }
  return <ErrorState error={error} />;
}

export { ResponsiveDialog as ExchangeDialog } from '../ResponsiveDialog';

