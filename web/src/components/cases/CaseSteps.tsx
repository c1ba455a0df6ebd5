import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { decideApproval, takeStep, type CaseDetail, type CaseStep, type StepBlocker, type StepRequest } from '../../api/cases';
import { useCan } from '../../auth/permissions';
import { useSession } from '../../auth/session';
import { currentLanguage } from '../../i18n';
import { formatMoney } from '../../lib/format';
import { checkFeeAdjustment, FeeAdjustmentFields, NO_ADJUSTMENT, StepFeeSummary, stepFeeHint, type FeeAdjustmentDraft, type FeeAdjustmentErrors } from '../finance/StepFee';
import { TimestampText, useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { CaseFieldInput, checklistName, fieldName, validateFieldValue } from './CaseFieldInput';
import { useStoreCase } from './caseQueries';
import { CaseDialog, CaseProblem, localText } from './common';

const ROLE_KEYS = ['caseworker', 'team-lead'] as const;
/** The engine's named conditions (server cases/rules/workflow.ts), in words. */
const CONDITIONS = ['applied-before-permit-expiry', 'has-main-permit'] as const;

function roleName(role: string, t: TFunction): string {
  return (ROLE_KEYS as readonly string[]).includes(role) ? t(`cases.roles.${role as (typeof ROLE_KEYS)[number]}`) : role;
}

/** Why a step cannot be taken yet, in words. */
export function blockerText(blocker: StepBlocker, detail: CaseDetail, t: TFunction): string {
  const list = (ids: string[] | undefined, name: (id: string) => string) => (ids ?? []).map(name).join(', ');
  switch (blocker.reason) {
    case 'checklist':
      return t('cases.steps.blockers.checklist', { items: list(blocker.missing, (id) => checklistName(detail, id)) });
    case 'fields':
      return t('cases.steps.blockers.fields', { fields: list(blocker.missing, (id) => fieldName(detail, id)) });
    case 'role':
      return t('cases.steps.blockers.role', { roles: list(blocker.roles, (role) => roleName(role, t)) });
    case 'pending-decision':
      return t('cases.steps.blockers.pendingDecision');
    case 'condition': {
      const condition = blocker.condition ?? '';
      return (CONDITIONS as readonly string[]).includes(condition)
        ? t(`cases.steps.conditions.${condition as (typeof CONDITIONS)[number]}`)
        : t('cases.steps.blockers.condition', { condition });
    }
    default:
      return t('cases.steps.blockers.other');
  }
}

/** A step can be started when allowed, or when only fields are missing: its dialog asks for them. */
function canStart(step: CaseStep): boolean {
  return step.allowed || (step.blockers.length > 0 && step.blockers.every((b) => b.reason === 'fields'));
}

/** Main steps first, in the order of the case type. */
function ordered(steps: CaseStep[]): CaseStep[] {
  return [...steps.filter((s) => s.primary), ...steps.filter((s) => !s.primary)];
}

export function StepsSection({ detail, writable, fieldDraft, onFieldsSent, onDone }: {
  detail: CaseDetail;
  writable: boolean;
  /** Field entries not saved yet: the step's dialog starts with them. */
  fieldDraft: Record<string, string>;
  onFieldsSent: (ids: string[]) => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  // Kept after closing (opened: false) so the dialog closes with its transition and focus returns to the button.
  const [dialog, setDialog] = useState<{ stepId: string; opened: boolean } | null>(null);
  const step = dialog ? detail.steps.find((s) => s.id === dialog.stepId) : undefined;
  const close = () => { setDialog((current) => (current ? { ...current, opened: false } : null)); };
  const steps = ordered(detail.steps);

  return (
    <FileSection id="steps" title={t('cases.sections.steps')} testId="case-steps">
      {detail.pendingDecision ? <PendingDecisionPanel detail={detail} onDone={onDone} /> : null}
      {detail.closedAt ? <Text>{t('cases.steps.closed')}</Text> : null}
      {!detail.closedAt && steps.length === 0 ? <Text>{t('cases.steps.none')}</Text> : null}
      {!detail.closedAt && steps.length > 0 ? (
        <ul className="mf-step-list">
          {steps.map((s) => (
            <StepButton key={s.id} step={s} detail={detail} writable={writable}
              onStart={() => { setDialog({ stepId: s.id, opened: true }); }} />
          ))}
        </ul>
      ) : null}
      <CaseDialog opened={dialog?.opened === true && step !== undefined} onClose={close} title={step ? localText(step.names) : ''} size="md">
        {step ? (
          <StepForm key={`${step.id}-${String(dialog?.opened)}`} step={step} detail={detail} initial={fieldDraft} onClose={close}
            onDone={(message, sent) => { close(); onFieldsSent(sent); onDone(message); }} />
        ) : null}
      </CaseDialog>
    </FileSection>
  );
}

function StepButton({ step, detail, writable, onStart }: { step: CaseStep; detail: CaseDetail; writable: boolean; onStart: () => void }) {
  const { t } = useTranslation();
  const reasonsId = useId();
  const feeId = useId();
  const startable = writable && canStart(step);
  const reasons = step.allowed ? [] : step.blockers.map((b) => blockerText(b, detail, t));
  const onlyFieldsMissing = !step.allowed && startable;
  const describedBy = [step.fee ? feeId : '', reasons.length > 0 ? reasonsId : ''].filter(Boolean).join(' ');
  return (
    <li className="mf-step" data-primary={step.primary ? 'true' : undefined}>
      <Button
        variant={step.primary ? 'filled' : 'default'}
        data-testid={`case-step-${step.id}`}
        data-allowed={step.allowed ? 'true' : 'false'}
        data-disabled={!startable || undefined}
        aria-disabled={!startable || undefined}
        aria-describedby={describedBy || undefined}
        onClick={() => { if (startable) onStart(); }}
      >
        {localText(step.names)}
      </Button>
      {step.fee ? <p id={feeId} className="mf-step-fee" data-testid={`case-step-fee-${step.id}`} data-total={step.fee.total}>{stepFeeHint(step.fee, t)}</p> : null}
      {reasons.length > 0 ? (
        <ul id={reasonsId} className={onlyFieldsMissing ? 'mf-step-reasons mf-step-reasons--hint' : 'mf-step-reasons'}>
          {reasons.map((reason) => <li key={reason}>{reason}</li>)}
          {onlyFieldsMissing ? <li>{t('cases.steps.askedInDialog')}</li> : null}
        </ul>
      ) : null}
    </li>
  );
}

function StepForm({ step, detail, initial, onClose, onDone }: {
  step: CaseStep;
  detail: CaseDetail;
  initial: Record<string, string>;
  onClose: () => void;
  onDone: (message: string, sentFields: string[]) => void;
}) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  // Asked for: the required fields that are still empty.
  const missing = step.requiredFields
    .map((id) => detail.fieldDefinitions.find((d) => d.id === id))
    .filter((d): d is NonNullable<typeof d> => d !== undefined && !(detail.fields[d.id] ?? '').trim());
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(missing.filter((d) => initial[d.id]).map((d) => [d.id, initial[d.id] ?? ''])));
  const [reason, setReason] = useState('');
  const [feeDraft, setFeeDraft] = useState<FeeAdjustmentDraft>(NO_ADJUSTMENT);
  const [feeErrors, setFeeErrors] = useState<FeeAdjustmentErrors>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, attempt);

  const mutation = useMutation({
    mutationFn: (body: StepRequest) => takeStep(detail, step.id, body),
    onSuccess: (next) => {
      storeCase(next);
      const name = localText(step.names);
      onDone(next.pendingDecision && !detail.pendingDecision
        ? t('cases.steps.proposed', { step: name })
        : t('cases.steps.done', { step: name, state: localText(next.stateNames) }), missing.map((d) => d.id));
    },
    onError: () => { setAttempt((n) => n + 1); },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const serverFieldError = useServerFieldErrors(mutation.error, 'fields');

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const next: Record<string, string> = {};
    for (const definition of missing) {
      const value = (values[definition.id] ?? '').trim();
      const problem = value ? validateFieldValue(definition, value, t) : t('form.required');
      if (problem) next[definition.id] = problem;
    }
    if (step.reasonRequired && !reason.trim()) next.reason = t('cases.steps.reasonRequired');
    const fee = step.fee ? checkFeeAdjustment(feeDraft, step.fee, t) : { errors: {} };
    setErrors(next);
    setFeeErrors(fee.errors);
    if (Object.keys(next).length > 0 || Object.keys(fee.errors).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    const fields: Record<string, string> = {};
    for (const definition of missing) fields[definition.id] = (values[definition.id] ?? '').trim();
    mutation.mutate({
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(missing.length > 0 ? { fields } : {}),
      ...('adjustment' in fee && fee.adjustment ? { fee: fee.adjustment } : {}),
    });
  };

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="step-form" data-step={step.id}>
      <Stack gap="sm">
        {step.decision ? (
          <Text size="sm" fw={600}>
            {step.decision.outcome === 'positive' ? t('cases.steps.decisionPositive') : t('cases.steps.decisionNegative')}
          </Text>
        ) : null}
        {step.decision?.fourEyes ? <Text size="sm">{t('cases.steps.fourEyes')}</Text> : null}
        {missing.length === 0 && !step.reasonRequired ? <Text size="sm">{t('cases.steps.confirm')}</Text> : null}
        <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }}
          known={['reason', ...missing.map((d) => `fields.${d.id}`)]} />
        {step.fee ? <StepFeeSummary fee={step.fee} /> : null}
        {missing.map((definition) => (
          <CaseFieldInput key={definition.id} definition={definition} testIdPrefix="step-field-" required
            value={values[definition.id] ?? ''}
            onChange={(value) => { setValues((previous) => ({ ...previous, [definition.id]: value })); }}
            error={errors[definition.id] ?? serverFieldError(definition.id, localText(definition.names))} />
        ))}
        {step.reasonRequired ? (
          <Textarea name="reason" label={t('cases.steps.reason')} description={t('cases.steps.reasonHint')} autosize minRows={3}
            required withAsterisk value={reason} onChange={(event) => { setReason(event.currentTarget.value); }}
            error={errors.reason ?? serverError('reason', t('cases.steps.reason'))} data-testid="step-reason" data-autofocus />
        ) : null}
        {step.fee ? <FeeAdjustmentFields fee={step.fee} draft={feeDraft} onChange={setFeeDraft} errors={feeErrors} /> : null}
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="step-submit">
            {step.decision?.fourEyes ? t('cases.steps.submitPropose') : localText(step.names)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A four-eyes decision waiting for the second person: who proposed what, and approve / send back. */
function PendingDecisionPanel({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const pending = detail.pendingDecision;
  const session = useSession();
  const canApprove = useCan('cases:approve');
  const storeCase = useStoreCase();
  const [sendingBack, setSendingBack] = useState(false);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>();
  const mutation = useMutation({
    mutationFn: (body: { approve: boolean; comment?: string }) => decideApproval(detail, body),
    onSuccess: (next, body) => {
      storeCase(next);
      setSendingBack(false);
      setComment('');
      onDone(body.approve ? t('cases.approval.approved') : t('cases.approval.sentBack'));
    },
  });
  if (!pending) return null;
  const own = session.data?.user.id === pending.proposedById;
  const fieldEntries = Object.entries(pending.fields);

  return (
    <div className="mf-pending" role="region" aria-labelledby="pending-heading" data-testid="pending-decision">
      <h3 id="pending-heading" className="mf-subheading">{t('cases.approval.title')}</h3>
      <p className="mf-pending-what">
        {t('cases.approval.proposed', { step: localText(pending.names, language), name: pending.proposedBy })}{' '}
        <span className="mf-muted">(<TimestampText value={pending.proposedAt} />)</span>
      </p>
      {pending.reason ? (
        <blockquote className="mf-reason-quote">
          <span className="sr-only">{t('cases.approval.reason')}: </span>
          {pending.reason}
        </blockquote>
      ) : null}
      {pending.fee ? (
        <p className="mf-small" data-testid="pending-fee">
          {t('finance.stepFee.proposed', { amount: formatMoney(pending.fee.charge, detail.steps.find((s) => s.fee)?.fee?.currency ?? 'CHF', language), reason: pending.fee.reason })}
        </p>
      ) : null}
      {fieldEntries.length > 0 ? (
        <dl className="mf-inline-facts">
          {fieldEntries.map(([id, value]) => (
            <div key={id}><dt>{fieldName(detail, id)}</dt><dd>{value}</dd></div>
          ))}
        </dl>
      ) : null}
      {own ? (
        <Text size="sm" mt="sm" fw={600}>{t('cases.approval.ownProposal')}</Text>
      ) : !canApprove ? (
        <Text size="sm" mt="sm" fw={600}>{t('cases.approval.waiting')}</Text>
      ) : (
        <div className="mf-pending-actions">
          <div className="mf-form-problem">
            <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
          </div>
          {sendingBack ? (
            <form noValidate onSubmit={(event) => {
              event.preventDefault();
              if (!comment.trim()) {
                setCommentError(t('cases.approval.commentRequired'));
                return;
              }
              setCommentError(undefined);
              mutation.mutate({ approve: false, comment: comment.trim() });
            }}>
              <Stack gap="sm">
                <Textarea name="comment" label={t('cases.approval.comment')} description={t('cases.approval.commentHint')}
                  autosize minRows={2} value={comment} error={commentError} data-autofocus autoFocus
                  onChange={(event) => { setComment(event.currentTarget.value); }} data-testid="approval-comment" />
                <Group gap="sm">
                  <Button type="submit" loading={mutation.isPending && mutation.variables?.approve === false} data-testid="approval-send-back-confirm">
                    {t('cases.approval.sendBack')}
                  </Button>
                  <Button variant="default" onClick={() => { setSendingBack(false); }}>{t('common.cancel')}</Button>
                </Group>
              </Stack>
            </form>
          ) : (
            <Group gap="sm">
              <Button onClick={() => { mutation.mutate({ approve: true }); }} loading={mutation.isPending} data-testid="approval-approve">
                {t('cases.approval.approve')}
              </Button>
              <Button variant="default" onClick={() => { setSendingBack(true); }} data-testid="approval-send-back">
                {t('cases.approval.sendBack')}
              </Button>
            </Group>
          )}
        </div>
      )}
    </div>
  );
}
