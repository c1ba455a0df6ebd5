import { AppError } from '../errors.js';

/**
 * Keyset cursors of paged lists: the last row's sort key, as URL-safe base64 of JSON. The server
 * only ever hands out cursors it made, so anything else is a 400 `invalid-cursor` — and a cursor's
 * parts reach the database as typed values, so each list checks them before use.
 */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor's fields, or a 400 problem when it is not one `encodeCursor` made or `accept` refuses it. */
export function decodeCursor<T>(raw: string, accept: (fields: Record<string, unknown>) => T | null): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid-cursor');
  }
  const accepted = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? accept(parsed as Record<string, unknown>) : null;
  if (accepted === null) throw new AppError(400, 'invalid-cursor');
  return accepted;
}
