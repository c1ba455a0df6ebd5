import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, IfMatch, IsoDate, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { ADMISSION_REASONS } from './rules/admission.js';
import { changeCategory, endPermit, expiryList, extendPermit, grantPermit, listCategories, permitsOfPerson } from './service.js';

const AdmissionReason = Type.Union(ADMISSION_REASONS.map((reason) => Type.Literal(reason)));

const Permit = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    category: Type.String(),
    isMain: Type.Boolean(),
    admissionReason: Type.String(),
    validFrom: Type.String(),
    validUntil: Nullable(Type.String()),
    controlDate: Nullable(Type.String()),
    endedOn: Nullable(Type.String()),
    endReason: Nullable(Type.String()),
    conditions: Nullable(Type.String()),
    cardNumber: Nullable(Type.String()),
    lStayStart: Nullable(Type.String()),
    immigrationGroup: Nullable(Type.String()),
    version: Type.Integer(),
    history: Type.Array(Type.Object({ event: Type.String(), date: Type.String(), details: Type.Record(Type.String(), Type.Unknown()), recordedBy: Nullable(Type.String()) })),
  },
  { $id: 'Permit' },
);

const GrantBody = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 20 }),
    admissionReason: AdmissionReason,
    validFrom: IsoDate,
    validUntil: Type.Optional(Nullable(IsoDate)),
    conditions: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    cardNumber: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false },
);

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

export function registerPermitRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/permit-categories',
    {
      config: { permission: 'permits:read' },
      schema: {
        tags: ['permits'],
        summary: 'The office’s permit catalogue (Swiss eCH-0006 categories or German residence titles)',
        response: {
          200: Type.Array(
            Type.Object({
              code: Type.String(),
              echCode: Nullable(Type.String()),
              legalBasis: Type.String(),
              names: Type.Record(Type.String(), Type.String()),
              isMain: Type.Boolean(),
              statisticsGroup: Type.String(),
              validity: Type.Record(Type.String(), Type.Unknown()),
              active: Type.Boolean(),
            }),
          ),
        },
      },
    },
    async (request) => listCategories(db, requireActor(request).tenantId),
  );

  app.get(
    '/api/v1/persons/:id/permits',
    { config: { permission: 'permits:read' }, schema: { tags: ['permits'], summary: 'A person’s permits with their history', params: IdParams, response: { 200: Type.Array(Permit), ...problemResponses(401, 403, 404) } } },
    async (request) => permitsOfPerson(db, context(request), request.params.id),
  );

  app.post(
    '/api/v1/persons/:id/permits',
    {
      config: { permission: 'permits:write' },
      schema: {
        tags: ['permits'],
        summary: 'Grant a permit; without validUntil the category’s default validity applies',
        params: IdParams,
        body: GrantBody,
        response: { 201: Permit, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return grantPermit(db, context(request), request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/permits/:id/extend',
    {
      config: { permission: 'permits:write' },
      schema: { tags: ['permits'], summary: 'Extend a permit', params: IdParams, headers: IfMatch, body: Type.Object({ validUntil: IsoDate }, { additionalProperties: false }), response: { 200: Permit, ...problemResponses(400, 401, 403, 404, 409, 422, 428) } },
    },
    async (request) => extendPermit(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.validUntil),
  );

  app.post(
    '/api/v1/permits/:id/change-category',
    {
      config: { permission: 'permits:write' },
      schema: { tags: ['permits'], summary: 'Change to another category (e.g. B → C); the old permit ends when the new one starts', params: IdParams, headers: IfMatch, body: GrantBody, response: { 201: Permit, ...problemResponses(400, 401, 403, 404, 409, 422, 428) } },
    },
    async (request, reply) => {
      reply.status(201);
      return changeCategory(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body);
    },
  );

  app.post(
    '/api/v1/permits/:id/end',
    {
      config: { permission: 'permits:write' },
      schema: {
        tags: ['permits'],
        summary: 'End a permit: revoked, departure or death',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object({ date: IsoDate, reason: Type.Union([Type.Literal('revoked'), Type.Literal('departure'), Type.Literal('death')]) }, { additionalProperties: false }),
        response: { 200: Permit, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request) => endPermit(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body),
  );

  app.get(
    '/api/v1/permits/expiring',
    {
      config: { permission: 'permits:read' },
      schema: {
        tags: ['permits'],
        summary: 'Permits expiring within N days, and expired permits of persons still registered',
        querystring: Type.Object({ withinDays: Type.Integer({ minimum: 0, maximum: 730, default: 60 }), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }, { additionalProperties: false }),
        response: {
          200: Type.Array(
            Type.Object({
              permitId: Type.String(),
              personId: Type.String(),
              officialName: Type.String(),
              firstNames: Type.String(),
              dateOfBirth: Type.String(),
              nationality: Type.String(),
              category: Type.String(),
              validUntil: Type.String(),
              daysLeft: Type.Integer(),
              expired: Type.Boolean(),
            }),
          ),
        },
      },
    },
    async (request) => expiryList(db, context(request), request.query.withinDays, request.query.limit),
  );
}
