import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { ConfigError } from '../config.js';
import { checkVersionMarker, lockDataDir } from './datadir.js';
import { tenantScopedDialect } from './tenant-scope.js';
import type { Tables } from './tables.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Tables>;
  /** Flushes to disk (PGlite) and closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

// DATE columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and BIGINT ids stay far below 2^53 here; numbers are easier for the API than strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

// The package does not export its package.json; find it beside the resolved entry point.
function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
export const PGLITE_VERSION = pgliteVersion();

export const PGLITE_EXTENSIONS = { pg_trgm, fuzzystrmatch, unaccent, btree_gist };

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL pool size (per process). */
  poolSize?: number;
}

/** Wraps an already created PGlite instance (used by tests that load a prepared dump). */
export function fromPGlite(pglite: PGlite, onClose: () => Promise<void> = async () => undefined): Database {
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<Tables>({ dialect: tenantScopedDialect({ pool }) });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      // CHECKPOINT writes everything to the data files, so the next open needs no recovery.
      await pglite.exec('CHECKPOINT').catch(() => undefined);
      await pglite.close();
      await onClose();
    },
  };
}

export function fromPostgres(connectionString: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Tables>({ dialect: tenantScopedDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Opens PostgreSQL when a URL is configured, else the embedded PGlite database in the data folder. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const database = fromPostgres(options.databaseUrl, options.poolSize);
    try {
      await sql`SELECT 1`.execute(database.db);
    } catch (error) {
      await database.close().catch(() => undefined);
      const target = safeTarget(options.databaseUrl);
      throw new ConfigError(`The database at ${target} does not answer (${(error as Error).message}); check DATABASE_URL and that PostgreSQL is running.`);
    }
    return database;
  }
  const release = lockDataDir(options.dataDir);
  try {
    const pgdata = path.join(options.dataDir, 'pgdata');
    checkVersionMarker(pgdata, options.dataDir, PGLITE_VERSION);
    const pglite = await PGlite.create({ dataDir: pgdata, extensions: PGLITE_EXTENSIONS });
    return fromPGlite(pglite, async () => release());
  } catch (error) {
    release();
    throw error;
  }
}

/** The host, port and database of a URL, without user name or password, for messages and logs. */
export function safeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}
