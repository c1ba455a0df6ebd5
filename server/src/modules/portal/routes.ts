import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, IsoDate, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { MANDATE_SCOPES, type AccountKind, type MandateScope } from './rules.js';
import {
  accountsFollowingPerson,
  confirmPasswordReset,
  findOfficeAccount,
  grantMandateForPerson,
  grantOwnMandate,
  linkAccountToPerson,
  listPersonMandates,
  readOwnAccount,
  requestPasswordReset,
  revokeMandateForPerson,
  revokeOwnMandate,
  signUp,
  verifyEmail,
  type PublicRequest,
} from './service.js';

export interface PortalRouteSettings {
  /** Where browsers reach this server (PUBLIC_URL), for the links in mails; null: from the request. */
  publicUrl: string | null;
}

const Language = Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')]);
const Kind = Type.Union([Type.Literal('applicant'), Type.Literal('employer'), Type.Literal('representative')]);
const Scope = Type.Union([Type.Literal('applications'), Type.Literal('status'), Type.Literal('messages'), Type.Literal('appointments'), Type.Literal('documents')]);
// Fail to compile when the rules gain a kind or scope the schemas above do not list.
const schemasComplete: [AccountKind, MandateScope] extends [Static<typeof Kind>, Static<typeof Scope>] ? true : never = true;
void schemasComplete;
const OfficeParams = Type.Object({ office: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'The office (tenant) slug' }) });
const OneTimeToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: 'The token from the link in the mail' });
// The address becomes the sign-in name, which the users table keeps to 100 characters.
const Email = Type.String({ minLength: 3, maxLength: 100 });

const Account = Type.Object({
  id: Type.String(),
  kind: Kind,
  email: Type.String(),
  displayName: Type.String(),
  language: Language,
  emailVerifiedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const Mandate = Type.Object(
  {
    id: Type.String(),
    grantor: Type.Object({ personId: Type.String(), name: Nullable(Type.String()) }),
    representative: Type.Object({ accountId: Type.String(), name: Type.String(), email: Nullable(Type.String()) }),
    scope: Type.Array(Scope),
    validFrom: Type.String({ format: 'date' }),
    validUntil: Nullable(Type.String({ format: 'date' })),
    grantedBy: Type.Union([Type.Literal('person'), Type.Literal('staff')]),
    grantedAt: Type.String({ format: 'date-time' }),
    revokedAt: Nullable(Type.String({ format: 'date-time' })),
    state: Type.Union([Type.Literal('active'), Type.Literal('future'), Type.Literal('expired'), Type.Literal('revoked')]),
  },
);

const MandateBody = Type.Object(
  {
    representativeEmail: Email,
    scope: Type.Array(Scope, { minItems: 1, maxItems: MANDATE_SCOPES.length, description: 'What the representative may do: applications, status, messages, appointments, documents' }),
    validFrom: Type.Optional(IsoDate),
    validUntil: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);

/** The same answer whether or not the address is known. */
const Accepted = Type.Object({ status: Type.Literal('accepted') });

// Sign-up and reset send mail and hash passwords: tight limits per address, like sign-in.
const MAILING_LIMIT = { max: 10, timeWindow: '1 minute' };

export function registerPortalRoutes(root: FastifyInstance, db: Db, settings: PortalRouteSettings): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const publicRequest = (request: FastifyRequest): PublicRequest => ({
    baseUrl: settings.publicUrl ?? `${request.protocol}://${request.host}`,
    requestId: request.id,
    ip: request.ip,
  });
  const context = (request: FastifyRequest) => ({ actor: requireActor(request), requestId: request.id });

  // --- accounts (public) --------------------------------------------------------------------------

  app.post(
    '/api/v1/portal/:office/sign-up',
    {
      config: { permission: 'public', rateLimit: MAILING_LIMIT },
      schema: {
        tags: ['portal'],
        summary: 'Open an applicant, employer or representative account (confirmed by a link sent by mail)',
        description:
          'Always answers 202 for a well-formed request: a new address gets the confirmation link (24 hours), an address that already has an account gets a mail that someone tried. Sign in afterwards with POST /api/v1/auth/login (user name = the e-mail address).',
        params: OfficeParams,
        body: Type.Object(
          {
            email: Email,
            password: Type.String({ minLength: 1, maxLength: 1000, description: 'At least 12 characters' }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Kind,
            language: Language,
          },
          { additionalProperties: false },
        ),
        response: { 202: Accepted, ...problemResponses(400, 404, 429) },
      },
    },
    async (request, reply) => {
      await signUp(db, { officeSlug: request.params.office, ...request.body }, publicRequest(request));
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/api/v1/portal/verify-email',
    {
      config: { permission: 'public', rateLimit: MAILING_LIMIT },
      schema: {
        tags: ['portal'],
        summary: 'Confirm the e-mail address with the token from the mail; the account can sign in afterwards',
        body: Type.Object({ token: OneTimeToken }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await verifyEmail(db, request.body.token, publicRequest(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/portal/:office/password-reset',
    {
      config: { permission: 'public', rateLimit: MAILING_LIMIT },
      schema: {
        tags: ['portal'],
        summary: 'Ask for a password-reset link (good for one hour) by mail',
        description: 'Always answers 202; the mail goes out only when the address has an account at the office.',
        params: OfficeParams,
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Accepted, ...problemResponses(400, 404, 429) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(db, request.params.office, request.body.email, publicRequest(request));
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/api/v1/portal/password-reset/confirm',
    {
      config: { permission: 'public', rateLimit: MAILING_LIMIT },
      schema: {
        tags: ['portal'],
        summary: 'Set a new password with the token from the reset mail; ends every session of the account',
        body: Type.Object({ token: OneTimeToken, password: Type.String({ minLength: 1, maxLength: 1000, description: 'At least 12 characters' }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(db, request.body.token, request.body.password, publicRequest(request));
      return reply.status(204).send(null);
    },
  );

  // --- the applicant's own account --------------------------------------------------------------------

  app.get(
    '/api/v1/portal/me',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags: ['portal'],
        summary: 'The signed-in account: address, linked register person (name only), mandates given and held',
        response: {
          200: Type.Object({
            account: Account,
            person: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
            mandatesGiven: Type.Array(Mandate),
            mandatesHeld: Type.Array(Mandate),
          }),
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request) => readOwnAccount(db, context(request)),
  );

  app.post(
    '/api/v1/portal/mandates',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags: ['portal'],
        summary: 'Give another account of the office a mandate to act for the person behind this account',
        description: 'Needs an account the office has linked to a register person (409 portal-account-not-linked otherwise).',
        body: MandateBody,
        response: { 201: Mandate, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await grantOwnMandate(db, context(request), request.body)),
  );

  app.post(
    '/api/v1/portal/mandates/:id/revoke',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags: ['portal'],
        summary: 'Revoke a mandate this account’s person gave',
        params: IdParams,
        response: { 200: Mandate, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => revokeOwnMandate(db, context(request), request.params.id),
  );

  // --- the office ---------------------------------------------------------------------------------------

  app.get(
    '/api/v1/portal/accounts',
    {
      config: { permission: 'portal:manage' },
      schema: {
        tags: ['portal'],
        summary: 'Find an account of the office by its e-mail address (to link it to a person)',
        querystring: Type.Object({ email: Email }),
        response: { 200: Type.Object({ ...Account.properties, personId: Nullable(Type.String()), disabled: Type.Boolean() }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => findOfficeAccount(db, context(request), request.query.email),
  );

  app.post(
    '/api/v1/portal/accounts/:id/person',
    {
      config: { permission: 'portal:manage' },
      schema: {
        tags: ['portal'],
        summary: 'Link an account to a register person, after checking the identity at the counter',
        params: IdParams,
        body: Type.Object({ personId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ accountId: Type.String(), personId: Type.String(), name: Type.String() }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => linkAccountToPerson(db, context(request), request.params.id, request.body.personId),
  );

  app.get(
    '/api/v1/portal/persons/:id/accounts',
    {
      config: { permission: 'portal:manage' },
      schema: {
        tags: ['portal'],
        summary: 'The confirmed accounts that follow a person (own, or by a mandate for appointments): whom to invite',
        params: IdParams,
        response: { 200: Type.Array(Type.Object({ accountId: Type.String(), email: Type.String(), name: Type.String(), language: Language, via: Type.Union([Type.Literal('self'), Type.Literal('mandate')]) })), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => accountsFollowingPerson(db, context(request), request.params.id),
  );

  app.get(
    '/api/v1/portal/persons/:id/mandates',
    {
      config: { permission: 'portal:manage' },
      schema: { tags: ['portal'], summary: 'The mandates a person gave', params: IdParams, response: { 200: Type.Array(Mandate), ...problemResponses(401, 403, 404) } },
    },
    async (request) => listPersonMandates(db, context(request), request.params.id),
  );

  app.post(
    '/api/v1/portal/persons/:id/mandates',
    {
      config: { permission: 'portal:manage' },
      schema: {
        tags: ['portal'],
        summary: 'Record a mandate for a person (e.g. a signed paper mandate handed in at the counter)',
        params: IdParams,
        body: MandateBody,
        response: { 201: Mandate, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await grantMandateForPerson(db, context(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/portal/persons/:id/mandates/:mandateId/revoke',
    {
      config: { permission: 'portal:manage' },
      schema: {
        tags: ['portal'],
        summary: 'Revoke a person’s mandate for the office',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), mandateId: Type.String({ format: 'uuid' }) }),
        response: { 200: Mandate, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => revokeMandateForPerson(db, context(request), request.params.id, request.params.mandateId),
  );
}
