import { apiRequest } from './client';
import type { Language } from '../i18n';

/**
 * The applicant's side of the portal (server/src/modules/portal/service-routes.ts): online
 * applications with papers, the status of cases with letters and messages, link and share codes;
 * and the office's side of messages. Shapes follow the server's service types.
 */

export type Texts = Record<Language, string>;

export type PrefillSource =
  | 'person.officialName'
  | 'person.firstNames'
  | 'person.dateOfBirth'
  | 'person.nationality'
  | 'residence.street'
  | 'residence.houseNumber'
  | 'residence.postalCode'
  | 'residence.town'
  | 'permit.category'
  | 'permit.validUntil';

export interface FormQuestion {
  id: string;
  type: 'text' | 'longtext' | 'date' | 'choice' | 'email' | 'phone' | 'number';
  label: Texts;
  hint?: Texts;
  required: boolean;
  options?: { value: string; label: Texts }[];
  prefill?: PrefillSource;
  showIf?: { question: string; equals: string };
  caseField?: string;
  maxLength?: number;
}

export interface FormUpload {
  slot: string;
  label: Texts;
  hint?: Texts;
  required: boolean;
  checklistItem: string;
  maxFiles: number;
}

export interface FormStep {
  id: string;
  title: Texts;
  intro?: Texts;
  kind: 'register' | 'questions' | 'uploads';
  shows?: PrefillSource[];
  questions?: FormQuestion[];
  uploads?: FormUpload[];
}

export interface ApplicationForm {
  slug: string;
  version: number;
  caseType: string;
  names: Texts;
  summary: Texts;
  forPermits?: string[];
  offerBeforeExpiry?: boolean;
  steps: FormStep[];
}

export interface PersonActedFor {
  id: string;
  name: string;
  /** 'self': the account's own person; 'mandate': someone who gave this account a mandate. */
  as: 'self' | 'mandate';
}

export interface FormOffer {
  slug: string;
  names: Texts;
  summary: Texts;
  persons: PersonActedFor[];
}

export interface UploadedPaper {
  id: string;
  slot: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: string;
}

export type Answers = Record<string, string>;

export interface Application {
  id: string;
  version: number;
  state: 'draft' | 'submitted';
  form: ApplicationForm;
  person: PersonActedFor;
  /** What the office knows (shown on 'register' steps; nobody types it again). */
  register: Partial<Record<PrefillSource, string>>;
  answers: Answers;
  uploads: UploadedPaper[];
  /** Still missing before sending: `answers.<questionId>` or `uploads.<slot>` with a message code. */
  missing: { field: string; message: string }[];
  caseId: string | null;
  /** Once sent: the case's reference and the interim confirmation it issued at once, if any. */
  sent: { reference: string; interimConfirmation: { documentId: string; title: string } | null } | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

export interface ApplicationListItem {
  id: string;
  form: string;
  names: Texts;
  state: 'draft' | 'submitted';
  person: { id: string; name: string };
  caseId: string | null;
  updatedAt: string;
}

export interface SentApplication {
  application: Application;
  caseId: string;
  reference: string;
  /** The interim confirmation of lawful stay, when the case issued it at once. */
  interimConfirmation: { documentId: string; title: string } | null;
}

/** Largest file the server takes (and per application in total). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_APPLICATION_BYTES = 40 * 1024 * 1024;
export const PAPER_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export function fetchFormOffers(signal?: AbortSignal): Promise<FormOffer[]> {
  return apiRequest<FormOffer[]>('/api/v1/portal/forms', { signal });
}

export function fetchApplications(signal?: AbortSignal): Promise<ApplicationListItem[]> {
  return apiRequest<ApplicationListItem[]>('/api/v1/portal/applications', { signal });
}

/** Starts a draft, or returns the open draft of the same form and person. */
export function startApplication(form: string, personId: string): Promise<Application> {
  return apiRequest<Application>('/api/v1/portal/applications', { method: 'POST', body: { form, personId } });
}

export function fetchApplication(id: string, signal?: AbortSignal): Promise<Application> {
  return apiRequest<Application>(`/api/v1/portal/applications/${encodeURIComponent(id)}`, { signal });
}

/** Saves answers (an empty string clears one); 409 version-conflict when another tab saved first. */
export function saveAnswers(application: { id: string; version: number }, answers: Answers): Promise<Application> {
  return apiRequest<Application>(`/api/v1/portal/applications/${encodeURIComponent(application.id)}`, { method: 'PATCH', body: { answers }, ifMatch: application.version });
}

export function discardApplication(id: string): Promise<void> {
  return apiRequest<void>(`/api/v1/portal/applications/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** The path a paper is POSTed to (the raw file as body, `x-file-name` percent-encoded); an XMLHttpRequest shows upload progress, fetch cannot. */
export function uploadPath(applicationId: string, slot: string): string {
  return `/api/v1/portal/applications/${encodeURIComponent(applicationId)}/uploads?slot=${encodeURIComponent(slot)}`;
}

export function removePaper(applicationId: string, uploadId: string): Promise<void> {
  return apiRequest<void>(`/api/v1/portal/applications/${encodeURIComponent(applicationId)}/uploads/${encodeURIComponent(uploadId)}`, { method: 'DELETE' });
}

/** Sends the application; 422 application-incomplete lists what is missing in `errors`. */
export function submitApplication(application: { id: string; version: number }): Promise<SentApplication> {
  return apiRequest<SentApplication>(`/api/v1/portal/applications/${encodeURIComponent(application.id)}/submission`, { method: 'POST', ifMatch: application.version });
}

// --- status ----------------------------------------------------------------------------------------

export type CasePhase = 'open' | 'waiting' | 'decided' | 'closed';

export interface ApplicantCaseSummary {
  id: string;
  reference: string;
  type: { slug: string; names: Texts };
  state: { id: string; names: Texts };
  phase: CasePhase;
  receivedOn: string;
  decidedAt: string | null;
  closedAt: string | null;
}

export interface PortalMessage {
  id: string;
  /** 'in': from the applicant's side; 'out': from the office. */
  direction: 'in' | 'out';
  author: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface CaseStatus extends ApplicantCaseSummary {
  outcome: 'positive' | 'negative' | null;
  notifiedOn: string | null;
  legalForceOn: string | null;
  /** Papers the office still needs. */
  missing: { id: string; names: Texts }[];
  /** Answer by this date (while the office waits for the applicant). */
  answerBy: string | null;
  documents: { id: string; kind: 'letter' | 'attachment'; title: string; fileName: string; mediaType: string; sizeBytes: number; createdAt: string }[];
  /** From the office's real processing times; null when too few cases or already decided. */
  expected: { likelyBy: string; latestBy: string; basedOnCases: number } | null;
  messages: PortalMessage[];
  may: { message: boolean; documents: boolean };
}

export function fetchMyCases(signal?: AbortSignal): Promise<{ person: PersonActedFor; cases: ApplicantCaseSummary[] }[]> {
  return apiRequest('/api/v1/portal/cases', { signal });
}

export function fetchCaseStatus(id: string, signal?: AbortSignal): Promise<CaseStatus> {
  return apiRequest<CaseStatus>(`/api/v1/portal/cases/${encodeURIComponent(id)}`, { signal });
}

export function caseDocumentUrl(caseId: string, documentId: string): string {
  return `/api/v1/portal/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(documentId)}`;
}

export function sendMessage(caseId: string, body: string): Promise<PortalMessage> {
  return apiRequest<PortalMessage>(`/api/v1/portal/cases/${encodeURIComponent(caseId)}/messages`, { method: 'POST', body: { body } });
}

// --- codes -------------------------------------------------------------------------------------------

/** Links the account to its register person with the office's code and the date of birth. */
export function redeemLinkCode(code: string, dateOfBirth: string): Promise<{ personId: string; name: string }> {
  return apiRequest('/api/v1/portal/link', { method: 'POST', body: { code, dateOfBirth } });
}

export interface ShareCode {
  id: string;
  personId: string;
  label: string | null;
  validUntil: string;
  revokedAt: string | null;
  createdAt: string;
  views: number;
  lastViewedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

export const SHARE_CODE_MAX_DAYS = 90;

export function fetchShareCodes(signal?: AbortSignal): Promise<ShareCode[]> {
  return apiRequest<ShareCode[]>('/api/v1/portal/share-codes', { signal });
}

/** The code itself is in the answer only: it is never shown again. */
export function createShareCode(personId: string, days: number, label: string | undefined): Promise<ShareCode & { code: string }> {
  return apiRequest('/api/v1/portal/share-codes', { method: 'POST', body: { personId, days, ...(label ? { label } : {}) } });
}

export function revokeShareCode(id: string): Promise<ShareCode> {
  return apiRequest<ShareCode>(`/api/v1/portal/share-codes/${encodeURIComponent(id)}/revoke`, { method: 'POST' });
}

export interface SharedPermit {
  office: string;
  category: string | null;
  /** The category's name in the office's catalogue, in the four languages. */
  categoryNames: Texts | null;
  validUntil: string | null;
  status: 'valid' | 'no-valid-permit';
  checkedAt: string;
  codeValidUntil: string;
}

/** Public: what a share code shows (404 share-code-invalid for unknown, expired or withdrawn codes). */
export function checkShareCode(code: string): Promise<SharedPermit> {
  return apiRequest<SharedPermit>('/api/v1/share-codes/check', { method: 'POST', body: { code } });
}

// --- the office's side -------------------------------------------------------------------------------

export function issueLinkCode(personId: string): Promise<{ code: string; validUntil: string }> {
  return apiRequest(`/api/v1/portal/persons/${encodeURIComponent(personId)}/link-code`, { method: 'POST' });
}

export function fetchCaseMessages(caseId: string, signal?: AbortSignal): Promise<PortalMessage[]> {
  return apiRequest<PortalMessage[]>(`/api/v1/cases/${encodeURIComponent(caseId)}/messages`, { signal });
}

export function answerApplicant(caseId: string, body: string): Promise<PortalMessage> {
  return apiRequest<PortalMessage>(`/api/v1/cases/${encodeURIComponent(caseId)}/messages`, { method: 'POST', body: { body } });
}

export function fetchCaseApplication(caseId: string, signal?: AbortSignal): Promise<{ id: string; form: ApplicationForm; answers: Answers; submittedAt: string | null }> {
  return apiRequest(`/api/v1/cases/${encodeURIComponent(caseId)}/application`, { signal });
}

/** Staff: the confirmed accounts that follow a person (whom an invitation can go to). */
export function fetchPersonAccounts(personId: string, signal?: AbortSignal): Promise<{ accountId: string; email: string; name: string; language: Language; via: 'self' | 'mandate' }[]> {
  return apiRequest(`/api/v1/portal/persons/${encodeURIComponent(personId)}/accounts`, { signal });
}
