import { sql, type ColumnType, type Generated } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import { CASE_EVENT_KINDS_REMOVED, decisionRemains, personAnonymisation, RESIDENCE_CLEARED, anonymisedNameData, anonymisedNationalityData } from './rules/anonymise.js';

/**
 * The only code of the privacy module that touches the database. The access report and the
 * retention job read (and retention removes) rows of the register, permits, cases, documents,
 * deadlines and portal modules, and the report also the finance module's invoices, payments and deposits:
 * they expose no function that returns a whole file without its own scope and audit rules, and
 * retention must act set-based in one transaction. These reads and writes are kept here,
 * read-only for the report, and reviewed together with those modules' tables.
 */

type Json = ColumnType<unknown, string, string>;

export type LegalHoldsTable = {
  id: Generated<string>;
  tenant_id: string;
  subject_type: 'person' | 'case';
  subject_id: string;
  reason: string;
  placed_by: string;
  placed_at: Generated<Date>;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
};

export type RetentionRunsTable = {
  id: Generated<string>;
  tenant_id: string;
  as_of: string;
  dry_run: boolean;
  catalogue: string;
  started_at: ColumnType<Date, Date | undefined, Date>;
  finished_at: Generated<Date>;
  triggered_by: string;
  report: Json;
};

export type RetentionAppliedTable = {
  tenant_id: string;
  kind: 'closed-case' | 'departed-person';
  subject_id: string;
  run_id: string;
  applied_at: Generated<Date>;
};

export type PrivacyTables = {
  legal_holds: LegalHoldsTable;
  retention_runs: RetentionRunsTable;
  retention_applied: RetentionAppliedTable;
};

function own(db: Db | Trx) {
  return db.withTables<PrivacyTables>();
}

// --- legal holds ------------------------------------------------------------------------------

export type SubjectType = 'person' | 'case';

export interface HoldRow {
  id: string;
  subject_type: SubjectType;
  subject_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
}

export async function activeHold(db: Db | Trx, tenantId: string, subjectType: SubjectType, subjectId: string): Promise<HoldRow | null> {
  const row = await own(db)
    .selectFrom('legal_holds')
    .select(['id', 'subject_type', 'subject_id', 'reason', 'placed_by', 'placed_at'])
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

export async function holdsOfSubjects(db: Db | Trx, tenantId: string, subjects: { type: SubjectType; ids: string[] }[]) {
  const wanted = subjects.filter((s) => s.ids.length > 0);
  if (wanted.length === 0) return [];
  return own(db)
    .selectFrom('legal_holds')
    .select(['id', 'subject_type', 'subject_id', 'reason', 'placed_by', 'placed_at', 'lifted_at', 'lifted_by', 'lift_reason'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or(wanted.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', 'in', s.ids)]))))
    .orderBy('placed_at')
    .execute();
}

export async function insertHold(trx: Trx, hold: { tenantId: string; subjectType: SubjectType; subjectId: string; reason: string; placedBy: string }): Promise<HoldRow> {
  return own(trx)
    .insertInto('legal_holds')
    .values({ tenant_id: hold.tenantId, subject_type: hold.subjectType, subject_id: hold.subjectId, reason: hold.reason, placed_by: hold.placedBy })
    .returning(['id', 'subject_type', 'subject_id', 'reason', 'placed_by', 'placed_at'])
    .executeTakeFirstOrThrow();
}

export async function liftHold(trx: Trx, id: string, liftedBy: string, reason: string | null): Promise<void> {
  await own(trx).updateTable('legal_holds').set({ lifted_at: new Date(), lifted_by: liftedBy, lift_reason: reason }).where('id', '=', id).execute();
}

/** Everything retention must leave alone in an office: held persons and cases, and the persons of held cases. */
export async function heldSubjects(trx: Trx, tenantId: string): Promise<{ persons: Set<string>; cases: Set<string>; personsOfHeldCases: Set<string> }> {
  const rows = await own(trx).selectFrom('legal_holds').select(['subject_type', 'subject_id']).where('tenant_id', '=', tenantId).where('lifted_at', 'is', null).execute();
  const persons = new Set(rows.filter((r) => r.subject_type === 'person').map((r) => r.subject_id));
  const cases = new Set(rows.filter((r) => r.subject_type === 'case').map((r) => r.subject_id));
  // Cases of a held person are held as well.
  const personCases = persons.size === 0 ? [] : await trx.selectFrom('cases').select('id').where('tenant_id', '=', tenantId).where('person_id', 'in', [...persons]).execute();
  for (const row of personCases) cases.add(row.id);
  const caseOwners = cases.size === 0 ? [] : await trx.selectFrom('cases').select('person_id').where('tenant_id', '=', tenantId).where('id', 'in', [...cases]).execute();
  return { persons, cases, personsOfHeldCases: new Set(caseOwners.map((r) => r.person_id)) };
}

// --- the access report (read-only) -----------------------------------------------------------

export async function personRow(db: Db | Trx, tenantId: string, id: string) {
  return db.selectFrom('persons').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function identityVersions(db: Db | Trx, personId: string) {
  return db.selectFrom('person_versions').select(['aspect', 'valid_from', 'valid_to', 'data', 'reason', 'recorded_at', 'recorded_by', 'superseded_at']).where('person_id', '=', personId).orderBy('aspect').orderBy('valid_from').orderBy('recorded_at').execute();
}

export async function allResidences(db: Db | Trx, personId: string) {
  return db.selectFrom('residences').selectAll().where('person_id', '=', personId).orderBy('arrival_date').orderBy('recorded_at').execute();
}

export async function relationsWithNames(db: Db | Trx, personId: string) {
  return db
    .selectFrom('person_relations as r')
    .leftJoin('persons as o', 'o.id', 'r.related_person_id')
    .select(['r.kind', 'r.related_name', 'o.official_name', 'o.first_names', 'r.custody', 'r.valid_from', 'r.valid_to', 'r.recorded_at', 'r.superseded_at'])
    .where('r.person_id', '=', personId)
    .orderBy('r.recorded_at')
    .execute();
}

export async function papers(db: Db | Trx, personId: string) {
  return db.selectFrom('deposited_papers').selectAll().where('person_id', '=', personId).orderBy('deposited_on').orderBy('receipt_number').execute();
}

export async function permitsWithEvents(db: Db | Trx, personId: string) {
  const permits = await db.selectFrom('permits').selectAll().where('person_id', '=', personId).orderBy('valid_from').orderBy('created_at').execute();
  const events = permits.length === 0 ? [] : await db.selectFrom('permit_events').select(['permit_id', 'event', 'event_date', 'recorded_at']).where('permit_id', 'in', permits.map((p) => p.id)).orderBy('event_date').orderBy('recorded_at').execute();
  return { permits, events };
}

export async function casesOf(db: Db | Trx, tenantId: string, personId: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'reference', 'type_slug', 'state', 'phase', 'language', 'received_on', 'opened_at', 'decision', 'decided_at', 'notified_on', 'appeal_status', 'legal_force_on', 'closed_at', 'fields'])
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .orderBy('received_on')
    .orderBy('opened_at')
    .execute();
}

export async function caseEvents(db: Db | Trx, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('case_events').select(['case_id', 'at', 'kind', 'actor_name', 'text']).where('case_id', 'in', caseIds).orderBy('id').execute();
}

export async function caseTasks(db: Db | Trx, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('case_tasks').select(['case_id', 'title', 'due_on', 'done_at', 'created_at']).where('case_id', 'in', caseIds).orderBy('created_at').execute();
}

/** The documents of the person and of their cases: the list, never the content. */
export async function documentList(db: Db | Trx, tenantId: string, personId: string, caseIds: string[]) {
  return db
    .selectFrom('documents')
    .select(['id', 'case_id', 'kind', 'template', 'title', 'file_name', 'media_type', 'language', 'size_bytes', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('person_id', '=', personId), ...(caseIds.length > 0 ? [eb('case_id', 'in', caseIds)] : [])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The finance module's tables (migration 0012), as far as the report reads them. They are not in
 * the shared schema type and the module exposes no type of them, so the columns read are named
 * here; a change to those tables must be reviewed against this list.
 */
type FinanceReadTables = {
  invoices: {
    id: string;
    tenant_id: string;
    person_id: string;
    case_id: string | null;
    deposit_id: string | null;
    year: number;
    number: number;
    reference: string;
    kind: string;
    beneficiary_bfs: number | null;
    currency: string;
    lines: unknown;
    adjustment_reason: string | null;
    amount_minor: number;
    paid_minor: number;
    status: string;
    language: string;
    issued_on: string | Date;
    due_on: string | Date;
    paid_on: string | Date | null;
    reminder_level: number;
    created_at: Date;
  };
  payments: {
    id: string;
    tenant_id: string;
    source: string;
    booking_date: string | Date;
    value_date: string | Date | null;
    amount_minor: number;
    booked_minor: number;
    refunded_minor: number;
    currency: string;
    reference: string | null;
    debtor_name: string | null;
    debtor_iban: string | null;
    remittance_text: string | null;
    invoice_id: string | null;
    clarification: string | null;
    clarification_status: string | null;
    resolution: string | null;
    created_at: Date;
  };
  deposits: {
    id: string;
    tenant_id: string;
    person_id: string;
    case_id: string | null;
    basis: string;
    household: string;
    amount_minor: number;
    instalments: number;
    status: string;
    waiver_reason: string | null;
    ordered_on: string | Date;
    settled_on: string | Date | null;
    created_at: Date;
  };
  deposit_ledger: {
    id: string;
    seq: string;
    tenant_id: string;
    deposit_id: string;
    person_id: string;
    entry_date: string | Date;
    kind: string;
    amount_minor: number;
    held_minor: number;
    invoice_id: string | null;
    note: string | null;
  };
};

/** The person's invoices, the payments booked to them, and their deposits with the ledger (read-only). */
export async function financeOf(db: Db | Trx, tenantId: string, personId: string) {
  const finance = db.withTables<FinanceReadTables>();
  const [invoices, deposits, ledger] = await Promise.all([
    finance
      .selectFrom('invoices')
      .select(['id', 'case_id', 'deposit_id', 'year', 'number', 'reference', 'kind', 'beneficiary_bfs', 'currency', 'lines', 'adjustment_reason', 'amount_minor', 'paid_minor', 'status', 'language', 'issued_on', 'due_on', 'paid_on', 'reminder_level'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('issued_on')
      .orderBy('year')
      .orderBy('number')
      .execute(),
    finance
      .selectFrom('deposits')
      .select(['id', 'case_id', 'basis', 'household', 'amount_minor', 'instalments', 'status', 'waiver_reason', 'ordered_on', 'settled_on'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('ordered_on')
      .orderBy('created_at')
      .execute(),
    finance
      .selectFrom('deposit_ledger')
      .select(['deposit_id', 'entry_date', 'kind', 'amount_minor', 'held_minor', 'invoice_id', 'note'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('seq')
      .execute(),
  ]);
  const payments =
    invoices.length === 0
      ? []
      : await finance
          .selectFrom('payments')
          .select(['id', 'invoice_id', 'source', 'booking_date', 'value_date', 'amount_minor', 'booked_minor', 'refunded_minor', 'currency', 'reference', 'debtor_name', 'debtor_iban', 'remittance_text', 'clarification', 'clarification_status', 'resolution'])
          .where('tenant_id', '=', tenantId)
          .where('invoice_id', 'in', invoices.map((i) => i.id))
          .orderBy('booking_date')
          .orderBy('created_at')
          .orderBy('id')
          .execute();
  return { invoices, payments, deposits, ledger };
}

/**
 * The portal module's tables (migrations 0014 and 0016), as far as the report reads them and
 * retention removes or clears them. They are not in the shared schema type and the privacy module
 * does not import the portal's repository, so the columns used are named here; a change to those
 * tables must be reviewed against this list. Passwords, one-time tokens and the hashes of link and
 * share codes are never read.
 */
type PortalReadTables = {
  portal_accounts: {
    user_id: string;
    tenant_id: string;
    kind: string;
    email: string;
    email_verified_at: Date | null;
    language: string;
    person_id: string | null;
    person_linked_at: Date | null;
    created_at: Date;
  };
  mandates: {
    id: string;
    tenant_id: string;
    grantor_person_id: string;
    representative_user_id: string;
    scope: unknown;
    valid_from: string | Date;
    valid_until: string | Date | null;
    granted_by_kind: string;
    granted_at: Date;
    revoked_at: Date | null;
  };
  portal_link_codes: {
    id: string;
    tenant_id: string;
    person_id: string;
    valid_until: Date;
    used_at: Date | null;
    failed_attempts: number;
    created_at: Date;
  };
  portal_applications: {
    id: string;
    tenant_id: string;
    person_id: string;
    case_id: string | null;
    form: string;
    form_version: number;
    answers: Json;
    state: string;
    created_at: Date;
    updated_at: Date;
    submitted_at: Date | null;
  };
  portal_uploads: {
    id: string;
    tenant_id: string;
    application_id: string;
    slot: string;
    file_name: string;
    media_type: string;
    size_bytes: number;
    created_at: Date;
  };
  portal_messages: {
    id: string;
    tenant_id: string;
    case_id: string;
    person_id: string;
    direction: string;
    author_name: string;
    body: string;
    created_at: Date;
    read_at: Date | null;
  };
  share_codes: {
    id: string;
    tenant_id: string;
    person_id: string;
    label: string | null;
    valid_until: Date;
    revoked_at: Date | null;
    views: number;
    last_viewed_at: Date | null;
    created_at: Date;
  };
  portal_expiry_notices: {
    tenant_id: string;
    permit_id: string;
    valid_until: string | Date;
    person_id: string;
    recipients: number;
    sent_at: Date;
  };
};

function portal(db: Db | Trx) {
  return db.withTables<PortalReadTables>();
}

/**
 * What the portal holds on the person (read-only): accounts linked to them, mandates they gave,
 * online applications they filed or that opened one of their cases (a relative's application for
 * family reunification opens the relative's case), with the list of papers still waiting in a
 * draft (not the content); the messages on their cases and on the cases their applications
 * opened; their share codes, the link codes issued for them and the expiry notices sent about
 * their permits.
 */
export async function portalOf(db: Db | Trx, tenantId: string, personId: string, caseIds: string[]) {
  const p = portal(db);
  const [accounts, mandates, applications, shareCodes, linkCodes, expiryNotices] = await Promise.all([
    p
      .selectFrom('portal_accounts')
      .select(['kind', 'email', 'email_verified_at', 'language', 'person_linked_at', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .orderBy('user_id')
      .execute(),
    p
      .selectFrom('mandates as m')
      .innerJoin('users as u', 'u.id', 'm.representative_user_id')
      .leftJoin('portal_accounts as a', 'a.user_id', 'm.representative_user_id')
      .select(['m.id', 'u.display_name', 'a.email', 'm.scope', 'm.valid_from', 'm.valid_until', 'm.granted_by_kind', 'm.granted_at', 'm.revoked_at'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.grantor_person_id', '=', personId)
      .orderBy('m.granted_at')
      .orderBy('m.id')
      .execute(),
    p
      .selectFrom('portal_applications as pa')
      .leftJoin('cases as c', 'c.id', 'pa.case_id')
      .select(['pa.id', 'pa.person_id', 'pa.case_id', 'c.reference as case_reference', 'pa.form', 'pa.form_version', 'pa.answers', 'pa.state', 'pa.created_at', 'pa.updated_at', 'pa.submitted_at'])
      .where('pa.tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('pa.person_id', '=', personId), ...(caseIds.length > 0 ? [eb('pa.case_id', 'in', caseIds)] : [])]))
      .orderBy('pa.created_at')
      .orderBy('pa.id')
      .execute(),
    p
      .selectFrom('share_codes')
      .select(['id', 'label', 'valid_until', 'revoked_at', 'views', 'last_viewed_at', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    p
      .selectFrom('portal_link_codes')
      .select(['valid_until', 'used_at', 'failed_attempts', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    p
      .selectFrom('portal_expiry_notices')
      .select(['permit_id', 'valid_until', 'recipients', 'sent_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .orderBy('sent_at')
      .orderBy('permit_id')
      .execute(),
  ]);
  const messageCases = [...new Set([...caseIds, ...applications.flatMap((a) => (a.case_id === null ? [] : [a.case_id]))])];
  const [uploads, messages] = await Promise.all([
    applications.length === 0
      ? []
      : p
          .selectFrom('portal_uploads')
          .select(['application_id', 'slot', 'file_name', 'media_type', 'size_bytes', 'created_at'])
          .where('tenant_id', '=', tenantId)
          .where('application_id', 'in', applications.map((a) => a.id))
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
    p
      .selectFrom('portal_messages as pm')
      .leftJoin('cases as c', 'c.id', 'pm.case_id')
      .select(['c.reference as case_reference', 'pm.direction', 'pm.author_name', 'pm.body', 'pm.created_at', 'pm.read_at'])
      .where('pm.tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('pm.person_id', '=', personId), ...(messageCases.length > 0 ? [eb('pm.case_id', 'in', messageCases)] : [])]))
      .orderBy('pm.created_at')
      .orderBy('pm.id')
      .execute(),
  ]);
  return { accounts, mandates, applications, uploads, messages, shareCodes, linkCodes, expiryNotices };
}

export async function notificationsAbout(db: Db | Trx, tenantId: string, personId: string) {
  const result = await sql<{ id: string; kind: string; created_at: Date; read_at: Date | null; message: unknown }>`
    SELECT n.id, n.kind, n.created_at, n.read_at, n.message FROM notifications n
    WHERE n.tenant_id = ${tenantId}
      AND (n.deadline_id IN (SELECT d.id FROM deadlines d WHERE d.person_id = ${personId})
        OR n.case_id IN (SELECT c.id FROM cases c WHERE c.person_id = ${personId}))
    ORDER BY n.created_at, n.id`.execute(db);
  return result.rows;
}

export interface AccessRow {
  occurred_at: Date;
  action: string;
  actor_kind: string;
  actor_name: string | null;
  display_name: string | null;
  roles: string | null;
  details: unknown;
  listed: boolean;
}

/**
 * Every audit row about the person: their own entity, the entity of one of their cases, permits,
 * documents, papers or of a payment booked to their invoices, or a list read that returned them. The actor's display name and roles come from
 * the user (or the token's role); a system action shows the job's name.
 */
export async function accessesOf(db: Db | Trx, tenantId: string, personId: string, entityIds: string[]): Promise<AccessRow[]> {
  const others = entityIds.length > 0 ? sql`OR (a.entity_type IN ('case', 'permit', 'document', 'paper', 'payment') AND a.entity_id IN (${sql.join(entityIds)}))` : sql``;
  const result = await sql<AccessRow>`
    SELECT a.occurred_at, a.action, a.actor_kind, a.actor_name, u.display_name,
           coalesce((SELECT string_agg(DISTINCT ur.role, ',' ORDER BY ur.role) FROM user_roles ur WHERE ur.user_id = a.actor_id),
                    (SELECT t.role FROM api_tokens t WHERE t.id = a.actor_id)) AS roles,
           a.details,
           NOT coalesce((a.entity_type = 'person' AND a.entity_id = ${personId}) ${others}, false) AS listed
    FROM audit_log a
    LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.tenant_id = ${tenantId}
      AND ((a.entity_type = 'person' AND a.entity_id = ${personId}) ${others}
        -- Written to match the GIN index on the results of list reads (migration 0010).
        OR (a.details ? 'results' AND (a.details -> 'results') @> jsonb_build_array(${personId}::text)))
    ORDER BY a.occurred_at, a.id`.execute(db);
  return result.rows;
}

export async function letterheadOf(db: Db | Trx, tenantId: string) {
  return db.selectFrom('tenants').select(['name', 'settings', 'country']).where('id', '=', tenantId).executeTakeFirstOrThrow();
}

// --- retention: what is due ------------------------------------------------------------------

export async function tenants(db: Db) {
  return db.selectFrom('tenants').select(['id', 'slug', 'country', 'settings']).orderBy('slug').execute();
}

/** Try to become the one run of this office now; false when another process holds it. */
export async function lockTenantRun(trx: Trx, tenantId: string): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('mf-retention'), hashtext(${tenantId})) AS locked`.execute(trx);
  return result.rows[0]?.locked === true;
}

export async function ranOn(db: Db | Trx, tenantId: string, asOf: string): Promise<boolean> {
  const row = await own(db).selectFrom('retention_runs').select('id').where('tenant_id', '=', tenantId).where('as_of', '=', asOf).where('dry_run', '=', false).executeTakeFirst();
  return row !== undefined;
}

export async function closedCasesBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id: string; person_id: string; closed_on: string }>`
    SELECT c.id, c.person_id, to_char(c.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS closed_on FROM cases c
    WHERE c.tenant_id = ${tenantId} AND c.closed_at IS NOT NULL AND c.closed_at < ${cutoff}::date
      AND NOT EXISTS (SELECT 1 FROM retention_applied ra WHERE ra.tenant_id = c.tenant_id AND ra.kind = 'closed-case' AND ra.subject_id = c.id)
    ORDER BY c.closed_at, c.id`.execute(trx);
  return result.rows;
}

export async function returnedPapersBefore(trx: Trx, tenantId: string, cutoff: string) {
  return trx.selectFrom('deposited_papers').select(['id', 'person_id', 'returned_on']).where('tenant_id', '=', tenantId).where('returned_on', 'is not', null).where('returned_on', '<', cutoff).orderBy('returned_on').orderBy('id').execute();
}

export async function endedSessionsBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id_hash: string }>`
    SELECT id_hash FROM sessions
    WHERE tenant_id = ${tenantId} AND least(coalesce(revoked_at, 'infinity'::timestamptz), idle_expires_at, absolute_expires_at) < ${cutoff}::date
    ORDER BY id_hash`.execute(trx);
  return result.rows.map((row) => row.id_hash);
}

export async function readNotificationsBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id: string; case_id: string | null; person_ids: string[] }>`
    SELECT n.id, n.case_id,
           array_remove(ARRAY[(SELECT d.person_id FROM deadlines d WHERE d.id = n.deadline_id), (SELECT c.person_id FROM cases c WHERE c.id = n.case_id)], NULL)::text[] AS person_ids
    FROM notifications n
    WHERE n.tenant_id = ${tenantId} AND n.read_at IS NOT NULL AND n.read_at < ${cutoff}::date
    ORDER BY n.read_at, n.id`.execute(trx);
  return result.rows;
}

/** Exchange messages settled before the cutoff: inbox rows applied, rejected or receipts; outbox rows acknowledged or failed. */
export async function settledExchangeMessagesBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id: string; box: 'inbox' | 'outbox'; person_ids: string[] }>`
    SELECT id, 'inbox' AS box, person_ids::text[] AS person_ids FROM exchange_inbox
     WHERE tenant_id = ${tenantId} AND status <> 'quarantined' AND processed_at < ${cutoff}::date
    UNION ALL
    SELECT id, 'outbox' AS box, array_remove(ARRAY[person_id], NULL)::text[] AS person_ids FROM exchange_outbox
     WHERE tenant_id = ${tenantId} AND status IN ('acknowledged', 'failed') AND coalesce(acknowledged_at, last_attempt_at, created_at) < ${cutoff}::date
    ORDER BY 1`.execute(trx);
  return result.rows;
}

/** Mails sent or given up before the cutoff (queued ones stay until delivered). */
export async function settledMailsBefore(trx: Trx, tenantId: string, cutoff: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    SELECT id FROM mail_outbox
     WHERE tenant_id = ${tenantId} AND status IN ('sent', 'failed') AND coalesce(sent_at, last_attempt_at, created_at) < ${cutoff}::date
     ORDER BY id`.execute(trx);
  return result.rows.map((row) => row.id);
}

/** Online application drafts not changed since before the cutoff (sent applications are the case's). */
export async function staleDraftsBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id: string; person_id: string }>`
    SELECT id, person_id FROM portal_applications
     WHERE tenant_id = ${tenantId} AND state = 'draft' AND updated_at < ${cutoff}::date
     ORDER BY updated_at, id`.execute(trx);
  return result.rows;
}

/** Share codes that stopped working (withdrawn, or past their validity) before the cutoff. */
export async function endedShareCodesBefore(trx: Trx, tenantId: string, cutoff: string) {
  const result = await sql<{ id: string; person_id: string }>`
    SELECT id, person_id FROM share_codes
     WHERE tenant_id = ${tenantId} AND least(coalesce(revoked_at, 'infinity'::timestamptz), valid_until) < ${cutoff}::date
     ORDER BY id`.execute(trx);
  return result.rows;
}

/** Deletes drafts; their uploads go with them (ON DELETE CASCADE, migration 0016). */
export async function deleteDrafts(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length > 0) await portal(trx).deleteFrom('portal_applications').where('id', 'in', ids).where('state', '=', 'draft').execute();
}

export async function deleteShareCodes(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length > 0) await portal(trx).deleteFrom('share_codes').where('id', 'in', ids).execute();
}

export async function deleteMails(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length > 0) await sql`DELETE FROM mail_outbox WHERE id = ANY(${ids}::uuid[])`.execute(trx);
}

export async function deleteExchangeMessages(trx: Trx, messages: { id: string; box: 'inbox' | 'outbox' }[]): Promise<void> {
  const inbox = messages.filter((m) => m.box === 'inbox').map((m) => m.id);
  const outbox = messages.filter((m) => m.box === 'outbox').map((m) => m.id);
  if (inbox.length > 0) await sql`DELETE FROM exchange_inbox WHERE id = ANY(${inbox}::uuid[])`.execute(trx);
  if (outbox.length > 0) await sql`DELETE FROM exchange_outbox WHERE id = ANY(${outbox}::uuid[])`.execute(trx);
}

export interface DepartureCandidate {
  id: string;
  open_residence: boolean;
  last_departure: string | null;
  death_date: string | null;
}

/**
 * Persons who may have left for good: no open residence, or a permit ended by death; never one
 * with an open case, a merged duplicate or one anonymised already. Which of them are due is the
 * pure rule's call.
 */
export async function departureCandidates(trx: Trx, tenantId: string): Promise<DepartureCandidate[]> {
  const result = await sql<DepartureCandidate>`
    SELECT p.id,
           EXISTS (SELECT 1 FROM residences r WHERE r.person_id = p.id AND r.superseded_at IS NULL AND r.departure_date IS NULL) AS open_residence,
           (SELECT to_char(max(r.departure_date), 'YYYY-MM-DD') FROM residences r WHERE r.person_id = p.id AND r.superseded_at IS NULL) AS last_departure,
           (SELECT to_char(max(pm.ended_on), 'YYYY-MM-DD') FROM permits pm WHERE pm.person_id = p.id AND pm.end_reason = 'death') AS death_date
    FROM persons p
    WHERE p.tenant_id = ${tenantId} AND p.merged_into IS NULL
      AND NOT EXISTS (SELECT 1 FROM retention_applied ra WHERE ra.tenant_id = p.tenant_id AND ra.kind = 'departed-person' AND ra.subject_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.closed_at IS NULL)
      AND (NOT EXISTS (SELECT 1 FROM residences r WHERE r.person_id = p.id AND r.superseded_at IS NULL AND r.departure_date IS NULL)
           OR EXISTS (SELECT 1 FROM permits pm WHERE pm.person_id = p.id AND pm.end_reason = 'death'))
    ORDER BY p.id`.execute(trx);
  return result.rows;
}

export interface ChainRow {
  chain: string;
  max_seq: number;
  first_kept_seq: number | null;
  checkpoint_seq: number;
}

/**
 * Per audit chain of the office: its newest row, the oldest row that must stay (recent, or about
 * a held person or case) and where it begins today.
 */
export async function auditChains(trx: Trx, tenantId: string, cutoff: string, heldPersons: string[], heldCases: string[]): Promise<ChainRow[]> {
  const heldPerson = heldPersons.length > 0 ? sql`OR (a.entity_type = 'person' AND a.entity_id IN (${sql.join(heldPersons)}))` : sql``;
  const heldCase = heldCases.length > 0 ? sql`OR (a.details ->> 'caseId') IN (${sql.join(heldCases)}) OR (a.entity_type = 'case' AND a.entity_id IN (${sql.join(heldCases)}))` : sql``;
  const result = await sql<{ chain: string; max_seq: string; first_kept_seq: string | null; checkpoint_seq: string | null }>`
    SELECT a.chain, max(a.seq)::text AS max_seq,
           (min(a.seq) FILTER (WHERE a.occurred_at >= ${cutoff}::date ${heldPerson} ${heldCase}))::text AS first_kept_seq,
           (SELECT c.seq FROM audit_checkpoints c WHERE c.chain = a.chain)::text AS checkpoint_seq
    FROM audit_log a
    WHERE a.chain LIKE ${`${tenantId}:%`}
    GROUP BY a.chain
    ORDER BY a.chain`.execute(trx);
  return result.rows.map((row) => ({ chain: row.chain, max_seq: Number(row.max_seq), first_kept_seq: row.first_kept_seq === null ? null : Number(row.first_kept_seq), checkpoint_seq: row.checkpoint_seq === null ? 0 : Number(row.checkpoint_seq) }));
}

// --- retention: acting -----------------------------------------------------------------------

/** Empties closed case files: notes, contact log, tasks, documents go; the case keeps its type, dates and outcome. */
export async function purgeCases(trx: Trx, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await trx.deleteFrom('case_events').where('case_id', 'in', caseIds).where('kind', 'in', [...CASE_EVENT_KINDS_REMOVED]).execute();
  await trx.updateTable('case_events').set({ text: null, details: '{}' }).where('case_id', 'in', caseIds).execute();
  await trx.deleteFrom('case_tasks').where('case_id', 'in', caseIds).execute();
  await trx.deleteFrom('documents').where('case_id', 'in', caseIds).execute();
  // The portal's part of the file: the secure messages go, the online application the case came
  // from keeps its form, dates and state but not its answers (nor any paper left behind).
  const p = portal(trx);
  await p.deleteFrom('portal_messages').where('case_id', 'in', caseIds).execute();
  const applications = p.selectFrom('portal_applications').select('id').where('case_id', 'in', caseIds);
  await p.deleteFrom('portal_uploads').where('application_id', 'in', applications).execute();
  await p.updateTable('portal_applications').set({ answers: '{}' }).where('case_id', 'in', caseIds).execute();
  const rows = await trx.selectFrom('cases').select(['id', 'decision']).where('id', 'in', caseIds).execute();
  for (const row of rows) {
    const remains = decisionRemains(row.decision);
    await trx
      .updateTable('cases')
      .set({ fields: '{}', checklist: '{}', pending_decision: null, pending_effects: '[]', decision: remains === null ? null : JSON.stringify(remains), assignee_id: null })
      .where('id', '=', row.id)
      .execute();
  }
}

export async function deletePapers(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length > 0) await trx.deleteFrom('deposited_papers').where('id', 'in', ids).execute();
}

export async function deleteSessions(trx: Trx, idHashes: string[]): Promise<void> {
  if (idHashes.length > 0) await trx.deleteFrom('sessions').where('id_hash', 'in', idHashes).execute();
}

export async function deleteNotifications(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length > 0) await trx.deleteFrom('notifications').where('id', 'in', ids).execute();
}

/**
 * Anonymises a person: identity replaced (rules/anonymise.ts), addresses cleared, own relations,
 * personal documents and document numbers removed, the case files emptied; permits, residence
 * dates and municipalities stay, so the key figures of every past date stay the same.
 */
export async function anonymisePerson(trx: Trx, personId: string): Promise<string[]> {
  const person = await trx.selectFrom('persons').select(['id', 'date_of_birth']).where('id', '=', personId).executeTakeFirstOrThrow();
  await trx.updateTable('persons').set(personAnonymisation({ id: person.id, dateOfBirth: person.date_of_birth })).where('id', '=', personId).execute();
  await trx.updateTable('person_versions').set({ data: JSON.stringify(anonymisedNameData(personId)) }).where('person_id', '=', personId).where('aspect', '=', 'name').execute();
  const nationality = await trx.selectFrom('person_versions').select(['id', 'data']).where('person_id', '=', personId).where('aspect', '=', 'nationality').execute();
  for (const row of nationality) {
    await trx.updateTable('person_versions').set({ data: JSON.stringify(anonymisedNationalityData((row.data ?? {}) as Record<string, unknown>)) }).where('id', '=', row.id).execute();
  }
  await trx.updateTable('person_versions').set({ recorded_by: null }).where('person_id', '=', personId).execute();
  await trx.updateTable('residences').set(RESIDENCE_CLEARED).where('person_id', '=', personId).execute();
  await trx.deleteFrom('person_relations').where('person_id', '=', personId).execute();
  await trx.updateTable('deposited_papers').set({ number: null, designation: '—' }).where('person_id', '=', personId).execute();
  await trx.updateTable('permits').set({ card_number: null, conditions: null }).where('person_id', '=', personId).execute();
  await trx.deleteFrom('documents').where('person_id', '=', personId).where('case_id', 'is', null).execute();
  // Invoices and payments keep their amounts (the office's account needs them, and accounting law
  // keeps them ten years) but no longer say who paid from which account, or why a waiver was asked.
  await sql`UPDATE payments SET debtor_name = NULL, debtor_iban = NULL, remittance_text = NULL, resolution_note = NULL
             WHERE invoice_id IN (SELECT id FROM invoices WHERE person_id = ${personId})`.execute(trx);
  await sql`UPDATE deposits SET waiver_reason = NULL WHERE person_id = ${personId}`.execute(trx);
  await sql`UPDATE deposit_ledger SET note = NULL WHERE person_id = ${personId}`.execute(trx);
  const cases = await trx.selectFrom('cases').select('id').where('person_id', '=', personId).execute();
  const caseIds = cases.map((row) => row.id);
  await purgeCases(trx, caseIds);
  await removePortalData(trx, personId);
  return caseIds;
}

/**
 * The portal's data on an anonymised person: applications (their uploads cascade), messages, share
 * and link codes, expiry notices and the mandates they gave are deleted; accounts linked to them
 * stay (they belong to whoever signed up) but no longer point at the person. Persons are never
 * deleted, so the ON DELETE CASCADE of these tables (migrations 0014, 0016) never fires for them.
 * An application the person sent for a relative opened the relative's case: it stays with that
 * case file, which the closed-case rule empties in its own time.
 */
async function removePortalData(trx: Trx, personId: string): Promise<void> {
  const p = portal(trx);
  await p
    .deleteFrom('portal_applications')
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('case_id', 'is', null), eb.not(eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.id', '=', 'portal_applications.case_id').where('cases.person_id', '<>', personId)))]))
    .execute();
  await p.deleteFrom('portal_messages').where('person_id', '=', personId).execute();
  await p.deleteFrom('share_codes').where('person_id', '=', personId).execute();
  await p.deleteFrom('portal_link_codes').where('person_id', '=', personId).execute();
  await p.deleteFrom('portal_expiry_notices').where('person_id', '=', personId).execute();
  await p.deleteFrom('mandates').where('grantor_person_id', '=', personId).execute();
  await p.updateTable('portal_accounts').set({ person_id: null, person_linked_at: null }).where('person_id', '=', personId).execute();
}

export async function markApplied(trx: Trx, tenantId: string, runId: string, kind: 'closed-case' | 'departed-person', ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await own(trx)
    .insertInto('retention_applied')
    .values(ids.map((id) => ({ tenant_id: tenantId, kind, subject_id: id, run_id: runId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Removes the oldest rows of an audit chain through the controlled path of migration 0009: the
 * checkpoint (sequence and hash of the last removed row) is written first, then the trigger lets
 * exactly the rows at or before it go, and only while this transaction says it is retention.
 */
export async function cutAuditChain(trx: Trx, chain: string, toSeq: number, count: number): Promise<void> {
  await sql`SELECT set_config('mf.audit_retention', 'on', true)`.execute(trx);
  const row = await trx.selectFrom('audit_log').select('hash').where('chain', '=', chain).where('seq', '=', toSeq).executeTakeFirstOrThrow();
  await sql`
    INSERT INTO audit_checkpoints (chain, seq, hash, rows_removed, updated_at) VALUES (${chain}, ${toSeq}, ${row.hash}, ${count}, now())
    ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, rows_removed = audit_checkpoints.rows_removed + EXCLUDED.rows_removed, updated_at = now()`.execute(trx);
  await trx.deleteFrom('audit_log').where('chain', '=', chain).where('seq', '<=', toSeq).execute();
  await sql`SELECT set_config('mf.audit_retention', 'off', true)`.execute(trx);
}

// --- retention: the run reports --------------------------------------------------------------

export async function insertRun(trx: Trx, run: { id: string; tenantId: string; asOf: string; dryRun: boolean; catalogue: string; startedAt: Date; triggeredBy: string; report: unknown }): Promise<void> {
  await own(trx)
    .insertInto('retention_runs')
    .values({ id: run.id, tenant_id: run.tenantId, as_of: run.asOf, dry_run: run.dryRun, catalogue: run.catalogue, started_at: run.startedAt, triggered_by: run.triggeredBy, report: JSON.stringify(run.report) })
    .execute();
}

export async function listRuns(db: Db | Trx, tenantId: string, limit: number) {
  return own(db)
    .selectFrom('retention_runs')
    .select(['id', 'as_of', 'dry_run', 'catalogue', 'started_at', 'finished_at', 'triggered_by', 'report'])
    .where('tenant_id', '=', tenantId)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findRun(db: Db | Trx, tenantId: string, id: string) {
  return own(db)
    .selectFrom('retention_runs')
    .select(['id', 'as_of', 'dry_run', 'catalogue', 'started_at', 'finished_at', 'triggered_by', 'report'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

