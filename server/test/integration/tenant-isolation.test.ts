import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import type { RoleSlug } from '../../src/platform/db/tables.js';
import { declaredRoutes } from '../../src/modules/access/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * Leak tests: every read route of the running server (lists, searches, files, exports — new routes
 * are picked up by themselves), called by every role of another office and by a municipal clerk
 * of another municipality, with the ids of office A's records filled into the path. No answer may
 * carry a name, an id or a reference of office A (or of the other municipality).
 */

const STAFF: RoleSlug[] = ['caseworker', 'team-lead', 'municipal-clerk', 'admin', 'auditor', 'partner'];
const UNIT_OF: Partial<Record<RoleSlug, string>> = { caseworker: 'aufenthalt', 'team-lead': 'aufenthalt', 'municipal-clerk': 'gemeinde-1061' };
// Only what the route's own listing needs; e.g. the key figures need a year.
const QUERY = 'q=Amsel&year=2026&from=2020-01-01&to=2030-12-31';

describe.each(DATABASE_KINDS)('tenant and municipality isolation on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let officeA: TestTenant;
  const secrets: string[] = [];
  const ids: string[] = [];
  const sessionsB = new Map<RoleSlug, Session>();
  let kriensClerkA: Session;
  let luzernPersonId = '';

  async function call(session: Session, method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return app.inject({ method: method as 'GET', url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en' } });
  }

  /** Every GET route with each of office A's ids in each path parameter (or once, without parameters). */
  function readUrls(): string[] {
    const urls = new Set<string>();
    for (const route of declaredRoutes(app)) {
      if (route.method !== 'GET' || route.permission === 'public' || !route.url.startsWith('/api/v1/')) continue;
      if (!route.url.includes(':')) {
        urls.add(`${route.url}?${QUERY}`);
        continue;
      }
      for (const id of ids) urls.add(route.url.replace(/:tenantSlug/g, officeA.slug).replace(/:[A-Za-z]+/g, id));
    }
    return [...urls].sort();
  }

  /** Secrets in the answer; an id the caller put into the URL itself (echoed in a problem's `instance`) is no leak. */
  function leaked(url: string, response: LightMyRequestResponse, forbidden: readonly string[]): string[] {
    return forbidden.filter((secret) => !url.includes(secret) && response.body.includes(secret));
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    officeA = await createTenant(database.db, 'office-a');
    const officeB = await createTenant(database.db, 'office-b');

    // Office A: a person in Luzern with a case, papers and a letter; a person in Kriens.
    await addPersons(database.db, [person(officeA.id, 'Amselfeld', 'Annika', LUZERN), person(officeA.id, 'Kriensberger', 'Karl', KRIENS)]);
    const persons = await database.db.selectFrom('persons').select(['id', 'official_name']).where('tenant_id', '=', officeA.id).execute();
    luzernPersonId = persons.find((p) => p.official_name === 'Amselfeld')!.id;
    await createTestUser(database.db, officeA, 'worker-a', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, officeA, 'clerk-a-kriens', 'municipal-clerk', 'gemeinde-1059');
    const workerA = await signIn(app, 'worker-a');
    const opened = await call(workerA, 'POST', '/api/v1/cases', { typeSlug: 'welcome-talk', personId: luzernPersonId, language: 'de', checklist: [] });
    expect(opened.statusCode).toBe(201);
    const caseA = opened.json<{ id: string; reference: string }>();
    const paper = await call(workerA, 'POST', `/api/v1/persons/${luzernPersonId}/papers`, { kind: 'passport', designation: 'Reisepass', number: 'ZX998877', issuingCountry: 'DE', validUntil: '2031-01-31', depositedOn: '2026-03-10', feeChf: 30 });
    expect(paper.statusCode).toBe(201);
    const permit = await call(workerA, 'POST', `/api/v1/persons/${luzernPersonId}/permits`, { category: 'B', admissionReason: 'eu-efta-employment', validFrom: '2026-01-01', validUntil: '2027-01-01', cardNumber: 'KA445566' });
    const documents = await database.db.selectFrom('documents').select('id').where('tenant_id', '=', officeA.id).execute();
    const permits = await database.db.selectFrom('permits').select('id').where('tenant_id', '=', officeA.id).execute();

    ids.push(luzernPersonId, caseA.id, paper.json<{ id: string }>().id, ...permits.map((p) => p.id), ...documents.map((d) => d.id));
    secrets.push('Amselfeld', 'Annika', 'Kriensberger', 'ZX998877', 'KA445566', caseA.reference, ...ids);
    expect(permit.statusCode).toBe(201);

    for (const role of STAFF) {
      await createTestUser(database.db, officeB, `b-${role}`, role, UNIT_OF[role] ?? null);
      sessionsB.set(role, await signIn(app, `b-${role}`));
    }
    kriensClerkA = await signIn(app, 'clerk-a-kriens');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("gives no role of another office anything of office A, on any read route", async () => {
    const urls = readUrls();
    expect(urls.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    let answered = 0;
    for (const [role, session] of sessionsB) {
      for (const url of urls) {
        const response = await call(session, 'GET', url);
        expect(response.statusCode, `${role} ${url}`).toBeLessThan(500);
        if (response.statusCode === 200) answered += 1;
        for (const secret of leaked(url, response, secrets)) leaks.push(`${role} GET ${url} → ${response.statusCode} shows ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
    // The routes did answer (an empty list, a 404): the test is not passing on refusals alone.
    expect(answered).toBeGreaterThan(10);
  });

  it('gives a municipal clerk nothing of a person registered in another municipality', async () => {
    const leaks: string[] = [];
    for (const url of readUrls()) {
      const response = await call(kriensClerkA, 'GET', url);
      expect(response.statusCode, url).toBeLessThan(500);
      for (const secret of leaked(url, response, ['Amselfeld', 'Annika', 'ZX998877', luzernPersonId])) leaks.push(`GET ${url} → ${response.statusCode} shows ${secret}`);
    }
    expect(leaks).toEqual([]);
    // …while the clerk does see the person of their own municipality.
    const own = await call(kriensClerkA, 'GET', '/api/v1/persons?q=Kriensberger');
    expect(own.body).toContain('Kriensberger');
  });

  it("refuses to write to office A's records from another office", async () => {
    const worker = sessionsB.get('caseworker')!;
    const attempts = [
      await call(worker, 'PATCH', `/api/v1/persons/${luzernPersonId}`, { changes: { officialName: 'Hijacked' }, correction: true }),
      await call(worker, 'POST', `/api/v1/persons/${luzernPersonId}/disclosure`, { reason: 'Checking where the person lives now' }),
      await call(worker, 'POST', '/api/v1/cases', { typeSlug: 'welcome-talk', personId: luzernPersonId, language: 'de', checklist: [] }),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([expect.any(Number), 404, expect.any(Number)]);
    for (const response of attempts) expect([400, 404, 428]).toContain(response.statusCode);
    const name = await database.db.selectFrom('persons').select('official_name').where('id', '=', luzernPersonId).executeTakeFirstOrThrow();
    expect(name.official_name).toBe('Amselfeld');
  });
});
