import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchPersonInvoices } from '../../api/finance';
import type { PersonFile } from '../../api/types';
import { useCan } from '../../auth/permissions';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { FileSection } from '../register/PersonSections';
import { personInvoicesKey } from './common';
import { DepositsPanel } from './Deposits';
import { InvoiceList } from './InvoiceList';

/** The person's invoices (of all their cases) and deposits (Kaution, NG § 15a) with their ledger. */
export function PersonFinanceSection({ file, editable }: { file: PersonFile; editable: boolean }) {
  const { t } = useTranslation();
  const canWrite = useCan('finance:write');
  const invoices = useQuery({ queryKey: personInvoicesKey(file.id), queryFn: ({ signal }) => fetchPersonInvoices(file.id, signal) });
  const name = `${file.identity.officialName} ${file.identity.firstNames}`;
  return (
    <FileSection id="finance" title={t('personFile.sections.finance')} testId="person-finance">
      <h3 className="mf-subheading">{t('finance.person.invoices')}</h3>
      {invoices.isPending ? <Loading /> : null}
      {invoices.isError ? <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} /> : null}
      {invoices.data ? (
        <InvoiceList invoices={invoices.data} caption={t('finance.person.invoicesCaption', { name })} canPay={canWrite && editable} testId="person-invoices" />
      ) : null}
      <DepositsPanel personId={file.id} editable={editable} />
    </FileSection>
  );
}

/** For the person file: hidden for roles without finance:read (the API would answer 403). */
export function PersonFinanceSectionIfAllowed(props: { file: PersonFile; editable: boolean }) {
  const canRead = useCan('finance:read');
  return canRead ? <PersonFinanceSection {...props} /> : null;
}
