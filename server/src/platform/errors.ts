import type { FieldMessage, ProblemCode } from './i18n/messages.js';
import type { MessageParams } from './i18n/translate.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error meant for the caller: it becomes an RFC 9457 problem with a stable `code`, an HTTP
 * status and a sentence in the caller's language. Anything else thrown becomes a 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly params: MessageParams = {},
    /** Extra members of the problem document, e.g. `errors`, `current`, `allowed`. */
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

/** A field that failed a domain rule: localised when the problem is built. */
export interface DomainFieldError {
  field: string;
  message: FieldMessage;
}

/** 400 validation-failed for fields that passed the schema but break a domain rule. */
export function invalidFields(...errors: DomainFieldError[]): AppError {
  return new AppError(400, 'validation-failed', {}, { fieldErrors: errors });
}

export const problems = {
  unauthenticated: () => new AppError(401, 'unauthenticated'),
  sessionExpired: () => new AppError(401, 'session-expired'),
  invalidToken: () => new AppError(401, 'invalid-token'),
  forbidden: () => new AppError(403, 'forbidden'),
  notFound: (what: MessageParams['what']) => new AppError(404, 'not-found', { what }),
  versionConflict: (current: number, resource?: unknown) =>
    new AppError(409, 'version-conflict', { current }, resource === undefined ? { currentVersion: current } : { currentVersion: current, current: resource }),
  conflict: (reason: string, extensions: Record<string, unknown> = {}) => new AppError(409, 'conflict', { reason }, extensions),
  preconditionRequired: () => new AppError(428, 'precondition-required'),
};
