import { CompiledQuery } from 'kysely';
import type { Database } from '@migraflow/server';
import { checkTarget, type TargetCheck } from './benchmark.js';
import { formatInt, formatMs, formatSeconds, progress } from './output.js';
import type { RawSql } from './prepared.js';
import { roundMs, roundSummary, summarize, timed, type LatencySummary } from './stats.js';
import { markdownTable } from './table.js';

/**
 * The three ways every benchmark runs a call: the service, as the API route calls it; the SQL the
 * service runs, through the same Kysely pool; and that SQL on the bare driver (raw). Service ÷ raw
 * is what the service adds to its SQL (transaction, scope check, audit row).
 */

export type Mode = 'service' | 'kysely' | 'raw';
export const MODES: readonly Mode[] = ['service', 'kysely', 'raw'];

/** The service's SQL may take at most this multiple of the time the same SQL takes raw (medians). */
export const RATIO_TARGET = 1.3;

/** Table labels: `service` names the service call, `sql` what its SQL is ("search SQL", "its main SELECT"). */
export function modeLabels(service: string, sql: string): Readonly<Record<Mode, string>> {
  return { service, kysely: `${sql} through the Kysely pool`, raw: `${sql} on the bare driver (raw)` };
}

/** Rotating the order removes any advantage of running first or last (caches, the audit append). */
const ORDERS: ReadonlyArray<readonly Mode[]> = [
  ['service', 'kysely', 'raw'],
  ['raw', 'service', 'kysely'],
  ['kysely', 'raw', 'service'],
];

/** The order of the three ways for the n-th call (or round). */
export function orderOf(n: number): readonly Mode[] {
  return ORDERS[n % ORDERS.length] ?? MODES;
}

export interface SqlText {
  sql: string;
  parameters: readonly unknown[];
}

export interface WaysOf<T, S> {
  service(item: T): Promise<S>;
  /** The SQL the service runs for `item`. */
  sql(item: T): SqlText;
  /** The query as Kysely runs it; by default `sql(item)` as a raw CompiledQuery. */
  kysely?(item: T): CompiledQuery<unknown>;
}

export interface ThreeWays<T, S> {
  service(item: T): Promise<S>;
  kysely(item: T): Promise<unknown[]>;
  raw(item: T): Promise<Record<string, unknown>[]>;
  run(item: T, mode: Mode): Promise<S | unknown[]>;
}

/** Runs an item each way: the service, its SQL through `database`'s Kysely pool, and that SQL on `raw`. */
export function threeWays<T, S>(database: Database, raw: RawSql, ways: WaysOf<T, S>): ThreeWays<T, S> {
  const kyselyQuery = ways.kysely ?? ((item: T) => {
    const { sql, parameters } = ways.sql(item);
    return CompiledQuery.raw(sql, [...parameters]);
  });
  const self: ThreeWays<T, S> = {
    service: (item) => ways.service(item),
    kysely: async (item) => (await database.db.executeQuery(kyselyQuery(item))).rows,
    raw: (item) => {
      const { sql, parameters } = ways.sql(item);
      return raw.query(sql, parameters);
    },
    run(item, mode) {
      switch (mode) {
        case 'service':
          return self.service(item);
        case 'kysely':
          return self.kysely(item);
        case 'raw':
          return self.raw(item);
      }
    },
  };
  return self;
}

const PROGRESS_EVERY = 50;

/**
 * The warm-up round: every item each way (filling caches), one at a time. `check` gets the
 * service's answer and the raw rows (to see that the raw SQL is what the service runs); Kysely and
 * the driver must return as many rows.
 */
export async function warmUp<T, S>(
  items: readonly T[],
  ways: ThreeWays<T, S>,
  describe: (item: T) => string,
  check: (item: T, service: S, rawRows: Record<string, unknown>[]) => void,
): Promise<void> {
  const warmStart = performance.now();
  for (const [index, item] of items.entries()) {
    if (index > 0 && index % PROGRESS_EVERY === 0) progress(`  warm-up: ${index}/${items.length} queries (${formatSeconds(performance.now() - warmStart)})`);
    const service = await ways.service(item);
    const kyselyRows = await ways.kysely(item);
    const rawRows = await ways.raw(item);
    check(item, service, rawRows);
    if (kyselyRows.length !== rawRows.length) throw new Error(`Kysely and the driver disagree on ${describe(item)}`);
  }
  progress(`  warm-up: ${items.length} queries × ${MODES.length} ways in ${formatSeconds(performance.now() - warmStart)}`);
}

/** Measured rounds: every item each way, one call at a time, in an order rotating per item and round. */
export async function measureRounds<T extends { samples: Record<Mode, number[]> }>(items: readonly T[], rounds: number, ways: ThreeWays<T, unknown>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (const [index, item] of items.entries()) {
      if (index > 0 && index % PROGRESS_EVERY === 0) progress(`  round ${round + 1}/${rounds}: ${index}/${items.length} queries (${formatSeconds(performance.now() - roundStart)})`);
      for (const mode of orderOf(index + round)) {
        const { ms } = await timed(() => ways.run(item, mode));
        item.samples[mode].push(ms);
      }
    }
    progress(`  round ${round + 1}/${rounds}: ${formatSeconds(performance.now() - roundStart)}`);
  }
}

export function emptySamples(): Record<Mode, number[]> {
  return { service: [], kysely: [], raw: [] };
}

/** Latency summary of each way. */
export function summarizeWays(samplesOf: (mode: Mode) => readonly number[]): Record<Mode, LatencySummary> {
  return Object.fromEntries(MODES.map((mode) => [mode, summarize(samplesOf(mode))])) as Record<Mode, LatencySummary>;
}

export function roundWays(latency: Readonly<Record<Mode, LatencySummary>>): Record<Mode, LatencySummary> {
  return Object.fromEntries(MODES.map((mode) => [mode, roundSummary(latency[mode])])) as Record<Mode, LatencySummary>;
}

export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

export interface Ratios {
  median: number;
  mean: number;
  p95: number;
}

/** Service ÷ raw on medians, means and p95. */
export function serviceOverRaw(latency: Readonly<Record<Mode, LatencySummary>>): Ratios {
  return {
    median: ratio(latency.service.median, latency.raw.median),
    mean: ratio(latency.service.mean, latency.raw.mean),
    p95: ratio(latency.service.p95, latency.raw.p95),
  };
}

export function roundRatios(ratios: Ratios): Ratios {
  return { median: roundMs(ratios.median), mean: roundMs(ratios.mean), p95: roundMs(ratios.p95) };
}

/** "1.05 on medians, 1.07 on means, 1.10 on p95". */
export function formatRatios(ratios: Ratios): string {
  return `${ratios.median.toFixed(2)} on medians, ${ratios.mean.toFixed(2)} on means, ${ratios.p95.toFixed(2)} on p95`;
}

/** Table cells of a latency summary: `count` as an integer, the rest in milliseconds. */
export function latencyCells(summary: LatencySummary, fields: ReadonlyArray<keyof LatencySummary>): string[] {
  return fields.map((field) => (field === 'count' ? formatInt(summary.count) : formatMs(summary[field])));
}

/** A table with a row per way: `title` heads the label column, the fields the others ("calls" for `count`). */
export function waysTable(title: string, labels: Readonly<Record<Mode, string>>, latency: Readonly<Record<Mode, LatencySummary>>, fields: ReadonlyArray<keyof LatencySummary>): string {
  return markdownTable(
    [title, ...fields.map((field) => (field === 'count' ? 'calls' : field))],
    MODES.map((mode) => [labels[mode], ...latencyCells(latency[mode], fields)]),
  );
}

/** The target "service time ÷ raw SQL time ≤ 1.3 (medians)"; `subject` prefixes the label ("immigration: "). */
export function ratioTarget(ratios: Ratios, subject = ''): TargetCheck {
  return checkTarget({
    label: `${subject}service time ÷ raw SQL time ≤ ${RATIO_TARGET} (medians)`,
    actual: Math.round(ratios.median * 1000) / 1000,
    limit: RATIO_TARGET,
    unit: 'ratio',
    direction: 'max',
    applies: true,
  });
}
