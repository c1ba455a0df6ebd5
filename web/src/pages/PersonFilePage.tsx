import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useIsFetching, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { fetchPersonFile } from '../api/endpoints';
import type { Deadline, PersonFile } from '../api/types';
import { DismissibleNotice, RecordLoadState } from '../components/RecordPageStatus';
import { DateText, ISO_DATE_RE } from '../components/register/common';
import { deadlineNotice } from '../components/register/deadlines';
import { HistorySection } from '../components/register/HistorySection';
import { PapersSection } from '../components/register/PapersSection';
import { PermitsSectionIfAllowed } from '../components/register/PermitsSection';
import { DepartureDialog, EditDialog, MoveDialog } from '../components/register/PersonDialogs';
import { DeadlinesSection, IdentitySection, RelationsSection, ResidenceSection } from '../components/register/PersonSections';
import { personCasesKey } from '../components/cases/caseQueries';
import { PersonCasesSectionIfAllowed } from '../components/cases/PersonCasesSection';
import { PersonPrivacySection } from '../components/privacy/PersonPrivacySection';
import { PersonFinanceSectionIfAllowed } from '../components/finance/PersonFinanceSection';
import { personDepositsKey, personInvoicesKey } from '../components/finance/common';
import { personHistoryKey, personKey, personPermitsKey } from '../components/register/personQueries';
import { useCan } from '../auth/permissions';
import { BlockedAddressDisclosure } from '../components/register/BlockedAddressDisclosure';
import { PortalLinkCode } from '../components/register/PortalLinkCode';
import { currentLanguage } from '../i18n';
import { formatAhvn13, formatNationality } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

/** Router state the arrival form leaves for the person file. */
export interface ArrivalState {
  arrival: { deadline: Deadline | null };
}

function arrivalStateOf(state: unknown): ArrivalState['arrival'] | null {
  if (typeof state !== 'object' || state === null || !('arrival' in state)) return null;
  const arrival = (state as { arrival: unknown }).arrival;
  if (typeof arrival !== 'object' || arrival === null) return null;
  const deadline = (arrival as { deadline?: unknown }).deadline;
  if (deadline && typeof deadline === 'object' && typeof (deadline as Deadline).dueDate === 'string') {
    return { deadline: deadline as Deadline };
  }
  return { deadline: null };
}

const SECTIONS = ['identity', 'residence', 'relations', 'papers', 'deadlines', 'history', 'permits', 'cases', 'finance'] as const;

type DialogName = 'edit' | 'move' | 'departure';

/** A fresh page per person: dialogs and notices never carry over to the next person opened. */
export function PersonFilePage() {
  const { id = '' } = useParams();
  return <PersonFileView key={id} id={id} />;
}

function PersonFileView({ id }: { id: string }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const asOfParam = searchParams.get('asOf') ?? '';
  const asOf = ISO_DATE_RE.test(asOfParam) ? asOfParam : '';
  const location = useLocation();
  const navigate = useNavigate();
  const arrival = arrivalStateOf(location.state);
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const query = useQuery({
    queryKey: personKey(id, asOf),
    queryFn: ({ signal }) => fetchPersonFile(id, asOf || undefined, signal),
    enabled: id !== '',
  });
  const file = query.data;
  const name = file ? `${file.identity.officialName} ${file.identity.firstNames}` : '';
  usePageTitle(name || t('personFile.title'));

  const setAsOf = (value: string) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('asOf', value);
        else next.delete('asOf');
        return next;
      },
      { replace: false, preventScrollReset: true, state: location.state as unknown },
    );
  };

  const dismissArrival = () => {
    void navigate(`${location.pathname}${location.search}`, { replace: true, state: null, preventScrollReset: true });
  };

  const notFound = query.isError && isApiError(query.error) && query.error.status === 404;

  // A link to a part of the file (e.g. from the expiry list to #permits) scrolls there once the
  // file and its sections (history, permits) have loaded, so that nothing pushes it away afterwards.
  const hashSection = (SECTIONS as readonly string[]).includes(location.hash.slice(1)) ? location.hash.slice(1) : '';
  const queryClient = useQueryClient();
  const canReadPermits = useCan('permits:read');
  const canReadCases = useCan('cases:read');
  const canReadFinance = useCan('finance:read');
  const fetching = useIsFetching({ queryKey: ['person', id] }); // re-renders when the sections' queries finish
  const done = (key: readonly unknown[]) => {
    const status = queryClient.getQueryState(key)?.status;
    return status === 'success' || status === 'error';
  };
  const settled = Boolean(file) && fetching === 0 && done(personHistoryKey(id)) && (!canReadPermits || done(personPermitsKey(id)))
    && (!canReadCases || done(personCasesKey(id))) && (!canReadFinance || (done(personInvoicesKey(id)) && done(personDepositsKey(id))));
  const jumpedTo = useRef('');
  useEffect(() => {
    if (!settled || !hashSection || jumpedTo.current === hashSection) return;
    jumpedTo.current = hashSection;
    document.getElementById(hashSection)?.scrollIntoView({ block: 'start' });
  }, [settled, hashSection]);

  return (
    // The heading element stays the same while loading, so focus placed on it is kept.
    <Stack gap="md" data-testid={file ? 'person-file' : undefined} data-person-id={file?.id}>
      <Title order={1} className="mf-person-name">
        {file ? (
          <>
            {file.identity.officialName} <span className="mf-person-first-names">{file.identity.firstNames}</span>
          </>
        ) : notFound ? (
          t('personFile.notFoundTitle')
        ) : (
          t('personFile.title')
        )}
      </Title>

      {arrival && file ? (
        <Alert color="teal" variant="light" className="mf-alert-success" role="status" data-testid="deadline-notice"
          title={t('arrival.done')}
          withCloseButton closeButtonLabel={t('common.close')} onClose={dismissArrival}>
          <Text size="sm" fw={600}>
            {arrival.deadline ? deadlineNotice(arrival.deadline, currentLanguage(), t) : t('arrival.noDeadline')}
          </Text>
          {file.papers.length === 0 ? (
            <Text size="sm" mt="xs">
              <a href="#papers" onClick={(event) => { jumpTo(event, 'papers'); }}>{t('arrival.toPapers')}</a>
            </Text>
          ) : null}
        </Alert>
      ) : null}

      <DismissibleNotice notice={notice} testId="write-notice" onClose={() => { setNotice(null); }} />
      <RecordLoadState query={query} notFound={notFound} notFoundText={t('personFile.notFound')} back={{ to: '/persons', label: t('personFile.backToSearch') }} />

      {file ? (
        <>
          <PersonHeader file={file} asOf={asOf} onAsOf={setAsOf} onAction={setDialog} />
          <SectionLinks />
          <IdentitySection file={file} />
          <ResidenceSection file={file} />
          <RelationsSection file={file} />
          <PapersSection file={file} editable={!asOf && !file.mergedInto} />
          <DeadlinesSection file={file} />
          <HistorySection personId={file.id} />
          <PermitsSectionIfAllowed file={file} editable={!asOf && !file.mergedInto} />
          <PersonCasesSectionIfAllowed file={file} editable={!asOf && !file.mergedInto} />
          <PersonFinanceSectionIfAllowed file={file} editable={!asOf && !file.mergedInto} />
          <PersonPrivacySection personId={file.id} />

          <EditDialog file={file} opened={dialog === 'edit'} onClose={() => { setDialog(null); }}
            onDone={(message) => { setDialog(null); setNotice(message); }} />
          <MoveDialog file={file} opened={dialog === 'move'} onClose={() => { setDialog(null); }}
            onDone={(message) => { setDialog(null); setNotice(message); }} />
          <DepartureDialog file={file} opened={dialog === 'departure'} onClose={() => { setDialog(null); }}
            onDone={(message) => { setDialog(null); setNotice(message); }} />
        </>
      ) : null}
    </Stack>
  );
}

/** Scrolls to a section and moves focus to its heading, without touching the address. */
function jumpTo(event: MouseEvent<HTMLAnchorElement>, section: string) {
  const heading = document.getElementById(`${section}-heading`);
  if (!heading) return;
  event.preventDefault();
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}

function SectionLinks() {
  const { t } = useTranslation();
  const canReadPermits = useCan('permits:read');
  const canReadCases = useCan('cases:read');
  const canReadFinance = useCan('finance:read');
  const sections = SECTIONS.filter((section) => (section !== 'permits' || canReadPermits) && (section !== 'cases' || canReadCases) && (section !== 'finance' || canReadFinance));
  return (
    // A navigation landmark, but not a second <nav> element beside the main navigation.
    <div role="navigation" aria-label={t('personFile.sectionsLabel')} className="mf-section-nav">
      <ul>
        {sections.map((section) => (
          <li key={section}>
            <a href={`#${section}`} onClick={(event) => { jumpTo(event, section); }}>
              {t(`personFile.sections.${section}`)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonHeader({ file, asOf, onAsOf, onAction }: {
  file: PersonFile;
  asOf: string;
  onAsOf: (value: string) => void;
  onAction: (dialog: DialogName) => void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [asOfDraft, setAsOfDraft] = useState(asOf);
  const [asOfShown, setAsOfShown] = useState(asOf);
  // Follow the address (back/forward) without an effect: reset the draft when the applied date changes.
  if (asOfShown !== asOf) {
    setAsOfShown(asOf);
    setAsOfDraft(asOf);
  }
  const identity = file.identity;
  const current = file.residences.find((r) => r.departureDate === null && r.kind === 'main')
    ?? file.residences.find((r) => r.departureDate === null);
  const editable = !asOf && !file.mergedInto;

  return (
    <div className="mf-panel mf-person-header" data-testid="person-header">
      {file.blockingNote || file.papersBlock || file.mergedInto ? (
        <div className="mf-badges">
          {file.blockingNote ? (
            <>
              <span className="mf-badge mf-badge--alert" data-testid="blocking-note-badge">{t('personFile.blockingNote')}</span>
              <BlockedAddressDisclosure personId={file.id} />
            </>
          ) : null}
          {file.papersBlock ? (
            <span className="mf-badge mf-badge--alert" data-testid="papers-block-badge">{t('personFile.papersBlock')}</span>
          ) : null}
          {file.mergedInto ? (
            <span className="mf-badge">
              {t('personFile.merged')}{' '}
              <Link to={`/persons/${encodeURIComponent(file.mergedInto)}`}>{t('personFile.openMerged')}</Link>
            </span>
          ) : null}
        </div>
      ) : null}

      <dl className="mf-header-facts">
        <div>
          <dt>{t('identity.dateOfBirth')}</dt>
          <dd><DateText value={identity.dateOfBirth} /></dd>
        </div>
        <div>
          <dt>{t('identity.nationality')}</dt>
          <dd>{formatNationality(identity.nationality, language, t)}</dd>
        </div>
        <div>
          <dt>{t('identity.ahvn13')}</dt>
          <dd data-testid="ahvn13">{identity.ahvn13 ? formatAhvn13(identity.ahvn13) : t('personFile.noAhvn13')}</dd>
        </div>
        <div>
          <dt>{t('personFile.livesIn')}</dt>
          <dd>{current ? current.municipalityName : t('personFile.noResidence')}</dd>
        </div>
      </dl>

      <div className="mf-header-bar">
        <form
          className="mf-asof"
          role="search"
          aria-label={t('personFile.asOfLabel')}
          onSubmit={(event) => {
            event.preventDefault();
            onAsOf(ISO_DATE_RE.test(asOfDraft) ? asOfDraft : '');
          }}
        >
          <TextInput
            type="date"
            name="asOf"
            size="sm"
            label={t('personFile.asOf')}
            value={asOfDraft}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setAsOfDraft(value);
              // A complete date (or clearing the field) applies at once; typing part of one does not.
              if (value === '' || ISO_DATE_RE.test(value)) onAsOf(value);
            }}
          />
          {asOf ? (
            <Button size="sm" variant="default" onClick={() => { onAsOf(''); }} data-testid="as-of-today">
              {t('personFile.showToday')}
            </Button>
          ) : null}
        </form>

        {editable ? (
          <Group gap="xs" className="mf-actions" wrap="wrap">
            <Button size="sm" onClick={() => { onAction('edit'); }} data-testid="action-edit">
              {t('personFile.actions.edit')}
            </Button>
            <Button size="sm" variant="default" onClick={() => { onAction('move'); }} disabled={!current}
              data-testid="action-move">
              {t('personFile.actions.move')}
            </Button>
            <Button size="sm" variant="default" onClick={() => { onAction('departure'); }} disabled={!current}
              data-testid="action-departure">
              {t('personFile.actions.departure')}
            </Button>
            <PortalLinkCode personId={file.id} personName={`${identity.firstNames} ${identity.officialName}`} />
          </Group>
        ) : null}
      </div>

      {asOf ? (
        <Text size="sm" mt="sm" data-testid="as-of-notice">
          {t('personFile.asOfNotice')} <strong><DateText value={asOf} /></strong>. {t('personFile.asOfReadOnly')}
        </Text>
      ) : null}
    </div>
  );
}
