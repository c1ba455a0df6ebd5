import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError, invalidFields } from '../../platform/errors.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { issueToken, revokeToken, seal } from '../access/index.js';
import { municipalitiesOfTenant } from '../register/index.js';
import * as repo from './repository.js';
import { REGISTER_EVENT_TYPES } from './rules/events.js';

/** Exchange partners of an office: who may send to the inbox, and who gets which outbox messages. */

export interface PartnerInput {
  name: string;
  participantId: string;
  transport: 'http' | 'folder' | 'none';
  endpointUrl?: string | null;
  folderPath?: string | null;
  /** Bearer token MigraFlow presents to the partner's endpoint; stored encrypted, never shown again. */
  outboundToken?: string | null;
  events: string[];
  municipalities?: number[] | null;
  active?: boolean;
}

export function partnerDto(row: repo.PartnerRow) {
  return {
    id: row.id,
    name: row.name,
    participantId: row.participant_id,
    transport: row.transport,
    endpointUrl: row.endpoint_url,
    folderPath: row.folder_path,
    hasOutboundToken: row.outbound_token_sealed !== null,
    hasInboundToken: row.api_token_id !== null,
    events: row.events,
    municipalities: row.municipalities,
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}

export type PartnerDto = ReturnType<typeof partnerDto>;

async function checkInput(db: Db, tenantId: string, input: PartnerInput): Promise<void> {
  const unknownEvents = input.events.filter((event) => !(REGISTER_EVENT_TYPES as readonly string[]).includes(event));
  if (unknownEvents.length > 0) throw invalidFields({ field: 'events', message: 'unknown-value' });
  if (input.transport === 'http') {
    const url = URL.canParse(input.endpointUrl ?? '') ? new URL(input.endpointUrl ?? '') : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw invalidFields({ field: 'endpointUrl', message: 'not-a-url' });
  }
  if (input.transport === 'folder' && !input.folderPath) throw invalidFields({ field: 'folderPath', message: 'required' });
  if (input.municipalities) {
    const own = new Set((await municipalitiesOfTenant(db, tenantId)).map((m) => m.bfs));
    if (input.municipalities.some((bfs) => !own.has(bfs))) throw invalidFields({ field: 'municipalities', message: 'unknown-value' });
  }
}

export async function listPartners(db: Db, context: RequestContext): Promise<PartnerDto[]> {
  return (await repo.partnersOf(db, context.actor.tenantId)).map(partnerDto);
}

/** Creates a partner with its inbox token (returned once). */
export async function createPartner(db: Db, context: RequestContext, secret: string, input: PartnerInput): Promise<{ partner: PartnerDto; inboundToken: string }> {
  const tenantId = context.actor.tenantId;
  await checkInput(db, tenantId, input);
  return inTransaction(db, async (trx) => {
    if (await repo.partnerByParticipant(trx, tenantId, input.participantId)) throw new AppError(409, 'conflict', { reason: `participant ${input.participantId} exists` });
    const token = await issueToken(trx, { tenantId, role: 'partner', label: `exchange partner ${input.name}`.slice(0, 200) });
    const row = await repo
      .own(trx)
      .insertInto('exchange_partners')
      .values({
        tenant_id: tenantId,
        name: input.name,
        participant_id: input.participantId,
        transport: input.transport,
        endpoint_url: input.transport === 'http' ? (input.endpointUrl ?? null) : null,
        folder_path: input.transport === 'folder' ? (input.folderPath ?? null) : null,
        outbound_token_sealed: null,
        api_token_id: token.id,
        events: input.events,
        municipalities: input.municipalities ?? null,
        active: input.active ?? true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    let stored = row;
    if (input.outboundToken) {
      // Sealed with the partner's id as context: a sealed token copied to another partner does not open.
      stored = await repo.own(trx).updateTable('exchange_partners').set({ outbound_token_sealed: seal(secret, 'exchange-partner', input.outboundToken, row.id) }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.partner-created', entityType: 'exchange-partner', entityId: row.id, details: { name: input.name, participantId: input.participantId, transport: input.transport, events: input.events } });
    return { partner: partnerDto(stored), inboundToken: token.token };
  });
}

export async function updatePartner(db: Db, context: RequestContext, secret: string, id: string, expectedVersion: number, input: PartnerInput): Promise<PartnerDto> {
  const tenantId = context.actor.tenantId;
  await checkInput(db, tenantId, input);
  return inTransaction(db, async (trx) => {
    const before = await repo.findPartner(trx, tenantId, id);
    if (!before) throw new AppError(404, 'not-found', { what: 'partner' });
    const clash = await repo.partnerByParticipant(trx, tenantId, input.participantId);
    if (clash && clash.id !== id) throw new AppError(409, 'conflict', { reason: `participant ${input.participantId} exists` });
    const row = await repo
      .own(trx)
      .updateTable('exchange_partners')
      .set((eb) => ({
        name: input.name,
        participant_id: input.participantId,
        transport: input.transport,
        endpoint_url: input.transport === 'http' ? (input.endpointUrl ?? null) : null,
        folder_path: input.transport === 'folder' ? (input.folderPath ?? null) : null,
        // Left out: the stored token stays; an empty string removes it.
        ...(input.outboundToken === undefined || input.outboundToken === null ? {} : { outbound_token_sealed: input.outboundToken === '' ? null : seal(secret, 'exchange-partner', input.outboundToken, id) }),
        events: input.events,
        municipalities: input.municipalities ?? null,
        active: input.active ?? before.active,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(409, 'version-conflict', { current: before.version }, { currentVersion: before.version, current: partnerDto(before) });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.partner-changed', entityType: 'exchange-partner', entityId: id, details: { name: input.name, participantId: input.participantId, transport: input.transport, events: input.events, active: row.active } });
    return partnerDto(row);
  });
}

/** A new inbox token for the partner; the old one stops working at once. */
export async function rotatePartnerToken(db: Db, context: RequestContext, id: string): Promise<{ partner: PartnerDto; inboundToken: string }> {
  const tenantId = context.actor.tenantId;
  return inTransaction(db, async (trx) => {
    const before = await repo.findPartner(trx, tenantId, id);
    if (!before) throw new AppError(404, 'not-found', { what: 'partner' });
    if (before.api_token_id) await revokeToken(trx, tenantId, before.api_token_id);
    const token = await issueToken(trx, { tenantId, role: 'partner', label: `exchange partner ${before.name}`.slice(0, 200) });
    const row = await repo.own(trx).updateTable('exchange_partners').set((eb) => ({ api_token_id: token.id, version: eb('version', '+', 1) })).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.partner-token-rotated', entityType: 'exchange-partner', entityId: id });
    return { partner: partnerDto(row), inboundToken: token.token };
  });
}
