import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createToken } from '../../src/modules/access/index.js';
import { LUCERNE_2022, loadLucerne2022, split } from '../../src/demo/profiles/lucerne-2022.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, LUZERN, person } from '../support/fixtures.js';

/** The figures of the Lucerne office's "Kurzportrait 2023", section 5 (seed 000). */
const PUBLISHED_STOCK_2022 = {
  date: '2022-12-31',
  permanent: { total: 82_191, C: 49_129, B: 32_618, L_over_12_months: 444 },
  nonPermanent: { total: 1_628, L_up_to_12_months: 1_628 },
  asylum: { total: 2_838, N: 604, F: 2_234 },
};
const PUBLISHED_IMMIGRATION_2022 = {
  from: '2022-01-01',
  to: '2022-12-31',
  permanent: {
    total: 6_847,
    B_EU_EFTA_employment: 3_245,
    family_EU_EFTA: 842,
    B_quota_croatia_service_providers: 13,
    quota_employment_non_EU: 109,
    family_non_EU: 898,
    recognised_refugees: 169,
    hardship: 354,
    students: 853,
    other: 212,
    without_employment: 141,
    after_asylum_procedure: 11,
  },
  nonPermanent: { total: 3_300, L_EU_EFTA_employment: 2_385, L_quota_non_EU: 356, other: 559 },
  asylum: { total: 671, primary_applications: 456, secondary_applications: 215 },
};

describe('apportionment', () => {
  it('always adds up to the total', () => {
    expect(split(1_628, [2_385, 356, 559]).reduce((a, b) => a + b, 0)).toBe(1_628);
    expect(split(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });
});

describe.each(DATABASE_KINDS)('the lucerne-2022 profile reproduces the published key figures on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // An earlier load (here a small stand-in) is replaced, not added to.
    const earlier = await createTenant(database.db, LUCERNE_2022.slug);
    await addPersons(database.db, [person(earlier.id, 'Früher', 'Geladen', LUZERN)]);
    await loadLucerne2022(database.db);
    app = await buildTestApp(database);
    token = await createToken(database.db, { tenantSlug: LUCERNE_2022.slug, role: 'team-lead', label: 'key figures test' });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('foreign population on 31.12.2022', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/statistics/foreign-population?date=2022-12-31', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject(PUBLISHED_STOCK_2022);
  });

  it('immigration in 2022', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/statistics/immigration?from=2022-01-01&to=2022-12-31', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(PUBLISHED_IMMIGRATION_2022);
  });

  it('has history behind the figures: other dates give other, plausible numbers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/statistics/foreign-population?date=2021-12-31', headers: { authorization: `Bearer ${token}` } });
    const earlier = response.json() as typeof PUBLISHED_STOCK_2022;
    expect(earlier.permanent.C).toBeLessThan(PUBLISHED_STOCK_2022.permanent.C);
    expect(earlier.permanent.C).toBeGreaterThan(40_000);
    expect(earlier.nonPermanent.L_up_to_12_months).toBe(444);
    const tenants = await database.db.selectFrom('tenants').select('slug').where('slug', '=', LUCERNE_2022.slug).execute();
    expect(tenants).toHaveLength(1);
    const leftovers = await database.db.selectFrom('persons').select('id').where('official_name', '=', 'Früher').execute();
    expect(leftovers).toEqual([]);
  });
});
