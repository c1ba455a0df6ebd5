import { currentLanguage } from '../i18n';
import { apiRequest, ApiError } from './client';
import type { Problem } from './types';

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

/**
 * Downloads the export as a file. Fetched rather than linked, so that a refusal (a sign-in that is
 * not recent enough, a bad filter) comes back as a problem the page can show.
 */
export async function downloadAuditExport(filter: AuditFilter, format: AuditExportFormat): Promise<void> {
  const url = new URL('/api/v1/audit/export', window.location.origin);
  for (const [key, value] of Object.entries({ ...filter, format })) if (value) url.searchParams.set(key, value);
  const response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': currentLanguage() } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      type: body.type ?? 'about:blank',
      title: body.title ?? response.statusText,
      status: response.status,
      detail: body.detail ?? '',
      code: body.code ?? `http-${String(response.status)}`,
      requestId: body.requestId ?? '',
    });
  }
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `audit.${format}`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(link.href);
}
