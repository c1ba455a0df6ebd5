import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError, problems } from '../../platform/errors.js';
import { safeEqual } from '../../platform/auth/tokens.js';
import type { Db } from '../../platform/db/transaction.js';
import { isPermission, rolesGrant, type Permission } from './rules.js';
import { resolveSession, resolveToken, type SessionSettings, type SignInState } from './service.js';
import { isRecentSignIn, reauthenticationMethod, RECENT_SIGN_IN_MINUTES } from './sign-in-rules.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must be allowed to do; every /api route declares one, or the server does not start. */
    permission?: Permission;
    /** Exports and rights changes: the caller must have signed in or re-authenticated within the last minutes. */
    recentSignIn?: boolean;
    /** Open to a session that must still enrol a second factor (the office requires TOTP); every other route refuses it. */
    duringTotpEnrolment?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The CSRF token of the caller's cookie session, when signed in by cookie. */
    csrfToken: string | null;
    /** How the cookie session signed in and when it last proved it; null for tokens and anonymous callers. */
    signIn: SignInState | null;
  }
}

export const SESSION_COOKIE = 'mf_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Routes registered by third-party plugins (the API browser) carry no permission of their own.
function needsDeclaration(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

/** The actor of a request, or a 401 problem: for handlers of routes that need a signed-in caller. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw problems.unauthenticated();
  return request.actor;
}

/**
 * Installs authentication and the route-permission gate on the root instance: every request to
 * /api is authenticated (session cookie or bearer token), CSRF-checked when it rides on a cookie,
 * and refused unless the actor's roles grant the route's declared permission.
 */
export interface DeclaredRoute {
  method: string;
  url: string;
  permission: Permission;
}

const declaredByApp = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every API route of a server with the permission it declared: for the authorisation matrix and reviews. */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredByApp.get(app) ?? [];
}

export function installAccessControl(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('signIn', null);
  const declared: DeclaredRoute[] = [];
  declaredByApp.set(app, declared);

  app.addHook('onRoute', (route) => {
    if (!needsDeclaration(route.url)) return;
    const permission = route.config?.permission;
    if (!isPermission(permission)) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no valid permission; every API route must name one.`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') declared.push({ method, url: route.url, permission });
  });

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config?.permission;
    if (permission === undefined) return; // not an API route (web app, docs) or not found

    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match?.[1] ? await resolveToken(db, match[1]) : null;
      if (!actor) throw problems.invalidToken();
      request.actor = actor;
    } else {
      const cookieValue = request.cookies[SESSION_COOKIE];
      if (cookieValue) {
        const lookup = await resolveSession(db, settings, cookieValue);
        if (lookup.state === 'valid') {
          request.actor = lookup.actor;
          request.csrfToken = lookup.csrfToken;
          request.signIn = lookup.signIn;
        } else if (permission !== 'public') {
          // An unknown cookie is a session that was cleaned up: to the user it has expired just the same.
          throw problems.sessionExpired();
        }
      }
    }

    if (permission === 'public') return;
    if (!request.actor) throw problems.unauthenticated();
    if (request.csrfToken !== null && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken)) throw new AppError(403, 'csrf-token-missing');
    }
    const config = request.routeOptions.config;
    const signIn = request.signIn;
    if (signIn?.totpEnrolmentRequired && config.duringTotpEnrolment !== true) throw new AppError(403, 'totp-enrolment-required');
    if (!rolesGrant(request.actor.roles, permission)) throw problems.forbidden();
    if (config.recentSignIn === true) {
      // Machine clients cannot prove again that a person is present, so they cannot export or change rights.
      if (request.actor.kind !== 'user' || !signIn) throw new AppError(403, 'token-not-allowed');
      if (!isRecentSignIn(signIn.authenticatedAt, new Date())) {
        throw new AppError(403, 'reauthentication-required', { minutes: RECENT_SIGN_IN_MINUTES }, { reauthenticateWith: reauthenticationMethod(signIn.method), totp: signIn.totpActive });
      }
    }
  });
}
