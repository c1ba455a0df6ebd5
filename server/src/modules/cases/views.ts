import { sql } from 'kysely';
import { appendAudit, auditAppendColumns, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { caseTypeById, currentCaseTypes } from './case-types.js';
import { caseScopeOf, today } from './service.js';
import { stateOf } from './rules/workflow.js';

export interface QueueFilter {
  unit?: string;
  type?: string;
  phase?: 'open' | 'waiting' | 'decided';
  assignee?: string;
  person?: string;
  overdue?: boolean;
  awaitingApproval?: boolean;
  sort?: 'age' | 'due';
  cursor?: string;
  limit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A calendar date the database will accept (the sort key of the page's last row), or null. */
function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && value >= '0001' && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** Where the previous page ended: its last row's sort key (a date, or null for "no due date") and id. */
function decodeQueueCursor(cursor: string): { k: string | null; id: string } {
  return decodeCursor(cursor, ({ k, id }) =>
    typeof id === 'string' && UUID.test(id) && (k === null || (typeof k === 'string' && isIsoDate(k))) ? { k, id } : null,
  );
}

/**
 * The work queue: open cases of the units the caller works in, filtered, oldest application first or by
 * the next due date, in pages with a keyset cursor (the indexes cases_queue_age_idx / cases_queue_due_idx).
 */
export async function workQueue(db: Db, context: RequestContext, filter: QueueFilter) {
  const actor = context.actor;
  const scope = caseScopeOf(actor);
  if (!scope.all && scope.unitIds.length === 0) return { items: [], nextCursor: null };
  const limit = Math.min(filter.limit ?? 50, 200);
  const sortByDue = filter.sort === 'due';
  const after = filter.cursor === undefined ? null : decodeQueueCursor(filter.cursor);
  const day = today();
  // A read needs no transaction: the page is returned only after its audit row is written (one
  // statement, so the chain head is locked only for that moment). Saves two round trips per call.
  let query = queueRows(db)
    .where('c.tenant_id', '=', actor.tenantId)
    .where('c.closed_at', 'is', null);
  if (!scope.all) query = query.where('c.unit_id', 'in', scope.unitIds);
  if (filter.unit) query = query.where('c.unit_id', '=', filter.unit);
  if (filter.type) query = query.where('c.type_slug', '=', filter.type);
  if (filter.phase) query = query.where('c.phase', '=', filter.phase);
  if (filter.person) query = query.where('c.person_id', '=', filter.person);
  if (filter.assignee === 'me') query = query.where('c.assignee_id', '=', actor.id);
  else if (filter.assignee === 'none') query = query.where('c.assignee_id', 'is', null);
  else if (filter.assignee) query = query.where('c.assignee_id', '=', filter.assignee);
  if (filter.overdue === true) query = query.where('c.next_due_on', '<', day);
  if (filter.awaitingApproval === true) query = query.where('c.pending_decision', 'is not', null);
  if (sortByDue) {
    if (after) {
      const key = after.k;
      query = key === null
        ? query.where((eb) => eb.and([eb('c.next_due_on', 'is', null), eb('c.id', '>', after.id)]))
        : query.where((eb) => eb.or([eb('c.next_due_on', '>', key), eb.and([eb('c.next_due_on', '=', key), eb('c.id', '>', after.id)]), eb('c.next_due_on', 'is', null)]));
    }
    query = query.orderBy('c.next_due_on', (order) => order.asc().nullsLast()).orderBy('c.id');
  } else {
    if (after?.k) {
      const key = after.k;
      query = query.where((eb) => eb.or([eb('c.received_on', '>', key), eb.and([eb('c.received_on', '=', key), eb('c.id', '>', after.id)])]));
    }
    query = query.orderBy('c.received_on').orderBy('c.id');
  }
  // One statement reads the page and appends its audit row (the persons shown): one round trip, and
  // no page leaves without its record. `logged` drives the join so that it runs for an empty page too.
  const details = sql`${JSON.stringify({ filter: { ...filter, cursor: undefined } })}::jsonb
    || jsonb_build_object('results', (SELECT coalesce(jsonb_agg(shown.person_id), '[]'::jsonb) FROM (SELECT person_id FROM page LIMIT ${limit}) shown))`;
  const order = sortByDue ? sql`page.next_due_on ASC NULLS LAST, page.id` : sql`page.received_on, page.id`;
  const result = await sql<QueueRow | { [K in keyof QueueRow]: null }>`
    WITH page AS MATERIALIZED (${query.limit(limit + 1)}),
         logged AS MATERIALIZED (SELECT ${auditAppendColumns(subjectOf(actor, context.requestId), { action: 'case.queue', entityType: 'person', details }, { read: true })})
    SELECT page.* FROM logged LEFT JOIN page ON true ORDER BY ${order}`.execute(db);
  const rows = result.rows.filter((row): row is QueueRow => row.id !== null);
  const page = rows.slice(0, limit);
  const items = await Promise.all(page.map((row) => queueItem(db, row, day)));
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ k: sortByDue ? last.next_due_on : last.received_on, id: last.id }) : null;
  return { items, nextCursor };
}

const DAY_MS = 86_400_000;

/** Whole days from one ISO date to another; plain arithmetic on UTC midnights (this runs for every queue line). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The columns a queue line shows. */
function queueRows(db: Db | Trx) {
  return db
      .selectFrom('cases as c')
      .innerJoin('persons as p', 'p.id', 'c.person_id')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .leftJoin('users as a', 'a.id', 'c.assignee_id')
      .select(['c.id', 'c.reference', 'c.case_type_id', 'c.type_slug', 'c.person_id', 'p.official_name', 'p.first_names', 'c.unit_id', 'u.name as unit_name', 'c.assignee_id', 'a.display_name as assignee_name', 'c.state', 'c.phase', 'c.received_on', 'c.opened_at', 'c.next_due_on', 'c.pending_decision']);
}

type QueueRow = Awaited<ReturnType<ReturnType<typeof queueRows>['executeTakeFirstOrThrow']>>;

async function queueItem(db: Db | Trx, row: QueueRow, day: string) {
  const type = (await caseTypeById(db, row.case_type_id)).definition;
  return {
    id: row.id,
    reference: row.reference,
    typeSlug: row.type_slug,
    typeNames: type.names,
    personId: row.person_id,
    personName: `${row.first_names} ${row.official_name}`,
    unitId: row.unit_id,
    unitName: row.unit_name,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    state: row.state,
    stateNames: stateOf(type, row.state).names,
    phase: row.phase,
    receivedOn: row.received_on,
    openedAt: row.opened_at.toISOString(),
    ageDays: daysBetween(row.received_on, day),
    nextDueOn: row.next_due_on,
    overdue: row.next_due_on !== null && row.next_due_on < day,
    awaitingApproval: row.pending_decision !== null,
  };
}

export type QueueItem = Awaited<ReturnType<typeof queueItem>>;

/** The team lead's view: backlog, deadlines, approvals waiting, output per week and processing times. */
export async function teamLeadOverview(db: Db, context: RequestContext, unitId: string | undefined) {
  const actor = context.actor;
  const scope = caseScopeOf(actor);
  const day = today();
  return inTransaction(db, async (trx) => {
    const units = scope.all ? null : scope.unitIds;
    const unitFilter = (column: string) => sql.join([
      sql`TRUE`,
      ...(units ? [sql`${sql.ref(column)} = ANY(${units}::uuid[])`] : []),
      ...(unitId ? [sql`${sql.ref(column)} = ${unitId}::uuid`] : []),
    ], sql` AND `);
    const backlog = await sql<{ unit_id: string; unit_name: string; type_slug: string; age_bucket: string; count: number }>`
      SELECT c.unit_id, u.name AS unit_name, c.type_slug,
             CASE WHEN ${day}::date - c.received_on <= 30 THEN '0-30'
                  WHEN ${day}::date - c.received_on <= 90 THEN '31-90'
                  WHEN ${day}::date - c.received_on <= 180 THEN '91-180'
                  ELSE '181+' END AS age_bucket,
             count(*)::int AS count
        FROM cases c JOIN units u ON u.id = c.unit_id
       WHERE c.tenant_id = ${actor.tenantId} AND c.closed_at IS NULL AND ${unitFilter('c.unit_id')}
       GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4`.execute(trx);
    const deadlineRows = (comparison: 'overdue' | 'soon') => sql<{ case_id: string; reference: string; person_name: string; kind: string; legal_basis: string; working_due_date: string }>`
      SELECT c.id AS case_id, c.reference, p.first_names || ' ' || p.official_name AS person_name, d.kind, d.legal_basis, d.working_due_date
        FROM deadlines d JOIN cases c ON c.id = d.case_id JOIN persons p ON p.id = c.person_id
       WHERE d.tenant_id = ${actor.tenantId} AND d.status = 'open' AND ${unitFilter('c.unit_id')}
         AND ${comparison === 'overdue' ? sql`d.working_due_date < ${day}::date` : sql`d.working_due_date BETWEEN ${day}::date AND ${day}::date + 7`}
       ORDER BY d.working_due_date, c.reference LIMIT 100`.execute(trx);
    const overdue = await deadlineRows('overdue');
    const soonDue = await deadlineRows('soon');
    const awaiting = await queueRows(trx)
      .where('c.tenant_id', '=', actor.tenantId)
      .where('c.closed_at', 'is', null)
      .where('c.pending_decision', 'is not', null)
      .where(sql<boolean>`${unitFilter('c.unit_id')}`)
      .orderBy('c.updated_at')
      .limit(100)
      .execute();
    const weekly = await sql<{ week: string; positive: number; negative: number }>`
      SELECT to_char(c.decided_at, 'IYYY-"W"IW') AS week,
             count(*) FILTER (WHERE c.decision->>'outcome' = 'positive')::int AS positive,
             count(*) FILTER (WHERE c.decision->>'outcome' = 'negative')::int AS negative
        FROM cases c
       WHERE c.tenant_id = ${actor.tenantId} AND c.decided_at >= ${day}::date - 84 AND ${unitFilter('c.unit_id')}
       GROUP BY 1 ORDER BY 1`.execute(trx);
    const times = await sql<{ type_slug: string; decided: number; median_days: number; p90_days: number }>`
      SELECT c.type_slug, count(*)::int AS decided,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY c.decided_at::date - c.received_on)::float8 AS median_days,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY c.decided_at::date - c.received_on)::float8 AS p90_days
        FROM cases c
       WHERE c.tenant_id = ${actor.tenantId} AND c.decided_at >= ${day}::date - 365 AND ${unitFilter('c.unit_id')}
       GROUP BY 1 ORDER BY 1`.execute(trx);
    const types = new Map((await currentCaseTypes(trx, actor.tenantId)).map((t) => [t.slug, t.definition.names]));
    const namesOf = (slug: string) => types.get(slug) ?? { de: slug, fr: slug, it: slug, en: slug };
    const awaitingItems = await Promise.all(awaiting.map((row) => queueItem(trx, row, day)));
    const deadlineItem = (row: { case_id: string; reference: string; person_name: string; kind: string; legal_basis: string; working_due_date: string }) => ({ caseId: row.case_id, reference: row.reference, personName: row.person_name, kind: row.kind, legalBasis: row.legal_basis, workingDueDate: row.working_due_date });
    await appendAudit(trx, subjectOf(actor, context.requestId), { action: 'case.overview', entityType: 'person', details: { unitId: unitId ?? null } });
    return {
      backlog: backlog.rows.map((row) => ({ unitId: row.unit_id, unitName: row.unit_name, typeSlug: row.type_slug, typeNames: namesOf(row.type_slug), ageBucket: row.age_bucket, count: row.count })),
      overdue: overdue.rows.map(deadlineItem),
      soonDue: soonDue.rows.map(deadlineItem),
      awaitingApproval: awaitingItems,
      decisionsPerWeek: weekly.rows,
      processingTimes: times.rows.map((row) => ({ typeSlug: row.type_slug, typeNames: namesOf(row.type_slug), decided: row.decided, medianDays: row.median_days, p90Days: row.p90_days })),
    };
  });
}
