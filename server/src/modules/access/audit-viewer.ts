import { sql, type Expression, type SqlBool } from 'kysely';
import { appendAudit, subjectOf, verifyAuditChain, type AuditProblem } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { invalidFields } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';

/**
 * The auditor's viewer: one office's audit rows, filtered, newest first, in keyset pages; the
 * export of every matching row; and the chain verification for the office. Pure parts (filters,
 * cursor, CSV) first, then the queries, then the audited service functions the routes call.
 */

// --- filters -----------------------------------------------------------------------------------

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/** The filters as the query string carries them. */
export interface AuditQuery {
  person?: string | undefined;
  user?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type ActionMatch = { kind: 'exact'; value: string } | { kind: 'prefix'; value: string };
export type ActorMatch = { kind: 'id'; id: string } | { kind: 'name'; name: string };

export interface AuditFilter {
  personId: string | null;
  actor: ActorMatch | null;
  action: ActionMatch | null;
  /** Inclusive lower bound, ISO instant. */
  from: string | null;
  /** Exclusive upper bound, ISO instant. */
  to: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `person.` or `person.*` is a prefix (everything the register did to persons); anything else is one action. */
export function parseAction(value: string): ActionMatch {
  const trimmed = value.trim();
  if (trimmed.endsWith('*')) return { kind: 'prefix', value: trimmed.slice(0, -1) };
  if (trimmed.endsWith('.')) return { kind: 'prefix', value: trimmed };
  return { kind: 'exact', value: trimmed };
}

/** A user filter is an actor id when it looks like one, else a name (user name, `token:<label>`, `cli`). */
export function parseActor(value: string): ActorMatch {
  const trimmed = value.trim();
  return UUID.test(trimmed) ? { kind: 'id', id: trimmed.toLowerCase() } : { kind: 'name', name: trimmed };
}

/** An ISO date-time within what PostgreSQL's timestamptz and JavaScript both hold, normalised to UTC; null when not one. */
export function parseInstant(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return null;
  const time = Date.parse(value);
  if (!Number.isFinite(time)) return null;
  const iso = new Date(time).toISOString();
  // Year 0 and below, and five-digit years, are refused by one side or the other.
  return /^\d{4}-/.test(iso) && !iso.startsWith('0000') ? iso : null;
}

/** Checks and normalises the filters; a 400 problem naming the field when one is unusable. */
export function parseAuditFilter(query: AuditQuery): AuditFilter {
  const person = query.person?.trim() ?? '';
  if (person !== '' && !UUID.test(person)) throw invalidFields({ field: 'person', message: 'not-an-id' });
  const from = query.from === undefined || query.from === '' ? null : parseInstant(query.from);
  if (query.from && from === null) throw invalidFields({ field: 'from', message: 'not-a-date' });
  const to = query.to === undefined || query.to === '' ? null : parseInstant(query.to);
  if (query.to && to === null) throw invalidFields({ field: 'to', message: 'not-a-date' });
  if (from !== null && to !== null && to < from) throw invalidFields({ field: 'to', message: 'end-before-start' });
  const user = query.user?.trim() ?? '';
  const action = query.action?.trim() ?? '';
  const actionMatch = action === '' ? null : parseAction(action);
  return {
    personId: person === '' ? null : person.toLowerCase(),
    actor: user === '' ? null : parseActor(user),
    // A bare "*" or "." matches every action: no filter at all.
    action: actionMatch && actionMatch.value !== '' && actionMatch.value !== '.' ? actionMatch : null,
    from,
    to,
  };
}

/** The filters as they are recorded in the audit row of a read or export: only what was set. */
export function describeFilter(query: AuditQuery): Record<string, string> {
  const described: Record<string, string> = {};
  for (const key of ['person', 'user', 'action', 'from', 'to'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '') described[key] = value.slice(0, 200);
  }
  return described;
}

/** Escapes LIKE's wildcards so that a prefix is taken literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

// --- cursor ------------------------------------------------------------------------------------

/** Where the previous page ended: the last row's time (microseconds, UTC) and id. */
export interface AuditCursor {
  at: string;
  id: number;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return encodeCursor({ t: cursor.at, i: cursor.id });
}

/** The cursor of a page, or a 400 problem. */
export function decodeAuditCursor(value: string): AuditCursor {
  return decodeCursor(value, ({ t, i }) =>
    typeof t === 'string' && CURSOR_TIME.test(t) && parseInstant(t) !== null && typeof i === 'number' && Number.isSafeInteger(i) && i >= 1 ? { at: t, id: i } : null,
  );
}

// --- CSV ---------------------------------------------------------------------------------------

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A
 * field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe:
 * the log holds text typed by users (search terms, token labels) and the file is opened in Excel.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Excel reads a CSV as UTF-8 only with this mark in front. */
export const UTF8_BOM = '\uFEFF';

export const EXPORT_COLUMNS = ['id', 'occurredAt', 'chain', 'seq', 'actorKind', 'actorId', 'actorName', 'action', 'entityType', 'entityId', 'requestId', 'details', 'hash'] as const;

export interface AuditItem {
  id: number;
  /** UTC with microseconds, as stored (the cursor needs every digit). */
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

export function csvOfItem(item: AuditItem): string {
  return csvRecord([item.id, item.occurredAt, item.chain, item.seq, item.actorKind, item.actorId, item.actorName, item.action, item.entityType, item.entityId, item.requestId, JSON.stringify(item.details), item.hash]);
}

export type ExportFormat = 'csv' | 'json' | 'ndjson';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

// --- queries -----------------------------------------------------------------------------------

interface AuditRowOut {
  id: number;
  occurred_key: string;
  chain: string;
  seq: number;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  request_id: string | null;
  details: unknown;
  hash: string;
}

function toItem(row: AuditRowOut): AuditItem {
  return {
    id: row.id,
    occurredAt: row.occurred_key,
    chain: row.chain,
    seq: row.seq,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    requestId: row.request_id,
    details: row.details,
    hash: row.hash,
  };
}

/** A name that is a user name of the office means that user (by id, so the actor index serves it). */
async function resolveActor(db: Db, tenantId: string, actor: ActorMatch | null): Promise<ActorMatch | null> {
  if (actor?.kind !== 'name') return actor;
  const user = await db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('username', '=', actor.name.toLowerCase()).executeTakeFirst();
  return user ? { kind: 'id', id: user.id } : actor;
}

/**
 * One page of the office's rows, newest first, strictly after `after`. Each filter maps onto an
 * index (0002 and 0010): the office and time, the actor id or name, the action, the person's
 * entity rows and the list reads naming the person. No COUNT: the page says only whether more follow.
 */
async function fetchRows(db: Db, tenantId: string, filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditRowOut[]> {
  const conditions: Expression<SqlBool>[] = [sql<SqlBool>`tenant_id = ${tenantId}::uuid`];
  if (filter.personId !== null) {
    const asList = JSON.stringify([filter.personId]);
    // The register, permits, cases and documents record their rows against the person itself.
    conditions.push(sql<SqlBool>`((entity_type = 'person' AND entity_id = ${filter.personId}) OR (details ? 'results' AND details -> 'results' @> ${asList}::jsonb))`);
  }
  if (filter.actor?.kind === 'id') conditions.push(sql<SqlBool>`actor_id = ${filter.actor.id}::uuid`);
  else if (filter.actor?.kind === 'name') conditions.push(sql<SqlBool>`actor_name = ${filter.actor.name}`);
  if (filter.action?.kind === 'exact') conditions.push(sql<SqlBool>`action COLLATE "C" = ${filter.action.value}`);
  else if (filter.action?.kind === 'prefix') conditions.push(sql<SqlBool>`action COLLATE "C" LIKE ${`${escapeLike(filter.action.value)}%`}`);
  if (filter.from !== null) conditions.push(sql<SqlBool>`occurred_at >= ${filter.from}::timestamptz`);
  if (filter.to !== null) conditions.push(sql<SqlBool>`occurred_at < ${filter.to}::timestamptz`);
  if (after !== null) conditions.push(sql<SqlBool>`(occurred_at, id) < (${after.at}::timestamptz, ${after.id}::bigint)`);
  const result = await sql<AuditRowOut>`
    SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_key, chain, seq,
           actor_kind, actor_id::text AS actor_id, actor_name, action, entity_type, entity_id, request_id, details, hash
    FROM audit_log
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

function cursorAfter(row: AuditRowOut): AuditCursor {
  return { at: row.occurred_key, id: row.id };
}

// --- service -----------------------------------------------------------------------------------

export interface RequestContext {
  actor: Actor;
  requestId: string;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/** What a read or export of a person's trail is recorded against: the person, since it is about them. */
function auditedEntity(filter: AuditFilter): { entityType: string; entityId: string | null } {
  return filter.personId !== null ? { entityType: 'person', entityId: filter.personId } : { entityType: 'audit-log', entityId: null };
}

/** One page of the viewer; the read itself is audited (after the read, so the page does not show it). */
export async function readAuditPage(db: Db, context: RequestContext, query: AuditQuery & { cursor?: string | undefined; limit?: number | undefined }): Promise<AuditPage> {
  const filter = parseAuditFilter(query);
  const after = query.cursor ? decodeAuditCursor(query.cursor) : null;
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const tenantId = context.actor.tenantId;
  const resolved = { ...filter, actor: await resolveActor(db, tenantId, filter.actor) };
  const rows = await fetchRows(db, tenantId, resolved, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  await appendAudit(db, subjectOf(context.actor, context.requestId), {
    action: 'audit.read',
    ...auditedEntity(filter),
    details: { filter: describeFilter(query), page: after !== null, rows: page.length },
  });
  return { items: page.map(toItem), nextCursor: rows.length > limit && last ? encodeAuditCursor(cursorAfter(last)) : null };
}

const EXPORT_BATCH = 1000;

/**
 * Every matching row as CSV, JSON or NDJSON text chunks. The first batch is read and the export
 * audited before anything is sent, so no byte leaves unrecorded; later batches are read as the
 * client takes them, each continuing below the last row (rows written meanwhile are newer and
 * never join), so memory stays at one batch however large the log is.
 */
export async function exportAudit(db: Db, context: RequestContext, query: AuditQuery, format: ExportFormat): Promise<AsyncGenerator<string>> {
  const filter = parseAuditFilter(query);
  const tenantId = context.actor.tenantId;
  const resolved = { ...filter, actor: await resolveActor(db, tenantId, filter.actor) };
  const first = await fetchRows(db, tenantId, resolved, null, EXPORT_BATCH);
  await appendAudit(db, subjectOf(context.actor, context.requestId), {
    action: 'audit.export',
    ...auditedEntity(filter),
    details: { filter: describeFilter(query), format },
  });
  async function* chunks(): AsyncGenerator<string> {
    if (format === 'csv') yield UTF8_BOM + csvRecord(EXPORT_COLUMNS);
    if (format === 'json') yield '[';
    let batch = first;
    let count = 0;
    for (;;) {
      let text = '';
      for (const row of batch) {
        const item = toItem(row);
        if (format === 'csv') text += csvOfItem(item);
        else if (format === 'ndjson') text += `${JSON.stringify(item)}\n`;
        else text += `${count === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`;
        count++;
      }
      if (text !== '') yield text;
      const last = batch[batch.length - 1];
      if (batch.length < EXPORT_BATCH || !last) break;
      batch = await fetchRows(db, tenantId, resolved, cursorAfter(last), EXPORT_BATCH);
    }
    if (format === 'json') yield '\n]\n';
  }
  return chunks();
}

export interface ChainStatus {
  ok: boolean;
  checkedAt: string;
  rowsChecked: number;
  chains: number;
  problems: AuditProblem[];
}

/**
 * The CLI's `audit verify` for the office's own chains. Requests run under row-level security, so
 * the verification reads only this office's rows; problems of other offices' chains (which it
 * then cannot see) are dropped, and so are their heads from the count.
 */
export async function verifyOfficeChains(db: Db, context: RequestContext): Promise<ChainStatus> {
  const prefix = `${context.actor.tenantId}:`;
  const result = await verifyAuditChain(db);
  const problems = result.problems.filter((problem) => problem.chain.startsWith(prefix));
  const heads = await db.selectFrom('audit_chain_heads').select('chain').where('chain', 'like', `${escapeLike(prefix)}%`).execute();
  const status: ChainStatus = { ok: problems.length === 0, checkedAt: new Date().toISOString(), rowsChecked: result.rowsChecked, chains: heads.length, problems };
  await appendAudit(db, subjectOf(context.actor, context.requestId), { action: 'audit.verify', entityType: 'audit-log', details: { ok: status.ok, problems: problems.length } });
  return status;
}
