import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type DomainFieldError, type FieldError } from '../errors.js';
import { fieldMessages, negotiateLocale, type Locale, type ProblemCode } from '../i18n/messages.js';
import { problemDetail, problemTitle, type MessageParams } from '../i18n/translate.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  requestId: string;
  [extension: string]: unknown;
}

export function localeOf(request: FastifyRequest): Locale {
  return negotiateLocale(request.headers['accept-language']);
}

export function buildProblem(
  request: FastifyRequest,
  status: number,
  code: ProblemCode,
  params: MessageParams = {},
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  const locale = localeOf(request);
  return {
    type: `https://migraflow.org/problems/${code}`,
    title: problemTitle(code, locale),
    status,
    detail: problemDetail(code, locale, { requestId: request.id, ...params }),
    instance: request.url.split('?')[0] ?? request.url,
    code,
    requestId: request.id,
    ...extensions,
  };
}

export function sendProblem(reply: FastifyReply, problem: ProblemDocument, headers: Record<string, string> = {}): FastifyReply {
  return reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(validation: AjvError[], context: string | undefined): FieldError[] {
  return validation.map((item) => {
    const base = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    if (item.keyword === 'additionalProperties' && typeof item.params?.additionalProperty === 'string') {
      const field = [base, item.params.additionalProperty].filter(Boolean).join('.');
      return { field: field || (context ?? 'body'), message: 'is not a known field' };
    }
    if (item.keyword === 'required' && typeof item.params?.missingProperty === 'string') {
      const field = [base, item.params.missingProperty].filter(Boolean).join('.');
      return { field, message: 'is required' };
    }
    return { field: base || (context ?? 'body'), message: item.message ?? 'is invalid' };
  });
}

/** Maps every error to a problem document: known ones with their status, the rest as 500. */
export function problemFromError(error: unknown, request: FastifyRequest): { problem: ProblemDocument; headers: Record<string, string> } {
  if (error instanceof AppError) {
    const { fieldErrors, ...extensions } = error.extensions as { fieldErrors?: DomainFieldError[] };
    if (fieldErrors) {
      const locale = localeOf(request);
      const errors = fieldErrors.map((item) => ({ field: item.field, message: fieldMessages[item.message][locale] }));
      const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return { problem: buildProblem(request, error.status, error.code, { ...error.params, summary }, { ...extensions, errors }), headers: error.headers };
    }
    return { problem: buildProblem(request, error.status, error.code, error.params, extensions), headers: error.headers };
  }
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    const errors = fieldErrors(fastifyError.validation, fastifyError.validationContext);
    const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return { problem: buildProblem(request, 400, 'validation-failed', { summary }, { errors }), headers: {} };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { problem: buildProblem(request, 400, 'malformed-json'), headers: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: buildProblem(request, 415, 'unsupported-media-type', { type: String(request.headers['content-type'] ?? '') }), headers: {} };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: buildProblem(request, 413, 'payload-too-large'), headers: {} };
    default:
      break;
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 400) {
    // Other client errors found by Fastify while parsing (bad URL encoding, bad content type…).
    return { problem: buildProblem(request, 400, 'validation-failed', { summary: fastifyError.message }), headers: {} };
  }
  const code = (error as { code?: unknown }).code;
  if (code === '22021' || code === '22P05') {
    // Text PostgreSQL cannot store (a NUL character, a character outside UTF-8) only ever comes
    // from the caller: a refusal of the input, not a server failure.
    return { problem: buildProblem(request, 400, 'unstorable-text'), headers: {} };
  }
  if (code === '23505') {
    // A uniqueness rule of the database caught what no check before it did: a conflict, not a crash.
    return { problem: buildProblem(request, 409, 'duplicate-entry'), headers: {} };
  }
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || code === '08006' || code === '08001') {
    return { problem: buildProblem(request, 503, 'database-unavailable'), headers: { 'retry-after': '30' } };
  }
  return { problem: buildProblem(request, 500, 'internal-error'), headers: {} };
}
