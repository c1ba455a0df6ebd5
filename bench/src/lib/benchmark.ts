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
