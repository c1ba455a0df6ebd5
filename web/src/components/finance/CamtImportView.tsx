import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { importCamt, previewCamt, type CamtEntry, type CamtSummary } from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatMoney, formatTimestamp } from '../../lib/format';
import { formatSize } from '../cases/common';
import { DateText } from '../register/common';
import { clarificationLabel, FinanceProblem, formatReference, invalidateFinance, Money } from './common';

/** The server refuses larger files (a large office's month is a few megabytes). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.xml,application/xml,text/xml';

/** The file as read when it was chosen: preview and booking send exactly these bytes. */
interface ChosenFile {
  name: string;
  bytes: Blob;
}

type Stage = { kind: 'preview'; summary: CamtSummary } | { kind: 'booked'; summary: CamtSummary };

/**
 * Reads a bank file (camt.053 statement or camt.054 credit notification): first a preview of what
 * booking it would do (nothing is booked), then "Book" sends the same bytes. The same file twice
 * changes nothing, and the page says so.
 */
export function CamtImportView() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState<File | null>(null);
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage | null>(null);

  const focus = (ref: { current: HTMLElement | null }) => { requestAnimationFrame(() => ref.current?.focus()); };
  const preview = useMutation({
    mutationFn: async (file: File) => {
      const read: ChosenFile = { name: file.name, bytes: new Blob([await file.arrayBuffer()], { type: 'application/xml' }) };
      return { read, summary: await previewCamt(read.bytes, read.name) };
    },
    onMutate: () => { setStage(null); setChosen(null); },
    onSuccess: ({ read, summary }) => {
      setChosen(read);
      setStage({ kind: 'preview', summary });
      focus(resultRef);
    },
    onError: () => { focus(problemRef); },
  });
  const book = useMutation({
    mutationFn: (file: ChosenFile) => importCamt(file.bytes, file.name),
    onSuccess: async (summary) => {
      setStage({ kind: 'booked', summary });
      focus(resultRef);
      await invalidateFinance(queryClient);
    },
    onError: () => { focus(problemRef); },
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    preview.reset();
    book.reset();
    if (!picked) setFileError(t('finance.import.chooseFile'));
    else if (picked.size > MAX_FILE_BYTES) setFileError(t('finance.import.tooLarge', { size: formatSize(MAX_FILE_BYTES) }));
    else {
      setFileError(null);
      preview.mutate(picked);
      return;
    }
    inputRef.current?.focus();
  };

  const error = preview.error ?? book.error;
  return (
    <Stack gap="md" data-testid="finance-import">
      <Text>{t('finance.import.intro')}</Text>
      <form noValidate onSubmit={onSubmit} className="mf-panel" aria-labelledby={`${inputId}-heading`} data-testid="camt-form">
        <h2 id={`${inputId}-heading`} className="mf-section-title">{t('finance.import.fileHeading')}</h2>
        <div className="mf-inline-form">
          <div className="mf-file-field">
            <label htmlFor={inputId} className="mf-file-label">{t('finance.import.file')}</label>
            <input ref={inputRef} id={inputId} type="file" name="camt" accept={ACCEPT} data-testid="camt-file"
              aria-describedby={fileError ? `${hintId} ${errorId}` : hintId} aria-invalid={fileError ? true : undefined}
              onChange={(event) => {
                setPicked(event.currentTarget.files?.[0] ?? null);
                setFileError(null);
                setStage(null);
                setChosen(null);
                preview.reset();
                book.reset();
              }} />
            <p id={hintId} className="mf-small mf-muted">{t('finance.import.fileHint')}</p>
            {fileError ? <p id={errorId} className="mf-field-error" role="alert">{fileError}</p> : null}
          </div>
          <Button type="submit" variant="default" loading={preview.isPending} data-testid="camt-preview">{t('finance.import.preview')}</Button>
        </div>
      </form>

      <div ref={problemRef} tabIndex={-1}>
        <FinanceProblem error={error} reload={async () => { preview.reset(); book.reset(); }} testId="camt-refused" />
      </div>

      <div ref={resultRef} tabIndex={-1} role="status" aria-live="polite" className={stage?.kind === 'booked' ? 'mf-notice' : undefined} data-testid="camt-outcome">
        {stage ? outcomeText(stage, t) : ''}
      </div>

      {stage ? (
        <section className="mf-panel" aria-labelledby={`${inputId}-result`} data-testid={stage.kind === 'preview' ? 'camt-preview-result' : 'camt-import-result'}
          data-already-imported={stage.summary.alreadyImported ? 'true' : 'false'}>
          <h2 id={`${inputId}-result`} className="mf-section-title">
            {stage.kind === 'preview' ? t('finance.import.previewHeading', { name: chosen?.name ?? '' }) : t('finance.import.bookedHeading', { name: chosen?.name ?? '' })}
          </h2>
          <SummaryFacts summary={stage.summary} />
          {stage.summary.alreadyImported ? (
            <Alert className="mf-alert-info" variant="light" mt="sm" data-testid="camt-already-imported">
              <Text size="sm">{t('finance.import.alreadyImported', alreadyImportedValues(stage.summary))}</Text>
            </Alert>
          ) : null}
          <EntriesTable summary={stage.summary} preview={stage.kind === 'preview'} />
          {stage.kind === 'preview' ? (
            <Group mt="md" gap="sm">
              <Button onClick={() => { if (chosen) book.mutate(chosen); }} loading={book.isPending} disabled={!chosen} data-testid="camt-book">
                {t('finance.import.book')}
              </Button>
              <Text size="sm" className="mf-muted">{stage.summary.alreadyImported ? t('finance.import.bookChangesNothing') : t('finance.import.bookHint')}</Text>
            </Group>
          ) : stage.summary.counts.clarification > 0 && !stage.summary.alreadyImported ? (
            <Text mt="md"><Link to="/finance/clarifications">{t('finance.import.toClarifications', { count: stage.summary.counts.clarification })}</Link></Text>
          ) : null}
        </section>
      ) : null}
    </Stack>
  );
}

function alreadyImportedValues(summary: CamtSummary): { on: string; by: string } {
  const previous = summary.alreadyImported;
  return { on: previous ? formatTimestamp(previous.on, currentLanguage()).text : '', by: previous?.by ?? '' };
}

/** What the preview or the booking came to, in one sentence (announced). */
function outcomeText(stage: Stage, t: TFunction): string {
  const { summary } = stage;
  if (summary.alreadyImported) return t('finance.import.outcome.alreadyImported', alreadyImportedValues(summary));
  const counts = { booked: summary.counts.booked, clarification: summary.counts.clarification, known: summary.counts.known };
  return stage.kind === 'preview' ? t('finance.import.outcome.preview', counts) : t('finance.import.outcome.booked', counts);
}

function SummaryFacts({ summary }: { summary: CamtSummary }) {
  const { t } = useTranslation();
  const currency = summary.entries[0]?.currency ?? 'CHF';
  return (
    <dl className="mf-inline-facts" data-testid="camt-summary">
      <div><dt>{t('finance.import.standard')}</dt><dd>{summary.standard}</dd></div>
      <div><dt>{t('finance.import.messageId')}</dt><dd className="mf-break">{summary.messageId}</dd></div>
      <div><dt>{t('finance.import.counts.booked')}</dt><dd data-testid="camt-count-booked">{summary.counts.booked}</dd></div>
      <div><dt>{t('finance.import.counts.clarification')}</dt><dd data-testid="camt-count-clarification">{summary.counts.clarification}</dd></div>
      <div><dt>{t('finance.import.counts.known')}</dt><dd>{summary.counts.known}</dd></div>
      {summary.counts.debitsSkipped > 0 ? <div><dt>{t('finance.import.counts.debitsSkipped')}</dt><dd>{summary.counts.debitsSkipped}</dd></div> : null}
      <div><dt>{t('finance.import.totals.credited')}</dt><dd><Money amount={summary.totals.credited} currency={currency} /></dd></div>
    </dl>
  );
}

const COLUMNS = ['position', 'date', 'amount', 'reference', 'payer', 'outcome', 'invoice'] as const;

/** What happens (preview) or happened (booked) to a credit, in words. */
function OutcomeTag({ entry, preview }: { entry: CamtEntry; preview: boolean }) {
  const { t } = useTranslation();
  const className = entry.outcome === 'booked' ? 'mf-tag mf-tag--current' : entry.outcome === 'clarification' ? 'mf-tag mf-tag--alert' : 'mf-tag';
  const known = entry.outcome === 'booked' || entry.outcome === 'clarification' || entry.outcome === 'known';
  const label = !known ? entry.outcome : preview ? t(`finance.import.outcomesPreview.${entry.outcome}`) : t(`finance.import.outcomes.${entry.outcome}`);
  return (
    <>
      <span className={className} data-testid="camt-entry-outcome" data-outcome={entry.outcome}>{label}</span>
      {entry.clarification ? <div className="mf-small">{clarificationLabel(entry.clarification, t)}</div> : null}
    </>
  );
}

/** Every credit of the file with what happens to it, and the totals. */
function EntriesTable({ summary, preview }: { summary: CamtSummary; preview: boolean }) {
  const { t } = useTranslation();
  const captionId = useId();
  if (summary.entries.length === 0) return <Text mt="sm">{t('finance.import.noEntries')}</Text>;
  const currency = summary.entries[0]?.currency ?? 'CHF';
  return (
    <div className="mf-table-scroll mf-table-scroll--spaced" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="camt-entries">
        <caption id={captionId} className="sr-only">{t('finance.import.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => <Table.Th key={column} scope="col" className={column === 'amount' ? 'mf-num' : undefined}>{t(`finance.import.columns.${column}`)}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.entries.map((entry) => (
            <Table.Tr key={entry.position} data-testid="camt-entry" data-outcome={entry.outcome} data-reference={entry.reference ?? ''}>
              <Table.Th scope="row" className="mf-small">{entry.position}</Table.Th>
              <Table.Td className="mf-nowrap">{entry.bookingDate ? <DateText value={entry.bookingDate} /> : null}</Table.Td>
              <Table.Td className="mf-num">
                <Money amount={entry.amount} currency={entry.currency} />
                {entry.outcome === 'clarification' && entry.booked !== '0.00' ? (
                  <div className="mf-small mf-muted">{t('finance.import.partlyBooked', { amount: entry.booked })}</div>
                ) : null}
              </Table.Td>
              <Table.Td className="mf-small">{entry.reference ? <span className="mf-reference">{formatReference(entry.reference)}</span> : <span className="mf-muted">{t('finance.import.noReference')}</span>}</Table.Td>
              <Table.Td>
                {entry.debtorName ?? ''}
                {entry.remittanceText ? <div className="mf-small mf-muted">{entry.remittanceText}</div> : null}
              </Table.Td>
              <Table.Td><OutcomeTag entry={entry} preview={preview} /></Table.Td>
              <Table.Td className="mf-nowrap">
                {entry.invoice ? (
                  <Link to={`/persons/${encodeURIComponent(entry.invoice.personId)}#finance`} data-testid="camt-entry-invoice">{entry.invoice.number}</Link>
                ) : <span className="mf-muted">–</span>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr className="mf-total-row">
            <Table.Th scope="row" colSpan={2}>{t('finance.import.totals.label')}</Table.Th>
            <Table.Td className="mf-num" data-testid="camt-total-credited"><Money amount={summary.totals.credited} currency={currency} /></Table.Td>
            <Table.Td colSpan={4}>
              {t('finance.import.totals.split', {
                booked: formatMoney(summary.totals.booked, currency, currentLanguage()),
                clarification: formatMoney(summary.totals.clarification, currency, currentLanguage()),
              })}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </div>
  );
}
