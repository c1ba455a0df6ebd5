import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Provider, { type Account, type Grant } from 'oidc-provider';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/database.js';
import { createToken } from '../../src/modules/access/index.js';
import { newTotpSecret, sealTotpSecret, totpCodeAt } from '../../src/modules/access/totp.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { cookieHeader, createTenant, createTestUser, TEST_PASSWORD, testConfig, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * Strong sign-in for staff: TOTP as second factor (enrolment, sign-in, replay, lockout, office
 * enforcement), re-authentication before rights changes, rights changes and signing out
 * everywhere — and single sign-on against a real OpenID provider (oidc-provider) on a free port.
 */

const PUBLIC_URL = 'http://migraflow.test';
const CLIENT_ID = 'migraflow-test';
const CLIENT_SECRET = 'a-client-secret-for-tests-only-0123456789';
const SECRET_ENV = 'MF_TEST_OIDC_CLIENT_SECRET';

/** The people the test provider knows (its account id is their `sub`). */
const PROVIDER_ACCOUNTS: Record<string, Record<string, unknown>> = {
  'sub-anna': { email: 'Anna.Muster@office.test', email_verified: true, preferred_username: 'anna' },
  'sub-sso-admin': { email: 'sso-admin@office.test', email_verified: true },
  'sub-stranger': { email: 'stranger@elsewhere.test', email_verified: true },
  'sub-unverified': { email: 'sso-admin@office.test', email_verified: false },
};

let providerServer: Server;
let issuer: string;

beforeAll(async () => {
  // Listen first, so the issuer URL can name the free port the system picked.
  let handler: RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  providerServer = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  const provider: Provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${PUBLIC_URL}/api/v1/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    // The development login form (any account id, any password) stands in for the office's login page.
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id): Promise<Account | undefined> {
      const claims = PROVIDER_ACCOUNTS[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // A first-party client: no consent screen, the grant is given at once.
    async loadExistingGrant(ctx): Promise<Grant | undefined> {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  process.env[SECRET_ENV] = CLIENT_SECRET;
});

afterAll(async () => {
  delete process.env[SECRET_ENV];
  await new Promise<void>((resolve) => providerServer?.close(() => resolve()));
});

/**
 * Plays the browser at the provider: follows redirects with a cookie jar and submits its login
 * form as `accountId`, until the provider sends the browser back to MigraFlow; returns that URL.
 */
async function signInAtProvider(authorizationUrl: string, accountId: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < 20; hop++) {
    const response: Response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form?.toString() ?? null,
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '') jar.delete(name);
      else jar.set(name, value);
    }
    form = null;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(PUBLIC_URL)) return next;
      url = next;
      continue;
    }
    const html: string = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`the provider answered ${response.status}: ${html.slice(0, 300)}`);
    url = new URL(action, url);
    form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'anything' } : { prompt });
  }
  throw new Error('the provider never sent the browser back');
}

function setCookieNamed(response: LightMyRequestResponse, name: string): string | null {
  const all = response.headers['set-cookie'];
  const list = Array.isArray(all) ? all : all ? [all] : [];
  const found = list.find((cookie) => cookie.startsWith(`${name}=`));
  return found ? (found.split(';')[0] ?? null) : null;
}

describe.each(DATABASE_KINDS)('strong sign-in on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let strict: TestTenant;
  // Sign-in is rate-limited per address; each sign-in of this file comes from an address of its own.
  let address = 0;
  const nextAddress = () => `198.51.100.${(address++ % 250) + 1}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildApp({ config: { ...testConfig, publicUrl: PUBLIC_URL }, database, webRoot: null });
    await app.ready();
    tenant = await createTenant(database.db, 'office-s');
    strict = await createTenant(database.db, 'office-strict');
    await database.db
      .updateTable('tenants')
      .set({ settings: JSON.stringify({ oidc: { issuer, clientId: CLIENT_ID, clientSecretEnv: SECRET_ENV, claim: 'email', label: 'Office Login' } }) })
      .where('id', '=', tenant.id)
      .execute();
    await database.db.updateTable('tenants').set({ settings: JSON.stringify({ requireTotp: true }) }).where('id', '=', strict.id).execute();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function login(username: string, password = TEST_PASSWORD) {
    return app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: nextAddress(), headers: { 'accept-language': 'en' }, payload: { username, password } });
  }

  async function signIn(username: string): Promise<Session> {
    const response = await login(username);
    expect(response.statusCode, response.body).toBe(200);
    return { cookie: cookieHeader(response), csrfToken: response.json<{ csrfToken: string }>().csrfToken };
  }

  /** Turns TOTP on for a user directly in the database (as confirmed enrolment would), returning the secret. */
  async function giveTotp(username: string): Promise<string> {
    const user = await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const secret = newTotpSecret();
    await database.db
      .updateTable('users')
      .set({ totp_secret: sealTotpSecret(testConfig.sessionSecret, user.id, secret), totp_enabled_at: new Date(), totp_last_step: null })
      .where('id', '=', user.id)
      .execute();
    return secret;
  }

  async function signInWithTotp(username: string, secret: string, at = new Date()): Promise<Session> {
    const first = await login(username);
    const { pendingToken } = first.json<{ pendingToken: string }>();
    const second = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', remoteAddress: nextAddress(), payload: { pendingToken, code: totpCodeAt(secret, at) } });
    expect(second.statusCode, second.body).toBe(200);
    return { cookie: cookieHeader(second), csrfToken: second.json<{ csrfToken: string }>().csrfToken };
  }

  function call(session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
    return app.inject({ method, url, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  }

  async function auditActions(action: string): Promise<{ actor_name: string | null; entity_id: string | null; details: unknown }[]> {
    return database.db.selectFrom('audit_log').select(['actor_name', 'entity_id', 'details']).where('action', '=', action).orderBy('id').execute();
  }

  async function userId(username: string): Promise<string> {
    return (await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  }

  async function ageSession(username: string, minutes: number): Promise<void> {
    await database.db.updateTable('sessions').set({ authenticated_at: new Date(Date.now() - minutes * 60_000) }).where('user_id', '=', await userId(username)).execute();
  }

  // --- TOTP ----------------------------------------------------------------------------------------------

  it('enrols TOTP: secret, otpauth URI and QR; the secret is stored only encrypted; one valid code turns it on', async () => {
    await createTestUser(database.db, tenant, 'enrol', 'caseworker', 'aufenthalt');
    const session = await signIn('enrol');
    const enrolment = await call(session, 'POST', '/api/v1/auth/totp/enrolment');
    expect(enrolment.statusCode, enrolment.body).toBe(200);
    const { secret, uri, qrDataUrl } = enrolment.json<{ secret: string; uri: string; qrDataUrl: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(uri).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrDataUrl.split(',')[1] ?? '', 'base64').toString('utf8')).toContain('<svg');

    const stored = await database.db.selectFrom('users').select(['totp_secret', 'totp_pending_secret']).where('username', '=', 'enrol').executeTakeFirstOrThrow();
    expect(stored.totp_secret).toBeNull();
    expect(stored.totp_pending_secret).toMatch(/^v1\./);
    expect(stored.totp_pending_secret).not.toContain(secret);

    const wrong = await call(session, 'POST', '/api/v1/auth/totp/confirm', { code: '000000' === totpCodeAt(secret, new Date()) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'totp-code-invalid' });
    const confirmed = await call(session, 'POST', '/api/v1/auth/totp/confirm', { code: totpCodeAt(secret, new Date()) });
    expect(confirmed.statusCode, confirmed.body).toBe(204);

    const active = await database.db.selectFrom('users').select(['totp_secret', 'totp_pending_secret', 'totp_enabled_at']).where('username', '=', 'enrol').executeTakeFirstOrThrow();
    expect(active.totp_secret).toMatch(/^v1\./);
    expect(active.totp_secret).not.toContain(secret);
    expect(active.totp_pending_secret).toBeNull();
    expect(active.totp_enabled_at).not.toBeNull();
    const again = await call(session, 'POST', '/api/v1/auth/totp/enrolment');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'totp-already-enabled' });
    const info = await call(session, 'GET', '/api/v1/auth/session');
    expect(info.json()).toMatchObject({ signIn: { totpEnabled: true } });
    expect((await auditActions('auth.totp-enabled')).map((row) => row.actor_name)).toContain('enrol');
  });

  it('signs in with password, then code: the pending token is not a session, and a code is good only once', async () => {
    await createTestUser(database.db, tenant, 'second', 'caseworker', 'aufenthalt');
    const secret = await giveTotp('second');
    const first = await login('second');
    expect(first.statusCode).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    const pending = first.json<{ secondFactor: string; pendingToken: string; expiresAt: string }>();
    expect(pending.secondFactor).toBe('totp');
    expect(new Date(pending.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    // The pending token opens nothing.
    const asBearer = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: `Bearer ${pending.pendingToken}` } });
    expect(asBearer.statusCode).toBe(401);
    const asCookie = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `mf_session=${pending.pendingToken}` } });
    expect(asCookie.statusCode).toBe(401);

    const code = totpCodeAt(secret, new Date());
    const done = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', payload: { pendingToken: pending.pendingToken, code } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ user: { username: 'second' }, signIn: { method: 'password+totp', totpEnabled: true, totpEnrolmentRequired: false } });
    const session = { cookie: cookieHeader(done), csrfToken: done.json<{ csrfToken: string }>().csrfToken };
    expect((await call(session, 'GET', '/api/v1/persons')).statusCode).toBe(200);

    // The pending token is used up, and the same code on a new pending sign-in is a replay.
    const reused = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', headers: { 'accept-language': 'en' }, payload: { pendingToken: pending.pendingToken, code } });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'pending-login-expired' });
    const again = await login('second');
    const replay = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', headers: { 'accept-language': 'en' }, payload: { pendingToken: again.json<{ pendingToken: string }>().pendingToken, code } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'totp-code-invalid', detail: expect.stringContaining('used already') });
    const failures = await auditActions('auth.login-failed');
    expect(failures.some((row) => row.actor_name === 'second' && (row.details as { reason: string }).reason === 'replayed-totp')).toBe(true);
    const logins = await auditActions('auth.login');
    expect(logins.some((row) => row.actor_name === 'second' && (row.details as { method: string }).method === 'password+totp')).toBe(true);
  });

  it('counts wrong codes towards the lockout together with wrong passwords (five in a row lock for 15 minutes)', async () => {
    await createTestUser(database.db, tenant, 'guesser', 'caseworker', 'aufenthalt');
    const secret = await giveTotp('guesser');
    const current = totpCodeAt(secret, new Date());
    const wrongCode = current === '123456' ? '654321' : '123456';
    for (let i = 0; i < 2; i++) expect((await login('guesser', 'wrong password!')).statusCode).toBe(401);
    // A right password does not clear the count while the code is outstanding.
    const pendingToken = (await login('guesser')).json<{ pendingToken: string }>().pendingToken;
    for (let i = 0; i < 2; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', payload: { pendingToken, code: wrongCode } });
      expect(response.statusCode).toBe(401);
    }
    const fifth = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', headers: { 'accept-language': 'en' }, payload: { pendingToken, code: wrongCode } });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'account-locked' });
    const locked = await database.db.selectFrom('users').select('locked_until').where('username', '=', 'guesser').executeTakeFirstOrThrow();
    expect(locked.locked_until!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    // Locked: even the right password and code get nowhere.
    expect((await login('guesser')).statusCode).toBe(423);
    const rightCode = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', payload: { pendingToken, code: current } });
    expect(rightCode.statusCode).not.toBe(200);
  });

  it('refuses a pending sign-in that has run out', async () => {
    await createTestUser(database.db, tenant, 'slow', 'caseworker', 'aufenthalt');
    const secret = await giveTotp('slow');
    const pendingToken = (await login('slow')).json<{ pendingToken: string }>().pendingToken;
    await database.db.updateTable('sign_in_challenges').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', await userId('slow')).execute();
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', payload: { pendingToken, code: totpCodeAt(secret, new Date()) } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'pending-login-expired' });
  });

  it('turns TOTP off only with a valid code; afterwards the password alone signs in', async () => {
    await createTestUser(database.db, tenant, 'disabler', 'caseworker', 'aufenthalt');
    const secret = await giveTotp('disabler');
    const signedInAt = new Date();
    const session = await signInWithTotp('disabler', secret, signedInAt);
    const current = totpCodeAt(secret, signedInAt);
    const wrong = await call(session, 'POST', '/api/v1/auth/totp/disable', { code: current === '123456' ? '654321' : '123456' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'totp-code-invalid' });
    // The code of this step went into the sign-in; the next step's code (inside the window) is fresh.
    const replayed = await call(session, 'POST', '/api/v1/auth/totp/disable', { code: current });
    expect(replayed.statusCode).toBe(400);
    const off = await call(session, 'POST', '/api/v1/auth/totp/disable', { code: totpCodeAt(secret, new Date(signedInAt.getTime() + 30_000)) });
    expect(off.statusCode, off.body).toBe(204);
    const stored = await database.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'failed_logins']).where('username', '=', 'disabler').executeTakeFirstOrThrow();
    expect(stored).toEqual({ totp_secret: null, totp_enabled_at: null, failed_logins: 0 });
    const direct = await login('disabler');
    expect(direct.json()).toMatchObject({ user: { username: 'disabler' }, signIn: { method: 'password', totpEnabled: false } });
    expect((await auditActions('auth.totp-disabled')).map((row) => row.actor_name)).toContain('disabler');
    expect((await auditActions('auth.totp-disable-failed')).map((row) => row.actor_name)).toContain('disabler');
  });

  it('gives a user without TOTP an enrolment-only session where the office requires TOTP', async () => {
    await createTestUser(database.db, strict, 'strict-worker', 'caseworker', 'aufenthalt');
    const session = await signIn('strict-worker');
    const info = await call(session, 'GET', '/api/v1/auth/session');
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ signIn: { totpEnrolmentRequired: true, totpEnabled: false } });
    const refused = await call(session, 'GET', '/api/v1/persons');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'totp-enrolment-required', detail: expect.stringContaining('authenticator app') });
    expect((await call(session, 'GET', '/api/v1/notifications')).json()).toMatchObject({ code: 'totp-enrolment-required' });

    const { secret } = (await call(session, 'POST', '/api/v1/auth/totp/enrolment')).json<{ secret: string }>();
    const confirmed = await call(session, 'POST', '/api/v1/auth/totp/confirm', { code: totpCodeAt(secret, new Date()) });
    expect(confirmed.statusCode).toBe(204);
    expect((await call(session, 'GET', '/api/v1/persons')).statusCode).toBe(200);
    expect((await call(session, 'GET', '/api/v1/auth/session')).json()).toMatchObject({ signIn: { totpEnrolmentRequired: false, totpEnabled: true } });
    // From now on the password alone is not enough.
    expect((await login('strict-worker')).json()).toMatchObject({ secondFactor: 'totp' });
  });

  // --- re-authentication and rights changes --------------------------------------------------------------

  it('lists the office’s users with roles and no password or TOTP data', async () => {
    await createTestUser(database.db, tenant, 'lister', 'admin');
    await createTestUser(database.db, tenant, 'listed', 'caseworker', 'aufenthalt');
    const session = await signIn('lister');
    const response = await call(session, 'GET', '/api/v1/users');
    expect(response.statusCode).toBe(200);
    const users = response.json<{ username: string; roles: { role: string; unit: string | null }[]; version: number }[]>();
    expect(users.find((user) => user.username === 'listed')).toMatchObject({ roles: [{ role: 'caseworker', unit: 'aufenthalt' }], version: 1, totpEnabled: false, ssoLinked: false });
    expect(users.every((user) => !('passwordHash' in user) && !('totpSecret' in user))).toBe(true);
    expect(response.body).not.toMatch(/argon2|password|v1\./);
    // Only this office's users.
    expect(users.some((user) => user.username === 'strict-worker')).toBe(false);
    expect((await call(await signIn('listed'), 'GET', '/api/v1/users')).statusCode).toBe(403);
  });

  it('changes roles with If-Match, audited with before and after; an admin cannot remove their own admin role', async () => {
    await createTestUser(database.db, tenant, 'role-admin', 'admin');
    await createTestUser(database.db, tenant, 'role-target', 'caseworker', 'aufenthalt');
    const session = await signIn('role-admin');
    const target = await userId('role-target');
    const body = { roles: [{ role: 'team-lead', unit: 'aufenthalt' }, { role: 'auditor' }] };

    expect((await call(session, 'PUT', `/api/v1/users/${target}/roles`, body)).statusCode).toBe(428);
    const stale = await call(session, 'PUT', `/api/v1/users/${target}/roles`, body, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version-conflict', currentVersion: 1 });
    const changed = await call(session, 'PUT', `/api/v1/users/${target}/roles`, body, { 'if-match': '"1"' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.json()).toMatchObject({ version: 2, roles: [{ role: 'auditor', unit: null }, { role: 'team-lead', unit: 'aufenthalt' }] });
    // The new roles hold at once, also in sessions that are open already.
    const roles = await database.db.selectFrom('user_roles').select('role').where('user_id', '=', target).orderBy('role').execute();
    expect(roles.map((row) => row.role)).toEqual(['auditor', 'team-lead']);
    const audit = (await auditActions('access.roles-changed')).find((row) => row.entity_id === target);
    expect(audit).toMatchObject({ actor_name: 'role-admin', details: { before: [{ role: 'caseworker', unit: 'aufenthalt' }], after: [{ role: 'auditor', unit: null }, { role: 'team-lead', unit: 'aufenthalt' }] } });

    const unknownUnit = await call(session, 'PUT', `/api/v1/users/${target}/roles`, { roles: [{ role: 'caseworker', unit: 'nowhere' }] }, { 'if-match': '"2"' });
    expect(unknownUnit.statusCode).toBe(400);
    expect(unknownUnit.json()).toMatchObject({ code: 'unknown-unit' });
    const own = await call(session, 'PUT', `/api/v1/users/${await userId('role-admin')}/roles`, { roles: [{ role: 'auditor' }] }, { 'if-match': '"1"' });
    expect(own.statusCode).toBe(409);
    expect(own.json()).toMatchObject({ code: 'own-admin-role' });
    const ownKept = await call(session, 'PUT', `/api/v1/users/${await userId('role-admin')}/roles`, { roles: [{ role: 'admin' }, { role: 'auditor' }] }, { 'if-match': '"1"' });
    expect(ownKept.statusCode).toBe(200);
    const otherOffice = await call(session, 'PUT', `/api/v1/users/${await userId('strict-worker')}/roles`, body, { 'if-match': '"1"' });
    expect(otherOffice.statusCode).toBe(404);
  });

  it('needs a sign-in within ten minutes for rights changes; re-authentication with the password refreshes it', async () => {
    await createTestUser(database.db, tenant, 'reauth-admin', 'admin');
    await createTestUser(database.db, tenant, 'reauth-target', 'caseworker', 'aufenthalt');
    const session = await signIn('reauth-admin');
    const target = await userId('reauth-target');
    const change = (version: number) => call(session, 'PUT', `/api/v1/users/${target}/roles`, { roles: [{ role: 'caseworker', unit: 'aufenthalt' }] }, { 'if-match': `"${version}"` });
    expect((await change(1)).statusCode).toBe(200);

    await ageSession('reauth-admin', 11);
    const stale = await change(2);
    expect(stale.statusCode).toBe(403);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ code: 'reauthentication-required', reauthenticateWith: 'password', totp: false, detail: expect.stringContaining('10 minutes') });
    // Reading stays open: only the routes that declare recentSignIn ask again.
    expect((await call(session, 'GET', '/api/v1/users')).statusCode).toBe(200);

    const wrong = await call(session, 'POST', '/api/v1/auth/reauthenticate', { password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'invalid-credentials' });
    expect((await database.db.selectFrom('users').select('failed_logins').where('username', '=', 'reauth-admin').executeTakeFirstOrThrow()).failed_logins).toBe(1);
    const ok = await call(session, 'POST', '/api/v1/auth/reauthenticate', { password: TEST_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(Date.now() - new Date(ok.json<{ authenticatedAt: string }>().authenticatedAt).getTime()).toBeLessThan(60_000);
    expect((await change(2)).statusCode).toBe(200);
    expect((await auditActions('auth.reauthenticated')).map((row) => row.actor_name)).toContain('reauth-admin');
    expect((await auditActions('auth.reauthentication-failed')).map((row) => row.actor_name)).toContain('reauth-admin');
  });

  it('asks a TOTP user for the code when re-authenticating', async () => {
    await createTestUser(database.db, tenant, 'reauth-totp', 'admin');
    const secret = await giveTotp('reauth-totp');
    const session = await signInWithTotp('reauth-totp', secret);
    await ageSession('reauth-totp', 30);
    const target = await userId('reauth-target');
    const version = (await database.db.selectFrom('users').select('version').where('id', '=', target).executeTakeFirstOrThrow()).version;
    const stale = await call(session, 'PUT', `/api/v1/users/${target}/roles`, { roles: [{ role: 'caseworker', unit: 'aufenthalt' }] }, { 'if-match': `"${version}"` });
    expect(stale.json()).toMatchObject({ code: 'reauthentication-required', totp: true });
    const noCode = await call(session, 'POST', '/api/v1/auth/reauthenticate', { password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json()).toMatchObject({ code: 'totp-code-required' });
    const ok = await call(session, 'POST', '/api/v1/auth/reauthenticate', { password: TEST_PASSWORD, code: totpCodeAt(secret, new Date(Date.now() + 30_000)) });
    expect(ok.statusCode, ok.body).toBe(200);
    const now = await call(session, 'PUT', `/api/v1/users/${target}/roles`, { roles: [{ role: 'caseworker', unit: 'aufenthalt' }] }, { 'if-match': `"${version}"` });
    expect(now.statusCode).toBe(200);
  });

  it('refuses recent-sign-in routes to API tokens: a machine cannot re-authenticate', async () => {
    const token = await createToken(database.db, { tenantSlug: 'office-s', role: 'admin', label: 'admin robot' });
    const target = await userId('reauth-target');
    const response = await app.inject({ method: 'PUT', url: `/api/v1/users/${target}/roles`, headers: { authorization: `Bearer ${token}`, 'if-match': '"1"' }, payload: { roles: [] } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'token-not-allowed' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const reauth = await app.inject({ method: 'POST', url: '/api/v1/auth/reauthenticate', headers: { authorization: `Bearer ${token}` }, payload: { password: 'x' } });
    expect(reauth.statusCode).toBe(403);
    expect(reauth.json()).toMatchObject({ code: 'token-not-allowed' });
  });

  it('lets an administrator turn off a user’s lost authenticator app, ending that user’s sessions', async () => {
    await createTestUser(database.db, tenant, 'reset-admin', 'admin');
    await createTestUser(database.db, tenant, 'lost-phone', 'caseworker', 'aufenthalt');
    const secret = await giveTotp('lost-phone');
    const victimSession = await signInWithTotp('lost-phone', secret);
    const admin = await signIn('reset-admin');
    const target = await userId('lost-phone');
    const reset = await call(admin, 'POST', `/api/v1/users/${target}/totp-reset`, undefined, { 'if-match': '"1"' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ username: 'lost-phone', totpEnabled: false, version: 2 });
    expect((await call(victimSession, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
    expect((await login('lost-phone')).json()).toMatchObject({ user: { username: 'lost-phone' }, signIn: { totpEnabled: false } });
    expect((await auditActions('access.totp-reset')).find((row) => row.entity_id === target)?.details).toMatchObject({ hadTotp: true, sessionsEnded: 1 });
    await ageSession('reset-admin', 11);
    const stale = await call(admin, 'POST', `/api/v1/users/${target}/totp-reset`, undefined, { 'if-match': '"2"' });
    expect(stale.json()).toMatchObject({ code: 'reauthentication-required' });
  });

  // --- sessions ------------------------------------------------------------------------------------------

  it('signs out everywhere: every session of the caller ends, audited; other users keep theirs', async () => {
    await createTestUser(database.db, tenant, 'everywhere', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'bystander', 'caseworker', 'aufenthalt');
    const desk = await signIn('everywhere');
    const laptop = await signIn('everywhere');
    const other = await signIn('bystander');
    const out = await call(desk, 'POST', '/api/v1/auth/logout-all');
    expect(out.statusCode).toBe(204);
    for (const session of [desk, laptop]) {
      const after = await call(session, 'GET', '/api/v1/auth/session');
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ code: 'session-expired' });
    }
    expect((await call(other, 'GET', '/api/v1/auth/session')).statusCode).toBe(200);
    const audit = (await auditActions('auth.logout-all')).find((row) => row.actor_name === 'everywhere');
    expect(audit?.details).toMatchObject({ sessions: 2 });
  });

  it('keeps the idle timeout: a session idle too long has expired', async () => {
    await createTestUser(database.db, tenant, 'idler', 'caseworker', 'aufenthalt');
    const session = await signIn('idler');
    await database.db.updateTable('sessions').set({ idle_expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', await userId('idler')).execute();
    expect((await call(session, 'GET', '/api/v1/auth/session')).json()).toMatchObject({ code: 'session-expired' });
  });

  // --- single sign-on ------------------------------------------------------------------------------------

  async function startSso(extra = '', session?: Session) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/auth/oidc/office-s/start${extra}`, headers: session ? { cookie: session.cookie } : {} });
    expect(response.statusCode, response.body).toBe(302);
    const flowCookie = setCookieNamed(response, 'mf_oidc');
    expect(flowCookie).not.toBeNull();
    return { location: String(response.headers.location), flowCookie: flowCookie ?? '' };
  }

  async function callback(returned: URL, cookies: string[], accept = 'application/json') {
    return app.inject({ method: 'GET', url: `${returned.pathname}${returned.search}`, headers: { cookie: cookies.join('; '), accept, 'accept-language': 'en' } });
  }

  it('names the office’s single sign-on for the sign-in page', async () => {
    const one = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/providers?tenant=office-s' });
    expect(one.json()).toEqual([{ tenant: 'office-s', tenantName: 'Office office-s', label: 'Office Login', startUrl: '/api/v1/auth/oidc/office-s/start' }]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/providers?tenant=office-strict' })).json()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/providers?tenant=nowhere' })).json()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/providers' })).json()).toEqual(one.json());
    const none = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/office-strict/start' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'oidc-not-configured' });
  });

  it('signs in through a real OpenID provider (code + PKCE + state + nonce), linking the subject by e-mail on first use', async () => {
    await createTenantUserWithEmail('anna', 'anna.muster@office.test', 'caseworker', 'aufenthalt');
    const { location, flowCookie } = await startSso('?returnTo=/cases');
    const authorize = new URL(location);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/v1/auth/oidc/callback`);
    expect(authorize.searchParams.get('prompt')).toBeNull();

    const returned = await signInAtProvider(location, 'sub-anna');
    expect(returned.searchParams.get('code')).toBeTruthy();
    const done = await callback(returned, [flowCookie]);
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/cases');
    const sessionCookie = setCookieNamed(done, 'mf_session');
    expect(sessionCookie).not.toBeNull();
    const info = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: sessionCookie ?? '' } });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ user: { username: 'anna', roles: ['caseworker'] }, signIn: { method: 'oidc', reauthenticateWith: 'oidc' } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { cookie: sessionCookie ?? '' } })).statusCode).toBe(200);

    const linked = await database.db.selectFrom('users').select('oidc_subject').where('username', '=', 'anna').executeTakeFirstOrThrow();
    expect(linked.oidc_subject).toBe('sub-anna');
    expect((await auditActions('access.oidc-linked')).map((row) => row.actor_name)).toContain('anna');
    expect((await auditActions('auth.login')).some((row) => row.actor_name === 'anna' && (row.details as { method: string }).method === 'oidc')).toBe(true);

    // The second time the linked subject finds her, even after her e-mail changed in MigraFlow.
    await database.db.updateTable('users').set({ email: 'anna@new-address.test' }).where('username', '=', 'anna').execute();
    const next = await startSso();
    const again = await callback(await signInAtProvider(next.location, 'sub-anna'), [next.flowCookie]);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/');
  });

  it('refuses a person the provider knows but MigraFlow does not, audited, with a clear problem or page', async () => {
    const first = await startSso();
    const refused = await callback(await signInAtProvider(first.location, 'sub-stranger'), [first.flowCookie]);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'oidc-unknown-user', detail: expect.stringContaining('no user account in MigraFlow') });
    expect(setCookieNamed(refused, 'mf_session')).toBeNull();
    const audit = (await auditActions('auth.oidc-refused')).find((row) => row.actor_name === 'stranger@elsewhere.test');
    expect(audit?.details).toMatchObject({ reason: 'unknown-user', subject: 'sub-stranger' });

    // A browser gets the sign-in page with the reason instead of JSON.
    const second = await startSso();
    const page = await callback(await signInAtProvider(second.location, 'sub-stranger'), [second.flowCookie], 'text/html,application/xhtml+xml');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?ssoError=oidc-unknown-user');

    // An e-mail the provider has not verified names nobody.
    const third = await startSso();
    const unverified = await callback(await signInAtProvider(third.location, 'sub-unverified'), [third.flowCookie]);
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json()).toMatchObject({ code: 'oidc-unknown-user' });
  });

  it('refuses a callback without the flow cookie of the browser that started it, or with another state', async () => {
    const { location, flowCookie } = await startSso();
    const returned = await signInAtProvider(location, 'sub-anna');
    const withoutCookie = await callback(returned, []);
    expect(withoutCookie.statusCode).toBe(400);
    expect(withoutCookie.json()).toMatchObject({ code: 'oidc-failed' });
    const other = await startSso();
    const crossed = await callback(returned, [other.flowCookie]);
    expect(crossed.statusCode).toBe(400);
    // The right cookie still works once: the state matches and the code is unused.
    const ok = await callback(returned, [flowCookie]);
    expect(ok.statusCode).toBe(303);
    const replay = await callback(returned, [flowCookie]);
    expect(replay.statusCode).toBe(400);
    expect((await auditActions('auth.oidc-refused')).some((row) => (row.details as { reason: string }).reason === 'state-mismatch')).toBe(true);
  });

  it('re-authenticates a single sign-on session at the provider (prompt=login, max_age=0), refreshing its sign-in time', async () => {
    await createTenantUserWithEmail('sso-admin', 'sso-admin@office.test', 'admin', null);
    const first = await startSso();
    const signedIn = await callback(await signInAtProvider(first.location, 'sub-sso-admin'), [first.flowCookie]);
    const cookie = setCookieNamed(signedIn, 'mf_session') ?? '';
    const info = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    const session = { cookie, csrfToken: info.json<{ csrfToken: string }>().csrfToken };
    await ageSession('sso-admin', 20);
    const target = await userId('reauth-target');
    const version = (await database.db.selectFrom('users').select('version').where('id', '=', target).executeTakeFirstOrThrow()).version;
    const change = () => call(session, 'PUT', `/api/v1/users/${target}/roles`, { roles: [{ role: 'caseworker', unit: 'aufenthalt' }] }, { 'if-match': `"${version}"` });
    expect((await change()).json()).toMatchObject({ code: 'reauthentication-required', reauthenticateWith: 'oidc' });
    // No password here: the provider is where this person proves who they are.
    const byPassword = await call(session, 'POST', '/api/v1/auth/reauthenticate', { password: TEST_PASSWORD });
    expect(byPassword.statusCode).toBe(409);
    expect(byPassword.json()).toMatchObject({ code: 'reauthenticate-with-sso' });

    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/office-s/start?reauth=1' });
    expect(anonymous.statusCode).toBe(401);
    const reauth = await startSso('?reauth=1&returnTo=/admin', session);
    const authorize = new URL(reauth.location);
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(authorize.searchParams.get('max_age')).toBe('0');
    const back = await callback(await signInAtProvider(reauth.location, 'sub-sso-admin'), [reauth.flowCookie, cookie]);
    expect(back.statusCode, back.body).toBe(303);
    expect(back.headers.location).toBe('/admin');
    expect(setCookieNamed(back, 'mf_session')).toBeNull(); // the same session, now fresh
    expect((await change()).statusCode).toBe(200);
    expect((await auditActions('auth.reauthenticated')).some((row) => row.actor_name === 'sso-admin' && (row.details as { method: string }).method === 'oidc')).toBe(true);

    // Someone else signing in at the provider does not re-authenticate this session.
    const crossed = await startSso('?reauth=1', session);
    const refused = await callback(await signInAtProvider(crossed.location, 'sub-anna'), [crossed.flowCookie, cookie]);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'oidc-failed' });
  });

  async function createTenantUserWithEmail(username: string, email: string, role: 'caseworker' | 'admin', unit: string | null): Promise<void> {
    await createTestUser(database.db, tenant, username, role, unit);
    await database.db.updateTable('users').set({ email }).where('username', '=', username).execute();
  }
});
