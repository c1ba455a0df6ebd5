import { Alert, Button, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { verifyAuditChains } from '../../api/audit';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';

/** Whether the office's audit chains are intact, as `migraflow audit verify` would say. */
export function ChainStatusPanel() {
  const { t, i18n } = useTranslation();
  // Verification reads the whole log: run it when asked, not on every visit of the page.
  const status = useQuery({ queryKey: ['audit', 'verify'], queryFn: ({ signal }) => verifyAuditChains(signal), enabled: false, retry: false });
  const checkedAt = status.data ? new Date(status.data.checkedAt).toLocaleString(i18n.language) : '';
  return (
    <section className="mf-panel" aria-labelledby="audit-chain-heading" data-testid="audit-chain">
      <Group justify="space-between" align="center" wrap="wrap">
        <Text fw={600} id="audit-chain-heading">{t('audit.chain.title')}</Text>
        <Button variant="default" size="xs" onClick={() => void status.refetch()} loading={status.isFetching} data-testid="audit-verify">
          {t('audit.chain.verify')}
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {status.isFetching && !status.data ? <Loading /> : null}
        {status.isError ? <ErrorState error={status.error} /> : null}
        {status.data?.ok === true ? (
          <Alert color="green" variant="light" mt="sm" data-testid="audit-chain-ok">
            {t('audit.chain.ok', { chains: status.data.chains, rows: status.data.rowsChecked, at: checkedAt })}
          </Alert>
        ) : null}
        {status.data?.ok === false ? (
          <Alert color="red" variant="light" mt="sm" title={t('audit.chain.broken')} data-testid="audit-chain-broken">
            <ul>
              {status.data.problems.map((problem) => (
                <li key={`${problem.chain}-${String(problem.seq)}`}>
                  {t('audit.chain.problem', { id: problem.id, seq: problem.seq, chain: problem.chain })}: {problem.reason}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {!status.data && !status.isFetching && !status.isError ? <Text mt="sm" className="mf-muted">{t('audit.chain.notYet')}</Text> : null}
      </div>
    </section>
  );
}
