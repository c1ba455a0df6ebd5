import { currentLanguage } from '../i18n';
import type { FieldProblem, Problem } from './types';

/** Client-side codes for failures that never reached the API's problem details. */
export const NETWORK_ERROR = 'network-error';
export const INVALID_RESPONSE = 'invalid-response';

/** Every failed API call rejects with an ApiError carrying the (possibly synthesised) problem. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** True for errors worth showing the generic error page for (network, 5xx, garbage). */
  get isUnexpected(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === INVALID_RESPONSE;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

// ---- session-wide state kept in memory only -------------------------------------------

let csrfToken: string | null = null;
let sessionExpired = false;

/** Remembers the CSRF token from login / session restore; cleared on logout and expiry. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionExpired = false;
}

/** True after an API call answered "session-expired", until the user has seen the notice or signed in again. */
export function wasSessionExpired(): boolean {
  return sessionExpired;
}

/** The session-expired page calls this once shown, so later visits go to the login instead. */
export function acknowledgeSessionExpiry(): void {
  sessionExpired = false;
}

type SessionExpiredListener = (problem: Problem) => void;
const sessionExpiredListeners = new Set<SessionExpiredListener>();

/** Called whenever any API call answers 401 with code "session-expired". */
export function onSessionExpired(listener: SessionExpiredListener): () => void {
  sessionExpiredListeners.add(listener);
  return () => {
    sessionExpiredListeners.delete(listener);
  };
}

// ---- requests ---------------------------------------------------------------------------

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Do not raise the global "session expired" signal for this call (login, logout). */
  quietSessionExpiry?: boolean;
  /** Optimistic concurrency: sent as `If-Match: "<version>"` (the person file's `version`). */
  ifMatch?: number | undefined;
  /** A file sent as it is (uploads), instead of a JSON `body`; give its Content-Type in `headers`. */
  rawBody?: Blob | undefined;
  /** Further request headers (e.g. the Content-Type and name of an uploaded file). */
  headers?: Record<string, string> | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FieldProblem[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string') {
      out.push({ field: item.field, message: item.message });
    }
  }
  return out;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', 'errors']);

/** Reads a problem body defensively: a proxy may answer with HTML or nothing at all. */
function toProblem(status: number, statusText: string, body: unknown): Problem {
  const record = isRecord(body) ? body : {};
  const str = (key: string): string => {
    const value = record[key];
    return typeof value === 'string' ? value : '';
  };
  const errors = toFieldProblems(record.errors);
  // Extension members (e.g. `candidates` of a possible duplicate, `current` of a version conflict).
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!STANDARD_MEMBERS.has(key)) extensions[key] = value;
  }
  return {
    type: str('type') || 'about:blank',
    title: str('title') || statusText,
    status: typeof record.status === 'number' ? record.status : status,
    detail: str('detail'),
    code: str('code') || (status >= 500 ? 'server-error' : `http-${String(status)}`),
    requestId: str('requestId'),
    ...(errors ? { errors } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }

  const headers = new Headers({
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLanguage(),
  });
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  if (options.ifMatch !== undefined) headers.set('If-Match', `"${String(options.ifMatch)}"`);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: '',
      code: NETWORK_ERROR,
      requestId: '',
    });
  }

  if (response.status === 204 || response.status === 205) return undefined as T;

  const body = await readJson(response);
  if (!response.ok) {
    const problem = toProblem(response.status, response.statusText, body);
    if (problem.status === 401 && problem.code === 'session-expired' && !options.quietSessionExpiry) {
      csrfToken = null;
      sessionExpired = true;
      for (const listener of sessionExpiredListeners) listener(problem);
    }
    throw new ApiError(problem);
  }
  if (body === undefined) {
    throw new ApiError({
      type: 'about:blank',
      title: 'Invalid response',
      status: response.status,
      detail: '',
      code: INVALID_RESPONSE,
      requestId: response.headers.get('x-request-id') ?? '',
    });
  }
  return body as T;
}

/**
 * Downloads a file from the API. Fetched rather than linked, so that a refusal (a sign-in that is
 * not recent enough, a bad filter) comes back as an ApiError the page can show or act on.
 */
export async function downloadFile(path: string, query: Record<string, string | undefined>, fallbackName: string): Promise<void> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': currentLanguage() } });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: '', code: NETWORK_ERROR, requestId: '' });
  }
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, await readJson(response)));
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(link.href);
}
