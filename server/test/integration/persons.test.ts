import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, LUZERN, person, signIn, type Session } from '../support/fixtures.js';

interface Summary {
  id: string;
  officialName: string;
  firstNames: string;
  municipality: string | null;
  blocked: boolean;
}

describe.each(DATABASE_KINDS)('person list and search on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let caseworker: Session;
  let clerkLuzern: Session;
  let otherOffice: Session;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const a = await createTenant(database.db, 'office-a');
    const b = await createTenant(database.db, 'office-b');
    await addPersons(database.db, [
      person(a.id, 'Müller', 'Hans Peter', LUZERN),
      person(a.id, 'Kovačević', 'Ivana', KRIENS),
      person(a.id, 'Gonçalves', 'Ana Rita', LUZERN),
      person(a.id, 'Zürcher', 'Lea', LUZERN),
      person(b.id, 'Müller', 'Other Office', LUZERN),
    ]);
    await database.db.updateTable('persons').set({ blocking_note: true }).where('official_name', '=', 'Zürcher').execute();
    await createTestUser(database.db, a, 'worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, a, 'clerk-lu', 'municipal-clerk', 'gemeinde-1061');
    await createTestUser(database.db, b, 'worker-b', 'caseworker', 'aufenthalt');
    caseworker = await signIn(app, 'worker');
    clerkLuzern = await signIn(app, 'clerk-lu');
    otherOffice = await signIn(app, 'worker-b');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function search(session: Session, q: string, limit = 20): Promise<Summary[]> {
    const response = await app.inject({ method: 'GET', url: `/api/v1/persons?q=${encodeURIComponent(q)}&limit=${limit}`, headers: { cookie: session.cookie } });
    expect(response.statusCode).toBe(200);
    return response.json() as Summary[];
  }

  it('lists the office\u2019s persons alphabetically when the query is empty', async () => {
    const all = await search(caseworker, '');
    expect(all.map((p) => p.officialName)).toEqual(['Gonçalves', 'Kovačević', 'Müller', 'Zürcher']);
  });

  it('finds names without diacritics, in any case, and with typos', async () => {
    expect((await search(caseworker, 'kovacevic'))[0]?.officialName).toBe('Kovačević');
    expect((await search(caseworker, 'GONCALVES'))[0]?.officialName).toBe('Gonçalves');
    expect((await search(caseworker, 'Muller Hans'))[0]?.officialName).toBe('Müller');
    expect((await search(caseworker, 'kovacevik ivana'))[0]?.officialName).toBe('Kovačević');
  });

  it('never shows another office\u2019s persons', async () => {
    const mine = await search(caseworker, 'müller');
    expect(mine.map((p) => p.firstNames)).toEqual(['Hans Peter']);
    const theirs = await search(otherOffice, '');
    expect(theirs.map((p) => p.firstNames)).toEqual(['Other Office']);
    const foreign = await app.inject({ method: 'GET', url: `/api/v1/persons/${mine[0]!.id}`, headers: { cookie: otherOffice.cookie } });
    expect(foreign.statusCode).toBe(404);
  });

  it('shows a municipal clerk only persons living in the clerk\u2019s municipality', async () => {
    const seen = await search(clerkLuzern, '');
    expect(seen.map((p) => p.officialName).sort()).toEqual(['Gonçalves', 'Müller', 'Zürcher']);
  });

  it('hides where a person with a blocking note lives', async () => {
    const [blocked] = await search(caseworker, 'zürcher');
    expect(blocked).toMatchObject({ blocked: true, municipality: null });
    const detail = await app.inject({ method: 'GET', url: `/api/v1/persons/${blocked!.id}`, headers: { cookie: caseworker.cookie } });
    expect(detail.json()).toMatchObject({ blockingNote: true, residences: [] });
  });

  it('returns one person with residences and an ETag, and audits every read', async () => {
    const [found] = await search(caseworker, 'Gonçalves');
    const response = await app.inject({ method: 'GET', url: `/api/v1/persons/${found!.id}`, headers: { cookie: caseworker.cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toMatchObject({ identity: { officialName: 'Gonçalves' }, residences: [{ municipalityBfs: 1061, municipalityName: 'Luzern', departureDate: null }] });
    const reads = await database.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_name', 'request_id']).where('action', '=', 'person.read').execute();
    expect(reads).toContainEqual({ action: 'person.read', entity_id: found!.id, actor_name: 'worker', request_id: response.headers['x-request-id'] });
    const searches = await database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'person.search').where('actor_name', '=', 'worker').execute();
    expect(searches.length).toBeGreaterThan(3);
  });

  it('answers 404 for an unknown person and 400 for an id that is not a UUID', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/persons/00000000-0000-4000-8000-000000000000', headers: { cookie: caseworker.cookie, 'accept-language': 'en' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not-found', detail: 'The person was not found.' });
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/persons/123', headers: { cookie: caseworker.cookie } });
    expect(malformed.statusCode).toBe(400);
  });
});
