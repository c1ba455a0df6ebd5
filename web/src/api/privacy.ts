import { apiRequest, downloadFile } from './client';

/** The privacy module's API: the right-of-access report, legal holds, retention runs and rules. */

export type ReportLanguage = 'de' | 'fr' | 'it' | 'en';

export interface LegalHold {
  id: string;
  subject: string;
  subjectId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
}

export interface RetentionTexts {
  de: string;
  fr: string;
  it: string;
  en: string;
}

export interface RetentionRule {
  id: string;
  kind: string;
  action: 'purge' | 'delete' | 'anonymise' | 'keep';
  period: { years: number; months: number; days: number } | null;
  startsAt: RetentionTexts;
  legalBasis: RetentionTexts;
  effect: RetentionTexts;
}

export interface RetentionRules {
  catalogue: string;
  names: RetentionTexts;
  rules: RetentionRule[];
}

export interface RetentionRunSummary {
  id: string;
  asOf: string;
  dryRun: boolean;
  catalogue: string;
  startedAt: string;
  finishedAt: string;
  triggeredBy: string;
  totals: { rule: string; kind: string; action: string; count: number; held: number }[];
}

export interface RetentionRunItem {
  rule: string;
  kind: string;
  action: string;
  cutoff: string | null;
  count: number;
  ids: string[];
  heldIds: string[];
}

export interface RetentionRun extends RetentionRunSummary {
  report: { items: RetentionRunItem[] };
}

const personPath = (id: string) => `/api/v1/persons/${encodeURIComponent(id)}`;

/** Link targets for the downloads: the browser sends the session cookie with them. */
/** Downloads the person's right-of-access report (a refusal comes back as an ApiError). */
export function downloadAccessReport(personId: string, format: 'json' | 'pdf', language?: ReportLanguage): Promise<void> {
  return downloadFile(`${personPath(personId)}/access-report${format === 'pdf' ? '.pdf' : ''}`, { lang: format === 'pdf' ? language : undefined }, `access-report.${format}`);
}

export async function fetchPersonHold(personId: string, signal?: AbortSignal): Promise<LegalHold | null> {
  return (await apiRequest<{ hold: LegalHold | null }>(`${personPath(personId)}/legal-hold`, { signal })).hold;
}

export function placePersonHold(personId: string, reason: string): Promise<LegalHold> {
  return apiRequest<LegalHold>(`${personPath(personId)}/legal-hold`, { method: 'POST', body: { reason } });
}

export function liftPersonHold(personId: string, reason?: string): Promise<undefined> {
  return apiRequest<undefined>(`${personPath(personId)}/legal-hold`, { method: 'DELETE', query: { reason: reason || undefined } });
}

export function fetchRetentionRules(signal?: AbortSignal): Promise<RetentionRules> {
  return apiRequest<RetentionRules>('/api/v1/retention/rules', { signal });
}

export function fetchRetentionRuns(signal?: AbortSignal): Promise<RetentionRunSummary[]> {
  return apiRequest<RetentionRunSummary[]>('/api/v1/retention/runs', { signal });
}

export function fetchRetentionRun(id: string, signal?: AbortSignal): Promise<RetentionRun> {
  return apiRequest<RetentionRun>(`/api/v1/retention/runs/${encodeURIComponent(id)}`, { signal });
}
