import { Badge, Button, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchRetentionRun, fetchRetentionRules, fetchRetentionRuns, type RetentionRule } from '../api/privacy';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { RequirePermission } from '../components/RequirePermission';
import { currentLanguage } from '../i18n';
import { formatDate, formatTimestamp } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

/** Retention: the office's rules (period, effect, legal basis) and the report of every run. */
export function RetentionPage() {
  return (
    <RequirePermission permission="retention:read">
      <Retention />
    </RequirePermission>
  );
}

function Retention() {
  const { t } = useTranslation();
  usePageTitle(t('privacy.retention.title'));
  return (
    <Stack gap="md" data-testid="retention-page">
      <Title order={1}>{t('privacy.retention.title')}</Title>
      <Text>{t('privacy.retention.intro')}</Text>
      <Runs />
      <Rules />
    </Stack>
  );
}

function PeriodText({ rule }: { rule: RetentionRule }) {
  const { t } = useTranslation();
  if (!rule.period) return <>{t('privacy.retention.keep')}</>;
  const parts: string[] = [];
  if (rule.period.years > 0) parts.push(t('privacy.retention.years', { count: rule.period.years }));
  if (rule.period.months > 0) parts.push(t('privacy.retention.months', { count: rule.period.months }));
  if (rule.period.days > 0) parts.push(t('privacy.retention.days', { count: rule.period.days }));
  return <>{parts.join(' ')}</>;
}

function Rules() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const rules = useQuery({ queryKey: ['retention', 'rules'], queryFn: ({ signal }) => fetchRetentionRules(signal), staleTime: 10 * 60_000 });
  return (
    <section className="mf-panel" aria-labelledby="retention-rules-heading">
      <h2 id="retention-rules-heading" className="mf-section-title">{t('privacy.retention.rules')}</h2>
      {rules.isLoading ? <Loading /> : null}
      {rules.isError ? <ErrorState error={rules.error} onRetry={() => { void rules.refetch(); }} /> : null}
      {rules.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="retention-rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('privacy.retention.kind')}</Table.Th>
                <Table.Th>{t('privacy.retention.period')}</Table.Th>
                <Table.Th>{t('privacy.retention.effect')}</Table.Th>
                <Table.Th>{t('privacy.retention.legalBasis')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.rules.map((rule) => (
                <Table.Tr key={rule.id}>
                  <Table.Td>{t(`privacy.kinds.${rule.kind}`, { defaultValue: rule.kind })}</Table.Td>
                  <Table.Td><PeriodText rule={rule} /><Text size="xs" c="dimmed">{rule.startsAt[language]}</Text></Table.Td>
                  <Table.Td>{rule.effect[language]}</Table.Td>
                  <Table.Td>{rule.legalBasis[language]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </section>
  );
}

function Runs() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [open, setOpen] = useState<string | null>(null);
  const runs = useQuery({ queryKey: ['retention', 'runs'], queryFn: ({ signal }) => fetchRetentionRuns(signal) });
  return (
    <section className="mf-panel" aria-labelledby="retention-runs-heading">
      <h2 id="retention-runs-heading" className="mf-section-title">{t('privacy.retention.runs')}</h2>
      {runs.isLoading ? <Loading /> : null}
      {runs.isError ? <ErrorState error={runs.error} onRetry={() => { void runs.refetch(); }} /> : null}
      {runs.data && runs.data.length === 0 ? <Text>{t('privacy.retention.noRuns')}</Text> : null}
      {runs.data && runs.data.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table data-testid="retention-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('privacy.retention.asOf')}</Table.Th>
                <Table.Th>{t('privacy.retention.started')}</Table.Th>
                <Table.Th>{t('privacy.retention.triggeredBy')}</Table.Th>
                <Table.Th>{t('privacy.retention.removed')}</Table.Th>
                <Table.Th>{t('privacy.retention.held')}</Table.Th>
                <Table.Th><span className="sr-only">{t('privacy.retention.details')}</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>{formatDate(run.asOf, language)} {run.dryRun ? <Badge size="sm" variant="light">{t('privacy.retention.dryRun')}</Badge> : null}</Table.Td>
                  <Table.Td>{formatTimestamp(run.startedAt, language).text}</Table.Td>
                  <Table.Td>{run.triggeredBy}</Table.Td>
                  <Table.Td>{run.totals.reduce((sum, total) => sum + total.count, 0)}</Table.Td>
                  <Table.Td>{run.totals.reduce((sum, total) => sum + total.held, 0)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" aria-expanded={open === run.id} onClick={() => { setOpen(open === run.id ? null : run.id); }}>
                      {t('privacy.retention.details')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {open ? <RunDetail id={open} /> : null}
    </section>
  );
}

function RunDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const run = useQuery({ queryKey: ['retention', 'run', id], queryFn: ({ signal }) => fetchRetentionRun(id, signal) });
  if (run.isLoading) return <Loading />;
  if (run.isError) return <ErrorState error={run.error} />;
  if (!run.data) return null;
  return (
    <Stack gap="xs" mt="md" data-testid="retention-run-detail">
      {run.data.report.items.map((item) => (
        <div key={item.rule}>
          <Text fw={600}>{t(`privacy.kinds.${item.kind}`, { defaultValue: item.kind })}: {item.action === 'keep' ? t('privacy.retention.keep') : t('privacy.retention.itemCount', { count: item.count, held: item.heldIds.length })}</Text>
          {item.ids.length > 0 ? <Code block>{item.ids.join('\n')}</Code> : null}
          {item.heldIds.length > 0 ? (
            <>
              <Text size="sm">{t('privacy.retention.heldIds')}</Text>
              <Code block>{item.heldIds.join('\n')}</Code>
            </>
          ) : null}
        </div>
      ))}
    </Stack>
  );
}
