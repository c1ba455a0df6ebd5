import { createHash } from 'node:crypto';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError, problems } from '../../platform/errors.js';
import { readShippedCaseTypes } from './case-type-files.js';
import { CaseTypeError, parseCaseType, type CaseTypeDefinition } from './rules/definition.js';

export interface LoadedCaseType {
  id: string;
  slug: string;
  version: number;
  definition: CaseTypeDefinition;
}

function checksumOf(definition: CaseTypeDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

/**
 * Loads the shipped case types of the tenant's country. A version already loaded stays as it is
 * (running cases point at it); a file changed without raising its version is refused, so that no
 * running case silently changes its procedure.
 */
export async function installCaseTypes(trx: Trx, tenantId: string, country: 'CH' | 'DE'): Promise<number> {
  let added = 0;
  for (const definition of readShippedCaseTypes(country)) {
    const checksum = checksumOf(definition);
    const existing = await trx.selectFrom('case_types').select(['checksum']).where('tenant_id', '=', tenantId).where('slug', '=', definition.slug).where('version', '=', definition.version).executeTakeFirst();
    if (existing) {
      if (existing.checksum !== checksum) throw new Error(`Case type ${definition.slug} version ${definition.version} was changed without a new version number; raise "version" in its file.`);
      continue;
    }
    await trx.insertInto('case_types').values({ tenant_id: tenantId, slug: definition.slug, version: definition.version, definition: JSON.stringify(definition), checksum }).execute();
    added++;
  }
  return added;
}

/**
 * An administrator's new version of a case type: checked like a shipped file, refused with every
 * problem named, and stored next to the older versions (cases already running keep theirs).
 */
export async function storeCaseTypeVersion(db: Db, context: RequestContext, json: unknown): Promise<LoadedCaseType> {
  let definition: CaseTypeDefinition;
  try {
    definition = parseCaseType(json, 'upload');
  } catch (error) {
    if (error instanceof CaseTypeError) throw new AppError(422, 'case-type-invalid', { problems: error.problems.join('; ') }, { problems: error.problems });
    throw error;
  }
  return inTransaction(db, async (trx) => {
    const tenant = await trx.selectFrom('tenants').select('country').where('id', '=', context.actor.tenantId).executeTakeFirstOrThrow();
    if (definition.country !== tenant.country) throw new AppError(422, 'case-type-invalid', { problems: `country must be ${tenant.country}` });
    const latest = await trx.selectFrom('case_types').select((eb) => eb.fn.max('version').as('version')).where('tenant_id', '=', context.actor.tenantId).where('slug', '=', definition.slug).executeTakeFirst();
    const latestVersion = latest?.version ?? 0;
    if (definition.version <= latestVersion) throw new AppError(409, 'case-type-version-exists', { slug: definition.slug, latest: latestVersion });
    const row = await trx
      .insertInto('case_types')
      .values({ tenant_id: context.actor.tenantId, slug: definition.slug, version: definition.version, definition: JSON.stringify(definition), checksum: checksumOf(definition) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'case-type.version-added', entityType: 'case-type', entityId: row.id, details: { slug: definition.slug, version: definition.version } });
    return { id: row.id, slug: definition.slug, version: definition.version, definition };
  });
}

/** At start-up: every tenant gets the case types of its country that it does not have yet. */
export async function installCaseTypesForAllTenants(db: Db): Promise<number> {
  const tenants = await db.selectFrom('tenants').select(['id', 'country']).execute();
  let added = 0;
  for (const tenant of tenants) added += await inTransaction(db, (trx) => installCaseTypes(trx, tenant.id, tenant.country));
  return added;
}

// A loaded version never changes, so caching it by id is safe for the life of the process.
const byId = new Map<string, LoadedCaseType>();

export async function caseTypeById(db: Db | Trx, id: string): Promise<LoadedCaseType> {
  const cached = byId.get(id);
  if (cached) return cached;
  const row = await db.selectFrom('case_types').select(['id', 'slug', 'version', 'definition']).where('id', '=', id).executeTakeFirstOrThrow();
  const loaded = { id: row.id, slug: row.slug, version: row.version, definition: row.definition as CaseTypeDefinition };
  byId.set(id, loaded);
  return loaded;
}

/** The newest active version of a case type: new cases start with it. */
export async function currentCaseType(db: Db | Trx, tenantId: string, slug: string): Promise<LoadedCaseType> {
  const row = await db.selectFrom('case_types').select('id').where('tenant_id', '=', tenantId).where('slug', '=', slug).where('active', '=', true).orderBy('version', 'desc').executeTakeFirst();
  if (!row) throw problems.notFound('case-type');
  return caseTypeById(db, row.id);
}

export async function currentCaseTypes(db: Db | Trx, tenantId: string): Promise<LoadedCaseType[]> {
  const rows = await db.selectFrom('case_types').select(['id', 'slug', 'version']).where('tenant_id', '=', tenantId).where('active', '=', true).orderBy('slug').orderBy('version', 'desc').execute();
  const newest = rows.filter((row, index) => index === 0 || rows[index - 1]?.slug !== row.slug);
  return Promise.all(newest.map((row) => caseTypeById(db, row.id)));
}
