import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.js';
import type { Db } from '../platform/db/transaction.js';
import { LUCERNE_MUNICIPALITIES } from '../modules/register/index.js';
import { installPermitCatalogue } from '../modules/permits/index.js';
import { municipalityUnitSlug } from './seed.js';

/**
 * A tenant for benchmarks with the Lucerne municipalities, and a caseworker actor to call services
 * with directly (no sign-in needed). Reuses the tenant when it exists.
 */
export async function createBenchTenant(db: Db, slug: string): Promise<{ tenantId: string; actor: Actor }> {
  let tenant = await db.selectFrom('tenants').select(['id', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!tenant) {
    tenant = await db.insertInto('tenants').values({ slug, name: `Benchmark ${slug}`, country: 'CH', region: 'LU' }).returning(['id', 'name']).executeTakeFirstOrThrow();
    const tenantId = tenant.id;
    await db.transaction().execute((trx) => installPermitCatalogue(trx, tenantId, 'CH'));
    await db
      .insertInto('units')
      .values([
        { tenant_id: tenant.id, slug: 'aufenthalt', name: 'Aufenthalt', kind: 'office', bfs_number: null },
        ...LUCERNE_MUNICIPALITIES.map((m) => ({ tenant_id: tenant!.id, slug: municipalityUnitSlug(m.bfs), name: `Einwohnerkontrolle ${m.name}`, kind: 'municipality' as const, bfs_number: m.bfs })),
      ])
      .execute();
  }
  const actor: Actor = {
    kind: 'user',
    id: randomUUID(),
    name: 'bench',
    displayName: 'Benchmark',
    tenantId: tenant.id,
    tenantSlug: slug,
    tenantName: tenant.name,
    roles: [{ role: 'caseworker', unitId: null }],
    locale: 'de',
    sessionIdHash: null,
  };
  return { tenantId: tenant.id, actor };
}
