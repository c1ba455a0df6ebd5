import { apiRequest } from './client';
import type { FeeAdjustment, StepFee } from './finance';

/**
 * Cases (Geschäftsfälle): the work queue, one case with its checklist, steps, decision and
 * documents, and the team lead's overview. Every write to an existing case carries the case's
 * `version` as If-Match, except notes, tasks and attachments (they only add to the case).
 */

/** A text in the four UI languages (case types are data; letters go out in the addressee's language). */
export interface LocalText {
  de: string;
  fr: string;
  it: string;
  en: string;
}

export type CaseLanguage = 'de' | 'fr' | 'it' | 'en';
export const CASE_LANGUAGES: readonly CaseLanguage[] = ['de', 'fr', 'it', 'en'];

export const CASE_PHASES = ['open', 'waiting', 'decided'] as const;
export type CasePhase = (typeof CASE_PHASES)[number] | 'closed';

export function isCasePhase(value: string): value is CasePhase {
  return value === 'open' || value === 'waiting' || value === 'decided' || value === 'closed';
}

export interface CaseType {
  slug: string;
  version: number;
  names: LocalText;
  description: LocalText;
  unit: string;
}

export interface CaseAssignee {
  id: string;
  displayName: string;
  roles: string[];
}

export interface QueueItem {
  id: string;
  reference: string;
  typeSlug: string;
  typeNames: LocalText;
  personId: string;
  personName: string;
  unitId: string;
  unitName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  state: string;
  stateNames: LocalText;
  phase: CasePhase;
  receivedOn: string;
  openedAt: string;
  ageDays: number;
  nextDueOn: string | null;
  overdue: boolean;
  awaitingApproval: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export type QueueSort = 'age' | 'due';

export interface QueueQuery {
  unit?: string | undefined;
  type?: string | undefined;
  phase?: string | undefined;
  /** 'me', 'none' or a user id. */
  assignee?: string | undefined;
  person?: string | undefined;
  overdue?: boolean | undefined;
  awaitingApproval?: boolean | undefined;
  sort?: QueueSort | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export type FieldType = 'date' | 'text' | 'amount' | 'permit-category' | 'language-level';

export interface FieldDefinition {
  id: string;
  type: FieldType;
  names: LocalText;
  max?: number;
}

export interface ChecklistItem {
  id: string;
  kind: 'paper' | 'check';
  names: LocalText;
  legalBasis: LocalText;
  optional: boolean;
  done: boolean;
  by: string | null;
  at: string | null;
}

export type BlockerReason = 'role' | 'checklist' | 'fields' | 'condition' | 'pending-decision';

export interface StepBlocker {
  reason: BlockerReason;
  missing?: string[];
  roles?: string[];
  condition?: string;
}

export interface CaseStep {
  id: string;
  names: LocalText;
  to: string;
  primary: boolean;
  reasonRequired: boolean;
  requiredFields: string[];
  decision: { outcome: 'positive' | 'negative'; fourEyes: boolean } | null;
  allowed: boolean;
  blockers: StepBlocker[];
  /** The fee the step will charge (the tariff on today's date), shown before the decision; null when free. */
  fee: StepFee | null;
}

export interface PendingDecision {
  transition: string;
  names: LocalText;
  reason: string | null;
  fields: Record<string, string>;
  proposedBy: string;
  proposedById: string;
  proposedAt: string;
  /** A reduced or waived fee proposed with the decision. */
  fee?: FeeAdjustment | null;
}

export interface CaseDecision {
  transition: string;
  names: LocalText;
  outcome: 'positive' | 'negative';
  reason: string | null;
  decidedBy: string;
  approvedBy: string | null;
  decidedAt: string;
}

export const APPEAL_OUTCOMES = ['dismissed', 'upheld', 'withdrawn'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];
export type AppealStatus = 'filed' | AppealOutcome;

export interface CaseAppeal {
  days: number;
  suspensive: boolean;
  until: string | null;
  status: AppealStatus | null;
  filedOn: string | null;
}

export interface CaseDeadline {
  id: string;
  kind: string;
  legalBasis: string;
  dueDate: string;
  workingDueDate: string;
  /** 'open', 'met' or 'cancelled'. */
  status: string;
  /** 0 nothing sent yet, 1 reminder sent, 2 due notice sent, 3 escalated to the team lead. */
  stage: number | string;
}

export interface CaseTask {
  id: string;
  title: string;
  dueOn: string | null;
  assigneeName: string | null;
  doneAt: string | null;
  doneBy: string | null;
}

export interface CaseDocument {
  id: string;
  kind: 'letter' | 'attachment';
  title: string;
  fileName: string;
  language: string | null;
  sha256: string;
  sizeBytes: number;
  createdAt: string;
  createdBy: string;
  template: string | null;
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  actor: string;
  text: string | null;
  details: Record<string, unknown> | null;
}

export interface CaseDetail {
  id: string;
  reference: string;
  version: number;
  type: { slug: string; version: number; names: LocalText };
  person: { id: string; name: string; dateOfBirth: string; nationality: string | null };
  unit: { id: string; name: string };
  assignee: { id: string; name: string } | null;
  state: string;
  stateNames: LocalText;
  phase: CasePhase;
  language: CaseLanguage;
  receivedOn: string;
  openedAt: string;
  ageDays: number;
  nextDueOn: string | null;
  fields: Record<string, string>;
  fieldDefinitions: FieldDefinition[];
  checklist: ChecklistItem[];
  steps: CaseStep[];
  pendingDecision: PendingDecision | null;
  decision: CaseDecision | null;
  notifiedOn: string | null;
  appeal: CaseAppeal | null;
  legalForceOn: string | null;
  legalForceProvisional: boolean;
  closedAt: string | null;
  deadlines: CaseDeadline[];
  tasks: CaseTask[];
  documents: CaseDocument[];
  timeline: TimelineEntry[];
}

export interface NewCaseRequest {
  typeSlug: string;
  personId: string;
  receivedOn?: string;
  language?: CaseLanguage;
  fields?: Record<string, string>;
  checklist?: string[];
}

export const CONTACT_CHANNELS = ['phone', 'email', 'counter', 'letter'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface NoteRequest {
  kind: 'note' | 'contact';
  text: string;
  channel?: ContactChannel;
}

export const AGE_BUCKETS = ['0-30', '31-90', '91-180', '181+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface BacklogEntry {
  unitId: string;
  unitName: string;
  typeSlug: string;
  typeNames: LocalText;
  ageBucket: AgeBucket;
  count: number;
}

export interface OverviewDeadline {
  caseId: string;
  reference: string;
  personName: string;
  kind: string;
  legalBasis: string;
  workingDueDate: string;
}

export interface CaseOverview {
  backlog: BacklogEntry[];
  overdue: OverviewDeadline[];
  soonDue: OverviewDeadline[];
  awaitingApproval: QueueItem[];
  decisionsPerWeek: { week: string; positive: number; negative: number }[];
  processingTimes: { typeSlug: string; typeNames: LocalText; decided: number; medianDays: number | null; p90Days: number | null }[];
}

export interface AppNotification {
  id: string;
  kind: string;
  caseId: string | null;
  deadlineId: string | null;
  message: { deadlineKind?: string; legalBasis?: string; dueDate?: string; personId?: string; caseId?: string } | null;
  createdAt: string;
  read: boolean;
}

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

// ---- requests ------------------------------------------------------------------------------------

const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

export function fetchCaseTypes(signal?: AbortSignal): Promise<CaseType[]> {
  return apiRequest<CaseType[]>('/api/v1/case-types', { signal });
}

export function fetchCaseAssignees(signal?: AbortSignal): Promise<CaseAssignee[]> {
  return apiRequest<CaseAssignee[]>('/api/v1/case-assignees', { signal });
}

export const QUEUE_PAGE_SIZE = 50;

export function fetchCaseQueue(query: QueueQuery, signal?: AbortSignal): Promise<QueuePage> {
  return apiRequest<QueuePage>('/api/v1/cases', {
    query: {
      unit: query.unit || undefined,
      type: query.type || undefined,
      phase: query.phase || undefined,
      assignee: query.assignee || undefined,
      person: query.person || undefined,
      overdue: query.overdue ? 'true' : undefined,
      awaitingApproval: query.awaitingApproval ? 'true' : undefined,
      sort: query.sort,
      cursor: query.cursor || undefined,
      limit: query.limit ?? QUEUE_PAGE_SIZE,
    },
    signal,
  });
}

export function createCase(body: NewCaseRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('/api/v1/cases', { method: 'POST', body });
}

export function fetchCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(casePath(id), { signal });
}

/** The case as the write was based on: id and version (sent as If-Match). */
export type CaseRef = Pick<CaseDetail, 'id' | 'version'>;

export interface StepRequest {
  reason?: string;
  fields?: Record<string, string>;
  /** A lower fee than the tariff's (0 waives it), with the reason. */
  fee?: FeeAdjustment;
}

export function takeStep(c: CaseRef, transitionId: string, body: StepRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/steps/${encodeURIComponent(transitionId)}`, { method: 'POST', body, ifMatch: c.version });
}

export function decideApproval(c: CaseRef, body: { approve: boolean; comment?: string }): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/approval`, { method: 'POST', body, ifMatch: c.version });
}

export function setChecklistItem(c: CaseRef, itemId: string, done: boolean): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/checklist/${encodeURIComponent(itemId)}`, { method: 'PUT', body: { done }, ifMatch: c.version });
}

export function patchCaseFields(c: CaseRef, fields: Record<string, string>): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/fields`, { method: 'PATCH', body: { fields }, ifMatch: c.version });
}

export function assignCase(c: CaseRef, assigneeId: string | null): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/assign`, { method: 'POST', body: { assigneeId }, ifMatch: c.version });
}

export function addCaseNote(caseId: string, body: NoteRequest): Promise<unknown> {
  return apiRequest<unknown>(`${casePath(caseId)}/notes`, { method: 'POST', body });
}

export function addCaseTask(caseId: string, body: { title: string; dueOn?: string }): Promise<unknown> {
  return apiRequest<unknown>(`${casePath(caseId)}/tasks`, { method: 'POST', body });
}

export function completeCaseTask(caseId: string, taskId: string): Promise<unknown> {
  return apiRequest<unknown>(`${casePath(caseId)}/tasks/${encodeURIComponent(taskId)}/done`, { method: 'POST', body: {} });
}

/** Header values must be Latin-1: names with other characters are sent percent-encoded. */
function fileNameHeader(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
}

export function uploadAttachment(caseId: string, file: File): Promise<CaseDocument> {
  return apiRequest<CaseDocument>(`${casePath(caseId)}/attachments`, {
    method: 'POST',
    rawBody: file,
    headers: { 'Content-Type': file.type, 'x-file-name': fileNameHeader(file.name) },
  });
}

export function recordNotification(c: CaseRef, notifiedOn: string): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/notification`, { method: 'POST', body: { notifiedOn }, ifMatch: c.version });
}

export function recordAppeal(c: CaseRef, filedOn: string): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/appeal`, { method: 'POST', body: { filedOn }, ifMatch: c.version });
}

export function recordAppealOutcome(c: CaseRef, outcome: AppealOutcome, decidedOn: string): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`${casePath(c.id)}/appeal-outcome`, { method: 'POST', body: { outcome, decidedOn }, ifMatch: c.version });
}

/** Where a document (letter PDF, attachment) opens. */
export function documentUrl(id: string): string {
  return `/api/v1/documents/${encodeURIComponent(id)}`;
}

export function fetchCaseOverview(unit: string | undefined, signal?: AbortSignal): Promise<CaseOverview> {
  return apiRequest<CaseOverview>('/api/v1/case-overview', { query: { unit: unit || undefined }, signal });
}

export function fetchNotifications(signal?: AbortSignal): Promise<AppNotification[]> {
  return apiRequest<AppNotification[]>('/api/v1/notifications', { signal });
}

export function markNotificationRead(id: string): Promise<void> {
  return apiRequest<undefined>(`/api/v1/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}
