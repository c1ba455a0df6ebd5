import { Alert, Button, NativeSelect, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { depositPapers, returnPapers } from '../../api/endpoints';
import { PAPER_KINDS, type DepositPapersRequest, type Paper, type PaperKind, type PersonFile } from '../../api/types';
import { currentLanguage } from '../../i18n';
import { formatChf, formatNationality, todayIso } from '../../lib/format';
import { fieldErrorsOf, otherFieldErrors, refusalText, versionConflictOf } from '../../lib/problems';
import { ConflictNotice } from './ConflictNotice';
import { ErrorState } from '../ErrorState';
import { COUNTRY_CODE_RE, DateText, ISO_DATE_RE, optional, useFocusFirstInvalid, useFormValues, useServerFieldErrors } from './common';
import { FileSection } from './PersonSections';
import { personKey } from './personQueries';

interface PapersSectionProps {
  file: PersonFile;
  /** False when the file is shown as of a past date: no writes then. */
  editable: boolean;
}

export function PapersSection({ file, editable }: PapersSectionProps) {
  const { t } = useTranslation();
  const papers = [...file.papers].sort((a, b) => b.receiptNumber - a.receiptNumber);
  // Papers are deposited with the municipality the person lives in (the API refuses otherwise).
  const livesHere = file.residences.some((r) => r.departureDate === null);
  const [returnError, setReturnError] = useState<{ paperId: string; error: unknown } | null>(null);
  const queryClient = useQueryClient();

  const returnMutation = useMutation({
    mutationFn: ({ paper, version }: { paper: Paper; version: number }) => returnPapers(paper.id, todayIso(), version),
    onMutate: () => { setReturnError(null); },
    onSuccess: (paper) => {
      queryClient.setQueryData<PersonFile>(personKey(file.id), (previous) =>
        previous ? { ...previous, papers: previous.papers.map((p) => (p.id === paper.id ? paper : p)) } : previous,
      );
      void queryClient.invalidateQueries({ queryKey: ['person', file.id] });
    },
    onError: (error, { paper }) => { setReturnError({ paperId: paper.id, error }); },
  });

  return (
    <FileSection id="papers" title={t('personFile.sections.papers')}>
      {file.papersBlock ? (
        <Alert color="accent" variant="light" mb="sm" data-testid="papers-block-notice">
          <Text size="sm">{t('papers.blockNotice')}</Text>
        </Alert>
      ) : null}
      {papers.length === 0 ? (
        <Text mb="md">{t('papers.none')}</Text>
      ) : (
        <ul className="mf-paper-list" aria-label={t('papers.listLabel')}>
          {papers.map((paper) => (
            <PaperRow
              key={paper.id}
              paper={paper}
              editable={editable}
              returning={returnMutation.isPending && returnMutation.variables.paper.id === paper.id}
              onReturn={() => { returnMutation.mutate({ paper, version: file.version }); }}
              onReloaded={() => { setReturnError(null); }}
              error={returnError?.paperId === paper.id ? returnError.error : null}
            />
          ))}
        </ul>
      )}
      {editable && livesHere ? <DepositForm file={file} /> : null}
      {editable && !livesHere ? <Text size="sm" mt="md" className="mf-muted">{t('papers.depositNeedsResidence')}</Text> : null}
    </FileSection>
  );
}

function PaperRow({ paper, editable, returning, onReturn, onReloaded, error }: {
  paper: Paper;
  editable: boolean;
  returning: boolean;
  onReturn: () => void;
  onReloaded: () => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const refusal = error ? refusalText(error) : null;
  return (
    <li className="mf-paper" data-testid="paper-row" data-paper-id={paper.id} data-returned={paper.returnedOn ? 'true' : 'false'}>
      <div className="mf-paper-main">
        <div className="mf-paper-title">
          <span className="mf-paper-receipt">{t('papers.receiptNumber', { number: paper.receiptNumber })}</span>
          <strong>{paper.designation}</strong>
          {paper.number ? <span className="mf-muted"> · {paper.number}</span> : null}
          {paper.returnedOn ? (
            <span className="mf-tag">{t('papers.returned')}</span>
          ) : (
            <span className="mf-tag mf-tag--current">{t('papers.deposited')}</span>
          )}
        </div>
        <dl className="mf-inline-facts">
          <div><dt>{t('papers.kind')}</dt><dd>{t(`paperKinds.${paper.kind}`)}</dd></div>
          <div><dt>{t('papers.issuingCountry')}</dt><dd>{formatNationality(paper.issuingCountry, language, t)}</dd></div>
          <div><dt>{t('papers.validUntil')}</dt><dd><DateText value={paper.validUntil} /></dd></div>
          <div><dt>{t('papers.depositedOn')}</dt><dd><DateText value={paper.depositedOn} /></dd></div>
          <div><dt>{t('papers.fee')}</dt><dd>{formatChf(paper.feeChf, language)}</dd></div>
          {paper.returnedOn ? (
            <div>
              <dt>{t('papers.returnedOn')}</dt>
              <dd>
                <DateText value={paper.returnedOn} />
                {paper.returnedBy ? <span className="mf-muted"> ({paper.returnedBy})</span> : null}
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
      <div className="mf-paper-actions">
        <a href={paper.receiptUrl} data-testid="receipt-link" target="_blank" rel="noopener">
          {t('papers.receipt')}
          <span className="sr-only"> {t('papers.receiptFor', { number: paper.receiptNumber })}</span>
        </a>
        {editable && !paper.returnedOn ? (
          <Button size="xs" variant="default" onClick={onReturn} loading={returning} data-testid="return-papers"
            aria-label={t('papers.returnLabel', { designation: paper.designation, number: paper.receiptNumber })}>
            {t('papers.return')}
          </Button>
        ) : null}
      </div>
      {error ? (
        <div className="mf-paper-error">
          {versionConflictOf(error) ? (
            <ConflictNotice error={error} personId={paper.personId} onReloaded={onReloaded} />
          ) : refusal ? (
            <Alert color="accent" variant="light" role="alert" title={t('papers.returnRefused')} data-testid="return-refused"
              data-code={isApiError(error) ? error.code : undefined}>
              <Text size="sm">{refusal}</Text>
            </Alert>
          ) : (
            <ErrorState error={error} />
          )}
        </div>
      ) : null}
    </li>
  );
}

// ---- deposit form ----------------------------------------------------------------------------

type DepositField = 'kind' | 'designation' | 'number' | 'issuingCountry' | 'validUntil' | 'depositedOn' | 'feeChf';
const DEPOSIT_FIELDS: readonly DepositField[] = ['kind', 'designation', 'number', 'issuingCountry', 'validUntil', 'depositedOn', 'feeChf'];

/** "30", "30.00", "30,50", "1'000.00" → number; NaN when not an amount. */
function parseChf(value: string): number {
  const cleaned = value.trim().replace(/['’\s]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

function DepositForm({ file }: { file: PersonFile }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial = (): Record<DepositField, string> => ({
    kind: 'passport',
    designation: '',
    number: '',
    issuingCountry: file.identity.nationality === 'XX' || file.identity.nationality === 'XS' ? '' : file.identity.nationality,
    validUntil: '',
    depositedOn: todayIso(),
    feeChf: '',
  });
  const form = useFormValues<DepositField>(initial);
  const [clientErrors, setClientErrors] = useState<Partial<Record<DepositField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [deposited, setDeposited] = useState<Paper | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ body, version }: { body: DepositPapersRequest; version: number }) => depositPapers(file.id, body, version),
    onSuccess: (paper) => {
      queryClient.setQueryData<PersonFile>(personKey(file.id), (previous) =>
        previous && !previous.papers.some((p) => p.id === paper.id) ? { ...previous, papers: [...previous.papers, paper] } : previous,
      );
      // The file's version and deadlines may have changed with the deposit.
      void queryClient.invalidateQueries({ queryKey: ['person', file.id] });
      setDeposited(paper);
      form.setValues((values) => ({ ...initial(), depositedOn: values.depositedOn, issuingCountry: values.issuingCountry }));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverErrors = fieldErrorsOf(mutation.error);
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: DepositField, label: string) => clientErrors[field] ?? serverError(field, label);
  const unplaced = otherFieldErrors(mutation.error, DEPOSIT_FIELDS);

  const onKindChange = (kind: string) => {
    // Suggest the designation from the kind, unless the user wrote one.
    form.setValues((values) => {
      const previousLabel = isPaperKind(values.kind) ? t(`paperKinds.${values.kind}`) : '';
      const designation =
        values.designation === '' || values.designation === previousLabel
          ? isPaperKind(kind) && kind !== 'other' ? t(`paperKinds.${kind}`) : ''
          : values.designation;
      return { ...values, kind, designation };
    });
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = form.values;
    const errors: Partial<Record<DepositField, string>> = {};
    if (!v.designation.trim()) errors.designation = t('form.required');
    if (!COUNTRY_CODE_RE.test(v.issuingCountry.trim().toUpperCase())) errors.issuingCountry = t('form.countryCode');
    if (v.validUntil && !ISO_DATE_RE.test(v.validUntil)) errors.validUntil = t('form.date');
    if (!ISO_DATE_RE.test(v.depositedOn)) errors.depositedOn = t('form.dateRequired');
    const fee = parseChf(v.feeChf);
    if (Number.isNaN(fee)) errors.feeChf = t('papers.feeInvalid');
    setClientErrors(errors);
    setDeposited(null);
    mutation.reset();
    if (Object.keys(errors).length > 0 || !isPaperKind(v.kind)) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({
      version: file.version,
      body: {
        kind: v.kind,
        designation: v.designation.trim(),
        number: optional(v.number),
        issuingCountry: v.issuingCountry.trim().toUpperCase(),
        validUntil: optional(v.validUntil),
        depositedOn: v.depositedOn,
        feeChf: fee,
      },
    });
  };

  const problem = mutation.error;
  const hasFieldErrors = Object.keys(serverErrors).length > 0;

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="deposit-form" aria-labelledby="deposit-heading">
      <h3 id="deposit-heading" className="mf-subheading">{t('papers.depositTitle')}</h3>
      <Text size="sm" mb="sm">{t('papers.depositIntro')}</Text>
      {deposited ? (
        <Alert color="teal" variant="light" className="mf-alert-success" role="status" mb="sm" data-testid="deposit-done">
          <Text size="sm">
            {t('papers.depositDone', { number: deposited.receiptNumber })}{' '}
            <a href={deposited.receiptUrl} target="_blank" rel="noopener">{t('papers.receipt')}</a>
          </Text>
        </Alert>
      ) : null}
      {problem && isApiError(problem) && problem.isUnexpected ? <ErrorState error={problem} /> : null}
      {versionConflictOf(problem) ? (
        <ConflictNotice error={problem} personId={file.id} onReloaded={() => { mutation.reset(); }} />
      ) : problem && isApiError(problem) && !problem.isUnexpected && (!hasFieldErrors || unplaced.length > 0) ? (
        <Alert color="accent" variant="light" role="alert" mb="sm" title={t('form.notSaved')} data-testid="form-error">
          <Text size="sm">{hasFieldErrors ? t('form.fixErrors') : refusalText(problem)}</Text>
          {unplaced.length > 0 ? (
            <ul className="mf-error-list">
              {unplaced.map((item) => <li key={item.field}>{item.field}: {item.message}</li>)}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <div className="mf-form-grid">
        <NativeSelect name="kind" label={t('papers.kind')} value={form.values.kind}
          onChange={(event) => { onKindChange(event.currentTarget.value); }} error={errorOf('kind', t('papers.kind'))}>
          {PAPER_KINDS.map((kind) => (
            <option key={kind} value={kind}>{t(`paperKinds.${kind}`)}</option>
          ))}
        </NativeSelect>
        <TextInput name="designation" label={t('papers.designation')} description={t('papers.designationHint')}
          autoComplete="off" {...form.bind('designation')} error={errorOf('designation', t('papers.designation'))} />
        <TextInput name="number" label={t('papers.number')} description={t('form.optional')} autoComplete="off"
          spellCheck={false} {...form.bind('number')} error={errorOf('number', t('papers.number'))} />
        <TextInput name="issuingCountry" label={t('papers.issuingCountry')} description={t('form.countryCodeHint')}
          autoComplete="off" maxLength={2} spellCheck={false} {...form.bind('issuingCountry')} error={errorOf('issuingCountry', t('papers.issuingCountry'))} />
        <TextInput type="date" name="validUntil" label={t('papers.validUntil')} description={t('form.optional')}
          {...form.bind('validUntil')} error={errorOf('validUntil', t('papers.validUntil'))} />
        <TextInput type="date" name="depositedOn" label={t('papers.depositedOn')} {...form.bind('depositedOn')} error={errorOf('depositedOn', t('papers.depositedOn'))} />
        <TextInput name="feeChf" label={t('papers.feeChf')} description={t('papers.feeHint')} inputMode="decimal"
          autoComplete="off" {...form.bind('feeChf')} error={errorOf('feeChf', t('papers.feeChf'))} />
      </div>
      <Button type="submit" mt="md" loading={mutation.isPending} data-testid="deposit-papers">
        {t('papers.depositSubmit')}
      </Button>
    </form>
  );
}

function isPaperKind(value: string): value is PaperKind {
  return (PAPER_KINDS as readonly string[]).includes(value);
}
