import { Button, NativeSelect } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { assignCase, type CaseDetail } from '../../api/cases';
import { useCan } from '../../auth/permissions';
import { useSession } from '../../auth/session';
import { currentLanguage } from '../../i18n';
import { formatNationality } from '../../lib/format';
import { DateText, TimestampText } from '../register/common';
import { useCaseAssignees, useStoreCase } from './caseQueries';
import { AgeText, CaseProblem, DueDate, localText } from './common';

/** Reference, person and the status line: where the case stands, who has it, what is due next. */
export function CaseHeader({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const session = useSession();
  const myId = session.data?.user.id ?? '';
  const canWrite = useCan('cases:write');
  const storeCase = useStoreCase();
  // A team lead hands cases to anyone in the office; everyone else can take a case themselves.
  const canReassign = useCan('cases:approve');
  const assignees = useCaseAssignees(canReassign);
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) => assignCase(detail, assigneeId),
    onSuccess: (next) => {
      storeCase(next);
      onDone(next.assignee?.id === myId ? t('cases.header.assignedToMe') : t('cases.header.reassigned'));
    },
  });
  const mine = detail.assignee?.id === myId;

  return (
    <div className="mf-panel mf-case-header" data-testid="case-header">
      <p className="mf-case-person">
        <Link to={`/persons/${encodeURIComponent(detail.person.id)}`} data-testid="case-person-link">{detail.person.name}</Link>
        <span className="mf-muted">
          {' · '}
          <span className="sr-only">{t('identity.dateOfBirth')}: </span>
          <DateText value={detail.person.dateOfBirth} />
          {detail.person.nationality ? (
            <>
              {' · '}
              <span className="sr-only">{t('identity.nationality')}: </span>
              {formatNationality(detail.person.nationality, language, t)}
            </>
          ) : null}
        </span>
      </p>
      <dl className="mf-header-facts mf-case-facts">
        <div>
          <dt>{t('cases.header.state')}</dt>
          <dd>
            <span data-testid="case-state" data-state={detail.state} data-phase={detail.phase}>{localText(detail.stateNames, language)}</span>
            <span className="mf-tag">{t(`cases.phases.${detail.phase}`)}</span>
            {detail.pendingDecision ? <span className="mf-tag mf-tag--approval">{t('cases.awaitingApproval')}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('cases.header.receivedOn')}</dt>
          <dd><DateText value={detail.receivedOn} /></dd>
        </div>
        <div>
          <dt>{t('cases.header.age')}</dt>
          <dd><AgeText days={detail.ageDays} /></dd>
        </div>
        <div>
          <dt>{t('cases.header.nextDue')}</dt>
          <dd><DueDate value={detail.nextDueOn} /></dd>
        </div>
        <div>
          <dt>{t('cases.header.unit')}</dt>
          <dd>{detail.unit.name}</dd>
        </div>
        <div>
          <dt>{t('cases.header.assignee')}</dt>
          <dd data-testid="case-assignee">
            {detail.assignee ? detail.assignee.name : <span className="mf-muted">{t('cases.unassigned')}</span>}
            {canWrite && !mine && !detail.closedAt && myId ? (
              <Button size="compact-sm" variant="default" ml="sm" onClick={() => { assign.mutate(myId); }} loading={assign.isPending}
                data-testid="assign-to-me">
                {t('cases.header.assignToMe')}
              </Button>
            ) : null}
            {canReassign && !detail.closedAt && assignees.data ? (
              <NativeSelect
                size="xs"
                mt={4}
                aria-label={t('cases.header.assignTo')}
                data-testid="case-reassign"
                value={detail.assignee?.id ?? ''}
                disabled={assign.isPending}
                onChange={(event) => { assign.mutate(event.currentTarget.value === '' ? null : event.currentTarget.value); }}
                data={[{ value: '', label: t('cases.unassigned') }, ...assignees.data.map((a) => ({ value: a.id, label: a.displayName }))]}
              />
            ) : null}
          </dd>
        </div>
        {detail.legalForceOn ? (
          <div>
            <dt>{t('cases.header.legalForce')}</dt>
            <dd>
              <span data-testid="legal-force-on" data-date={detail.legalForceOn}><DateText value={detail.legalForceOn} /></span>
              {detail.legalForceProvisional ? (
                <span className="mf-tag" data-testid="legal-force-provisional">{t('cases.header.provisional')}</span>
              ) : null}
            </dd>
          </div>
        ) : null}
        {detail.closedAt ? (
          <div>
            <dt>{t('cases.header.closedOn')}</dt>
            <dd><TimestampText value={detail.closedAt} /></dd>
          </div>
        ) : null}
      </dl>
      {detail.legalForceOn && detail.legalForceProvisional ? (
        <p className="mf-small mf-muted mf-case-note">{t('cases.header.provisionalHint')}</p>
      ) : null}
      <div className="mf-form-problem">
        <CaseProblem error={assign.error} caseId={detail.id} onReloaded={() => { assign.reset(); }} />
      </div>
    </div>
  );
}
