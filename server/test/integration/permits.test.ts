import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session } from '../support/fixtures.js';

interface Permit {
  id: string;
  category: string;
  validFrom: string;
  validUntil: string | null;
  controlDate: string | null;
  endedOn: string | null;
  lStayStart: string | null;
  immigrationGroup: string | null;
  version: number;
  history: { event: string; date: string }[];
}

describe.each(DATABASE_KINDS)('permits and key figures on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let worker: Session;
  const ids: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrfToken, 'accept-language': 'en', ...headers } });
  }
  async function grant(who: string, body: object): Promise<LightMyRequestResponse> {
    return call('POST', `/api/v1/persons/${ids[who]}/permits`, body);
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const tenant = await createTenant(database.db, 'office-a');
    const arriving = (arrival: string, departure: string | null = null) => ({
      residences: [{ ...person(tenant.id, 'x', 'y', LUZERN).residences[0]!, arrivalDate: arrival, departureDate: departure }],
    });
    const people = {
      eu: person(tenant.id, 'Rossi', 'Marco', LUZERN, { nationality: 'IT', ...arriving('2015-01-01') }),
      third: person(tenant.id, 'Silva', 'Joao', LUZERN, { nationality: 'BR', ...arriving('2021-06-01') }),
      short: person(tenant.id, 'Novak', 'Petra', LUZERN, { nationality: 'SK', ...arriving('2021-09-01') }),
      gone: person(tenant.id, 'Weg', 'Anna', LUZERN, { nationality: 'DE', ...arriving('2020-01-01', '2022-06-30') }),
      asylum: person(tenant.id, 'Tesfay', 'Senait', LUZERN, { nationality: 'ER', ...arriving('2022-03-01') }),
    };
    await addPersons(database.db, Object.values(people));
    for (const [key, value] of Object.entries(people)) ids[key] = value.id;
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    worker = await signIn(app, 'worker');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('has the Swiss catalogue with eCH-0006 codes and four languages', async () => {
    const response = await call('GET', '/api/v1/permit-categories');
    const categories = response.json() as { code: string; echCode: string; names: Record<string, string> }[];
    expect(categories.map((c) => c.code)).toEqual(expect.arrayContaining(['B', 'C', 'L', 'G', 'Ci', 'F', 'N', 'S']));
    expect(categories.find((c) => c.code === 'B')).toMatchObject({ echCode: '02', names: { de: 'Aufenthaltsbewilligung (B)', fr: 'Autorisation de séjour (B)', it: 'Permesso di dimora (B)', en: 'Residence permit (B)' } });
  });

  it('grants with the default validity of the category and nationality', async () => {
    const eu = await grant('eu', { category: 'B', admissionReason: 'eu-efta-employment', validFrom: '2015-01-01' });
    expect(eu.statusCode).toBe(201);
    expect(eu.json()).toMatchObject({ validUntil: '2019-12-31', immigrationGroup: 'permanent', history: [{ event: 'granted', date: '2015-01-01' }] });
    const third = await grant('third', { category: 'B', admissionReason: 'family-non-eu', validFrom: '2021-06-01' });
    expect(third.json()).toMatchObject({ validUntil: '2022-05-31', immigrationGroup: 'permanent' });
    ids.thirdPermit = (third.json() as Permit).id;
  });

  it('refuses overlaps, permits before registration, bad periods and unknown categories', async () => {
    const overlap = await grant('eu', { category: 'L', admissionReason: 'other', validFrom: '2016-01-01' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'permit-overlap', detail: expect.stringContaining('B (2015-01-01 to 2019-12-31)') });
    const early = await grant('third', { category: 'L', admissionReason: 'other', validFrom: '2021-01-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'not-registered-on-date' });
    const backwards = await grant('eu', { category: 'C', admissionReason: 'other', validFrom: '2020-01-01', validUntil: '2019-01-01' });
    expect(backwards.json()).toMatchObject({ code: 'invalid-period' });
    const unknown = await grant('eu', { category: 'X', admissionReason: 'other', validFrom: '2020-01-01' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown-permit-category', detail: expect.stringContaining('B, C') });
    const reason = await grant('eu', { category: 'C', admissionReason: 'because', validFrom: '2020-01-01' });
    expect(reason.statusCode).toBe(400);
    const tooLong = await grant('short', { category: 'L', admissionReason: 'eu-efta-employment', validFrom: '2021-09-01', validUntil: '2023-01-01' });
    expect(tooLong.json()).toMatchObject({ code: 'permit-too-long' });
  });

  it('changes B to C (C has no end, a control date) and counts no second immigration', async () => {
    const permits = (await call('GET', `/api/v1/persons/${ids.eu}/permits`)).json() as Permit[];
    const b = permits[0]!;
    const noVersion = await call('POST', `/api/v1/permits/${b.id}/change-category`, { category: 'C', admissionReason: 'other', validFrom: '2019-06-01' });
    expect(noVersion.statusCode).toBe(428);
    const changed = await call('POST', `/api/v1/permits/${b.id}/change-category`, { category: 'C', admissionReason: 'other', validFrom: '2019-06-01' }, { 'if-match': `"${b.version}"` });
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ category: 'C', validUntil: null, controlDate: '2024-06-01', immigrationGroup: null });
    const after = (await call('GET', `/api/v1/persons/${ids.eu}/permits`)).json() as Permit[];
    expect(after[0]).toMatchObject({ category: 'B', endedOn: '2019-06-01', history: [{ event: 'granted' }, { event: 'category-changed' }] });
  });

  it('extends a permit under optimistic locking and records the notice deadline two months ahead', async () => {
    const stale = await call('POST', `/api/v1/permits/${ids.thirdPermit}/extend`, { validUntil: '2024-05-31' }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    const extended = await call('POST', `/api/v1/permits/${ids.thirdPermit}/extend`, { validUntil: '2024-05-31' }, { 'if-match': '"1"' });
    expect(extended.statusCode).toBe(200);
    expect(extended.json()).toMatchObject({ validUntil: '2024-05-31', version: 2, history: [{ event: 'granted' }, { event: 'extended' }] });
    const notices = await database.db.selectFrom('deadlines').select(['due_date', 'status']).where('person_id', '=', ids.third!).where('kind', '=', 'permit-expiry-notice').execute();
    expect(notices).toContainEqual({ due_date: '2024-03-31', status: 'open' });
    expect(notices).toContainEqual({ due_date: '2022-03-31', status: 'cancelled' });
  });

  it('lists expired permits of persons still registered', async () => {
    const list = (await call('GET', '/api/v1/permits/expiring?withinDays=30')).json() as { personId: string; expired: boolean; category: string }[];
    expect(list).toContainEqual(expect.objectContaining({ personId: ids.third, category: 'B', expired: true }));
    expect(list.map((row) => row.personId)).not.toContain(ids.eu);
  });

  it('counts the foreign population on a date and immigration in a period', async () => {
    await grant('short', { category: 'L', admissionReason: 'eu-efta-employment', validFrom: '2021-09-01', validUntil: '2022-08-31' });
    const second = await grant('short', { category: 'L', admissionReason: 'eu-efta-employment', validFrom: '2022-09-01', validUntil: '2023-08-31' });
    expect(second.json()).toMatchObject({ lStayStart: '2021-09-01', immigrationGroup: null });
    await grant('gone', { category: 'B', admissionReason: 'without-employment', validFrom: '2020-01-01', validUntil: '2024-12-31' });
    await grant('asylum', { category: 'N', admissionReason: 'asylum-primary', validFrom: '2022-03-01' });

    const midYear = (await call('GET', '/api/v1/statistics/foreign-population?date=2022-06-01')).json();
    expect(midYear).toMatchObject({ permanent: { C: 1, B: 2, L_over_12_months: 0, total: 3 }, nonPermanent: { L_up_to_12_months: 1 }, asylum: { N: 1, total: 1 } });
    const yearEnd = (await call('GET', '/api/v1/statistics/foreign-population?date=2022-12-31')).json();
    // The L holder has now stayed over 12 months; the departed person no longer counts; the N card has expired.
    expect(yearEnd).toEqual({ date: '2022-12-31', permanent: { total: 3, C: 1, B: 1, L_over_12_months: 1 }, nonPermanent: { total: 0, L_up_to_12_months: 0 }, asylum: { total: 0, N: 0, F: 0 }, other: { S: 0, G: 0, Ci: 0 } });
    const immigration = (await call('GET', '/api/v1/statistics/immigration?from=2021-01-01&to=2022-12-31')).json();
    expect(immigration).toMatchObject({ permanent: { total: 1, family_non_EU: 1 }, nonPermanent: { total: 1, L_EU_EFTA_employment: 1 }, asylum: { total: 1, primary_applications: 1 } });
  });

  it('ends permits in force by departure when the register records the departure', async () => {
    const file = (await call('GET', `/api/v1/persons/${ids.third}`)).json() as { version: number };
    const departed = await call('POST', `/api/v1/persons/${ids.third}/departure`, { date: '2023-03-31', departedTo: 'BR' }, { 'if-match': `"${file.version}"` });
    expect(departed.statusCode).toBe(200);
    const permits = (await call('GET', `/api/v1/persons/${ids.third}/permits`)).json() as (Permit & { endReason: string })[];
    expect(permits[0]).toMatchObject({ endedOn: '2023-03-31', endReason: 'departure', history: expect.arrayContaining([expect.objectContaining({ event: 'ended-departure', date: '2023-03-31' })]) });
    const notices = await database.db.selectFrom('deadlines').select('status').where('person_id', '=', ids.third!).where('kind', '=', 'permit-expiry-notice').where('status', '=', 'open').execute();
    expect(notices).toEqual([]);
  });

  it('answers CSV and XLSX, and refuses dates that are not dates', async () => {
    const csv = await call('GET', '/api/v1/statistics/foreign-population?date=2022-12-31', undefined, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n').slice(0, 3)).toEqual(['section,figure,value', 'permanent,total,3', 'permanent,C,1']);
    const xlsx = await call('GET', '/api/v1/statistics/immigration?from=2022-01-01&to=2022-12-31&format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    for (const url of ['/api/v1/statistics/foreign-population?date=2022-02-30', '/api/v1/statistics/foreign-population?date=yesterday', '/api/v1/statistics/foreign-population', '/api/v1/statistics/immigration?from=2022-01-01']) {
      const bad = await call('GET', url);
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    const backwards = await call('GET', '/api/v1/statistics/immigration?from=2022-12-31&to=2022-01-01');
    expect(backwards.statusCode).toBe(422);
  });
});
