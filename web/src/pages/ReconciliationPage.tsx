import { Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchReconciliation } from '../api/endpoints';
import type { ReconciliationItem, ReconciliationKind } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { DateText, NotRecorded } from '../components/register/common';
import { usePageTitle } from '../lib/usePageTitle';

const KINDS: readonly ReconciliationKind[] = ['reported-not-registered', 'registered-but-moved-out'];
const REPORTER_KINDS = ['landlord', 'host', 'collective-household', 'employer', 'utility'] as const;
type ReporterKind = (typeof REPORTER_KINDS)[number];

function isReporterKind(value: string): value is ReporterKind {
  return (REPORTER_KINDS as readonly string[]).includes(value);
}

export function ReconciliationPage() {
  const { t } = useTranslation();
  usePageTitle(t('reconciliation.title'));
  const result = useQuery({
    queryKey: ['register', 'reconciliation'],
    queryFn: ({ signal }) => fetchReconciliation(signal),
  });
  const items = result.data;

  return (
    <Stack gap="md">
      <Title order={1}>{t('reconciliation.title')}</Title>
      <Text>{t('reconciliation.intro')}</Text>
      {result.isPending ? <Loading /> : null}
      {result.isError ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {items
        ? KINDS.map((kind) => (
            <ReconciliationGroup key={kind} kind={kind} items={items.filter((item) => item.kind === kind)} />
          ))
        : null}
    </Stack>
  );
}

function ReconciliationGroup({ kind, items }: { kind: ReconciliationKind; items: ReconciliationItem[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="mf-panel" data-testid="reconciliation-group" data-kind={kind}>
      <h2 id={headingId} className="mf-section-title">
        {t(`reconciliation.kinds.${kind}.title`)} <span className="mf-count">({items.length})</span>
      </h2>
      <Text size="sm" mb="sm">{t(`reconciliation.kinds.${kind}.body`)}</Text>
      {items.length === 0 ? (
        <Text className="mf-muted">{t('reconciliation.none')}</Text>
      ) : (
        <div className="mf-table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
          <Table verticalSpacing="xs" horizontalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reconciliation.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('reconciliation.columns.address')}</Table.Th>
                <Table.Th scope="col">{t('reconciliation.columns.reporter')}</Table.Th>
                <Table.Th scope="col">{t('reconciliation.columns.lease')}</Table.Th>
                <Table.Th scope="col">{t('reconciliation.columns.since')}</Table.Th>
                <Table.Th scope="col">{t('reconciliation.columns.person')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={`${item.reportId}-${item.personId ?? ''}`} data-testid="reconciliation-row">
                  <Table.Th scope="row">{item.officialName} {item.firstNames}</Table.Th>
                  <Table.Td>
                    {[item.street, item.houseNumber].filter(Boolean).join(' ') || <NotRecorded />}
                    {item.egid !== null || item.ewid !== null ? (
                      <div className="mf-muted mf-small">
                        {t('reconciliation.egidEwid', { egid: item.egid ?? '–', ewid: item.ewid ?? '–' })}
                      </div>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {item.reporterName}
                    <div className="mf-muted mf-small">
                      {isReporterKind(item.reporterKind) ? t(`reconciliation.reporterKinds.${item.reporterKind}`) : item.reporterKind}
                    </div>
                  </Table.Td>
                  <Table.Td className="mf-nowrap">
                    {item.leaseStart || item.leaseEnd ? (
                      <>
                        {item.leaseStart ? <DateText value={item.leaseStart} /> : '…'}
                        {' – '}
                        {item.leaseEnd ? <DateText value={item.leaseEnd} /> : '…'}
                      </>
                    ) : (
                      <NotRecorded />
                    )}
                  </Table.Td>
                  <Table.Td className="mf-nowrap"><DateText value={item.since} /></Table.Td>
                  <Table.Td>
                    {item.personId ? (
                      <Link to={`/persons/${encodeURIComponent(item.personId)}`}>
                        {t('reconciliation.openFile')}
                        <span className="sr-only"> {item.officialName} {item.firstNames}</span>
                      </Link>
                    ) : (
                      <span className="mf-muted">{t('reconciliation.notInRegister')}</span>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </section>
  );
}
