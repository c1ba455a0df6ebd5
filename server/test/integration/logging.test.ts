import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/database.js';
import { createToken } from '../../src/modules/access/index.js';
import { createTestDatabase } from '../support/db.js';
import { createTenant, createTestUser, signIn, TEST_PASSWORD, testConfig } from '../support/fixtures.js';

/** The server's logs (every level) never hold a password, a session cookie, a CSRF token or an API token. */
describe('no secrets in the logs', () => {
  let database: Database;
  let app: FastifyInstance;
  let logged = '';

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
    app = await buildApp({ config: { ...testConfig, logLevel: 'trace' }, database, webRoot: null, logStream: stream });
    await app.ready();
    const office = await createTenant(database.db, 'office-logs');
    await createTestUser(database.db, office, 'log-worker', 'caseworker', 'aufenthalt');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('logs requests and refusals without their secrets', async () => {
    const session = await signIn(app, 'log-worker');
    const cookieValue = session.cookie.split('=')[1] ?? '';
    const wrongPassword = 'not-the-password-4711';
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'log-worker', password: wrongPassword } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'log-worker', password: wrongPassword, extra: 'field' } });
    await app.inject({ method: 'GET', url: '/api/v1/persons?q=a', headers: { cookie: session.cookie } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie } }); // no CSRF token: refused
    const token = await createToken(database.db, { tenantSlug: 'office-logs', role: 'partner', label: 'statistics feed' });
    await app.inject({ method: 'GET', url: '/api/v1/statistics/foreign-population?date=2026-01-01', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: `Bearer ${token}x` } });

    // The logs did record the traffic, refusals included…
    expect(logged).toContain('/api/v1/auth/login');
    expect(logged).toContain('request refused');
    expect(logged).toContain('/api/v1/statistics/foreign-population');
    // …but none of the secrets that travelled with it.
    for (const secret of [TEST_PASSWORD, wrongPassword, cookieValue, session.csrfToken, token]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logged).not.toContain(secret);
    }
  });
});
