import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { fromPostgres, migrate, type Database } from '@migraflow/server';
import { createDatabase, databaseExists, describeUrl, dropDatabase, withDatabase } from './databases.js';
import { progress } from './output.js';
import { closeOnFailure, migrationState, vacuumAnalyze, type PreparedDatabase, type RawSql } from './prepared.js';

/**
 * A PostgreSQL benchmark database kept between runs: `mf_bench_<…>` on the DATABASE_URL server
 * (created through the server's `postgres` database), because loading millions of rows takes
 * minutes. A one-row marker table in it says what it holds and is written only after a complete
 * load. The database is reused while the marker matches: the dataset's own checks (size, seed,
 * generator), then migrations added since the load are applied to it, as to a production database,
 * its rows are checked and, when migrations were added, `VACUUM (ANALYZE)` runs again. A migration
 * that no longer applies (changed after it was applied), other data, or `--fresh` makes it be
 * dropped and reloaded.
 */

type Db = Kysely<never>;

/** SQL types of marker columns (every column is NOT NULL). */
export type MarkerColumnType = 'integer' | 'bigint' | 'double precision' | 'text' | 'uuid' | 'date' | 'jsonb';

/** The marker table: its name and columns, in order (besides `id`, always 1, and `loaded_at`). */
export interface MarkerTable<M> {
  name: string;
  columns: { readonly [K in keyof M]: MarkerColumnType };
}

async function readMarker<M>(db: Db, table: MarkerTable<M>): Promise<M | null> {
  const exists = await sql<{ found: string | null }>`SELECT to_regclass(${table.name}::text)::text AS found`.execute(db);
  if (exists.rows[0]?.found === null || exists.rows[0]?.found === undefined) return null;
  const columns = Object.entries<MarkerColumnType>(table.columns);
  // Dates as text (YYYY-MM-DD, not a Date at local midnight); bigints come back as strings.
  const select = columns.map(([column, type]) => (type === 'date' ? sql`${sql.ref(column)}::text AS ${sql.ref(column)}` : sql.ref(column)));
  const result = await sql<Record<string, unknown>>`SELECT ${sql.join(select)} FROM ${sql.table(table.name)} WHERE id = 1`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return null;
  return Object.fromEntries(
    columns.map(([column, type]) => [column, type === 'bigint' || type === 'double precision' ? Number(row[column]) : row[column]]),
  ) as M;
}

async function writeMarker<M>(db: Db, table: MarkerTable<M>, marker: M): Promise<void> {
  const columns = Object.entries<MarkerColumnType>(table.columns);
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(table.name)} (
    id integer PRIMARY KEY CHECK (id = 1),
    ${sql.join(columns.map(([column, type]) => sql`${sql.ref(column)} ${sql.raw(type)} NOT NULL`))},
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`DELETE FROM ${sql.table(table.name)}`.execute(db);
  const values = columns.map(([column, type]) => {
    const value = (marker as Record<string, unknown>)[column];
    return sql`${type === 'jsonb' ? JSON.stringify(value) : value}::${sql.raw(type)}`;
  });
  await sql`INSERT INTO ${sql.table(table.name)} (id, ${sql.join(columns.map(([column]) => sql.ref(column)))}) VALUES (1, ${sql.join(values)})`.execute(db);
}

export interface KeptDatabaseSpec<M extends { migrations: string }> {
  databaseUrl: string | null;
  /** The database's name on the DATABASE_URL server, e.g. `mf_bench_cases_1000000`. */
  name: string;
  fresh: boolean;
  marker: MarkerTable<M>;
  /** What a reused database holds, for "reusing <db> (<holds>; --fresh reloads)". */
  holds: string;
  /** What a new one gets, for "creating <db> and loading <loading> …" (default: `holds`). */
  loading?: string;
  /** Why a database without a marker row is reloaded (default "it holds no complete dataset"). */
  incomplete?: string;
  /** Why a kept database with this marker holds other data (checked before its migrations run), or null. */
  differs(marker: M): string | null;
  /** After its migrations ran: why its rows are not those the marker promises, or null. */
  verify(db: Db, marker: M): Promise<string | null>;
  /** Pool size of the service's database handle (`fromPostgres`). */
  poolSize: number;
  /** The raw SQL's connections: one dedicated `pg` client (default), or a `pg.Pool` of this size. */
  rawPoolSize?: number;
  /** Loads the data into the new, migrated database (and runs VACUUM ANALYZE): returns the marker to keep. */
  load(database: Database, db: Db): Promise<M>;
}

export interface KeptPostgres<M> extends PreparedDatabase {
  /** What the database holds and how long loading it took (a reused one: the run that made it). */
  marker: M;
  /** Creating the database (0 when reused). */
  createMs: number;
  /** Migrating the new database (0 when reused: migrations added since ran in the reuse check). */
  migrateMs: number;
}

/** Whether a kept database can be reused; migrations added since it was loaded are applied to it. */
async function checkReusable<M extends { migrations: string }>(database: Database, spec: KeptDatabaseSpec<M>): Promise<{ stale: string | null; migrated: boolean }> {
  const db = database.db as unknown as Db;
  const marker = await readMarker(db, spec.marker);
  if (marker === null) return { stale: spec.incomplete ?? 'it holds no complete dataset', migrated: false };
  const differs = spec.differs(marker);
  if (differs !== null) return { stale: differs, migrated: false };
  try {
    await migrate(database.db);
  } catch (error) {
    return { stale: `its migrations do not apply (${(error as Error).message})`, migrated: false };
  }
  const wrong = await spec.verify(db, marker);
  if (wrong !== null) return { stale: wrong, migrated: false };
  const migrations = await migrationState(db);
  if (migrations === marker.migrations) return { stale: null, migrated: false };
  await vacuumAnalyze(db);
  await sql`UPDATE ${sql.table(spec.marker.name)} SET migrations = ${migrations}`.execute(db);
  return { stale: null, migrated: true };
}

/** The raw SQL's driver: one `pg` client, connected by `connect()`, or a pool (connecting on use). */
function rawDriver(url: string, poolSize: number | undefined): RawSql & { connect(): Promise<void> } {
  if (poolSize === undefined) {
    const client = new pg.Client({ connectionString: url });
    return {
      async query(text, parameters) {
        return (await client.query<Record<string, unknown>>(text, [...parameters])).rows;
      },
      async close() {
        await client.end();
      },
      async connect() {
        await client.connect();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined);
  return {
    async query(text, parameters) {
      return (await pool.query<Record<string, unknown>>(text, [...parameters])).rows;
    },
    async close() {
      await pool.end();
    },
    async connect() {},
  };
}

/** Opens the kept database `spec.name`, reusing it when it holds the data, otherwise (re)creating and loading it. */
export async function openKeptPostgres<M extends { migrations: string }>(spec: KeptDatabaseSpec<M>): Promise<KeptPostgres<M>> {
  const { databaseUrl, name } = spec;
  if (databaseUrl === null) throw new Error('PostgreSQL benchmarks need DATABASE_URL');
  const url = withDatabase(databaseUrl, name);

  let reused = false;
  let migratedForward = false;
  let createMs = 0;
  if (spec.fresh) await dropDatabase(databaseUrl, name);
  if (await databaseExists(databaseUrl, name)) {
    const probe = fromPostgres(url, 2);
    let check: { stale: string | null; migrated: boolean };
    try {
      check = await checkReusable(probe, spec);
    } finally {
      await probe.close();
    }
    if (check.stale === null) {
      reused = true;
      migratedForward = check.migrated;
      progress(`PostgreSQL: reusing ${describeUrl(url)} (${spec.holds}${check.migrated ? ', new migrations applied' : ''}; --fresh reloads)`);
    } else {
      progress(`PostgreSQL: reloading ${describeUrl(url)}: ${check.stale}`);
      await dropDatabase(databaseUrl, name);
    }
  }
  if (!reused) {
    progress(`PostgreSQL: creating ${describeUrl(url)} and loading ${spec.loading ?? spec.holds} …`);
    const start = performance.now();
    await createDatabase(databaseUrl, name);
    createMs = performance.now() - start;
  }

  const database = fromPostgres(url, spec.poolSize);
  const raw = rawDriver(url, spec.rawPoolSize);
  const close = async (): Promise<void> => {
    await raw.close().catch(() => undefined);
    await database.close();
  };
  return closeOnFailure(close, async () => {
    const db = database.db as unknown as Db;
    let marker: M;
    let migrateMs = 0;
    if (reused) {
      const found = await readMarker(db, spec.marker);
      if (found === null) throw new Error('benchmark marker vanished');
      marker = found;
    } else {
      const start = performance.now();
      await migrate(database.db);
      migrateMs = performance.now() - start;
      marker = await spec.load(database, db);
      await writeMarker(db, spec.marker, marker);
    }
    const versionRow = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
    const serverVersion = versionRow.rows[0]?.server_version ?? 'unknown';
    await raw.connect();
    return {
      kind: 'postgres',
      database,
      raw,
      description: `PostgreSQL ${serverVersion} at ${describeUrl(url)}`,
      serverVersion,
      databaseName: name,
      reused,
      migratedForward,
      close,
      marker,
      createMs,
      migrateMs,
    };
  });
}
