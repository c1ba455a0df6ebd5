import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CaseDetail } from '../../api/cases';
import { fetchCaseInvoices } from '../../api/finance';
import { useCan } from '../../auth/permissions';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { FileSection } from '../register/PersonSections';
import { caseInvoicesKey } from './common';
import { InvoiceList } from './InvoiceList';

/** The case's fees and invoices, with counter payments; loaded again when the case changes (a step charges its fee). */
export function CaseFinanceSection({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const canPay = useCan('finance:write');
  const invoices = useQuery({
    queryKey: caseInvoicesKey(detail.id, detail.version),
    queryFn: ({ signal }) => fetchCaseInvoices(detail.id, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <FileSection id="finance" title={t('finance.case.title')} testId="case-finance">
      {invoices.isPending ? <Loading /> : null}
      {invoices.isError && !invoices.data ? <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} /> : null}
      {invoices.data ? (
        <div aria-busy={invoices.isFetching || undefined}>
          <InvoiceList invoices={invoices.data} caption={t('finance.case.caption', { reference: detail.reference })} canPay={canPay} testId="case-invoices" />
        </div>
      ) : null}
      <p className="mf-small">
        <Link to={`/persons/${encodeURIComponent(detail.person.id)}#finance`}>{t('finance.case.personLink', { name: detail.person.name })}</Link>
      </p>
    </FileSection>
  );
}

/** For the case page: hidden for roles without finance:read (the API would answer 403). */
export function CaseFinanceSectionIfAllowed({ detail }: { detail: CaseDetail }) {
  const canRead = useCan('finance:read');
  return canRead ? <CaseFinanceSection detail={detail} /> : null;
}
