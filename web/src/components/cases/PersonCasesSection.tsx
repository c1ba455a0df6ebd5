import { Button, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchCaseQueue } from '../../api/cases';
import type { PersonFile } from '../../api/types';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { DateText } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { personCasesKey } from './caseQueries';
import { DueDate, localText } from './common';
import { NewCaseDialog } from './NewCaseDialog';

/** The person file's cases, with "New case" for this person (for roles that work cases). */
export function PersonCasesSection({ file, editable }: { file: PersonFile; editable: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const canWrite = useCan('cases:write');
  const [open, setOpen] = useState(false);
  const cases = useQuery({
    queryKey: personCasesKey(file.id),
    queryFn: ({ signal }) => fetchCaseQueue({ person: file.id, limit: 100 }, signal),
  });
  const items = cases.data?.items ?? [];
  const name = `${file.identity.officialName} ${file.identity.firstNames}`;

  return (
    <FileSection id="cases" title={t('personFile.sections.cases')} testId="person-cases"
      actions={canWrite && editable ? (
        <Button size="sm" variant="default" onClick={() => { setOpen(true); }} data-testid="person-new-case">{t('cases.new.button')}</Button>
      ) : undefined}>
      {cases.isPending ? <Loading /> : null}
      {cases.isError ? <ErrorState error={cases.error} onRetry={() => void cases.refetch()} /> : null}
      {cases.data && items.length === 0 ? <Text>{t('cases.person.none')}</Text> : null}
      {items.length > 0 ? (
        <ul className="mf-plain-list" aria-label={t('personFile.sections.cases')}>
          {items.map((item) => (
            <li key={item.id} className="mf-list-row" data-testid="person-case-row" data-type={item.typeSlug}>
              <Link to={`/cases/${encodeURIComponent(item.id)}`}>{item.reference}</Link>
              <span> · {localText(item.typeNames, language)}</span>
              {item.awaitingApproval ? <span className="mf-tag mf-tag--approval">{t('cases.awaitingApproval')}</span> : null}
              <div className="mf-small">
                <span>{localText(item.stateNames, language)}</span>
                <span className="mf-muted"> · {t('cases.person.received')} <DateText value={item.receivedOn} /></span>
                {item.nextDueOn ? <span className="mf-muted"> · {t('cases.person.nextDue')} <DueDate value={item.nextDueOn} overdue={item.overdue} /></span> : null}
                <span className="mf-muted"> · {item.assigneeName ?? t('cases.unassigned')}</span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <NewCaseDialog opened={open} onClose={() => { setOpen(false); }} person={{ id: file.id, name }} />
    </FileSection>
  );
}

/** For the person file: hidden for roles without cases:read (the API would answer 403). */
export function PersonCasesSectionIfAllowed(props: { file: PersonFile; editable: boolean }) {
  const canRead = useCan('cases:read');
  return canRead ? <PersonCasesSection {...props} /> : null;
}
