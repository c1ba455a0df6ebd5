import { Button, Group, NativeSelect, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CASE_LANGUAGES, createCase, type CaseLanguage, type NewCaseRequest } from '../../api/cases';
import { searchPersons } from '../../api/endpoints';
import type { PersonHit } from '../../api/types';
import { currentLanguage, LANGUAGE_NAMES } from '../../i18n';
import { formatNationality, formatRegisterDate, todayIso } from '../../lib/format';
import { Loading } from '../Loading';
import { ISO_DATE_RE, useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import { storeCase, useCaseTypes } from './caseQueries';
import { CaseDialog, CaseProblem, localText } from './common';

const SHOWN_HITS = 8;

export interface PresetPerson {
  id: string;
  name: string;
}

interface NewCaseDialogProps {
  opened: boolean;
  onClose: () => void;
  /** From the person file: the person is chosen already. */
  person?: PresetPerson | undefined;
}

/** "New case": the type, the person and the day the application came in; then straight to the case. */
export function NewCaseDialog({ opened, onClose, person }: NewCaseDialogProps) {
  const { t } = useTranslation();
  return (
    <CaseDialog opened={opened} onClose={onClose} title={t('cases.new.title')}>
      {opened ? <NewCaseForm onClose={onClose} person={person} /> : null}
    </CaseDialog>
  );
}

type Field = 'typeSlug' | 'personId' | 'receivedOn';

function personLabel(hit: PersonHit): string {
  return `${hit.officialName} ${hit.firstNames}`;
}

function NewCaseForm({ onClose, person }: { onClose: () => void; person?: PresetPerson | undefined }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const types = useCaseTypes();
  const [typeSlug, setTypeSlug] = useState('');
  const [receivedOn, setReceivedOn] = useState(todayIso());
  const [caseLanguage, setCaseLanguage] = useState<CaseLanguage | ''>('');
  const [preset, setPreset] = useState<PresetPerson | null>(person ?? null);
  const [search, setSearch] = useState('');
  const [personId, setPersonId] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const [debounced] = useDebouncedValue(search.trim(), 250);
  const hits = useQuery({
    queryKey: ['persons', 'search', debounced],
    queryFn: ({ signal }) => searchPersons(debounced, signal),
    enabled: !preset && debounced.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const shownHits = debounced.length >= 2 ? (hits.data ?? []).slice(0, SHOWN_HITS) : [];

  const mutation = useMutation({
    mutationFn: (body: NewCaseRequest) => createCase(body),
    onSuccess: (detail) => {
      storeCase(queryClient, detail);
      onClose();
      void navigate(`/cases/${encodeURIComponent(detail.id)}`, { state: { created: true } });
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: Field, label: string) => errors[field] ?? serverError(field, label);

  const chosenType = types.data?.find((type) => type.slug === typeSlug);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const chosenPerson = preset?.id ?? personId;
    const next: Partial<Record<Field, string>> = {};
    if (!typeSlug) next.typeSlug = t('form.choose');
    if (!chosenPerson) next.personId = t('cases.new.choosePerson');
    if (!ISO_DATE_RE.test(receivedOn)) next.receivedOn = t('form.dateRequired');
    else if (receivedOn > todayIso()) next.receivedOn = t('cases.new.receivedInFuture');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    mutation.mutate({ typeSlug, personId: chosenPerson, receivedOn, ...(caseLanguage ? { language: caseLanguage } : {}) });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="new-case-form">
      <Stack gap="sm">
        <CaseProblem error={mutation.error} caseId="" onReloaded={() => { mutation.reset(); }} known={['typeSlug', 'personId', 'receivedOn']} />
        {types.isPending ? <Loading /> : null}
        {types.isError ? <Text role="alert" size="sm">{t('cases.typesFailed')}</Text> : null}
        <NativeSelect name="typeSlug" label={t('cases.new.type')} value={typeSlug} data-autofocus
          onChange={(event) => { setTypeSlug(event.currentTarget.value); }}
          error={errorOf('typeSlug', t('cases.new.type'))}
          description={chosenType ? localText(chosenType.description, language) : undefined}>
          <option value="">{t('form.chooseOption')}</option>
          {(types.data ?? []).map((type) => (
            <option key={type.slug} value={type.slug}>{localText(type.names, language)}</option>
          ))}
        </NativeSelect>

        {preset ? (
          <div>
            <Text size="sm" fw={500}>{t('cases.new.person')}</Text>
            <Group gap="sm" wrap="wrap">
              <Text fw={700} data-testid="new-case-person">{preset.name}</Text>
              <Button size="xs" variant="default" onClick={() => { setPreset(null); setPersonId(''); }}>
                {t('cases.new.otherPerson')}
              </Button>
            </Group>
          </div>
        ) : (
          <div>
            <TextInput type="search" name="personSearch" label={t('cases.new.person')} description={t('cases.new.personHint')}
              value={search} autoComplete="off" onChange={(event) => { setSearch(event.currentTarget.value); }}
              error={errorOf('personId', t('cases.new.person'))} />
            <div aria-live="polite" className="mf-small mf-muted mf-search-status">
              {debounced.length >= 2 && hits.data
                ? shownHits.length === 0 ? t('cases.new.noPersons') : t('cases.new.personsFound', { count: hits.data.length })
                : ''}
            </div>
            {shownHits.length > 0 ? (
              <Radio.Group name="personId" value={personId} onChange={setPersonId} label={t('cases.new.choosePersonLabel')}>
                <Stack gap={6} mt={6}>
                  {shownHits.map((hit) => (
                    <Radio key={hit.id} value={hit.id} data-testid="new-case-person-hit"
                      label={personLabel(hit)}
                      description={`${formatRegisterDate(hit.dateOfBirth, language, t).text} · ${formatNationality(hit.nationality, language, t)}`} />
                  ))}
                </Stack>
              </Radio.Group>
            ) : null}
          </div>
        )}

        <TextInput type="date" name="receivedOn" label={t('cases.new.receivedOn')} value={receivedOn}
          max={todayIso()} onChange={(event) => { setReceivedOn(event.currentTarget.value); }}
          error={errorOf('receivedOn', t('cases.new.receivedOn'))} />
        <NativeSelect name="language" label={t('cases.new.language')} description={t('cases.new.languageHint')}
          value={caseLanguage} onChange={(event) => { setCaseLanguage(event.currentTarget.value as CaseLanguage | ''); }}>
          <option value="">{t('cases.new.languageDefault')}</option>
          {CASE_LANGUAGES.map((code) => <option key={code} value={code}>{LANGUAGE_NAMES[code]}</option>)}
        </NativeSelect>

        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="new-case-submit">{t('cases.new.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
