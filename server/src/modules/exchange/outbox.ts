import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db, Trx } from '../../platform/db/transaction.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { unseal } from '../access/index.js';
import { externalIdsOf, municipalitiesOfTenant, residencesOf, type PersonRow, type RegisterChange } from '../register/index.js';
import { permitRowsOfPersons } from '../permits/index.js';
import { countries } from './countries.js';
import { dwellingOf, municipalityOf, officeCodes, personDataOf, personKeyOf, placeOfText, residenceOf, withCanton, type OfficeCodes } from './outgoing.js';
import * as repo from './repository.js';
import { nextAttempt } from './rules/delivery.js';
import { ECH0020_MESSAGE_TYPE, writeDelivery, writeReceipt } from './rules/ech0020-write.js';
import { readMessage } from './rules/ech0020-read.js';
import type { Header, RegisterEvent } from './rules/events.js';
import { validateXml } from './xml-schemas.js';
import { VERSION } from '../../version.js';

/**
 * The outbox: register changes become eCH-0020 messages for the partners that subscribed to them,
 * written in the same transaction as the change (nothing is sent for a change that rolled back,
 * nothing is lost for one that committed). A deliverer sends them with retries and backoff and
 * marks a message done only when the partner acknowledged it.
 */

// The partner a message being applied came from: it is not told about its own change again.
const origin = new AsyncLocalStorage<{ partnerId: string | null }>();

export function withOrigin<T>(partnerId: string | null, work: () => Promise<T>): Promise<T> {
  return origin.run({ partnerId }, work);
}

/** The participant id MigraFlow sends as (eCH-0058 senderId); configurable per office in settings. */
export async function ownParticipantId(db: Db | Trx, tenantId: string): Promise<string> {
  const tenant = await db.selectFrom('tenants').select(['slug', 'settings']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const configured = (tenant.settings as { exchange?: { participantId?: unknown } } | null)?.exchange?.participantId;
  return typeof configured === 'string' && configured.length > 0 ? configured : `migraflow-${tenant.slug}`;
}

function headerFor(sender: string, recipient: string, eventDate: string | null, messageId: string): Header {
  return {
    senderId: sender,
    recipientIds: [recipient],
    messageId,
    referenceMessageId: null,
    messageType: ECH0020_MESSAGE_TYPE,
    messageDate: new Date().toISOString().slice(0, 19),
    eventDate,
    action: 1,
    testDelivery: false,
    sendingApplication: { manufacturer: 'MigraFlow', product: 'MigraFlow', productVersion: VERSION.slice(0, 10) },
  };
}

/** Which eCH-0020 event reports a register change. */
function eventTypeOf(change: RegisterChange, person: PersonRow): RegisterEvent['type'] {
  switch (change.kind) {
    case 'arrival':
      return 'moveIn';
    case 'move':
      return 'move';
    case 'departure':
      return 'moveOut';
    case 'death':
      return 'death';
    case 'identity': {
      const fields = new Set(change.fields);
      if (fields.has('civilStatus')) {
        if (change.correction) return 'correctMaritalInfo';
        const byStatus = { married: 'marriage', 'registered-partnership': 'partnership', divorced: 'divorce', 'dissolved-partnership': 'undoPartnership' } as const;
        return byStatus[person.civil_status as keyof typeof byStatus] ?? 'correctMaritalInfo';
      }
      if (fields.has('nationality')) return person.nationality === 'CH' && !change.correction ? 'naturalizeForeigner' : change.correction ? 'correctNationality' : 'changeNationality';
      if (fields.has('ahvn13') || fields.has('sex') || fields.has('dateOfBirth')) return 'correctIdentification';
      return change.correction ? 'correctName' : 'changeName';
    }
  }
}

/** The event of a change, built from the register as it is now (inside the change's transaction). */
async function eventOf(trx: Trx, codes: OfficeCodes, change: RegisterChange, type: RegisterEvent['type'], person: PersonRow): Promise<{ event: RegisterEvent; municipality: number | null } | null> {
  const ids = (await externalIdsOf(trx, [person.id])).get(person.id) ?? [];
  const key = personKeyOf(codes, person, ids);
  const residences = await residencesOf(trx, person.id);
  const today = new Date().toISOString().slice(0, 10);
  // Where the person lives, or last lived: a partner that asked for some municipalities hears of them only there.
  const lastMunicipality = (residences.filter((r) => r.departure_date === null).at(-1) ?? residences.at(-1))?.municipality_bfs ?? null;
  switch (change.kind) {
    case 'arrival': {
      const residence = residences.find((r) => r.id === change.residenceId);
      if (!residence) return null;
      const data = personDataOf(codes, person, ids, await permitRowsOfPersons(trx, [person.id]), today);
      return { event: { type: 'moveIn', person: data, residence: { ...residenceOf(codes, residence), departureDate: null, goesTo: null } }, municipality: residence.municipality_bfs };
    }
    case 'move': {
      const residence = residences.find((r) => r.id === change.residenceId);
      if (!residence) return null;
      return { event: { type: 'move', person: key, municipality: municipalityOf(codes, residence.municipality_bfs, residence.municipality_name), dwelling: dwellingOf(residence, change.date) }, municipality: residence.municipality_bfs };
    }
    case 'departure': {
      // The ended residence is the one that now carries the departure date.
      const ended = residences.find((r) => r.departure_date === change.date);
      if (!ended) return null;
      return { event: { type: 'moveOut', person: key, municipality: municipalityOf(codes, ended.municipality_bfs, ended.municipality_name), departureDate: change.date, goesTo: placeOfText(codes, change.departedTo) }, municipality: ended.municipality_bfs };
    }
    case 'death':
      return { event: { type: 'death', person: key, dateOfDeath: change.date }, municipality: lastMunicipality };
    case 'identity': {
      const municipality = lastMunicipality;
      const names = { officialName: person.official_name, firstNames: person.first_names, callName: person.call_name, maidenName: person.maiden_name, allianceName: person.alliance_name, aliasName: person.alias_name, nameInForeignPassport: person.name_in_foreign_passport };
      switch (type) {
        case 'marriage':
        case 'partnership':
        case 'divorce':
        case 'undoPartnership':
        case 'undoMarriage':
        case 'correctMaritalInfo':
          return { event: { type, person: key, civilStatus: person.civil_status, date: person.civil_status_date ?? change.date }, municipality };
        case 'naturalizeForeigner':
          return { event: { type, person: key, placesOfOrigin: person.place_of_origin ? person.place_of_origin.split(', ').map((place) => withCanton(codes, place)) : [], validFrom: change.date }, municipality };
        case 'changeNationality':
        case 'correctNationality':
          return { event: { type, person: key, nationality: person.nationality, validFrom: change.date }, municipality };
        case 'correctIdentification':
          return { event: { type, person: key, corrected: key }, municipality };
        default:
          return { event: { type: change.correction ? 'correctName' : 'changeName', person: key, names, validFrom: change.date }, municipality };
      }
    }
  }
}

/** Subscribed to the register's changes by the composition root. */
export async function enqueueForChange(trx: Trx, context: RequestContext, change: RegisterChange): Promise<void> {
  const tenantId = context.actor.tenantId;
  const from = origin.getStore()?.partnerId ?? null;
  // Most changes concern no partner: one cheap look (once per transaction) before anything else.
  const candidates = (await repo.activeSubscribers(trx, tenantId)).filter((p) => p.id !== from);
  if (candidates.length === 0) return;
  const person = await trx.selectFrom('persons').selectAll().where('id', '=', change.personId).executeTakeFirst();
  if (!person) return;
  const type = eventTypeOf(change, person);
  const partners = candidates.filter((p) => p.events.includes(type));
  if (partners.length === 0) return;
  const municipalities = new Map((await municipalitiesOfTenant(trx, tenantId)).map((m) => [m.bfs, m.name]));
  const codes = await officeCodes(trx, tenantId, `MF.${context.actor.tenantSlug}`.slice(0, 20), municipalities, countries());
  const built = await eventOf(trx, codes, change, type, person);
  if (!built) return;
  const sender = await ownParticipantId(trx, tenantId);
  const rows = partners
    .filter((p) => p.municipalities === null || (built.municipality !== null && p.municipalities.includes(built.municipality)))
    .map((partner) => {
      const messageId = randomUUID();
      const row = { tenant_id: tenantId, partner_id: partner.id, message_id: messageId, event_type: type, person_id: person.id };
      try {
        const body = Buffer.from(writeDelivery({ header: headerFor(sender, partner.participant_id, change.date, messageId), event: built.event }, codes.countries));
        // What goes out is checked like what comes in.
        const validation = validateXml(body);
        if (!validation.valid) throw new Error(`not valid against the eCH schemas: ${validation.problems[0]?.message ?? ''}`);
        return { ...row, body };
      } catch (error) {
        // The register change stands; the message that cannot be written waits, failed and visible, for an operator.
        return { ...row, body: Buffer.alloc(0), status: 'failed' as const, last_attempt_at: new Date(), last_error: `could not be written: ${(error as Error).message}`.slice(0, 2000) };
      }
    });
  await repo.insertOutbox(trx, rows);
}

/** A partner's receipt: positive marks our message acknowledged, negative marks it failed with the partner's words. */
export async function acknowledgeDelivery(trx: Trx, tenantId: string, partnerId: string, messageId: string, refusal: string | null): Promise<boolean> {
  const result = await repo
    .own(trx)
    .updateTable('exchange_outbox')
    .set(refusal === null ? { status: 'acknowledged', acknowledged_at: new Date(), last_error: null } : { status: 'failed', last_error: `refused by the partner: ${refusal}`.slice(0, 2000) })
    .where('tenant_id', '=', tenantId)
    .where('partner_id', '=', partnerId)
    .where('message_id', '=', messageId)
    .where('status', 'in', ['pending', 'sent'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A negative receipt to the sender of a message an operator rejected (eCH-0058 action 8). */
export async function enqueueRejection(trx: Trx, tenantId: string, partner: repo.PartnerRow, referenceMessageId: string, notice: string): Promise<void> {
  const sender = await ownParticipantId(trx, tenantId);
  const messageId = randomUUID();
  const xml = writeReceipt({
    header: { ...headerFor(sender, partner.participant_id, null, messageId), referenceMessageId, messageType: 'http://www.ech.ch/xmlns/eCH-0058/5', action: 8 },
    positive: false,
    notice,
  });
  await repo.insertOutbox(trx, [{ tenant_id: tenantId, partner_id: partner.id, message_id: messageId, event_type: 'negativeReport', person_id: null, body: Buffer.from(xml) }]);
}

// --- delivery ------------------------------------------------------------------------------------

export interface DeliveryOptions {
  /** Secret the partners' outbound tokens are sealed with (SESSION_SECRET). */
  secret: string;
  batchSize?: number;
  /** For tests: the clock. */
  now?: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type Attempt = { status: 'acknowledged' } | { status: 'sent' } | { status: 'retry'; error: string } | { status: 'failed'; error: string };

/** What a partner's HTTP answer means: a receipt decides; a bare 2xx is "taken, receipt to follow". */
function interpretAnswer(status: number, contentType: string, body: string, messageId: string): Attempt {
  if (status >= 200 && status < 300 || status === 422) {
    if (contentType.includes('xml') && body.length > 0) {
      try {
        const answer = readMessage(body, countries());
        if (answer.kind === 'receipt' && answer.receipt.header.referenceMessageId === messageId) {
          return answer.receipt.positive ? { status: 'acknowledged' } : { status: 'failed', error: `refused by the partner: ${answer.receipt.notice}` };
        }
      } catch {
        // Not a receipt we can read: judged by the status code below.
      }
    }
    if (contentType.includes('json')) {
      try {
        const answer = JSON.parse(body) as { outcome?: unknown; detail?: unknown };
        if (answer.outcome === 'applied' || answer.outcome === 'duplicate') return { status: 'acknowledged' };
        if (answer.outcome === 'quarantined') return { status: 'failed', error: `held in quarantine by the partner: ${String(answer.detail ?? '')}` };
      } catch {
        // Fall through.
      }
    }
    if (status === 422) return { status: 'failed', error: `refused by the partner (HTTP 422): ${body.slice(0, 500)}` };
    return { status: 'sent' };
  }
  // Overloaded, throttled or broken on their side: worth another try later.
  if (status === 408 || status === 429 || status >= 500) return { status: 'retry', error: `HTTP ${status}` };
  return { status: 'failed', error: `HTTP ${status}: ${body.slice(0, 500)}` };
}

async function sendOne(row: repo.OutboxRow, partner: repo.PartnerRow, options: DeliveryOptions): Promise<Attempt> {
  if (partner.transport === 'folder' && partner.folder_path) {
    try {
      await mkdir(partner.folder_path, { recursive: true });
      // Written under a temporary name, then renamed: the transport never picks up half a file.
      const target = path.join(partner.folder_path, `${row.message_id}.xml`);
      const temporary = `${target}.part`;
      await writeFile(temporary, row.body);
      await rename(temporary, target);
      return { status: 'sent' };
    } catch (error) {
      return { status: 'retry', error: (error as Error).message };
    }
  }
  if (partner.transport === 'http' && partner.endpoint_url) {
    const token = partner.outbound_token_sealed ? unseal(options.secret, 'exchange-partner', partner.outbound_token_sealed, partner.id) : null;
    try {
      const response = await (options.fetch ?? fetch)(partner.endpoint_url, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', accept: 'application/xml, application/json;q=0.5', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: Buffer.from(row.body).toString('utf8'),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const body = await response.text();
      return interpretAnswer(response.status, response.headers.get('content-type') ?? '', body, row.message_id);
    } catch (error) {
      return { status: 'retry', error: (error as Error).message };
    }
  }
  return { status: 'failed', error: 'the partner has no transport' };
}

/**
 * Delivers what is due, across offices: a batch is claimed (its next attempt moved into the future
 * so that another process does not take it), sent outside any transaction, and its result written.
 * Returns how many messages were attempted.
 */
export async function deliverDue(db: Db, options: DeliveryOptions): Promise<number> {
  const now = options.now ?? new Date();
  const claimed = await inTransaction(db, async (trx) => {
    const rows = await sql<repo.OutboxRow>`
      UPDATE exchange_outbox SET next_attempt_at = ${new Date(now.getTime() + 5 * 60_000)}, attempts = attempts + 1, last_attempt_at = ${now}
       WHERE id IN (SELECT id FROM exchange_outbox WHERE status = 'pending' AND next_attempt_at <= ${now} ORDER BY next_attempt_at LIMIT ${options.batchSize ?? 20} FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(trx);
    return rows.rows;
  });
  if (claimed.length === 0) return 0;
  const partners = new Map((await repo.own(db).selectFrom('exchange_partners').selectAll().where('id', 'in', [...new Set(claimed.map((row) => row.partner_id))]).execute()).map((p) => [p.id, p]));
  await Promise.all(
    claimed.map(async (row) => {
      const partner = partners.get(row.partner_id);
      const attempt: Attempt = partner && partner.active ? await sendOne(row, partner, options) : { status: 'failed', error: 'the partner is inactive' };
      const retry = attempt.status === 'retry' ? nextAttempt(row.attempts, now) : null;
      await repo
        .own(db)
        .updateTable('exchange_outbox')
        .set({
          status: attempt.status === 'retry' ? (retry === null ? 'failed' : 'pending') : attempt.status,
          next_attempt_at: retry ?? now,
          last_error: 'error' in attempt ? attempt.error.slice(0, 2000) : null,
          sent_at: attempt.status === 'sent' || attempt.status === 'acknowledged' ? now : null,
          acknowledged_at: attempt.status === 'acknowledged' ? now : null,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .execute();
    }),
  );
  return claimed.length;
}

/** Puts a message back in the queue at once (an operator's resend after fixing the partner's settings). */
export async function resend(trx: Trx, tenantId: string, id: string): Promise<boolean> {
  const result = await repo
    .own(trx)
    .updateTable('exchange_outbox')
    .set({ status: 'pending', next_attempt_at: new Date(), last_error: null, attempts: 0 })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '<>', 'acknowledged')
    // A message that could not be written has nothing to send: the next change of the person is.
    .where(sql<boolean>`octet_length(body) > 0`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The daily digest for the office's administrators: messages that failed in the last day, per
 * partner, as an in-app notification (once per office and day). Returns the offices notified.
 */
export async function sendFailureDigests(db: Db, now: Date = new Date()): Promise<number> {
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const day = now.toISOString().slice(0, 10);
  const failures = await repo
    .own(db)
    .selectFrom('exchange_outbox as o')
    .innerJoin('exchange_partners as p', 'p.id', 'o.partner_id')
    .select(['o.tenant_id', 'p.name', sql<number>`count(*)::int`.as('failed')])
    .where('o.status', '=', 'failed')
    .where('o.last_attempt_at', '>=', since)
    .groupBy(['o.tenant_id', 'p.name'])
    .execute();
  const byOffice = new Map<string, { partner: string; failed: number }[]>();
  for (const row of failures) byOffice.set(row.tenant_id, [...(byOffice.get(row.tenant_id) ?? []), { partner: row.name, failed: row.failed }]);
  let notified = 0;
  for (const [tenantId, partners] of byOffice) {
    await inTransaction(db, async (trx) => {
      // Several server processes may look at once: the lock makes one of them write the digest.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`exchange-digest:${tenantId}`}))`.execute(trx);
      const already = await trx.selectFrom('notifications').select('id').where('tenant_id', '=', tenantId).where('kind', '=', 'exchange-failures').where(sql<boolean>`message->>'day' = ${day}`).executeTakeFirst();
      if (already) return;
      await trx.insertInto('notifications').values({ tenant_id: tenantId, recipient_user_id: null, recipient_role: 'admin', recipient_unit_id: null, deadline_id: null, case_id: null, kind: 'exchange-failures', message: JSON.stringify({ day, partners }) }).execute();
      notified++;
    });
  }
  return notified;
}
