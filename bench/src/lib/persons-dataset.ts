import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { bulkLoadPersons, createBenchTenant, generatePersonsLazily, type Database, type GeneratedPerson } from '@migraflow/server';
import type { DatasetSource } from './benchmark.js';
import { openKeptPostgres, type MarkerTable } from './kept-database.js';
import { formatInt, formatSeconds, progress } from './output.js';
import { closeOnFailure, migrationState, openMemoryPGlite, vacuumAnalyze, type PreparedDatabase } from './prepared.js';

/**
 * A database holding N generated Lucerne persons in one tenant, ready for read benchmarks.
 *
 * PGlite: a fresh in-memory database every run. PostgreSQL: a database `mf_bench_persons_<N>` on
 * the DATABASE_URL server, reused as long as it holds the same data (same N, seed, generator
 * output and migrations), because loading a million persons takes minutes.
 */

export type BenchActor = Awaited<ReturnType<typeof createBenchTenant>>['actor'];

export interface PersonsDataset extends PreparedDatabase {
  tenantId: string;
  actor: BenchActor;
  persons: number;
  residences: number;
  seed: number;
  timings: {
    /** Creating the database (PGlite: initdb in WebAssembly). */
    createMs: number;
    migrateMs: number;
    /** Generating and inserting the persons (null when reused), and the part spent in the generator. */
    loadMs: number | null;
    generateMs: number | null;
    analyzeMs: number | null;
  };
}

export interface DatasetOptions extends DatasetSource {
  persons: number;
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
  const { createMs, migrateMs, ...prepared } = await openMemoryPGlite();
  const { database } = prepared;
  return closeOnFailure(prepared.close, async () => {
    const { tenantId, actor } = await createBenchTenant(database.db, TENANT_SLUG);
    const { loadMs, generateMs } = await loadPersons(database, tenantId, options.persons, options.seed);
    const db = database.db as unknown as Kysely<never>;
    const analyzeMs = await vacuumAnalyze(db);
    const counts = await countRows(db, tenantId);
    return {
      ...prepared,
      tenantId,
      actor,
      persons: counts.persons,
      residences: counts.residences,
      seed: options.seed,
      timings: { createMs, migrateMs, loadMs, generateMs, analyzeMs },
    };
  });
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

const MARKER: MarkerTable<Marker> = {
  name: 'mf_bench_dataset',
  columns: {
    persons: 'integer',
    seed: 'bigint',
    fingerprint: 'text',
    migrations: 'text',
    tenant_id: 'uuid',
    actor: 'jsonb',
    load_ms: 'double precision',
    generate_ms: 'double precision',
    analyze_ms: 'double precision',
  },
};

/**
 * `mf_bench_persons_<N>`, reused while it holds the same persons, seed and generator output.
 * Migrations added since it was loaded are applied to it (reloading a million persons for every
 * new migration would take too long); a migration changed after it was applied makes it stale.
 */
async function preparePostgres(options: DatasetOptions): Promise<PersonsDataset> {
  const fingerprint = generatorFingerprint(options.seed);
  const kept = await openKeptPostgres<Marker>({
    databaseUrl: options.databaseUrl,
    name: `mf_bench_persons_${options.persons}`,
    fresh: options.fresh,
    marker: MARKER,
    holds: `${formatInt(options.persons)} persons`,
    differs(marker) {
      if (marker.persons !== options.persons || marker.seed !== options.seed) return `it holds ${formatInt(marker.persons)} persons of seed ${marker.seed}`;
      return marker.fingerprint === fingerprint ? null : 'the generator output changed';
    },
    async verify(db, marker) {
      const counts = await countRows(db, marker.tenant_id);
      return counts.persons === options.persons ? null : `it holds ${formatInt(counts.persons)} persons instead of ${formatInt(options.persons)}`;
    },
    poolSize: 4,
    async load(database, db) {
      const { tenantId, actor } = await createBenchTenant(database.db, TENANT_SLUG);
      const { loadMs, generateMs } = await loadPersons(database, tenantId, options.persons, options.seed);
      const analyzeMs = await vacuumAnalyze(db);
      return {
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
    },
  });
  const { marker, createMs, migrateMs, ...prepared } = kept;
  return closeOnFailure(kept.close, async () => {
    const counts = await countRows(prepared.database.db as unknown as Kysely<never>, marker.tenant_id);
    return {
      ...prepared,
      tenantId: marker.tenant_id,
      actor: marker.actor,
      persons: counts.persons,
      residences: counts.residences,
      seed: options.seed,
      // A reused dataset reports the load time it took when it was made.
      timings: { createMs, migrateMs, loadMs: marker.load_ms, generateMs: marker.generate_ms, analyzeMs: marker.analyze_ms },
    };
  });
}

export function preparePersonsDataset(options: DatasetOptions): Promise<PersonsDataset> {
  return options.kind === 'pglite' ? preparePGlite(options) : preparePostgres(options);
}
