import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, IsoDate, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { addClosure, bookByInvitation, cancelByInvitation, changeServicePoint, createServicePoint, dayView, invitationView, inviteFromCase, listServicePoints, listServices, markBooking, putService, removeClosure, setOpeningHours } from './service.js';

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

const Any = Type.Unknown();
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local time' });
const Language = Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')]);
const Names = Type.Object({ de: Type.String({ minLength: 1, maxLength: 200 }), fr: Type.String({ minLength: 1, maxLength: 200 }), it: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const ServicePointBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.String({ minLength: 1, maxLength: 300 }),
    counters: Type.Integer({ minimum: 1, maximum: 50 }),
    unitId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, default Europe/Zurich' })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** The invitation's token travels in this header (or the body), never in the URL: URLs are logged. */
const TOKEN_HEADER = 'x-invitation-token';
const TokenHeaders = Type.Object({ [TOKEN_HEADER]: Type.Optional(Type.String({ maxLength: 200, description: 'The token from the invitation link' })) });
const TokenBody = Type.Optional(Type.String({ maxLength: 200, description: 'The token from the invitation link (or the X-Invitation-Token header)' }));

function tokenOf(request: FastifyRequest, body: { token?: string | undefined } | undefined): string | undefined {
  const header = request.headers[TOKEN_HEADER];
  return body?.token ?? (typeof header === 'string' ? header : undefined);
}

export interface AppointmentRouteOptions {
  /** Where the booking page lives, for the invitation link (the server's public address). */
  publicUrl: string | null;
}

export function registerAppointmentRoutes(root: FastifyInstance, db: Db, options: AppointmentRouteOptions): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['appointments'];
  // Links in mails point where browsers reach the server: PUBLIC_URL, else the request's own address (as the portal's mails do).
  const publicUrlOf = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;

  // --- configuration ---------------------------------------------------------------------------
  app.get('/api/v1/appointment-service-points', { config: { permission: 'authenticated' }, schema: { tags, summary: 'Service points with counters, opening hours and coming closures (no personal data)', response: { 200: Type.Array(Any), ...problemResponses(401) } } }, async (request) => listServicePoints(db, context(request)));
  app.post('/api/v1/appointment-service-points', { config: { permission: 'appointments:manage' }, schema: { tags, summary: 'Add a service point', body: ServicePointBody, response: { 201: Any, ...problemResponses(400, 401, 403, 409) } } }, async (request, reply) => {
    const point = await createServicePoint(db, context(request), request.body);
    return reply.status(201).header('etag', `"${point.version}"`).send(point);
  });
  app.put('/api/v1/appointment-service-points/:id', { config: { permission: 'appointments:manage' }, schema: { tags, summary: 'Change a service point (If-Match)', params: IdParams, body: ServicePointBody, response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 428) } } }, async (request, reply) => {
    const point = await changeServicePoint(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body);
    return reply.header('etag', `"${point.version}"`).send(point);
  });
  app.put(
    '/api/v1/appointment-service-points/:id/hours',
    {
      config: { permission: 'appointments:manage' },
      schema: {
        tags,
        summary: 'Set the weekly opening hours (replaces them; If-Match: the service point version)',
        params: IdParams,
        body: Type.Object({ hours: Type.Array(Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 Monday … 7 Sunday' }), opens: Clock, closes: Clock }, { additionalProperties: false }), { maxItems: 50 }) }, { additionalProperties: false }),
        response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => {
      const point = await setOpeningHours(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.hours);
      return reply.header('etag', `"${point.version}"`).send(point);
    },
  );
  app.post('/api/v1/appointment-service-points/:id/closures', { config: { permission: 'appointments:manage' }, schema: { tags, summary: 'Close a service point on a day (besides public holidays)', params: IdParams, body: Type.Object({ date: IsoDate, reason: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }), response: { 201: Any, ...problemResponses(400, 401, 403, 404) } } }, async (request, reply) => reply.status(201).send(await addClosure(db, context(request), request.params.id, request.body)));
  app.delete('/api/v1/appointment-closures/:id', { config: { permission: 'appointments:manage' }, schema: { tags, summary: 'Remove a closure', params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } } }, async (request, reply) => {
    await removeClosure(db, context(request), request.params.id);
    return reply.status(204).send(null);
  });
  app.get('/api/v1/appointment-services', { config: { permission: 'authenticated' }, schema: { tags, summary: 'The services with their slot length', response: { 200: Type.Array(Any), ...problemResponses(401) } } }, async (request) => listServices(db, context(request)));
  app.put(
    '/api/v1/appointment-services/:slug',
    { config: { permission: 'appointments:manage' }, schema: { tags, summary: 'Add or change a service (e.g. biometrics, 15 minutes)', params: Type.Object({ slug: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }) }), body: Type.Object({ names: Names, slotMinutes: Type.Integer({ minimum: 5, maximum: 480 }) }, { additionalProperties: false }), response: { 200: Any, ...problemResponses(400, 401, 403) } } },
    async (request) => putService(db, context(request), request.params.slug, request.body),
  );

  // --- staff -------------------------------------------------------------------------------------
  app.post(
    '/api/v1/cases/:id/appointment-invitations',
    {
      config: { permission: 'cases:write' },
      schema: {
        tags,
        summary: 'Invite the person of a case to book an appointment: the booking link goes out by e-mail',
        params: IdParams,
        body: Type.Object({ service: Type.String({ maxLength: 63 }), servicePointId: Type.String({ format: 'uuid' }), email: Type.String({ minLength: 3, maxLength: 254 }), language: Language, validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }, { additionalProperties: false }),
        response: { 201: Any, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await inviteFromCase(db, context(request), request.params.id, request.body, publicUrlOf(request))),
  );
  app.get('/api/v1/appointments', { config: { permission: 'appointments:read' }, schema: { tags, summary: 'The day view of a service point: appointments by time and counter', querystring: Type.Object({ servicePoint: Type.String({ format: 'uuid' }), date: IsoDate }), response: { 200: Any, ...problemResponses(400, 401, 403, 404) } } }, async (request) => dayView(db, context(request), request.query.servicePoint, request.query.date));
  for (const [path, status] of [['check-in', 'checked-in'], ['no-show', 'no-show']] as const) {
    app.post(`/api/v1/appointments/:id/${path}`, { config: { permission: 'appointments:write' }, schema: { tags, summary: status === 'checked-in' ? 'The person has come (If-Match)' : 'The person did not come (If-Match)', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404, 409, 428) } } }, async (request, reply) => {
      const booking = await markBooking(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), status);
      return reply.header('etag', `"${booking.version}"`).send(booking);
    });
  }

  // --- public, with the invitation's token ---------------------------------------------------------
  app.get(
    '/api/v1/appointments/by-invitation',
    { config: { permission: 'public' }, schema: { tags, summary: 'The invitation, its current appointment and the free slots of a date range (at most 6 weeks); token in X-Invitation-Token', headers: TokenHeaders, querystring: Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }), response: { 200: Any, ...problemResponses(400, 404, 410) } } },
    async (request) => invitationView(db, request.id, tokenOf(request, undefined), request.query),
  );
  const StartBody = Type.Object({ start: Type.String({ format: 'date-time', description: 'The start of a free slot as listed' }), token: TokenBody }, { additionalProperties: false });
  app.post('/api/v1/appointments/by-invitation/booking', { config: { permission: 'public' }, schema: { tags, summary: 'Book a free slot (409 slot-taken if someone was faster)', headers: TokenHeaders, body: StartBody, response: { 201: Any, ...problemResponses(400, 404, 409, 410, 422) } } }, async (request, reply) =>
    reply.status(201).send(await bookByInvitation(db, request.id, tokenOf(request, request.body), request.body.start, 'book')),
  );
  app.post('/api/v1/appointments/by-invitation/reschedule', { config: { permission: 'public' }, schema: { tags, summary: 'Move the appointment to another free slot (cancel and book in one transaction)', headers: TokenHeaders, body: StartBody, response: { 200: Any, ...problemResponses(400, 404, 409, 410, 422) } } }, async (request) =>
    bookByInvitation(db, request.id, tokenOf(request, request.body), request.body.start, 'reschedule'),
  );
  app.post('/api/v1/appointments/by-invitation/cancellation', { config: { permission: 'public' }, schema: { tags, summary: 'Cancel the appointment', headers: TokenHeaders, body: Type.Optional(Type.Object({ token: TokenBody }, { additionalProperties: false })), response: { 200: Any, ...problemResponses(400, 404, 409, 410) } } }, async (request) =>
    cancelByInvitation(db, request.id, tokenOf(request, request.body ?? undefined)),
  );
}
