import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import { withoutTenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { IdParams, IfMatch, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor, SESSION_COOKIE } from './http.js';
import { finishOidc, OIDC_FLOW_COOKIE, OIDC_FLOW_MINUTES, ssoProviders, startOidc } from './oidc.js';
import { completeTotpLogin, confirmTotp, disableTotp, logoutEverywhere, reauthenticate, startTotpEnrolment } from './sign-in.js';
import { reauthenticationMethod } from './sign-in-rules.js';
import { login, logout, type LoginResult, type SessionSettings, type SignInState } from './service.js';
import { changeRoles, listOfficeUsers, resetTotp } from './users.js';

export interface AccessRouteSettings extends SessionSettings {
  cookieSecure: boolean;
  /** Where browsers reach this server (PUBLIC_URL), for the single sign-on redirect URI; null: from the request. */
  publicUrl?: string | null;
}

const SignInInfo = Type.Object({
  method: Type.Union([Type.Literal('password'), Type.Literal('password+totp'), Type.Literal('oidc')]),
  authenticatedAt: Type.String({ format: 'date-time', description: 'Last sign-in or re-authentication of this session' }),
  totpEnabled: Type.Boolean(),
  totpEnrolmentRequired: Type.Boolean({ description: 'The office requires TOTP and this user has none: only enrolment is open' }),
  reauthenticateWith: Type.Union([Type.Literal('password'), Type.Literal('oidc')]),
});

const SessionInfo = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      username: Type.String(),
      displayName: Type.String(),
      locale: Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')]),
      roles: Type.Array(Type.String()),
    }),
    tenant: Type.Object({ slug: Type.String(), name: Type.String() }),
    csrfToken: Type.String({ description: 'Send as X-CSRF-Token with every state-changing request made with the session cookie.' }),
    signIn: Type.Optional(SignInInfo),
  },
  { $id: 'SessionInfo' },
);

const SecondFactorRequired = Type.Object(
  {
    secondFactor: Type.Literal('totp'),
    pendingToken: Type.String({ description: 'Send with the code to POST /api/v1/auth/login/totp; good for five minutes. Not a session.' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SecondFactorRequired' },
);

const TotpCode = Type.String({ minLength: 1, maxLength: 20, description: 'The six digits the authenticator app shows' });

const Role = Type.Union([
  Type.Literal('caseworker'),
  Type.Literal('team-lead'),
  Type.Literal('municipal-clerk'),
  Type.Literal('admin'),
  Type.Literal('auditor'),
  Type.Literal('applicant'),
  Type.Literal('partner'),
]);
// Fails to compile when a role is added to RoleSlug but not to the schema above.
const roleSchemaComplete: RoleSlug extends Static<typeof Role> ? true : never = true;
void roleSchemaComplete;
const UserSummary = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    email: Nullable(Type.String()),
    locale: Type.String(),
    disabled: Type.Boolean(),
    version: Type.Integer(),
    totpEnabled: Type.Boolean(),
    ssoLinked: Type.Boolean(),
    roles: Type.Array(Type.Object({ role: Role, unit: Nullable(Type.String()) })),
  },
  { $id: 'UserSummary' },
);

function signInInfo(signIn: SignInState) {
  return {
    method: signIn.method,
    authenticatedAt: signIn.authenticatedAt.toISOString(),
    totpEnabled: signIn.totpActive,
    totpEnrolmentRequired: signIn.totpEnrolmentRequired,
    reauthenticateWith: reauthenticationMethod(signIn.method),
  };
}

function sessionInfo(actor: Actor, csrfToken: string, signIn: SignInState | null) {
  return {
    user: { id: actor.id, username: actor.name, displayName: actor.displayName, locale: actor.locale, roles: [...new Set(actor.roles.map((grant) => grant.role))] },
    tenant: { slug: actor.tenantSlug, name: actor.tenantName },
    csrfToken,
    ...(signIn ? { signIn: signInInfo(signIn) } : {}),
  };
}

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}

export function registerAccessRoutes(root: FastifyInstance, db: Db, settings: AccessRouteSettings): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  const setSessionCookie = (reply: FastifyReply, result: LoginResult) => {
    reply.setCookie(SESSION_COOKIE, result.sessionToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: settings.cookieSecure, expires: result.expiresAt });
  };
  // Sign-in runs before any office is known, and a cookie of another office may ride along: no office scope.
  const unscoped = <T>(work: () => Promise<T>) => withoutTenantScope(work);

  app.post(
    '/api/v1/auth/login',
    {
      config: { permission: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with user name and password',
        description: 'With TOTP on, answers `secondFactor: "totp"` and a pending-login token instead of a session; finish with POST /api/v1/auth/login/totp.',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Union([SessionInfo, SecondFactorRequired]), ...problemResponses(400, 401, 423, 429) },
      },
    },
    async (request, reply) => {
      const result = await unscoped(() => login(db, settings, { username: request.body.username, password: request.body.password, ...meta(request) }));
      if (result.kind === 'totp-required') return { secondFactor: 'totp' as const, pendingToken: result.pendingToken, expiresAt: result.expiresAt.toISOString() };
      setSessionCookie(reply, result);
      return sessionInfo(result.actor, result.csrfToken, result.signIn);
    },
  );

  app.post(
    '/api/v1/auth/login/totp',
    {
      config: { permission: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Finish a sign-in with the TOTP code',
        description: 'Wrong codes count towards the lockout of the account (five failures lock it for 15 minutes).',
        body: Type.Object({ pendingToken: Type.String({ minLength: 1, maxLength: 200 }), code: TotpCode }, { additionalProperties: false }),
        response: { 200: SessionInfo, ...problemResponses(400, 401, 423, 429) },
      },
    },
    async (request, reply) => {
      const result = await unscoped(() => completeTotpLogin(db, settings, { pendingToken: request.body.pendingToken, code: request.body.code, ...meta(request) }));
      setSessionCookie(reply, result);
      return sessionInfo(result.actor, result.csrfToken, result.signIn);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { permission: 'authenticated', duringTotpEnrolment: true },
      schema: { tags: ['auth'], summary: 'The signed-in user, office and CSRF token', response: { 200: SessionInfo, ...problemResponses(401) } },
    },
    async (request) => sessionInfo(requireActor(request), request.csrfToken ?? '', request.signIn),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { permission: 'authenticated', duringTotpEnrolment: true },
      schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 204: Type.Null(), ...problemResponses(401, 403) } },
    },
    async (request, reply) => {
      await logout(db, requireActor(request), request.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-all',
    {
      config: { permission: 'authenticated', duringTotpEnrolment: true },
      schema: { tags: ['auth'], summary: 'Sign out everywhere (ends every session of the caller, this one included)', response: { 204: Type.Null(), ...problemResponses(401, 403) } },
    },
    async (request, reply) => {
      await logoutEverywhere(db, requireActor(request), request.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/reauthenticate',
    {
      config: { permission: 'authenticated', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Prove again who you are (password, and the code when TOTP is on) before an export or a rights change',
        description: 'Single sign-on sessions re-authenticate at their provider: GET /api/v1/auth/oidc/{tenantSlug}/start?reauth=1. Failures count towards the lockout.',
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1000 }), code: Type.Optional(TotpCode) }, { additionalProperties: false }),
        response: { 200: Type.Object({ authenticatedAt: Type.String({ format: 'date-time' }) }), ...problemResponses(400, 401, 403, 409, 423, 429) },
      },
    },
    async (request) => {
      const result = await reauthenticate(db, settings, requireActor(request), request.signIn, { password: request.body.password, code: request.body.code, ip: request.ip, requestId: request.id });
      return { authenticatedAt: result.authenticatedAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/totp/enrolment',
    {
      config: { permission: 'authenticated', duringTotpEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a new secret, its otpauth URI and QR code',
        description: 'Nothing is protected until POST /api/v1/auth/totp/confirm accepts a code of the new secret. A new call replaces an unconfirmed secret.',
        response: {
          200: Type.Object({ secret: Type.String({ description: 'Base32, to type in by hand' }), uri: Type.String(), qrDataUrl: Type.String({ description: 'data:image/svg+xml;base64,…' }) }),
          ...problemResponses(401, 403, 409),
        },
      },
    },
    async (request) => startTotpEnrolment(db, settings, requireActor(request), request.id),
  );

  app.post(
    '/api/v1/auth/totp/confirm',
    {
      config: { permission: 'authenticated', duringTotpEnrolment: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP on with one valid code of the enrolled secret',
        body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await confirmTotp(db, settings, requireActor(request), request.body.code, request.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/totp/disable',
    {
      config: { permission: 'authenticated', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP off (needs a valid code; wrong codes count towards the lockout)',
        body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 409, 423, 429) },
      },
    },
    async (request, reply) => {
      await disableTotp(db, settings, requireActor(request), request.body.code, request.id);
      return reply.status(204).send(null);
    },
  );

  // --- single sign-on ---------------------------------------------------------------------------

  const baseUrl = (request: FastifyRequest) => settings.publicUrl ?? `${request.protocol}://${request.host}`;
  const flowCookieOptions = { path: '/api/v1/auth/oidc', httpOnly: true, sameSite: 'lax' as const, secure: settings.cookieSecure };

  app.get(
    '/api/v1/auth/oidc/providers',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Offices offering single sign-on, for the sign-in page (one office with ?tenant=slug)',
        querystring: Type.Object({ tenant: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Type.Object({ tenant: Type.String(), tenantName: Type.String(), label: Type.String(), startUrl: Type.String() })) },
      },
    },
    async (request) => {
      const providers = await unscoped(() => ssoProviders(db, request.query.tenant));
      return providers.map((provider) => ({ ...provider, startUrl: `/api/v1/auth/oidc/${encodeURIComponent(provider.tenant)}/start` }));
    },
  );

  app.get(
    '/api/v1/auth/oidc/:tenantSlug/start',
    {
      config: { permission: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Start single sign-on at the office’s OpenID provider (redirect)',
        description: 'With `reauth=1` (and a session cookie) the provider is asked to sign the person in again (prompt=login, max_age=0) and the current session counts as freshly authenticated afterwards.',
        params: Type.Object({ tenantSlug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) }),
        querystring: Type.Object({ reauth: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])), returnTo: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 302: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const start = await unscoped(() =>
        startOidc(db, settings, {
          tenantSlug: request.params.tenantSlug,
          reauth: request.query.reauth === '1',
          returnTo: request.query.returnTo,
          baseUrl: baseUrl(request),
          actor: request.actor,
          signIn: request.signIn,
          log: (message) => request.log.warn(message),
        }),
      );
      reply.setCookie(OIDC_FLOW_COOKIE, start.flowCookie, { ...flowCookieOptions, maxAge: OIDC_FLOW_MINUTES * 60 });
      return reply.redirect(start.authorizationUrl, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: { permission: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Where the OpenID provider sends the browser back; opens the session and redirects to the web app',
        description: 'A browser (Accept: text/html) that is refused is sent to /login?ssoError=<code>; other clients get the problem document.',
        response: { 303: Type.Null(), ...problemResponses(400, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      reply.clearCookie(OIDC_FLOW_COOKIE, flowCookieOptions);
      try {
        const outcome = await unscoped(() =>
          finishOidc(db, settings, { query, flowCookie: request.cookies[OIDC_FLOW_COOKIE], actor: request.actor, log: (message) => request.log.warn(message), ...meta(request) }),
        );
        if (outcome.kind === 'session') setSessionCookie(reply, outcome);
        return reply.redirect(outcome.returnTo, 303);
      } catch (error) {
        const wantsPage = (request.headers.accept ?? '').includes('text/html');
        if (wantsPage && error instanceof AppError) return reply.redirect(`/login?ssoError=${encodeURIComponent(error.code)}`, 303);
        throw error;
      }
    },
  );

  // --- users and their rights -----------------------------------------------------------------------

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users:manage' },
      schema: { tags: ['users'], summary: 'The users of the office with their roles (no password or TOTP data)', response: { 200: Type.Array(UserSummary), ...problemResponses(401, 403) } },
    },
    async (request) => listOfficeUsers(db, { actor: requireActor(request), requestId: request.id }),
  );

  app.put(
    '/api/v1/users/:id/roles',
    {
      config: { permission: 'users:manage', recentSignIn: true },
      schema: {
        tags: ['users'],
        summary: 'Replace a user’s roles (needs a recent sign-in and If-Match with the user’s version)',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object(
          { roles: Type.Array(Type.Object({ role: Role, unit: Type.Optional(Nullable(Type.String({ maxLength: 63 }))) }, { additionalProperties: false }), { maxItems: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: UserSummary, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => {
      const user = await changeRoles(db, { actor: requireActor(request), requestId: request.id }, request.params.id, parseIfMatch(request.headers['if-match']), request.body.roles);
      reply.header('etag', `"${user.version}"`);
      return user;
    },
  );

  app.post(
    '/api/v1/users/:id/totp-reset',
    {
      config: { permission: 'users:manage', recentSignIn: true },
      schema: {
        tags: ['users'],
        summary: 'Turn a user’s authenticator app off (lost phone) and end their sessions (needs a recent sign-in and If-Match)',
        params: IdParams,
        headers: IfMatch,
        response: { 200: UserSummary, ...problemResponses(401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => {
      const user = await resetTotp(db, { actor: requireActor(request), requestId: request.id }, request.params.id, parseIfMatch(request.headers['if-match']));
      reply.header('etag', `"${user.version}"`);
      return user;
    },
  );
}

/** `If-Match: "3"` → 3; missing → 428 (the same rule as the register's, kept here so access depends on no domain module). */
function parseIfMatch(header: string | undefined): number {
  const match = header === undefined ? null : /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match?.[1]) throw new AppError(428, 'precondition-required');
  return Number(match[1]);
}
