import { Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { fetchMunicipalities } from '../../api/endpoints';
import {
  accountFileUrl, addRevenueEntry, AGE_BANDS, fetchYearlyAccount, INVOICE_KINDS, REVENUE_KINDS, type RevenueInput, type RevenueKind, type YearlyAccount,
} from '../../api/finance';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatCount, formatDate, todayIso } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { ISO_DATE_RE, useFocusFirstInvalid } from '../register/common';
import { accountKey, FeedbackArea, Money, normaliseAmount, toMinor, useFinanceFeedback } from './common';

/** The account can be read from this year on (the server accepts 2000–2100). */
const FIRST_YEAR = 2020;

function yearOf(params: URLSearchParams): number {
  const current = new Date().getFullYear();
  const value = Number(params.get('year'));
  return Number.isInteger(value) && value >= 2000 && value <= current ? value : current;
}

/**
 * The yearly account, laid out like the office's published "Rechnung": the revenue side
 * (Entgelte, Rückerstattung SEM, Interne Verrechnung), then fees let off and received, refunds,
 * fines collected for the municipalities, deposits, and the open receivables by kind and age.
 */
export function AccountView() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const year = yearOf(params);
  const current = new Date().getFullYear();
  const years = Array.from({ length: Math.max(1, current - Math.min(FIRST_YEAR, year) + 1) }, (_, index) => current - index);
  const result = useQuery({ queryKey: accountKey(year), queryFn: ({ signal }) => fetchYearlyAccount(year, signal), placeholderData: keepPreviousData });
  const account = result.data;
  const setYear = (value: string) => {
    const next = new URLSearchParams(params);
    if (Number(value) === current) next.delete('year');
    else next.set('year', value);
    setParams(next, { replace: true, preventScrollReset: true });
  };
  const title = t('finance.account.heading', { year });

  return (
    <Stack gap="md" data-testid="finance-account">
      <Text>{t('finance.account.intro')}</Text>
      <div className="mf-panel mf-figures-controls">
        <NativeSelect name="year" size="sm" label={t('finance.account.year')} value={String(year)} onChange={(event) => { setYear(event.currentTarget.value); }}>
          {years.map((value) => <option key={value} value={value}>{value}</option>)}
        </NativeSelect>
        <div className="mf-figures-downloads">
          {(['csv', 'xlsx'] as const).map((format) => (
            <Button key={format} component="a" href={accountFileUrl(year, format)} download variant="default" size="sm" data-testid={`account-${format}`}>
              {t(`finance.account.download.${format}`)}<span className="sr-only">: {title}</span>
            </Button>
          ))}
        </div>
      </div>
      {result.isPending ? <Loading /> : null}
      {result.isError ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {account ? (
        <div aria-busy={result.isFetching || undefined} data-testid="account-body" data-year={account.year}>
          <AccountTables account={account} />
        </div>
      ) : null}
      <RevenueForm />
    </Stack>
  );
}

function AccountTables({ account }: { account: YearlyAccount }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const currency = account.currency;
  const money = (amount: string) => <Money amount={amount} currency={currency} />;
  const municipalities = useQuery({ queryKey: ['register', 'municipalities'], queryFn: ({ signal }) => fetchMunicipalities(signal), staleTime: 10 * 60_000, retry: false });
  const municipalityName = (bfs: number | null) => {
    if (bfs === null) return t('finance.account.fines.noMunicipality');
    const found = municipalities.data?.find((m) => m.bfs === bfs);
    return found ? `${found.name} (BFS ${String(bfs)})` : `BFS ${String(bfs)}`;
  };
  return (
    <div className="mf-account">
      <AccountTable id="revenue" title={t('finance.account.revenue.title', { year: account.year })} testId="account-revenue">
        <Row label={t('finance.account.revenue.fees')} path="revenue.fees">{money(account.revenue.fees)}</Row>
        <Row label={t('finance.account.revenue.federalRefunds')} path="revenue.federalRefunds">{money(account.revenue.federalRefunds)}</Row>
        <Row label={t('finance.account.revenue.internalCharges')} path="revenue.internalCharges">{money(account.revenue.internalCharges)}</Row>
        <Row label={t('finance.account.revenue.other')} path="revenue.other">{money(account.revenue.other)}</Row>
        <Row label={t('finance.account.revenue.total')} path="revenue.total" total>{money(account.revenue.total)}</Row>
      </AccountTable>

      <AccountTable id="fees" title={t('finance.account.fees.title')} testId="account-fees">
        <Row label={t('finance.account.fees.invoiced')} path="fees.invoiced">{money(account.fees.invoiced)}</Row>
        <Row label={t('finance.account.fees.reductions')} path="fees.reductions">{money(account.fees.reductions)}</Row>
        <Row label={t('finance.account.fees.waivedCount')} path="fees.waivedCount">{formatCount(account.fees.waivedCount, language)}</Row>
        <Row label={t('finance.account.fees.received')} path="fees.received">{money(account.fees.received)}</Row>
      </AccountTable>

      <AccountTable id="refunds" title={t('finance.account.refunds.title')} testId="account-refunds">
        <Row label={t('finance.account.refunds.paidBack', { count: account.refunds.count })} path="refunds.paidBack">{money(account.refunds.paidBack)}</Row>
      </AccountTable>

      <AccountTable id="fines" title={t('finance.account.fines.title')} testId="account-fines"
        columns={[t('finance.account.fines.municipality'), t('finance.account.fines.invoiced'), t('finance.account.fines.received')]}>
        {account.fines.byMunicipality.map((m) => (
          <Table.Tr key={String(m.bfs)} className="mf-figures-item">
            <Table.Th scope="row">{municipalityName(m.bfs)}</Table.Th>
            <Table.Td className="mf-num">{money(m.invoiced)}</Table.Td>
            <Table.Td className="mf-num">{money(m.received)}</Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr className="mf-figures-total">
          <Table.Th scope="row">{t('finance.account.fines.total')}</Table.Th>
          <Table.Td className="mf-num" data-figure="fines.invoiced">{money(account.fines.invoiced)}</Table.Td>
          <Table.Td className="mf-num" data-figure="fines.received">{money(account.fines.received)}</Table.Td>
        </Table.Tr>
      </AccountTable>

      <AccountTable id="deposits" title={t('finance.account.deposits.title')} testId="account-deposits">
        <Row label={t('finance.account.deposits.ordered')} path="deposits.ordered">{money(account.deposits.ordered)}</Row>
        <Row label={t('finance.account.deposits.received')} path="deposits.received">{money(account.deposits.received)}</Row>
        <Row label={t('finance.account.deposits.offset')} path="deposits.offset">{money(account.deposits.offset)}</Row>
        <Row label={t('finance.account.deposits.released')} path="deposits.released">{money(account.deposits.released)}</Row>
        <Row label={t('finance.account.deposits.heldAtYearEnd')} path="deposits.heldAtYearEnd" total>{money(account.deposits.heldAtYearEnd)}</Row>
      </AccountTable>

      <AccountTable id="receivables-kind" title={t('finance.account.receivables.byKind', { date: formatDate(account.receivables.asOf, language) })} testId="account-receivables-kind"
        columns={[t('finance.account.receivables.kind'), t('finance.account.receivables.count'), t('finance.account.receivables.open')]}>
        {INVOICE_KINDS.map((kind) => (
          <Table.Tr key={kind} className="mf-figures-item">
            <Table.Th scope="row">{t(`finance.account.receivables.kinds.${kind}`)}</Table.Th>
            <Table.Td className="mf-num">{formatCount(account.receivables.byKind[kind].count, language)}</Table.Td>
            <Table.Td className="mf-num" data-figure={`receivables.byKind.${kind}`}>{money(account.receivables.byKind[kind].open)}</Table.Td>
          </Table.Tr>
        ))}
      </AccountTable>

      <AccountTable id="receivables-age" title={t('finance.account.receivables.byAge', { date: formatDate(account.receivables.asOf, language) })} testId="account-receivables-age"
        columns={[t('finance.account.receivables.age'), t('finance.account.receivables.count'), t('finance.account.receivables.open')]}>
        {AGE_BANDS.map((band) => {
          const value = account.receivables.ages[band] ?? { count: 0, open: '0.00' };
          return (
            <Table.Tr key={band} className="mf-figures-item">
              <Table.Th scope="row">{t(`finance.account.receivables.ages.${band}`)}</Table.Th>
              <Table.Td className="mf-num">{formatCount(value.count, language)}</Table.Td>
              <Table.Td className="mf-num" data-figure={`receivables.ages.${band}`}>{money(value.open)}</Table.Td>
            </Table.Tr>
          );
        })}
      </AccountTable>
    </div>
  );
}

/** One part of the account: a titled table of label and amount (or the given columns). */
function AccountTable({ id, title, testId, columns, children }: { id: string; title: string; testId: string; columns?: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="mf-panel mf-account-part" aria-labelledby={headingId} data-testid={testId} data-part={id}>
      <h2 id={headingId} className="mf-section-title">{title}</h2>
      <div className="mf-figures-table-wrap">
        <Table verticalSpacing={6} horizontalSpacing="sm" className="mf-figures-table">
          <caption className="sr-only">{title}</caption>
          <Table.Thead className={columns ? undefined : 'sr-only'}>
            <Table.Tr>
              {(columns ?? [t('finance.account.line'), t('finance.account.amount')]).map((column, index) => (
                <Table.Th key={column} scope="col" className={index > 0 ? 'mf-num' : undefined}>{column}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </div>
    </section>
  );
}

function Row({ label, path, total, children }: { label: string; path: string; total?: boolean; children: ReactNode }) {
  return (
    <Table.Tr className={total ? 'mf-figures-total' : 'mf-figures-item'}>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td className="mf-num mf-nowrap" data-figure={path}>{children}</Table.Td>
    </Table.Tr>
  );
}

/** Revenue that comes without an invoice (the federal refunds, internal charges): booked here for the account. */
function RevenueForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canBook = useCan('finance:book');
  const headingId = useId();
  const feedback = useFinanceFeedback();
  const [kind, setKind] = useState<RevenueKind>('federal-refund');
  const [bookedOn, setBookedOn] = useState(todayIso());
  const [amount, setAmount] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'bookedOn' | 'amount' | 'text', string>>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);
  const mutation = useMutation({
    mutationFn: (body: RevenueInput) => addRevenueEntry(body),
    onSuccess: async (entry) => {
      setAmount('');
      setText('');
      await queryClient.invalidateQueries({ queryKey: accountKey(Number(entry.bookedOn.slice(0, 4))) });
      await feedback.done(t('finance.revenue.done', { kind: t(`finance.revenue.kinds.${entry.kind}`) }));
    },
    onError: feedback.showProblem,
  });
  if (!canBook) return null;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    feedback.clear();
    const next: Partial<Record<'bookedOn' | 'amount' | 'text', string>> = {};
    const normalised = normaliseAmount(amount);
    if (!ISO_DATE_RE.test(bookedOn)) next.bookedOn = t('form.dateRequired');
    if (!amount.trim()) next.amount = t('form.required');
    else if (normalised === null || toMinor(normalised) <= 0) next.amount = t('finance.amountInvalid');
    if (!text.trim()) next.text = t('form.required');
    setErrors(next);
    if (Object.keys(next).length > 0 || normalised === null) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({ kind, bookedOn, amount: normalised, text: text.trim() });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="mf-panel" aria-labelledby={headingId} data-testid="revenue-form">
      <h2 id={headingId} className="mf-section-title">{t('finance.revenue.title')}</h2>
      <Text size="sm" mb="sm">{t('finance.revenue.intro')}</Text>
      <FeedbackArea feedback={feedback} testId="revenue-notice" />
      <div className="mf-form-grid">
        <NativeSelect name="kind" label={t('finance.revenue.kind')} value={kind}
          onChange={(event) => { const value = event.currentTarget.value; if ((REVENUE_KINDS as readonly string[]).includes(value)) setKind(value as RevenueKind); }}>
          {REVENUE_KINDS.map((value) => <option key={value} value={value}>{t(`finance.revenue.kinds.${value}`)}</option>)}
        </NativeSelect>
        <TextInput type="date" name="bookedOn" label={t('finance.revenue.bookedOn')} required withAsterisk value={bookedOn}
          onChange={(event) => { setBookedOn(event.currentTarget.value); }} error={errors.bookedOn} />
        <TextInput name="amount" inputMode="decimal" label={t('finance.revenue.amount')} description={t('finance.amountHint')} required withAsterisk value={amount}
          onChange={(event) => { setAmount(event.currentTarget.value); }} error={errors.amount} />
        <TextInput name="text" label={t('finance.revenue.text')} description={t('finance.revenue.textHint')} required withAsterisk maxLength={300} value={text}
          onChange={(event) => { setText(event.currentTarget.value); }} error={errors.text} />
      </div>
      <Group mt="md">
        <Button type="submit" variant="default" loading={mutation.isPending} data-testid="revenue-submit">{t('finance.revenue.submit')}</Button>
      </Group>
    </form>
  );
}
