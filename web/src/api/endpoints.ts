import { apiRequest, ApiError, setCsrfToken } from './client';
import type {
  ArrivalRequest,
  ArrivalResult,
  DepartureRequest,
  DepositPapersRequest,
  EndPermitRequest,
  ExpiringPermit,
  ForeignPopulation,
  GrantPermitRequest,
  Immigration,
  JournalEntry,
  JournalOrder,
  MoveRequest,
  Municipality,
  Paper,
  PersonFile,
  PersonHistory,
  PersonHit,
  PersonPatch,
  Permit,
  PermitCategory,
  ReconciliationItem,
  SecondFactorRequired,
  Residence,
  SessionInfo,
  SpreadsheetFormat,
} from './types';

export const PERSON_SEARCH_LIMIT = 50;

/** The current session, or null when nobody is signed in (401 unauthenticated / expired). */
export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await apiRequest<SessionInfo>('/api/v1/auth/session', { signal });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** A session, or — with an authenticator app — the pending sign-in that the code finishes (api/security.ts). */
export async function login(username: string, password: string): Promise<SessionInfo | SecondFactorRequired> {
  const result = await apiRequest<SessionInfo | SecondFactorRequired>('/api/v1/auth/login', {
    method: 'POST',
    body: { username, password },
    quietSessionExpiry: true,
  });
  if ('csrfToken' in result) setCsrfToken(result.csrfToken);
  return result;
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<undefined>('/api/v1/auth/logout', { method: 'POST', quietSessionExpiry: true });
  } finally {
    setCsrfToken(null);
  }
}

export async function searchPersons(q: string, signal?: AbortSignal): Promise<PersonHit[]> {
  const hits = await apiRequest<PersonHit[]>('/api/v1/persons', {
    query: { q, limit: PERSON_SEARCH_LIMIT },
    signal,
  });
  // An empty search lists persons without ranking; tolerate hits without reasons.
  return hits.map((hit) => (Array.isArray(hit.reasons) ? hit : { ...hit, reasons: [] }));
}

// ---- register ------------------------------------------------------------------------------

const personPath = (id: string) => `/api/v1/persons/${encodeURIComponent(id)}`;

export function fetchPersonFile(id: string, asOf: string | undefined, signal?: AbortSignal): Promise<PersonFile> {
  return apiRequest<PersonFile>(personPath(id), { query: { asOf }, signal });
}

export function fetchPersonHistory(id: string, signal?: AbortSignal): Promise<PersonHistory> {
  return apiRequest<PersonHistory>(`${personPath(id)}/history`, { signal });
}

/** Every write to an existing person carries the version it was based on (If-Match). */
export function patchPerson(id: string, version: number, body: PersonPatch): Promise<PersonFile> {
  return apiRequest<PersonFile>(personPath(id), { method: 'PATCH', body, ifMatch: version });
}

export function recordMove(id: string, version: number, body: MoveRequest): Promise<PersonFile> {
  return apiRequest<PersonFile>(`${personPath(id)}/moves`, { method: 'POST', body, ifMatch: version });
}

export function recordDeparture(id: string, version: number, body: DepartureRequest): Promise<PersonFile> {
  return apiRequest<PersonFile>(`${personPath(id)}/departure`, { method: 'POST', body, ifMatch: version });
}

export interface Disclosure {
  blockingNote: boolean;
  residences: Residence[];
}

/** The address a blocking note hides; the reason goes into the audit log. */
export function discloseBlockedData(id: string, reason: string): Promise<Disclosure> {
  return apiRequest<Disclosure>(`${personPath(id)}/disclosure`, { method: 'POST', body: { reason } });
}

export function registerArrival(body: ArrivalRequest): Promise<ArrivalResult> {
  return apiRequest<ArrivalResult>('/api/v1/register/arrivals', { method: 'POST', body });
}

/** Papers writes also carry the person file's version (If-Match), like every write from the file. */
export function depositPapers(personId: string, body: DepositPapersRequest, version?: number): Promise<Paper> {
  return apiRequest<Paper>(`${personPath(personId)}/papers`, { method: 'POST', body, ifMatch: version });
}

export function returnPapers(paperId: string, date: string, version?: number): Promise<Paper> {
  return apiRequest<Paper>(`/api/v1/papers/${encodeURIComponent(paperId)}/return`, {
    method: 'POST',
    body: { date },
    ifMatch: version,
  });
}

export interface JournalQuery {
  order: JournalOrder;
  from?: string | undefined;
  to?: string | undefined;
}

export async function fetchPapersJournal(query: JournalQuery, signal?: AbortSignal): Promise<JournalEntry[]> {
  const result = await apiRequest<{ entries: JournalEntry[] }>('/api/v1/papers/journal', {
    query: { order: query.order, from: query.from || undefined, to: query.to || undefined },
    signal,
  });
  return result.entries;
}

/** Link target for the CSV download of the papers journal (same filters). */
export function papersJournalCsvUrl(query: JournalQuery): string {
  const params = new URLSearchParams({ order: query.order });
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  params.set('format', 'csv');
  return `/api/v1/papers/journal?${params.toString()}`;
}

export async function fetchReconciliation(signal?: AbortSignal): Promise<ReconciliationItem[]> {
  const result = await apiRequest<{ items: ReconciliationItem[] }>('/api/v1/register/reconciliation', { signal });
  return result.items;
}

export function fetchMunicipalities(signal?: AbortSignal): Promise<Municipality[]> {
  return apiRequest<Municipality[]>('/api/v1/register/municipalities', { signal });
}

// ---- permits -------------------------------------------------------------------------------

const permitPath = (id: string) => `/api/v1/permits/${encodeURIComponent(id)}`;

export function fetchPermitCategories(signal?: AbortSignal): Promise<PermitCategory[]> {
  return apiRequest<PermitCategory[]>('/api/v1/permit-categories', { signal });
}

/** A person's permits, oldest first, each with its history. */
export function fetchPermits(personId: string, signal?: AbortSignal): Promise<Permit[]> {
  return apiRequest<Permit[]>(`${personPath(personId)}/permits`, { signal });
}

export function grantPermit(personId: string, body: GrantPermitRequest): Promise<Permit> {
  return apiRequest<Permit>(`${personPath(personId)}/permits`, { method: 'POST', body });
}

/** Writes to a permit carry the permit's version (If-Match), not the person file's. */
export function extendPermit(permit: Pick<Permit, 'id' | 'version'>, validUntil: string): Promise<Permit> {
  return apiRequest<Permit>(`${permitPath(permit.id)}/extend`, { method: 'POST', body: { validUntil }, ifMatch: permit.version });
}

/** Answers the new permit; the old one ends on the new one's validFrom. */
export function changePermitCategory(permit: Pick<Permit, 'id' | 'version'>, body: GrantPermitRequest): Promise<Permit> {
  return apiRequest<Permit>(`${permitPath(permit.id)}/change-category`, { method: 'POST', body, ifMatch: permit.version });
}

export function endPermit(permit: Pick<Permit, 'id' | 'version'>, body: EndPermitRequest): Promise<Permit> {
  return apiRequest<Permit>(`${permitPath(permit.id)}/end`, { method: 'POST', body, ifMatch: permit.version });
}

export const EXPIRY_LIST_LIMIT = 200;

export function fetchExpiringPermits(withinDays: number, signal?: AbortSignal): Promise<ExpiringPermit[]> {
  return apiRequest<ExpiringPermit[]>('/api/v1/permits/expiring', { query: { withinDays, limit: EXPIRY_LIST_LIMIT }, signal });
}

// ---- key figures ----------------------------------------------------------------------------

const FOREIGN_POPULATION = '/api/v1/statistics/foreign-population';
const IMMIGRATION = '/api/v1/statistics/immigration';

export function fetchForeignPopulation(date: string, signal?: AbortSignal): Promise<ForeignPopulation> {
  return apiRequest<ForeignPopulation>(FOREIGN_POPULATION, { query: { date }, signal });
}

export function fetchImmigration(from: string, to: string, signal?: AbortSignal): Promise<Immigration> {
  return apiRequest<Immigration>(IMMIGRATION, { query: { from, to }, signal });
}

/** Link target for the spreadsheet download of table 1 (the server answers it as an attachment). */
export function foreignPopulationFileUrl(date: string, format: SpreadsheetFormat): string {
  return `${FOREIGN_POPULATION}?${new URLSearchParams({ date, format }).toString()}`;
}

export function immigrationFileUrl(from: string, to: string, format: SpreadsheetFormat): string {
  return `${IMMIGRATION}?${new URLSearchParams({ from, to, format }).toString()}`;
}
