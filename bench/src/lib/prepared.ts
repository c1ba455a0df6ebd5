import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { fromPGlite, migrate, PGLITE_EXTENSIONS, type Database } from '@migraflow/server';
import type { DatabaseKind } from './benchmark.js';
import { pgliteVersion } from './databases.js';

/** Pieces every benchmark dataset needs, whatever data it loads. */

/** Runs SQL on the lowest level the database offers: PGlite's own `query`, or `pg` connections of its own. */
export interface RawSql {
  query(text: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A database a benchmark runs on, with its data loaded: what every dataset has, whatever it holds. */
export interface PreparedDatabase {
  kind: DatabaseKind;
  database: Database;
  /** The same SQL on the bare driver, for the service ÷ raw ratio. */
  raw: RawSql;
  /** Human description: "PGlite 0.5.16 (PostgreSQL 17.5), in memory". */
  description: string;
  serverVersion: string;
  /** PostgreSQL: the benchmark database's name. */
  databaseName: string | null;
  reused: boolean;
  /** PostgreSQL: a reused database got migrations that were added after it was loaded. */
  migratedForward: boolean;
  close(): Promise<void>;
}

/** Runs `work`; when it fails, closes what was opened for it (ignoring a failure to close) and rethrows. */
export async function closeOnFailure<T>(close: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

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

export interface MemoryPGlite extends PreparedDatabase {
  /** Creating the database (initdb in WebAssembly). */
  createMs: number;
  migrateMs: number;
}

/** A fresh, migrated in-memory PGlite; the caller closes it (also on failure after this returns: `closeOnFailure`). */
export async function openMemoryPGlite(): Promise<MemoryPGlite> {
  let start = performance.now();
  const pglite = await PGlite.create({ dataDir: 'memory://', extensions: PGLITE_EXTENSIONS });
  const database = fromPGlite(pglite);
  const createMs = performance.now() - start;
  return closeOnFailure(
    () => database.close(),
    async () => {
      start = performance.now();
      await migrate(database.db);
      const migrateMs = performance.now() - start;
      const versionRow = await pglite.query<{ server_version: string }>('SHOW server_version');
      const serverVersion = versionRow.rows[0]?.server_version ?? 'unknown';
      const raw: RawSql = {
        async query(text, parameters) {
          return (await pglite.query<Record<string, unknown>>(text, [...parameters])).rows;
        },
        async close() {},
      };
      return {
        kind: 'pglite',
        database,
        raw,
        description: `PGlite ${pgliteVersion()} (PostgreSQL ${serverVersion}), in memory`,
        serverVersion,
        databaseName: null,
        reused: false,
        migratedForward: false,
        close: () => database.close(),
        createMs,
        migrateMs,
      };
    },
  );
}
