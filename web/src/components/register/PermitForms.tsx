import type { TFunction } from 'i18next';
import { Alert, Button, Group, Modal, NativeSelect, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { VersionConflictAlert } from '../VersionConflictAlert';
import { isApiError } from '../../api/client';
import { changePermitCategory, endPermit, extendPermit } from '../../api/endpoints';
import {
  ADMISSION_REASONS,
  isAdmissionReason,
  MANUAL_END_REASONS,
  type AdmissionReason,
  type GrantPermitRequest,
  type ManualEndReason,
  type Permit,
  type PermitCategory,
} from '../../api/types';
import { currentLanguage } from '../../i18n';
import { addToIsoDate, formatDate, todayIso } from '../../lib/format';
import { categoryName, defaultMonths, defaultValidUntil, validityRule } from '../../lib/permits';
import { isVersionConflict, otherFieldErrors, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { ISO_DATE_RE, orNull, useFocusFirstInvalid, useFormValues, useIsPhone, useServerFieldErrors } from './common';
import { personPermitsKey, storePermit } from './personQueries';

// ---- shared parts ------------------------------------------------------------------------------

/** Refusals the API answers for permit writes, with what the user can do about each. */
const REFUSAL_HINTS = [
  'permit-overlap',
  'not-registered-on-date',
  'permit-too-long',
  'unknown-permit-category',
  'invalid-period',
  'permit-ended',
] as const;
type RefusalHint = (typeof REFUSAL_HINTS)[number];

function refusalHintOf(code: string): RefusalHint | null {
  return (REFUSAL_HINTS as readonly string[]).includes(code) ? (code as RefusalHint) : null;
}

/** A typical reason for categories that have one (N, F, S); the user may choose another. */
const TYPICAL_REASON: Record<string, AdmissionReason> = {
  N: 'asylum-primary',
  F: 'provisional-admission',
  S: 'protection',
};

/**
 * `409 version-conflict` on a permit: someone else changed it since the list was loaded. Reloads
 * the person's permits; the dialog keeps the user's entries and works on the fresh version.
 */
function PermitConflictNotice({ personId, onReloaded }: { personId: string; onReloaded: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: personPermitsKey(personId), exact: true }, { throwOnError: true });
    onReloaded();
  };
  return <VersionConflictAlert title={t('permits.conflict.title')} body={t('permits.conflict.body')} reload={reload} />;
}

/** Form-level part of a failed permit write: conflict with reload, the API's refusal with a hint, or the generic error. */
export function PermitWriteProblem({ error, personId, known, onReloaded }: {
  error: unknown;
  personId: string;
  known: readonly string[];
  onReloaded: () => void;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isVersionConflict(error)) return <PermitConflictNotice personId={personId} onReloaded={onReloaded} />;
  if (!isApiError(error) || error.isUnexpected) return <ErrorState error={error} />;
  const unplaced = otherFieldErrors(error, known);
  const hasPlacedErrors = (error.problem.errors?.length ?? 0) > unplaced.length;
  const hint = refusalHintOf(error.code);
  return (
    <Alert color="accent" variant="light" role="alert" title={t('form.notSaved')} data-testid="permit-refused" data-code={error.code}>
      <Text size="sm">{hasPlacedErrors ? t('form.fixErrors') : refusalText(error)}</Text>
      {hint && !hasPlacedErrors ? <Text size="sm" mt="xs" fw={600}>{t(`permits.hints.${hint}`)}</Text> : null}
      {unplaced.length > 0 ? (
        <ul className="mf-error-list">
          {unplaced.map((item) => <li key={`${item.field}-${item.message}`}>{item.field}: {item.message}</li>)}
        </ul>
      ) : null}
    </Alert>
  );
}

export function PermitDialog({ opened, onClose, title, children }: { opened: boolean; onClose: () => void; title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" fullScreen={isPhone}
      closeButtonProps={{ 'aria-label': t('common.close') }} classNames={{ title: 'mf-dialog-title' }}>
      {children}
    </Modal>
  );
}

function FormActions({ onClose, pending, submitLabel, testId }: { onClose: () => void; pending: boolean; submitLabel: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm" mt="sm">
      <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
      <Button type="submit" loading={pending} data-testid={testId}>{submitLabel}</Button>
    </Group>
  );
}

/** A date in the UI locale as plain text (for messages). */
function dateText(value: string): string {
  return formatDate(value, currentLanguage());
}

// ---- the fields of a new permit (grant, change of category) -------------------------------------

export type PermitField = 'category' | 'admissionReason' | 'validFrom' | 'validUntil' | 'conditions' | 'cardNumber';
export const PERMIT_FIELDS: readonly PermitField[] = ['category', 'admissionReason', 'validFrom', 'validUntil', 'conditions', 'cardNumber'];
export type PermitValues = Record<PermitField, string>;

export function emptyPermitValues(overrides: Partial<PermitValues> = {}): PermitValues {
  return { category: '', admissionReason: '', validFrom: todayIso(), validUntil: '', conditions: '', cardNumber: '', ...overrides };
}

/** Checks what the browser can check; the server decides the rest (overlaps, registration, maximum). */
export function validatePermitValues(values: PermitValues, t: TFunction): Partial<Record<PermitField, string>> {
  const errors: Partial<Record<PermitField, string>> = {};
  if (!values.category) errors.category = t('form.choose');
  if (!isAdmissionReason(values.admissionReason)) errors.admissionReason = t('form.choose');
  if (!ISO_DATE_RE.test(values.validFrom)) errors.validFrom = t('form.dateRequired');
  if (values.validUntil && !ISO_DATE_RE.test(values.validUntil)) errors.validUntil = t('form.date');
  else if (values.validUntil && ISO_DATE_RE.test(values.validFrom) && values.validUntil < values.validFrom) errors.validUntil = t('permits.untilBeforeFrom');
  return errors;
}

/** The request body: no validUntil means the category's default validity. */
export function permitBody(values: PermitValues): GrantPermitRequest {
  return {
    category: values.category,
    admissionReason: values.admissionReason as AdmissionReason,
    validFrom: values.validFrom,
    ...(values.validUntil ? { validUntil: values.validUntil } : {}),
    conditions: orNull(values.conditions),
    cardNumber: orNull(values.cardNumber),
  };
}

/** Under "valid until": what leaving it empty gives, for this category and nationality. */
function ValidityHint({ category, nationality, validFrom }: { category: PermitCategory | undefined; nationality: string; validFrom: string }) {
  const { t } = useTranslation();
  if (!category) return <>{t('permits.validUntilHint')}</>;
  const rule = validityRule(category);
  const from = ISO_DATE_RE.test(validFrom) ? validFrom : todayIso();
  const until = defaultValidUntil(rule, nationality, from);
  const parts: string[] = [];
  if (until === null) {
    const control = rule.controlMonths ? addToIsoDate(from, { months: rule.controlMonths }) : null;
    parts.push(control ? t('permits.defaultUnlimitedControl', { date: dateText(control) }) : t('permits.defaultUnlimited'));
  } else if (until) {
    parts.push(t('permits.defaultUntil', { date: dateText(until), count: defaultMonths(rule, nationality) ?? 0 }));
  } else {
    parts.push(t('permits.validUntilHint'));
  }
  if (rule.maxMonths) parts.push(t('permits.maxMonths', { count: rule.maxMonths }));
  return <>{parts.join(' ')}</>;
}

export function PermitFields({ form, categories, nationality, errorOf, excludeCategory, labels, autoFocus = false }: {
  form: ReturnType<typeof useFormValues<PermitField>>;
  categories: readonly PermitCategory[];
  nationality: string;
  errorOf: (field: PermitField, label: string) => string | undefined;
  /** The current category, left out when changing category. */
  excludeCategory?: string;
  labels?: Partial<Record<'category' | 'validFrom', string>>;
  /** In a dialog: the category field takes the focus when it opens. */
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const active = categories.filter((c) => c.active && c.code !== excludeCategory);
  const main = active.filter((c) => c.isMain);
  const additional = active.filter((c) => !c.isMain);
  const selected = active.find((c) => c.code === form.values.category);
  const categoryLabel = labels?.category ?? t('permits.category');
  const validFromLabel = labels?.validFrom ?? t('permits.validFrom');

  const onCategoryChange = (code: string) => {
    form.setValues((values) => {
      const typical = TYPICAL_REASON[code];
      const previousTypical = TYPICAL_REASON[values.category];
      const keepReason = values.admissionReason !== '' && values.admissionReason !== previousTypical;
      return { ...values, category: code, admissionReason: keepReason ? values.admissionReason : (typical ?? '') };
    });
  };

  const option = (c: PermitCategory) => (
    <option key={c.code} value={c.code}>{c.names[language] || c.code}</option>
  );

  return (
    <div className="mf-form-grid">
      <NativeSelect name="category" label={categoryLabel} value={form.values.category} data-autofocus={autoFocus || undefined}
        onChange={(event) => { onCategoryChange(event.currentTarget.value); }}
        error={errorOf('category', categoryLabel)}
        description={selected ? `${selected.legalBasis}${selected.echCode ? ` · eCH-0006 ${selected.echCode}` : ''}` : undefined}>
        <option value="">{t('form.chooseOption')}</option>
        {additional.length > 0 ? (
          <>
            <optgroup label={t('permits.mainCategories')}>{main.map(option)}</optgroup>
            <optgroup label={t('permits.additionalCategories')}>{additional.map(option)}</optgroup>
          </>
        ) : (
          main.map(option)
        )}
      </NativeSelect>
      <NativeSelect name="admissionReason" label={t('permits.admissionReason')} {...form.bind('admissionReason')}
        error={errorOf('admissionReason', t('permits.admissionReason'))}>
        <option value="">{t('form.chooseOption')}</option>
        {ADMISSION_REASONS.map((reason) => (
          <option key={reason} value={reason}>{t(`admissionReasons.${reason}`)}</option>
        ))}
      </NativeSelect>
      <TextInput type="date" name="validFrom" label={validFromLabel} {...form.bind('validFrom')}
        error={errorOf('validFrom', validFromLabel)} />
      <TextInput type="date" name="validUntil" label={t('permits.validUntil')}
        description={<ValidityHint category={selected} nationality={nationality} validFrom={form.values.validFrom} />}
        {...form.bind('validUntil')} error={errorOf('validUntil', t('permits.validUntil'))} />
      <TextInput name="cardNumber" label={t('permits.cardNumber')} description={t('permits.cardNumberHint')} autoComplete="off"
        spellCheck={false} {...form.bind('cardNumber')} error={errorOf('cardNumber', t('permits.cardNumber'))} />
      <Textarea name="conditions" label={t('permits.conditions')} description={t('permits.conditionsHint')} autosize minRows={2}
        value={form.values.conditions} onChange={(event) => { form.set('conditions', event.currentTarget.value); }}
        error={errorOf('conditions', t('permits.conditions'))} />
    </div>
  );
}

// ---- extend ----------------------------------------------------------------------------------

interface PermitDialogProps {
  permit: Permit;
  categories: readonly PermitCategory[];
  nationality: string;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** The usual next validity: the category's default period, from the day after the current end. */
function proposedExtension(permit: Permit, category: PermitCategory | undefined, nationality: string): string {
  if (!permit.validUntil) return '';
  const next = addToIsoDate(permit.validUntil, { days: 1 });
  if (!next) return '';
  return defaultValidUntil(validityRule(category), nationality, next) ?? '';
}

export function ExtendPermitForm({ permit, categories, nationality, onClose, onDone }: PermitDialogProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const name = categoryName(permit.category, categories, currentLanguage());
  const [validUntil, setValidUntil] = useState(() => proposedExtension(permit, categories.find((c) => c.code === permit.category), nationality));
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ target, date }: { target: Permit; date: string }) => extendPermit(target, date),
    onSuccess: (next) => {
      storePermit(queryClient, next);
      onDone(t('permits.extend.done', { category: name, date: next.validUntil ? dateText(next.validUntil) : '' }));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    let error: string | undefined;
    if (!ISO_DATE_RE.test(validUntil)) error = t('form.dateRequired');
    else if (permit.validUntil && validUntil <= permit.validUntil) error = t('permits.extend.mustBeLater', { date: dateText(permit.validUntil) });
    setClientError(error);
    if (error) setAttempt((n) => n + 1);
    else mutation.mutate({ target: permit, date: validUntil });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="extend-permit-form">
      <Stack gap="sm">
        <Text size="sm">{t('permits.extend.intro', { category: name, date: permit.validUntil ? dateText(permit.validUntil) : '' })}</Text>
        <PermitWriteProblem error={mutation.error} personId={permit.personId} known={['validUntil']} onReloaded={() => { mutation.reset(); }} />
        <TextInput type="date" name="validUntil" label={t('permits.extend.validUntil')} value={validUntil} data-autofocus
          onChange={(event) => { setValidUntil(event.currentTarget.value); }}
          error={clientError ?? serverError('validUntil', t('permits.extend.validUntil'))} />
        <FormActions onClose={onClose} pending={mutation.isPending} submitLabel={t('permits.extend.submit')} testId="extend-permit-submit" />
      </Stack>
    </form>
  );
}

// ---- change of category ----------------------------------------------------------------------

export function ChangeCategoryForm({ permit, categories, nationality, onClose, onDone }: PermitDialogProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const language = currentLanguage();
  const name = categoryName(permit.category, categories, language);
  const form = useFormValues<PermitField>(() => emptyPermitValues({ admissionReason: permit.admissionReason }));
  const [clientErrors, setClientErrors] = useState<Partial<Record<PermitField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ target, body }: { target: Permit; body: GrantPermitRequest }) => changePermitCategory(target, body),
    onSuccess: (next) => {
      storePermit(queryClient, next);
      onDone(t('permits.change.done', { category: categoryName(next.category, categories, language), date: dateText(next.validFrom) }));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: PermitField, label: string) => clientErrors[field] ?? serverError(field, label);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const errors = validatePermitValues(form.values, t);
    if (!errors.validFrom && form.values.validFrom <= permit.validFrom) {
      errors.validFrom = t('permits.change.mustBeLater', { date: dateText(permit.validFrom) });
    }
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) setAttempt((n) => n + 1);
    else mutation.mutate({ target: permit, body: permitBody(form.values) });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="change-category-form">
      <Stack gap="sm">
        <Text size="sm">{t('permits.change.intro', { category: name })}</Text>
        <PermitWriteProblem error={mutation.error} personId={permit.personId} known={PERMIT_FIELDS} onReloaded={() => { mutation.reset(); }} />
        <PermitFields form={form} categories={categories} nationality={nationality} errorOf={errorOf} excludeCategory={permit.category} autoFocus
          labels={{ category: t('permits.change.category'), validFrom: t('permits.change.validFrom') }} />
        <FormActions onClose={onClose} pending={mutation.isPending} submitLabel={t('permits.change.submit')} testId="change-category-submit" />
      </Stack>
    </form>
  );
}

// ---- end -------------------------------------------------------------------------------------

function isManualEndReason(value: string): value is ManualEndReason {
  return (MANUAL_END_REASONS as readonly string[]).includes(value);
}

export function EndPermitForm({ permit, categories, onClose, onDone }: PermitDialogProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const name = categoryName(permit.category, categories, currentLanguage());
  const form = useFormValues<'date' | 'reason'>({ date: todayIso(), reason: '' });
  const [clientErrors, setClientErrors] = useState<Partial<Record<'date' | 'reason', string>>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ target, date, reason }: { target: Permit; date: string; reason: ManualEndReason }) => endPermit(target, { date, reason }),
    onSuccess: (next) => {
      storePermit(queryClient, next);
      onDone(t('permits.end.done', { category: name, date: next.endedOn ? dateText(next.endedOn) : '' }));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const { date, reason } = form.values;
    const errors: Partial<Record<'date' | 'reason', string>> = {};
    if (!ISO_DATE_RE.test(date)) errors.date = t('form.dateRequired');
    else if (date < permit.validFrom) errors.date = t('permits.end.notBeforeStart', { date: dateText(permit.validFrom) });
    if (!isManualEndReason(reason)) errors.reason = t('form.choose');
    setClientErrors(errors);
    if (Object.keys(errors).length > 0 || !isManualEndReason(reason)) setAttempt((n) => n + 1);
    else mutation.mutate({ target: permit, date, reason });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="end-permit-form">
      <Stack gap="sm">
        <Text size="sm">{t('permits.end.intro', { category: name, date: dateText(permit.validFrom) })}</Text>
        <PermitWriteProblem error={mutation.error} personId={permit.personId} known={['date', 'reason']} onReloaded={() => { mutation.reset(); }} />
        <TextInput type="date" name="date" label={t('permits.end.date')} description={t('permits.end.dateHint')} data-autofocus {...form.bind('date')}
          error={clientErrors.date ?? serverError('date', t('permits.end.date'))} />
        <Radio.Group name="reason" label={t('permits.end.reason')} value={form.values.reason}
          onChange={(value) => { form.set('reason', value); }} error={clientErrors.reason ?? serverError('reason', t('permits.end.reason'))}>
          <Stack gap="xs" mt="xs">
            {MANUAL_END_REASONS.map((reason) => (
              <Radio key={reason} value={reason} label={t(`permits.endReasons.${reason}`)}
                aria-invalid={clientErrors.reason ? true : undefined} />
            ))}
          </Stack>
        </Radio.Group>
        <FormActions onClose={onClose} pending={mutation.isPending} submitLabel={t('permits.end.submit')} testId="end-permit-submit" />
      </Stack>
    </form>
  );
}
