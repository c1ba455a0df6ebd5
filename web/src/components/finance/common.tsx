import { Alert, Text } from '@mantine/core';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  CLARIFICATIONS,
  DEPOSIT_STATUSES,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  LEDGER_KINDS,
  PAYMENT_SOURCES,
  type Clarification,
  type DepositStatus,
  type InvoiceKind,
  type InvoiceStatus,
  type LedgerKind,
  type PaymentSource,
} from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatMoney } from '../../lib/format';
import { isVersionConflict, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { VersionConflictAlert } from '../VersionConflictAlert';

// ---- query keys -----------------------------------------------------------------------------------

/** Everything of the staff area (bank files, clarification list, account, settings) and the case invoices. */
export const FINANCE_KEY = ['finance'] as const;
export const CLARIFICATIONS_KEY = ['finance', 'clarifications'] as const;
export const FINANCE_SETTINGS_KEY = ['finance', 'settings'] as const;

export function accountKey(year: number) {
  return ['finance', 'account', year] as const;
}

/** A case's invoices as of a version of the case: a step that charged a fee loads them again. */
export function caseInvoicesKey(caseId: string, version: number) {
  return ['finance', 'case', caseId, 'invoices', version] as const;
}

/** A person's invoices and deposits: below the person, so that the person file's loading state includes them. */
export function personInvoicesKey(personId: string) {
  return ['person', personId, 'invoices'] as const;
}

export function personDepositsKey(personId: string) {
  return ['person', personId, 'deposits'] as const;
}

/** After money moved (a payment, a bank file, a deposit): every list of invoices, deposits and the account load again. */
export function invalidateFinance(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: FINANCE_KEY }),
    queryClient.invalidateQueries({ queryKey: ['person'], predicate: (query) => query.queryKey[2] === 'invoices' || query.queryKey[2] === 'deposits' }),
  ]).then(() => undefined);
}

// ---- amounts --------------------------------------------------------------------------------------

/** An amount as people type it: "97", "97.5", "97,50", "1'000.00". Null when it is not one. */
export function normaliseAmount(text: string): string | null {
  const compact = text.trim().replace(/['’\s]/g, '').replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(compact)) return null;
  const [whole = '0', cents = ''] = compact.split('.');
  return `${String(Number(whole))}.${cents.padEnd(2, '0')}`;
}

/** "97.00" → 9700, without floating-point surprises. */
export function toMinor(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) return Number.NaN;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -value : value;
}

/**
 * A payment reference as printed on payment slips: a QR reference (27 digits) in blocks of five
 * from the right, a creditor reference (RF…) in blocks of four; anything else as it is.
 */
export function formatReference(reference: string): string {
  const compact = reference.replace(/\s+/g, '');
  if (/^\d{27}$/.test(compact)) return `${compact.slice(0, 2)} ${compact.slice(2).replace(/(\d{5})(?=\d)/g, '$1 ')}`;
  if (/^RF\d{2}[A-Z0-9]{1,21}$/i.test(compact)) return compact.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
  return reference;
}

/** An amount with its currency, in the UI locale; never broken across lines. */
export function Money({ amount, currency, testId }: { amount: string; currency: string; testId?: string }) {
  return <span className="mf-nowrap mf-money" data-amount={amount} data-testid={testId}>{formatMoney(amount, currency, currentLanguage())}</span>;
}

// ---- words for codes ------------------------------------------------------------------------------

function known<T extends string>(list: readonly T[], value: string | null | undefined): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

export function invoiceKindLabel(kind: string, t: TFunction): string {
  return known<InvoiceKind>(INVOICE_KINDS, kind) ? t(`finance.invoiceKinds.${kind}`) : kind;
}

export function invoiceStatusLabel(status: string, t: TFunction): string {
  return known<InvoiceStatus>(INVOICE_STATUSES, status) ? t(`finance.invoiceStatus.${status}`) : status;
}

export function paymentSourceLabel(source: string, t: TFunction): string {
  return known<PaymentSource>(PAYMENT_SOURCES, source) ? t(`finance.paymentSources.${source}`) : source;
}

export function clarificationLabel(clarification: string | null, t: TFunction): string {
  if (!clarification) return '';
  return known<Clarification>(CLARIFICATIONS, clarification) ? t(`finance.clarificationKinds.${clarification}`) : clarification;
}

export function depositStatusLabel(status: string, t: TFunction): string {
  return known<DepositStatus>(DEPOSIT_STATUSES, status) ? t(`finance.depositStatus.${status}`) : status;
}

export function ledgerKindLabel(kind: string, t: TFunction): string {
  return known<LedgerKind>(LEDGER_KINDS, kind) ? t(`finance.ledgerKinds.${kind}`) : kind;
}

/** A status in words, as a tag; what needs attention stands out (not by colour alone: the word says it). */
function Tag({ status, label, alert, current }: { status: string; label: string; alert: readonly string[]; current: readonly string[] }) {
  const className = alert.includes(status) ? 'mf-tag mf-tag--alert' : current.includes(status) ? 'mf-tag mf-tag--current' : 'mf-tag';
  return <span className={className} data-status={status}>{label}</span>;
}

export function InvoiceStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag status={status} label={invoiceStatusLabel(status, t)} alert={['open']} current={['paid']} />;
}

export function DepositStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag status={status} label={depositStatusLabel(status, t)} alert={['required', 'waiver-requested']} current={['held']} />;
}

// ---- feedback -------------------------------------------------------------------------------------

/**
 * A refused or failed finance action: a version conflict (someone else was quicker) with a
 * reload, the API's sentence for another refusal (in the UI language), or the generic error.
 */
export function FinanceProblem({ error, reload, conflictTitle, conflictBody, testId = 'finance-refused' }: {
  error: unknown;
  reload: () => Promise<void>;
  conflictTitle?: string;
  conflictBody?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isVersionConflict(error)) {
    return <VersionConflictAlert title={conflictTitle ?? t('finance.conflict.title')} body={conflictBody ?? t('finance.conflict.body')} reload={reload} />;
  }
  const refusal = refusalText(error);
  if (refusal) {
    const fields = isApiError(error) ? (error.problem.errors ?? []) : [];
    return (
      <Alert color="accent" variant="light" role="alert" title={t('finance.notDone')} data-testid={testId} data-code={isApiError(error) ? error.code : undefined}>
        <Text size="sm">{refusal}</Text>
        {fields.length > 0 ? (
          <ul className="mf-error-list">
            {fields.map((item) => <li key={`${item.field}-${item.message}`}>{item.field}: {item.message}</li>)}
          </ul>
        ) : null}
      </Alert>
    );
  }
  return <ErrorState error={error} />;
}

/**
 * What came of an action: the outcome (announced, and focused since the busy button may be gone)
 * and a refusal, which takes the focus when it appears.
 */
export function useFinanceFeedback() {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  return {
    notice,
    error,
    noticeRef,
    problemRef,
    clear: () => { setError(null); setNotice(''); },
    /** The action went through: its outcome is announced, the lists load again. */
    done: async (text: string) => {
      setError(null);
      setNotice(text);
      requestAnimationFrame(() => noticeRef.current?.focus());
      await invalidateFinance(queryClient);
    },
    showProblem: (problem: unknown) => {
      setError(problem);
      requestAnimationFrame(() => problemRef.current?.focus());
    },
    /** After a conflict: the lists load again. */
    reload: async () => {
      setError(null);
      await invalidateFinance(queryClient);
    },
  };
}

export type FinanceFeedback = ReturnType<typeof useFinanceFeedback>;

/** The outcome (polite live region) and the refusal of the last action, above a list. */
export function FeedbackArea({ feedback: { notice, noticeRef, error, problemRef, reload }, testId }: { feedback: FinanceFeedback; testId: string }) {
  return (
    <div>
      <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid={testId}>
        {notice}
      </div>
      <div ref={problemRef} tabIndex={-1}>
        <FinanceProblem error={error} reload={reload} />
      </div>
    </div>
  );
}

export { ResponsiveDialog as FinanceDialog } from '../ResponsiveDialog';

/** Screen-reader-only context for a button in a table row ("Pay (invoice 2026-000004)"); the visible label stays first. */
export function RowContext({ children }: { children: ReactNode }) {
  return <span className="sr-only"> {children}</span>;
}
