import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** Where the plain SQL migrations live: `server/migrations/NNNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_241_031;

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8').replace(/\r\n/g, '\n');
      return { name: file.replace(/\.sql$/, ''), checksum: createHash('sha256').update(text).digest('hex'), sql: text };
    });
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that
 * several processes starting at once apply each migration exactly once. An already applied
 * migration whose file changed is refused: history must not be rewritten.
 */
export async function migrate(db: Kysely<Tables>, files: MigrationFile[] = readMigrations()): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);

  const applied: string[] = [];
  for (const file of files) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const existing = await trx.selectFrom('schema_migrations').select(['checksum']).where('name', '=', file.name).executeTakeFirst();
      if (existing) {
        if (existing.checksum !== file.checksum) {
          throw new MigrationError(
            `Migration ${file.name} was changed after it was applied (checksum differs); add a new migration instead of editing an applied one.`,
          );
        }
        return false;
      }
      try {
        await sql.raw(file.sql).execute(trx);
      } catch (error) {
        throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
      }
      await trx.insertInto('schema_migrations').values({ name: file.name, checksum: file.checksum }).execute();
      return true;
    });
    if (done) applied.push(file.name);
  }
  const known = new Set(files.map((file) => file.name));
  const rows = await db.selectFrom('schema_migrations').select('name').execute();
  const unknown = rows.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(`The database has migrations this version does not know (${unknown.join(', ')}); it was upgraded by a newer MigraFlow.`);
  }
  return applied;
}
