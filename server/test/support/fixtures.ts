import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/database.js';
import type { RoleSlug } from '../../src/platform/db/tables.js';
import { createUser } from '../../src/modules/access/index.js';
import { installPermitCatalogue } from '../../src/modules/permits/index.js';
import { installCaseTypes } from '../../src/modules/cases/index.js';
import { insertPersons, type NewPerson } from '../../src/modules/register/index.js';
import { inTransaction, type Db } from '../../src/platform/db/transaction.js';

export const TEST_PASSWORD = 'correct horse battery';

export const testConfig = {
  logLevel: 'silent' as const,
  sessionSecret: 'test-secret-test-secret-test-secret-0123',
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  cookieSecure: false,
  // Tests send far more requests than a person would; the limit itself is tested in rate-limits.test.ts.
  apiRequestsPerMinute: 0,
};

export async function buildTestApp(database: Database): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig, database, webRoot: null });
  await app.ready();
  return app;
}

export interface TestTenant {
  id: string;
  slug: string;
  units: Record<string, string>;
}

/** A tenant with two office units and two municipalities (Luzern 1061, Kriens 1059); Swiss (Lucerne) unless told otherwise. */
export async function createTenant(db: Db, slug: string, where: { country: 'CH' | 'DE'; region: string } = { country: 'CH', region: 'LU' }): Promise<TestTenant> {
  return inTransaction(db, async (trx) => {
    const tenant = await trx.insertInto('tenants').values({ slug, name: `Office ${slug}`, country: where.country, region: where.region }).returning('id').executeTakeFirstOrThrow();
    const units = await trx
      .insertInto('units')
      .values([
        { tenant_id: tenant.id, slug: 'aufenthalt', name: 'Aufenthalt', kind: 'office', bfs_number: null },
        { tenant_id: tenant.id, slug: 'gemeinde-1061', name: 'Einwohnerkontrolle Luzern', kind: 'municipality', bfs_number: 1061 },
        { tenant_id: tenant.id, slug: 'gemeinde-1059', name: 'Einwohnerkontrolle Kriens', kind: 'municipality', bfs_number: 1059 },
      ])
      .returning(['id', 'slug'])
      .execute();
    await installPermitCatalogue(trx, tenant.id, where.country);
    await installCaseTypes(trx, tenant.id, where.country);
    return { id: tenant.id, slug, units: Object.fromEntries(units.map((unit) => [unit.slug, unit.id])) };
  });
}

export async function createTestUser(db: Db, tenant: TestTenant, username: string, role: RoleSlug, unitSlug: string | null = null): Promise<string> {
  return createUser(db, { tenantSlug: tenant.slug, username, displayName: `Test ${username}`, password: TEST_PASSWORD, roles: [{ role, unitSlug }] }, 'test');
}

export function person(tenantId: string, officialName: string, firstNames: string, municipality: { bfs: number; name: string }, extra: Partial<NewPerson> = {}): NewPerson {
  return {
    id: randomUUID(),
    tenantId,
    ahvn13: null,
    officialName,
    firstNames,
    callName: null,
    maidenName: null,
    nameInForeignPassport: null,
    sex: 'f',
    dateOfBirth: '1985-04-12',
    placeOfBirth: null,
    countryOfBirth: null,
    nationality: 'DE',
    placeOfOrigin: null,
    civilStatus: 'single',
    civilStatusDate: null,
    religion: null,
    residences: [
      {
        kind: 'main',
        municipalityBfs: municipality.bfs,
        municipalityName: municipality.name,
        street: 'Pilatusstrasse',
        houseNumber: '1',
        postalCode: '6003',
        town: municipality.name,
        egid: 123456,
        ewid: 1,
        arrivalDate: '2020-01-01',
        arrivedFrom: null,
        departureDate: null,
        departedTo: null,
      },
    ],
    ...extra,
  };
}

export const LUZERN = { bfs: 1061, name: 'Luzern' };
export const KRIENS = { bfs: 1059, name: 'Kriens' };

export async function addPersons(db: Db, persons: NewPerson[]): Promise<void> {
  await inTransaction(db, (trx) => insertPersons(trx, persons));
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs in through the API and returns the cookie header and CSRF token to send (from another address, when given: sign-in is rate-limited per address). */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD, remoteAddress?: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, ...(remoteAddress ? { remoteAddress } : {}) });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${response.statusCode} ${response.body}`);
  return { cookie: cookieHeader(response), csrfToken: (response.json() as { csrfToken: string }).csrfToken };
}

export function cookieHeader(response: LightMyRequestResponse): string {
  const setCookie = response.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('no cookie set');
  return first.split(';')[0] ?? '';
}
