import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/transaction.js';
import { problemResponses } from '../../platform/http/schemas.js';
import { EXPORT_TYPES, MAX_PAGE, DEFAULT_PAGE, exportAudit, readAuditPage, verifyOfficeChains, type RequestContext } from './audit-viewer.js';
import { requireActor } from './http.js';

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

// The filters of the viewer and the export. Shapes are checked here; meaning (dates, ranges) in audit-viewer.ts.
const filterProperties = {
  person: Type.Optional(Type.String({ format: 'uuid', description: 'Rows about this person: their file, permits, cases, documents, and list reads that showed them' })),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Actor id, or name (user name, `token:<label>`, `cli`)' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'One action (`person.read`) or a prefix ending in `.` or `*` (`person.`)' })),
  from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'From this instant (ISO 8601 date-time with zone), inclusive' })),
  to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Until this instant (ISO 8601 date-time with zone), exclusive' })),
};

const AuditItemSchema = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String({ description: 'UTC, with microseconds' }),
  chain: Type.String(),
  seq: Type.Integer(),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.Union([Type.String(), Type.Null()]),
  entityId: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});

export function registerAuditRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: "The office's audit log, newest first, filtered, in pages with a cursor (the read is audited)",
        querystring: Type.Object(
          {
            ...filterProperties,
            cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AuditItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => readAuditPage(db, context(request), request.query),
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: { permission: 'audit:export', recentSignIn: true },
      schema: {
        tags: ['audit'],
        summary: 'Every matching audit row as CSV (UTF-8 with BOM, for Excel), a JSON array or NDJSON (the export is audited)',
        querystring: Type.Object(
          { ...filterProperties, format: Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('ndjson')], { default: 'csv' }) },
          { additionalProperties: false },
        ),
        response: problemResponses(400, 401, 403),
      },
    },
    async (request, reply) => {
      const format = request.query.format;
      const chunks = await exportAudit(db, context(request), request.query, format);
      const day = new Date().toISOString().slice(0, 10);
      const extension = format === 'ndjson' ? 'ndjson' : format;
      return reply
        .type(EXPORT_TYPES[format])
        .header('content-disposition', `attachment; filename="audit-${requireActor(request).tenantSlug}-${day}.${extension}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(chunks, { objectMode: false }));
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      // Reads the whole office's log: a few runs a minute are plenty for a status display.
      config: { permission: 'audit:read', rateLimit: { max: 6, timeWindow: '1 minute', keyGenerator: (request) => request.actor?.id ?? request.ip } },
      schema: {
        tags: ['audit'],
        summary: "Recompute the office's audit chains (as `migraflow audit verify`) and report whether they are intact",
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checkedAt: Type.String(),
            rowsChecked: Type.Integer(),
            chains: Type.Integer(),
            problems: Type.Array(Type.Object({ id: Type.Integer(), chain: Type.String(), seq: Type.Integer(), reason: Type.String() })),
          }),
          ...problemResponses(401, 403, 429),
        },
      },
    },
    async (request) => verifyOfficeChains(db, context(request)),
  );
}
