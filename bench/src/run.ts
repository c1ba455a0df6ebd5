import { parseArgs } from 'node:util';
import { BENCHMARKS } from './benchmarks/index.js';
import type { BenchOptions, BenchReport, DatabaseKind, TargetCheck } from './lib/benchmark.js';
import { describeHardware, hardwareInfo } from './lib/hardware.js';
import { out } from './lib/output.js';
import { writeReport } from './lib/results.js';

const USAGE = `Usage: npm run bench -- [benchmark ...] [options]

Runs every benchmark, or the ones named. Benchmarks:
${BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.description}`).join('\n')}

Options:
  --db <pglite|postgres|all>  databases to run on (default: PGlite, and PostgreSQL when DATABASE_URL is set)
  --persons <N>               data size instead of each benchmark's default (e.g. 5000 while developing; work-queue: cases; exchange: events; finance: credits in the bank file)
  --rounds <N>                measured rounds over the query mix (default 3)
  --seed <N>                  generator seed (default 1)
  --fresh                     reload PostgreSQL data even when a prepared benchmark database matches
  --check                     exit with status 1 when a target that applies is missed
  -h, --help                  this text

Results: bench/results/<name>-<db>-<timestamp>.json and bench/results/latest-<name>-<db>.json.`;

function positiveInt(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const parsed = Number(value.replace(/[_,']/g, ''));
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer, not "${value}"`);
  return parsed;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): { names: string[]; options: BenchOptions; check: boolean; help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      persons: { type: 'string' },
      rounds: { type: 'string' },
      seed: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  let databases: DatabaseKind[];
  switch (values.db ?? 'default') {
    case 'default':
      databases = databaseUrl === null ? ['pglite'] : ['pglite', 'postgres'];
      break;
    case 'all':
    case 'both':
      databases = ['pglite', 'postgres'];
      break;
    case 'pglite':
      databases = ['pglite'];
      break;
    case 'postgres':
    case 'postgresql':
      databases = ['postgres'];
      break;
    default:
      throw new UsageError(`--db must be pglite, postgres or all, not "${values.db}"`);
  }
  if (databases.includes('postgres') && databaseUrl === null) throw new UsageError('--db postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const known = new Set(BENCHMARKS.map((b) => b.name));
  const unknown = positionals.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return {
    names: positionals,
    check: values.check === true,
    help: values.help === true,
    options: {
      databases,
      databaseUrl,
      persons: positiveInt('persons', values.persons),
      rounds: positiveInt('rounds', values.rounds),
      seed: positiveInt('seed', values.seed) ?? 1,
      fresh: values.fresh === true,
    },
  };
}

function formatTarget(target: TargetCheck): string {
  const unit = target.unit === 'ms' ? ' ms' : target.unit === 'per-second' ? '/s' : '';
  const verdict = target.met ? 'met' : 'MISSED';
  const note = target.applies ? '' : ` (indicative only: ${target.note ?? 'other size'})`;
  return `${target.label}: ${target.actual}${unit} — ${verdict}${note}`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    out(USAGE);
    return 0;
  }
  const hardware = hardwareInfo();
  const selected = parsed.names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => parsed.names.includes(b.name));
  out(`# MigraFlow benchmarks`);
  out();
  out(`${describeHardware(hardware)}`);
  out(`databases: ${parsed.options.databases.join(', ')}; benchmarks: ${selected.map((b) => b.name).join(', ')}`);
  out();

  const reports: BenchReport[] = [];
  for (const benchmark of selected) {
    for await (const report of benchmark.run({ options: parsed.options, hardware })) {
      const paths = writeReport(report);
      reports.push(report);
      out(`Targets (${report.benchmark}, ${report.database}):`);
      if (report.targets.length === 0) out('- none stated: the figures are reported, not checked');
      for (const target of report.targets) out(`- ${formatTarget(target)}`);
      out(`Result: ${paths.file} (also ${paths.latest})`);
      out();
    }
  }

  const missed = reports.flatMap((report) => report.targets.filter((target) => target.applies && !target.met).map((target) => `${report.benchmark}/${report.database}: ${target.label}`));
  out(`## Summary`);
  out();
  for (const report of reports) {
    for (const target of report.targets) out(`- ${report.benchmark}/${report.database}: ${formatTarget(target)}`);
  }
  out();
  const applying = reports.flatMap((report) => report.targets.filter((target) => target.applies));
  if (missed.length > 0) out(`${missed.length} of ${applying.length} applicable target(s) missed.`);
  else if (applying.length === 0) out('No target applies at this data size: the figures are indicative.');
  else out(`All ${applying.length} applicable target(s) met.`);
  return parsed.check && missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
