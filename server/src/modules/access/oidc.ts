import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { AppError } from '../../platform/errors.js';
import { appendAudit, type AuditSubject } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import * as repo from './repository.js';
import { open, seal } from './secret-box.js';
import { isAllowedIssuer, isFreshProviderSignIn, isLoopbackHost, matchingClaimValue, safeReturnPath, tenantSignInSettings, type OidcSettings } from './sign-in-rules.js';
import { openSession, userSubjectOf, type ClientMeta, type LoginResult, type SessionSettings, type SignInState } from './service.js';

/**
 * Single sign-on with the office's OpenID Connect provider (authorization code flow with PKCE,
 * state and nonce). MigraFlow stays the place of users and roles: the provider only says who
 * signed in, and a person unknown to MigraFlow is refused.
 */

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** The flow's state travels in an encrypted cookie bound to the browser that started it (no login CSRF, no server-side store). */
export const OIDC_FLOW_COOKIE = 'mf_oidc';
export const OIDC_FLOW_MINUTES = 10;
const FLOW_PURPOSE = 'oidc-flow';

interface Flow {
  tenantSlug: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  /** Re-authentication of this session (its id hash) instead of a new sign-in. */
  reauthSession: string | null;
  startedAt: number;
}

// One discovery per provider and client, kept an hour: the provider's keys and endpoints rarely change.
const DISCOVERY_TTL_MS = 3_600_000;
const discoveries = new Map<string, { at: number; config: Promise<client.Configuration> }>();

function discover(oidc: OidcSettings, secret: string, now: number): Promise<client.Configuration> {
  const key = [oidc.issuer, oidc.clientId, createHash('sha256').update(secret).digest('hex')].join('\u0000');
  const cached = discoveries.get(key);
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.config;
  const issuer = new URL(oidc.issuer);
  const config = client.discovery(issuer, oidc.clientId, undefined, client.ClientSecretBasic(secret), {
    // Plain HTTP only for a provider on this machine (sign-in-rules: isAllowedIssuer).
    execute: issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname) ? [client.allowInsecureRequests] : [],
    timeout: 10,
  });
  // A failed discovery is not kept: the next sign-in tries again.
  config.catch(() => discoveries.delete(key));
  discoveries.set(key, { at: now, config });
  return config;
}

interface ProviderOfTenant {
  tenant: { id: string; slug: string; name: string };
  oidc: OidcSettings;
}

async function providerOf(db: Db, tenantSlug: string): Promise<ProviderOfTenant> {
  const tenant = await repo.findTenantSettings(db, tenantSlug);
  const oidc = tenant ? tenantSignInSettings(tenant.settings).oidc : null;
  if (!tenant || !oidc) throw new AppError(404, 'oidc-not-configured');
  return { tenant, oidc };
}

async function configurationOf(provider: ProviderOfTenant, now: Date, log: (message: string) => void): Promise<client.Configuration> {
  const secret = process.env[provider.oidc.clientSecretEnv];
  if (!secret) {
    log(`single sign-on of office ${provider.tenant.slug}: the environment variable ${provider.oidc.clientSecretEnv} (client secret) is not set`);
    throw new AppError(503, 'oidc-unavailable');
  }
  if (!isAllowedIssuer(provider.oidc.issuer)) throw new AppError(503, 'oidc-unavailable');
  try {
    return await discover(provider.oidc, secret, now.getTime());
  } catch (error) {
    log(`single sign-on of office ${provider.tenant.slug}: discovery at ${provider.oidc.issuer} failed: ${(error as Error).message}`);
    throw new AppError(503, 'oidc-unavailable');
  }
}

/** The offices offering single sign-on, for the sign-in page: one office when asked by slug, else all. */
export async function ssoProviders(db: Db, tenantSlug: string | undefined): Promise<{ tenant: string; tenantName: string; label: string }[]> {
  const tenants = tenantSlug ? [await repo.findTenantSettings(db, tenantSlug)].filter((tenant) => tenant !== null) : await repo.tenantsWithOidc(db);
  return tenants.flatMap((tenant) => {
    const oidc = tenantSignInSettings(tenant.settings).oidc;
    return oidc ? [{ tenant: tenant.slug, tenantName: tenant.name, label: oidc.label ?? tenant.name }] : [];
  });
}

export interface OidcStart {
  authorizationUrl: string;
  flowCookie: string;
}

export async function startOidc(
  db: Db,
  settings: SessionSettings,
  input: { tenantSlug: string; reauth: boolean; returnTo: string | undefined; baseUrl: string; actor: Actor | null; signIn: SignInState | null; log: (message: string) => void },
  now: Date = new Date(),
): Promise<OidcStart> {
  const provider = await providerOf(db, input.tenantSlug);
  let reauthSession: string | null = null;
  if (input.reauth) {
    // Re-authentication proves again who sits at an existing session of this office.
    if (!input.actor || input.actor.kind !== 'user' || !input.actor.sessionIdHash) throw new AppError(401, 'unauthenticated');
    if (input.actor.tenantId !== provider.tenant.id) throw new AppError(403, 'forbidden');
    reauthSession = input.actor.sessionIdHash;
  }
  const config = await configurationOf(provider, now, input.log);
  const flow: Flow = {
    tenantSlug: provider.tenant.slug,
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    redirectUri: `${input.baseUrl.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`,
    returnTo: safeReturnPath(input.returnTo),
    reauthSession,
    startedAt: now.getTime(),
  };
  const parameters: Record<string, string> = {
    redirect_uri: flow.redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  };
  if (input.reauth) {
    // Ask the provider to really sign the person in again, not to wave them through its own session.
    parameters.prompt = 'login';
    parameters.max_age = '0';
  }
  return { authorizationUrl: client.buildAuthorizationUrl(config, parameters).href, flowCookie: seal(settings.secret, FLOW_PURPOSE, JSON.stringify(flow), FLOW_PURPOSE) };
}

export type OidcOutcome = (LoginResult & { returnTo: string }) | { kind: 'reauthenticated'; returnTo: string };

function readFlow(settings: SessionSettings, cookie: string | undefined, now: Date): Flow | null {
  if (!cookie) return null;
  const text = open(settings.secret, FLOW_PURPOSE, cookie, FLOW_PURPOSE);
  if (text === null) return null;
  const flow = JSON.parse(text) as Flow;
  return now.getTime() - flow.startedAt <= OIDC_FLOW_MINUTES * 60_000 ? flow : null;
}

/** Audits a refused single sign-on under the office (or the system chain when no office is known) and returns the problem. */
async function refuse(db: Db, tenantId: string | null, who: string | null, reason: string, details: Record<string, unknown>, meta: ClientMeta, problem: AppError): Promise<AppError> {
  const subject: AuditSubject = { tenantId, actorId: null, actorKind: 'anonymous', actorName: who?.slice(0, 100) ?? null, requestId: meta.requestId };
  await inTransaction(db, (trx) => appendAudit(trx, subject, { action: 'auth.oidc-refused', details: { reason, ...details, ip: meta.ip } }));
  return problem;
}

/**
 * The provider sent the browser back: checks state, PKCE and nonce through the code exchange,
 * finds the MigraFlow user (by the linked subject, or on the first sign-in by the configured claim,
 * then links the subject) and opens a session — or, for a re-authentication, refreshes the
 * current session's sign-in time.
 */
export async function finishOidc(
  db: Db,
  settings: SessionSettings,
  input: ClientMeta & { query: URLSearchParams; flowCookie: string | undefined; actor: Actor | null; log: (message: string) => void },
  now: Date = new Date(),
): Promise<OidcOutcome> {
  const flow = readFlow(settings, input.flowCookie, now);
  if (!flow || input.query.get('state') !== flow.state) {
    throw await refuse(db, null, null, 'state-mismatch', { flow: flow ? 'present' : 'missing-or-expired' }, input, new AppError(400, 'oidc-failed'));
  }
  const provider = await providerOf(db, flow.tenantSlug);
  const tenantId = provider.tenant.id;
  const providerError = input.query.get('error');
  if (providerError) {
    throw await refuse(db, tenantId, null, 'provider-error', { error: providerError.slice(0, 100) }, input, new AppError(400, 'oidc-failed'));
  }
  const config = await configurationOf(provider, now, input.log);
  const currentUrl = new URL(flow.redirectUri);
  for (const [name, value] of input.query) currentUrl.searchParams.append(name, value);

  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    claims = { ...idToken };
    // Many providers put profile claims only into the userinfo answer when the code flow is used.
    if (claims[provider.oidc.claim] === undefined && tokens.access_token) {
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...userinfo, ...claims };
    }
  } catch (error) {
    input.log(`single sign-on of office ${provider.tenant.slug}: code exchange failed: ${(error as Error).message}`);
    throw await refuse(db, tenantId, null, 'code-exchange-failed', {}, input, new AppError(400, 'oidc-failed'));
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const claimValue = matchingClaimValue(provider.oidc.claim, claims);
  const who = claimValue ?? subject;

  if (flow.reauthSession !== null && !isFreshProviderSignIn(typeof claims.auth_time === 'number' ? claims.auth_time : undefined, new Date(flow.startedAt))) {
    throw await refuse(db, tenantId, who, 'not-reauthenticated', { subject }, input, new AppError(403, 'oidc-failed'));
  }

  // The linked subject first; the claim only finds a user who is not linked yet.
  let user = (await repo.findUserForSso(db, tenantId, 'oidc_subject', subject))[0] ?? null;
  let link = false;
  if (!user) {
    const candidates = claimValue === null ? [] : await repo.findUserForSso(db, tenantId, provider.oidc.claim === 'email' ? 'email' : 'username', claimValue);
    if (candidates.length !== 1 || !candidates[0]) {
      const reason = claimValue === null ? 'claim-missing' : candidates.length === 0 ? 'unknown-user' : 'ambiguous-claim';
      throw await refuse(db, tenantId, who, reason, { subject, claim: provider.oidc.claim }, input, new AppError(403, 'oidc-unknown-user'));
    }
    user = candidates[0];
    if (user.oidcSubject !== null) {
      // Linked to another subject of the provider: someone else's account at the provider carries this claim now.
      throw await refuse(db, tenantId, who, 'linked-to-other-subject', { subject, userId: user.id }, input, new AppError(403, 'oidc-unknown-user'));
    }
    link = true;
  }
  if (user.disabled) throw await refuse(db, tenantId, who, 'disabled', { subject, userId: user.id }, input, new AppError(403, 'oidc-unknown-user'));
  const found = user;

  if (flow.reauthSession !== null) {
    const reauthSession = flow.reauthSession;
    if (!input.actor || input.actor.id !== found.id || input.actor.sessionIdHash !== reauthSession) {
      throw await refuse(db, tenantId, who, 'reauth-other-user', { subject, userId: found.id }, input, new AppError(403, 'oidc-failed'));
    }
    await inTransaction(db, async (trx) => {
      if (link) await linkSubject(trx, found, subject, input.requestId);
      await repo.markAuthenticated(trx, reauthSession, now);
      await appendAudit(trx, userSubjectOf(found, input.requestId), { action: 'auth.reauthenticated', entityType: 'user', entityId: found.id, details: { method: 'oidc', ip: input.ip } });
    });
    return { kind: 'reauthenticated', returnTo: flow.returnTo };
  }
  const result = await inTransaction(db, async (trx) => {
    if (link) await linkSubject(trx, found, subject, input.requestId);
    return openSession(trx, settings, found, 'oidc', input, now);
  });
  return { ...result, returnTo: flow.returnTo };
}

async function linkSubject(trx: Parameters<typeof repo.linkOidcSubject>[0], user: repo.UserRecord, subject: string, requestId: string): Promise<void> {
  await repo.linkOidcSubject(trx, user.id, subject);
  await appendAudit(trx, userSubjectOf(user, requestId), { action: 'access.oidc-linked', entityType: 'user', entityId: user.id, details: { subject } });
}
