import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { fromPGlite, migrate, PGLITE_EXTENSIONS, type Database } from '@migraflow/server';
import type { RawSql } from './persons-dataset.js';

/** Pieces every benchmark dataset needs, whatever data it loads. */

/** VACUUM sets the visibility map (index-only scans, as on a settled production database); ANALYZE the statistics. */
export async function vacuumAnalyze(db: Kysely<never>): Promise<number> {
  const start = performance.now();
  await sql`VACUUM (ANALYZE)`.execute(db);
  return performance.now() - start;
}

/** A short fingerprint of the applied migrations: a kept database is reused only while it matches. */
export async function migrationState(db: Kysely<never>): Promise<string> {
  const result = await sql<{ name: string; checksum: string }>`SELECT name, checksum FROM schema_migrations ORDER BY name`.execute(db);
  return createHash('sha256').update(JSON.stringify(result.rows)).digest('hex').slice(0, 16);
}

export interface MemoryPGlite {
  database: Database;
  /** The same SQL on PGlite's own driver, for the service ÷ raw ratio. */
  raw: RawSql;
  serverVersion: string;
  createMs: number;
  migrateMs: number;
}

/** A fresh, migrated in-memory PGlite; the caller closes `database` (also on failure after this returns). */
export async function openMemoryPGlite(): Promise<MemoryPGlite> {
  let start = performance.now();
  const pglite = await PGlite.create({ dataDir: 'memory://', extensions: PGLITE_EXTENSIONS });
  const database = fromPGlite(pglite);
  const createMs = performance.now() - start;
  try {
    start = performance.now();
    await migrate(database.db);
    const migrateMs = performance.now() - start;
    const versionRow = await pglite.query<{ server_version: string }>('SHOW server_version');
    const raw: RawSql = {
      async query(text, parameters) {
        return (await pglite.query<Record<string, unknown>>(text, [...parameters])).rows;
      },
      async close() {},
    };
    return { database, raw, serverVersion: versionRow.rows[0]?.server_version ?? 'unknown', createMs, migrateMs };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
