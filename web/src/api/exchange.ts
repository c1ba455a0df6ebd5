import { apiRequest, downloadFile } from './client';

/**
 * The exchange module's API (server/src/modules/exchange/routes.ts): the inbox with its
 * quarantine, the outbox, and the partner registers. Reasons come back in the UI language
 * (the client sends Accept-Language).
 */

/** eCH-0020 v3 events MigraFlow reads and writes (REGISTER_EVENT_TYPES on the server). */
export const EXCHANGE_EVENTS = [
  'baseDelivery',
  'moveIn',
  'birth',
  'move',
  'moveOut',
  'changeName',
  'correctName',
  'marriage',
  'partnership',
  'divorce',
  'undoPartnership',
  'undoMarriage',
  'correctMaritalInfo',
  'changeNationality',
  'correctNationality',
  'naturalizeForeigner',
  'death',
  'changeResidencePermit',
  'correctResidencePermit',
  'correctIdentification',
  'correctBirthInfo',
] as const;
export type ExchangeEvent = (typeof EXCHANGE_EVENTS)[number];

export const INBOX_STATUSES = ['quarantined', 'applied', 'rejected', 'receipt'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'acknowledged'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const TRANSPORTS = ['http', 'folder', 'none'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface ExchangePartner {
  id: string;
  name: string;
  participantId: string;
  transport: string;
  endpointUrl: string | null;
  folderPath: string | null;
  hasOutboundToken: boolean;
  hasInboundToken: boolean;
  events: string[];
  /** BFS numbers; null = every municipality of the office. */
  municipalities: number[] | null;
  active: boolean;
  /** Sent back as If-Match when the partner is changed. */
  version: number;
  createdAt: string;
}

export interface PartnerInput {
  name: string;
  participantId: string;
  transport: Transport;
  endpointUrl?: string | null;
  folderPath?: string | null;
  /** Left out: the stored token stays; '' removes it. Never read back. */
  outboundToken?: string | null;
  events: ExchangeEvent[];
  municipalities?: number[] | null;
  active?: boolean;
}

export interface PartnerWithToken {
  partner: ExchangePartner;
  /** Shown once: the partner sends it as Authorization: Bearer … */
  inboundToken: string;
}

export interface SchemaProblem {
  message: string;
  line: number;
  path: string | null;
}

export interface InboxItem {
  id: string;
  channel: string;
  standard: string;
  senderId: string;
  partnerId: string | null;
  partnerName: string | null;
  messageId: string;
  eventType: string | null;
  eventCount: number;
  status: string;
  reasonCode: string | null;
  /** Why it is in quarantine, in plain words in the UI language. */
  reason: string | null;
  problems: SchemaProblem[];
  fileName: string | null;
  size: number;
  personIds: string[];
  receivedAt: string;
  processedAt: string;
  attempts: number;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  version: number;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  /** Messages per status (all partners). */
  counts: Record<string, number>;
}

export interface OutboxItem {
  id: string;
  partnerId: string;
  partnerName: string;
  participantId: string;
  messageId: string;
  eventType: string;
  personId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  createdAt: string;
}

export interface OutboxPartnerSummary {
  partnerId: string;
  pending: number;
  /** Sent, waiting for the partner's receipt. */
  sent: number;
  failed: number;
  acknowledged: number;
  lastAcknowledgedAt: string | null;
}

export interface OutboxPage {
  items: OutboxItem[];
  nextCursor: string | null;
  partners: OutboxPartnerSummary[];
}

export interface ExchangeFilter {
  status?: string | undefined;
  partnerId?: string | undefined;
}

export const EXCHANGE_PAGE_SIZE = 50;

const BASE = '/api/v1/exchange';
const partnerPath = (id: string) => `${BASE}/partners/${encodeURIComponent(id)}`;
const inboxPath = (id: string) => `${BASE}/inbox/${encodeURIComponent(id)}`;
const outboxPath = (id: string) => `${BASE}/outbox/${encodeURIComponent(id)}`;

export function fetchPartners(signal?: AbortSignal): Promise<ExchangePartner[]> {
  return apiRequest<ExchangePartner[]>(`${BASE}/partners`, { signal });
}

export function createPartner(body: PartnerInput): Promise<PartnerWithToken> {
  return apiRequest<PartnerWithToken>(`${BASE}/partners`, { method: 'POST', body });
}

export function updatePartner(id: string, version: number, body: PartnerInput): Promise<ExchangePartner> {
  return apiRequest<ExchangePartner>(partnerPath(id), { method: 'PUT', body, ifMatch: version });
}

/** A new inbox token; the old one stops working at once. */
export function rotatePartnerToken(id: string): Promise<PartnerWithToken> {
  return apiRequest<PartnerWithToken>(`${partnerPath(id)}/token`, { method: 'POST' });
}

export function fetchInboxPage(filter: ExchangeFilter, cursor: string | undefined, signal?: AbortSignal): Promise<InboxPage> {
  return apiRequest<InboxPage>(`${BASE}/inbox`, { query: { ...filter, cursor, limit: EXCHANGE_PAGE_SIZE }, signal });
}

export function reapplyMessage(item: Pick<InboxItem, 'id' | 'version'>): Promise<InboxItem> {
  return apiRequest<InboxItem>(`${inboxPath(item.id)}/reapply`, { method: 'POST', ifMatch: item.version });
}

export function rejectMessage(item: Pick<InboxItem, 'id' | 'version'>, note: string): Promise<InboxItem> {
  return apiRequest<InboxItem>(`${inboxPath(item.id)}/reject`, { method: 'POST', body: { note }, ifMatch: item.version });
}

/** The message exactly as it arrived (XML or CSV). */
export function downloadInboxBody(item: Pick<InboxItem, 'id' | 'standard'>): Promise<void> {
  return downloadFile(`${inboxPath(item.id)}/body`, {}, `${item.id}.${item.standard === 'tenancy-csv' ? 'csv' : 'xml'}`);
}

export function fetchOutboxPage(filter: ExchangeFilter, cursor: string | undefined, signal?: AbortSignal): Promise<OutboxPage> {
  return apiRequest<OutboxPage>(`${BASE}/outbox`, { query: { ...filter, cursor, limit: EXCHANGE_PAGE_SIZE }, signal });
}

export function resendOutboxMessage(id: string): Promise<OutboxItem> {
  return apiRequest<OutboxItem>(`${outboxPath(id)}/resend`, { method: 'POST' });
}

export function downloadOutboxBody(item: Pick<OutboxItem, 'id' | 'messageId'>): Promise<void> {
  return downloadFile(`${outboxPath(item.id)}/body`, {}, `${item.messageId}.xml`);
}
