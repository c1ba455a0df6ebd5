import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { loadLucerne2022 } from '../../src/demo/profiles/lucerne-2022.js';
import { createToken } from '../../src/modules/access/index.js';
import { exchangeActor, exportBaseDeliveries, ownIdCategory, receiveMessage, validateXml, type Office } from '../../src/modules/exchange/index.js';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { installPermitCatalogue } from '../../src/modules/permits/index.js';
import { bulkLoadPersons, generatePersonsLazily } from '../../src/modules/register/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTestUser, signIn } from '../support/fixtures.js';

/**
 * Issue 7, round trip: the whole register exported as eCH-0020 base deliveries and imported into
 * an empty office reproduces the same persons, residences and permits, field by field, and the
 * same key figures.
 */

// Columns that name the row or its office, or say when it was written, rather than what it holds.
const BOOKKEEPING = new Set(['id', 'tenant_id', 'person_id', 'created_at', 'updated_at', 'recorded_at', 'recorded_by', 'version', 'search_name', 'search_key', 'name_phonetic', 'first_phonetic', 'superseded_at']);

function facts(row: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(row).filter(([column]) => !BOOKKEEPING.has(column)));
  // eCH-0011 needs a religion: the register's "not recorded" travels as BFS 000 "unknown", the same fact.
  if ('religion' in kept && kept.religion === null) kept.religion = '000';
  return kept;
}

/** Rows grouped by their person (Map.groupBy needs Node 21). */
function byPerson<T extends { person_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.person_id, [...(groups.get(row.person_id) ?? []), row]);
  return groups;
}

describe.each(DATABASE_KINDS)('eCH-0020 base delivery round trip on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let source: Office;
  let target: Office;
  const files: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.db;
    await loadLucerne2022(db, undefined, { scale: 0.01, slug: 'rt-source' });
    source = await db.selectFrom('tenants').select(['id', 'slug', 'name']).where('slug', '=', 'rt-source').executeTakeFirstOrThrow();
    // The profile holds foreigners only; generated households add Swiss citizens, all name forms, partial birth dates.
    await bulkLoadPersons(db, source.id, generatePersonsLazily({ seed: 424_242, count: 300, referenceDate: '2022-12-31' }));
    target = await inTransaction(db, async (trx) => {
      const office = await trx.insertInto('tenants').values({ slug: 'rt-target', name: 'Empty office', country: 'CH', region: 'LU' }).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
      await installPermitCatalogue(trx, office.id, 'CH');
      const units = await trx.selectFrom('units').select(['slug', 'name', 'kind', 'bfs_number']).where('tenant_id', '=', source.id).execute();
      await trx.insertInto('units').values(units.map((unit) => ({ ...unit, tenant_id: office.id }))).execute();
      return office;
    });
    app = await buildTestApp(database);
    // Some history made through the front desk, so that persons have more than one residence.
    const clerkOffice = { id: source.id, slug: source.slug, units: {} };
    await createTestUser(db, clerkOffice, 'rt-worker', 'caseworker');
    const worker = await signIn(app, 'rt-worker');
    // Five residents living here since before the move date (ids are random: the pick must not depend on them).
    const movers = await db
      .selectFrom('persons as p')
      .innerJoin('residences as r', 'r.person_id', 'p.id')
      .select(['p.id', 'p.version'])
      .where('p.tenant_id', '=', source.id)
      .where('r.kind', '=', 'main')
      .where('r.departure_date', 'is', null)
      .where('r.superseded_at', 'is', null)
      .where('r.arrival_date', '<', '2022-11-01')
      .orderBy('r.arrival_date')
      .orderBy('p.id')
      .limit(5)
      .execute();
    expect(movers).toHaveLength(5);
    for (const mover of movers) {
      const moved = await app.inject({ method: 'POST', url: `/api/v1/persons/${mover.id}/moves`, payload: { date: '2022-11-01', street: 'Neustadtstrasse', houseNumber: '3', postalCode: '6003' }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrfToken, 'if-match': `"${mover.version}"` } });
      expect(moved.statusCode, moved.body).toBe(200);
    }

    for await (const part of exportBaseDeliveries(db, source, { perFile: 400, today: '2022-12-31' })) files.push(part.xml);
    for (const xml of files) {
      const outcome = await receiveMessage(db, { office: target, bytes: Buffer.from(xml), channel: 'cli', partner: null, fileName: null, context: { actor: exchangeActor(target, 'round-trip test'), requestId: 'round-trip' } });
      expect(outcome.outcome, JSON.stringify(outcome)).toBe('applied');
    }
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('writes files that validate against the official schemas', () => {
    expect(files.length).toBeGreaterThan(1);
    for (const xml of files) expect(validateXml(Buffer.from(xml))).toMatchObject({ valid: true });
  });

  it('reproduces every person, residence and permit field by field', async () => {
    const db = database.db;
    const links = await db.selectFrom('person_external_ids').select(['external_id', 'person_id']).where('tenant_id', '=', target.id).where('category', '=', ownIdCategory(source.slug)).execute();
    const copyOf = new Map(links.map((link) => [link.external_id, link.person_id]));
    const originals = await db.selectFrom('persons').selectAll().where('tenant_id', '=', source.id).orderBy('id').execute();
    expect(originals.length).toBeGreaterThan(500);
    // What makes the comparison worth having: Swiss citizens with places of origin, all name forms, unknown birth days.
    expect(originals.filter((p) => p.nationality === 'CH' && p.place_of_origin !== null).length).toBeGreaterThan(50);
    expect(originals.some((p) => p.date_of_birth.endsWith('-00'))).toBe(true);
    expect(originals.some((p) => p.name_in_foreign_passport !== null || p.call_name !== null)).toBe(true);
    expect(copyOf.size).toBe(originals.length);
    const copies = new Map((await db.selectFrom('persons').selectAll().where('tenant_id', '=', target.id).execute()).map((p) => [p.id, p]));
    expect(copies.size).toBe(originals.length);

    const residencesOf = async (tenantId: string) => {
      const rows = await db.selectFrom('residences').selectAll().where('tenant_id', '=', tenantId).where('superseded_at', 'is', null).orderBy('arrival_date').orderBy('kind').execute();
      return byPerson(rows);
    };
    const permitsOf = async (tenantId: string) => {
      const rows = await db.selectFrom('permits').selectAll().where('tenant_id', '=', tenantId).orderBy('valid_from').orderBy('category').execute();
      return byPerson(rows);
    };
    const [sourceResidences, targetResidences, sourcePermits, targetPermits] = await Promise.all([residencesOf(source.id), residencesOf(target.id), permitsOf(source.id), permitsOf(target.id)]);

    let residences = 0;
    let permits = 0;
    for (const original of originals) {
      const copyId = copyOf.get(original.id)!;
      expect(facts(copies.get(copyId)!), original.id).toEqual(facts(original));
      expect((targetResidences.get(copyId) ?? []).map(facts), original.id).toEqual((sourceResidences.get(original.id) ?? []).map(facts));
      expect((targetPermits.get(copyId) ?? []).map(facts), original.id).toEqual((sourcePermits.get(original.id) ?? []).map(facts));
      residences += sourceResidences.get(original.id)?.length ?? 0;
      permits += sourcePermits.get(original.id)?.length ?? 0;
    }
    // The moves above gave some persons a second residence; the profile gives many several permits.
    expect(residences).toBeGreaterThan(originals.length);
    expect(permits).toBeGreaterThan(originals.length);
  });

  it('gives the same key figures of the permits issue in both offices', async () => {
    const tokens = await Promise.all([source, target].map((office) => createToken(database.db, { tenantSlug: office.slug, role: 'team-lead', label: 'round trip' })));
    for (const url of ['/api/v1/statistics/foreign-population?date=2022-12-31', '/api/v1/statistics/foreign-population?date=2021-06-30', '/api/v1/statistics/immigration?from=2022-01-01&to=2022-12-31']) {
      const [before, after] = await Promise.all(tokens.map((token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })));
      expect(before!.statusCode).toBe(200);
      expect(after!.json(), url).toEqual(before!.json());
    }
  });
});
