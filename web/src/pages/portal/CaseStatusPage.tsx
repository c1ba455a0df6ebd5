import { jumpTo } from '../../lib/jumpTo';
import { Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { caseDocumentUrl, fetchCaseStatus, sendMessage, type CasePhase, type CaseStatus } from '../../api/portal-service';
import { useSession } from '../../auth/session';
import { formatSize, localText } from '../../components/cases/common';
import { MessageComposer, MessageThread } from '../../components/cases/CaseMessages';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { DateText, TimestampText } from '../../components/register/common';
import { currentLanguage } from '../../i18n';
import { formatCount, formatDate } from '../../lib/format';
import { fromState } from '../../lib/returnPath';
import { usePageTitle } from '../../lib/usePageTitle';
import { isPortalUser } from './PortalHomePage';

/**
 * The pages of the online counter that need a signed-in applicant: not signed in, the sign-in
 * comes first and brings them back here; staff have no portal pages and go to their own start.
 */
export function PortalOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/login" replace state={fromState(location)} />;
  if (!isPortalUser(session.data.user.roles)) return <Navigate to="/" replace />;
  return <>{children}</>;
}

export function portalCaseKey(id: string) {
  return ['portal', 'case', id] as const;
}

/** One short phrase per phase, for the list of cases. */
export function phaseShort(phase: CasePhase, t: TFunction): string {
  return t(`portalStatus.short.${phase}`);
}

const STAGES = ['received', 'checking', 'decided', 'final'] as const;
type Stage = (typeof STAGES)[number];

/**
 * The four stages an applicant understands, from the case's phase and dates: an open case or one
 * waiting for the applicant is being checked; a decision (or its date) moves it on; closed is the end.
 */
function currentStage(status: Pick<CaseStatus, 'phase' | 'decidedAt' | 'closedAt'>): Stage {
  if (status.phase === 'closed' || status.closedAt) return 'final';
  if (status.phase === 'decided' || status.decidedAt) return 'decided';
  return 'checking';
}

function stageDate(stage: Stage, status: CaseStatus): ReactNode {
  switch (stage) {
    case 'received':
      return <DateText value={status.receivedOn} />;
    case 'decided':
      return status.decidedAt ? <TimestampText value={status.decidedAt} /> : null;
    case 'final':
      return status.legalForceOn ? <DateText value={status.legalForceOn} /> : status.closedAt ? <TimestampText value={status.closedAt} /> : null;
    default:
      return null;
  }
}

/**
 * Received → being checked → decided → final, as an ordered list. The current stage carries
 * aria-current="step" and says "you are here" in words; done and coming stages say so too, so
 * nothing depends on the dot's colour.
 */
function Stages({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const current = STAGES.indexOf(currentStage(status));
  return (
    <ol className="mf-timeline" aria-label={t('portalStatus.stagesLabel')} data-testid="case-stages" data-current={STAGES[current]}>
      {STAGES.map((stage, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'next';
        const date = state === 'next' ? null : stageDate(stage, status);
        return (
          <li key={stage} className="mf-timeline-item" data-stage={stage} data-state={state}
            data-current={state === 'current' ? '' : undefined} aria-current={state === 'current' ? 'step' : undefined}
            style={{ paddingBottom: index === STAGES.length - 1 ? 0 : '0.875rem' }}>
            {state === 'done' ? <span aria-hidden="true">✓ </span> : null}
            <span className={state === 'next' ? 'mf-muted' : undefined} style={{ fontWeight: state === 'current' ? 700 : 400 }}>
              {t(`portalStatus.stages.${stage}`)}
            </span>
            {state === 'current' ? <span className="mf-tag mf-tag--current">{t('portalStatus.stageState.current')}</span> : null}
            {state === 'done' ? <span className="sr-only">: {t('portalStatus.stageState.done')}</span> : null}
            {state === 'next' ? <span className="sr-only">: {t('portalStatus.stageState.next')}</span> : null}
            {date ? <span className="mf-small mf-muted" style={{ display: 'block' }}>{date}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** While the office waits for the applicant: what is missing and by when, set apart from the rest. */
function Needs({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <section aria-labelledby="needs-heading" data-testid="case-needs"
      style={{ border: '2px solid var(--mf-accent)', borderInlineStartWidth: '6px', borderRadius: 4, padding: '0.875rem 1rem', background: '#fdf3f4' }}>
      <h2 id="needs-heading" className="mf-section-title" style={{ marginBottom: '0.5rem' }}>{t('portalStatus.needs.title')}</h2>
      {status.missing.length > 0 ? (
        <ul style={{ margin: '0 0 0.5rem', paddingInlineStart: '1.25rem' }} data-testid="case-missing">
          {status.missing.map((item) => <li key={item.id}>{item.names[language] || localText(item.names)}</li>)}
        </ul>
      ) : (
        <Text mb="xs">{t('portalStatus.needs.seeMessages')}</Text>
      )}
      <Text fw={700} data-testid="case-answer-by" data-date={status.answerBy ?? undefined}>
        {status.answerBy ? t('portalStatus.needs.by', { date: formatDate(status.answerBy, language) }) : t('portalStatus.needs.soon')}
      </Text>
      <Text size="sm" mt="xs">{t('portalStatus.needs.how')}</Text>
      {status.may.message ? (
        <Text size="sm" mt="xs">
          <a href="#messages" onClick={(event) => { jumpTo(event, 'messages'); }} data-testid="case-needs-message">{t('portalStatus.needs.ask')}</a>
        </Text>
      ) : null}
    </section>
  );
}

function Expected({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const expected = status.expected;
  return (
    <div data-testid="case-expected">
      <h2 className="mf-subheading">{t('portalStatus.expected.title')}</h2>
      <Text>
        {expected
          ? t('portalStatus.expected.estimate', {
            likely: formatDate(expected.likelyBy, language),
            latest: formatDate(expected.latestBy, language),
            count: expected.basedOnCases,
            cases: formatCount(expected.basedOnCases, language),
          })
          : t('portalStatus.expected.unknown')}
      </Text>
    </div>
  );
}

function Documents({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const documents = [...status.documents].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="mf-panel" aria-labelledby="documents-heading" data-testid="case-documents">
      <h2 id="documents-heading" tabIndex={-1} className="mf-section-title" style={{ marginBottom: '0.75rem' }}>{t('portalStatus.documents.title')}</h2>
      {documents.length === 0 ? <Text>{t('portalStatus.documents.none')}</Text> : (
        <ul className="mf-plain-list">
          {documents.map((document) => (
            <li key={document.id} className="mf-list-row" data-testid="case-document" data-kind={document.kind}>
              <a href={caseDocumentUrl(status.id, document.id)} download={document.fileName} data-testid="case-document-link" style={{ overflowWrap: 'anywhere' }}>
                {document.title || document.fileName}
                <span className="sr-only"> ({t('portalStatus.documents.download')}, {formatSize(document.sizeBytes)})</span>
              </a>
              <div className="mf-small mf-muted">
                {t(`portalStatus.documents.kinds.${document.kind}`)} · <TimestampText value={document.createdAt} /> · <span aria-hidden="true">{formatSize(document.sizeBytes)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Messages({ status, office }: { status: CaseStatus; office: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const send = async (body: string) => {
    await sendMessage(status.id, body);
    await queryClient.invalidateQueries({ queryKey: portalCaseKey(status.id) });
  };
  return (
    <section id="messages" className="mf-panel" aria-labelledby="messages-heading" data-testid="case-messages-panel" style={{ scrollMarginTop: '1rem' }}>
      <Stack gap="md">
        <h2 id="messages-heading" tabIndex={-1} className="mf-section-title">{t('portalStatus.messages.title')}</h2>
        <Text>{t('portalStatus.messages.intro')}</Text>
        {status.messages.length === 0 ? <Text className="mf-muted">{t('portalStatus.messages.none')}</Text> : (
          <MessageThread
            messages={status.messages}
            label={t('portalStatus.messages.title')}
            testId="case-messages"
            who={(message) => (message.direction === 'out'
              ? { name: office, tag: t('portalStatus.messages.fromOffice') }
              : { name: message.author, tag: t('portalStatus.messages.fromYou') })}
          />
        )}
        <MessageComposer
          label={t('portalStatus.messages.label')}
          description={t('portalStatus.messages.hint')}
          submitLabel={t('portalStatus.messages.send')}
          sentText={t('portalStatus.messages.sent')}
          emptyText={t('portalStatus.messages.empty')}
          send={send}
          testId="portal-message-form"
          size="md"
        />
      </Stack>
    </section>
  );
}

/** Where one's case stands: stage, what is missing and by when, how long it takes, letters, messages. */
export function CaseStatusPage() {
  return (
    <PortalOnly>
      <CaseStatusView />
    </PortalOnly>
  );
}

function CaseStatusView() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const query = useQuery({ queryKey: portalCaseKey(id), queryFn: ({ signal }) => fetchCaseStatus(id, signal), enabled: id !== '' });
  const status = query.data;
  const name = status ? localText(status.type.names) : '';
  usePageTitle(status ? `${name} · ${status.reference}` : t('portalStatus.title'));
  const notFound = query.isError && isApiError(query.error) && (query.error.status === 404 || query.error.status === 403);
  const office = session.data?.tenant.name ?? t('portalStatus.messages.office');
  const language = currentLanguage();

  return (
    <Stack gap="md">
      <div className="mf-panel" data-testid={status ? 'portal-case-status' : undefined} data-phase={status?.phase}>
        <Stack gap="md">
          <Text size="sm"><Link to="/portal/cases">{t('portalStatus.backToCases')}</Link></Text>
          {/* The heading stays the same element while loading, so the focus placed on it is kept. */}
          {/* Case type names are long compounds in German: a little smaller on phones, hyphenated, never wider than the screen. */}
          <Title order={1} lang={currentLanguage()} style={{ fontSize: 'clamp(1.25rem, 5.5vw, 1.75rem)', hyphens: 'auto', overflowWrap: 'anywhere' }}>{status ? name : notFound ? t('portalStatus.notFoundTitle') : t('portalStatus.title')}</Title>
          {query.isPending ? <Loading /> : null}
          {notFound ? <Text data-testid="case-not-found">{t('portalStatus.notFound')}</Text> : null}
          {query.isError && !notFound ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
          {status ? (
            <>
              <dl className="mf-facts-list">
                <dt>{t('portalStatus.reference')}</dt>
                <dd data-testid="case-reference">{status.reference}</dd>
                <dt>{t('portalStatus.receivedOn')}</dt>
                <dd><DateText value={status.receivedOn} /></dd>
              </dl>
              <Text fw={600} data-testid="case-phase-text">{t(`portalStatus.phases.${status.phase}`)}</Text>
              {status.phase !== 'open' && status.phase !== 'waiting' && status.outcome ? (
                <Text data-testid="case-outcome">{t(`portalStatus.outcome.${status.outcome}`)}</Text>
              ) : null}
              {status.legalForceOn ? <Text>{t('portalStatus.legalForceOn', { date: formatDate(status.legalForceOn, language) })}</Text> : null}
              <Stages status={status} />
              {status.phase === 'waiting' ? <Needs status={status} /> : null}
              {status.phase === 'open' || status.phase === 'waiting' ? <Expected status={status} /> : null}
            </>
          ) : null}
        </Stack>
      </div>
      {status?.may.documents ? <Documents status={status} /> : null}
      {status?.may.message ? <Messages status={status} office={office} /> : null}
      <Text><Link to="/portal">{t('portalStatus.backToAccount')}</Link></Text>
    </Stack>
  );
}
