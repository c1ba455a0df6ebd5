import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type RefObject, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { fetchMunicipalities, registerArrival } from '../api/endpoints';
import {
  CIVIL_STATUSES,
  REGISTRATION_TYPES,
  type ArrivalRequest,
  type CivilStatus,
  type Municipality,
  type PersonHit,
  type RegistrationType,
  type Sex,
} from '../api/types';
import { ErrorState } from '../components/ErrorState';
import {
  COUNTRY_CODE_RE,
  ISO_DATE_RE,
  isValidAhvn13,
  optional,
  optionalInt,
  useFocusFirstInvalid,
  useFormValues,
  useServerFieldErrors,
} from '../components/register/common';
import { previewDueDate } from '../components/register/deadlines';
import { MatchReasons } from '../components/register/MatchReasons';
import { personKey } from '../components/register/personQueries';
import { currentLanguage } from '../i18n';
import { formatNationality, formatRegisterDate, todayIso } from '../lib/format';
import { duplicateCandidatesOf, fieldErrorsOf, otherFieldErrors, refusalText } from '../lib/problems';
import { usePageTitle } from '../lib/usePageTitle';
import type { ArrivalState } from './PersonFilePage';

const FIELDS = [
  'person.officialName',
  'person.firstNames',
  'person.callName',
  'person.maidenName',
  'person.sex',
  'person.dateOfBirth',
  'person.nationality',
  'person.placeOfBirth',
  'person.countryOfBirth',
  'person.placeOfOrigin',
  'person.civilStatus',
  'person.ahvn13',
  'residence.municipalityBfs',
  'residence.kind',
  'residence.street',
  'residence.houseNumber',
  'residence.postalCode',
  'residence.town',
  'residence.egid',
  'residence.ewid',
  'residence.arrivalDate',
  'residence.arrivedFrom',
  'residence.registrationType',
] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

function initialValues(): Values {
  const values = Object.fromEntries(FIELDS.map((field) => [field, ''])) as Values;
  values['residence.kind'] = 'main';
  values['residence.registrationType'] = 'settled';
  values['residence.arrivalDate'] = todayIso();
  return values;
}

function isSex(value: string): value is Sex {
  return value === 'm' || value === 'f' || value === 'x';
}
function isRegistrationType(value: string): value is RegistrationType {
  return (REGISTRATION_TYPES as readonly string[]).includes(value);
}
function isCivilStatus(value: string): value is CivilStatus {
  return (CIVIL_STATUSES as readonly string[]).includes(value);
}

type Choice = { personId: string } | { confirmNotDuplicate: true } | null;

export function ArrivalPage() {
  const { t } = useTranslation();
  usePageTitle(t('arrival.title'));
  const language = currentLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useFormValues<Field>(initialValues);
  const [clientErrors, setClientErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const duplicatesRef = useRef<HTMLHeadingElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const municipalities = useQuery({
    queryKey: ['register', 'municipalities'],
    queryFn: ({ signal }) => fetchMunicipalities(signal),
    staleTime: 10 * 60_000,
  });
  const municipalityList: Municipality[] = municipalities.data ?? [];
  // With a single municipality there is nothing to choose.
  const onlyMunicipality = municipalityList.length === 1 ? municipalityList[0] : undefined;
  const selectedBfs = form.values['residence.municipalityBfs'] || (onlyMunicipality ? String(onlyMunicipality.bfs) : '');

  const mutation = useMutation({
    mutationFn: registerArrival,
    onSuccess: async (result) => {
      queryClient.setQueryData(personKey(result.person.id), result.person);
      void queryClient.invalidateQueries({ queryKey: ['persons'] });
      const state: ArrivalState = { arrival: { deadline: result.deadline } };
      await navigate(`/persons/${encodeURIComponent(result.person.id)}`, { state });
    },
    onError: (error) => {
      if (duplicateCandidatesOf(error) === null) setAttempt((n) => n + 1);
    },
  });
  const candidates = duplicateCandidatesOf(mutation.error);
  const serverErrors = fieldErrorsOf(mutation.error);
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: Field, label: string): string | undefined => clientErrors[field] ?? serverError(field, label);

  // The duplicate question appears below the form: take the user there.
  const hasCandidates = candidates !== null;
  useEffect(() => {
    if (!hasCandidates) return;
    duplicatesRef.current?.scrollIntoView({ block: 'start' });
    duplicatesRef.current?.focus({ preventScroll: true });
  }, [hasCandidates]);

  const validate = (v: Values): Errors => {
    const errors: Errors = {};
    const required = (field: Field) => {
      if (!v[field].trim()) errors[field] = t('form.required');
    };
    required('person.officialName');
    required('person.firstNames');
    if (!isSex(v['person.sex'])) errors['person.sex'] = t('form.choose');
    if (!ISO_DATE_RE.test(v['person.dateOfBirth'])) errors['person.dateOfBirth'] = t('form.dateRequired');
    else if (v['person.dateOfBirth'] > todayIso()) errors['person.dateOfBirth'] = t('arrival.birthInFuture');
    if (!COUNTRY_CODE_RE.test(v['person.nationality'].trim().toUpperCase())) errors['person.nationality'] = t('form.countryCode');
    if (v['person.countryOfBirth'].trim() && !COUNTRY_CODE_RE.test(v['person.countryOfBirth'].trim().toUpperCase())) {
      errors['person.countryOfBirth'] = t('form.countryCode');
    }
    if (v['person.ahvn13'].trim() && !isValidAhvn13(v['person.ahvn13'])) errors['person.ahvn13'] = t('form.ahvn13');
    if (!selectedBfs) errors['residence.municipalityBfs'] = t('form.choose');
    if (!isRegistrationType(v['residence.registrationType'])) errors['residence.registrationType'] = t('form.choose');
    required('residence.street');
    required('residence.houseNumber');
    if (!/^\d{4}$/.test(v['residence.postalCode'].trim())) errors['residence.postalCode'] = t('form.postalCode');
    required('residence.town');
    if (Number.isNaN(optionalInt(v['residence.egid']) ?? 0)) errors['residence.egid'] = t('form.wholeNumber');
    if (Number.isNaN(optionalInt(v['residence.ewid']) ?? 0)) errors['residence.ewid'] = t('form.wholeNumber');
    if (!ISO_DATE_RE.test(v['residence.arrivalDate'])) errors['residence.arrivalDate'] = t('form.dateRequired');
    return errors;
  };

  const buildRequest = (v: Values, choice: Choice): ArrivalRequest => {
    const residence: ArrivalRequest['residence'] = {
      kind: v['residence.kind'] === 'secondary' ? 'secondary' : 'main',
      registrationType: isRegistrationType(v['residence.registrationType']) ? v['residence.registrationType'] : 'settled',
      municipalityBfs: Number(selectedBfs),
      street: v['residence.street'].trim(),
      houseNumber: v['residence.houseNumber'].trim(),
      postalCode: v['residence.postalCode'].trim(),
      town: v['residence.town'].trim(),
      egid: optionalInt(v['residence.egid']),
      ewid: optionalInt(v['residence.ewid']),
      arrivalDate: v['residence.arrivalDate'],
      arrivedFrom: optional(v['residence.arrivedFrom']),
    };
    if (choice && 'personId' in choice) return { personId: choice.personId, residence };
    const civilStatus = v['person.civilStatus'];
    return {
      person: {
        officialName: v['person.officialName'].trim(),
        firstNames: v['person.firstNames'].trim(),
        sex: isSex(v['person.sex']) ? v['person.sex'] : 'x',
        dateOfBirth: v['person.dateOfBirth'],
        nationality: v['person.nationality'].trim().toUpperCase(),
        ahvn13: optional(v['person.ahvn13'].replace(/[.\s]/g, '')),
        callName: optional(v['person.callName']),
        maidenName: optional(v['person.maidenName']),
        placeOfBirth: optional(v['person.placeOfBirth']),
        countryOfBirth: optional(v['person.countryOfBirth'].toUpperCase()),
        placeOfOrigin: optional(v['person.placeOfOrigin']),
        civilStatus: isCivilStatus(civilStatus) ? civilStatus : undefined,
      },
      ...(choice ? { confirmNotDuplicate: true } : {}),
      residence,
    };
  };

  const submit = (choice: Choice) => {
    const errors = validate(form.values);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) {
      mutation.reset();
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate(buildRequest(form.values, choice));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(null);
  };

  const onMunicipalityChange = (bfs: string) => {
    const next = municipalityList.find((m) => String(m.bfs) === bfs);
    const previous = municipalityList.find((m) => String(m.bfs) === selectedBfs);
    form.setValues((values) => {
      const updated = { ...values, 'residence.municipalityBfs': bfs };
      // Fill postal code and town from the municipality unless the user typed others.
      const postal = values['residence.postalCode'];
      if (next?.postalCode && (postal === '' || postal === (previous?.postalCode ?? ''))) updated['residence.postalCode'] = next.postalCode;
      const town = values['residence.town'];
      if (next && (town === '' || town === (previous?.name ?? ''))) updated['residence.town'] = next.name;
      return updated;
    });
  };

  const registrationType = form.values['residence.registrationType'];
  const arrivalDate = form.values['residence.arrivalDate'];
  const typeExplanation = isRegistrationType(registrationType) ? explainType(registrationType, arrivalDate) : '';
  function explainType(type: RegistrationType, arrival: string): string {
    const due = ISO_DATE_RE.test(arrival) ? previewDueDate(type, arrival) : null;
    const help = t(`registrationTypes.${type}.help`);
    if (!due) return help;
    return `${help} ${t(`registrationTypes.${type}.due`, { date: formatRegisterDate(due, language, t).text })}`;
  }

  const nationalityCode = form.values['person.nationality'].trim().toUpperCase();
  const nationalityHint = COUNTRY_CODE_RE.test(nationalityCode)
    ? formatNationality(nationalityCode, language, t)
    : t('form.countryCodeHint');
  const countryOfBirthCode = form.values['person.countryOfBirth'].trim().toUpperCase();

  const error = mutation.error;
  const unexpected = error && (!isApiError(error) || error.isUnexpected) ? error : null;
  const unplaced = otherFieldErrors(error, FIELDS);
  const refusal = error && candidates === null && !unexpected ? refusalText(error) : null;
  const clientErrorCount = Object.keys(clientErrors).length;

  const text = (field: Field, label: string, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
    <TextInput name={field} label={label} autoComplete="off" {...extra} {...form.bind(field)} error={errorOf(field, label)} />
  );

  return (
    <Stack gap="md">
      <Title order={1}>{t('arrival.title')}</Title>
      <Text>{t('arrival.intro')}</Text>

      <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="arrival-form">
        <Stack gap="md">
          <fieldset className="mf-panel mf-fieldset">
            <legend>{t('arrival.sections.person')}</legend>
            <div className="mf-form-grid">
              {text('person.officialName', t('identity.officialName'), { required: true, withAsterisk: true, autoCapitalize: 'words' })}
              {text('person.firstNames', t('identity.firstNames'), { required: true, withAsterisk: true, description: t('arrival.firstNamesHint') })}
              <NativeSelect name="person.sex" label={t('identity.sex')} required withAsterisk {...form.bind('person.sex')} error={errorOf('person.sex', t('identity.sex'))}>
                <option value="">{t('form.chooseOption')}</option>
                <option value="f">{t('sex.f')}</option>
                <option value="m">{t('sex.m')}</option>
                <option value="x">{t('sex.x')}</option>
              </NativeSelect>
              {text('person.dateOfBirth', t('identity.dateOfBirth'), { type: 'date', required: true, withAsterisk: true, max: todayIso() })}
              {text('person.nationality', t('identity.nationality'), {
                required: true, withAsterisk: true, description: nationalityHint, maxLength: 2, spellCheck: false,
                autoCapitalize: 'characters', className: 'mf-code-input',
              })}
              {text('person.ahvn13', t('identity.ahvn13'), { description: t('identity.ahvn13Hint'), inputMode: 'numeric', spellCheck: false })}
              {text('person.callName', t('identity.callName'), { description: t('form.optional') })}
              {text('person.maidenName', t('identity.maidenName'), { description: t('form.optional') })}
              {text('person.placeOfBirth', t('identity.placeOfBirth'), { description: t('form.optional') })}
              {text('person.countryOfBirth', t('identity.countryOfBirth'), {
                description: COUNTRY_CODE_RE.test(countryOfBirthCode) ? formatNationality(countryOfBirthCode, language, t) : t('form.countryCodeHint'),
                maxLength: 2, spellCheck: false, autoCapitalize: 'characters',
              })}
              {text('person.placeOfOrigin', t('identity.placeOfOrigin'), { description: t('identity.placeOfOriginHint') })}
              <NativeSelect name="person.civilStatus" label={t('identity.civilStatus')} {...form.bind('person.civilStatus')} error={errorOf('person.civilStatus', t('identity.civilStatus'))}>
                <option value="">{t('common.notRecorded')}</option>
                {CIVIL_STATUSES.filter((s) => s !== 'unknown').map((status) => (
                  <option key={status} value={status}>{t(`civilStatus.${status}`)}</option>
                ))}
              </NativeSelect>
            </div>
          </fieldset>

          <fieldset className="mf-panel mf-fieldset">
            <legend>{t('arrival.sections.residence')}</legend>
            <div className="mf-form-grid">
              <NativeSelect
                name="residence.municipalityBfs"
                label={t('residence.municipality')}
                required
                withAsterisk
                value={selectedBfs}
                onChange={(event) => { onMunicipalityChange(event.currentTarget.value); }}
                error={errorOf('residence.municipalityBfs', t('residence.municipality')) ?? (municipalities.isError ? t('arrival.municipalitiesFailed') : undefined)}
                disabled={municipalities.isPending}
              >
                <option value="">{municipalities.isPending ? t('app.loading') : t('form.chooseOption')}</option>
                {municipalityList.map((m) => (
                  <option key={m.bfs} value={String(m.bfs)}>
                    {m.name}{m.postalCode ? ` (${m.postalCode})` : ''}
                  </option>
                ))}
              </NativeSelect>
              <NativeSelect name="residence.kind" label={t('residence.kind')} {...form.bind('residence.kind')} error={errorOf('residence.kind', t('residence.kind'))}>
                <option value="main">{t('residence.kinds.main')}</option>
                <option value="secondary">{t('residence.kinds.secondary')}</option>
              </NativeSelect>
              {text('residence.street', t('address.street'), { required: true, withAsterisk: true })}
              {text('residence.houseNumber', t('address.houseNumber'), { required: true, withAsterisk: true })}
              {text('residence.postalCode', t('address.postalCode'), { required: true, withAsterisk: true, inputMode: 'numeric', maxLength: 4 })}
              {text('residence.town', t('address.town'), { required: true, withAsterisk: true })}
              {text('residence.egid', t('address.egid'), { description: t('address.egidHint'), inputMode: 'numeric' })}
              {text('residence.ewid', t('address.ewid'), { description: t('address.ewidHint'), inputMode: 'numeric' })}
              {text('residence.arrivalDate', t('residence.arrivalDate'), { type: 'date', required: true, withAsterisk: true })}
              {text('residence.arrivedFrom', t('residence.arrivedFrom'), { description: t('residence.arrivedFromHint') })}
            </div>
          </fieldset>

          <fieldset className="mf-panel mf-fieldset">
            <legend>{t('arrival.sections.registration')}</legend>
            <NativeSelect
              name="residence.registrationType"
              label={t('residence.registrationType')}
              required
              withAsterisk
              description={typeExplanation}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...form.bind('residence.registrationType')}
              error={errorOf('residence.registrationType', t('residence.registrationType'))}
              classNames={{ description: 'mf-type-explanation' }}
              data-testid="registration-type"
            >
              {REGISTRATION_TYPES.map((type) => (
                <option key={type} value={type}>{t(`registrationTypes.${type}.label`)}</option>
              ))}
            </NativeSelect>
          </fieldset>

          {clientErrorCount > 0 ? (
            <Alert color="accent" variant="light" role="alert" data-testid="form-error">
              <Text size="sm">{t('form.fixErrorsCount', { count: clientErrorCount })}</Text>
            </Alert>
          ) : null}
          {unexpected ? <ErrorState error={unexpected} /> : null}
          {refusal ? (
            <Alert color="accent" variant="light" role="alert" title={t('form.notSaved')} data-testid="form-error"
              data-code={isApiError(error) ? error.code : undefined}>
              <Text size="sm">{Object.keys(serverErrors).length > unplaced.length ? t('form.fixErrors') : refusal}</Text>
              {unplaced.length > 0 ? (
                <ul className="mf-error-list">
                  {unplaced.map((item) => <li key={item.field}>{item.field}: {item.message}</li>)}
                </ul>
              ) : null}
            </Alert>
          ) : null}

          {candidates ? (
            <DuplicateQuestion
              headingRef={duplicatesRef}
              candidates={candidates}
              pending={mutation.isPending}
              onUse={(person) => { submit({ personId: person.id }); }}
              onRegisterAnyway={() => { submit({ confirmNotDuplicate: true }); }}
            />
          ) : (
            <Group gap="sm">
              <Button type="submit" size="md" loading={mutation.isPending}>
                {t('arrival.submit')}
              </Button>
              <Button component={Link} to="/persons" variant="default" size="md">
                {t('common.cancel')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Stack>
  );
}

function DuplicateQuestion({ headingRef, candidates, pending, onUse, onRegisterAnyway }: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  candidates: PersonHit[];
  pending: boolean;
  onUse: (person: PersonHit) => void;
  onRegisterAnyway: () => void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <section className="mf-panel mf-duplicates" aria-labelledby="duplicates-heading" data-testid="duplicate-candidates">
      <h2 id="duplicates-heading" ref={headingRef} tabIndex={-1} className="mf-section-title">
        {t('arrival.duplicates.title')}
      </h2>
      <Text size="sm" mb="sm">{t('arrival.duplicates.body')}</Text>
      <ul className="mf-candidate-list">
        {candidates.map((person) => (
          <li key={person.id} className="mf-candidate" data-testid="duplicate-candidate">
            <div>
              <strong>{person.officialName} {person.firstNames}</strong>
              {person.blocked ? <span className="mf-blocked">{t('persons.blocked')}</span> : null}
              <div className="mf-muted">
                {formatRegisterDate(person.dateOfBirth, language, t).text}
                {' · '}
                {formatNationality(person.nationality, language, t)}
                {person.municipality ? ` · ${person.municipality}` : ''}
              </div>
              <MatchReasons reasons={person.reasons} />
              <a href={`/persons/${encodeURIComponent(person.id)}`} target="_blank" rel="noopener" className="mf-small-link">
                {t('arrival.duplicates.openFile')}
              </a>
            </div>
            <Button variant="filled" onClick={() => { onUse(person); }} disabled={pending} data-testid="use-existing">
              {t('arrival.duplicates.useExisting')}
            </Button>
          </li>
        ))}
      </ul>
      <Group mt="md">
        <Button variant="default" onClick={onRegisterAnyway} loading={pending} data-testid="register-anyway">
          {t('arrival.duplicates.registerAnyway')}
        </Button>
      </Group>
    </section>
  );
}
