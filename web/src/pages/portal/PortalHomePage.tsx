import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { logout } from '../../api/endpoints';
import { fetchPortalMe } from '../../api/portal';
import { fetchApplications, fetchFormOffers, redeemLinkCode, type ApplicationListItem, type FormOffer, type PersonActedFor } from '../../api/portal-service';
import { clearUserData, useSession } from '../../auth/session';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { currentLanguage } from '../../i18n';
import { formatTimestamp, todayIso } from '../../lib/format';
import { fieldErrorsOf } from '../../lib/problems';
import { fromState } from '../../lib/returnPath';
import { usePageTitle } from '../../lib/usePageTitle';

/** Whether a session is an online-counter account (applicant role only), not a member of staff. */
export function isPortalUser(roles: readonly string[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'applicant');
}

/** Query keys of the online application journey, shared with the apply and wizard pages. */
export const PORTAL_FORMS_KEY = ['portal-form-offers'] as const;
export const PORTAL_APPLICATIONS_KEY = ['portal-applications'] as const;

/** Router state the wizard leaves behind when it sends the person back here (a discarded draft). */
export interface PortalHomeState {
  applyNotice?: 'discarded';
}

function noticeOf(state: unknown): PortalHomeState['applyNotice'] | null {
  return typeof state === 'object' && state !== null && 'applyNotice' in state && state.applyNotice === 'discarded' ? 'discarded' : null;
}

/** Where a signed-in applicant lands: their account at the online counter. */
export function PortalHomePage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.home.title'));
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);
  const signedIn = Boolean(session.data);
  const me = useQuery({ queryKey: ['portal-me'], queryFn: ({ signal }) => fetchPortalMe(signal), enabled: signedIn });
  // Applying needs a person to apply for: the account's own (linked) or someone who gave a mandate.
  const canApply = Boolean(me.data && (me.data.person !== null || me.data.mandatesHeld.length > 0));
  const notice = noticeOf(location.state);

  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/login" replace state={fromState(location)} />;
  if (!isPortalUser(session.data.user.roles)) return <Navigate to="/" replace />;

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Signed out here either way; the server session runs out on its own.
    }
    clearUserData(queryClient, null);
    await navigate('/login', { replace: true });
  };

  const account = me.data?.account;
  return (
    <div className="mf-panel" data-testid="portal-home">
      <Stack gap="md">
        <Title order={1}>{t('portal.home.title')}</Title>
        {me.isPending ? <Loading /> : null}
        {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : null}
        {notice === 'discarded' ? (
          <Alert className="mf-alert-success" variant="light" role="status" data-testid="apply-discarded">
            {t('portalApply.home.discarded')}
          </Alert>
        ) : null}
        {account ? (
          <>
            <Text data-testid="portal-greeting">{t('portal.home.greeting', { name: account.displayName })}</Text>
            <dl className="mf-facts-list">
              <dt>{t('portal.fields.email')}</dt>
              <dd>{account.email}</dd>
              <dt>{t('portal.fields.kind')}</dt>
              <dd>{t(`portal.kinds.${account.kind}.label`)}</dd>
              {me.data?.person ? (
                <>
                  <dt>{t('portalApply.home.linkedTo')}</dt>
                  <dd data-testid="portal-linked-person">{me.data.person.name}</dd>
                </>
              ) : null}
            </dl>
          </>
        ) : null}
        {me.data && me.data.person === null ? <LinkAccountForm /> : null}
        {me.data && (me.data.person !== null || me.data.mandatesHeld.length > 0) ? (
          <nav aria-labelledby="portal-more-heading">
            <Title order={2} id="portal-more-heading">{t('portal.home.moreTitle')}</Title>
            <ul className="mf-link-list">
              <li><Anchor component={Link} to="/portal/cases" data-testid="portal-link-cases">{t('portal.home.cases')}</Anchor></li>
              {me.data.person !== null ? <li><Anchor component={Link} to="/portal/share" data-testid="portal-link-share">{t('portal.home.share')}</Anchor></li> : null}
            </ul>
          </nav>
        ) : null}
        {canApply ? <ApplySection /> : null}
        <div>
          <Button variant="default" onClick={() => void onSignOut()} loading={signingOut} data-testid="portal-sign-out">
            {t('header.logout')}
          </Button>
        </div>
      </Stack>
    </div>
  );
}

// --- linking the account to its register person ----------------------------------------------------------

type LinkField = 'code' | 'dateOfBirth';

/** What the office prints: 12 letters and digits in groups of four; spaces and dashes do not matter. */
function plainCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * The account holder links their account with the office's one-time code and their date of
 * birth. The API answers every mismatch alike (the code must not reveal whom it belongs to), so
 * its sentence is shown as it is.
 */
function LinkAccountForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [errors, setErrors] = useState<Partial<Record<LinkField, string>>>({});
  const codeRef = useRef<HTMLInputElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: (input: { code: string; dateOfBirth: string }) => redeemLinkCode(input.code, input.dateOfBirth),
    onSuccess: async () => {
      // Linked: the account now has a person, and with it forms to apply for.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['portal-me'] }),
        queryClient.invalidateQueries({ queryKey: PORTAL_FORMS_KEY }),
        queryClient.invalidateQueries({ queryKey: PORTAL_APPLICATIONS_KEY }),
      ]);
    },
    onError: (error) => {
      const fromServer = fieldErrorsOf(error);
      const next: Partial<Record<LinkField, string>> = {};
      if (fromServer.code) next.code = t('portalApply.home.codeInvalid');
      if (fromServer.dateOfBirth) next.dateOfBirth = t('portalApply.home.dateInvalid');
      setErrors(next);
      if (next.code) codeRef.current?.focus();
      else if (next.dateOfBirth) dateRef.current?.focus();
    },
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: Partial<Record<LinkField, string>> = {};
    const plain = plainCode(code);
    if (plain === '') next.code = t('portalApply.home.codeRequired');
    else if (!/^[A-Z0-9]{12}$/.test(plain)) next.code = t('portalApply.home.codeInvalid');
    if (dateOfBirth === '') next.dateOfBirth = t('portalApply.home.dateRequired');
    setErrors(next);
    if (next.code) {
      codeRef.current?.focus();
      return;
    }
    if (next.dateOfBirth) {
      dateRef.current?.focus();
      return;
    }
    mutation.mutate({ code: `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`, dateOfBirth });
  };

  const error = mutation.error;
  const hasFieldErrors = Object.keys(errors).length > 0;
  const refusal = error && isApiError(error) && !error.isUnexpected && !hasFieldErrors ? error.problem.detail || error.problem.title : null;

  return (
    <section aria-labelledby="portal-link-heading" className="mf-subpanel" data-testid="portal-link">
      <Stack gap="sm">
        <Title order={2} id="portal-link-heading">{t('portalApply.home.linkTitle')}</Title>
        <Text>{t('portalApply.home.linkIntro')}</Text>
        <Text size="sm">{t('portalApply.home.linkNoCode')}</Text>
        <div aria-live="polite">
          {refusal ? (
            <Alert color="accent" variant="light" role="alert" title={t('portalApply.home.linkFailed')} data-testid="portal-link-error">
              {refusal}
            </Alert>
          ) : null}
        </div>
        {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
        <form noValidate onSubmit={onSubmit} data-testid="portal-link-form">
          <Stack gap="md">
            <TextInput
              ref={codeRef}
              name="linkCode"
              label={t('portalApply.home.code')}
              description={t('portalApply.home.codeHint')}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              withAsterisk={false}
              value={code}
              onChange={(event) => { setCode(event.currentTarget.value); }}
              error={errors.code}
              size="md"
              className="mf-code-input"
            />
            <TextInput
              ref={dateRef}
              type="date"
              name="dateOfBirth"
              label={t('portalApply.home.dateOfBirth')}
              autoComplete="bday"
              max={todayIso()}
              required
              withAsterisk={false}
              value={dateOfBirth}
              onChange={(event) => { setDateOfBirth(event.currentTarget.value); }}
              error={errors.dateOfBirth}
              size="md"
            />
            <div>
              <Button type="submit" size="md" loading={mutation.isPending} data-testid="portal-link-submit">
                {t('portalApply.home.linkSubmit')}
              </Button>
            </div>
          </Stack>
        </form>
      </Stack>
    </section>
  );
}

// --- applying online ----------------------------------------------------------------------------------

/** "Apply online" (the forms on offer, per person) and "Your applications" (drafts and sent ones). */
function ApplySection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const offers = useQuery({ queryKey: PORTAL_FORMS_KEY, queryFn: ({ signal }) => fetchFormOffers(signal) });
  const applications = useQuery({ queryKey: PORTAL_APPLICATIONS_KEY, queryFn: ({ signal }) => fetchApplications(signal) });
  // A form is worth showing only when there is somebody this account may file it for.
  const available = (offers.data ?? []).filter((offer) => offer.persons.length > 0);
  const drafts = applications.data?.filter((item) => item.state === 'draft') ?? [];

  return (
    <>
      <section aria-labelledby="portal-apply-heading" data-testid="portal-apply">
        <Stack gap="sm">
          <Title order={2} id="portal-apply-heading">{t('portalApply.home.applyTitle')}</Title>
          {offers.isPending ? <Loading /> : null}
          {offers.isError ? <ErrorState error={offers.error} onRetry={() => void offers.refetch()} /> : null}
          {offers.data && available.length === 0 ? <Text>{t('portalApply.home.noForms')}</Text> : null}
          {available.length > 0 ? (
            <ul className="mf-paper-list">
              {available.map((offer) => (
                <OfferCard key={offer.slug} offer={offer} drafts={drafts} language={language} />
              ))}
            </ul>
          ) : null}
        </Stack>
      </section>
      <section aria-labelledby="portal-applications-heading" data-testid="portal-applications">
        <Stack gap="sm">
          <Title order={2} id="portal-applications-heading">{t('portalApply.home.applicationsTitle')}</Title>
          {applications.isPending ? <Loading /> : null}
          {applications.isError ? <ErrorState error={applications.error} onRetry={() => void applications.refetch()} /> : null}
          {applications.data && applications.data.length === 0 ? <Text>{t('portalApply.home.noApplications')}</Text> : null}
          {applications.data && applications.data.length > 0 ? (
            <ul className="mf-paper-list">
              {applications.data.map((item) => <ApplicationRow key={item.id} item={item} />)}
            </ul>
          ) : null}
        </Stack>
      </section>
    </>
  );
}

function OfferCard({ offer, drafts, language }: { offer: FormOffer; drafts: readonly ApplicationListItem[]; language: ReturnType<typeof currentLanguage> }) {
  const { t } = useTranslation();
  const name = offer.names[language];
  return (
    <li className="mf-paper" data-testid="portal-offer" data-form={offer.slug}>
      <div>
        <Title order={3} size="h4" className="mf-paper-title">{name}</Title>
        <Text size="sm">{offer.summary[language]}</Text>
        <Stack gap="xs" mt="sm">
          {offer.persons.map((person) => {
            const open = drafts.some((draft) => draft.form === offer.slug && draft.person.id === person.id);
            return (
              <div key={person.id}>
                {offer.persons.length > 1 || person.as === 'mandate' ? <Text size="sm" fw={600}>{t('portalApply.home.forPerson', { name: person.name })}</Text> : null}
                <Button component={Link} to={applyPath(offer.slug, person)} variant={open ? 'default' : 'filled'} size="md" mt={4}
                  data-testid="portal-offer-start" data-person={person.id}>
                  {open ? t('portalApply.home.continue') : t('portalApply.home.start')}
                  {/* Several forms and persons put several "Start" buttons on the page: the hidden part says which. */}
                  <span className="sr-only">: {name} ({person.name})</span>
                </Button>
              </div>
            );
          })}
        </Stack>
      </div>
    </li>
  );
}

function applyPath(form: string, person: PersonActedFor): string {
  return `/portal/apply/${encodeURIComponent(form)}?person=${encodeURIComponent(person.id)}`;
}

function ApplicationRow({ item }: { item: ApplicationListItem }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const name = item.names[language];
  const updated = formatTimestamp(item.updatedAt, language);
  return (
    <li className="mf-paper" data-testid="portal-application" data-state={item.state} data-application={item.id}>
      <div>
        <Title order={3} size="h4" className="mf-paper-title">{name}</Title>
        <dl className="mf-inline-facts">
          <div><dt>{t('portalApply.home.person')}</dt><dd>{item.person.name}</dd></div>
          <div><dt>{t('portalApply.home.state')}</dt><dd><span className={item.state === 'draft' ? 'mf-tag' : 'mf-tag mf-tag--current'}>{t(`portalApply.home.states.${item.state}`)}</span></dd></div>
          <div><dt>{item.state === 'draft' ? t('portalApply.home.saved') : t('portalApply.home.sentAt')}</dt><dd><time dateTime={updated.dateTime}>{updated.text}</time></dd></div>
        </dl>
        <Group mt="xs">
          {item.state === 'draft' ? (
            <Anchor component={Link} to={`/portal/applications/${encodeURIComponent(item.id)}`} data-testid="portal-application-continue">
              {t('portalApply.home.continue')}<span className="sr-only">: {name} ({item.person.name})</span>
            </Anchor>
          ) : item.caseId ? (
            <Anchor component={Link} to={`/portal/cases/${encodeURIComponent(item.caseId)}`} data-testid="portal-application-status">
              {t('portalApply.home.status')}<span className="sr-only">: {name} ({item.person.name})</span>
            </Anchor>
          ) : null}
        </Group>
      </div>
    </li>
  );
}
