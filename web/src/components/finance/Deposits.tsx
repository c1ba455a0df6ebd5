import { Button, Checkbox, Group, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  decideDepositWaiver, fetchFinanceSettings, fetchPersonDeposits, orderDeposit, requestDepositWaiver, settleDeposit, type Deposit, type LedgerEntry, type OrderDepositInput,
} from '../../api/finance';
import { useCan } from '../../auth/permissions';
import { useSession } from '../../auth/session';
import { todayIso } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { DateText, Fact, ISO_DATE_RE, useFocusFirstInvalid } from '../register/common';
import {
  DepositStatusTag, FeedbackArea, FINANCE_SETTINGS_KEY, FinanceDialog, FinanceProblem, ledgerKindLabel, Money, personDepositsKey, RowContext, useFinanceFeedback,
  type FinanceFeedback,
} from './common';

/** The office's currency (deposits are kept in it; the API answers their amounts without it). */
export function useOfficeCurrency(): string {
  const settings = useQuery({ queryKey: FINANCE_SETTINGS_KEY, queryFn: ({ signal }) => fetchFinanceSettings(signal), staleTime: 10 * 60_000 });
  return settings.data?.currency ?? 'CHF';
}

/** The deposit statuses that count as open: a new deposit cannot be ordered beside one of them. */
const OPEN_STATUSES = ['required', 'waiver-requested', 'held'];
const BASES = ['no-valid-passport', 'provisionally-admitted-self-supporting'] as const;
const HOUSEHOLDS = ['single', 'family'] as const;
const MAX_INSTALMENTS = 24;

function basisLabel(basis: string, t: TFunction): string {
  return (BASES as readonly string[]).includes(basis) ? t(`finance.deposits.bases.${basis as (typeof BASES)[number]}`) : basis;
}

function householdLabel(household: string, t: TFunction): string {
  return (HOUSEHOLDS as readonly string[]).includes(household) ? t(`finance.deposits.households.${household as (typeof HOUSEHOLDS)[number]}`) : household;
}

type DepositAction = 'waiver-request' | 'waiver-decision' | 'settle';

/**
 * The person's deposits (Kaution, NG § 15a): status, amount and what the office holds, the ledger
 * of every movement, and what can be done next: order one (the rule decides whether it is owed),
 * ask to waive it in hardship, decide on that request (a second person), settle it on departure.
 */
export function DepositsPanel({ personId, editable }: { personId: string; editable: boolean }) {
  const { t } = useTranslation();
  const canWrite = useCan('finance:write') && editable;
  const canApprove = useCan('finance:approve') && editable;
  const feedback = useFinanceFeedback();
  const [ordering, setOrdering] = useState(false);
  const [action, setAction] = useState<{ kind: DepositAction; deposit: Deposit } | null>(null);
  const query = useQuery({ queryKey: personDepositsKey(personId), queryFn: ({ signal }) => fetchPersonDeposits(personId, signal) });
  const deposits = query.data?.deposits ?? [];
  const hasOpen = deposits.some((deposit) => OPEN_STATUSES.includes(deposit.status));
  const close = () => { setAction(null); };

  return (
    <div className="mf-subpanel" data-testid="person-deposits">
      <div className="mf-section-head">
        <h3 className="mf-subheading">{t('finance.deposits.title')}</h3>
        {canWrite && query.data && !hasOpen ? (
          <Button size="sm" variant="default" onClick={() => { feedback.clear(); setOrdering(true); }} data-testid="deposit-order">{t('finance.deposits.order.button')}</Button>
        ) : null}
      </div>
      <Text size="sm" mb="sm">{t('finance.deposits.intro')}</Text>
      <FeedbackArea feedback={feedback} testId="deposit-notice" />
      {query.isPending ? <Loading /> : null}
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data && deposits.length === 0 ? <Text data-testid="deposits-none">{t('finance.deposits.none')}</Text> : null}
      {deposits.length > 0 ? (
        <ul className="mf-plain-list mf-deposit-list" aria-label={t('finance.deposits.title')}>
          {deposits.map((deposit) => (
            <DepositCard key={deposit.id} deposit={deposit} ledger={(query.data?.ledger ?? []).filter((entry) => entry.depositId === deposit.id)}
              canWrite={canWrite} canApprove={canApprove} onAction={(kind) => { feedback.clear(); setAction({ kind, deposit }); }} />
          ))}
        </ul>
      ) : null}

      <FinanceDialog opened={ordering} onClose={() => { setOrdering(false); }} title={t('finance.deposits.order.title')}>
        {ordering ? <OrderDepositForm personId={personId} onClose={() => { setOrdering(false); }}
          onDone={async () => { setOrdering(false); await feedback.done(t('finance.deposits.order.done')); }} /> : null}
      </FinanceDialog>
      <FinanceDialog opened={action !== null} onClose={close} title={action ? t(`finance.deposits.actions.${actionKey(action.kind)}`) : ''}>
        {action ? <ActionForm action={action.kind} deposit={action.deposit} feedback={feedback} onClose={close} /> : null}
      </FinanceDialog>
    </div>
  );
}

function actionKey(kind: DepositAction): 'waiverRequest' | 'waiverDecision' | 'settle' {
  return kind === 'waiver-request' ? 'waiverRequest' : kind === 'waiver-decision' ? 'waiverDecision' : 'settle';
}

function DepositCard({ deposit, ledger, canWrite, canApprove, onAction }: {
  deposit: Deposit;
  ledger: LedgerEntry[];
  canWrite: boolean;
  canApprove: boolean;
  onAction: (kind: DepositAction) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const headingId = useId();
  const captionId = useId();
  const currency = useOfficeCurrency();
  const what = t('finance.deposits.what', { date: deposit.orderedOn });
  const ownRequest = deposit.status === 'waiver-requested' && deposit.waiverRequestedBy !== null && deposit.waiverRequestedBy === session.data?.user.displayName;
  const settleable = deposit.status === 'required' || deposit.status === 'held';
  return (
    <li className="mf-panel mf-deposit" aria-labelledby={headingId} data-testid="deposit" data-deposit-id={deposit.id} data-status={deposit.status}>
      <div className="mf-deposit-head">
        <h4 id={headingId} className="mf-deposit-title">
          {t('finance.deposits.heading', { household: householdLabel(deposit.household, t) })} <DepositStatusTag status={deposit.status} />
        </h4>
      </div>
      <dl className="mf-facts mf-facts--compact">
        <Fact label={t('finance.deposits.amount')}><Money amount={deposit.amount} currency={currency} /></Fact>
        <Fact label={t('finance.deposits.held')} testId="deposit-held"><Money amount={deposit.held} currency={currency} /></Fact>
        <Fact label={t('finance.deposits.instalments')}>{t('finance.deposits.instalmentCount', { count: deposit.instalments })}</Fact>
        <Fact label={t('finance.deposits.basis')}>{basisLabel(deposit.basis, t)}</Fact>
        <Fact label={t('finance.deposits.orderedOn')}><DateText value={deposit.orderedOn} /></Fact>
        {deposit.settledOn ? <Fact label={t('finance.deposits.settledOn')}><DateText value={deposit.settledOn} /></Fact> : null}
        {deposit.waiverReason ? <Fact label={t('finance.deposits.waiverReason')}>{deposit.waiverReason}</Fact> : null}
        {deposit.waiverRequestedBy ? <Fact label={t('finance.deposits.waiverRequestedBy')}>{deposit.waiverRequestedBy}</Fact> : null}
        {deposit.waiverDecidedBy ? <Fact label={t('finance.deposits.waiverDecidedBy')}>{deposit.waiverDecidedBy}</Fact> : null}
      </dl>

      {ledger.length > 0 ? (
        <div className="mf-table-scroll mf-table-scroll--narrow" role="region" aria-labelledby={captionId} tabIndex={0}>
          <Table verticalSpacing={4} horizontalSpacing="sm" data-testid="deposit-ledger">
            <caption id={captionId} className="mf-table-caption">{t('finance.deposits.ledger.caption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('finance.deposits.ledger.date')}</Table.Th>
                <Table.Th scope="col">{t('finance.deposits.ledger.kind')}</Table.Th>
                <Table.Th scope="col" className="mf-num">{t('finance.deposits.ledger.amount')}</Table.Th>
                <Table.Th scope="col" className="mf-num">{t('finance.deposits.ledger.held')}</Table.Th>
                <Table.Th scope="col">{t('finance.deposits.ledger.note')}</Table.Th>
                <Table.Th scope="col">{t('finance.deposits.ledger.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ledger.map((entry, index) => (
                <Table.Tr key={`${entry.date}-${String(index)}`} data-testid="ledger-entry" data-kind={entry.kind}>
                  <Table.Td className="mf-nowrap"><DateText value={entry.date} /></Table.Td>
                  <Table.Th scope="row">{ledgerKindLabel(entry.kind, t)}</Table.Th>
                  <Table.Td className="mf-num"><Money amount={entry.amount} currency={currency} /></Table.Td>
                  <Table.Td className="mf-num"><Money amount={entry.held} currency={currency} /></Table.Td>
                  {/* The order's note repeats the facts above in the server's words. */}
                  <Table.Td>{entry.kind === 'ordered' ? '' : (entry.note ?? '')}</Table.Td>
                  <Table.Td>{entry.recordedBy}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}

      {ownRequest ? <Text size="sm" mt="sm" fw={600}>{t('finance.deposits.ownRequest')}</Text> : null}
      <Group gap="sm" mt="sm" wrap="wrap">
        {canWrite && deposit.status === 'required' ? (
          <Button size="sm" variant="default" onClick={() => { onAction('waiver-request'); }} data-testid="deposit-waiver-request">
            {t('finance.deposits.actions.waiverRequest')}<RowContext>{what}</RowContext>
          </Button>
        ) : null}
        {canApprove && deposit.status === 'waiver-requested' ? (
          <Button size="sm" onClick={() => { onAction('waiver-decision'); }} data-testid="deposit-waiver-decision">
            {t('finance.deposits.actions.waiverDecision')}<RowContext>{what}</RowContext>
          </Button>
        ) : null}
        {canWrite && settleable ? (
          <Button size="sm" variant="default" onClick={() => { onAction('settle'); }} data-testid="deposit-settle">
            {t('finance.deposits.actions.settle')}<RowContext>{what}</RowContext>
          </Button>
        ) : null}
      </Group>
    </li>
  );
}

/** The three actions on a deposit, each with the deposit's version (If-Match). */
function ActionForm({ action, deposit, feedback, onClose }: { action: DepositAction; deposit: Deposit; feedback: FinanceFeedback; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const mutation = useMutation({
    mutationFn: (approve?: boolean) => {
      if (action === 'waiver-request') return requestDepositWaiver(deposit, text.trim());
      if (action === 'waiver-decision') return decideDepositWaiver(deposit, approve === true, text.trim() || undefined);
      return settleDeposit(deposit);
    },
    onSuccess: async (_updated, approve) => {
      onClose();
      const message = action === 'waiver-request' ? t('finance.deposits.done.waiverRequested')
        : action === 'waiver-decision' ? (approve ? t('finance.deposits.done.waived') : t('finance.deposits.done.waiverRefused'))
        : t('finance.deposits.done.settled');
      await feedback.done(message);
    },
    onError: () => { requestAnimationFrame(() => problemRef.current?.focus()); },
  });
  const submit = (approve?: boolean) => {
    mutation.reset();
    if (action === 'waiver-request' && !text.trim()) {
      setMissing(true);
      textRef.current?.focus();
      return;
    }
    setMissing(false);
    mutation.mutate(approve);
  };
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(action === 'waiver-decision' ? true : undefined);
  };

  return (
    <form noValidate onSubmit={onSubmit} data-testid="deposit-action-form" data-action={action}>
      <Stack gap="sm">
        <Text size="sm">{t(`finance.deposits.explain.${actionKey(action)}`)}</Text>
        {action === 'waiver-decision' && deposit.waiverReason ? (
          <blockquote className="mf-reason-quote">
            <span className="sr-only">{t('finance.deposits.waiverReason')}: </span>{deposit.waiverReason}
          </blockquote>
        ) : null}
        <div ref={problemRef} tabIndex={-1}>
          <FinanceProblem error={mutation.error} reload={async () => { await feedback.reload(); onClose(); }} />
        </div>
        {action === 'waiver-request' ? (
          <Textarea ref={textRef} name="reason" label={t('finance.deposits.reason')} description={t('finance.deposits.reasonHint')} autosize minRows={3}
            required withAsterisk maxLength={2000} value={text} data-autofocus onChange={(event) => { setText(event.currentTarget.value); }}
            error={missing ? t('finance.deposits.reasonRequired') : undefined} data-testid="deposit-reason" />
        ) : null}
        {action === 'waiver-decision' ? (
          <Textarea name="comment" label={t('finance.deposits.comment')} autosize minRows={2} maxLength={2000} value={text} data-autofocus
            onChange={(event) => { setText(event.currentTarget.value); }} data-testid="deposit-comment" />
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          {action === 'waiver-decision' ? (
            <>
              <Button variant="default" loading={mutation.isPending && mutation.variables === false} onClick={() => { submit(false); }} data-testid="deposit-refuse">
                {t('finance.deposits.refuse')}
              </Button>
              <Button type="submit" loading={mutation.isPending && mutation.variables === true} data-testid="deposit-approve">{t('finance.deposits.approve')}</Button>
            </>
          ) : (
            <Button type="submit" loading={mutation.isPending} data-testid="deposit-action-submit" data-autofocus={action === 'settle' || undefined}>
              {t(`finance.deposits.submit.${actionKey(action)}`)}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Orders a deposit by hand; the rule of NG § 15a still decides whether one is owed and how much. */
function OrderDepositForm({ personId, onClose, onDone }: { personId: string; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [selfSupporting, setSelfSupporting] = useState(false);
  const [instalments, setInstalments] = useState('1');
  const [firstDueOn, setFirstDueOn] = useState('');
  const [errors, setErrors] = useState<{ instalments?: string; firstDueOn?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(formRef, attempt);
  const mutation = useMutation({
    mutationFn: (body: OrderDepositInput) => orderDeposit(personId, body),
    onSuccess: onDone,
    onError: () => { requestAnimationFrame(() => problemRef.current?.focus()); },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: { instalments?: string; firstDueOn?: string } = {};
    const count = /^\d{1,2}$/.test(instalments.trim()) ? Number(instalments.trim()) : Number.NaN;
    if (!(count >= 1 && count <= MAX_INSTALMENTS)) next.instalments = t('finance.deposits.order.instalmentsInvalid', { max: MAX_INSTALMENTS });
    if (firstDueOn && !ISO_DATE_RE.test(firstDueOn)) next.firstDueOn = t('form.dateRequired');
    else if (firstDueOn && firstDueOn < todayIso()) next.firstDueOn = t('finance.deposits.order.pastDate');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({ selfSupporting, instalments: count, ...(firstDueOn ? { firstDueOn } : {}) });
  };
  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="deposit-order-form">
      <Stack gap="sm">
        <Text size="sm">{t('finance.deposits.order.intro')}</Text>
        <div ref={problemRef} tabIndex={-1}>
          <FinanceProblem error={mutation.error} reload={async () => { onClose(); }} />
        </div>
        <Checkbox name="selfSupporting" label={t('finance.deposits.order.selfSupporting')} description={t('finance.deposits.order.selfSupportingHint')}
          checked={selfSupporting} onChange={(event) => { setSelfSupporting(event.currentTarget.checked); }} />
        <TextInput name="instalments" type="number" min={1} max={MAX_INSTALMENTS} label={t('finance.deposits.order.instalments')}
          description={t('finance.deposits.order.instalmentsHint', { max: MAX_INSTALMENTS })} value={instalments} data-autofocus
          onChange={(event) => { setInstalments(event.currentTarget.value); }} error={errors.instalments} />
        <TextInput name="firstDueOn" type="date" label={t('finance.deposits.order.firstDueOn')} description={t('finance.deposits.order.firstDueOnHint')}
          min={todayIso()} value={firstDueOn} onChange={(event) => { setFirstDueOn(event.currentTarget.value); }} error={errors.firstDueOn} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="deposit-order-submit">{t('finance.deposits.order.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
