import { Button, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { searchPersons } from '../../api/endpoints';
import { fetchPersonInvoices, resolveClarification, type ClarificationItem, type Resolution } from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatDate, formatMoney, formatNationality, formatRegisterDate } from '../../lib/format';
import { Loading } from '../Loading';
import { ErrorState } from '../ErrorState';
import { useFocusFirstInvalid } from '../register/common';
import { clarificationLabel, FinanceProblem, formatReference, Money, personInvoicesKey, toMinor } from './common';

export type ResolveAction = Resolution['action'];
const ACTIONS: readonly ResolveAction[] = ['book', 'refund', 'acknowledge'];
const SHOWN_HITS = 8;
const NOTE_MAX = 500;

/**
 * Settles an item of the clarification list: book what is unbooked to an open invoice (found
 * through the person it belongs to), record that it was paid back, or acknowledge it. A note is
 * required unless the money is booked; the item's version goes along (If-Match).
 */
export function ResolveForm({ item, initialAction, onClose, onResolved, onReload }: {
  item: ClarificationItem;
  initialAction: ResolveAction;
  onClose: () => void;
  onResolved: (resolved: ClarificationItem) => Promise<void>;
  onReload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const unbooked = toMinor(item.unbooked) > 0;
  const [action, setAction] = useState<ResolveAction>(unbooked ? initialAction : 'acknowledge');
  const [note, setNote] = useState('');
  const [personId, setPersonId] = useState(item.invoice?.personId ?? '');
  const [search, setSearch] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const [errors, setErrors] = useState<{ note?: string; invoice?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const [debounced] = useDebouncedValue(search.trim(), 250);
  const hits = useQuery({
    queryKey: ['persons', 'search', debounced],
    queryFn: ({ signal }) => searchPersons(debounced, signal),
    enabled: action === 'book' && debounced.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const shownHits = debounced.length >= 2 ? (hits.data ?? []).slice(0, SHOWN_HITS) : [];
  const invoices = useQuery({
    queryKey: personInvoicesKey(personId),
    queryFn: ({ signal }) => fetchPersonInvoices(personId, signal),
    enabled: action === 'book' && personId !== '',
  });
  const openInvoices = (invoices.data ?? []).filter((invoice) => invoice.status === 'open');

  const mutation = useMutation({
    mutationFn: (body: Resolution) => resolveClarification(item, body),
    onSuccess: onResolved,
    onError: () => { requestAnimationFrame(() => problemRef.current?.focus()); },
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: { note?: string; invoice?: string } = {};
    if (action === 'book' && !invoiceId) next.invoice = t('finance.resolve.chooseInvoice');
    if (action !== 'book' && !note.trim()) next.note = t('finance.resolve.noteRequired');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    const text = note.trim();
    mutation.mutate(action === 'book' ? { action, invoiceId, ...(text ? { note: text } : {}) } : { action, note: text });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="resolve-form" data-action={action}>
      <Stack gap="sm">
        <dl className="mf-inline-facts">
          <div><dt>{t('finance.clarifications.columns.amount')}</dt><dd><Money amount={item.amount} currency={item.currency} /></dd></div>
          <div><dt>{t('finance.resolve.unbooked')}</dt><dd><Money amount={item.unbooked} currency={item.currency} /></dd></div>
          <div><dt>{t('finance.clarifications.columns.date')}</dt><dd>{formatDate(item.bookingDate, language)}</dd></div>
          <div><dt>{t('finance.clarifications.columns.reason')}</dt><dd>{clarificationLabel(item.clarification, t)}</dd></div>
          {item.debtorName ? <div><dt>{t('finance.import.columns.payer')}</dt><dd>{item.debtorName}</dd></div> : null}
          {item.reference ? <div><dt>{t('finance.import.columns.reference')}</dt><dd className="mf-reference">{formatReference(item.reference)}</dd></div> : null}
        </dl>
        <div ref={problemRef} tabIndex={-1}>
          <FinanceProblem error={mutation.error} reload={async () => { await onReload(); onClose(); }} conflictBody={t('finance.resolve.conflictBody')} />
        </div>
        <Radio.Group name="action" label={t('finance.resolve.action')} value={action} onChange={(value) => { if ((ACTIONS as readonly string[]).includes(value)) setAction(value as ResolveAction); }}>
          <Stack gap={6} mt={6}>
            {ACTIONS.map((value) => (
              <Radio key={value} value={value} label={t(`finance.resolve.actions.${value}`)} description={t(`finance.resolve.explain.${value}`)}
                disabled={value !== 'acknowledge' && !unbooked} data-testid={`resolve-action-${value}`} />
            ))}
          </Stack>
        </Radio.Group>

        {action === 'book' ? (
          <fieldset className="mf-fieldset">
            <legend className="mf-subheading">{t('finance.resolve.invoiceLegend')}</legend>
            {item.invoice ? <Text size="sm" mb="xs">{t('finance.resolve.linkedInvoice', { number: item.invoice.number })}</Text> : null}
            <TextInput type="search" name="personSearch" label={t('finance.resolve.personSearch')} description={t('finance.resolve.personSearchHint')}
              value={search} autoComplete="off" data-autofocus onChange={(event) => { setSearch(event.currentTarget.value); }} data-testid="resolve-person-search" />
            <div aria-live="polite" className="mf-small mf-muted mf-search-status">
              {debounced.length >= 2 && hits.data ? (shownHits.length === 0 ? t('finance.resolve.noPersons') : t('finance.resolve.personsFound', { count: hits.data.length })) : ''}
            </div>
            {shownHits.length > 0 ? (
              <Radio.Group name="personId" value={personId} onChange={(value) => { setPersonId(value); setInvoiceId(''); }} label={t('finance.resolve.choosePerson')}>
                <Stack gap={6} mt={6}>
                  {shownHits.map((hit) => (
                    <Radio key={hit.id} value={hit.id} data-testid="resolve-person-hit" label={`${hit.officialName} ${hit.firstNames}`}
                      description={`${formatRegisterDate(hit.dateOfBirth, language, t).text} · ${formatNationality(hit.nationality, language, t)}`} />
                  ))}
                </Stack>
              </Radio.Group>
            ) : null}
            {personId ? (
              <div className="mf-subpanel">
                {invoices.isPending ? <Loading /> : null}
                {invoices.isError ? <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} /> : null}
                {invoices.data && openInvoices.length === 0 ? <Text size="sm">{t('finance.resolve.noOpenInvoices')}</Text> : null}
                {openInvoices.length > 0 ? (
                  <Radio.Group name="invoiceId" value={invoiceId} onChange={setInvoiceId} label={t('finance.resolve.chooseInvoiceLabel')}
                    error={errors.invoice} required>
                    <Stack gap={6} mt={6}>
                      {openInvoices.map((invoice) => (
                        <Radio key={invoice.id} value={invoice.id} data-testid="resolve-invoice" data-number={invoice.number}
                          label={t('finance.resolve.invoiceOption', { number: invoice.number, open: formatMoney(invoice.open, invoice.currency, language) })}
                          description={t('finance.resolve.invoiceDetails', { due: formatDate(invoice.dueOn, language), reference: formatReference(invoice.reference) })} />
                      ))}
                    </Stack>
                  </Radio.Group>
                ) : null}
              </div>
            ) : errors.invoice ? <p className="mf-field-error" role="alert">{errors.invoice}</p> : null}
          </fieldset>
        ) : null}

        <Textarea name="note" label={t('finance.resolve.note')} description={action === 'book' ? t('finance.resolve.noteOptional') : t('finance.resolve.noteHint')}
          autosize minRows={2} maxLength={NOTE_MAX} required={action !== 'book'} withAsterisk={action !== 'book'} value={note}
          data-autofocus={action !== 'book' || undefined} onChange={(event) => { setNote(event.currentTarget.value); }} error={errors.note} data-testid="resolve-note" />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="resolve-submit">{t(`finance.resolve.submit.${action}`)}</Button>
        </Group>
      </Stack>
    </form>
  );
}
