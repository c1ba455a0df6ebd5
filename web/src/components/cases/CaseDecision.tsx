import { Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  APPEAL_OUTCOMES,
  recordAppeal,
  recordAppealOutcome,
  recordNotification,
  type AppealOutcome,
  type CaseDetail,
} from '../../api/cases';
import { currentLanguage } from '../../i18n';
import { todayIso } from '../../lib/format';
import { DateText, ISO_DATE_RE, TimestampText } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { useStoreCase } from './caseQueries';
import { CaseProblem, localText } from './common';

/**
 * After a decision: when it was notified, when the appeal period ends and when the decision
 * becomes legally binding; an appeal and its outcome.
 */
export function DecisionSection({ detail, canWrite, onDone }: { detail: CaseDetail; canWrite: boolean; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const decision = detail.decision;
  if (!decision) return null;
  const appeal = detail.appeal;

  return (
    <FileSection id="decision" title={t('cases.sections.decision')} testId="case-decision">
      <div className="mf-decision-head">
        <span className={decision.outcome === 'positive' ? 'mf-tag mf-tag--current' : 'mf-tag mf-tag--alert'} data-testid="decision-outcome"
          data-outcome={decision.outcome}>
          {t(`cases.decision.outcomes.${decision.outcome}`)}
        </span>
        <strong>{localText(decision.names, language)}</strong>
      </div>
      <dl className="mf-inline-facts mf-decision-facts">
        <div><dt>{t('cases.decision.decidedBy')}</dt><dd>{decision.decidedBy}</dd></div>
        {decision.approvedBy ? <div><dt>{t('cases.decision.approvedBy')}</dt><dd>{decision.approvedBy}</dd></div> : null}
        <div><dt>{t('cases.decision.decidedAt')}</dt><dd><TimestampText value={decision.decidedAt} /></dd></div>
      </dl>
      {decision.reason ? (
        <blockquote className="mf-reason-quote">
          <span className="sr-only">{t('cases.decision.reason')}: </span>
          {decision.reason}
        </blockquote>
      ) : null}

      <dl className="mf-facts mf-decision-dates">
        <DateFact label={t('cases.decision.notifiedOn')} testId="notified-on">
          {detail.notifiedOn ? <DateText value={detail.notifiedOn} /> : <span className="mf-muted">{t('cases.decision.notNotified')}</span>}
        </DateFact>
        {appeal ? (
          <DateFact label={t('cases.decision.appealUntil')} testId="appeal-until">
            {appeal.until ? (
              <>
                <DateText value={appeal.until} />{' '}
                <span className="mf-muted">({t('cases.decision.appealDays', { count: appeal.days })})</span>
              </>
            ) : <span className="mf-muted">{t('cases.decision.afterNotification', { count: appeal.days })}</span>}
          </DateFact>
        ) : null}
        <DateFact label={t('cases.decision.legalForce')}>
          {detail.legalForceOn ? (
            <>
              <DateText value={detail.legalForceOn} />
              {detail.legalForceProvisional ? <span className="mf-tag">{t('cases.header.provisional')}</span> : null}
            </>
          ) : <span className="mf-muted">{t('cases.decision.legalForceOpen')}</span>}
        </DateFact>
        {appeal?.status ? (
          <DateFact label={t('cases.decision.appeal')} testId="appeal-status">
            {t(`cases.decision.appealStatus.${appeal.status}`)}
            {appeal.filedOn ? <> · {t('cases.decision.filedOn')} <DateText value={appeal.filedOn} /></> : null}
          </DateFact>
        ) : null}
      </dl>
      {appeal && !appeal.suspensive ? <Text size="sm" mt="xs" className="mf-muted">{t('cases.decision.notSuspensive')}</Text> : null}

      {canWrite && !detail.notifiedOn ? <NotificationForm detail={detail} onDone={onDone} /> : null}
      {canWrite && detail.notifiedOn && appeal && appeal.status === null ? <AppealForm detail={detail} onDone={onDone} /> : null}
      {canWrite && appeal?.status === 'filed' ? <AppealOutcomeForm detail={detail} onDone={onDone} /> : null}
    </FileSection>
  );
}

function DateFact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="mf-fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function useDateForm(initial = todayIso()) {
  const { t } = useTranslation();
  const [date, setDate] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const check = (): boolean => {
    if (!ISO_DATE_RE.test(date)) {
      setError(t('form.dateRequired'));
      return false;
    }
    if (date > todayIso()) {
      setError(t('cases.decision.notInFuture'));
      return false;
    }
    setError(undefined);
    return true;
  };
  return { date, setDate, error, check };
}

function NotificationForm({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  const form = useDateForm();
  const mutation = useMutation({
    mutationFn: (date: string) => recordNotification(detail, date),
    onSuccess: (next) => {
      storeCase(next);
      onDone(t('cases.decision.notificationRecorded'));
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (form.check()) mutation.mutate(form.date);
  };
  return (
    <form noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="notification-form" aria-labelledby="notification-heading">
      <h3 id="notification-heading" className="mf-subheading">{t('cases.decision.recordNotification')}</h3>
      <Text size="sm" mb="sm">{t('cases.decision.notificationIntro')}</Text>
      <div className="mf-form-problem">
        <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
      </div>
      <div className="mf-inline-form">
        <TextInput type="date" name="notifiedOn" label={t('cases.decision.notifiedOn')} value={form.date} max={todayIso()}
          error={form.error} onChange={(event) => { form.setDate(event.currentTarget.value); }} />
        <Button type="submit" loading={mutation.isPending} data-testid="record-notification">{t('cases.decision.recordNotification')}</Button>
      </div>
    </form>
  );
}

function AppealForm({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  const form = useDateForm();
  const mutation = useMutation({
    mutationFn: (date: string) => recordAppeal(detail, date),
    onSuccess: (next) => {
      storeCase(next);
      onDone(t('cases.decision.appealRecorded'));
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (form.check()) mutation.mutate(form.date);
  };
  return (
    <form noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="appeal-form" aria-labelledby="appeal-heading">
      <h3 id="appeal-heading" className="mf-subheading">{t('cases.decision.appealFiled')}</h3>
      <div className="mf-form-problem">
        <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
      </div>
      <div className="mf-inline-form">
        <TextInput type="date" name="filedOn" label={t('cases.decision.filedOnLabel')} value={form.date} max={todayIso()}
          error={form.error} onChange={(event) => { form.setDate(event.currentTarget.value); }} />
        <Button type="submit" variant="default" loading={mutation.isPending} data-testid="record-appeal">{t('cases.decision.appealFiled')}</Button>
      </div>
    </form>
  );
}

function AppealOutcomeForm({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const storeCase = useStoreCase();
  const form = useDateForm();
  const [outcome, setOutcome] = useState<AppealOutcome | ''>('');
  const [outcomeError, setOutcomeError] = useState<string | undefined>();
  const mutation = useMutation({
    mutationFn: ({ value, date }: { value: AppealOutcome; date: string }) => recordAppealOutcome(detail, value, date),
    onSuccess: (next) => {
      storeCase(next);
      onDone(t('cases.decision.appealOutcomeRecorded'));
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const dateOk = form.check();
    setOutcomeError(outcome ? undefined : t('form.choose'));
    if (dateOk && outcome) mutation.mutate({ value: outcome, date: form.date });
  };
  return (
    <form noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="appeal-outcome-form" aria-labelledby="appeal-outcome-heading">
      <h3 id="appeal-outcome-heading" className="mf-subheading">{t('cases.decision.appealOutcome')}</h3>
      <div className="mf-form-problem">
        <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
      </div>
      <Stack gap="sm">
        <Radio.Group name="outcome" label={t('cases.decision.appealOutcomeLabel')} value={outcome} error={outcomeError}
          onChange={(value) => { setOutcome(value as AppealOutcome); }}>
          <Stack gap={6} mt={6}>
            {APPEAL_OUTCOMES.map((value) => (
              <Radio key={value} value={value} label={t(`cases.decision.appealStatus.${value}`)}
                description={t(`cases.decision.appealOutcomeHints.${value}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput type="date" name="decidedOn" label={t('cases.decision.appealDecidedOn')} value={form.date} max={todayIso()}
            error={form.error} onChange={(event) => { form.setDate(event.currentTarget.value); }} />
          <Button type="submit" loading={mutation.isPending} data-testid="record-appeal-outcome">{t('cases.decision.recordOutcome')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
