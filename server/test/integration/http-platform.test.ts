import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session } from '../support/fixtures.js';

describe.each(DATABASE_KINDS)('HTTP platform on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let session: Session;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const tenant = await createTenant(database.db, 'office-a');
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    session = await signIn(app, 'worker');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers health with the database status', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('publishes an OpenAPI 3.1 description of every API route', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/v1/auth/login', '/api/v1/auth/session', '/api/v1/auth/logout', '/api/v1/persons', '/api/v1/persons/{id}']));
    expect(spec.components.schemas).toHaveProperty('Problem');
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'accept-language': 'en' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json() as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 404, code: 'route-not-found', title: 'Unknown address', instance: '/api/v1/nothing-here' });
    expect(problem.detail).toBe('There is nothing at GET /api/v1/nothing-here.');
    expect(problem.requestId).toBe(response.headers['x-request-id']);
  });

  it('refuses malformed JSON with a problem in the caller\u2019s language', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'accept-language': 'de-CH, en;q=0.5' }, payload: '{"username": "worker", ' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'malformed-json', detail: 'Der Inhalt der Anfrage ist kein gültiges JSON.' });
  });

  it('refuses unknown fields instead of dropping them, naming the field', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en' }, payload: { username: 'worker', password: 'x', rememberMe: true } });
    expect(response.statusCode).toBe(400);
    const problem = response.json() as { code: string; errors: { field: string; message: string }[]; detail: string };
    expect(problem.code).toBe('validation-failed');
    expect(problem.errors).toContainEqual({ field: 'rememberMe', message: 'is not a known field' });
    expect(problem.detail).toContain('rememberMe');
  });

  it('validates query parameters', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/persons?limit=5000', headers: { cookie: session.cookie, 'accept-language': 'fr' } });
    expect(response.statusCode).toBe(400);
    const problem = response.json() as { code: string; title: string; errors: { field: string }[] };
    expect(problem.code).toBe('validation-failed');
    expect(problem.title).toBe('Saisie non valable');
    expect(problem.errors[0]?.field).toBe('limit');
  });

  it('threads a caller-supplied request id and makes one otherwise', async () => {
    const given = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'proxy-1234-abcd' } });
    expect(given.headers['x-request-id']).toBe('proxy-1234-abcd');
    const made = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers with a strict content security policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses to start when an API route declares no permission', async () => {
    const { createHttpServer } = await import('../../src/platform/http/server.js');
    const { installAccessControl } = await import('../../src/modules/access/index.js');
    const bare = await createHttpServer({ logLevel: 'silent', version: 'test' });
    installAccessControl(bare, database.db, { secret: 'x'.repeat(32), idleMinutes: 30, absoluteHours: 12 });
    expect(() => bare.get('/api/v1/undeclared', async () => 'open')).toThrow(/declares no valid permission/);
    await bare.close();
  });
});
