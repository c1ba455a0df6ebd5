import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoicePdfUrl, recordCounterPayment, type Invoice } from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatMoney, todayIso } from '../../lib/format';
import { DueDate, localText } from '../cases/common';
import { DateText, ISO_DATE_RE, useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import {
  clarificationLabel, FeedbackArea, FinanceDialog, FinanceProblem, formatReference, invoiceKindLabel, InvoiceStatusTag, Money, normaliseAmount, paymentSourceLabel, RowContext, toMinor,
  useFinanceFeedback,
} from './common';

const COLUMNS = ['number', 'status', 'amount', 'paid', 'open', 'dueOn', 'reminder', 'payments', 'actions'] as const;

/**
 * Invoices of a case or a person: what was charged and why, what is paid and still open, the due
 * date and reminders, the PDF with the payment slip, the payments, and a payment at the counter
 * for open invoices (roles with finance:write). The case page and the person file share it.
 */
export function InvoiceList({ invoices, caption, canPay, testId = 'invoice-list' }: { invoices: Invoice[]; caption: string; canPay: boolean; testId?: string }) {
  const { t } = useTranslation();
  const captionId = useId();
  const feedback = useFinanceFeedback();
  const [paying, setPaying] = useState<Invoice | null>(null);
  const sorted = [...invoices].sort((a, b) => b.issuedOn.localeCompare(a.issuedOn) || b.number.localeCompare(a.number));

  return (
    <Stack gap="sm" data-testid={testId}>
      <FeedbackArea feedback={feedback} testId="invoice-notice" />
      {sorted.length === 0 ? <Text data-testid="invoices-none">{t('finance.invoices.none')}</Text> : (
        <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <Table verticalSpacing="xs" horizontalSpacing="sm" className="mf-invoice-table">
            <caption id={captionId} className="sr-only">{caption}</caption>
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <Table.Th key={column} scope="col" className={['amount', 'paid', 'open'].includes(column) ? 'mf-num' : undefined}>{t(`finance.invoices.columns.${column}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((invoice) => (
                <InvoiceRow key={invoice.id} invoice={invoice} canPay={canPay} onPay={() => { feedback.clear(); setPaying(invoice); }} />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <FinanceDialog opened={paying !== null} onClose={() => { setPaying(null); }} title={t('finance.counter.title')}>
        {paying ? (
          <CounterPaymentForm invoice={paying} onClose={() => { setPaying(null); }} onReload={feedback.reload}
            onPaid={async (updated) => {
              setPaying(null);
              await feedback.done(updated.status === 'paid'
                ? t('finance.counter.donePaid', { number: updated.number })
                : t('finance.counter.donePartial', { number: updated.number, open: formatMoney(updated.open, updated.currency, currentLanguage()) }));
            }} />
        ) : null}
      </FinanceDialog>
    </Stack>
  );
}

function InvoiceRow({ invoice, canPay, onPay }: { invoice: Invoice; canPay: boolean; onPay: () => void }) {
  const { t } = useTranslation();
  const open = invoice.status === 'open';
  const what = t('finance.invoices.what', { number: invoice.number });
  return (
    <Table.Tr data-testid="invoice-row" data-invoice-id={invoice.id} data-number={invoice.number} data-status={invoice.status} data-open={invoice.open}>
      <Table.Th scope="row">
        <div className="mf-nowrap">{invoice.number}</div>
        <div className="mf-small mf-muted">{invoiceKindLabel(invoice.kind, t)} · <DateText value={invoice.issuedOn} /></div>
        <details className="mf-invoice-lines">
          <summary className="mf-small">{t('finance.invoices.lines', { count: invoice.lines.length })}</summary>
          <ul className="mf-plain-list mf-small">
            {invoice.lines.map((line, index) => (
              <li key={`${line.code}-${String(index)}`}>
                {localText(line.names)} <span className="mf-muted">({line.legalBasis})</span>: <Money amount={line.amount} currency={invoice.currency} />
              </li>
            ))}
          </ul>
          {invoice.adjustmentReason ? <p className="mf-small">{t('finance.invoices.adjustmentReason', { reason: invoice.adjustmentReason })}</p> : null}
          <p className="mf-small mf-muted mf-break">{t('finance.invoices.reference', { reference: formatReference(invoice.reference) })}</p>
        </details>
      </Table.Th>
      <Table.Td><InvoiceStatusTag status={invoice.status} /></Table.Td>
      <Table.Td className="mf-num"><Money amount={invoice.amount} currency={invoice.currency} /></Table.Td>
      <Table.Td className="mf-num"><Money amount={invoice.paid} currency={invoice.currency} /></Table.Td>
      <Table.Td className="mf-num" data-testid="invoice-open"><Money amount={invoice.open} currency={invoice.currency} /></Table.Td>
      <Table.Td className="mf-nowrap">
        {open ? <DueDate value={invoice.dueOn} /> : <DateText value={invoice.dueOn} />}
        {invoice.paidOn ? <div className="mf-small mf-muted">{t('finance.invoices.paidOn')} <DateText value={invoice.paidOn} /></div> : null}
      </Table.Td>
      <Table.Td>{invoice.reminderLevel > 0 ? t('finance.invoices.reminders', { count: invoice.reminderLevel }) : t('finance.invoices.noReminder')}</Table.Td>
      <Table.Td>
        {invoice.payments.length === 0 ? <span className="mf-muted">{t('finance.invoices.noPayments')}</span> : (
          <ul className="mf-plain-list mf-small" aria-label={t('finance.invoices.paymentsOf', { number: invoice.number })}>
            {invoice.payments.map((payment) => (
              <li key={payment.id} data-testid="invoice-payment" data-source={payment.source}>
                <DateText value={payment.bookingDate} /> · {paymentSourceLabel(payment.source, t)} · <Money amount={payment.booked} currency={invoice.currency} />
                {payment.amount !== payment.booked ? <span className="mf-muted"> {t('finance.invoices.ofPaid', { amount: payment.amount })}</span> : null}
                {payment.clarification ? (
                  <div className="mf-muted">
                    {clarificationLabel(payment.clarification, t)}
                    {payment.clarificationStatus === 'open' ? ` · ${t('finance.invoices.inClarification')}` : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          {/* The PDF carries the payment slip for what is open: only open invoices print (the API refuses the others). */}
          {open ? (
            <Button component="a" href={invoicePdfUrl(invoice.id)} target="_blank" rel="noopener" size="compact-sm" variant="subtle" data-testid="invoice-pdf">
              {t('finance.invoices.pdf')}<RowContext>{what} ({t('finance.invoices.newWindow')})</RowContext>
            </Button>
          ) : null}
          {canPay && open ? (
            <Button size="compact-sm" variant="default" onClick={onPay} data-testid="invoice-pay">
              {t('finance.counter.button')}<RowContext>{what}</RowContext>
            </Button>
          ) : null}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** A payment at the counter: the amount (at most what is open) and the day; carries the invoice's version. */
function CounterPaymentForm({ invoice, onClose, onPaid, onReload }: {
  invoice: Invoice;
  onClose: () => void;
  onPaid: (updated: Invoice) => Promise<void>;
  /** The invoice changed meanwhile: load the list again. */
  onReload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState(invoice.open);
  const [paidOn, setPaidOn] = useState(todayIso());
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; paidOn?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(formRef, attempt);
  const mutation = useMutation({
    mutationFn: (body: { amount: string; paidOn: string; note?: string }) => recordCounterPayment(invoice, body),
    onSuccess: onPaid,
    onError: () => { requestAnimationFrame(() => problemRef.current?.focus()); },
  });
  const serverError = useServerFieldErrors(mutation.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: { amount?: string; paidOn?: string } = {};
    const normalised = normaliseAmount(amount);
    if (!amount.trim()) next.amount = t('form.required');
    else if (normalised === null || toMinor(normalised) <= 0) next.amount = t('finance.amountInvalid');
    else if (toMinor(normalised) > toMinor(invoice.open)) next.amount = t('finance.counter.tooMuch', { open: formatMoney(invoice.open, invoice.currency, currentLanguage()) });
    if (!ISO_DATE_RE.test(paidOn)) next.paidOn = t('form.dateRequired');
    else if (paidOn > todayIso()) next.paidOn = t('finance.counter.future');
    setErrors(next);
    if (Object.keys(next).length > 0 || normalised === null) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({ amount: normalised, paidOn, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="counter-payment-form">
      <Stack gap="sm">
        <Text size="sm">{t('finance.counter.intro', { number: invoice.number })}</Text>
        <dl className="mf-inline-facts">
          <div><dt>{t('finance.invoices.columns.amount')}</dt><dd><Money amount={invoice.amount} currency={invoice.currency} /></dd></div>
          <div><dt>{t('finance.invoices.columns.open')}</dt><dd><Money amount={invoice.open} currency={invoice.currency} /></dd></div>
        </dl>
        <div ref={problemRef} tabIndex={-1}>
          <FinanceProblem error={mutation.error && !serverError('amount', '') ? mutation.error : null} reload={async () => { await onReload(); onClose(); }}
            conflictBody={t('finance.counter.conflictBody')} />
        </div>
        <TextInput name="amount" label={t('finance.counter.amount', { currency: invoice.currency })} description={t('finance.amountHint')} inputMode="decimal"
          required withAsterisk value={amount} onChange={(event) => { setAmount(event.currentTarget.value); }} data-autofocus
          error={errors.amount ?? serverError('amount', t('finance.counter.amount', { currency: invoice.currency }))} data-testid="counter-amount" />
        <TextInput type="date" name="paidOn" label={t('finance.counter.paidOn')} required withAsterisk max={todayIso()} value={paidOn}
          onChange={(event) => { setPaidOn(event.currentTarget.value); }} error={errors.paidOn ?? serverError('paidOn', t('finance.counter.paidOn'))} data-testid="counter-date" />
        <TextInput name="note" label={t('finance.counter.note')} description={t('finance.counter.noteHint')} maxLength={500} value={note}
          onChange={(event) => { setNote(event.currentTarget.value); }} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="counter-submit">{t('finance.counter.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
