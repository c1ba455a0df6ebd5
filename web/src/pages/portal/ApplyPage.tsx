import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { fetchFormOffers, startApplication, type Application, type PersonActedFor } from '../../api/portal-service';
import { useSession } from '../../auth/session';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { currentLanguage } from '../../i18n';
import { fromState } from '../../lib/returnPath';
import { usePageTitle } from '../../lib/usePageTitle';
import { isPortalUser, PORTAL_APPLICATIONS_KEY, PORTAL_FORMS_KEY } from './PortalHomePage';

/** The query key of one application, shared by this page (which fills it) and the wizard. */
export function applicationKey(id: string): readonly ['portal-application', string] {
  return ['portal-application', id];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/portal/apply/:form?person=…`: the way into an application, from the account page or from
 * the "your permit expires" mail. Starts the draft (or finds the open one of the same form and
 * person) and moves on to it; without `?person` it takes the only person on offer or asks.
 */
export function ApplyPage() {
  const { t } = useTranslation();
  usePageTitle(t('portalApply.apply.title'));
  const session = useSession();
  const location = useLocation();
  const { form = '' } = useParams();
  const [searchParams] = useSearchParams();
  const person = searchParams.get('person');

  if (session.isPending) return <Loading />;
  // The mail's link works after signing in: the login returns here with the same address.
  if (!session.data) return <Navigate to="/login" replace state={fromState(location)} />;
  if (!isPortalUser(session.data.user.roles)) return <Navigate to="/" replace />;

  return person && UUID.test(person) ? <StartDraft key={`${form}/${person}`} form={form} personId={person} /> : <ChoosePerson form={form} />;
}

/** Asks the API for the draft once (StrictMode runs effects twice: two posts could race to two drafts). */
function StartDraft({ form, personId }: { form: string; personId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const asked = useRef(false);
  const mutation = useMutation({
    mutationFn: () => startApplication(form, personId),
    onSuccess: async (application: Application) => {
      queryClient.setQueryData(applicationKey(application.id), application);
      void queryClient.invalidateQueries({ queryKey: PORTAL_APPLICATIONS_KEY });
      // Replaced, so that "back" from the wizard does not start over.
      await navigate(`/portal/applications/${encodeURIComponent(application.id)}`, { replace: true });
    },
  });
  const { mutate } = mutation;
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    mutate();
  }, [mutate]);

  if (mutation.isError) return <StartProblem error={mutation.error} />;
  return (
    <div className="mf-panel" data-testid="apply-starting">
      <Stack gap="md">
        <Title order={1}>{t('portalApply.apply.title')}</Title>
        <Loading />
      </Stack>
    </div>
  );
}

/** No person in the link: the only one on offer for this form, else a choice. */
function ChoosePerson({ form }: { form: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const offers = useQuery({ queryKey: PORTAL_FORMS_KEY, queryFn: ({ signal }) => fetchFormOffers(signal) });
  const offer = offers.data?.find((candidate) => candidate.slug === form);
  const only: PersonActedFor | undefined = offer?.persons.length === 1 ? offer.persons[0] : undefined;

  if (only) return <StartDraft form={form} personId={only.id} />;
  return (
    <div className="mf-panel" data-testid="apply-choose">
      <Stack gap="md">
        <Title order={1}>{offer ? offer.names[language] : t('portalApply.apply.title')}</Title>
        {offers.isPending ? <Loading /> : null}
        {offers.isError ? <ErrorState error={offers.error} onRetry={() => void offers.refetch()} /> : null}
        {offers.data && !offer ? (
          <Alert color="accent" variant="light" role="alert" title={t('portalApply.apply.unknownForm')} data-testid="apply-unknown-form">
            {t('portalApply.apply.unknownFormBody')}
          </Alert>
        ) : null}
        {offer && offer.persons.length === 0 ? (
          <Alert color="accent" variant="light" role="alert" title={t('portalApply.apply.notOffered')} data-testid="apply-not-offered">
            {t('portalApply.apply.notOfferedBody')}
          </Alert>
        ) : null}
        {offer && offer.persons.length > 1 ? (
          <>
            <Text>{offer.summary[language]}</Text>
            <Title order={2} size="h3">{t('portalApply.apply.choosePerson')}</Title>
            <Stack gap="sm">
              {offer.persons.map((candidate) => (
                <Button key={candidate.id} component={Link} size="md" variant="default" data-testid="apply-person"
                  to={`/portal/apply/${encodeURIComponent(form)}?person=${encodeURIComponent(candidate.id)}`}>
                  {candidate.as === 'self' ? t('portalApply.apply.forSelf', { name: candidate.name }) : t('portalApply.apply.forOther', { name: candidate.name })}
                </Button>
              ))}
            </Stack>
          </>
        ) : null}
        <Anchor component={Link} to="/portal">{t('portalApply.backHome')}</Anchor>
      </Stack>
    </div>
  );
}

/** The API's refusal in its own words (e.g. 409 form-not-offered: not for this permit), with the way back. */
function StartProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const expected = isApiError(error) && !error.isUnexpected;
  return (
    <div className="mf-panel" data-testid="apply-problem">
      <Stack gap="md">
        <Title order={1}>{t('portalApply.apply.title')}</Title>
        {expected ? (
          <Alert color="accent" variant="light" role="alert" title={t('portalApply.apply.failed')} data-code={error.code}>
            {error.problem.detail || error.problem.title}
          </Alert>
        ) : (
          <ErrorState error={error} />
        )}
        <Anchor component={Link} to="/portal">{t('portalApply.backHome')}</Anchor>
      </Stack>
    </div>
  );
}
