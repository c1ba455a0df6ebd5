import { Button, Checkbox, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patchCaseFields, setChecklistItem, type CaseDetail, type ChecklistItem } from '../../api/cases';
import { currentLanguage } from '../../i18n';
import { TimestampText, useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { CaseFieldInput, validateFieldValue } from './CaseFieldInput';
import { useStoreCase } from './caseQueries';
import { CaseProblem, localText } from './common';

/** What the office needs and checks, each with its legal basis in plain words. */
export function ChecklistSection({ detail, writable }: { detail: CaseDetail; writable: boolean }) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  const mutation = useMutation({
    mutationFn: ({ item, done }: { item: ChecklistItem; done: boolean }) => setChecklistItem(detail, item.id, done),
    onSuccess: (next) => { storeCase(next); },
  });
  const required = detail.checklist.filter((item) => !item.optional);
  const doneCount = required.filter((item) => item.done).length;

  return (
    <FileSection id="checklist" title={t('cases.sections.checklist')} testId="case-checklist"
      actions={detail.checklist.length > 0 ? (
        <span className="mf-count" data-testid="checklist-count">{t('cases.checklist.count', { done: doneCount, total: required.length })}</span>
      ) : undefined}>
      {detail.checklist.length === 0 ? <Text>{t('cases.checklist.none')}</Text> : null}
      <div className="mf-form-problem">
        <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
      </div>
      {detail.checklist.length > 0 ? (
        <ul className="mf-checklist">
          {detail.checklist.map((item) => (
            <ChecklistRow key={item.id} item={item} disabled={!writable || mutation.isPending}
              busy={mutation.isPending && mutation.variables?.item.id === item.id}
              onToggle={(done) => { mutation.mutate({ item, done }); }} />
          ))}
        </ul>
      ) : null}
    </FileSection>
  );
}

function ChecklistRow({ item, disabled, busy, onToggle }: { item: ChecklistItem; disabled: boolean; busy: boolean; onToggle: (done: boolean) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <li className="mf-checklist-item" data-testid={`checklist-item-${item.id}`} data-done={item.done ? 'true' : 'false'} aria-busy={busy || undefined}>
      <Checkbox
        name={`checklist-${item.id}`}
        checked={item.done}
        disabled={disabled}
        onChange={(event) => { onToggle(event.currentTarget.checked); }}
        label={
          <>
            <span className="mf-checklist-name">{localText(item.names, language)}</span>
            <span className="mf-tag">{t(`cases.checklist.kinds.${item.kind}`)}</span>
            {item.optional ? <span className="mf-tag">{t('cases.checklist.optional')}</span> : null}
          </>
        }
        description={
          <>
            <span className="mf-legal-basis">{localText(item.legalBasis, language)}</span>
            {item.done && (item.by || item.at) ? (
              <span className="mf-checklist-by">
                {item.by ? t('cases.checklist.doneBy', { name: item.by }) : t('cases.checklist.done')}
                {item.at ? <> · <TimestampText value={item.at} /></> : null}
              </span>
            ) : null}
          </>
        }
      />
    </li>
  );
}

/** The case's data (new validity, amount, language level …), saved with the case's version. */
export function FieldsSection({ detail, writable, draft, setDraft, onDone }: {
  detail: CaseDetail;
  writable: boolean;
  /** Only what the user changed (the rest follows the case as it is reloaded); a step's dialog starts from it. */
  draft: Record<string, string>;
  setDraft: (update: (previous: Record<string, string>) => Record<string, string>) => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);
  const mutation = useMutation({
    mutationFn: (fields: Record<string, string>) => patchCaseFields(detail, fields),
    onSuccess: (next) => {
      storeCase(next);
      setDraft(() => ({}));
      onDone(t('cases.fields.saved'));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error, 'fields');
  if (detail.fieldDefinitions.length === 0) return null;

  const valueOf = (id: string) => draft[id] ?? detail.fields[id] ?? '';
  const changed = Object.entries(draft).filter(([id, value]) => value !== (detail.fields[id] ?? ''));

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: Record<string, string> = {};
    for (const [id, value] of changed) {
      const definition = detail.fieldDefinitions.find((d) => d.id === id);
      const problem = definition ? validateFieldValue(definition, value, t) : undefined;
      if (problem) next[id] = problem;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    if (changed.length === 0) return;
    mutation.mutate(Object.fromEntries(changed.map(([id, value]) => [id, value.trim()])));
  };

  return (
    <FileSection id="fields" title={t('cases.sections.fields')} testId="case-fields">
      <form ref={formRef} noValidate onSubmit={onSubmit}>
        <div className="mf-form-problem">
          <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }}
            known={detail.fieldDefinitions.map((d) => `fields.${d.id}`)} />
        </div>
        <div className="mf-form-grid">
          {detail.fieldDefinitions.map((definition) => (
            <CaseFieldInput key={definition.id} definition={definition} testIdPrefix="case-field-" disabled={!writable}
              value={valueOf(definition.id)}
              onChange={(value) => { setDraft((previous) => ({ ...previous, [definition.id]: value })); }}
              error={errors[definition.id] ?? serverError(definition.id, localText(definition.names))} />
          ))}
        </div>
        {writable ? (
          <Button type="submit" mt="md" loading={mutation.isPending} disabled={changed.length === 0} data-testid="case-fields-save">
            {t('cases.fields.save')}
          </Button>
        ) : null}
      </form>
    </FileSection>
  );
}
