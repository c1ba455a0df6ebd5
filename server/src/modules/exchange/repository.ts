import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';

/** The exchange module's tables (migration 0011); only this file touches them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type ExchangePartnersTable = {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  participant_id: string;
  transport: 'http' | 'folder' | 'none';
  endpoint_url: string | null;
  folder_path: string | null;
  outbound_token_sealed: string | null;
  api_token_id: string | null;
  events: ColumnType<string[], string[] | undefined, string[]>;
  municipalities: number[] | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export type InboxStatus = 'applied' | 'quarantined' | 'rejected' | 'receipt';
export type Channel = 'http' | 'folder' | 'cli';

export type ExchangeInboxTable = {
  id: Generated<string>;
  tenant_id: string;
  partner_id: string | null;
  channel: Channel;
  standard: string;
  sender_id: string;
  message_id: string;
  event_type: string | null;
  event_count: Generated<number>;
  status: InboxStatus;
  reason_code: string | null;
  reason_details: Json | null;
  body: Uint8Array;
  body_sha256: string;
  file_name: string | null;
  person_ids: ColumnType<string[], string[] | undefined, string[]>;
  received_at: Generated<Date>;
  processed_at: Timestamp;
  attempts: Generated<number>;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  version: Generated<number>;
}

export type OutboxStatus = 'pending' | 'sent' | 'acknowledged' | 'failed';

export type ExchangeOutboxTable = {
  id: Generated<string>;
  tenant_id: string;
  partner_id: string;
  message_id: string;
  event_type: string;
  person_id: string | null;
  body: Uint8Array;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  acknowledged_at: Date | null;
  created_at: Generated<Date>;
}

export type ExchangeTables = {
  exchange_partners: ExchangePartnersTable;
  exchange_inbox: ExchangeInboxTable;
  exchange_outbox: ExchangeOutboxTable;
}

export function own(db: Db | Trx) {
  return db.withTables<ExchangeTables>();
}

export type PartnerRow = Selectable<ExchangePartnersTable>;
export type InboxRow = Selectable<ExchangeInboxTable>;
export type OutboxRow = Selectable<ExchangeOutboxTable>;

// --- partners ------------------------------------------------------------------------------------

export async function partnersOf(db: Db | Trx, tenantId: string): Promise<PartnerRow[]> {
  return own(db).selectFrom('exchange_partners').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function findPartner(db: Db | Trx, tenantId: string, id: string): Promise<PartnerRow | undefined> {
  return own(db).selectFrom('exchange_partners').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function partnerOfToken(db: Db | Trx, tenantId: string, apiTokenId: string): Promise<PartnerRow | undefined> {
  return own(db).selectFrom('exchange_partners').selectAll().where('tenant_id', '=', tenantId).where('api_token_id', '=', apiTokenId).where('active', '=', true).executeTakeFirst();
}

export async function partnerByParticipant(db: Db | Trx, tenantId: string, participantId: string): Promise<PartnerRow | undefined> {
  return own(db).selectFrom('exchange_partners').selectAll().where('tenant_id', '=', tenantId).where('participant_id', '=', participantId).executeTakeFirst();
}

/** Active partners that receive anything; read once per transaction (a batch of messages asks for each). */
const partnersOfTransaction = new WeakMap<Trx, Promise<PartnerRow[]>>();

export function activeSubscribers(trx: Trx, tenantId: string): Promise<PartnerRow[]> {
  let partners = partnersOfTransaction.get(trx);
  if (!partners) {
    partners = own(trx).selectFrom('exchange_partners').selectAll().where('tenant_id', '=', tenantId).where('active', '=', true).where('transport', '<>', 'none').where(sql<boolean>`cardinality(events) > 0`).execute();
    partnersOfTransaction.set(trx, partners);
  }
  return partners;
}

// --- inbox ---------------------------------------------------------------------------------------

export type NewInboxRow = Omit<ExchangeInboxTable, 'id' | 'event_count' | 'received_at' | 'processed_at' | 'attempts' | 'version' | 'resolved_by' | 'resolved_at' | 'resolution_note' | 'person_ids' | 'reason_details'> & {
  event_count: number;
  person_ids: string[];
  reason_details: unknown;
};

/** Inserts the message unless one with the same sender and id is there; null then (a duplicate). */
export async function insertInbox(trx: Trx, row: NewInboxRow): Promise<string | null> {
  const inserted = await own(trx)
    .insertInto('exchange_inbox')
    .values({ ...row, reason_details: row.reason_details === null ? null : JSON.stringify(row.reason_details), processed_at: new Date() })
    .onConflict((oc) => oc.columns(['tenant_id', 'sender_id', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** Many inbox rows in one statement; returns how many went in (fewer: some were stored already). */
export async function insertInboxRows(trx: Trx, rows: { id: string; row: NewInboxRow }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await own(trx)
    .insertInto('exchange_inbox')
    .values(rows.map(({ id, row }) => ({ ...row, id, reason_details: row.reason_details === null ? null : JSON.stringify(row.reason_details), processed_at: new Date() })))
    .onConflict((oc) => oc.columns(['tenant_id', 'sender_id', 'message_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function findInboxByMessage(db: Db | Trx, tenantId: string, senderId: string, messageId: string) {
  return own(db).selectFrom('exchange_inbox').select(['id', 'status', 'reason_code', 'event_type', 'received_at']).where('tenant_id', '=', tenantId).where('sender_id', '=', senderId).where('message_id', '=', messageId).executeTakeFirst();
}

/** Which of these (sender, message id) pairs are stored already. */
export async function storedMessages(db: Db | Trx, tenantId: string, keys: { senderId: string; messageId: string }[]) {
  if (keys.length === 0) return [];
  return own(db)
    .selectFrom('exchange_inbox')
    .select(['sender_id', 'message_id'])
    .where('tenant_id', '=', tenantId)
    .where('message_id', 'in', keys.map((k) => k.messageId))
    .execute()
    .then((rows) => rows.filter((row) => keys.some((k) => k.senderId === row.sender_id && k.messageId === row.message_id)));
}

export async function findInbox(db: Db | Trx, tenantId: string, id: string): Promise<InboxRow | undefined> {
  return own(db).selectFrom('exchange_inbox').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function updateInbox(trx: Trx, id: string, expectedVersion: number | null, set: Partial<{ status: InboxStatus; reason_code: string | null; reason_details: unknown; person_ids: string[]; event_type: string | null; event_count: number; resolved_by: string; resolution_note: string | null }>): Promise<boolean> {
  const { reason_details: details, ...rest } = set;
  let query = own(trx)
    .updateTable('exchange_inbox')
    .set({ ...rest, ...(details === undefined ? {} : { reason_details: details === null ? null : JSON.stringify(details) }), processed_at: new Date(), resolved_at: set.resolved_by ? new Date() : undefined, attempts: sql`attempts + 1`, version: sql`version + 1` })
    .where('id', '=', id);
  if (expectedVersion !== null) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface InboxFilter {
  status: InboxStatus | null;
  partnerId: string | null;
  /** Keyset: the last row of the previous page. */
  after: { at: Date; id: string } | null;
  limit: number;
}

/** The inbox newest first, without the message bodies. */
export async function listInbox(db: Db | Trx, tenantId: string, filter: InboxFilter) {
  let query = own(db)
    .selectFrom('exchange_inbox as i')
    .leftJoin('exchange_partners as p', 'p.id', 'i.partner_id')
    .select(['i.id', 'i.channel', 'i.standard', 'i.sender_id', 'i.message_id', 'i.event_type', 'i.event_count', 'i.status', 'i.reason_code', 'i.reason_details', 'i.file_name', 'i.person_ids', 'i.received_at', 'i.processed_at', 'i.attempts', 'i.resolved_by', 'i.resolved_at', 'i.resolution_note', 'i.version', 'i.partner_id', 'p.name as partner_name', sql<number>`octet_length(i.body)`.as('size')])
    .where('i.tenant_id', '=', tenantId);
  if (filter.status) query = query.where('i.status', '=', filter.status);
  if (filter.partnerId) query = query.where('i.partner_id', '=', filter.partnerId);
  if (filter.after) {
    const after = filter.after;
    query = query.where((eb) => eb.or([eb('i.received_at', '<', after.at), eb.and([eb('i.received_at', '=', after.at), eb('i.id', '<', after.id)])]));
  }
  return query.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(filter.limit + 1).execute();
}

export async function inboxCounts(db: Db | Trx, tenantId: string): Promise<Record<InboxStatus, number>> {
  const rows = await own(db).selectFrom('exchange_inbox').select(['status', sql<number>`count(*)::int`.as('count')]).where('tenant_id', '=', tenantId).groupBy('status').execute();
  const counts: Record<InboxStatus, number> = { applied: 0, quarantined: 0, rejected: 0, receipt: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

// --- outbox --------------------------------------------------------------------------------------

export async function insertOutbox(trx: Trx, rows: { tenant_id: string; partner_id: string; message_id: string; event_type: string; person_id: string | null; body: Uint8Array; status?: OutboxStatus; last_error?: string; last_attempt_at?: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  await own(trx).insertInto('exchange_outbox').values(rows).execute();
}

export async function findOutbox(db: Db | Trx, tenantId: string, id: string): Promise<OutboxRow | undefined> {
  return own(db).selectFrom('exchange_outbox').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export interface OutboxFilter {
  status: OutboxStatus | null;
  partnerId: string | null;
  after: { at: Date; id: string } | null;
  limit: number;
}

export async function listOutbox(db: Db | Trx, tenantId: string, filter: OutboxFilter) {
  let query = own(db)
    .selectFrom('exchange_outbox as o')
    .innerJoin('exchange_partners as p', 'p.id', 'o.partner_id')
    .select(['o.id', 'o.partner_id', 'p.name as partner_name', 'p.participant_id', 'o.message_id', 'o.event_type', 'o.person_id', 'o.status', 'o.attempts', 'o.next_attempt_at', 'o.last_attempt_at', 'o.last_error', 'o.sent_at', 'o.acknowledged_at', 'o.created_at'])
    .where('o.tenant_id', '=', tenantId);
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.partnerId) query = query.where('o.partner_id', '=', filter.partnerId);
  if (filter.after) {
    const after = filter.after;
    query = query.where((eb) => eb.or([eb('o.created_at', '<', after.at), eb.and([eb('o.created_at', '=', after.at), eb('o.id', '<', after.id)])]));
  }
  return query.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(filter.limit + 1).execute();
}

/** Per partner: how many messages wait, wait for a receipt, failed, and when the last was acknowledged. */
export async function outboxSummary(db: Db | Trx, tenantId: string) {
  return own(db)
    .selectFrom('exchange_outbox')
    .select([
      'partner_id',
      sql<number>`count(*) FILTER (WHERE status = 'pending')::int`.as('pending'),
      sql<number>`count(*) FILTER (WHERE status = 'sent')::int`.as('sent'),
      sql<number>`count(*) FILTER (WHERE status = 'failed')::int`.as('failed'),
      sql<number>`count(*) FILTER (WHERE status = 'acknowledged')::int`.as('acknowledged'),
      sql<Date | null>`max(acknowledged_at)`.as('last_acknowledged_at'),
    ])
    .where('tenant_id', '=', tenantId)
    .groupBy('partner_id')
    .execute();
}
