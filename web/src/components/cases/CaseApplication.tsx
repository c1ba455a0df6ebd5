import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { fetchCaseApplication, type Answers, type FormQuestion } from '../../api/portal-service';
import { ErrorState } from '../ErrorState';
import { DateText, Fact, TimestampText } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { localText } from './common';

export function caseApplicationKey(caseId: string) {
  return ['case-application', caseId] as const;
}

/**
 * The online application behind a case; a 404 means the case did not come through the portal.
 * An application does not change once sent, and every read is audited: loaded once per visit.
 */
export function useCaseApplication(caseId: string) {
  return useQuery({
    queryKey: caseApplicationKey(caseId),
    queryFn: ({ signal }) => fetchCaseApplication(caseId, signal),
    staleTime: Infinity,
  });
}

export function isNoApplication(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/** A question asked only for some answers ("new street" after "I have moved") was not asked otherwise. */
function wasAsked(question: FormQuestion, answers: Answers): boolean {
  return !question.showIf || answers[question.showIf.question] === question.showIf.equals;
}

function AnswerText({ question, value }: { question: FormQuestion; value: string | undefined }) {
  const { t } = useTranslation();
  if (value === undefined || value === '') return <span className="mf-muted">{t('caseMessages.application.notAnswered')}</span>;
  if (question.type === 'date') return <DateText value={value} />;
  if (question.type === 'choice') {
    const option = question.options?.find((candidate) => candidate.value === value);
    return <>{option ? localText(option.label) : value}</>;
  }
  // Long answers keep the applicant's line breaks.
  return <span style={{ whiteSpace: 'pre-line' }}>{value}</span>;
}

/** Staff: "Online application" — the applicant's answers with the questions as the form asked them. */
export function ApplicationSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const query = useCaseApplication(caseId);
  if (query.isPending || (query.isError && isNoApplication(query.error))) return null;
  const title = t('caseMessages.application.title');
  if (query.isError) {
    return (
      <FileSection id="application" title={title} testId="case-application-section">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </FileSection>
    );
  }
  const { form, answers, submittedAt } = query.data;
  const questionSteps = form.steps.filter((step) => step.kind === 'questions');
  const withPapers = form.steps.some((step) => step.kind === 'uploads');
  return (
    <FileSection id="application" title={title} testId="case-application-section">
      <dl className="mf-facts mf-facts--compact">
        <Fact label={t('caseMessages.application.form')}>{localText(form.names)}</Fact>
        <Fact label={t('caseMessages.application.sentAt')}>{submittedAt ? <TimestampText value={submittedAt} /> : null}</Fact>
      </dl>
      {questionSteps.map((step) => {
        const asked = (step.questions ?? []).filter((question) => wasAsked(question, answers));
        if (asked.length === 0) return null;
        return (
          <div key={step.id} data-testid="application-step" data-step={step.id}>
            <h3 className="mf-subheading mf-subheading--spaced">{localText(step.title)}</h3>
            <dl className="mf-facts">
              {asked.map((question) => (
                <Fact key={question.id} label={localText(question.label)} testId={`application-answer-${question.id}`}>
                  <AnswerText question={question} value={answers[question.id]} />
                </Fact>
              ))}
            </dl>
          </div>
        );
      })}
      {withPapers ? <Text size="sm" mt="md">{t('caseMessages.application.papers')}</Text> : null}
    </FileSection>
  );
}
