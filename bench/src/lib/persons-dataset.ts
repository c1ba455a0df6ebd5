import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import {
  bulkLoadPersons,
  createBenchTenant,
  fromPostgres,
  generatePersonsLazily,
  migrate,
  type Database,
  type GeneratedPerson,
} from '@migraflow/server';
import { migrationState, openMemoryPGlite, vacuumAnalyze } from './prepared.js';
import type { DatabaseKind } from './benchmark.js';
import { createDatabase, databaseExists, describeUrl, dropDatabase, pgliteVersion, withDatabase } from './databases.js';
import { formatInt, formatSeconds, progress } from './output.js';

/**
 * A database holding N generated Lucerne persons in one tenant, ready for read benchmarks.
 *
 * PGlite: a fresh in-memory database every run. PostgreSQL: a database `mf_bench_persons_<N>` on
 * the DATABASE_URL server, reused as long as it holds the same data (same N, seed, generator
 * output and migrations), because loading a million persons takes minutes.
 */

export type BenchActor = Awaited<ReturnType<typeof createBenchTenant>>['actor'];

/** Runs SQL on the lowest level the database offers: PGlite's own `query`, or one dedicated `pg` connection. */
export interface RawSql {
  query(text: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface PersonsDataset {
  kind: DatabaseKind;
  database: Database;
  raw: RawSql;
  tenantId: string;
  actor: BenchActor;
  persons: number;
  residences: number;
  seed: number;
  /** Human description: "PGlite 0.5.16 (PostgreSQL 17.5), in memory". */
  description: string;
  serverVersion: string;
  /** PostgreSQL: the benchmark database's name. */
  databaseName: string | null;
  reused: boolean;
  /** PostgreSQL: a reused database got migrations that were added after it was loaded. */
  migratedForward: boolean;
  timings: {
    /** Creating the database (PGlite: initdb in WebAssembly). */
    createMs: number;
    migrateMs: number;
    /** Generating and inserting the persons (null when reused), and the part spent in the generator. */
    loadMs: number | null;
    generateMs: number | null;
    analyzeMs: number | null;
  };
  close(): Promise<void>;
}

export interface DatasetOptions {
  kind: DatabaseKind;
  persons: number;
  seed: number;
  databaseUrl: string | null;
  fresh: boolean;
}

/** Fixed so that the data (ages, residence dates) does not change with the day the benchmark runs. */
export const REFERENCE_DATE = '2026-01-01';
const TENANT_SLUG = 'bench';

export function personStream(seed: number, count: number): Iterable<GeneratedPerson> {
  return generatePersonsLazily({ seed, count, referenceDate: REFERENCE_DATE });
}

/** Changes when the generator's output changes, so that a stale PostgreSQL dataset is reloaded. */
function generatorFingerprint(seed: number): string {
  const hash = createHash('sha256');
  for (const person of personStream(seed, 500)) hash.update(JSON.stringify(person));
  return hash.digest('hex').slice(0, 16);
}

/** Passes the persons through, measuring time spent generating them and printing progress every 10 %. */
function* metered(source: Iterable<GeneratedPerson>, total: number, clock: { generateMs: number }): Generator<GeneratedPerson> {
  const start = performance.now();
  const step = Math.max(1_000, Math.ceil(total / 10));
  const iterator = source[Symbol.iterator]();
  let count = 0;
  for (;;) {
    const before = performance.now();
    const next = iterator.next();
    clock.generateMs += performance.now() - before;
    if (next.done === true) return;
    yield next.value;
    count++;
    if (count % step === 0 && count < total) {
      const elapsed = performance.now() - start;
      progress(`  loaded ${formatInt(count)} / ${formatInt(total)} persons (${formatSeconds(elapsed)}, ${formatInt((count / elapsed) * 1000)}/s)`);
    }
  }
}

async function countRows(db: Kysely<never>, tenantId: string): Promise<{ persons: number; residences: number }> {
  const result = await sql<{ persons: number | string; residences: number | string }>`
    SELECT (SELECT count(*) FROM persons WHERE tenant_id = ${tenantId}) AS persons,
           (SELECT count(*) FROM residences WHERE tenant_id = ${tenantId}) AS residences`.execute(db);
  const row = result.rows[0];
  return { persons: Number(row?.persons ?? 0), residences: Number(row?.residences ?? 0) };
}

async function loadPersons(database: Database, tenantId: string, count: number, seed: number): Promise<{ loadMs: number; generateMs: number }> {
  const clock = { generateMs: 0 };
  const start = performance.now();
  const loaded = await bulkLoadPersons(database.db, tenantId, metered(personStream(seed, count), count, clock));
  const loadMs = performance.now() - start;
  if (loaded !== count) throw new Error(`bulkLoadPersons loaded ${loaded} persons, expected ${count}`);
  progress(`  loaded ${formatInt(count)} persons in ${formatSeconds(loadMs)} (${formatInt((count / loadMs) * 1000)}/s; generating took ${formatSeconds(clock.generateMs)})`);
  return { loadMs, generateMs: clock.generateMs };
}

// ------------------------------------------------------------------ PGlite

async function preparePGlite(options: DatasetOptions): Promise<PersonsDataset> {
  progress(`PGlite: creating an in-memory database and loading ${formatInt(options.persons)} persons …`);
  const { database, raw, serverVersion, createMs, migrateMs } = await openMemoryPGlite();
  try {
    const { tenantId, actor } = await createBenchTenant(database.db, TENANT_SLUG);
    const { loadMs, generateMs } = await loadPersons(database, tenantId, options.persons, options.seed);
    const db = database.db as unknown as Kysely<never>;
    const analyzeMs = await vacuumAnalyze(db);
    const counts = await countRows(db, tenantId);
    return {
      kind: 'pglite',
      database,
      raw,
      tenantId,
      actor,
      persons: counts.persons,
      residences: counts.residences,
      seed: options.seed,
      description: `PGlite ${pgliteVersion()} (PostgreSQL ${serverVersion}), in memory`,
      serverVersion,
      databaseName: null,
      reused: false,
      migratedForward: false,
      timings: { createMs, migrateMs, loadMs, generateMs, analyzeMs },
      close: () => database.close(),
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

// ------------------------------------------------------------------ PostgreSQL

interface Marker {
  persons: number;
  seed: number;
  fingerprint: string;
  migrations: string;
  tenant_id: string;
  actor: BenchActor;
  load_ms: number;
  generate_ms: number;
  analyze_ms: number;
}

async function readMarker(db: Kysely<never>): Promise<Marker | null> {
  const exists = await sql<{ found: string | null }>`SELECT to_regclass('mf_bench_dataset')::text AS found`.execute(db);
  if (exists.rows[0]?.found === null || exists.rows[0]?.found === undefined) return null;
  const result = await sql<Marker>`SELECT * FROM mf_bench_dataset WHERE id = 1`.execute(db);
  return result.rows[0] ?? null;
}

async function writeMarker(db: Kysely<never>, marker: Marker): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS mf_bench_dataset (
    id integer PRIMARY KEY CHECK (id = 1),
    persons integer NOT NULL,
    seed bigint NOT NULL,
    fingerprint text NOT NULL,
    migrations text NOT NULL,
    tenant_id uuid NOT NULL,
    actor jsonb NOT NULL,
    load_ms double precision NOT NULL,
    generate_ms double precision NOT NULL,
    analyze_ms double precision NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`DELETE FROM mf_bench_dataset`.execute(db);
  await sql`INSERT INTO mf_bench_dataset (id, persons, seed, fingerprint, migrations, tenant_id, actor, load_ms, generate_ms, analyze_ms)
    VALUES (1, ${marker.persons}, ${marker.seed}, ${marker.fingerprint}, ${marker.migrations}, ${marker.tenant_id},
            ${JSON.stringify(marker.actor)}::jsonb, ${marker.load_ms}, ${marker.generate_ms}, ${marker.analyze_ms})`.execute(db);
}

/**
 * Checks whether an existing benchmark database can be reused: same persons, seed and generator
 * output. Migrations added since it was loaded are applied to it, as to a production database
 * (reloading a million persons for every new migration would take too long); a migration that
 * was changed after it was applied makes it stale.
 */
async function checkReusable(database: Database, options: DatasetOptions, fingerprint: string): Promise<{ stale: string | null; migrated: boolean }> {
  const db = database.db as unknown as Kysely<never>;
  const marker = await readMarker(db);
  if (marker === null) return { stale: 'it holds no complete dataset', migrated: false };
  if (marker.persons !== options.persons || Number(marker.seed) !== options.seed) {
    return { stale: `it holds ${formatInt(marker.persons)} persons of seed ${marker.seed}`, migrated: false };
  }
  if (marker.fingerprint !== fingerprint) return { stale: 'the generator output changed', migrated: false };
  try {
    await migrate(database.db);
  } catch (error) {
    return { stale: `its migrations do not apply (${(error as Error).message})`, migrated: false };
  }
  const counts = await countRows(db, marker.tenant_id);
  if (counts.persons !== options.persons) {
    return { stale: `it holds ${formatInt(counts.persons)} persons instead of ${formatInt(options.persons)}`, migrated: false };
  }
  const migrations = await migrationState(db);
  if (migrations === marker.migrations) return { stale: null, migrated: false };
  await vacuumAnalyze(db);
  await sql`UPDATE mf_bench_dataset SET migrations = ${migrations}`.execute(db);
  return { stale: null, migrated: true };
}

async function preparePostgres(options: DatasetOptions): Promise<PersonsDataset> {
  const databaseUrl = options.databaseUrl;
  if (databaseUrl === null) throw new Error('PostgreSQL benchmarks need DATABASE_URL');
  const name = `mf_bench_persons_${options.persons}`;
  const url = withDatabase(databaseUrl, name);
  const fingerprint = generatorFingerprint(options.seed);

  let reused = false;
  let migratedForward = false;
  let createMs = 0;
  if (options.fresh) await dropDatabase(databaseUrl, name);
  if (await databaseExists(databaseUrl, name)) {
    const probe = fromPostgres(url, 2);
    let check: { stale: string | null; migrated: boolean };
    try {
      check = await checkReusable(probe, options, fingerprint);
    } finally {
      await probe.close();
    }
    if (check.stale === null) {
      reused = true;
      migratedForward = check.migrated;
      const migrated = check.migrated ? ', new migrations applied' : '';
      progress(`PostgreSQL: reusing ${describeUrl(url)} (${formatInt(options.persons)} persons${migrated}; --fresh reloads)`);
    } else {
      progress(`PostgreSQL: reloading ${describeUrl(url)}: ${check.stale}`);
      await dropDatabase(databaseUrl, name);
    }
  }
  if (!reused) {
    progress(`PostgreSQL: creating ${describeUrl(url)} and loading ${formatInt(options.persons)} persons …`);
    const start = performance.now();
    await createDatabase(databaseUrl, name);
    createMs = performance.now() - start;
  }

  const database = fromPostgres(url, 4);
  const rawClient = new pg.Client({ connectionString: url });
  try {
    const db = database.db as unknown as Kysely<never>;
    let marker: Marker;
    let migrateMs = 0;
    let loadMs: number | null = null;
    let generateMs: number | null = null;
    let analyzeMs: number | null = null;
    if (reused) {
      const found = await readMarker(db);
      if (found === null) throw new Error('benchmark marker vanished');
      marker = found;
    } else {
      const start = performance.now();
      await migrate(database.db);
      migrateMs = performance.now() - start;
      const { tenantId, actor } = await createBenchTenant(database.db, TENANT_SLUG);
      ({ loadMs, generateMs } = await loadPersons(database, tenantId, options.persons, options.seed));
      analyzeMs = await vacuumAnalyze(db);
      marker = {
        persons: options.persons,
        seed: options.seed,
        fingerprint,
        migrations: await migrationState(db),
        tenant_id: tenantId,
        actor,
        load_ms: loadMs,
        generate_ms: generateMs,
        analyze_ms: analyzeMs,
      };
      await writeMarker(db, marker);
    }
    const counts = await countRows(db, marker.tenant_id);
    const versionRow = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
    const serverVersion = versionRow.rows[0]?.server_version ?? 'unknown';
    await rawClient.connect();
    const raw: RawSql = {
      async query(text, parameters) {
        return (await rawClient.query<Record<string, unknown>>(text, [...parameters])).rows;
      },
      async close() {
        await rawClient.end();
      },
    };
    return {
      kind: 'postgres',
      database,
      raw,
      tenantId: marker.tenant_id,
      actor: marker.actor,
      persons: counts.persons,
      residences: counts.residences,
      seed: options.seed,
      description: `PostgreSQL ${serverVersion} at ${describeUrl(url)}`,
      serverVersion,
      databaseName: name,
      reused,
      migratedForward,
      timings: {
        createMs,
        migrateMs,
        // A reused dataset reports the load time it took when it was made.
        loadMs: loadMs ?? marker.load_ms,
        generateMs: generateMs ?? marker.generate_ms,
        analyzeMs: analyzeMs ?? marker.analyze_ms,
      },
      async close() {
        await raw.close().catch(() => undefined);
        await database.close();
      },
    };
  } catch (error) {
    await rawClient.end().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

export function preparePersonsDataset(options: DatasetOptions): Promise<PersonsDataset> {
  return options.kind === 'pglite' ? preparePGlite(options) : preparePostgres(options);
}
