import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenantScope } from '../../src/platform/db/tenant-scope.js';
import { compilePersonSearch } from '../../src/modules/register/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, createTenant, createTestUser, LUZERN, person, signIn, testConfig, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * Row-level security by tenant (migration 0007): the database itself keeps offices apart, even for
 * a query that forgets its tenant filter.
 */

// Tables with a tenant_id that hold no personal data: the office's own configuration and counters.
const CONFIGURATION_TABLES = new Set(['units', 'case_types', 'case_counters', 'permit_categories']);

describe.each(DATABASE_KINDS)('row-level security on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let officeA: TestTenant;
  let officeB: TestTenant;
  let workerA: Session;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig, database, webRoot: null });
    // A route that forgets the tenant filter on purpose, as a future bug might.
    app.get('/api/v1/test/unfiltered-persons', { config: { permission: 'persons:read' } }, async () => {
      const who = await sql<{ role: string; tenant: string | null }>`SELECT current_user AS role, mf_current_tenant()::text AS tenant`.execute(database.db);
      const persons = await database.db.selectFrom('persons').select(['id', 'tenant_id']).execute();
      return { ...who.rows[0], tenants: [...new Set(persons.map((p) => p.tenant_id))] };
    });
    app.post(
      '/api/v1/test/unfiltered-insert',
      { config: { permission: 'persons:write' }, schema: { body: Type.Object({ tenantId: Type.String() }) } },
      async (request) => {
        const body = request.body as { tenantId: string };
        // Writing into another office must fail even though the code asks for it.
        await database.db.updateTable('persons').set({ official_name: 'Overwritten' }).where('tenant_id', '=', body.tenantId).execute();
        const changed = await database.db.selectFrom('persons').select('id').where('official_name', '=', 'Overwritten').execute();
        return { changed: changed.length };
      },
    );
    await app.ready();
    officeA = await createTenant(database.db, 'office-a');
    officeB = await createTenant(database.db, 'office-b');
    await addPersons(database.db, [person(officeA.id, 'Amsel', 'Anna', LUZERN), person(officeA.id, 'Birke', 'Bea', LUZERN), person(officeB.id, 'Zeder', 'Zora', LUZERN)]);
    await createTestUser(database.db, officeA, 'worker-a', 'caseworker', 'aufenthalt');
    workerA = await signIn(app, 'worker-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('puts every table that holds personal data with a tenant_id under the tenant policy', async () => {
    const tables = await sql<{ table_name: string; protected: boolean; policies: number }>`
      SELECT c.table_name, cl.relrowsecurity AS protected,
             (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.table_name AND p.policyname = 'tenant_isolation')::int AS policies
      FROM information_schema.columns c
      JOIN pg_class cl ON cl.relname = c.table_name AND cl.relkind = 'r'
      JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = c.table_schema
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
      ORDER BY 1`.execute(database.db);
    const unprotected = tables.rows.filter((t) => !CONFIGURATION_TABLES.has(t.table_name) && !(t.protected && t.policies === 1)).map((t) => t.table_name);
    expect(unprotected).toEqual([]);
    expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(['persons', 'cases', 'audit_log', 'documents']));
  });

  it('shows a scoped query only its own office, whatever the query asks for', async () => {
    const all = await database.db.selectFrom('persons').select('tenant_id').execute();
    expect(new Set(all.map((p) => p.tenant_id))).toEqual(new Set([officeA.id, officeB.id]));

    const seen = await withTenantScope(officeA.id, () => database.db.selectFrom('persons').select('official_name').orderBy('official_name').execute());
    expect(seen.map((p) => p.official_name)).toEqual(['Amsel', 'Birke']);
    const inTransaction = await withTenantScope(officeB.id, () =>
      database.db.transaction().execute((trx) => trx.selectFrom('persons').select('official_name').where('tenant_id', '=', officeA.id).execute()),
    );
    expect(inTransaction).toEqual([]);
    // The search views read past the policies (for their indexes) but keep offices apart themselves.
    const candidates = await withTenantScope(officeB.id, () => database.db.selectFrom('persons_for_search').select('tenant_id').execute());
    expect(candidates.map((p) => p.tenant_id)).toEqual([officeB.id]);
    // The same pooled connections, back outside any scope, see everything again.
    expect(await database.db.selectFrom('persons').select('id').execute()).toHaveLength(3);
  });

  it("refuses to write a row into another office and leaves the other office's rows untouched", async () => {
    const personB = await database.db.selectFrom('persons').select('id').where('tenant_id', '=', officeB.id).executeTakeFirstOrThrow();
    await expect(
      withTenantScope(officeA.id, () =>
        database.db
          .insertInto('person_relations')
          .values({ tenant_id: officeB.id, person_id: personB.id, related_person_id: personB.id, kind: 'spouse', valid_from: '2020-01-01' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const deleted = await withTenantScope(officeA.id, () => database.db.deleteFrom('residences').where('person_id', '=', personB.id).executeTakeFirst());
    expect(Number(deleted.numDeletedRows)).toBe(0);
    expect(await database.db.selectFrom('residences').select('id').where('person_id', '=', personB.id).execute()).toHaveLength(1);
  });

  it('keeps the search on its indexes under row-level security (through the search views)', async () => {
    const plan = (query: { sql: string; parameters: readonly unknown[] }) =>
      withTenantScope(officeA.id, () =>
        database.db.transaction().execute(async (trx) => {
          // With sequential scans priced out, a plan still scanning shows that no index was usable.
          await sql`SET LOCAL enable_seqscan = off`.execute(trx);
          const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]));
          return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
        }),
      );
    const search = await plan(compilePersonSearch(officeA.id, 'Amsel', 20));
    // The name goes into an index (as an index condition), not into a filter over the office's rows.
    expect(search).toMatch(/Index Cond: [^\n]*search_key/);
    expect(search).not.toMatch(/Seq Scan on persons/);
    // The same prefix search straight on the protected table cannot take the name into an index: why the views exist.
    const direct = await plan({ sql: `SELECT id FROM persons WHERE tenant_id = $1 AND merged_into IS NULL AND search_key LIKE 'amse%'`, parameters: [officeA.id] });
    expect(direct).not.toMatch(/Index Cond: [^\n]*search_key/);
    expect(direct).toMatch(/Filter: [^\n]*search_key ~~/);
  });

  it("runs every request as the actor's office, also after its body was read", async () => {
    const read = await app.inject({ method: 'GET', url: '/api/v1/test/unfiltered-persons', headers: { cookie: workerA.cookie } });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ role: 'migraflow_tenant', tenant: officeA.id, tenants: [officeA.id] });

    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/test/unfiltered-insert',
      headers: { cookie: workerA.cookie, 'x-csrf-token': workerA.csrfToken },
      payload: { tenantId: officeB.id },
    });
    expect(write.statusCode).toBe(200);
    expect(write.json()).toEqual({ changed: 0 });
    const zora = await database.db.selectFrom('persons').select('official_name').where('tenant_id', '=', officeB.id).executeTakeFirstOrThrow();
    expect(zora.official_name).toBe('Zeder');
  });
});
