import { Alert, Anchor, Button, Group, Progress, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, isApiError, NETWORK_ERROR } from '../../api/client';
import {
  caseDocumentUrl,
  discardApplication,
  fetchApplication,
  MAX_APPLICATION_BYTES,
  MAX_UPLOAD_BYTES,
  PAPER_TYPES,
  removePaper,
  saveAnswers,
  submitApplication,
  uploadPath,
  type Answers,
  type Application,
  type FormQuestion,
  type FormStep,
  type FormUpload,
  type PrefillSource,
  type SentApplication,
  type UploadedPaper,
} from '../../api/portal-service';
import type { FieldProblem, Problem } from '../../api/types';
import { SESSION_QUERY_KEY, useSession } from '../../auth/session';
import { formatSize } from '../../components/cases/common';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { ResponsiveDialog } from '../../components/ResponsiveDialog';
import { currentLanguage, type Language } from '../../i18n';
import { formatDate, formatNationality, formatRegisterDate, formatTimestamp } from '../../lib/format';
import { isVersionConflict } from '../../lib/problems';
import { fromState } from '../../lib/returnPath';
import { usePageTitle } from '../../lib/usePageTitle';
import { applicationKey } from './ApplyPage';
import { isPortalUser, PORTAL_APPLICATIONS_KEY, type PortalHomeState } from './PortalHomePage';
import { FocusedHeading } from './shared';

/**
 * `/portal/applications/:id`: the online application, one step per screen — what the office
 * knows (shown, never asked again), the questions, the papers — then "Check and send". Each step
 * is saved when the person moves on, so a draft can be left and continued later.
 */
export function ApplicationPage() {
  const session = useSession();
  const location = useLocation();
  const { id = '' } = useParams();

  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/login" replace state={fromState(location)} />;
  if (!isPortalUser(session.data.user.roles)) return <Navigate to="/" replace />;
  return <ApplicationLoader key={id} id={id} csrfToken={session.data.csrfToken} />;
}

function ApplicationLoader({ id, csrfToken }: { id: string; csrfToken: string }) {
  const { t } = useTranslation();
  // Fresh for a few seconds: the draft the apply page just started is not read twice.
  const query = useQuery({ queryKey: applicationKey(id), queryFn: ({ signal }) => fetchApplication(id, signal), staleTime: 5_000 });
  usePageTitle(query.data ? query.data.form.names[currentLanguage()] : t('portalApply.apply.title'));

  // The wizard keeps its own copy from the first data it gets: an older cached copy (another tab
  // may have saved since) waits for the fresh one rather than seeding it. Decided once, so that a
  // later refetch never takes the wizard (and what the person typed) away.
  const [waitForFresh] = useState(() => query.isStale);
  if (query.isPending || (waitForFresh && !query.isFetchedAfterMount)) return <Loading />;
  if (query.isError) {
    const gone = isApiError(query.error) && query.error.status === 404;
    return (
      <div className="mf-panel" data-testid="application-problem">
        <Stack gap="md">
          <Title order={1}>{gone ? t('portalApply.wizard.notFoundTitle') : t('portalApply.apply.title')}</Title>
          {gone ? <Text>{t('portalApply.wizard.notFoundBody')}</Text> : <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
          <Anchor component={Link} to="/portal">{t('portalApply.backHome')}</Anchor>
        </Stack>
      </div>
    );
  }
  return <Wizard initial={query.data} csrfToken={csrfToken} />;
}

// --- helpers -------------------------------------------------------------------------------------------

/** Whether a question is asked given the answers so far (the server's isAsked: hidden answers do not count). */
function isAsked(question: FormQuestion, answers: Answers): boolean {
  return question.showIf === undefined || answers[question.showIf.question] === question.showIf.equals;
}

/** The answers of a step that differ from what the server holds (only these are sent; an empty string clears). */
function changesOf(step: FormStep, values: Answers, saved: Answers): Answers {
  const changes: Answers = {};
  for (const question of step.questions ?? []) {
    if (!isAsked(question, values)) continue;
    const value = (values[question.id] ?? '').trim();
    if (value !== (saved[question.id] ?? '')) changes[question.id] = value;
  }
  return changes;
}

/** Where a field of the API (`answers.<id>`, `uploads.<slot>`) is asked: its label and the step (1-based). */
function locate(application: Application, field: string, language: Language): { label: string; step: number; kind: 'answer' | 'upload' } | null {
  const [kind, key] = field.split('.', 2);
  for (const [index, step] of application.form.steps.entries()) {
    if (kind === 'answers') {
      const question = step.questions?.find((candidate) => candidate.id === key);
      if (question) return { label: question.label[language], step: index + 1, kind: 'answer' };
    } else if (kind === 'uploads') {
      const upload = step.uploads?.find((candidate) => candidate.slot === key);
      if (upload) return { label: upload.label[language], step: index + 1, kind: 'upload' };
    }
  }
  return null;
}

/** An answer as the person chose it: the option's label, a date in their format. */
function answerText(question: FormQuestion, value: string, language: Language): string {
  if (question.type === 'choice') return question.options?.find((option) => option.value === value)?.label[language] ?? value;
  if (question.type === 'date') return formatDate(value, language);
  return value;
}

type RegisterLabel = 'officialName' | 'firstNames' | 'dateOfBirth' | 'nationality' | 'street' | 'houseNumber' | 'postalCode' | 'town' | 'permitCategory' | 'permitValidUntil';

const REGISTER_LABELS: Record<PrefillSource, RegisterLabel> = {
  'person.officialName': 'officialName',
  'person.firstNames': 'firstNames',
  'person.dateOfBirth': 'dateOfBirth',
  'person.nationality': 'nationality',
  'residence.street': 'street',
  'residence.houseNumber': 'houseNumber',
  'residence.postalCode': 'postalCode',
  'residence.town': 'town',
  'permit.category': 'permitCategory',
  'permit.validUntil': 'permitValidUntil',
};

// --- the wizard ----------------------------------------------------------------------------------------

type Busy = 'next' | 'back' | 'send' | null;

/**
 * Keeps the application it works on in its own state: its version is the one the person's entries
 * are based on (If-Match), so a save from another tab comes back as a conflict instead of being
 * overwritten quietly.
 */
function Wizard({ initial, csrfToken }: { initial: Application; csrfToken: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [application, setApplication] = useState(initial);
  const [values, setValues] = useState<Answers>(initial.answers);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [sent, setSent] = useState<SentApplication | null>(null);
  const [submitMissing, setSubmitMissing] = useState<FieldProblem[] | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const [searchParams, setSearchParams] = useSearchParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const steps = application.form.steps;
  const total = steps.length + 1;
  const requested = Number.parseInt(searchParams.get('step') ?? '1', 10);
  const stepNumber = Number.isFinite(requested) ? Math.min(Math.max(requested, 1), total) : 1;
  const step: FormStep | undefined = steps[stepNumber - 1];

  // The step heading takes the focus on every step change (not on the first screen: the page's own
  // focus handling and the skip link come first there).
  const shownStep = useRef(stepNumber);
  useEffect(() => {
    if (shownStep.current === stepNumber) return;
    shownStep.current = stepNumber;
    headingRef.current?.focus();
  }, [stepNumber]);

  const remember = (next: Application) => {
    setApplication(next);
    queryClient.setQueryData(applicationKey(next.id), next);
  };

  /** Messages belong to the screen they were given on. */
  const clearFeedback = () => {
    setFieldErrors({});
    setFailure(null);
    setConflict(false);
    setSubmitMissing(null);
  };

  const goTo = (number: number) => {
    clearFeedback();
    // Replaced, not pushed: the browser's back button leaves the wizard rather than skipping
    // steps without saving them.
    setSearchParams(number === 1 ? {} : { step: String(number) }, { replace: true });
    window.scrollTo({ top: 0 });
  };

  /** Loads the current state from the server; the person's entries on this step stay. */
  const reload = async (): Promise<Application> => {
    const fresh = await fetchApplication(application.id);
    const keep: Answers = {};
    for (const question of step?.questions ?? []) {
      const value = values[question.id];
      if (value !== undefined) keep[question.id] = value;
    }
    remember(fresh);
    setValues({ ...fresh.answers, ...keep });
    return fresh;
  };

  const focusFirstError = (errors: Record<string, string>) => {
    const first = (step?.questions ?? []).find((question) => errors[question.id]);
    if (!first) return;
    formRef.current?.querySelector<HTMLElement>(`[data-question="${first.id}"] input, [data-question="${first.id}"] textarea`)?.focus();
  };

  /** Saves the step's changed answers (if any) and moves on; Next also asks for what is required. */
  const leaveStep = async (direction: 'next' | 'back') => {
    if (!step) return;
    setConflict(false);
    setFailure(null);
    if (direction === 'next') {
      const missing: Record<string, string> = {};
      for (const question of step.questions ?? []) {
        if (question.required && isAsked(question, values) && (values[question.id] ?? '').trim() === '') {
          missing[question.id] = question.type === 'choice' ? t('portalApply.wizard.chooseOne') : t('portalApply.wizard.required');
        }
      }
      setFieldErrors(missing);
      if (Object.keys(missing).length > 0) {
        focusFirstError(missing);
        return;
      }
    }
    const target = direction === 'next' ? stepNumber + 1 : stepNumber - 1;
    const changes = changesOf(step, values, application.answers);
    if (Object.keys(changes).length === 0) {
      goTo(target);
      return;
    }
    setBusy(direction);
    try {
      const saved = await saveAnswers(application, changes);
      remember(saved);
      setValues(saved.answers);
      goTo(target);
    } catch (error) {
      await handleSaveError(error);
    } finally {
      setBusy(null);
    }
  };

  const handleSaveError = async (error: unknown) => {
    if (isVersionConflict(error) || (isApiError(error) && error.code === 'application-sent')) {
      setConflict(isVersionConflict(error));
      try {
        await reload();
      } catch (reloadError) {
        setFailure(reloadError);
      }
      return;
    }
    if (isApiError(error) && error.status === 400 && error.problem.errors?.length) {
      const errors: Record<string, string> = {};
      for (const item of error.problem.errors) {
        const id = item.field.startsWith('answers.') ? item.field.slice('answers.'.length) : null;
        // The API's message is a phrase that follows the answer ("is not a valid date").
        if (id) errors[id] ??= t('portalApply.wizard.fieldError', { message: item.message });
      }
      setFieldErrors(errors);
      focusFirstError(errors);
      if (Object.keys(errors).length > 0) return;
    }
    setFailure(error);
  };

  const send = async () => {
    setConflict(false);
    setFailure(null);
    setSubmitMissing(null);
    setBusy('send');
    try {
      const result = await submitApplication(application);
      remember(result.application);
      setSent(result);
      void queryClient.invalidateQueries({ queryKey: PORTAL_APPLICATIONS_KEY });
    } catch (error) {
      if (isApiError(error) && error.status === 422) {
        // What is missing, as the server counts it at the moment of sending.
        setSubmitMissing(error.problem.errors ?? []);
        try {
          await reload();
        } catch {
          // The list above already says what to do.
        }
      } else {
        await handleSaveError(error);
      }
    } finally {
      setBusy(null);
    }
  };

  const onDiscarded = async () => {
    queryClient.removeQueries({ queryKey: applicationKey(application.id) });
    await queryClient.invalidateQueries({ queryKey: PORTAL_APPLICATIONS_KEY });
    const state: PortalHomeState = { applyNotice: 'discarded' };
    await navigate('/portal', { replace: true, state });
  };

  if (sent) return <SentPanel application={application} sent={sent} />;
  if (application.state === 'submitted') return <SentPanel application={application} sent={null} />;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step) void leaveStep('next');
    else void send();
  };
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const refusal = failure && isApiError(failure) && !failure.isUnexpected ? failure.problem.detail || failure.problem.title : null;

  return (
    <div className="mf-panel" data-testid="application-wizard" data-step={stepNumber} data-step-id={step?.id ?? 'check'}>
      <Stack gap="md">
        <div>
          <Title order={1}>{application.form.names[language]}</Title>
          <Text size="sm" mt={4}>{t('portalApply.wizard.forPerson', { name: application.person.name })}</Text>
        </div>
        <Title order={2} ref={headingRef} tabIndex={-1} data-testid="step-heading">
          <Text component="span" display="block" size="sm" fw={600} c="dimmed" data-testid="step-indicator">
            {t('portalApply.wizard.stepOf', { current: stepNumber, total })}
          </Text>
          {step ? step.title[language] : t('portalApply.wizard.checkTitle')}
        </Title>
        {step?.intro ? <Text>{step.intro[language]}</Text> : null}
        <div aria-live="polite">
          {conflict ? (
            <Alert color="accent" variant="light" role="alert" title={t('portalApply.wizard.conflictTitle')} data-testid="version-conflict">
              {step ? t('portalApply.wizard.conflictBody') : t('portalApply.wizard.conflictBodyCheck')}
            </Alert>
          ) : null}
          {refusal ? (
            <Alert color="accent" variant="light" role="alert" title={t('portalApply.wizard.failed')} data-testid="wizard-error">
              {refusal}
            </Alert>
          ) : null}
        </div>
        {failure && !refusal ? <ErrorState error={failure} /> : null}
        {hasFieldErrors ? (
          <Alert color="accent" variant="light" title={t('portalApply.wizard.fixErrors')} data-testid="wizard-field-errors">
            {t('portalApply.wizard.fixErrorsBody')}
          </Alert>
        ) : null}

        <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="step-form">
          <Stack gap="lg">
            {step?.kind === 'register' ? <RegisterFacts step={step} application={application} /> : null}
            {step?.kind === 'questions' ? (
              <Questions step={step} values={values} errors={fieldErrors} language={language}
                onChange={(id, value) => {
                  setValues((current) => ({ ...current, [id]: value }));
                  setFieldErrors((current) => {
                    if (!(id in current)) return current;
                    const rest = { ...current };
                    delete rest[id];
                    return rest;
                  });
                }} />
            ) : null}
            {step?.kind === 'uploads' ? (
              <Stack gap="lg">
                {(step.uploads ?? []).map((upload) => (
                  <UploadSlot key={upload.slot} application={application} upload={upload} csrfToken={csrfToken} language={language}
                    onChanged={async () => { await reload(); }} />
                ))}
              </Stack>
            ) : null}
            {!step ? <CheckAndSend application={application} submitMissing={submitMissing} language={language} onLeave={clearFeedback} /> : null}

            <Group gap="sm" justify="space-between">
              {stepNumber > 1 ? (
                <Button type="button" variant="default" size="md" loading={busy === 'back'} disabled={busy !== null && busy !== 'back'} data-testid="step-back"
                  // On the check screen there is nothing to save: going back just shows the last step.
                  onClick={() => { if (step) void leaveStep('back'); else goTo(stepNumber - 1); }}>
                  {t('portalApply.wizard.back')}
                </Button>
              ) : <span />}
              {step ? (
                <Button type="submit" size="md" loading={busy === 'next'} disabled={busy !== null && busy !== 'next'} data-testid="step-next">
                  {t('portalApply.wizard.next')}
                </Button>
              ) : (
                <Button type="submit" size="md" loading={busy === 'send'} data-testid="application-send">
                  {t('portalApply.wizard.send')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>

        <div className="mf-subpanel">
          <Stack gap="sm">
            <Text size="sm">{t('portalApply.wizard.continueLater')}</Text>
            <Group gap="md" justify="space-between">
              <Anchor component={Link} to="/portal" data-testid="wizard-home">{t('portalApply.backHome')}</Anchor>
              <Button variant="subtle" onClick={() => { setDiscarding(true); }} data-testid="application-discard">
                {t('portalApply.wizard.discard')}
              </Button>
            </Group>
          </Stack>
        </div>
      </Stack>
      <DiscardDialog opened={discarding} applicationId={application.id} onClose={() => { setDiscarding(false); }} onDiscarded={onDiscarded} />
    </div>
  );
}

function fieldProblemsOf(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => (typeof item === 'object' && item !== null && 'field' in item && 'message' in item && typeof item.field === 'string' && typeof item.message === 'string' ? [{ field: item.field, message: item.message }] : []));
}

// --- steps ------------------------------------------------------------------------------------------

/** "Once only": what the office knows is shown, not asked. Corrections go through the remarks or a call. */
function RegisterFacts({ step, application }: { step: FormStep; application: Application }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <RegisterList shows={step.shows ?? []} register={application.register} />
      <Alert className="mf-alert-info" variant="light" data-testid="register-note">
        {t('portalApply.wizard.registerNote')}
      </Alert>
    </Stack>
  );
}

function RegisterList({ shows, register }: { shows: readonly PrefillSource[]; register: Application['register'] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const valueOf = (source: PrefillSource): string => {
    const value = register[source];
    if (!value) return t('common.notRecorded');
    if (source === 'person.dateOfBirth' || source === 'permit.validUntil') return formatRegisterDate(value, language, t).text;
    if (source === 'person.nationality') return formatNationality(value, language, t);
    return value;
  };
  return (
    <dl className="mf-facts-list" data-testid="register-facts">
      {shows.map((source) => (
        <Fragment key={source}>
          <dt>{t(`portalApply.register.${REGISTER_LABELS[source]}`)}</dt>
          <dd data-testid={`register-${source}`}>{valueOf(source)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Questions({ step, values, errors, language, onChange }: { step: FormStep; values: Answers; errors: Record<string, string>; language: Language; onChange: (id: string, value: string) => void }) {
  return (
    <Stack gap="lg">
      {(step.questions ?? []).filter((question) => isAsked(question, values)).map((question) => (
        <div key={question.id} data-question={question.id}>
          <QuestionInput question={question} value={values[question.id] ?? ''} error={errors[question.id]} language={language}
            onChange={(value) => { onChange(question.id, value); }} />
        </div>
      ))}
    </Stack>
  );
}

/** One question as the fitting input; the label says when it is optional (not a lone asterisk). */
function QuestionInput({ question, value, error, language, onChange }: { question: FormQuestion; value: string; error: string | undefined; language: Language; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const label = question.required ? question.label[language] : `${question.label[language]} ${t('portalApply.wizard.optional')}`;
  const common = {
    id: `question-${question.id}`,
    name: question.id,
    label,
    description: question.hint?.[language],
    required: question.required,
    withAsterisk: false,
    error,
    size: 'md' as const,
  };
  const text = (event: { currentTarget: { value: string } }) => { onChange(event.currentTarget.value); };
  // The server's limit for short answers when the form sets none (DEFAULT_MAX_LENGTH in application-rules.ts).
  const maxLength = question.maxLength ?? 500;
  switch (question.type) {
    case 'choice':
      return (
        <Radio.Group {...common} id={undefined} value={value} onChange={onChange}>
          <Stack gap="sm" mt="xs">
            {(question.options ?? []).map((option) => (
              <Radio key={option.value} value={option.value} label={option.label[language]} size="md" data-testid={`answer-${question.id}-${option.value}`} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'longtext':
      return <Textarea {...common} value={value} onChange={text} autosize minRows={4} maxLength={question.maxLength ?? 5000} />;
    case 'date':
      return <TextInput {...common} type="date" value={value} onChange={text} />;
    case 'email':
      return <TextInput {...common} type="email" autoComplete="email" autoCapitalize="none" spellCheck={false} value={value} onChange={text} maxLength={maxLength} />;
    case 'phone':
      return <TextInput {...common} type="tel" autoComplete="tel" value={value} onChange={text} maxLength={maxLength} />;
    case 'number':
      return <TextInput {...common} inputMode="numeric" value={value} onChange={text} maxLength={maxLength} />;
    default:
      return <TextInput {...common} value={value} onChange={text} maxLength={maxLength} />;
  }
}

// --- papers -------------------------------------------------------------------------------------------

const TYPE_BY_EXTENSION = /\.(pdf|jpe?g|png)$/i;

/** Reads the problem body of a failed upload defensively, as the API client does for its own calls. */
function uploadProblem(status: number, statusText: string, text: string): Problem {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const str = (key: string) => (typeof record[key] === 'string' ? record[key] : '');
  const errors = fieldProblemsOf(record.errors);
  return {
    type: str('type') || 'about:blank',
    title: str('title') || statusText,
    status,
    detail: str('detail'),
    code: str('code') || (status >= 500 ? 'server-error' : `http-${String(status)}`),
    requestId: str('requestId'),
    ...(errors.length > 0 ? { errors } : {}),
  };
}

/**
 * Sends a file with XMLHttpRequest rather than fetch: only XHR reports upload progress. The body
 * is the raw file; the CSRF token is the session's (the same one the API client sends).
 */
function sendPaper(path: string, file: File, csrfToken: string, onProgress: (percent: number) => void): Promise<UploadedPaper> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', currentLanguage());
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadedPaper);
        } catch {
          reject(new ApiError({ type: 'about:blank', title: 'Invalid response', status: xhr.status, detail: '', code: 'invalid-response', requestId: '' }));
        }
        return;
      }
      reject(new ApiError(uploadProblem(xhr.status, xhr.statusText, xhr.responseText)));
    });
    const lost = () => {
      reject(new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: '', code: NETWORK_ERROR, requestId: '' }));
    };
    xhr.addEventListener('error', lost);
    xhr.addEventListener('abort', lost);
    xhr.send(file);
  });
}

interface Uploading {
  name: string;
  percent: number;
}

/** One kind of paper: the files already there (each removable) and a file field while more may come. */
function UploadSlot({ application, upload, csrfToken, language, onChanged }: { application: Application; upload: FormUpload; csrfToken: string; language: Language; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const baseId = useId();
  const inputId = `${baseId}-file`;
  const hintId = `${baseId}-hint`;
  const errorId = `${baseId}-error`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const files = application.uploads.filter((paper) => paper.slot === upload.slot);
  const full = files.length >= upload.maxFiles;
  const label = upload.label[language];

  const refusalOf = (error: unknown): string => {
    if (isApiError(error) && error.status === 401) void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
    if (isApiError(error) && error.code === NETWORK_ERROR) return t('portalApply.uploads.network');
    if (isApiError(error) && !error.isUnexpected) return error.problem.detail || error.problem.title;
    return t('portalApply.uploads.failed');
  };

  /** Checked here first, so that nobody waits for a 10 MB upload only to hear it was the wrong kind. */
  const checkFile = (file: File): string | null => {
    const typeOk = (PAPER_TYPES as readonly string[]).includes(file.type) || (file.type === '' && TYPE_BY_EXTENSION.test(file.name));
    if (!typeOk) return t('portalApply.uploads.wrongType');
    if (file.size === 0) return t('portalApply.uploads.empty');
    if (file.size > MAX_UPLOAD_BYTES) return t('portalApply.uploads.tooLarge', { size: formatSize(file.size, language), max: formatSize(MAX_UPLOAD_BYTES, language) });
    const already = application.uploads.reduce((sum, paper) => sum + paper.sizeBytes, 0);
    if (already + file.size > MAX_APPLICATION_BYTES) return t('portalApply.uploads.tooMuch', { max: formatSize(MAX_APPLICATION_BYTES, language) });
    return null;
  };

  const onFile = async (file: File | undefined) => {
    setStatus(null);
    setProblem(null);
    if (!file) return;
    const checked = checkFile(file);
    if (checked) {
      setProblem(checked);
      if (inputRef.current) inputRef.current.value = '';
      return;
    }
    setUploading({ name: file.name, percent: 0 });
    try {
      await sendPaper(uploadPath(application.id, upload.slot), file, csrfToken, (percent) => { setUploading({ name: file.name, percent }); });
      setUploading({ name: file.name, percent: 100 });
      await onChanged();
      setStatus(t('portalApply.uploads.uploaded', { name: file.name }));
    } catch (error) {
      setProblem(refusalOf(error));
    } finally {
      setUploading(null);
      if (inputRef.current) inputRef.current.value = '';
    }
  };

  const onRemove = async (paper: UploadedPaper) => {
    setStatus(null);
    setProblem(null);
    setRemoving(paper.id);
    try {
      await removePaper(application.id, paper.id);
      await onChanged();
      setStatus(t('portalApply.uploads.removed', { name: paper.fileName }));
      // The button is gone with its file: the slot's heading keeps the place.
      headingRef.current?.focus();
    } catch (error) {
      setProblem(refusalOf(error));
    } finally {
      setRemoving(null);
    }
  };

  return (
    <section aria-labelledby={`${baseId}-heading`} data-testid="upload-slot" data-slot={upload.slot}>
      <Stack gap="xs">
        <Title order={3} size="h4" id={`${baseId}-heading`} ref={headingRef} tabIndex={-1}>
          {label}{' '}
          <Text component="span" size="sm" fw={400}>({upload.required ? t('portalApply.uploads.required') : t('portalApply.uploads.optional')})</Text>
        </Title>
        {upload.hint ? <Text size="sm">{upload.hint[language]}</Text> : null}
        {files.length > 0 ? (
          <ul className="mf-paper-list" aria-label={t('portalApply.uploads.files', { slot: label })} data-testid="uploaded-files">
            {files.map((paper) => (
              <li key={paper.id} className="mf-paper" data-testid="uploaded-file">
                <div>
                  <div className="mf-paper-title mf-break">{paper.fileName}</div>
                  <Text size="sm">{formatSize(paper.sizeBytes, language)}</Text>
                </div>
                <div className="mf-paper-actions">
                  <Button variant="default" size="sm" onClick={() => void onRemove(paper)} loading={removing === paper.id} data-testid="uploaded-file-remove">
                    {t('portalApply.uploads.remove')}<span className="sr-only"> {paper.fileName}</span>
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Text size="sm" data-testid="uploaded-none">{t('portalApply.uploads.none')}</Text>
        )}
        {uploading ? (
          <div data-testid="upload-progress">
            <Text size="sm" id={`${baseId}-progress`}>{t('portalApply.uploads.uploading', { name: uploading.name })}</Text>
            <Progress value={uploading.percent} size="lg" mt={4} aria-label={t('portalApply.uploads.uploading', { name: uploading.name })} />
            <Text size="sm" aria-hidden="true">{t('portalApply.uploads.percent', { percent: uploading.percent })}</Text>
          </div>
        ) : null}
        {full ? (
          <Text size="sm" data-testid="upload-full">{t('portalApply.uploads.full', { count: upload.maxFiles })}</Text>
        ) : (
          <div className="mf-file-field">
            <label htmlFor={inputId} className="mf-file-label">
              {files.length > 0 ? t('portalApply.uploads.addAnother') : t('portalApply.uploads.add')}
              <span className="sr-only"> ({label})</span>
            </label>
            <input ref={inputRef} id={inputId} type="file" name={`upload-${upload.slot}`} accept={PAPER_TYPES.join(',')}
              disabled={uploading !== null}
              aria-describedby={problem ? `${hintId} ${errorId}` : hintId} aria-invalid={problem ? true : undefined}
              data-testid={`upload-input-${upload.slot}`}
              onChange={(event) => void onFile(event.currentTarget.files?.[0])} />
            <p id={hintId} className="mf-small mf-muted">{t('portalApply.uploads.hint', { max: formatSize(MAX_UPLOAD_BYTES, language), count: upload.maxFiles })}</p>
          </div>
        )}
        {problem ? <p id={errorId} className="mf-field-error" role="alert" data-testid="upload-problem">{problem}</p> : null}
        <div aria-live="polite" data-testid="upload-status">{status ? <Text size="sm">{status}</Text> : null}</div>
      </Stack>
    </section>
  );
}

// --- check and send ----------------------------------------------------------------------------------

function missingText(t: TFunction, found: { label: string; kind: 'answer' | 'upload' }, message: string): string {
  if (found.kind === 'upload') return t('portalApply.wizard.missing.upload', { label: found.label });
  if (message === 'required') return t('portalApply.wizard.missing.required', { label: found.label });
  return t('portalApply.wizard.missing.other', { label: found.label });
}

function CheckAndSend({ application, submitMissing, language, onLeave }: { application: Application; submitMissing: FieldProblem[] | null; language: Language; onLeave: () => void }) {
  const { t } = useTranslation();
  const missing = submitMissing ?? application.missing;
  const answers = application.answers;
  return (
    <Stack gap="lg" data-testid="application-check">
      <Text>{t('portalApply.wizard.checkIntro')}</Text>
      {missing.length > 0 ? (
        <Alert color="accent" variant="light" title={t('portalApply.wizard.missingTitle')} role={submitMissing ? 'alert' : undefined} data-testid="application-missing">
          <ul className="mf-error-list">
            {missing.map((item) => {
              const found = locate(application, item.field, language);
              return (
                <li key={item.field}>
                  {found ? (
                    <Anchor component={Link} to={`?step=${String(found.step)}`} replace onClick={onLeave} data-testid="missing-link" data-field={item.field}>
                      {missingText(t, found, item.message)}
                    </Anchor>
                  ) : item.field}
                </li>
              );
            })}
          </ul>
        </Alert>
      ) : null}
      {application.form.steps.map((step, index) => (
        <section key={step.id} aria-labelledby={`check-${step.id}`} className="mf-subpanel">
          <Group justify="space-between" align="baseline" gap="xs" wrap="nowrap">
            <Title order={3} size="h4" id={`check-${step.id}`}>{step.title[language]}</Title>
            <Anchor component={Link} to={index === 0 ? '?' : `?step=${String(index + 1)}`} replace onClick={onLeave} size="sm" data-testid="check-change">
              {t('portalApply.wizard.change')}<span className="sr-only">: {step.title[language]}</span>
            </Anchor>
          </Group>
          {step.kind === 'register' ? <RegisterList shows={step.shows ?? []} register={application.register} /> : null}
          {step.kind === 'questions' ? (
            <dl className="mf-facts-list">
              {(step.questions ?? []).filter((question) => isAsked(question, answers)).map((question) => {
                const value = answers[question.id];
                return (
                  <Fragment key={question.id}>
                    <dt>{question.label[language]}</dt>
                    {/* Line breaks of a longer text are kept. */}
                    <dd style={{ whiteSpace: 'pre-line' }} data-testid={`check-answer-${question.id}`}>
                      {value ? answerText(question, value, language) : <span className="mf-muted">{t('portalApply.wizard.notAnswered')}</span>}
                    </dd>
                  </Fragment>
                );
              })}
            </dl>
          ) : null}
          {step.kind === 'uploads' ? (
            <dl className="mf-facts-list">
              {(step.uploads ?? []).map((upload) => {
                const files = application.uploads.filter((paper) => paper.slot === upload.slot);
                return (
                  <Fragment key={upload.slot}>
                    <dt>{upload.label[language]}</dt>
                    <dd data-testid={`check-upload-${upload.slot}`}>
                      {files.length > 0 ? (
                        <ul className="mf-plain-list">{files.map((paper) => <li key={paper.id} className="mf-break">{paper.fileName}</li>)}</ul>
                      ) : <span className="mf-muted">{t('portalApply.wizard.noFile')}</span>}
                    </dd>
                  </Fragment>
                );
              })}
            </dl>
          ) : null}
        </section>
      ))}
      <Text>{t('portalApply.wizard.sendHint')}</Text>
    </Stack>
  );
}

// --- sent --------------------------------------------------------------------------------------------

/** Mantine's buttons keep their label on one line; these longer ones wrap instead of widening a phone's page. */
const WRAPPING_BUTTON = {
  fullWidth: true,
  styles: { root: { height: 'auto', minHeight: '2.75rem', paddingBlock: '0.5rem' }, label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3 } },
} as const;

/**
 * After sending (with the reference and, when the case issued it at once, the confirmation of
 * lawful stay), and whenever a sent application is opened again: no wizard, the way to the status.
 */
function SentPanel({ application, sent }: { application: Application; sent: SentApplication | null }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const caseId = sent?.caseId ?? application.caseId;
  // Right after sending from the answer; opened again later from the application itself.
  const reference = sent?.reference ?? application.sent?.reference ?? null;
  const interim = sent?.interimConfirmation ?? application.sent?.interimConfirmation ?? null;
  const submitted = application.submittedAt ? formatTimestamp(application.submittedAt, language) : null;
  return (
    <div className="mf-panel" data-testid="application-sent">
      <Stack gap="md">
        <FocusedHeading testId="application-sent-heading">{sent ? t('portalApply.sent.title') : t('portalApply.sent.againTitle')}</FocusedHeading>
        <Text fw={600}>{application.form.names[language]}</Text>
        <dl className="mf-facts-list">
          {reference ? (
            <>
              <dt>{t('portalApply.sent.reference')}</dt>
              <dd data-testid="application-reference">{reference}</dd>
            </>
          ) : null}
          <dt>{t('portalApply.sent.person')}</dt>
          <dd>{application.person.name}</dd>
          {submitted ? (
            <>
              <dt>{t('portalApply.sent.sentAt')}</dt>
              <dd><time dateTime={submitted.dateTime}>{submitted.text}</time></dd>
            </>
          ) : null}
        </dl>
        {sent ? <Text>{t('portalApply.sent.body')}</Text> : <Text>{t('portalApply.sent.againBody')}</Text>}
        {interim && caseId ? (
          <Alert className="mf-alert-success" variant="light" title={t('portalApply.sent.interimTitle')} data-testid="interim-confirmation">
            <Stack gap="sm">
              <Text size="sm">{t('portalApply.sent.interimBody')}</Text>
              <div>
                <Button component="a" href={caseDocumentUrl(caseId, interim.documentId)} download size="md" {...WRAPPING_BUTTON} data-testid="interim-download">
                  {t('portalApply.sent.interimDownload')}
                </Button>
              </div>
              <Text size="sm">{t('portalApply.sent.interimKeep')}</Text>
            </Stack>
          </Alert>
        ) : null}
        {caseId ? (
          <div>
            <Button component={Link} to={`/portal/cases/${encodeURIComponent(caseId)}`} variant={interim ? 'default' : 'filled'} size="md" {...WRAPPING_BUTTON} data-testid="application-status-link">
              {t('portalApply.sent.status')}
            </Button>
          </div>
        ) : null}
        <Anchor component={Link} to="/portal">{t('portalApply.backHome')}</Anchor>
      </Stack>
    </div>
  );
}

// --- discarding --------------------------------------------------------------------------------------

function DiscardDialog({ opened, applicationId, onClose, onDiscarded }: { opened: boolean; applicationId: string; onClose: () => void; onDiscarded: () => Promise<void> }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await discardApplication(applicationId);
      await onDiscarded();
    } catch (cause) {
      setError(cause);
      setPending(false);
    }
  };
  const refusal = error && isApiError(error) && !error.isUnexpected ? error.problem.detail || error.problem.title : null;
  return (
    <ResponsiveDialog opened={opened} onClose={onClose} title={t('portalApply.wizard.discardTitle')} size="md">
      <Stack gap="md" data-testid="discard-dialog">
        <Text>{t('portalApply.wizard.discardBody')}</Text>
        {refusal ? <Alert color="accent" variant="light" role="alert">{refusal}</Alert> : null}
        {error && !refusal ? <ErrorState error={error} /> : null}
        <Group gap="sm">
          <Button color="accent" onClick={() => void confirm()} loading={pending} data-testid="discard-yes">{t('portalApply.wizard.discardYes')}</Button>
          <Button variant="default" onClick={onClose} disabled={pending} data-testid="discard-no">{t('portalApply.wizard.discardNo')}</Button>
        </Group>
      </Stack>
    </ResponsiveDialog>
  );
}
