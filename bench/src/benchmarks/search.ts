import { compilePersonSearch, searchPersons, withTenantScope } from '@migraflow/server';
import { checkTarget, datasetSource, defineBenchmark, type BenchContext, type BenchReport, type DatabaseKind, type ReportOf, type TargetCheck } from '../lib/benchmark.js';
import { describeHardware } from '../lib/hardware.js';
import { databaseLabel, formatInt, formatMs, formatSeconds, loadedIn, measuredRounds, out, progress } from '../lib/output.js';
import { CATEGORY_SIZES, buildPersonQueries, expectationMet, type QueryCategory, type SearchQuery } from '../lib/person-queries.js';
import { preparePersonsDataset, type PersonsDataset } from '../lib/persons-dataset.js';
import { median, roundMs, roundSummary, summarize } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';
import { MODES, emptySamples, formatRatios, measureRounds, modeLabels, ratio, ratioTarget, roundRatios, roundWays, serviceOverRaw, summarizeWays, threeWays, waysTable, warmUp, type Mode } from '../lib/ways.js';

/**
 * Fuzzy person search (issue "Person register", Performance): the service the API route calls
 * (`searchPersons`: search + audit row in one transaction) against the same SQL run straight on
 * the database. Targets: p95 ≤ 50 ms on PGlite at 100,000 persons, ≤ 30 ms on PostgreSQL at
 * 1,000,000; service time ÷ raw SQL time ≤ 1.3.
 */

const DEFAULT_PERSONS: Readonly<Record<DatabaseKind, number>> = { pglite: 100_000, postgres: 1_000_000 };
const P95_TARGET: Readonly<Record<DatabaseKind, { persons: number; ms: number }>> = {
  pglite: { persons: 100_000, ms: 50 },
  postgres: { persons: 1_000_000, ms: 30 },
};
const DEFAULT_ROUNDS = 3;
/** Rows a search page shows. */
const LIMIT = 20;

/** How a query is run: the service (as the API does), the compiled SQL through Kysely's pool, or the SQL on the bare driver. */
const MODE_LABELS = modeLabels('searchPersons (service, as the API calls it)', 'search SQL');

interface QueryOutcome {
  query: SearchQuery;
  sql: string;
  parameters: readonly unknown[];
  samples: Record<Mode, number[]>;
  hits: number;
  found: boolean | null;
  /** Whether the service returned the same rows in the same order as the raw SQL (null: no ids to compare). */
  sameRows: boolean | null;
}

function idsOf(rows: readonly unknown[]): string[] | null {
  const ids = rows.map((row) => (row as Record<string, unknown> | null)?.id);
  return ids.every((id) => typeof id === 'string' || typeof id === 'number') ? ids.map(String) : null;
}

async function measure(dataset: PersonsDataset, queries: readonly SearchQuery[], rounds: number): Promise<QueryOutcome[]> {
  const { database, raw, actor, tenantId } = dataset;
  let requests = 0;
  const outcomes: QueryOutcome[] = queries.map((query) => {
    const compiled = compilePersonSearch(tenantId, query.text, LIMIT);
    return { query, sql: compiled.sql, parameters: compiled.parameters, samples: emptySamples(), hits: 0, found: null, sameRows: null };
  });
  const ways = threeWays(database, raw, {
    // In the office's scope, as the API runs it (row-level security applies).
    service: (outcome: QueryOutcome) =>
      withTenantScope(actor.tenantId, () => searchPersons(database.db, { actor, requestId: `bench-search-${++requests}` }, outcome.query.text, LIMIT)) as Promise<unknown[]>,
    sql: (outcome) => outcome,
  });

  // Warm-up round: fills caches and checks that the raw SQL is what the service runs.
  await warmUp(outcomes, ways, (outcome) => `"${outcome.query.text}"`, (outcome, hits, rawRows) => {
    outcome.hits = hits.length;
    outcome.found = expectationMet(outcome.query.expect, hits);
    const serviceIds = idsOf(hits);
    const rawIds = idsOf(rawRows);
    outcome.sameRows = serviceIds === null || rawIds === null ? null : JSON.stringify(serviceIds) === JSON.stringify(rawIds);
  });
  await measureRounds(outcomes, rounds, ways);
  return outcomes;
}

function pooled(outcomes: readonly QueryOutcome[], mode: Mode): number[] {
  return outcomes.flatMap((outcome) => outcome.samples[mode]);
}

function foundShare(outcomes: readonly QueryOutcome[]): { found: number; known: number } {
  const known = outcomes.filter((outcome) => outcome.found !== null);
  return { found: known.filter((outcome) => outcome.found === true).length, known: known.length };
}

function formatFound({ found, known }: { found: number; known: number }): string {
  return known === 0 ? 'n/a' : `${found}/${known}`;
}

async function runOn(kind: DatabaseKind, context: BenchContext, report: ReportOf): Promise<BenchReport> {
  const { options } = context;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const dataset = await preparePersonsDataset({ ...datasetSource(kind, options), persons: options.persons ?? DEFAULT_PERSONS[kind] });
  try {
    const queries = buildPersonQueries(dataset.seed, dataset.persons);
    progress(`  ${queries.length} queries, ${measuredRounds(rounds)} after one warm-up round`);
    const outcomes = await measure(dataset, queries, rounds);

    const latency = summarizeWays((mode) => pooled(outcomes, mode));
    const ratios = serviceOverRaw(latency);
    const categories = (Object.keys(CATEGORY_SIZES) as QueryCategory[]).map((category) => {
      const inCategory = outcomes.filter((outcome) => outcome.query.category === category);
      const service = summarize(pooled(inCategory, 'service'));
      const rawSql = summarize(pooled(inCategory, 'raw'));
      return { category, queries: inCategory.length, found: foundShare(inCategory), service, raw: rawSql };
    });
    const mismatched = outcomes.filter((outcome) => outcome.sameRows === false);
    const found = foundShare(outcomes);

    // ------------------------------------------------------------ print
    const { timings } = dataset;
    out(`## search on ${databaseLabel(kind)}`);
    out();
    out(`- hardware: ${describeHardware(context.hardware)}`);
    out(`- database: ${dataset.description}`);
    out(`- data: ${formatInt(dataset.persons)} persons, ${formatInt(dataset.residences)} residences (seed ${dataset.seed})`);
    if (timings.loadMs !== null) {
      const rate = formatInt((dataset.persons / timings.loadMs) * 1000);
      out(`- load: ${loadedIn(dataset)} ${formatSeconds(timings.loadMs)} (${rate} persons/s, of which generating ${formatSeconds(timings.generateMs ?? 0)}); VACUUM ANALYZE ${formatSeconds(timings.analyzeMs ?? 0)}; create ${formatSeconds(timings.createMs)}, migrate ${formatSeconds(timings.migrateMs)}`);
    }
    out(`- queries: ${queries.length} (limit ${LIMIT}), ${measuredRounds(rounds)} after one warm-up, sequential; ${latency.service.count} samples per way`);
    out();
    out(waysTable('latency (ms)', MODE_LABELS, latency, ['median', 'p95', 'p99', 'max', 'mean']));
    out();
    out(
      markdownTable(
        ['category', 'queries', 'found', 'service median', 'service p95', 'raw median', 'raw p95', 'ratio'],
        [
          ...categories.map((c) => [
            c.category,
            String(c.queries),
            formatFound(c.found),
            formatMs(c.service.median),
            formatMs(c.service.p95),
            formatMs(c.raw.median),
            formatMs(c.raw.p95),
            ratio(c.service.median, c.raw.median).toFixed(2),
          ]),
          ['all', String(outcomes.length), formatFound(found), formatMs(latency.service.median), formatMs(latency.service.p95), formatMs(latency.raw.median), formatMs(latency.raw.p95), ratios.median.toFixed(2)],
        ],
      ),
    );
    out();
    out(`"found": the hits contain the person or name the query was made from (quality indication, not a target).`);
    out();
    const slowest = [...outcomes].sort((a, b) => median(b.samples.service) - median(a.samples.service)).slice(0, 5);
    out(`Slowest queries (service median): ${slowest.map((o) => `"${o.query.text}" (${o.query.category}) ${formatMs(median(o.samples.service))} ms`).join('; ')}`);
    out(`Ratio service ÷ raw SQL: ${formatRatios(ratios)}; Kysely pool ÷ raw: ${ratio(latency.kysely.median, latency.raw.median).toFixed(2)} on medians`);
    if (mismatched.length > 0) {
      out(`WARNING: for ${mismatched.length} of ${outcomes.length} queries the service returned other rows than compilePersonSearch's SQL (e.g. "${mismatched[0]?.query.text}"): the raw timing may not measure the same work.`);
    }
    out();

    // ------------------------------------------------------------ targets
    const p95Target = P95_TARGET[kind];
    const targets: TargetCheck[] = [
      checkTarget({
        label: `p95 of searchPersons ≤ ${p95Target.ms} ms at ${formatInt(p95Target.persons)} persons`,
        actual: roundMs(latency.service.p95),
        limit: p95Target.ms,
        unit: 'ms',
        direction: 'max',
        applies: dataset.persons === p95Target.persons,
        ...(dataset.persons === p95Target.persons ? {} : { note: `ran at ${formatInt(dataset.persons)} persons` }),
      }),
      ratioTarget(ratios),
    ];

    return report({
      environment: {
        description: dataset.description,
        serverVersion: dataset.serverVersion,
        databaseName: dataset.databaseName,
        persons: dataset.persons,
        residences: dataset.residences,
        seed: dataset.seed,
        reused: dataset.reused,
        migratedForward: dataset.migratedForward,
        timings: {
          createMs: roundMs(timings.createMs),
          migrateMs: roundMs(timings.migrateMs),
          loadMs: timings.loadMs === null ? null : roundMs(timings.loadMs),
          generateMs: timings.generateMs === null ? null : roundMs(timings.generateMs),
          analyzeMs: timings.analyzeMs === null ? null : roundMs(timings.analyzeMs),
          personsPerSecond: timings.loadMs === null ? null : Math.round((dataset.persons / timings.loadMs) * 1000),
        },
      },
      results: {
        limit: LIMIT,
        rounds,
        queries: outcomes.length,
        latencyMs: roundWays(latency),
        ratio: roundRatios(ratios),
        found,
        rowsDifferFromService: mismatched.length,
        categories: categories.map((c) => ({
          category: c.category,
          queries: c.queries,
          found: c.found,
          serviceMs: roundSummary(c.service),
          rawMs: roundSummary(c.raw),
        })),
        perQuery: outcomes.map((o) => ({
          category: o.query.category,
          text: o.query.text,
          hits: o.hits,
          found: o.found,
          sameRows: o.sameRows,
          medianMs: Object.fromEntries(MODES.map((mode) => [mode, roundMs(median(o.samples[mode]))])),
        })),
      },
      targets,
    });
  } finally {
    await dataset.close();
  }
}

export const searchBenchmark = defineBenchmark('search', 'fuzzy person search: searchPersons vs. the same SQL on the bare driver (PGlite 100k, PostgreSQL 1M persons)', runOn);
