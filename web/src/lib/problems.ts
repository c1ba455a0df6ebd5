import { isApiError } from '../api/client';
import type { PersonFile, PersonHit } from '../api/types';

/** Field messages of a problem's `errors[]`, keyed by field path (optionally below a prefix). */
export function fieldErrorsOf(error: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error)) return out;
  for (const item of error.problem.errors ?? []) {
    let field = item.field;
    if (prefix) {
      if (!field.startsWith(`${prefix}.`)) continue;
      field = field.slice(prefix.length + 1);
    }
    out[field] ??= item.message;
  }
  return out;
}

/** Field errors whose field is not among the given ones (shown in the form's summary instead). */
export function otherFieldErrors(error: unknown, known: readonly string[]): { field: string; message: string }[] {
  if (!isApiError(error)) return [];
  return (error.problem.errors ?? []).filter((item) => !known.includes(item.field));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikePersonFile(value: unknown): value is PersonFile {
  return isRecord(value) && typeof value.id === 'string' && typeof value.version === 'number' && isRecord(value.identity);
}

/** A `409 version-conflict`: someone else changed the person; `current` is the fresh file, when sent. */
export function versionConflictOf(error: unknown): { current: PersonFile | null } | null {
  if (!isApiError(error) || error.status !== 409 || error.code !== 'version-conflict') return null;
  const current = error.problem.extensions?.current;
  return { current: looksLikePersonFile(current) ? current : null };
}

/** Any `409 version-conflict` (person file or permit): the record changed since it was loaded. */
export function isVersionConflict(error: unknown): boolean {
  return isApiError(error) && error.status === 409 && error.code === 'version-conflict';
}

/** The candidates of a `409 possible-duplicate`, or null for any other error. */
export function duplicateCandidatesOf(error: unknown): PersonHit[] | null {
  if (!isApiError(error) || error.status !== 409 || error.code !== 'possible-duplicate') return null;
  const candidates = error.problem.extensions?.candidates;
  if (!Array.isArray(candidates)) return [];
  return candidates.filter(
    (c): c is PersonHit => isRecord(c) && typeof c.id === 'string' && typeof c.officialName === 'string',
  ).map((c) => (Array.isArray(c.reasons) ? c : { ...c, reasons: [] }));
}

/** The API's sentence for an expected refusal (4xx), or null for unexpected failures. */
export function refusalText(error: unknown): string | null {
  if (!isApiError(error) || error.isUnexpected) return null;
  return error.problem.detail || error.problem.title || error.code;
}

/**
 * The API's field messages are phrases that follow the field's name ("fehlt", "is not a valid
 * date"); next to a field they read best with the label in front: "Date of birth is not a valid date".
 */
export function withLabel(label: string, message: string | undefined): string | undefined {
  if (!message) return message;
  const first = message.charAt(0);
  return first !== first.toUpperCase() ? `${label} ${message}` : message;
}
