import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase } from '../support/db.js';
import { createTenant, createTestUser, signIn, testConfig, type Session } from '../support/fixtures.js';

/** The API's request limit counts per signed-in user, and per address before sign-in. */
describe('API rate limits', () => {
  let database: Database;
  let app: FastifyInstance;
  let first: Session;
  let second: Session;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = await buildApp({ config: { ...testConfig, apiRequestsPerMinute: 5 }, database, webRoot: null });
    await app.ready();
    const office = await createTenant(database.db, 'office-limits');
    await createTestUser(database.db, office, 'busy-one', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, office, 'busy-two', 'caseworker', 'aufenthalt');
    first = await signIn(app, 'busy-one');
    second = await signIn(app, 'busy-two');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const session = (who: Session) => app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: who.cookie, 'accept-language': 'de' } });

  it('stops one busy user with a problem that says when to try again, and not the colleague', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await session(first)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await session(first);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, code: 'rate-limited' });
    expect((await session(second)).statusCode).toBe(200);
  });

  it('counts callers without a session per address, and never limits the health check', async () => {
    const fromOneAddress = [];
    for (let i = 0; i < 6; i += 1) fromOneAddress.push((await app.inject({ method: 'GET', url: '/api/openapi.json', remoteAddress: '203.0.113.7' })).statusCode);
    expect(fromOneAddress.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(fromOneAddress[5]).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json', remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
    for (let i = 0; i < 8; i += 1) expect((await app.inject({ method: 'GET', url: '/api/health', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
  });
});
