import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { problemResponses } from '../../platform/http/schemas.js';
import { requireActor, SESSION_COOKIE } from './http.js';
import { login, logout, type SessionSettings } from './service.js';

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
  },
  { $id: 'SessionInfo' },
);

function sessionInfo(actor: Actor, csrfToken: string) {
  return {
    user: { id: actor.id, username: actor.name, displayName: actor.displayName, locale: actor.locale, roles: [...new Set(actor.roles.map((grant) => grant.role))] },
    tenant: { slug: actor.tenantSlug, name: actor.tenantName },
    csrfToken,
  };
}

export function registerAccessRoutes(root: FastifyInstance, db: Db, settings: SessionSettings & { cookieSecure: boolean }): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/auth/login',
    {
      config: { permission: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with user name and password',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: SessionInfo, ...problemResponses(400, 401, 423, 429) },
      },
    },
    async (request, reply) => {
      const result = await login(db, settings, {
        username: request.body.username,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: settings.cookieSecure,
        expires: result.expiresAt,
      });
      return sessionInfo(result.actor, result.csrfToken);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['auth'], summary: 'The signed-in user, office and CSRF token', response: { 200: SessionInfo, ...problemResponses(401) } },
    },
    async (request) => sessionInfo(requireActor(request), request.csrfToken ?? ''),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 204: Type.Null(), ...problemResponses(401, 403) } },
    },
    async (request, reply) => {
      await logout(db, requireActor(request), request.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
