import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchMyCases, type ApplicantCaseSummary, type PersonActedFor } from '../../api/portal-service';
import { localText } from '../../components/cases/common';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { DateText } from '../../components/register/common';
import { usePageTitle } from '../../lib/usePageTitle';
import { phaseShort, PortalOnly } from './CaseStatusPage';

/** The cases of everyone this account follows: its own person, and those who gave it a mandate. */
export function MyCasesPage() {
  return (
    <PortalOnly>
      <MyCasesView />
    </PortalOnly>
  );
}

function MyCasesView() {
  const { t } = useTranslation();
  usePageTitle(t('portalStatus.list.title'));
  const query = useQuery({ queryKey: ['portal', 'cases'], queryFn: ({ signal }) => fetchMyCases(signal) });
  const groups = query.data ?? [];
  // Only a mandate makes it worth saying whose cases these are.
  const withMandates = groups.some((group) => group.person.as === 'mandate');

  return (
    <Stack gap="md">
      <div className="mf-panel" data-testid={query.isSuccess ? 'portal-cases' : undefined}>
        <Stack gap="md">
          <Title order={1}>{t('portalStatus.list.title')}</Title>
          <Text>{t('portalStatus.list.intro')}</Text>
          {query.isPending ? <Loading /> : null}
          {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
          {query.isSuccess && groups.length === 0 ? (
            <Text data-testid="portal-cases-not-linked">
              {t('portalStatus.list.notLinked')} <Link to="/portal">{t('portalStatus.list.toAccount')}</Link>
            </Text>
          ) : null}
        </Stack>
      </div>
      {groups.map((group) => (
        <PersonCases key={group.person.id} person={group.person} cases={group.cases} named={withMandates} />
      ))}
      <Text><Link to="/portal">{t('portalStatus.backToAccount')}</Link></Text>
    </Stack>
  );
}

function PersonCases({ person, cases, named }: { person: PersonActedFor; cases: ApplicantCaseSummary[]; named: boolean }) {
  const { t } = useTranslation();
  const headingId = `cases-of-${person.id}`;
  const heading = person.as === 'mandate' ? t('portalStatus.list.forPerson', { name: person.name }) : t('portalStatus.list.own');
  return (
    <section className="mf-panel" aria-labelledby={named ? headingId : undefined} aria-label={named ? undefined : t('portalStatus.list.title')}
      data-testid="portal-person-cases" data-as={person.as}>
      {named ? <h2 id={headingId} className="mf-section-title" style={{ marginBottom: '0.75rem', overflowWrap: 'anywhere' }}>{heading}</h2> : null}
      {cases.length === 0 ? <Text>{t('portalStatus.list.none')}</Text> : (
        <ul className="mf-plain-list">
          {cases.map((item) => (
            <li key={item.id} className="mf-list-row" data-testid="portal-case-row" data-case-id={item.id} data-phase={item.phase}>
              <Link to={`/portal/cases/${encodeURIComponent(item.id)}`} data-testid="portal-case-link" style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                {localText(item.type.names)}
              </Link>
              <div>
                <span className={item.phase === 'waiting' ? 'mf-tag mf-tag--alert' : 'mf-tag mf-tag--current'} data-testid="portal-case-stage">
                  {phaseShort(item.phase, t)}
                </span>
              </div>
              <div className="mf-small mf-muted">
                {t('portalStatus.reference')}: {item.reference} · {t('portalStatus.receivedOn')} <DateText value={item.receivedOn} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
