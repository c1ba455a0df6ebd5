import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { patchPerson, recordDeparture, recordMove } from '../../api/endpoints';
import {
  CIVIL_STATUSES,
  isReligionCode,
  LEGAL_CAPACITIES,
  RELIGION_CODES,
  type Identity,
  type DepartureRequest,
  type IdentityChanges,
  type MoveRequest,
  type PersonFile,
  type PersonPatch,
  type Residence,
} from '../../api/types';
import { otherFieldErrors, refusalText, versionConflictOf } from '../../lib/problems';
import { todayIso } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import {
  COUNTRY_CODE_RE,
  ISO_DATE_RE,
  isValidAhvn13,
  optional,
  optionalInt,
  useFocusFirstInvalid,
  useFormValues,
  useIsPhone,
  useServerFieldErrors,
} from './common';
import { ConflictNotice, ReloadedNotice } from './ConflictNotice';
import { useStorePersonFile } from './personQueries';

interface DialogProps {
  file: PersonFile;
  opened: boolean;
  onClose: () => void;
  /** After a successful save: the message for the page. */
  onDone: (message: string) => void;
}

function PersonDialog({ opened, onClose, title, children }: { opened: boolean; onClose: () => void; title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
      fullScreen={isPhone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      classNames={{ title: 'mf-dialog-title' }}
    >
      {children}
    </Modal>
  );
}

/** Form-level part of a failed write: conflict (with reload), refusal sentence, or generic error. */
function WriteProblem({ error, personId, known, onReloaded }: { error: unknown; personId: string; known: readonly string[]; onReloaded: (file: PersonFile) => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (versionConflictOf(error)) return <ConflictNotice error={error} personId={personId} onReloaded={onReloaded} />;
  if (isApiError(error) && error.isUnexpected) return <ErrorState error={error} />;
  const unplaced = otherFieldErrors(error, known);
  const hasPlacedErrors = isApiError(error) && (error.problem.errors?.length ?? 0) > unplaced.length;
  return (
    <Alert color="accent" variant="light" role="alert" title={t('form.notSaved')} data-testid="form-error"
      data-code={isApiError(error) ? error.code : undefined}>
      <Text size="sm">{hasPlacedErrors ? t('form.fixErrors') : refusalText(error)}</Text>
      {unplaced.length > 0 ? (
        <ul className="mf-error-list">
          {unplaced.map((item) => (
            <li key={`${item.field}-${item.message}`}>
              {item.field}: {item.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

function FormActions({ onClose, pending, submitLabel, testId }: { onClose: () => void; pending: boolean; submitLabel: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm" mt="sm">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={pending} data-testid={testId}>
        {submitLabel}
      </Button>
    </Group>
  );
}

function currentMainResidence(file: PersonFile): Residence | undefined {
  const open = file.residences.filter((r) => r.departureDate === null);
  return open.find((r) => r.kind === 'main') ?? open[0];
}

// ---- move within the municipality ---------------------------------------------------------

type MoveField = 'date' | 'street' | 'houseNumber' | 'postalCode' | 'egid' | 'ewid';
const MOVE_FIELDS: readonly MoveField[] = ['date', 'street', 'houseNumber', 'postalCode', 'egid', 'ewid'];

export function MoveDialog(props: DialogProps) {
  const { t } = useTranslation();
  return (
    <PersonDialog opened={props.opened} onClose={props.onClose} title={t('move.title')}>
      <MoveForm {...props} />
    </PersonDialog>
  );
}

function MoveForm({ file, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const storeFile = useStorePersonFile();
  const residence = currentMainResidence(file);
  const form = useFormValues<MoveField>({
    date: todayIso(),
    street: '',
    houseNumber: '',
    postalCode: residence?.postalCode ?? '',
    egid: '',
    ewid: '',
  });
  const [clientErrors, setClientErrors] = useState<Partial<Record<MoveField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [reloaded, setReloaded] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ version, body }: { version: number; body: MoveRequest }) => recordMove(file.id, version, body),
    onSuccess: (next) => {
      storeFile(next);
      onDone(t('move.done'));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: MoveField, label: string) => clientErrors[field] ?? serverError(field, label);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = form.values;
    const errors: Partial<Record<MoveField, string>> = {};
    if (!ISO_DATE_RE.test(v.date)) errors.date = t('form.dateRequired');
    if (!v.street.trim()) errors.street = t('form.required');
    if (!v.houseNumber.trim()) errors.houseNumber = t('form.required');
    if (v.postalCode.trim() && !/^\d{4}$/.test(v.postalCode.trim())) errors.postalCode = t('form.postalCode');
    if (Number.isNaN(optionalInt(v.egid) ?? 0)) errors.egid = t('form.wholeNumber');
    if (Number.isNaN(optionalInt(v.ewid) ?? 0)) errors.ewid = t('form.wholeNumber');
    setClientErrors(errors);
    setReloaded(false);
    mutation.reset();
    if (Object.keys(errors).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({
      version: file.version,
      body: {
        date: v.date,
        street: v.street.trim(),
        houseNumber: v.houseNumber.trim(),
        postalCode: optional(v.postalCode),
        egid: optionalInt(v.egid),
        ewid: optionalInt(v.ewid),
      },
    });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="move-form">
      <Stack gap="sm">
        <Text size="sm">{t('move.intro', { municipality: residence?.municipalityName ?? '' })}</Text>
        {reloaded ? <ReloadedNotice /> : null}
        <WriteProblem error={mutation.error} personId={file.id} known={MOVE_FIELDS}
          onReloaded={() => { mutation.reset(); setReloaded(true); }} />
        <TextInput type="date" name="date" label={t('move.date')} required withAsterisk={false} {...form.bind('date')} error={errorOf('date', t('move.date'))} />
        <div className="mf-form-grid">
          <TextInput name="street" label={t('address.street')} autoComplete="off" {...form.bind('street')} error={errorOf('street', t('address.street'))} />
          <TextInput name="houseNumber" label={t('address.houseNumber')} autoComplete="off" {...form.bind('houseNumber')} error={errorOf('houseNumber', t('address.houseNumber'))} />
          <TextInput name="postalCode" label={t('address.postalCode')} inputMode="numeric" autoComplete="off" {...form.bind('postalCode')} error={errorOf('postalCode', t('address.postalCode'))} />
          <TextInput name="egid" label={t('address.egid')} description={t('address.egidHint')} inputMode="numeric" autoComplete="off" {...form.bind('egid')} error={errorOf('egid', t('address.egid'))} />
          <TextInput name="ewid" label={t('address.ewid')} description={t('address.ewidHint')} inputMode="numeric" autoComplete="off" {...form.bind('ewid')} error={errorOf('ewid', t('address.ewid'))} />
        </div>
        <FormActions onClose={onClose} pending={mutation.isPending} submitLabel={t('move.submit')} testId="move-submit" />
      </Stack>
    </form>
  );
}

// ---- departure ---------------------------------------------------------------------------

type DepartureField = 'date' | 'departedTo';

export function DepartureDialog(props: DialogProps) {
  const { t } = useTranslation();
  return (
    <PersonDialog opened={props.opened} onClose={props.onClose} title={t('departure.title')}>
      <DepartureForm {...props} />
    </PersonDialog>
  );
}

function DepartureForm({ file, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const storeFile = useStorePersonFile();
  const form = useFormValues<DepartureField>({ date: todayIso(), departedTo: '' });
  const [clientErrors, setClientErrors] = useState<Partial<Record<DepartureField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [reloaded, setReloaded] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ version, body }: { version: number; body: DepartureRequest }) => recordDeparture(file.id, version, body),
    onSuccess: (next) => {
      storeFile(next);
      onDone(t('departure.done'));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: DepartureField, label: string) => clientErrors[field] ?? serverError(field, label);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Partial<Record<DepartureField, string>> = {};
    if (!ISO_DATE_RE.test(form.values.date)) errors.date = t('form.dateRequired');
    if (!form.values.departedTo.trim()) errors.departedTo = t('form.required');
    setClientErrors(errors);
    setReloaded(false);
    mutation.reset();
    if (Object.keys(errors).length > 0) setAttempt((n) => n + 1);
    else mutation.mutate({ version: file.version, body: { date: form.values.date, departedTo: form.values.departedTo.trim() } });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="departure-form">
      <Stack gap="sm">
        <Text size="sm">{t('departure.intro')}</Text>
        {file.papers.some((paper) => !paper.returnedOn) ? (
          <Text size="sm" fw={600}>{t('departure.papersHint')}</Text>
        ) : null}
        {reloaded ? <ReloadedNotice /> : null}
        <WriteProblem error={mutation.error} personId={file.id} known={['date', 'departedTo']}
          onReloaded={() => { mutation.reset(); setReloaded(true); }} />
        <TextInput type="date" name="date" label={t('departure.date')} {...form.bind('date')} error={errorOf('date', t('departure.date'))} />
        <TextInput name="departedTo" label={t('departure.to')} description={t('departure.toHint')} autoComplete="off"
          {...form.bind('departedTo')} error={errorOf('departedTo', t('departure.to'))} />
        <FormActions onClose={onClose} pending={mutation.isPending} submitLabel={t('departure.submit')} testId="departure-submit" />
      </Stack>
    </form>
  );
}

// ---- edit: a change from a date, or a correction --------------------------------------------

type EditField = keyof Identity | 'blockingNote' | 'papersBlock';
type EditValues = Record<EditField, string>;
const BOOLEAN_FIELDS: readonly EditField[] = ['fireServiceDuty', 'blockingNote', 'papersBlock'];

function editValuesOf(file: PersonFile): EditValues {
  const id = file.identity;
  const s = (value: string | null) => value ?? '';
  const b = (value: boolean | null) => (value === null ? '' : String(value));
  return {
    ahvn13: s(id.ahvn13),
    officialName: id.officialName,
    firstNames: id.firstNames,
    callName: s(id.callName),
    maidenName: s(id.maidenName),
    allianceName: s(id.allianceName),
    nameInForeignPassport: s(id.nameInForeignPassport),
    aliasName: s(id.aliasName),
    sex: id.sex,
    dateOfBirth: id.dateOfBirth,
    placeOfBirth: s(id.placeOfBirth),
    countryOfBirth: s(id.countryOfBirth),
    nationality: id.nationality,
    placeOfOrigin: s(id.placeOfOrigin),
    civilStatus: id.civilStatus,
    civilStatusDate: s(id.civilStatusDate),
    fatherName: s(id.fatherName),
    motherName: s(id.motherName),
    legalCapacity: s(id.legalCapacity),
    fireServiceDuty: b(id.fireServiceDuty),
    religion: s(id.religion),
    blockingNote: String(file.blockingNote),
    papersBlock: String(file.papersBlock),
  };
}

/** The body value of a form field: trimmed text or null, booleans, upper-case codes, AHVN13 digits. */
function bodyValue(field: EditField, raw: string): unknown {
  if (BOOLEAN_FIELDS.includes(field)) return raw === '' ? null : raw === 'true';
  const value = raw.trim();
  if (value === '') return null;
  if (field === 'ahvn13') return value.replace(/[.\s]/g, '');
  if (field === 'nationality' || field === 'countryOfBirth') return value.toUpperCase();
  return value;
}

function changesBetween(baseline: EditValues, values: EditValues): IdentityChanges {
  const changes: Record<string, unknown> = {};
  for (const field of Object.keys(values) as EditField[]) {
    const before = bodyValue(field, baseline[field]);
    const after = bodyValue(field, values[field]);
    if (before !== after) changes[field] = after;
  }
  return changes as IdentityChanges;
}

export function EditDialog(props: DialogProps) {
  const { t } = useTranslation();
  return (
    <PersonDialog opened={props.opened} onClose={props.onClose} title={t('edit.title')}>
      <EditForm {...props} />
    </PersonDialog>
  );
}

function EditForm({ file, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const storeFile = useStorePersonFile();
  // The values the form started from: the diff against them is what the user changed.
  const [baseline, setBaseline] = useState<EditValues>(() => editValuesOf(file));
  const form = useFormValues<EditField>(baseline);
  const [mode, setMode] = useState<'change' | 'correction'>('change');
  const [validFrom, setValidFrom] = useState(todayIso);
  const [clientErrors, setClientErrors] = useState<Partial<Record<string, string>>>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [reloaded, setReloaded] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: ({ version, body }: { version: number; body: PersonPatch }) => patchPerson(file.id, version, body),
    onSuccess: (next, { body }) => {
      storeFile(next);
      onDone(body.correction ? t('edit.doneCorrection') : t('edit.doneChange'));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const changeError = useServerFieldErrors(mutation.error, 'changes');
  const topError = useServerFieldErrors(mutation.error);
  const errorOf = (field: string, label: string) =>
    clientErrors[field] ?? changeError(field, label) ?? topError(field, label);
  const knownFields = [...Object.keys(baseline).map((f) => `changes.${f}`), 'validFrom', 'correction'];

  // After a conflict: fields the user left alone take the new values; their own edits stay.
  const onReloaded = (fresh: PersonFile) => {
    const next = editValuesOf(fresh);
    form.setValues((values) => {
      const merged = { ...values };
      for (const field of Object.keys(next) as EditField[]) {
        if (values[field] === baseline[field]) merged[field] = next[field];
      }
      return merged;
    });
    setBaseline(next);
    mutation.reset();
    setReloaded(true);
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const v = form.values;
    const errors: Partial<Record<string, string>> = {};
    if (!v.officialName.trim()) errors.officialName = t('form.required');
    if (!v.firstNames.trim()) errors.firstNames = t('form.required');
    if (!COUNTRY_CODE_RE.test(v.nationality.trim().toUpperCase())) errors.nationality = t('form.countryCode');
    if (v.countryOfBirth.trim() && !COUNTRY_CODE_RE.test(v.countryOfBirth.trim().toUpperCase())) errors.countryOfBirth = t('form.countryCode');
    if (v.ahvn13.trim() && !isValidAhvn13(v.ahvn13)) errors.ahvn13 = t('form.ahvn13');
    if (mode === 'change' && !ISO_DATE_RE.test(validFrom)) errors.validFrom = t('form.dateRequired');
    const changes = changesBetween(baseline, v);
    setClientErrors(errors);
    setReloaded(false);
    mutation.reset();
    if (Object.keys(errors).length > 0) {
      setFormMessage(null);
      setAttempt((n) => n + 1);
    } else if (Object.keys(changes).length === 0) {
      setFormMessage(t('edit.nothingChanged'));
    } else {
      setFormMessage(null);
      mutation.mutate({
        version: file.version,
        body: mode === 'correction' ? { changes, correction: true } : { changes, validFrom },
      });
    }
  };

  const text = (field: EditField, label: string, extra: { description?: string; autoComplete?: string } = {}) => (
    <TextInput name={field} label={label} autoComplete="off" {...extra} {...form.bind(field)} error={errorOf(field, label)} />
  );
  const yesNo = (field: EditField, label: string) => (
    <NativeSelect name={field} label={label} {...form.bind(field)} error={errorOf(field, label)}>
      <option value="">{t('common.notRecorded')}</option>
      <option value="true">{t('common.yes')}</option>
      <option value="false">{t('common.no')}</option>
    </NativeSelect>
  );

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="edit-form">
      <Stack gap="md">
        <Radio.Group
          name="editKind"
          label={t('edit.kindLabel')}
          value={mode}
          onChange={(value) => { setMode(value === 'correction' ? 'correction' : 'change'); }}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="change" label={t('edit.kindChange')} description={t('edit.kindChangeHint')} />
            <Radio value="correction" label={t('edit.kindCorrection')} description={t('edit.kindCorrectionHint')} />
          </Stack>
        </Radio.Group>
        {mode === 'change' ? (
          <TextInput type="date" name="validFrom" label={t('edit.validFrom')} value={validFrom}
            onChange={(event) => { setValidFrom(event.currentTarget.value); }} error={errorOf('validFrom', t('edit.validFrom'))} />
        ) : null}

        {reloaded ? <ReloadedNotice /> : null}
        {formMessage ? (
          <Alert color="blue" variant="light" className="mf-alert-info" role="status">
            <Text size="sm">{formMessage}</Text>
          </Alert>
        ) : null}
        <WriteProblem error={mutation.error} personId={file.id} known={knownFields} onReloaded={onReloaded} />

        <fieldset className="mf-fieldset">
          <legend>{t('identity.names')}</legend>
          <div className="mf-form-grid">
            {text('officialName', t('identity.officialName'))}
            {text('firstNames', t('identity.firstNames'))}
            {text('callName', t('identity.callName'))}
            {text('maidenName', t('identity.maidenName'))}
            {text('allianceName', t('identity.allianceName'))}
            {text('nameInForeignPassport', t('identity.nameInForeignPassport'))}
            {text('aliasName', t('identity.aliasName'))}
          </div>
        </fieldset>

        <fieldset className="mf-fieldset">
          <legend>{t('identity.birthAndOrigin')}</legend>
          <div className="mf-form-grid">
            <NativeSelect name="sex" label={t('identity.sex')} {...form.bind('sex')} error={errorOf('sex', t('identity.sex'))}>
              <option value="f">{t('sex.f')}</option>
              <option value="m">{t('sex.m')}</option>
              <option value="x">{t('sex.x')}</option>
            </NativeSelect>
            {text('dateOfBirth', t('identity.dateOfBirth'), { description: t('edit.dateOfBirthHint') })}
            {text('placeOfBirth', t('identity.placeOfBirth'))}
            {text('countryOfBirth', t('identity.countryOfBirth'), { description: t('form.countryCodeHint') })}
            {text('nationality', t('identity.nationality'), { description: t('form.countryCodeHint') })}
            {text('placeOfOrigin', t('identity.placeOfOrigin'), { description: t('identity.placeOfOriginHint') })}
            {text('ahvn13', t('identity.ahvn13'), { description: t('identity.ahvn13Hint') })}
          </div>
        </fieldset>

        <fieldset className="mf-fieldset">
          <legend>{t('identity.civilStatusAndFamily')}</legend>
          <div className="mf-form-grid">
            <NativeSelect name="civilStatus" label={t('identity.civilStatus')} {...form.bind('civilStatus')} error={errorOf('civilStatus', t('identity.civilStatus'))}>
              {CIVIL_STATUSES.map((status) => (
                <option key={status} value={status}>{t(`civilStatus.${status}`)}</option>
              ))}
            </NativeSelect>
            <TextInput type="date" name="civilStatusDate" label={t('identity.civilStatusDate')} {...form.bind('civilStatusDate')} error={errorOf('civilStatusDate', t('identity.civilStatusDate'))} />
            {text('fatherName', t('identity.fatherName'))}
            {text('motherName', t('identity.motherName'))}
          </div>
        </fieldset>

        <fieldset className="mf-fieldset">
          <legend>{t('identity.other')}</legend>
          <div className="mf-form-grid">
            <NativeSelect name="legalCapacity" label={t('identity.legalCapacity')} {...form.bind('legalCapacity')} error={errorOf('legalCapacity', t('identity.legalCapacity'))}>
              <option value="">{t('common.notRecorded')}</option>
              {LEGAL_CAPACITIES.map((capacity) => (
                <option key={capacity} value={capacity}>{t(`legalCapacity.${capacity}`)}</option>
              ))}
            </NativeSelect>
            {yesNo('fireServiceDuty', t('identity.fireServiceDuty'))}
            <NativeSelect name="religion" label={t('identity.religion')} {...form.bind('religion')} error={errorOf('religion', t('identity.religion'))}>
              <option value="">{t('common.notRecorded')}</option>
              {RELIGION_CODES.map((code) => (
                <option key={code} value={code}>{t(`religions.${code}`)}</option>
              ))}
              {form.values.religion && !isReligionCode(form.values.religion) ? (
                <option value={form.values.religion}>{form.values.religion}</option>
              ) : null}
            </NativeSelect>
          </div>
        </fieldset>

        <fieldset className="mf-fieldset">
          <legend>{t('identity.orders')}</legend>
          <Stack gap="sm">
            <Checkbox name="blockingNote" label={t('personFile.blockingNote')} description={t('identity.blockingNoteHint')}
              checked={form.values.blockingNote === 'true'}
              onChange={(event) => { form.set('blockingNote', String(event.currentTarget.checked)); }}
              error={errorOf('blockingNote', t('personFile.blockingNote'))} />
            <Checkbox name="papersBlock" label={t('personFile.papersBlock')} description={t('identity.papersBlockHint')}
              checked={form.values.papersBlock === 'true'}
              onChange={(event) => { form.set('papersBlock', String(event.currentTarget.checked)); }}
              error={errorOf('papersBlock', t('personFile.papersBlock'))} />
          </Stack>
        </fieldset>

        <FormActions onClose={onClose} pending={mutation.isPending}
          submitLabel={mode === 'correction' ? t('edit.submitCorrection') : t('edit.submitChange')} testId="edit-submit" />
      </Stack>
    </form>
  );
}
