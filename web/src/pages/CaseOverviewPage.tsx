import { NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { AGE_BUCKETS, fetchCaseOverview, type AgeBucket, type CaseOverview, type OverviewDeadline } from '../api/cases';
import { BarChart } from '../components/BarChart';
import { caseOverviewKey } from '../components/cases/caseQueries';
import { AgeText, DueDate, localText } from '../components/cases/common';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { isKnownDeadlineKind } from '../components/register/deadlines';
import { RequirePermission } from '../components/RequirePermission';
import { currentLanguage, type Language } from '../i18n';
import { formatCount } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

export function CaseOverviewPage() {
  return (
    <RequirePermission permission="cases:lead">
      <CaseOverviewView />
    </RequirePermission>
  );
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** 'YYYY-Www' (ISO week) in words: "KW 14/2026", "Week 14, 2026". */
function weekLabel(week: string, t: TFunction): string {
  const match = WEEK_RE.exec(week);
  if (!match) return week;
  return t('caseOverview.week', { week: Number(match[2]), year: match[1] });
}

function CaseOverviewView() {
  const { t } = useTranslation();
  usePageTitle(t('caseOverview.title'));
  const language = currentLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const unit = searchParams.get('unit') ?? '';
  const queryClient = useQueryClient();
  const result = useQuery({
    queryKey: caseOverviewKey(unit),
    queryFn: ({ signal }) => fetchCaseOverview(unit || undefined, signal),
    placeholderData: keepPreviousData,
  });
  const data = result.data;

  // The units of the office's backlog (from any overview loaded so far) and the chosen one.
  const units = new Map<string, string>();
  for (const [, overview] of queryClient.getQueriesData<CaseOverview>({ queryKey: ['cases', 'overview'] })) {
    for (const entry of overview?.backlog ?? []) units.set(entry.unitId, entry.unitName);
  }
  if (unit && !units.has(unit)) units.set(unit, unit);

  return (
    <Stack gap="md" data-testid="case-overview">
      <Title order={1}>{t('caseOverview.title')}</Title>
      <Text>{t('caseOverview.intro')}</Text>
      <div className="mf-panel mf-filter-bar" role="group" aria-label={t('caseOverview.filters')}>
        <NativeSelect name="unit" size="sm" label={t('cases.queue.unit')} value={unit}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setSearchParams((previous) => {
              const next = new URLSearchParams(previous);
              if (value) next.set('unit', value);
              else next.delete('unit');
              return next;
            }, { replace: true, preventScrollReset: true });
          }}>
          <option value="">{t('cases.queue.allUnits')}</option>
          {[...units].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </NativeSelect>
      </div>
      {result.isPending ? <Loading /> : null}
      {result.isError && !data ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {data ? (
        <div className="mf-overview" aria-busy={result.isFetching || undefined}>
          <Backlog data={data} language={language} />
          <div className="mf-overview-pair">
            <DeadlineList id="overdue" title={t('caseOverview.overdue')} empty={t('caseOverview.noOverdue')} items={data.overdue} overdue />
            <DeadlineList id="soon-due" title={t('caseOverview.soonDue')} empty={t('caseOverview.noSoonDue')} items={data.soonDue} />
          </div>
          <AwaitingApproval data={data} language={language} />
          <Decisions data={data} language={language} />
          <ProcessingTimes data={data} language={language} />
        </div>
      ) : null}
    </Stack>
  );
}

function Part({ id, title, children, testId }: { id: string; title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="mf-panel" aria-labelledby={`${id}-heading`} data-testid={testId}>
      <h2 id={`${id}-heading`} className="mf-section-title mf-section-title--spaced">{title}</h2>
      {children}
    </section>
  );
}

function Backlog({ data, language }: { data: CaseOverview; language: Language }) {
  const { t } = useTranslation();
  const captionId = useId();
  const rows = new Map<string, { unitName: string; typeName: string; counts: Record<AgeBucket, number> }>();
  for (const entry of data.backlog) {
    const key = `${entry.unitId}|${entry.typeSlug}`;
    const row = rows.get(key) ?? { unitName: entry.unitName, typeName: localText(entry.typeNames, language), counts: { '0-30': 0, '31-90': 0, '91-180': 0, '181+': 0 } };
    row.counts[entry.ageBucket] += entry.count;
    rows.set(key, row);
  }
  const sorted = [...rows.entries()].sort((a, b) => a[1].unitName.localeCompare(b[1].unitName) || a[1].typeName.localeCompare(b[1].typeName));
  const totals = AGE_BUCKETS.map((bucket) => sorted.reduce((sum, [, row]) => sum + row.counts[bucket], 0));
  const sum = (counts: Record<AgeBucket, number>) => AGE_BUCKETS.reduce((total, bucket) => total + counts[bucket], 0);
  const count = (value: number) => formatCount(value, language);
  return (
    <Part id="backlog" title={t('caseOverview.backlog')} testId="overview-backlog">
      {sorted.length === 0 ? <Text>{t('caseOverview.noBacklog')}</Text> : (
        <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <Table verticalSpacing="xs" horizontalSpacing="sm">
            <caption id={captionId} className="sr-only">{t('caseOverview.backlogCaption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.header.unit')}</Table.Th>
                <Table.Th scope="col">{t('cases.columns.type')}</Table.Th>
                {AGE_BUCKETS.map((bucket) => <Table.Th key={bucket} scope="col" className="mf-num">{t(`caseOverview.buckets.${bucket}`)}</Table.Th>)}
                <Table.Th scope="col" className="mf-num">{t('caseOverview.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map(([key, row]) => (
                <Table.Tr key={key} data-testid="backlog-row">
                  <Table.Td>{row.unitName}</Table.Td>
                  <Table.Th scope="row">{row.typeName}</Table.Th>
                  {AGE_BUCKETS.map((bucket) => (
                    <Table.Td key={bucket} className={bucket === '181+' && row.counts[bucket] > 0 ? 'mf-num mf-strong' : 'mf-num'}>{count(row.counts[bucket])}</Table.Td>
                  ))}
                  <Table.Td className="mf-num mf-strong">{count(sum(row.counts))}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr className="mf-total-row">
                <Table.Th scope="row" colSpan={2}>{t('caseOverview.total')}</Table.Th>
                {totals.map((value, index) => <Table.Td key={AGE_BUCKETS[index]} className="mf-num">{count(value)}</Table.Td>)}
                <Table.Td className="mf-num">{count(totals.reduce((a, b) => a + b, 0))}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Part>
  );
}

function deadlineKindText(kind: string, t: TFunction): string {
  return isKnownDeadlineKind(kind) ? t(`deadlines.kinds.${kind}`) : kind.replace(/-/g, ' ');
}

function DeadlineList({ id, title, empty, items, overdue = false }: { id: string; title: string; empty: string; items: OverviewDeadline[]; overdue?: boolean }) {
  const { t } = useTranslation();
  const sorted = [...items].sort((a, b) => a.workingDueDate.localeCompare(b.workingDueDate));
  return (
    <Part id={id} title={`${title} (${String(items.length)})`} testId={`overview-${id}`}>
      {sorted.length === 0 ? <Text>{empty}</Text> : (
        <ul className="mf-plain-list">
          {sorted.map((item, index) => (
            <li key={`${item.caseId}-${item.kind}-${String(index)}`} className="mf-list-row" data-testid="overview-deadline">
              <Link to={`/cases/${encodeURIComponent(item.caseId)}`}>{item.reference}</Link>
              <span> · {item.personName}</span>
              <div className="mf-small">
                {deadlineKindText(item.kind, t)} · <DueDate value={item.workingDueDate} overdue={overdue} />
              </div>
              {item.legalBasis ? <div className="mf-small mf-muted">{item.legalBasis}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </Part>
  );
}

function AwaitingApproval({ data, language }: { data: CaseOverview; language: Language }) {
  const { t } = useTranslation();
  return (
    <Part id="approval" title={`${t('caseOverview.awaitingApproval')} (${String(data.awaitingApproval.length)})`} testId="overview-approval">
      {data.awaitingApproval.length === 0 ? <Text>{t('caseOverview.noApproval')}</Text> : (
        <ul className="mf-plain-list">
          {data.awaitingApproval.map((item) => (
            <li key={item.id} className="mf-list-row" data-testid="overview-approval-item">
              <Link to={`/cases/${encodeURIComponent(item.id)}#steps`}>{item.reference}</Link>
              <span> · {item.personName} · {localText(item.typeNames, language)}</span>
              <div className="mf-small mf-muted">
                {localText(item.stateNames, language)} · <AgeText days={item.ageDays} />
                {item.assigneeName ? <> · {item.assigneeName}</> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Part>
  );
}

function Decisions({ data, language }: { data: CaseOverview; language: Language }) {
  const { t } = useTranslation();
  const captionId = useId();
  const weeks = [...data.decisionsPerWeek].sort((a, b) => a.week.localeCompare(b.week));
  const count = (value: number) => formatCount(value, language);
  return (
    <Part id="decisions" title={t('caseOverview.decisions')} testId="overview-decisions">
      {weeks.length === 0 ? <Text>{t('caseOverview.noDecisions')}</Text> : (
        <div className="mf-figures-body mf-figures-body--even">
          <BarChart title={t('caseOverview.decisions')} format={count} testId="decisions-chart"
            data={weeks.map((week) => ({ key: week.week, label: weekLabel(week.week, t), value: week.positive + week.negative }))} />
          <div className="mf-table-scroll mf-table-scroll--narrow" role="region" aria-labelledby={captionId} tabIndex={0}>
            <Table verticalSpacing="xs" horizontalSpacing="sm">
              <caption id={captionId} className="sr-only">{t('caseOverview.decisionsCaption')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('caseOverview.weekColumn')}</Table.Th>
                  <Table.Th scope="col" className="mf-num">{t('caseOverview.positive')}</Table.Th>
                  <Table.Th scope="col" className="mf-num">{t('caseOverview.negative')}</Table.Th>
                  <Table.Th scope="col" className="mf-num">{t('caseOverview.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {weeks.map((week) => (
                  <Table.Tr key={week.week} data-testid="decisions-week" data-week={week.week}>
                    <Table.Th scope="row">{weekLabel(week.week, t)}</Table.Th>
                    <Table.Td className="mf-num">{count(week.positive)}</Table.Td>
                    <Table.Td className="mf-num">{count(week.negative)}</Table.Td>
                    <Table.Td className="mf-num mf-strong">{count(week.positive + week.negative)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        </div>
      )}
    </Part>
  );
}

function ProcessingTimes({ data, language }: { data: CaseOverview; language: Language }) {
  const { t } = useTranslation();
  const captionId = useId();
  const days = (value: number | null) => (value === null ? '–' : t('cases.ageDays', { count: Math.round(value) }));
  return (
    <Part id="processing" title={t('caseOverview.processing')} testId="overview-processing">
      <Text size="sm" mb="sm">{t('caseOverview.processingIntro')}</Text>
      {data.processingTimes.length === 0 ? <Text>{t('caseOverview.noDecisions')}</Text> : (
        <div className="mf-table-scroll mf-table-scroll--narrow" role="region" aria-labelledby={captionId} tabIndex={0}>
          <Table verticalSpacing="xs" horizontalSpacing="sm">
            <caption id={captionId} className="sr-only">{t('caseOverview.processing')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.columns.type')}</Table.Th>
                <Table.Th scope="col" className="mf-num">{t('caseOverview.decided')}</Table.Th>
                <Table.Th scope="col" className="mf-num">{t('caseOverview.median')}</Table.Th>
                <Table.Th scope="col" className="mf-num">{t('caseOverview.p90')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.processingTimes.map((row) => (
                <Table.Tr key={row.typeSlug} data-testid="processing-row">
                  <Table.Th scope="row">{localText(row.typeNames, language)}</Table.Th>
                  <Table.Td className="mf-num">{formatCount(row.decided, language)}</Table.Td>
                  <Table.Td className="mf-num">{days(row.medianDays)}</Table.Td>
                  <Table.Td className="mf-num">{days(row.p90Days)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Part>
  );
}
