import { jumpTo } from '../lib/jumpTo';
import { Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { isApiError } from '../api/client';
import type { CaseDetail } from '../api/cases';
import { useCan } from '../auth/permissions';
import { ActivitySection } from '../components/cases/CaseActivity';
import { ApplicationSection, useCaseApplication } from '../components/cases/CaseApplication';
import { ChecklistSection, FieldsSection } from '../components/cases/CaseChecklist';
import { DecisionSection } from '../components/cases/CaseDecision';
import { DocumentsSection } from '../components/cases/CaseDocuments';
import { MessagesSection } from '../components/cases/CaseMessages';
import { AppointmentInviteSection } from '../components/cases/CaseAppointmentInvite';
import { CaseHeader } from '../components/cases/CaseHeader';
import { useCase } from '../components/cases/caseQueries';
import { StepsSection } from '../components/cases/CaseSteps';
import { localText } from '../components/cases/common';
import { CaseFinanceSectionIfAllowed } from '../components/finance/CaseFinanceSection';
import { DismissibleNotice, RecordLoadState } from '../components/RecordPageStatus';
import { RequirePermission } from '../components/RequirePermission';
import { usePageTitle } from '../lib/usePageTitle';

/** A fresh page per case: dialogs, drafts and notices never carry over to the next case opened. */
export function CasePage() {
  const { id = '' } = useParams();
  return (
    <RequirePermission permission="cases:read">
      <CaseView key={id} id={id} />
    </RequirePermission>
  );
}

function createdState(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as { created?: unknown }).created === true;
}

function CaseView({ id }: { id: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const query = useCase(id);
  const detail = query.data;
  const typeName = detail ? localText(detail.type.names) : '';
  usePageTitle(detail ? `${detail.reference} · ${typeName}` : t('cases.case.title'));
  const [notice, setNotice] = useState<string | null>(() => (createdState(location.state) ? t('cases.case.created') : null));
  const [fieldDraft, setFieldDraft] = useState<Record<string, string>>({});
  const canWrite = useCan('cases:write');
  const notFound = query.isError && isApiError(query.error) && (query.error.status === 404 || query.error.status === 403);

  return (
    <Stack gap="md" data-testid={detail ? 'case-page' : undefined} data-case-id={detail?.id} data-version={detail?.version}>
      <Text size="sm"><Link to="/cases">{t('cases.case.backToQueue')}</Link></Text>
      {/* The heading element stays the same while loading, so focus placed on it is kept. */}
      <Title order={1} className="mf-case-title">
        {detail ? (
          <>
            <span data-testid="case-reference">{detail.reference}</span>{' '}
            <span className="mf-case-type">{typeName}</span>
          </>
        ) : notFound ? t('cases.case.notFoundTitle') : t('cases.case.title')}
      </Title>

      <DismissibleNotice notice={notice} testId="case-notice" onClose={() => { setNotice(null); }} />
      <RecordLoadState query={query} notFound={notFound} notFoundText={t('cases.case.notFound')} back={{ to: '/cases', label: t('cases.case.backToQueue') }} />

      {detail ? (
        <>
          <CaseHeader detail={detail} onDone={setNotice} />
          <SectionLinks detail={detail} />
          <StepsSection detail={detail} writable={canWrite && !detail.closedAt} fieldDraft={fieldDraft}
            onFieldsSent={(ids) => {
              setFieldDraft((previous) => Object.fromEntries(Object.entries(previous).filter(([key]) => !ids.includes(key))));
            }}
            onDone={setNotice} />
          <ChecklistSection detail={detail} writable={canWrite && !detail.closedAt} />
          <FieldsSection detail={detail} writable={canWrite && !detail.closedAt} draft={fieldDraft} setDraft={setFieldDraft} onDone={setNotice} />
          <DecisionSection detail={detail} canWrite={canWrite} onDone={setNotice} />
          <CaseFinanceSectionIfAllowed detail={detail} />
          <ApplicationSection caseId={detail.id} />
          <DocumentsSection detail={detail} canWrite={canWrite} onDone={setNotice} />
          <MessagesSection detail={detail} canWrite={canWrite} />
          {canWrite ? <AppointmentInviteSection detail={detail} /> : null}
          <ActivitySection detail={detail} canWrite={canWrite} />
        </>
      ) : null}
    </Stack>
  );
}

function SectionLinks({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const canReadFinance = useCan('finance:read');
  const canWrite = useCan('cases:write');
  // Shares the panel's query: the link appears only for cases that came through the portal.
  const application = useCaseApplication(detail.id);
  const sections = [
    { id: 'steps', label: t('cases.sections.steps') },
    ...(detail.checklist.length > 0 ? [{ id: 'checklist', label: t('cases.sections.checklist') }] : []),
    ...(detail.fieldDefinitions.length > 0 ? [{ id: 'fields', label: t('cases.sections.fields') }] : []),
    ...(detail.decision ? [{ id: 'decision', label: t('cases.sections.decision') }] : []),
    ...(canReadFinance ? [{ id: 'finance', label: t('cases.sections.finance') }] : []),
    ...(application.isSuccess ? [{ id: 'application', label: t('caseMessages.application.title') }] : []),
    { id: 'documents', label: t('cases.sections.documents') },
    { id: 'messages', label: t('caseMessages.title') },
    ...(canWrite && !detail.closedAt ? [{ id: 'appointment', label: t('appointmentInvite.title') }] : []),
    { id: 'activity', label: t('cases.sections.activity') },
  ];
  return (
    <div role="navigation" aria-label={t('cases.case.sectionsLabel')} className="mf-section-nav">
      <ul>
        {sections.map((section) => (
          <li key={section.id}>
            <a href={`#${section.id}`} onClick={(event) => { jumpTo(event, section.id); }}>{section.label}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
