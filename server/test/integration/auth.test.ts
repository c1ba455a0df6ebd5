import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createToken } from '../../src/modules/access/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, cookieHeader, createTenant, createTestUser, signIn, TEST_PASSWORD } from '../support/fixtures.js';

describe.each(DATABASE_KINDS)('sign-in, sessions and tokens on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const tenant = await createTenant(database.db, 'office-a');
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'victim', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'idle', 'caseworker', 'aufenthalt');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('signs in with an HttpOnly, SameSite session cookie and returns user, office and CSRF token', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'Worker', password: TEST_PASSWORD } });
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^mf_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const body = response.json() as { user: { username: string; roles: string[] }; tenant: { slug: string }; csrfToken: string };
    expect(body.user).toMatchObject({ username: 'worker', roles: ['caseworker'] });
    expect(body.tenant.slug).toBe('office-a');
    expect(body.csrfToken).toMatch(/^[0-9a-f]{64}$/);

    const stored = await database.db.selectFrom('sessions').select('id_hash').execute();
    const cookieValue = cookieHeader(response).split('=')[1];
    expect(stored.map((row) => row.id_hash)).not.toContain(cookieValue);
  });

  it('refuses a wrong password with a human sentence, and audits the failure', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en' }, payload: { username: 'worker', password: 'wrong password!' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'invalid-credentials', detail: 'The user name or password is wrong.' });
    const unknownUser = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'whatever' } });
    expect(unknownUser.statusCode).toBe(401);
    expect(unknownUser.json()).toMatchObject({ code: 'invalid-credentials' });
    const failures = await database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'auth.login-failed').execute();
    expect(failures.map((row) => row.actor_name)).toEqual(expect.arrayContaining(['worker', 'nobody']));
  });

  it('locks an account after five wrong passwords, even for the right password', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: `guess ${attempt}` } });
      expect(response.statusCode).toBe(401);
    }
    const fifth = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'de' }, payload: { username: 'victim', password: 'guess 5' } });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'account-locked' });
    expect((fifth.json() as { detail: string }).detail).toMatch(/gesperrt/);
    const right = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(423);
  });

  it('needs the CSRF token for state-changing requests made with the cookie', async () => {
    const session = await signIn(app, 'worker');
    const without = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'csrf-token-missing' });
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': 'f'.repeat(64) } });
    expect(wrong.statusCode).toBe(403);
    const stillIn = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(stillIn.statusCode).toBe(200);
  });

  it('signs out: the session no longer works afterwards', async () => {
    const session = await signIn(app, 'worker');
    const info = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(info.statusCode).toBe(200);
    expect((info.json() as { csrfToken: string }).csrfToken).toBe(session.csrfToken);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
    expect(out.statusCode).toBe(204);
    const after = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'session-expired' });
  });

  it('reports an idle-expired session as expired, and no session as unauthenticated', async () => {
    const session = await signIn(app, 'idle');
    const user = await database.db.selectFrom('users').select('id').where('username', '=', 'idle').executeTakeFirstOrThrow();
    await database.db.updateTable('sessions').set({ idle_expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
    const expired = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { cookie: session.cookie, 'accept-language': 'en' } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'session-expired', detail: 'Your session has expired. Please sign in again.' });
    const none = await app.inject({ method: 'GET', url: '/api/v1/persons' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('accepts hashed API tokens as Bearer credentials and refuses unknown ones', async () => {
    const token = await createToken(database.db, { tenantSlug: 'office-a', role: 'caseworker', unitSlug: 'aufenthalt', label: 'test client' });
    const stored = await database.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(token);
    const ok = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    // Token clients need no CSRF token: no cookie rides along.
    const bad = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: 'Bearer mf_not-a-real-token' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'invalid-token' });
  });

  it('refuses roles that lack the permission with 403', async () => {
    const token = await createToken(database.db, { tenantSlug: 'office-a', role: 'auditor', label: 'auditor client' });
    const response = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
  });

  it('rate-limits sign-in attempts per address with a 429 problem', async () => {
    // A separate app instance: its rate-limit counters start at zero.
    const limited = await buildTestApp(database);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const response = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.7', payload: { username: `spray${i}`, password: 'x' } });
        statuses.push(response.statusCode);
      }
      expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
      const refused = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.7', headers: { 'accept-language': 'en' }, payload: { username: 'worker', password: TEST_PASSWORD } });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'rate-limited', detail: expect.stringMatching(/Please wait \d+ seconds/) });
      const otherAddress = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.8', payload: { username: 'worker', password: TEST_PASSWORD } });
      expect(otherAddress.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
