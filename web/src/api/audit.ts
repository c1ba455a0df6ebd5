import { apiRequest, downloadFile } from './client';

/** One row of the audit log as the auditor's viewer shows it (GET /api/v1/audit). */
export interface AuditItem {
  id: number;
  occurredAt: string;
  chain: string;
  seq: number;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  requestId: string | null;
  details: unknown;
  hash: string;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/** The filters; from and to are ISO instants (the page turns local dates into them). */
export interface AuditFilter {
  person?: string | undefined;
  user?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface ChainStatus {
  ok: boolean;
  checkedAt: string;
  rowsChecked: number;
  chains: number;
  problems: { id: number; chain: string; seq: number; reason: string }[];
}

export type AuditExportFormat = 'csv' | 'json';

export function fetchAuditPage(filter: AuditFilter, cursor: string | undefined, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>('/api/v1/audit', { query: { ...filter, cursor, limit: 50 }, signal });
}

export function verifyAuditChains(signal?: AbortSignal): Promise<ChainStatus> {
  return apiRequest<ChainStatus>('/api/v1/audit/verify', { signal });
}

/** Downloads the export as a file (a refusal comes back as an ApiError). */
export function downloadAuditExport(filter: AuditFilter, format: AuditExportFormat): Promise<void> {
  return downloadFile('/api/v1/audit/export', { ...filter, format }, `audit.${format}`);
}
