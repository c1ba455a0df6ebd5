import type { HardwareInfo } from './hardware.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** Options every benchmark understands (see run.ts for the command line). */
export interface BenchOptions {
  /** Databases to run against: PGlite always by default, PostgreSQL when DATABASE_URL is set. */
  databases: DatabaseKind[];
  databaseUrl: string | null;
  /** Overrides each benchmark's default data size. */
  persons: number | null;
  /** Measured rounds over the query mix (after one warm-up round). */
  rounds: number | null;
  seed: number;
  /** Reload data even when a prepared PostgreSQL database could be reused. */
  fresh: boolean;
}

/** Where a benchmark's dataset goes, from the options: the database, the generator seed, DATABASE_URL and `--fresh`. */
export interface DatasetSource {
  kind: DatabaseKind;
  seed: number;
  databaseUrl: string | null;
  fresh: boolean;
}

export function datasetSource(kind: DatabaseKind, options: BenchOptions): DatasetSource {
  return { kind, seed: options.seed, databaseUrl: options.databaseUrl, fresh: options.fresh };
}

export interface BenchContext {
  options: BenchOptions;
  hardware: HardwareInfo;
}

/** A goal from an issue, checked against a measured figure. */
export interface TargetCheck {
  label: string;
  /** Figure measured. */
  actual: number;
  /** The limit it must stay at or under. */
  limit: number;
  unit: 'ms' | 'ratio' | 'per-second';
  /** 'max': actual ≤ limit; 'min': actual ≥ limit. */
  direction: 'max' | 'min';
  met: boolean;
  /** False when the run's size differs from the size the target is stated for (the figure is then indicative). */
  applies: boolean;
  note?: string;
}

export function checkTarget(target: Omit<TargetCheck, 'met'>): TargetCheck {
  const met = target.direction === 'max' ? target.actual <= target.limit : target.actual >= target.limit;
  return { ...target, met };
}

/** One benchmark's outcome on one database: written to JSON and summarised by the runner. */
export interface BenchReport {
  benchmark: string;
  database: DatabaseKind;
  startedAt: string;
  finishedAt: string;
  hardware: HardwareInfo;
  /** Database version and how the data was prepared. */
  environment: Record<string, unknown>;
  /** Benchmark-specific figures. */
  results: Record<string, unknown>;
  targets: TargetCheck[];
}

export interface Benchmark {
  name: string;
  description: string;
  /** Runs on each of `context.options.databases` and yields one report per database. */
  run(context: BenchContext): AsyncIterable<BenchReport>;
}

/** A report's own part; `defineBenchmark` adds the benchmark, database, times and hardware. */
export type BenchFigures = Pick<BenchReport, 'environment' | 'results' | 'targets'>;

/** Completes a report (finishedAt: now); given to `runOn` by `defineBenchmark`. */
export type ReportOf = (figures: BenchFigures) => BenchReport;

/** A benchmark whose `run` calls `runOn` on each database of the options, one after the other. */
export function defineBenchmark(
  name: string,
  description: string,
  runOn: (kind: DatabaseKind, context: BenchContext, report: ReportOf) => Promise<BenchReport>,
): Benchmark {
  return {
    name,
    description,
    async *run(context) {
      for (const kind of context.options.databases) {
        const startedAt = new Date().toISOString();
        yield await runOn(kind, context, (figures) => ({
          benchmark: name,
          database: kind,
          startedAt,
          finishedAt: new Date().toISOString(),
          hardware: context.hardware,
          ...figures,
        }));
      }
    },
  };
}
