import { sql, type CompiledQuery, type Kysely } from 'kysely';
import {
  LUCERNE_2022,
  compileKeyFigureQueries,
  createBenchTenant,
  foreignPopulation,
  immigration,
  loadLucerne2022,
  withTenantScope,
  type Actor,
  type Database,
} from '@migraflow/server';
import { checkTarget, defineBenchmark, type BenchContext, type BenchReport, type DatabaseKind, type ReportOf, type TargetCheck } from '../lib/benchmark.js';
import { describeHardware } from '../lib/hardware.js';
import { openKeptPostgres, type MarkerTable } from '../lib/kept-database.js';
import { databaseLabel, formatInt, formatMs, formatSeconds, loadedIn, measuredRounds, out, progress } from '../lib/output.js';
import { closeOnFailure, migrationState, openMemoryPGlite, vacuumAnalyze, type PreparedDatabase } from '../lib/prepared.js';
import { median, roundMs } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';
import { MODES, emptySamples, formatRatios, latencyCells, measureRounds, modeLabels, ratio, ratioTarget, roundRatios, roundWays, serviceOverRaw, summarizeWays, threeWays, warmUp, type Mode } from '../lib/ways.js';

/**
 * The yearly key figures (issue "Statistics"): both statistics endpoints — the foreign population
 * on a date (`GET /api/v1/statistics/foreign-population?date=`) and the immigrations in a period
 * (`GET /api/v1/statistics/immigration?from=&to=`) — on the synthetic canton of Lucerne
 * (`loadLucerne2022`, ten and more years of permit history), against the same SQL run straight on
 * the database. Targets: ≤ 300 ms on PGlite at 100,000 persons, ≤ 1 s on PostgreSQL at 2,500,000
 * persons (p95 of each endpoint); service time ÷ raw SQL time ≤ 1.3.
 */

/** Persons of `loadLucerne2022` at scale 1; scale s multiplies every group. */
const PERSONS_AT_SCALE_1 = 91_168;
/** ≈ 100,000 persons on PGlite, ≈ 2,460,000 on PostgreSQL. */
const DEFAULT_SCALE: Readonly<Record<DatabaseKind, number>> = { pglite: 1.1, postgres: 27 };
const TARGET: Readonly<Record<DatabaseKind, { persons: number; ms: number }>> = {
  pglite: { persons: 100_000, ms: 300 },
  postgres: { persons: 2_500_000, ms: 1_000 },
};
/** A run counts as "at the target size" when its persons are within this share of the target's. */
const SIZE_TOLERANCE = 0.05;
const DEFAULT_ROUNDS = 5;
const TENANT_SLUG = 'bench-kf';

type Endpoint = 'foreign-population' | 'immigration';
const ENDPOINTS: readonly Endpoint[] = ['foreign-population', 'immigration'];

interface KeyFigureQuery {
  endpoint: Endpoint;
  label: string;
  /** foreign-population: [date]; immigration: [from, to]. */
  date: string;
  from: string;
  to: string;
}

const QUERIES: readonly KeyFigureQuery[] = [
  { endpoint: 'foreign-population', label: 'date=2022-12-31', date: '2022-12-31', from: '2022-01-01', to: '2022-12-31' },
  { endpoint: 'foreign-population', label: 'date=2021-12-31', date: '2021-12-31', from: '2021-01-01', to: '2021-12-31' },
  { endpoint: 'foreign-population', label: 'date=2018-06-30', date: '2018-06-30', from: '2018-01-01', to: '2018-06-30' },
  { endpoint: 'immigration', label: '2022', date: '2022-12-31', from: '2022-01-01', to: '2022-12-31' },
  { endpoint: 'immigration', label: '2021', date: '2021-12-31', from: '2021-01-01', to: '2021-12-31' },
  { endpoint: 'immigration', label: '2015–2022', date: '2022-12-31', from: '2015-01-01', to: '2022-12-31' },
];

const MODE_LABELS = modeLabels('service (as the API calls it)', 'its SQL');

// ------------------------------------------------------------------ dataset

interface KeyFiguresDataset extends PreparedDatabase {
  tenantId: string;
  actor: Actor;
  scale: number;
  persons: number;
  permits: number;
  residences: number;
  timings: { createMs: number; migrateMs: number; loadMs: number; analyzeMs: number };
}

/** `--persons N` maps to scale N ÷ 91,168, rounded to four decimals (it names the PostgreSQL database). */
function scaleFor(kind: DatabaseKind, persons: number | null): number {
  if (persons === null) return DEFAULT_SCALE[kind];
  return Math.max(0.0001, Math.round((persons / PERSONS_AT_SCALE_1) * 10_000) / 10_000);
}

async function countRows(db: Kysely<never>, tenantId: string): Promise<{ persons: number; permits: number; residences: number }> {
  const result = await sql<{ persons: number | string; permits: number | string; residences: number | string }>`
    SELECT (SELECT count(*) FROM persons WHERE tenant_id = ${tenantId}) AS persons,
           (SELECT count(*) FROM permits WHERE tenant_id = ${tenantId}) AS permits,
           (SELECT count(*) FROM residences WHERE tenant_id = ${tenantId}) AS residences`.execute(db);
  const row = result.rows[0];
  return { persons: Number(row?.persons ?? 0), permits: Number(row?.permits ?? 0), residences: Number(row?.residences ?? 0) };
}

/** Loads the Lucerne profile at `scale` as tenant `bench-kf` and returns how long it took. */
async function loadProfile(database: Database, scale: number): Promise<number> {
  const expected = Math.round(PERSONS_AT_SCALE_1 * scale);
  const step = Math.max(10_000, Math.ceil(expected / 10));
  let next = step;
  const start = performance.now();
  const loaded = await loadLucerne2022(
    database.db,
    (persons) => {
      if (persons < next) return;
      next = (Math.floor(persons / step) + 1) * step;
      const elapsed = performance.now() - start;
      progress(`  loaded ${formatInt(persons)} / ≈${formatInt(expected)} persons (${formatSeconds(elapsed)}, ${formatInt((persons / elapsed) * 1000)}/s)`);
    },
    { scale, slug: TENANT_SLUG },
  );
  const loadMs = performance.now() - start;
  progress(`  loaded ${formatInt(loaded)} persons with their permits in ${formatSeconds(loadMs)} (${formatInt((loaded / loadMs) * 1000)}/s)`);
  return loadMs;
}

async function preparePGlite(scale: number): Promise<KeyFiguresDataset> {
  progress(`PGlite: creating an in-memory database and loading the Lucerne profile at scale ${scale} (≈${formatInt(PERSONS_AT_SCALE_1 * scale)} persons) …`);
  const { createMs, migrateMs, ...prepared } = await openMemoryPGlite();
  const { database } = prepared;
  return closeOnFailure(prepared.close, async () => {
    const loadMs = await loadProfile(database, scale);
    const db = database.db as unknown as Kysely<never>;
    const analyzeMs = await vacuumAnalyze(db);
    const { tenantId, actor } = await createBenchTenant(database.db, TENANT_SLUG);
    const counts = await countRows(db, tenantId);
    return { ...prepared, tenantId, actor, scale, ...counts, timings: { createMs, migrateMs, loadMs, analyzeMs } };
  });
}

interface Marker {
  scale: number;
  persons: number;
  migrations: string;
  load_ms: number;
  analyze_ms: number;
}

const MARKER: MarkerTable<Marker> = {
  name: 'mf_bench_key_figures',
  columns: { scale: 'double precision', persons: 'integer', migrations: 'text', load_ms: 'double precision', analyze_ms: 'double precision' },
};

async function tenantIdOf(db: Kysely<never>): Promise<string | null> {
  const result = await sql<{ id: string }>`SELECT id FROM tenants WHERE slug = ${TENANT_SLUG}`.execute(db);
  return result.rows[0]?.id ?? null;
}

/** `mf_bench_key_figures_<scale>`, reused while it holds a complete load at this scale. */
async function preparePostgres(scale: number, databaseUrl: string | null, fresh: boolean): Promise<KeyFiguresDataset> {
  const kept = await openKeptPostgres<Marker>({
    databaseUrl,
    name: `mf_bench_key_figures_${String(scale).replace('.', '_')}`,
    fresh,
    marker: MARKER,
    holds: `scale ${scale}`,
    loading: `the Lucerne profile at scale ${scale} (≈${formatInt(PERSONS_AT_SCALE_1 * scale)} persons)`,
    incomplete: 'it holds no complete load',
    differs: (marker) => (marker.scale === scale ? null : `it holds scale ${marker.scale}`),
    async verify(db, marker) {
      const tenantId = await tenantIdOf(db);
      if (tenantId === null) return `tenant ${TENANT_SLUG} is missing`;
      const counts = await countRows(db, tenantId);
      return counts.persons === marker.persons ? null : `it holds ${formatInt(counts.persons)} persons instead of ${formatInt(marker.persons)}`;
    },
    poolSize: 4,
    async load(database, db) {
      const loadMs = await loadProfile(database, scale);
      const analyzeMs = await vacuumAnalyze(db);
      const tenantId = await tenantIdOf(db);
      if (tenantId === null) throw new Error(`tenant ${TENANT_SLUG} missing after the load`);
      const counts = await countRows(db, tenantId);
      return { scale, persons: counts.persons, migrations: await migrationState(db), load_ms: loadMs, analyze_ms: analyzeMs };
    },
  });
  const { marker, createMs, migrateMs, ...prepared } = kept;
  return closeOnFailure(kept.close, async () => {
    const { tenantId, actor } = await createBenchTenant(prepared.database.db, TENANT_SLUG);
    const counts = await countRows(prepared.database.db as unknown as Kysely<never>, tenantId);
    // A reused database reports the load time it took when it was made.
    return { ...prepared, tenantId, actor, scale, ...counts, timings: { createMs, migrateMs, loadMs: marker.load_ms, analyzeMs: marker.analyze_ms } };
  });
}

// ------------------------------------------------------------------ measuring

interface QueryOutcome {
  query: KeyFigureQuery;
  compiled: CompiledQuery<unknown>;
  samples: Record<Mode, number[]>;
  /** The service's answer in the warm-up round (the figures). */
  figures: unknown;
  /** Whether the service's totals equal the raw SQL's counts. */
  sameCounts: boolean;
}

type CountRow = Record<string, unknown>;

/** The totals the service's answer and the raw rows must agree on. */
function totalsFromRows(endpoint: Endpoint, rows: readonly CountRow[]): Record<string, number> {
  const sum = (predicate: (row: CountRow) => boolean) => rows.filter(predicate).reduce((total, row) => total + Number(row.persons ?? 0), 0);
  if (endpoint === 'foreign-population') {
    return {
      C: sum((row) => row.category === 'C'),
      B: sum((row) => row.category === 'B'),
      N: sum((row) => row.category === 'N'),
      F: sum((row) => row.category === 'F'),
      L: sum((row) => row.category === 'L'),
    };
  }
  return {
    permanent: sum((row) => row.group === 'permanent'),
    nonPermanent: sum((row) => row.group === 'non-permanent'),
    asylum: sum((row) => row.group === 'asylum'),
  };
}

function totalsFromService(endpoint: Endpoint, figures: unknown): Record<string, number> {
  if (endpoint === 'foreign-population') {
    const f = figures as Awaited<ReturnType<typeof foreignPopulation>>;
    return { C: f.permanent.C, B: f.permanent.B, N: f.asylum.N, F: f.asylum.F, L: f.permanent.L_over_12_months + f.nonPermanent.L_up_to_12_months };
  }
  const f = figures as Awaited<ReturnType<typeof immigration>>;
  return { permanent: f.permanent.total, nonPermanent: f.nonPermanent.total, asylum: f.asylum.total };
}

async function measure(dataset: KeyFiguresDataset, rounds: number): Promise<QueryOutcome[]> {
  const { database, raw, actor, tenantId } = dataset;
  let requests = 0;
  const outcomes: QueryOutcome[] = QUERIES.map((query) => {
    const compiled = compileKeyFigureQueries(database.db, tenantId, query.date, query.from, query.to);
    return {
      query,
      compiled: (query.endpoint === 'foreign-population' ? compiled.stock : compiled.immigration) as CompiledQuery<unknown>,
      samples: emptySamples(),
      figures: null,
      sameCounts: true,
    };
  });
  const ways = threeWays(database, raw, {
    service: ({ query }: QueryOutcome): Promise<unknown> => {
      const context = { actor, requestId: `bench-key-figures-${++requests}` };
      // In the office's scope, as the API runs it (row-level security applies).
      return withTenantScope(actor.tenantId, () =>
        query.endpoint === 'foreign-population' ? foreignPopulation(database.db, context, query.date) : immigration(database.db, context, query.from, query.to),
      );
    },
    sql: (outcome) => outcome.compiled,
    kysely: (outcome) => outcome.compiled,
  });

  // Warm-up round: fills caches and checks that the raw SQL counts what the service reports.
  await warmUp(outcomes, ways, (outcome) => `${outcome.query.endpoint} ${outcome.query.label}`, (outcome, figures, rawRows) => {
    outcome.figures = figures;
    const service = totalsFromService(outcome.query.endpoint, outcome.figures);
    const fromRaw = totalsFromRows(outcome.query.endpoint, rawRows);
    outcome.sameCounts = JSON.stringify(service) === JSON.stringify(fromRaw);
  });
  await measureRounds(outcomes, rounds, ways);
  return outcomes;
}

function pooled(outcomes: readonly QueryOutcome[], mode: Mode): number[] {
  return outcomes.flatMap((outcome) => outcome.samples[mode]);
}

// ------------------------------------------------------------------ report

async function runOn(kind: DatabaseKind, context: BenchContext, report: ReportOf): Promise<BenchReport> {
  const { options } = context;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const scale = scaleFor(kind, options.persons);
  const dataset = kind === 'pglite' ? await preparePGlite(scale) : await preparePostgres(scale, options.databaseUrl, options.fresh);
  try {
    progress(`  ${QUERIES.length} queries (${ENDPOINTS.join(', ')}), ${measuredRounds(rounds)} after one warm-up round`);
    const outcomes = await measure(dataset, rounds);

    const endpoints = ENDPOINTS.map((endpoint) => {
      const inEndpoint = outcomes.filter((outcome) => outcome.query.endpoint === endpoint);
      const latency = summarizeWays((mode) => pooled(inEndpoint, mode));
      return { endpoint, latency, ratios: serviceOverRaw(latency) };
    });
    const mismatched = outcomes.filter((outcome) => !outcome.sameCounts);
    const stock2022 = outcomes[0]?.figures as Awaited<ReturnType<typeof foreignPopulation>>;
    const immigration2022 = outcomes[3]?.figures as Awaited<ReturnType<typeof immigration>>;
    const target = TARGET[kind];
    const atTargetSize = Math.abs(dataset.persons / target.persons - 1) <= SIZE_TOLERANCE;

    // ------------------------------------------------------------ print
    const { timings } = dataset;
    out(`## key-figures on ${databaseLabel(kind)}`);
    out();
    out(`- hardware: ${describeHardware(context.hardware)}`);
    out(`- database: ${dataset.description}`);
    out(`- data: Lucerne profile (loadLucerne2022) at scale ${scale}: ${formatInt(dataset.persons)} persons, ${formatInt(dataset.permits)} permits, ${formatInt(dataset.residences)} residences`);
    const rate = formatInt((dataset.persons / timings.loadMs) * 1000);
    out(`- load: ${loadedIn(dataset)} ${formatSeconds(timings.loadMs)} (${rate} persons/s); VACUUM ANALYZE ${formatSeconds(timings.analyzeMs)}; create ${formatSeconds(timings.createMs)}, migrate ${formatSeconds(timings.migrateMs)}`);
    out(`- queries: ${QUERIES.length} (${QUERIES.map((q) => `${q.endpoint} ${q.label}`).join(', ')}), ${measuredRounds(rounds)} after one warm-up, sequential`);
    out(
      `- figures 31.12.2022: C ${formatInt(stock2022.permanent.C)}, B ${formatInt(stock2022.permanent.B)}, L > 12 months ${formatInt(stock2022.permanent.L_over_12_months)}, ` +
        `L ≤ 12 months ${formatInt(stock2022.nonPermanent.L_up_to_12_months)}, N ${formatInt(stock2022.asylum.N)}, F ${formatInt(stock2022.asylum.F)} ` +
        `(published at scale 1: C ${formatInt(LUCERNE_2022.stock.C)}, B ${formatInt(LUCERNE_2022.stock.B)}); ` +
        `immigration 2022: permanent ${formatInt(immigration2022.permanent.total)}, non-permanent ${formatInt(immigration2022.nonPermanent.total)}, asylum ${formatInt(immigration2022.asylum.total)}`,
    );
    out();
    out(
      markdownTable(
        ['latency (ms)', 'median', 'p95', 'max', 'mean'],
        endpoints.flatMap((e) =>
          MODES.map((mode) => [`${e.endpoint}: ${MODE_LABELS[mode]}`, ...latencyCells(e.latency[mode], ['median', 'p95', 'max', 'mean'])]),
        ),
      ),
    );
    out();
    out(
      markdownTable(
        ['query', 'service median', 'service max', 'raw median', 'raw max', 'ratio'],
        outcomes.map((o) => [
          `${o.query.endpoint} ${o.query.label}`,
          formatMs(median(o.samples.service)),
          formatMs(Math.max(...o.samples.service)),
          formatMs(median(o.samples.raw)),
          formatMs(Math.max(...o.samples.raw)),
          ratio(median(o.samples.service), median(o.samples.raw)).toFixed(2),
        ]),
      ),
    );
    out();
    for (const e of endpoints) {
      out(`Ratio service ÷ raw SQL (${e.endpoint}): ${formatRatios(e.ratios)}; Kysely pool ÷ raw: ${ratio(e.latency.kysely.median, e.latency.raw.median).toFixed(2)} on medians`);
    }
    if (mismatched.length > 0) {
      out(`WARNING: for ${mismatched.length} of ${outcomes.length} queries the service's totals differ from compileKeyFigureQueries' SQL (e.g. ${mismatched[0]?.query.endpoint} ${mismatched[0]?.query.label}): the raw timing may not measure the same work.`);
    }
    out();

    // ------------------------------------------------------------ targets
    const sizeNote = atTargetSize ? {} : { note: `ran at ${formatInt(dataset.persons)} persons` };
    const targets: TargetCheck[] = [
      ...endpoints.map((e) =>
        checkTarget({
          label: `p95 of ${e.endpoint} ≤ ${formatInt(target.ms)} ms at ${formatInt(target.persons)} persons`,
          actual: roundMs(e.latency.service.p95),
          limit: target.ms,
          unit: 'ms',
          direction: 'max',
          applies: atTargetSize,
          ...sizeNote,
        }),
      ),
      ...endpoints.map((e) => ratioTarget(e.ratios, `${e.endpoint}: `)),
    ];

    return report({
      environment: {
        description: dataset.description,
        serverVersion: dataset.serverVersion,
        databaseName: dataset.databaseName,
        profile: LUCERNE_2022.slug,
        scale,
        persons: dataset.persons,
        permits: dataset.permits,
        residences: dataset.residences,
        reused: dataset.reused,
        migratedForward: dataset.migratedForward,
        timings: {
          createMs: roundMs(timings.createMs),
          migrateMs: roundMs(timings.migrateMs),
          loadMs: roundMs(timings.loadMs),
          analyzeMs: roundMs(timings.analyzeMs),
          personsPerSecond: Math.round((dataset.persons / timings.loadMs) * 1000),
        },
      },
      results: {
        rounds,
        queries: outcomes.length,
        endpoints: endpoints.map((e) => ({
          endpoint: e.endpoint,
          latencyMs: roundWays(e.latency),
          ratio: roundRatios(e.ratios),
        })),
        countsDifferFromService: mismatched.length,
        perQuery: outcomes.map((o) => ({
          endpoint: o.query.endpoint,
          query: o.query.label,
          ...(o.query.endpoint === 'foreign-population' ? { date: o.query.date } : { from: o.query.from, to: o.query.to }),
          sameCounts: o.sameCounts,
          medianMs: Object.fromEntries(MODES.map((mode) => [mode, roundMs(median(o.samples[mode]))])),
          maxMs: Object.fromEntries(MODES.map((mode) => [mode, roundMs(Math.max(...o.samples[mode]))])),
          figures: o.figures,
        })),
      },
      targets,
    });
  } finally {
    await dataset.close();
  }
}

export const keyFiguresBenchmark = defineBenchmark('key-figures', 'statistics endpoints (foreign population, immigration) vs. their SQL on the bare driver (PGlite 100k, PostgreSQL 2.5M persons)', runOn);
