import { createHash, randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { appendAudit, appendAuditMany, subjectOf, type AuditEntry, type AuditSubject } from '../../platform/audit/audit.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { MessageParams } from '../../platform/i18n/translate.js';
import { municipalitiesOfTenant } from '../register/index.js';
import { applyEvent, type ApplyContext } from './apply.js';
import { countries } from './countries.js';
import { acknowledgeDelivery, withOrigin } from './outbox.js';
import * as repo from './repository.js';
import { readMessage, UnsupportedEventError } from './rules/ech0020-read.js';
import type { Delivery, Receipt } from './rules/events.js';
import { SUPPORTED_SCHEMAS, validateXml } from './xml-schemas.js';

/**
 * The inbox: every message is validated against the official schemas, then applied to the
 * register in one transaction together with its inbox row and audit row — or, when it cannot be
 * applied, kept in quarantine with its original bytes and the reason in plain words. The
 * (sender, message id) key makes a second delivery of the same message a no-op.
 */

const ECH0020 = 'http://www.ech.ch/xmlns/eCH-0020/3';
const ECH0058 = 'http://www.ech.ch/xmlns/eCH-0058/5';

export interface Office {
  id: string;
  slug: string;
  name: string;
}

export interface IncomingMessage {
  office: Office;
  bytes: Uint8Array;
  channel: repo.Channel;
  /** The partner the transport vouches for (its token, its folder); null when unknown (CLI). */
  partner: repo.PartnerRow | null;
  fileName: string | null;
  /** Who hands the message in (the partner's token, an operator, the folder watcher). */
  context: RequestContext;
}

export interface QuarantineReason {
  code: string;
  params: MessageParams;
  /** E.g. the schema problems with their lines. */
  details: unknown;
}

export type InboxOutcome =
  | { outcome: 'applied'; id: string; messageId: string; senderId: string; eventType: string; eventCount: number; personIds: string[] }
  | { outcome: 'duplicate'; id: string; messageId: string; senderId: string; status: repo.InboxStatus }
  | { outcome: 'quarantined'; id: string; messageId: string; senderId: string; reason: QuarantineReason }
  | { outcome: 'receipt'; id: string; messageId: string; senderId: string; acknowledged: boolean }
  | { outcome: 'tested'; messageId: string; senderId: string; reason: QuarantineReason | null };

/** MigraFlow's eCH-0044 id category for an office's persons. */
export function ownIdCategory(officeSlug: string): string {
  return `MF.${officeSlug}`.slice(0, 20);
}

/**
 * Who applies a message: the partner's token when it came over HTTP (the audit names it), else the
 * system for the folder or the operator's command line. It keeps the office's whole register, not
 * one municipality's, so it has the office-wide reach of a caseworker — and nothing else.
 */
export function exchangeActor(office: Office, label: string, tokenId: string | null = null): Actor {
  return {
    kind: tokenId ? 'token' : 'system',
    id: tokenId ?? 'exchange',
    name: `exchange:${label}`.slice(0, 100),
    displayName: `Datenaustausch ${label}`,
    tenantId: office.id,
    tenantSlug: office.slug,
    tenantName: office.name,
    roles: [{ role: 'caseworker', unitId: null }],
    locale: 'de',
    sessionIdHash: null,
  };
}

export interface Identified {
  standard: string;
  senderId: string;
  messageId: string;
}

const headerPeeker = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

/** Sender and message id of a message that failed the schema, if its header can still be read. */
function peekHeader(text: string | null): { senderId: string; messageId: string } | null {
  if (text === null) return null;
  try {
    const document = headerPeeker.parse(text) as Record<string, Record<string, Record<string, unknown>> | undefined>;
    const header = document.delivery?.deliveryHeader ?? document.eventReport?.header;
    const senderId = header?.senderId;
    const messageId = header?.messageId;
    return typeof senderId === 'string' && typeof messageId === 'string' && messageId.length <= 100 && senderId.length <= 100 ? { senderId, messageId } : null;
  } catch {
    return null;
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function reasonOf(error: AppError): QuarantineReason {
  const { fieldErrors } = error.extensions as { fieldErrors?: unknown };
  return { code: error.code, params: error.params, details: fieldErrors ?? null };
}

/** Validation and reading; a message that fails either goes to quarantine as it is. */
export type Checked = { ok: true; identified: Identified; message: { kind: 'delivery'; delivery: Delivery } | { kind: 'receipt'; receipt: Receipt } } | { ok: false; identified: Identified; reason: QuarantineReason };

export function check(bytes: Uint8Array, partner: repo.PartnerRow | null): Checked {
  const validation = validateXml(bytes);
  // A message is known by its sender and id. The sender is the partner the transport vouches for
  // (its token): whatever a header claims, one partner cannot occupy another's message ids.
  const fallback = (standard: string): Identified => {
    const peeked = peekHeader(validation.text);
    const messageId = peeked && peeked.messageId.length <= 36 ? peeked.messageId : `sha256:${sha256(bytes)}`;
    return { standard, senderId: partner?.participant_id ?? peeked?.senderId ?? 'unknown', messageId };
  };
  const supported = SUPPORTED_SCHEMAS.filter((s) => s.standard === 'eCH-0020' || s.standard === 'eCH-0058').map((s) => `${s.standard} v${s.version}`).join(', ');
  if (!validation.valid && !validation.wellFormed) {
    const first = validation.problems[0];
    return { ok: false, identified: fallback('unknown'), reason: { code: 'exchange-not-xml', params: { problem: first?.message ?? '' }, details: validation.problems } };
  }
  const root = validation.root!;
  const standard = root.namespace === ECH0020 && root.name === 'delivery' ? 'eCH-0020' : root.namespace === ECH0058 && root.name === 'eventReport' ? 'eCH-0058' : null;
  if (!standard) return { ok: false, identified: fallback('unknown'), reason: { code: 'exchange-unsupported-standard', params: { root: `{${root.namespace}}${root.name}`, supported }, details: null } };
  if (!validation.valid) {
    const first = validation.problems[0]!;
    return { ok: false, identified: fallback(standard), reason: { code: 'exchange-schema-invalid', params: { count: validation.problems.length, line: first.line, problem: first.message }, details: validation.problems } };
  }
  let message: ReturnType<typeof readMessage>;
  try {
    message = readMessage(validation.text, countries());
  } catch (error) {
    // Valid eCH-0020, but an event MigraFlow leaves to a person (e.g. a change of religion).
    if (error instanceof UnsupportedEventError) return { ok: false, identified: fallback(standard), reason: { code: 'exchange-unsupported-event', params: { event: error.eventName }, details: null } };
    throw error;
  }
  const header = message.kind === 'delivery' ? message.delivery.header : message.receipt.header;
  const identified = { standard, senderId: partner?.participant_id ?? header.senderId, messageId: header.messageId };
  if (partner && header.senderId !== partner.participant_id) {
    return { ok: false, identified, reason: { code: 'exchange-sender-mismatch', params: { sender: header.senderId, participant: partner.participant_id }, details: null } };
  }
  return { ok: true, identified, message };
}

/** The eCH-0020 event name of a delivery, and how many person events it carries. */
function eventOf(delivery: Delivery): { type: string; count: number } {
  return { type: delivery.event.type, count: delivery.event.type === 'baseDelivery' ? delivery.event.entries.length : 1 };
}

const municipalitiesOfTransaction = new WeakMap<Trx, Promise<Map<number, string>>>();

/** The office's municipalities, read once per transaction (a batch of messages needs them for each). */
function officeMunicipalities(trx: Trx, officeId: string): Promise<Map<number, string>> {
  let municipalities = municipalitiesOfTransaction.get(trx);
  if (!municipalities) {
    municipalities = municipalitiesOfTenant(trx, officeId).then((rows) => new Map(rows.map((m) => [m.bfs, m.name])));
    municipalitiesOfTransaction.set(trx, municipalities);
  }
  return municipalities;
}

export async function applyContextOf(trx: Trx, message: IncomingMessage, delivery: Delivery): Promise<ApplyContext> {
  const municipalities = await officeMunicipalities(trx, message.office.id);
  return { context: message.context, tenantId: message.office.id, ownCategory: ownIdCategory(message.office.slug), municipalities, eventDate: delivery.header.eventDate ?? delivery.header.messageDate.slice(0, 10) };
}

/** Thrown inside the test transaction to roll a test delivery back after it applied cleanly. */
class TestRollback extends Error {}

/**
 * Serialisation failures, deadlocks and a race on a unique key (two messages creating one person
 * at the same moment: the retry sees the winner's row) are worth another try; anything else is a verdict.
 */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40001' || code === '40P01' || code === '23505';
}

export async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 3 || !isTransient(error)) throw error;
    }
  }
}

export async function receiveMessage(db: Db, message: IncomingMessage): Promise<InboxOutcome> {
  const checked = check(message.bytes, message.partner);
  const { identified } = checked;
  if (!checked.ok) return quarantine(db, message, identified, checked.reason, null);

  if (checked.message.kind === 'receipt') return takeReceipt(db, message, identified, checked.message.receipt);
  const delivery = checked.message.delivery;
  const event = eventOf(delivery);

  if (delivery.header.testDelivery) {
    // eCH-0058 test deliveries must not change production data: applied, then rolled back.
    try {
      await inTransaction(db, async (trx) => {
        await applyEvent(trx, await applyContextOf(trx, message, delivery), delivery.event);
        throw new TestRollback();
      });
    } catch (error) {
      if (error instanceof TestRollback) return { outcome: 'tested', messageId: identified.messageId, senderId: identified.senderId, reason: null };
      if (error instanceof AppError) return { outcome: 'tested', messageId: identified.messageId, senderId: identified.senderId, reason: reasonOf(error) };
      throw error;
    }
  }

  return storeAndApply(db, message, identified, event, applierOf(message, delivery));
}

/** Raised inside a transaction when the message turns out to be stored already: the work rolls back. */
class SeenBefore extends Error {}

function inboxRow(
  message: IncomingMessage,
  identified: Identified,
  event: { type: string | null; count: number },
  personIds: string[],
  outcome: { status: repo.InboxStatus; reason: QuarantineReason | null } = { status: 'applied', reason: null },
): repo.NewInboxRow {
  return {
    tenant_id: message.office.id,
    partner_id: message.partner?.id ?? null,
    channel: message.channel,
    standard: identified.standard,
    sender_id: identified.senderId,
    message_id: identified.messageId,
    event_type: event.type,
    event_count: event.count,
    status: outcome.status,
    reason_code: outcome.reason?.code ?? null,
    reason_details: outcome.reason ? { params: outcome.reason.params, details: outcome.reason.details } : null,
    body: message.bytes,
    body_sha256: sha256(message.bytes),
    file_name: message.fileName,
    person_ids: personIds,
  };
}

function appliedAuditEntry(message: IncomingMessage, identified: Identified, event: { type: string; count: number }, id: string, personIds: string[]) {
  return {
    action: 'exchange.apply',
    entityType: personIds.length === 1 ? 'person' : 'exchange-message',
    entityId: personIds.length === 1 ? personIds[0]! : id,
    details: { inboxId: id, messageId: identified.messageId, senderId: identified.senderId, event: event.type, channel: message.channel, file: message.fileName, persons: personIds.length, results: personIds.slice(0, 1000) },
  };
}

function appliedOutcome(identified: Identified, event: { type: string; count: number }, id: string, personIds: string[]): InboxOutcome {
  return { outcome: 'applied', id, messageId: identified.messageId, senderId: identified.senderId, eventType: event.type, eventCount: event.count, personIds };
}

async function auditApplied(trx: Trx, message: IncomingMessage, identified: Identified, event: { type: string; count: number }, id: string, personIds: string[]): Promise<InboxOutcome> {
  await appendAudit(trx, subjectOf(message.context.actor, message.context.requestId), appliedAuditEntry(message, identified, event, id, personIds));
  return appliedOutcome(identified, event, id, personIds);
}

/**
 * Stores the message and applies it, in one transaction with its audit row. The inbox row goes in
 * first: a second delivery of the same message — also one racing this one — waits on it and finds
 * it stored, and nothing is applied twice. What cannot be applied rolls back whole and goes to
 * quarantine with the reason.
 */
export async function storeAndApply(db: Db, message: IncomingMessage, identified: Identified, event: { type: string; count: number }, apply: (trx: Trx) => Promise<string[]>): Promise<InboxOutcome> {
  try {
    return await retrying(() =>
      inTransaction(db, async (trx): Promise<InboxOutcome> => {
        const id = await repo.insertInbox(trx, inboxRow(message, identified, event, []));
        if (id === null) throw new SeenBefore();
        const personIds = [...new Set(await apply(trx))];
        if (personIds.length > 0) await repo.updateInbox(trx, id, null, { person_ids: personIds });
        return auditApplied(trx, message, identified, event, id, personIds);
      }),
    );
  } catch (error) {
    if (error instanceof SeenBefore) return duplicateOf(db, message.office.id, identified);
    if (error instanceof AppError) return quarantine(db, message, identified, reasonOf(error), event);
    throw error;
  }
}

/** Messages of one delivery run (a drop folder, a command line import) that are ready to apply. */
interface Ready {
  index: number;
  message: IncomingMessage;
  identified: Identified;
  delivery: Delivery;
  event: { type: string; count: number };
}

function applierOf(message: IncomingMessage, delivery: Delivery): (trx: Trx) => Promise<string[]> {
  return (trx) => withOrigin(message.partner?.id ?? null, async () => applyEvent(trx, await applyContextOf(trx, message, delivery), delivery.event));
}

/**
 * Many messages at once (the drop folder, an import): each is applied as a whole or not at all,
 * as alone, but a run of them shares one commit — the disk flush a commit waits for is what limits
 * one-by-one ingestion. When any message of the run cannot be applied, the run rolls back and its
 * messages go through one by one, so that each gets its own outcome. Nothing is half-applied.
 */
export async function receiveBatch(db: Db, messages: IncomingMessage[]): Promise<InboxOutcome[]> {
  const outcomes: InboxOutcome[] = new Array<InboxOutcome>(messages.length);
  const ready: Ready[] = [];
  const single: number[] = [];
  messages.forEach((message, index) => {
    const checked = check(message.bytes, message.partner);
    if (checked.ok && checked.message.kind === 'delivery' && !checked.message.delivery.header.testDelivery) {
      ready.push({ index, message, identified: checked.identified, delivery: checked.message.delivery, event: eventOf(checked.message.delivery) });
    } else {
      single.push(index);
    }
  });
  // Messages stored before, and a second copy within the run, take the careful path.
  const keys = new Set<string>();
  const seen = ready.length === 0 ? [] : await repo.storedMessages(db, messages[0]!.office.id, ready.map((r) => ({ senderId: r.identified.senderId, messageId: r.identified.messageId })));
  const known = new Set(seen.map((s) => `${s.sender_id}\u0000${s.message_id}`));
  const fresh = ready.filter((r) => {
    const key = `${r.identified.senderId}\u0000${r.identified.messageId}`;
    const take = !known.has(key) && !keys.has(key);
    keys.add(key);
    if (!take) single.push(r.index);
    return take;
  });
  if (fresh.length > 0) {
    // One request id for the run: its audit rows go to one chain (chains are chosen by request id),
    // so runs side by side do not wait for each other's chain heads.
    const run = `run:${randomUUID()}`;
    try {
      const applied = await inTransaction(db, async (trx) => {
        const results: InboxOutcome[] = [];
        const rows: { id: string; row: repo.NewInboxRow }[] = [];
        const audits: { subject: AuditSubject; entry: AuditEntry }[] = [];
        for (const entry of fresh) {
          const item = { ...entry, message: { ...entry.message, context: { ...entry.message.context, requestId: run } } };
          const personIds = [...new Set(await applierOf(item.message, item.delivery)(trx))];
          const id = randomUUID();
          rows.push({ id, row: inboxRow(item.message, item.identified, item.event, personIds) });
          audits.push({ subject: subjectOf(item.message.context.actor, run), entry: appliedAuditEntry(item.message, item.identified, item.event, id, personIds) });
          results.push(appliedOutcome(item.identified, item.event, id, personIds));
        }
        // Checked as unknown before the run, the inbox rows and their audit rows go in at the end,
        // two statements for the run; a row that meanwhile arrived another way undoes the run.
        if ((await repo.insertInboxRows(trx, rows)) !== rows.length) throw new SeenBefore();
        await appendAuditMany(trx, audits);
        return results;
      });
      fresh.forEach((item, position) => (outcomes[item.index] = applied[position]!));
    } catch (error) {
      // A message that cannot be applied, one that arrived meanwhile by another way, a race on a
      // unique key (two copies creating one person): the careful path gives each its own outcome.
      if (!(error instanceof AppError || error instanceof SeenBefore || isTransient(error))) throw error;
      for (const item of fresh) outcomes[item.index] = await storeAndApply(db, item.message, item.identified, item.event, applierOf(item.message, item.delivery));
    }
  }
  for (const index of single.sort((a, b) => a - b)) outcomes[index] = await receiveMessage(db, messages[index]!);
  return outcomes;
}

async function duplicateOf(db: Db | Trx, tenantId: string, identified: Identified): Promise<InboxOutcome> {
  const existing = await repo.findInboxByMessage(db, tenantId, identified.senderId, identified.messageId);
  if (!existing) throw new Error('duplicate message vanished');
  return { outcome: 'duplicate', id: existing.id, messageId: identified.messageId, senderId: identified.senderId, status: existing.status };
}

export async function quarantine(db: Db, message: IncomingMessage, identified: Identified, reason: QuarantineReason, event: { type: string; count: number } | null): Promise<InboxOutcome> {
  return inTransaction(db, async (trx): Promise<InboxOutcome> => {
    const id = await repo.insertInbox(trx, inboxRow(message, identified, event ?? { type: null, count: 0 }, [], { status: 'quarantined', reason }));
    if (id === null) return duplicateOf(trx, message.office.id, identified);
    await appendAudit(trx, subjectOf(message.context.actor, message.context.requestId), {
      action: 'exchange.quarantine',
      entityType: 'exchange-message',
      entityId: id,
      details: { messageId: identified.messageId, senderId: identified.senderId, reason: reason.code, channel: message.channel },
    });
    return { outcome: 'quarantined', id, messageId: identified.messageId, senderId: identified.senderId, reason };
  });
}

/** A partner's receipt for one of our messages: the delivery is done (or failed) only now. */
async function takeReceipt(db: Db, message: IncomingMessage, identified: Identified, receipt: Receipt): Promise<InboxOutcome> {
  return inTransaction(db, async (trx): Promise<InboxOutcome> => {
    const id = await repo.insertInbox(trx, inboxRow(message, identified, { type: receipt.positive ? 'positiveReport' : 'negativeReport', count: 0 }, [], { status: 'receipt', reason: null }));
    if (id === null) return duplicateOf(trx, message.office.id, identified);
    // Only the partner a message went to can settle it.
    const acknowledged = receipt.header.referenceMessageId && message.partner
      ? await acknowledgeDelivery(trx, message.office.id, message.partner.id, receipt.header.referenceMessageId, receipt.positive ? null : receipt.notice)
      : false;
    await appendAudit(trx, subjectOf(message.context.actor, message.context.requestId), {
      action: 'exchange.receipt',
      entityType: 'exchange-message',
      entityId: id,
      details: { messageId: identified.messageId, senderId: identified.senderId, reference: receipt.header.referenceMessageId, positive: receipt.positive, matched: acknowledged },
    });
    return { outcome: 'receipt', id, messageId: identified.messageId, senderId: identified.senderId, acknowledged };
  });
}
