import { Button, CloseButton, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchPermits, grantPermit } from '../../api/endpoints';
import type { GrantPermitRequest, Permit, PermitCategory, PermitHistoryEntry, PersonFile } from '../../api/types';
import { useCan } from '../../auth/permissions';
import { currentLanguage } from '../../i18n';
import { formatDate, todayIso } from '../../lib/format';
import { categoryName, permitState } from '../../lib/permits';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { DateText, useFocusFirstInvalid, useFormValues, useServerFieldErrors } from './common';
import {
  ChangeCategoryForm,
  emptyPermitValues,
  EndPermitForm,
  ExtendPermitForm,
  PERMIT_FIELDS,
  PermitDialog,
  PermitFields,
  permitBody,
  PermitWriteProblem,
  validatePermitValues,
  type PermitField,
} from './PermitForms';
import { FileSection } from './PersonSections';
import { personPermitsKey, storePermit, usePermitCategories } from './personQueries';

type PermitAction = 'extend' | 'change' | 'end';

interface PermitsSectionProps {
  file: PersonFile;
  /** False when the file is shown as of a past date or was merged: no writes then. */
  editable: boolean;
}

/** Newest first: the permit in force on top. */
function newestFirst(a: Permit, b: Permit): number {
  return b.validFrom.localeCompare(a.validFrom) || b.id.localeCompare(a.id);
}

export function PermitsSection({ file, editable }: PermitsSectionProps) {
  const { t } = useTranslation();
  const canWrite = useCan('permits:write');
  const permits = useQuery({
    queryKey: personPermitsKey(file.id),
    queryFn: ({ signal }) => fetchPermits(file.id, signal),
  });
  const categories = usePermitCategories();
  // Kept after closing (opened: false), so the dialog can close with its transition and return focus.
  const [dialog, setDialog] = useState<{ action: PermitAction; permitId: string; opened: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const writable = editable && canWrite;
  const list = permits.data ? [...permits.data].sort(newestFirst) : [];
  const dialogPermit = dialog ? list.find((p) => p.id === dialog.permitId) : undefined;
  const categoryList = categories.data ?? [];
  const nationality = file.identity.nationality;

  const closeDialog = () => { setDialog((current) => (current ? { ...current, opened: false } : null)); };
  const done = (message: string) => {
    closeDialog();
    setNotice(message);
  };
  const dialogProps = dialogPermit
    ? { permit: dialogPermit, categories: categoryList, nationality, onClose: closeDialog, onDone: done }
    : null;

  return (
    <FileSection id="permits" title={t('personFile.sections.permits')} testId="permits-section">
      {notice ? (
        <div className="mf-notice" role="status" data-testid="permit-notice">
          <span>{notice}</span>
          <CloseButton size="sm" aria-label={t('common.close')} onClick={() => { setNotice(null); }} />
        </div>
      ) : null}
      {permits.isPending ? <Loading /> : null}
      {permits.isError ? <ErrorState error={permits.error} onRetry={() => void permits.refetch()} /> : null}
      {permits.data && list.length === 0 ? <Text mb="md">{t('permits.none')}</Text> : null}
      {list.length > 0 ? (
        <ul className="mf-paper-list mf-permit-list" aria-label={t('permits.listLabel')}>
          {list.map((permit) => (
            <PermitRow key={permit.id} permit={permit} categories={categories.data} writable={writable}
              onAction={(action) => { setNotice(null); setDialog({ action, permitId: permit.id, opened: true }); }} />
          ))}
        </ul>
      ) : null}
      {!editable && list.length > 0 ? <Text size="sm" mt="sm" className="mf-muted">{t('permits.readOnly')}</Text> : null}
      {categories.isError ? <Text size="sm" mt="sm" role="alert">{t('permits.categoriesFailed')}</Text> : null}
      {writable && categories.data ? (
        <GrantForm file={file} categories={categories.data} onDone={(message) => { setNotice(message); }} />
      ) : null}

      {/* Always mounted: opening then counts as a change, so closing returns focus to the button. */}
      <PermitDialog opened={dialog?.opened === true && dialog.action === 'extend' && dialogProps !== null} onClose={closeDialog}
        title={t('permits.extend.title')}>
        {dialogProps ? <ExtendPermitForm {...dialogProps} /> : null}
      </PermitDialog>
      <PermitDialog opened={dialog?.opened === true && dialog.action === 'change' && dialogProps !== null} onClose={closeDialog}
        title={t('permits.change.title')}>
        {dialogProps ? <ChangeCategoryForm {...dialogProps} /> : null}
      </PermitDialog>
      <PermitDialog opened={dialog?.opened === true && dialog.action === 'end' && dialogProps !== null} onClose={closeDialog}
        title={t('permits.end.title')}>
        {dialogProps ? <EndPermitForm {...dialogProps} /> : null}
      </PermitDialog>
    </FileSection>
  );
}

// ---- one permit ------------------------------------------------------------------------------

function PermitRow({ permit, categories, writable, onAction }: {
  permit: Permit;
  categories: PermitCategory[] | undefined;
  writable: boolean;
  onAction: (action: PermitAction) => void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const name = categoryName(permit.category, categories, language);
  const today = todayIso();
  const state = permitState(permit, today);
  const open = permit.endedOn === null;
  const stateClass = state === 'in-force' ? 'mf-tag mf-tag--current' : state === 'expired' ? 'mf-tag mf-tag--alert' : 'mf-tag';
  return (
    <li className="mf-paper mf-permit" data-testid="permit-row" data-permit-id={permit.id} data-category={permit.category} data-state={state}>
      <div>
        <div className="mf-paper-title">
          <span className="mf-permit-code" aria-hidden="true">{permit.category}</span>
          <strong>{name}</strong>
          <span className={stateClass}>{t(`permits.states.${state}`)}</span>
          {!permit.isMain ? <span className="mf-tag">{t('permits.additional')}</span> : null}
        </div>
        <dl className="mf-inline-facts">
          <div><dt>{t('permits.admissionReason')}</dt><dd>{t(`admissionReasons.${permit.admissionReason}`)}</dd></div>
          <div><dt>{t('permits.validFrom')}</dt><dd><DateText value={permit.validFrom} /></dd></div>
          <div>
            <dt>{t('permits.validUntil')}</dt>
            <dd>{permit.validUntil ? <DateText value={permit.validUntil} /> : t('permits.unlimited')}</dd>
          </div>
          {permit.controlDate ? (
            <div><dt>{t('permits.controlDate')}</dt><dd><DateText value={permit.controlDate} /></dd></div>
          ) : null}
          {permit.lStayStart && permit.lStayStart !== permit.validFrom ? (
            <div><dt>{t('permits.lStayStart')}</dt><dd><DateText value={permit.lStayStart} /></dd></div>
          ) : null}
          {permit.endedOn ? (
            <div>
              <dt>{permit.endedOn > today ? t('permits.endsOn') : t('permits.endedOn')}</dt>
              <dd>
                <DateText value={permit.endedOn} />
                {permit.endReason ? <> ({t(`permits.endReasons.${permit.endReason}`)})</> : null}
              </dd>
            </div>
          ) : null}
          {permit.cardNumber ? <div><dt>{t('permits.cardNumber')}</dt><dd>{permit.cardNumber}</dd></div> : null}
        </dl>
        {permit.conditions ? (
          <p className="mf-permit-conditions"><span className="mf-muted">{t('permits.conditions')}: </span>{permit.conditions}</p>
        ) : null}
        {permit.history.length > 0 ? <PermitHistory permit={permit} name={name} categories={categories} /> : null}
      </div>
      {writable && open ? (
        <div className="mf-paper-actions">
          {permit.validUntil ? (
            <Button size="xs" variant="default" onClick={() => { onAction('extend'); }} data-testid="permit-extend">
              {t('permits.actions.extend')}<span className="sr-only">: {name}</span>
            </Button>
          ) : null}
          <Button size="xs" variant="default" onClick={() => { onAction('change'); }} data-testid="permit-change-category">
            {t('permits.actions.changeCategory')}<span className="sr-only">: {name}</span>
          </Button>
          <Button size="xs" variant="default" onClick={() => { onAction('end'); }} data-testid="permit-end">
            {t('permits.actions.end')}<span className="sr-only">: {name}</span>
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/** What an event changed, in words: "until 31.12.2027", "to Settlement permit (C)". */
function eventDetail(entry: PermitHistoryEntry, categories: PermitCategory[] | undefined, t: TFunction): string | null {
  const language = currentLanguage();
  const to = entry.details.to;
  if (entry.event === 'extended' && typeof to === 'string') return t('permits.eventUntil', { date: formatDate(to, language) });
  if (entry.event === 'category-changed' && typeof to === 'string') return t('permits.eventTo', { category: categoryName(to, categories, language) });
  return null;
}

function PermitHistory({ permit, name, categories }: { permit: Permit; name: string; categories: PermitCategory[] | undefined }) {
  const { t } = useTranslation();
  return (
    <ol className="mf-permit-history" aria-label={t('permits.historyLabel', { category: name })}>
      {permit.history.map((entry, index) => {
        const detail = eventDetail(entry, categories, t);
        return (
          <li key={`${entry.event}-${entry.date}-${String(index)}`} data-testid="permit-event" data-event={entry.event}>
            <DateText value={entry.date} />
            {' · '}
            {t(`permits.events.${entry.event}`)}
            {detail ? <> {detail}</> : null}
            {entry.recordedBy ? <span className="mf-muted"> · {entry.recordedBy}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

// ---- grant -----------------------------------------------------------------------------------

function GrantForm({ file, categories, onDone }: { file: PersonFile; categories: PermitCategory[]; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const language = currentLanguage();
  const form = useFormValues<PermitField>(() => emptyPermitValues());
  const [clientErrors, setClientErrors] = useState<Partial<Record<PermitField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: (body: GrantPermitRequest) => grantPermit(file.id, body),
    onSuccess: (permit) => {
      storePermit(queryClient, permit);
      form.setValues(emptyPermitValues());
      const category = categoryName(permit.category, categories, language);
      onDone(permit.validUntil
        ? t('permits.grant.doneUntil', { category, from: formatDate(permit.validFrom, language), until: formatDate(permit.validUntil, language) })
        : t('permits.grant.done', { category, from: formatDate(permit.validFrom, language) }));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: PermitField, label: string) => clientErrors[field] ?? serverError(field, label);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const errors = validatePermitValues(form.values, t);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) setAttempt((n) => n + 1);
    else mutation.mutate(permitBody(form.values));
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="grant-permit-form" aria-labelledby="grant-permit-heading">
      <h3 id="grant-permit-heading" className="mf-subheading">{t('permits.grant.title')}</h3>
      <Text size="sm" mb="sm">{t('permits.grant.intro')}</Text>
      <div className="mf-form-problem">
        <PermitWriteProblem error={mutation.error} personId={file.id} known={PERMIT_FIELDS} onReloaded={() => { mutation.reset(); }} />
      </div>
      <PermitFields form={form} categories={categories} nationality={file.identity.nationality} errorOf={errorOf} />
      <Button type="submit" mt="md" loading={mutation.isPending} data-testid="grant-permit">
        {t('permits.grant.submit')}
      </Button>
    </form>
  );
}

/** For the person file: hidden for roles without permits:read (the API would answer 403). */
export function PermitsSectionIfAllowed(props: PermitsSectionProps) {
  const canRead = useCan('permits:read');
  return canRead ? <PermitsSection {...props} /> : null;
}
