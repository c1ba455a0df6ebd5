import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/transaction.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { buildProblem, localeOf, sendProblem } from '../../platform/http/problem.js';
import { IdParams, IfMatch, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { problemDetail } from '../../platform/i18n/translate.js';
import type { ProblemCode } from '../../platform/i18n/messages.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { exchangeActor, receiveMessage, type InboxOutcome, type Office } from './inbox.js';
import { createPartner, listPartners, rotatePartnerToken, updatePartner } from './partners.js';
import { receiveTenancyReports } from './tenancy-reports.js';
import { reapply, rejectMessage, resendMessage } from './operations.js';
import { ownParticipantId } from './outbox.js';
import * as repo from './repository.js';
import { writeReceipt } from './rules/ech0020-write.js';
import { REGISTER_EVENT_TYPES } from './rules/events.js';

export interface ExchangeRouteOptions {
  /** Largest message the inbox takes; bigger ones are refused with 413 before they are read. */
  maxMessageBytes: number;
  /** Key material for the partners' outbound tokens (SESSION_SECRET). */
  secret: string;
}

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

function officeOf(ctx: RequestContext): Office {
  return { id: ctx.actor.tenantId, slug: ctx.actor.tenantSlug, name: ctx.actor.tenantName };
}

const Cursor = Type.Optional(Type.String({ maxLength: 200 }));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const InboxStatus = Type.Union([Type.Literal('applied'), Type.Literal('quarantined'), Type.Literal('rejected'), Type.Literal('receipt')]);
const OutboxStatus = Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('acknowledged'), Type.Literal('failed')]);
const EventName = Type.Union(REGISTER_EVENT_TYPES.map((event) => Type.Literal(event)));

const Outcome = Type.Object(
  {
    outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('quarantined'), Type.Literal('receipt'), Type.Literal('tested')]),
    messageId: Type.String(),
    senderId: Type.String(),
    inboxId: Nullable(Type.String()),
    eventType: Type.Optional(Type.String()),
    eventCount: Type.Optional(Type.Integer()),
    personIds: Type.Optional(Type.Array(Type.String())),
    status: Type.Optional(Type.String({ description: 'For a duplicate: what happened to the first delivery' })),
    acknowledged: Type.Optional(Type.Boolean({ description: 'For a receipt: whether it matched a message of ours' })),
    reasonCode: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ description: 'Why a test delivery would not apply, in the caller’s language' })),
  },
  { $id: 'ExchangeOutcome' },
);

const Partner = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    participantId: Type.String(),
    transport: Type.String(),
    endpointUrl: Nullable(Type.String()),
    folderPath: Nullable(Type.String()),
    hasOutboundToken: Type.Boolean(),
    hasInboundToken: Type.Boolean(),
    events: Type.Array(Type.String()),
    municipalities: Nullable(Type.Array(Type.Integer())),
    active: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String(),
  },
  { $id: 'ExchangePartner' },
);

const PartnerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    participantId: Type.String({ minLength: 1, maxLength: 50, pattern: '^\\S+$' }),
    transport: Type.Union([Type.Literal('http'), Type.Literal('folder'), Type.Literal('none')]),
    endpointUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    folderPath: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    outboundToken: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    events: Type.Array(EventName, { maxItems: 30, uniqueItems: true }),
    municipalities: Type.Optional(Nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 9999 }), { maxItems: 500 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const PartnerWithToken = Type.Object({ partner: Partner, inboundToken: Type.String({ description: 'Shown once: the partner sends it as Authorization: Bearer …' }) });

const InboxItem = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  standard: Type.String(),
  senderId: Type.String(),
  partnerId: Nullable(Type.String()),
  partnerName: Nullable(Type.String()),
  messageId: Type.String(),
  eventType: Nullable(Type.String()),
  eventCount: Type.Integer(),
  status: Type.String(),
  reasonCode: Nullable(Type.String()),
  reason: Nullable(Type.String({ description: 'Why it is in quarantine, in plain words in the caller’s language' })),
  problems: Type.Array(Type.Object({ message: Type.String(), line: Type.Integer(), path: Nullable(Type.String()) })),
  fileName: Nullable(Type.String()),
  size: Type.Integer(),
  personIds: Type.Array(Type.String()),
  receivedAt: Type.String(),
  processedAt: Type.String(),
  attempts: Type.Integer(),
  resolvedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  resolutionNote: Nullable(Type.String()),
  version: Type.Integer(),
});

const OutboxItem = Type.Object({
  id: Type.String(),
  partnerId: Type.String(),
  partnerName: Type.String(),
  participantId: Type.String(),
  messageId: Type.String(),
  eventType: Type.String(),
  personId: Nullable(Type.String()),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  lastAttemptAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  acknowledgedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

type ListedInbox = Awaited<ReturnType<typeof repo.listInbox>>[number];

function inboxDto(row: ListedInbox, request: FastifyRequest) {
  const stored = (row.reason_details ?? null) as { params?: Record<string, string | number>; details?: unknown } | null;
  const problems = Array.isArray(stored?.details) ? (stored.details as { message?: unknown; line?: unknown; path?: unknown }[]).filter((p) => typeof p.message === 'string').map((p) => ({ message: String(p.message), line: Number(p.line ?? 0), path: typeof p.path === 'string' ? p.path : null })) : [];
  return {
    id: row.id,
    channel: row.channel,
    standard: row.standard,
    senderId: row.sender_id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    messageId: row.message_id,
    eventType: row.event_type,
    eventCount: row.event_count,
    status: row.status,
    reasonCode: row.reason_code,
    reason: row.reason_code ? problemDetail(row.reason_code as ProblemCode, localeOf(request), stored?.params ?? {}) : null,
    problems,
    fileName: row.file_name,
    size: row.size,
    personIds: row.person_ids,
    receivedAt: row.received_at.toISOString(),
    processedAt: row.processed_at.toISOString(),
    attempts: row.attempts,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolutionNote: row.resolution_note,
    version: row.version,
  };
}

type ListedOutbox = Awaited<ReturnType<typeof repo.listOutbox>>[number];

function outboxDto(row: ListedOutbox) {
  return {
    id: row.id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    participantId: row.participant_id,
    messageId: row.message_id,
    eventType: row.event_type,
    personId: row.person_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    lastError: row.last_error,
    sentAt: row.sent_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

function keyset(raw: string | undefined): { at: Date; id: string } | null {
  if (!raw) return null;
  return decodeCursor(raw, (fields) => {
    const at = typeof fields.at === 'string' ? new Date(fields.at) : null;
    const id = typeof fields.id === 'string' && /^[0-9a-f-]{36}$/.test(fields.id) ? fields.id : null;
    return at && !Number.isNaN(at.getTime()) && id ? { at, id } : null;
  });
}

const XML_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];
const CSV_TYPES = ['text/csv', 'application/octet-stream'];

/** The raw body when it came with one of the route's types; anything else is 415 (other modules parse images and PDFs app-wide). */
function bodyOf(request: FastifyRequest, types: readonly string[]): Buffer {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!types.includes(type) || !Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError(415, 'unsupported-media-type', { type: type || '—' });
  return request.body;
}

function prefersXml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /application\/xml|text\/xml/.test(accept) && !/application\/json/.test(accept.split(',')[0] ?? '');
}

/**
 * The inbox's answer: 202 for a message taken (applied, a duplicate, a receipt, a test), 422 with a
 * problem document for one held in quarantine. A partner that asks for XML gets an eCH-0058 receipt
 * (positive or negative) referring to its message.
 */
async function answer(db: Db, request: FastifyRequest, reply: FastifyReply, office: Office, outcome: InboxOutcome): Promise<FastifyReply> {
  const failed = outcome.outcome === 'quarantined';
  if (prefersXml(request)) {
    const locale = localeOf(request);
    const notice = failed ? problemDetail(outcome.reason.code as ProblemCode, locale, outcome.reason.params) : outcome.outcome === 'duplicate' ? `already received (${outcome.status})` : outcome.outcome;
    const xml = writeReceipt({
      header: {
        senderId: await ownParticipantId(db, office.id),
        recipientIds: [outcome.senderId],
        messageId: crypto.randomUUID(),
        // An unreadable message has no id of its own (MigraFlow names it by its hash): nothing to refer to.
        referenceMessageId: outcome.messageId.startsWith('sha256:') || outcome.messageId.length > 36 ? null : outcome.messageId,
        messageType: 'http://www.ech.ch/xmlns/eCH-0058/5',
        messageDate: new Date().toISOString().slice(0, 19),
        eventDate: null,
        action: failed ? 8 : 9,
        testDelivery: false,
        sendingApplication: { manufacturer: 'MigraFlow', product: 'MigraFlow', productVersion: '1' },
      },
      positive: !failed && !(outcome.outcome === 'duplicate' && (outcome.status === 'quarantined' || outcome.status === 'rejected')),
      notice,
    });
    return reply.status(failed ? 422 : 202).type('application/xml; charset=utf-8').send(xml);
  }
  if (failed) {
    return sendProblem(reply, buildProblem(request, 422, outcome.reason.code as ProblemCode, outcome.reason.params, { outcome: 'quarantined', messageId: outcome.messageId, senderId: outcome.senderId, inboxId: outcome.id, problems: outcome.reason.details }));
  }
  const body = {
    outcome: outcome.outcome,
    messageId: outcome.messageId,
    senderId: outcome.senderId,
    inboxId: outcome.outcome === 'tested' ? null : outcome.id,
    ...(outcome.outcome === 'applied' ? { eventType: outcome.eventType, eventCount: outcome.eventCount, personIds: outcome.personIds } : {}),
    ...(outcome.outcome === 'duplicate' ? { status: outcome.status } : {}),
    ...(outcome.outcome === 'receipt' ? { acknowledged: outcome.acknowledged } : {}),
    ...(outcome.outcome === 'tested' && outcome.reason ? { reasonCode: outcome.reason.code, reason: problemDetail(outcome.reason.code as ProblemCode, localeOf(request), outcome.reason.params) } : {}),
  };
  return reply.status(202).send(body);
}

export function registerExchangeRoutes(root: FastifyInstance, db: Db, options: ExchangeRouteOptions): void {
  // Messages are read as raw bytes: the original is kept in the inbox exactly as it arrived.
  root.register(async (scope) => {
    // JSON too, so that a message sent with the wrong type gets 415 from the route, not a JSON parse error.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(['application/xml', 'text/xml', 'application/octet-stream', 'text/csv', 'application/json'], { parseAs: 'buffer', bodyLimit: options.maxMessageBytes }, (_request, body, done) => done(null, body));
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const submit = { permission: 'exchange:submit' } as const;

    const partnerOf = async (ctx: RequestContext) => {
      const partner = ctx.actor.kind === 'token' ? await repo.partnerOfToken(db, ctx.actor.tenantId, ctx.actor.id) : undefined;
      if (!partner) throw new AppError(403, 'exchange-unknown-partner');
      return partner;
    };

    app.post(
      '/api/v1/exchange/ech0020',
      {
        config: submit,
        bodyLimit: options.maxMessageBytes,
        schema: {
          tags: ['exchange'],
          summary: 'Inbox: one eCH-0058-enveloped eCH-0020 v3 delivery (or an eCH-0058 receipt for one of ours). Applied exactly once per sender and message id.',
          description: 'Body: the XML as it is (application/xml). 202: applied, duplicate, receipt or test. 422: held in quarantine with the reason. With Accept: application/xml the answer is an eCH-0058 eventReport.',
          consumes: ['application/xml', 'text/xml'],
          response: { 202: Outcome, ...problemResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const ctx = context(request);
        const body = bodyOf(request, XML_TYPES);
        const partner = await partnerOf(ctx);
        const office = officeOf(ctx);
        const outcome = await receiveMessage(db, { office, bytes: body, channel: 'http', partner, fileName: null, context: { actor: exchangeActor(office, partner.participant_id, ctx.actor.id), requestId: ctx.requestId } });
        return answer(db, request, reply, office, outcome);
      },
    );

    app.post(
      '/api/v1/exchange/tenancy-reports',
      {
        config: submit,
        bodyLimit: options.maxMessageBytes,
        schema: {
          tags: ['exchange'],
          summary: 'Landlord, host, employer and collective-household reports (NG § 17) as CSV in the documented layout (docs/exchange.md)',
          consumes: ['text/csv'],
          querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200, description: 'File name, kept with the message' })) }),
          response: { 202: Outcome, ...problemResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const ctx = context(request);
        const body = bodyOf(request, CSV_TYPES);
        const partner = await partnerOf(ctx);
        const office = officeOf(ctx);
        const outcome = await receiveTenancyReports(db, { office, bytes: body, channel: 'http', partner, fileName: request.query.name ?? null, context: { actor: exchangeActor(office, partner.participant_id, ctx.actor.id), requestId: ctx.requestId } });
        return answer(db, request, reply, office, outcome);
      },
    );
  });

  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const read = { permission: 'exchange:read' } as const;
  const manage = { permission: 'exchange:manage' } as const;

  app.get(
    '/api/v1/exchange/partners',
    { config: read, schema: { tags: ['exchange'], summary: 'The office’s exchange partners', response: { 200: Type.Array(Partner), ...problemResponses(401, 403) } } },
    async (request) => listPartners(db, context(request)),
  );

  app.post(
    '/api/v1/exchange/partners',
    { config: manage, schema: { tags: ['exchange'], summary: 'Add a partner; its inbox token is in the answer, once', body: PartnerBody, response: { 201: PartnerWithToken, ...problemResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await createPartner(db, context(request), options.secret, request.body)),
  );

  app.put(
    '/api/v1/exchange/partners/:id',
    { config: manage, schema: { tags: ['exchange'], summary: 'Change a partner (If-Match: its version)', params: IdParams, headers: IfMatch, body: PartnerBody, response: { 200: Partner, ...problemResponses(400, 401, 403, 404, 409, 428) } } },
    async (request) => updatePartner(db, context(request), options.secret, request.params.id, parseIfMatch(request.headers['if-match']), request.body),
  );

  app.post(
    '/api/v1/exchange/partners/:id/token',
    { config: manage, schema: { tags: ['exchange'], summary: 'A new inbox token for the partner; the old one stops working at once', params: IdParams, response: { 200: PartnerWithToken, ...problemResponses(401, 403, 404) } } },
    async (request) => rotatePartnerToken(db, context(request), request.params.id),
  );

  app.get(
    '/api/v1/exchange/inbox',
    {
      config: read,
      schema: {
        tags: ['exchange'],
        summary: 'Messages received, newest first (status=quarantined: the quarantine)',
        querystring: Type.Object({ status: Type.Optional(InboxStatus), partnerId: Type.Optional(Type.String({ format: 'uuid' })), cursor: Cursor, limit: Limit }),
        response: { 200: Type.Object({ items: Type.Array(InboxItem), nextCursor: Nullable(Type.String()), counts: Type.Record(Type.String(), Type.Integer()) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const ctx = context(request);
      const limit = request.query.limit ?? 50;
      const [rows, counts] = await Promise.all([
        repo.listInbox(db, ctx.actor.tenantId, { status: request.query.status ?? null, partnerId: request.query.partnerId ?? null, after: keyset(request.query.cursor), limit }),
        repo.inboxCounts(db, ctx.actor.tenantId),
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map((row) => inboxDto(row, request)), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.received_at.toISOString(), id: last.id }) : null, counts };
    },
  );

  app.get(
    '/api/v1/exchange/inbox/:id/body',
    { config: read, schema: { tags: ['exchange'], summary: 'The message exactly as it arrived', params: IdParams, produces: ['application/xml', 'text/csv'], response: problemResponses(401, 403, 404) } },
    async (request, reply) => {
      const ctx = context(request);
      const row = await repo.findInbox(db, ctx.actor.tenantId, request.params.id);
      if (!row) throw new AppError(404, 'not-found', { what: 'message' });
      const type = row.standard === 'tenancy-csv' ? 'text/csv; charset=utf-8' : 'application/xml';
      return reply.type(type).header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="${row.id}.${row.standard === 'tenancy-csv' ? 'csv' : 'xml'}"`).send(Buffer.from(row.body));
    },
  );

  app.post(
    '/api/v1/exchange/inbox/:id/reapply',
    { config: manage, schema: { tags: ['exchange'], summary: 'Apply a quarantined message again (after fixing the register, or once the earlier message arrived)', params: IdParams, headers: IfMatch, response: { 200: InboxItem, ...problemResponses(401, 403, 404, 409, 428) } } },
    async (request) => {
      const ctx = context(request);
      const row = await reapply(db, ctx, officeOf(ctx), request.params.id, parseIfMatch(request.headers['if-match']));
      return inboxDto({ ...row, partner_name: null, size: row.body.length }, request);
    },
  );

  app.post(
    '/api/v1/exchange/inbox/:id/reject',
    {
      config: manage,
      schema: {
        tags: ['exchange'],
        summary: 'Reject a quarantined message; the sender gets a negative eCH-0058 receipt with the note',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object({ note: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: InboxItem, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request) => {
      const ctx = context(request);
      const row = await rejectMessage(db, ctx, request.params.id, parseIfMatch(request.headers['if-match']), request.body.note);
      return inboxDto({ ...row, partner_name: null, size: row.body.length }, request);
    },
  );

  app.get(
    '/api/v1/exchange/outbox',
    {
      config: read,
      schema: {
        tags: ['exchange'],
        summary: 'Messages to partners, newest first, with the state of each delivery and a summary per partner',
        querystring: Type.Object({ status: Type.Optional(OutboxStatus), partnerId: Type.Optional(Type.String({ format: 'uuid' })), cursor: Cursor, limit: Limit }),
        response: {
          200: Type.Object({
            items: Type.Array(OutboxItem),
            nextCursor: Nullable(Type.String()),
            partners: Type.Array(Type.Object({ partnerId: Type.String(), pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), acknowledged: Type.Integer(), lastAcknowledgedAt: Nullable(Type.String()) })),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const ctx = context(request);
      const limit = request.query.limit ?? 50;
      const [rows, summary] = await Promise.all([
        repo.listOutbox(db, ctx.actor.tenantId, { status: request.query.status ?? null, partnerId: request.query.partnerId ?? null, after: keyset(request.query.cursor), limit }),
        repo.outboxSummary(db, ctx.actor.tenantId),
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(outboxDto),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at.toISOString(), id: last.id }) : null,
        partners: summary.map((s) => ({ partnerId: s.partner_id, pending: s.pending, sent: s.sent, failed: s.failed, acknowledged: s.acknowledged, lastAcknowledgedAt: s.last_acknowledged_at ? new Date(s.last_acknowledged_at).toISOString() : null })),
      };
    },
  );

  app.get(
    '/api/v1/exchange/outbox/:id/body',
    { config: read, schema: { tags: ['exchange'], summary: 'A message to a partner as sent', params: IdParams, produces: ['application/xml'], response: problemResponses(401, 403, 404) } },
    async (request, reply) => {
      const ctx = context(request);
      const row = await repo.findOutbox(db, ctx.actor.tenantId, request.params.id);
      if (!row) throw new AppError(404, 'not-found', { what: 'message' });
      return reply.type('application/xml').header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="${row.message_id}.xml"`).send(Buffer.from(row.body));
    },
  );

  app.post(
    '/api/v1/exchange/outbox/:id/resend',
    { config: manage, schema: { tags: ['exchange'], summary: 'Send a message again now (e.g. after fixing the partner’s address or token)', params: IdParams, response: { 200: OutboxItem, ...problemResponses(401, 403, 404, 409) } } },
    async (request) => outboxDto(await resendMessage(db, context(request), request.params.id)),
  );
}
