import { Button, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  fetchForeignPopulation,
  fetchImmigration,
  foreignPopulationFileUrl,
  immigrationFileUrl,
} from '../api/endpoints';
import type { ForeignPopulation, Immigration, SpreadsheetFormat } from '../api/types';
import { BarChart } from '../components/BarChart';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { ISO_DATE_RE } from '../components/register/common';
import { RequirePermission } from '../components/RequirePermission';
import { currentLanguage } from '../i18n';
import { formatCount, formatDate } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';
import type de from '../i18n/de.json';

/**
 * The office's key figures, laid out like the published "Kurzportrait" (section 5): table 1 the
 * foreign population on a date, table 2 the immigration in a period. Each figure cell carries its
 * key path (`data-figure="permanent.C"`) and the raw number (`data-value`).
 */

type Figures = (typeof de)['keyFigures'];
type FigureLabel =
  | `keyFigures.stock.rows.${keyof Figures['stock']['rows']}`
  | `keyFigures.stock.other.${Exclude<keyof Figures['stock']['other'], 'heading'>}`
  | `keyFigures.immigration.rows.${keyof Figures['immigration']['rows']}`;

interface FigureRow {
  /** Key path into the API's answer, e.g. "permanent.C". */
  path: string;
  label: FigureLabel;
  /** Section total ("1. Ständige …"): numbered and bold. */
  section?: number;
}

const STOCK_ROWS: readonly FigureRow[] = [
  { path: 'permanent.total', label: 'keyFigures.stock.rows.permanent', section: 1 },
  { path: 'permanent.C', label: 'keyFigures.stock.rows.C' },
  { path: 'permanent.B', label: 'keyFigures.stock.rows.B' },
  { path: 'permanent.L_over_12_months', label: 'keyFigures.stock.rows.L_over_12_months' },
  { path: 'nonPermanent.total', label: 'keyFigures.stock.rows.nonPermanent', section: 2 },
  { path: 'nonPermanent.L_up_to_12_months', label: 'keyFigures.stock.rows.L_up_to_12_months' },
  { path: 'asylum.total', label: 'keyFigures.stock.rows.asylum', section: 3 },
  { path: 'asylum.N', label: 'keyFigures.stock.rows.N' },
  { path: 'asylum.F', label: 'keyFigures.stock.rows.F' },
];

/** Counted by the API but not part of the published table. */
const OTHER_STOCK_ROWS: readonly FigureRow[] = [
  { path: 'other.S', label: 'keyFigures.stock.other.S' },
  { path: 'other.G', label: 'keyFigures.stock.other.G' },
  { path: 'other.Ci', label: 'keyFigures.stock.other.Ci' },
];

const IMMIGRATION_ROWS: readonly FigureRow[] = [
  { path: 'permanent.total', label: 'keyFigures.immigration.rows.permanent', section: 1 },
  { path: 'permanent.B_EU_EFTA_employment', label: 'keyFigures.immigration.rows.B_EU_EFTA_employment' },
  { path: 'permanent.family_EU_EFTA', label: 'keyFigures.immigration.rows.family_EU_EFTA' },
  { path: 'permanent.B_quota_croatia_service_providers', label: 'keyFigures.immigration.rows.B_quota_croatia_service_providers' },
  { path: 'permanent.quota_employment_non_EU', label: 'keyFigures.immigration.rows.quota_employment_non_EU' },
  { path: 'permanent.family_non_EU', label: 'keyFigures.immigration.rows.family_non_EU' },
  { path: 'permanent.recognised_refugees', label: 'keyFigures.immigration.rows.recognised_refugees' },
  { path: 'permanent.hardship', label: 'keyFigures.immigration.rows.hardship' },
  { path: 'permanent.students', label: 'keyFigures.immigration.rows.students' },
  { path: 'permanent.other', label: 'keyFigures.immigration.rows.other' },
  { path: 'permanent.without_employment', label: 'keyFigures.immigration.rows.without_employment' },
  { path: 'permanent.after_asylum_procedure', label: 'keyFigures.immigration.rows.after_asylum_procedure' },
  { path: 'nonPermanent.total', label: 'keyFigures.immigration.rows.nonPermanent', section: 2 },
  { path: 'nonPermanent.L_EU_EFTA_employment', label: 'keyFigures.immigration.rows.L_EU_EFTA_employment' },
  { path: 'nonPermanent.L_quota_non_EU', label: 'keyFigures.immigration.rows.L_quota_non_EU' },
  { path: 'nonPermanent.other', label: 'keyFigures.immigration.rows.nonPermanentOther' },
  { path: 'asylum.total', label: 'keyFigures.immigration.rows.asylum', section: 3 },
  { path: 'asylum.primary_applications', label: 'keyFigures.immigration.rows.primary_applications' },
  { path: 'asylum.secondary_applications', label: 'keyFigures.immigration.rows.secondary_applications' },
];

/** The number at a key path ("permanent.C"); 0 when the answer lacks it. */
function valueAt(figures: ForeignPopulation | Immigration, path: string): number {
  let node: unknown = figures;
  for (const key of path.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return typeof node === 'number' ? node : 0;
}

function dateParam(value: string | null): string {
  return value && ISO_DATE_RE.test(value) ? value : '';
}

/** Last calendar year: the period the office publishes. */
function lastYear(): number {
  return new Date().getFullYear() - 1;
}

export function KeyFiguresPage() {
  return (
    <RequirePermission permission="statistics:read">
      <KeyFigures />
    </RequirePermission>
  );
}

type Param = 'date' | 'from' | 'to';

function KeyFigures() {
  const { t } = useTranslation();
  usePageTitle(t('keyFigures.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const year = lastYear();
  const defaults: Record<Param, string> = { date: `${String(year)}-12-31`, from: `${String(year)}-01-01`, to: `${String(year)}-12-31` };
  const date = dateParam(searchParams.get('date')) || defaults.date;
  const from = dateParam(searchParams.get('from')) || defaults.from;
  const to = dateParam(searchParams.get('to')) || defaults.to;

  // The dates live in the address, so a view can be bookmarked and survives a reload.
  const setParam = (key: Param, value: string) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value && value !== defaults[key]) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  return (
    <Stack gap="lg" data-testid="key-figures">
      <Title order={1}>{t('keyFigures.title')}</Title>
      <Text>{t('keyFigures.intro')}</Text>
      <StockSection date={date} onDate={(value) => { setParam('date', value); }} />
      <ImmigrationSection from={from} to={to} onFrom={(value) => { setParam('from', value); }} onTo={(value) => { setParam('to', value); }} />
    </Stack>
  );
}

/**
 * A date field that applies only complete dates. It keeps what the user typed (also while
 * incomplete) and follows the applied value when that changes from elsewhere (back/forward).
 */
function useDateDraft(applied: string, apply: (value: string) => void) {
  const [draft, setDraft] = useState(applied);
  const [shown, setShown] = useState(applied);
  if (shown !== applied) {
    setShown(applied);
    setDraft(applied);
  }
  const onChange = (value: string) => {
    setDraft(value);
    if (ISO_DATE_RE.test(value)) apply(value);
  };
  return { draft, onChange, complete: ISO_DATE_RE.test(draft) };
}

// ---- table 1: foreign population on a date ---------------------------------------------------

function StockSection({ date, onDate }: { date: string; onDate: (value: string) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const headingId = useId();
  const field = useDateDraft(date, onDate);
  const result = useQuery({
    queryKey: ['statistics', 'foreign-population', date],
    queryFn: ({ signal }) => fetchForeignPopulation(date, signal),
    placeholderData: keepPreviousData,
  });
  const figures = result.data;
  const shownDate = formatDate(figures?.date ?? date, language);
  const title = t('keyFigures.stock.caption', { date: shownDate });

  return (
    <section aria-labelledby={headingId} className="mf-panel mf-figures" data-testid="stock-section">
      <h2 id={headingId} className="mf-section-title">
        {t('keyFigures.stock.heading')} <span className="mf-figures-when">{t('keyFigures.stock.on', { date: shownDate })}</span>
      </h2>
      <Text size="sm" mt="xs">{t('keyFigures.stock.explanation')}</Text>
      <div className="mf-figures-controls">
        <TextInput type="date" name="date" size="sm" label={t('keyFigures.stock.date')} value={field.draft}
          onChange={(event) => { field.onChange(event.currentTarget.value); }}
          error={field.complete ? undefined : t('form.dateRequired')} />
        <Downloads testIdPrefix="stock" name={title} url={(format) => foreignPopulationFileUrl(date, format)} />
      </div>
      <FiguresBody query={result} title={title}>
        {figures ? (
          <>
            <FiguresTable testId="stock-table" rows={STOCK_ROWS} figures={figures} caption={title} dataDate={figures.date} />
            <BarChart testId="stock-chart" title={t('keyFigures.chart', { table: title })} format={(v) => formatCount(v, language)}
              data={chartData(STOCK_ROWS, figures, t)} />
            <div className="mf-figures-other">
              <h3 className="mf-subheading">{t('keyFigures.stock.other.heading')}</h3>
              <FiguresTable testId="stock-other-table" rows={OTHER_STOCK_ROWS} figures={figures}
                caption={t('keyFigures.stock.other.heading')} dataDate={figures.date} />
            </div>
          </>
        ) : null}
      </FiguresBody>
    </section>
  );
}

// ---- table 2: immigration in a period --------------------------------------------------------

function ImmigrationSection({ from, to, onFrom, onTo }: { from: string; to: string; onFrom: (value: string) => void; onTo: (value: string) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const headingId = useId();
  const fromField = useDateDraft(from, onFrom);
  const toField = useDateDraft(to, onTo);
  const rangeInvalid = from > to;
  const result = useQuery({
    queryKey: ['statistics', 'immigration', from, to],
    queryFn: ({ signal }) => fetchImmigration(from, to, signal),
    placeholderData: keepPreviousData,
    enabled: !rangeInvalid,
  });
  const figures = rangeInvalid ? undefined : result.data;
  const period = { from: formatDate(figures?.from ?? from, language), to: formatDate(figures?.to ?? to, language) };
  const title = t('keyFigures.immigration.caption', period);

  return (
    <section aria-labelledby={headingId} className="mf-panel mf-figures" data-testid="immigration-section">
      <h2 id={headingId} className="mf-section-title">
        {t('keyFigures.immigration.heading')} <span className="mf-figures-when">{t('keyFigures.immigration.period', period)}</span>
      </h2>
      <Text size="sm" mt="xs">{t('keyFigures.immigration.explanation')}</Text>
      <div className="mf-figures-controls">
        <TextInput type="date" name="from" size="sm" label={t('keyFigures.immigration.from')} value={fromField.draft}
          onChange={(event) => { fromField.onChange(event.currentTarget.value); }}
          error={fromField.complete ? undefined : t('form.dateRequired')} />
        <TextInput type="date" name="to" size="sm" label={t('keyFigures.immigration.to')} value={toField.draft}
          onChange={(event) => { toField.onChange(event.currentTarget.value); }}
          error={!toField.complete ? t('form.dateRequired') : rangeInvalid ? t('keyFigures.immigration.rangeInvalid') : undefined} />
        {rangeInvalid ? null : (
          <Downloads testIdPrefix="immigration" name={title} url={(format) => immigrationFileUrl(from, to, format)} />
        )}
      </div>
      {rangeInvalid ? null : (
        <FiguresBody query={result} title={title}>
          {figures ? (
            <>
              <FiguresTable testId="immigration-table" rows={IMMIGRATION_ROWS} figures={figures} caption={title}
                dataDate={`${figures.from}/${figures.to}`} />
              <BarChart testId="immigration-chart" title={t('keyFigures.chart', { table: title })} format={(v) => formatCount(v, language)}
                data={chartData(IMMIGRATION_ROWS, figures, t)} />
            </>
          ) : null}
        </FiguresBody>
      )}
    </section>
  );
}

// ---- shared parts ------------------------------------------------------------------------------

function chartData(rows: readonly FigureRow[], figures: ForeignPopulation | Immigration, t: TFunction) {
  return rows.map((row) => ({
    key: row.path,
    label: row.section ? `${String(row.section)}. ${t(row.label)}` : t(row.label),
    value: valueAt(figures, row.path),
    total: Boolean(row.section),
    level: row.section ? (0 as const) : (1 as const),
  }));
}

function FiguresBody({ query, title, children }: {
  query: { isPending: boolean; isError: boolean; isFetching: boolean; error: unknown; refetch: () => unknown };
  title: string;
  children: ReactNode;
}) {
  return (
    <>
      {query.isPending ? <Loading /> : null}
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
      <div className="mf-figures-body" aria-busy={query.isFetching || undefined} aria-label={title} role="group">
        {children}
      </div>
    </>
  );
}

function FiguresTable({ testId, rows, figures, caption, dataDate }: {
  testId: string;
  rows: readonly FigureRow[];
  figures: ForeignPopulation | Immigration;
  caption: string;
  dataDate: string;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <div className="mf-figures-table-wrap">
      <Table verticalSpacing={6} horizontalSpacing="sm" className="mf-figures-table" data-testid={testId} data-date={dataDate}>
        {/* The section heading says the same on screen. */}
        <caption className="sr-only">{caption}</caption>
        <Table.Thead className="sr-only">
          <Table.Tr>
            <Table.Th scope="col">{t('keyFigures.columns.figure')}</Table.Th>
            <Table.Th scope="col">{t('keyFigures.columns.persons')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const value = valueAt(figures, row.path);
            return (
              <Table.Tr key={row.path} className={row.section ? 'mf-figures-total' : 'mf-figures-item'}>
                <Table.Th scope="row">
                  {row.section ? (
                    `${String(row.section)}. ${t(row.label)}`
                  ) : (
                    <>
                      <span aria-hidden="true" className="mf-figures-bullet">♦ </span>
                      {t(row.label)}
                    </>
                  )}
                </Table.Th>
                <Table.Td className="mf-num mf-nowrap" data-figure={row.path} data-value={value}>
                  {formatCount(value, language)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function Downloads({ testIdPrefix, name, url }: { testIdPrefix: string; name: string; url: (format: SpreadsheetFormat) => string }) {
  const { t } = useTranslation();
  return (
    <div className="mf-figures-downloads">
      {(['csv', 'xlsx'] as const).map((format) => (
        <Button key={format} component="a" href={url(format)} download variant="default" size="sm"
          data-testid={`${testIdPrefix}-${format}`}>
          {t(`keyFigures.download.${format}`)}
          <span className="sr-only">: {name}</span>
        </Button>
      ))}
    </div>
  );
}
