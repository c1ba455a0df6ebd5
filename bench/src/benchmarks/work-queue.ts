import os from 'node:os';
import type { KyselyPlugin, PluginTransformQueryArgs } from 'kysely';
import { withTenantScope, workQueue, type Actor, type Database } from '@migraflow/server';
import { checkTarget, datasetSource, defineBenchmark, type BenchContext, type BenchReport, type DatabaseKind, type ReportOf, type TargetCheck } from '../lib/benchmark.js';
import { prepareCasesDataset, SERVICE_POOL_SIZE, TYPE_MIX, OFFICE_UNITS, type CasesDataset } from '../lib/cases-dataset.js';
import { describeHardware } from '../lib/hardware.js';
import { databaseLabel, formatInt, formatMs, formatSeconds, loadedIn, out, progress } from '../lib/output.js';
import { SeededRandom } from '../lib/random.js';
import { roundMs, roundSummary, summarize, timed } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';
import { MODES, emptySamples, formatRatios, latencyCells, modeLabels, orderOf, ratio, roundRatios, roundWays, serviceOverRaw, summarizeWays, threeWays, waysTable, type Mode, type ThreeWays } from '../lib/ways.js';

/**
 * The work queue (issue "Cases", Performance): *work-queue listing with filters over 1,000,000
 * generated cases on PostgreSQL with 16 concurrent users: p95 ≤ 50 ms*.
 *
 * 16 simulated users (14 caseworkers of the six units, 2 sessions of the office-wide team lead)
 * each run their own sequence of `workQueue(db, context, filter)` calls, all at once (a promise
 * per user), with a mix of filters: the own unit oldest first, by due date, one type, overdue
 * only, assigned to me, the second page through `nextCursor`; the team lead over all units, one
 * unit, one type, decisions awaiting approval. The same calls then run as the queue's main SELECT
 * (recorded from the service's own query builder) through the Kysely pool and on the bare driver, also 16 at a
 * time; and a few hundred calls one at a time, the three ways in rotating order, give the
 * service ÷ SQL ratio without queueing. EXPLAIN ANALYZE of one call per filter kind goes to the
 * result file.
 */

type QueueFilter = NonNullable<Parameters<typeof workQueue>[2]>;

const DEFAULT_CASES: Readonly<Record<DatabaseKind, number>> = { pglite: 100_000, postgres: 1_000_000 };
const TARGET = { kind: 'postgres' as DatabaseKind, cases: 1_000_000, ms: 50, users: 16 };
/** Concurrent simulated users. */
const USERS = 16;
/** Measured calls per way and round (spread evenly over the users), after WARMUP_PER_USER calls each. */
const CALLS = 2_000;
const WARMUP_PER_USER = 10;
/** Calls run one at a time, each in all three ways, for the ratio without queueing. */
const SEQUENTIAL_CALLS = 200;
/** The paced run: each user pauses about this long between calls (reading the list), for this many calls. */
const PACE_MS = 250;
const PACED_CALLS_PER_USER = 40;
/** Distinct calls checked for the same rows in the service and the raw SQL. */
const CHECKED_CALLS = 150;
const DEFAULT_ROUNDS = 1;
/** The queue's default page size (the service's `limit ?? 50`). */
const PAGE = 50;

type Category =
  | 'unit-age'
  | 'unit-due'
  | 'type'
  | 'overdue'
  | 'assignee-me'
  | 'next-page'
  | 'lead-all-age'
  | 'lead-all-due'
  | 'lead-unit'
  | 'lead-type'
  | 'lead-awaiting';

const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  'unit-age': 'caseworker: own unit, oldest first',
  'unit-due': 'caseworker: own unit, by due date',
  type: 'caseworker: one case type',
  overdue: 'caseworker: overdue only',
  'assignee-me': 'caseworker: assigned to me',
  'next-page': 'caseworker: second page (cursor)',
  'lead-all-age': 'team lead: all units, oldest first',
  'lead-all-due': 'team lead: all units, by due date',
  'lead-unit': 'team lead: one unit',
  'lead-type': 'team lead: one case type',
  'lead-awaiting': 'team lead: awaiting approval',
};
const CATEGORIES = Object.keys(CATEGORY_LABELS) as Category[];
const CASEWORKER_MIX: ReadonlyArray<readonly [Category, number]> = [
  ['unit-age', 30],
  ['unit-due', 20],
  ['type', 15],
  ['overdue', 10],
  ['assignee-me', 10],
  ['next-page', 15],
];
const LEAD_MIX: ReadonlyArray<readonly [Category, number]> = [
  ['lead-all-age', 30],
  ['lead-all-due', 15],
  ['lead-unit', 25],
  ['lead-type', 15],
  ['lead-awaiting', 15],
];

const MODE_LABELS = modeLabels('workQueue (service, as the API calls it)', 'its statement (page + audit row)');

interface Task {
  user: number;
  actor: Actor;
  category: Category;
  filter: QueueFilter;
  compiled: { sql: string; parameters: readonly unknown[] };
}

interface Sample {
  category: Category;
  ms: number;
}

// ------------------------------------------------------------------ the queue's SQL

/**
 * A database handle that records the queries the service builds: calling `workQueue` through it
 * once per distinct call yields the exact SQL and parameters of its main statement — the page's
 * SELECT with the audit append in the same statement — (no hand-made copy that could drift from
 * server/src/modules/cases/views.ts).
 */
function capturing(database: Database): { db: Database['db']; mainSelect(): { sql: string; parameters: readonly unknown[] } | null; reset(): void } {
  let seen: PluginTransformQueryArgs[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      // The service reads its page and appends the audit row in one raw statement (a CTE).
      if (args.node.kind === 'SelectQueryNode' || args.node.kind === 'RawNode') seen.push(args);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return {
    db: database.db.withPlugin(plugin),
    mainSelect() {
      for (const args of seen) {
        const compiled = database.db.getExecutor().compileQuery(args.node, args.queryId);
        if (/from "cases" as "c"/.test(compiled.sql)) return { sql: compiled.sql, parameters: compiled.parameters };
      }
      return null;
    },
    reset() {
      seen = [];
    },
  };
}

// ------------------------------------------------------------------ the call plan

function weighted<T>(random: SeededRandom, mix: ReadonlyArray<readonly [T, number]>): T {
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let r = random.next() * total;
  for (const [item, weight] of mix) {
    r -= weight;
    if (r < 0) return item;
  }
  return (mix[mix.length - 1] as readonly [T, number])[0];
}

/** The 16 sessions: caseworkers spread over the units (2–3 per unit), then the team lead twice. */
function sessions(dataset: CasesDataset): Actor[] {
  const byUnit = dataset.units.map((unit) => dataset.caseworkers.filter((actor) => actor.roles.some((grant) => grant.unitId === unit.id)));
  const actors: Actor[] = [];
  for (let u = 0; u < USERS - 2; u++) {
    const workers = byUnit[u % byUnit.length] ?? [];
    const actor = workers[Math.floor(u / byUnit.length) % Math.max(1, workers.length)];
    if (actor === undefined) throw new Error('a unit without caseworkers');
    actors.push(actor);
  }
  actors.push(dataset.teamLead, dataset.teamLead);
  return actors;
}

/** A filter of a category; `next-page` gets its cursor later. */
function filterFor(category: Category, actor: Actor, dataset: CasesDataset, random: SeededRandom): QueueFilter {
  const unitIndex = dataset.units.findIndex((unit) => actor.roles.some((grant) => grant.unitId === unit.id));
  const unitSlug = OFFICE_UNITS[unitIndex]?.slug;
  const ownTypes = TYPE_MIX.filter((mix) => OFFICE_UNITS[mix.unit]?.slug === unitSlug).map((mix) => mix.slug);
  const anySort = (): 'age' | 'due' => (random.next() < 0.5 ? 'age' : 'due');
  switch (category) {
    case 'unit-age':
    case 'lead-all-age':
      return { sort: 'age' };
    case 'unit-due':
    case 'lead-all-due':
      return { sort: 'due' };
    case 'type':
      // Mostly a type the unit handles, sometimes any other (a rare type then means walking the whole unit's queue).
      return { type: ownTypes.length > 0 && random.next() < 0.7 ? random.pick(ownTypes) : random.pick(dataset.typeSlugs), sort: 'age' };
    case 'overdue':
      return { overdue: true, sort: anySort() };
    case 'assignee-me':
      return { assignee: 'me', sort: anySort() };
    case 'next-page':
      return { sort: anySort() };
    case 'lead-unit':
      return { unit: random.pick(dataset.units).id, sort: anySort() };
    case 'lead-type':
      return { type: random.pick(dataset.typeSlugs), sort: 'age' };
    case 'lead-awaiting':
      return { awaitingApproval: true };
  }
}

/**
 * Per session: the warm-up calls, then `rounds` × CALLS ÷ 16 measured ones. Deterministic for a
 * seed. Second pages get the cursor the service returns for their first page; each distinct call
 * runs once through the service here to record its statement.
 */
async function buildPlan(dataset: CasesDataset, seed: number, rounds: number): Promise<{ warmup: Task[][]; measured: Task[][]; missingSecondPage: number; distinct: number }> {
  const random = new SeededRandom(seed * 31 + 7);
  const actors = sessions(dataset);
  const perUser = Math.ceil(CALLS / USERS) * rounds;
  const capture = capturing(dataset.database);
  const cursors = new Map<string, string | null>();
  const selects = new Map<string, Task['compiled']>();
  let prepared = 0;
  let missingSecondPage = 0;
  const serviceOnce = async (actor: Actor, filter: QueueFilter) => {
    capture.reset();
    const page = await workQueue(capture.db, { actor, requestId: `bench-work-queue-prepare-${++prepared}` }, filter);
    const compiled = capture.mainSelect();
    if (compiled === null) throw new Error('workQueue ran no SELECT from cases: the benchmark needs updating');
    selects.set(`${actor.id} ${JSON.stringify(filter)}`, compiled);
    return page;
  };
  const make = async (user: number): Promise<Task> => {
    const actor = actors[user] as Actor;
    const isLead = actor.roles.some((grant) => grant.unitId === null);
    let category = weighted(random, isLead ? LEAD_MIX : CASEWORKER_MIX);
    const filter = filterFor(category, actor, dataset, random);
    if (category === 'next-page') {
      const key = `${actor.id} ${JSON.stringify(filter)}`;
      if (!cursors.has(key)) cursors.set(key, (await serviceOnce(actor, filter)).nextCursor);
      const cursor = cursors.get(key) ?? null;
      if (cursor === null) {
        missingSecondPage++;
        category = filter.sort === 'due' ? 'unit-due' : 'unit-age';
      } else {
        filter.cursor = cursor;
      }
    }
    const key = `${actor.id} ${JSON.stringify(filter)}`;
    if (!selects.has(key)) await serviceOnce(actor, filter);
    const compiled = selects.get(key) as Task['compiled'];
    return { user, actor, category, filter, compiled };
  };
  const warmup: Task[][] = [];
  const measured: Task[][] = [];
  for (let user = 0; user < USERS; user++) {
    const w: Task[] = [];
    for (let i = 0; i < WARMUP_PER_USER; i++) w.push(await make(user));
    const m: Task[] = [];
    for (let i = 0; i < perUser; i++) m.push(await make(user));
    warmup.push(w);
    measured.push(m);
  }
  return { warmup, measured, missingSecondPage, distinct: selects.size };
}

// ------------------------------------------------------------------ running

function runner(dataset: CasesDataset): ThreeWays<Task, unknown[]> {
  let requests = 0;
  return threeWays(dataset.database, dataset.raw, {
    // In the office's scope, as the API runs it (row-level security applies).
    service: async (task: Task) =>
      (await withTenantScope(task.actor.tenantId, () => workQueue(dataset.database.db, { actor: task.actor, requestId: `bench-work-queue-${++requests}` }, task.filter))).items,
    sql: (task) => task.compiled,
  });
}

/**
 * Every session runs its calls one after the other; all sessions at once. With `pauseMs` each
 * session waits between its calls (0.5–1.4 × pauseMs, varied so sessions do not march in step),
 * as a person reading the list would.
 */
async function concurrently(plan: readonly Task[][], mode: Mode, run: (task: Task, mode: Mode) => Promise<unknown>, pauseMs = 0): Promise<{ samples: Sample[]; wallMs: number; nodeCpuMs: number }> {
  const samples: Sample[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    plan.map(async (tasks, session) => {
      for (const [index, task] of tasks.entries()) {
        const { ms } = await timed(() => run(task, mode));
        samples.push({ category: task.category, ms });
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs * (0.5 + ((session + index) % 10) / 10)));
      }
    }),
  );
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { samples, wallMs, nodeCpuMs: (used.user + used.system) / 1000 };
}

function idsOf(rows: readonly unknown[]): string[] {
  // An empty page comes back from the raw statement as one row of nulls (the audit row's side of the join).
  return rows.map((row) => (row as { id?: unknown }).id).filter((id) => id !== null && id !== undefined).map(String);
}

/** Distinct calls of the plan, interleaved over the sessions (so that every category is represented). */
function distinctCalls(plan: readonly Task[][], count: number): Task[] {
  const seen = new Set<string>();
  const picked: Task[] = [];
  const longest = Math.max(...plan.map((tasks) => tasks.length));
  for (let i = 0; i < longest && picked.length < count; i++) {
    for (const tasks of plan) {
      const task = tasks[i];
      if (task === undefined) continue;
      const key = `${task.actor.id} ${JSON.stringify(task.filter)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      picked.push(task);
      if (picked.length >= count) break;
    }
  }
  return picked;
}

interface PlanSummary {
  category: Category;
  executionMs: number | null;
  indexes: string[];
  plan: string;
}

async function explain(dataset: CasesDataset, plan: readonly Task[][]): Promise<PlanSummary[]> {
  const flat = plan.flat();
  const summaries: PlanSummary[] = [];
  for (const category of CATEGORIES) {
    const task = flat.find((t) => t.category === category);
    if (task === undefined) continue;
    const rows = await dataset.raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${task.compiled.sql}`, task.compiled.parameters);
    const text = rows.map((row) => String(Object.values(row)[0])).join('\n');
    const execution = /Execution Time: ([\d.]+) ms/.exec(text);
    const indexes = [...new Set([...text.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1] as string))];
    summaries.push({ category, executionMs: execution ? Number(execution[1]) : null, indexes, plan: text });
  }
  return summaries;
}

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' / ');
}

// ------------------------------------------------------------------ report

async function runOn(kind: DatabaseKind, context: BenchContext, report: ReportOf): Promise<BenchReport> {
  const { options } = context;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const loadBefore = loadAverage();
  const dataset = await prepareCasesDataset({ ...datasetSource(kind, options), cases: options.persons ?? DEFAULT_CASES[kind] });
  try {
    const ways = runner(dataset);
    const run = ways.run;
    const planStart = performance.now();
    const { warmup, measured, missingSecondPage, distinct } = await buildPlan(dataset, options.seed, rounds);
    progress(`  plan: ${USERS} sessions × ${measured[0]?.length ?? 0} calls (${rounds} round${rounds === 1 ? '' : 's'} of ${CALLS}), ${WARMUP_PER_USER} warm-up calls each; ${distinct} distinct calls, each run once through the service to record its SELECT, in ${formatSeconds(performance.now() - planStart)}`);

    // Same rows? The raw SQL must be the SELECT the service runs.
    const checked = distinctCalls(measured, CHECKED_CALLS);
    let mismatched = 0;
    let example: string | null = null;
    for (const task of checked) {
      const service = idsOf(await ways.service(task));
      const rawIds = idsOf(await ways.raw(task)).slice(0, task.filter.limit ?? PAGE);
      if (JSON.stringify(service) !== JSON.stringify(rawIds)) {
        mismatched++;
        example ??= `${task.category} ${JSON.stringify({ ...task.filter, cursor: task.filter.cursor === undefined ? undefined : '…' })}`;
      }
    }
    progress(`  checked ${checked.length} distinct calls: ${mismatched === 0 ? 'the raw SQL returns the service rows' : `${mismatched} differ`}`);

    // Concurrent: 16 sessions at once, each way in turn (the order rotates per round).
    for (const mode of MODES) {
      const { wallMs } = await concurrently(warmup, mode, run);
      progress(`  warm-up ${mode}: ${warmup.flat().length} calls in ${formatSeconds(wallMs)}`);
    }
    const concurrent: Record<Mode, { samples: Sample[]; wallMs: number; nodeCpuMs: number }> = {
      service: { samples: [], wallMs: 0, nodeCpuMs: 0 },
      kysely: { samples: [], wallMs: 0, nodeCpuMs: 0 },
      raw: { samples: [], wallMs: 0, nodeCpuMs: 0 },
    };
    const perRound = Math.ceil(CALLS / USERS);
    for (let round = 0; round < rounds; round++) {
      const slice = measured.map((tasks) => tasks.slice(round * perRound, (round + 1) * perRound));
      for (const mode of orderOf(round)) {
        const result = await concurrently(slice, mode, run);
        concurrent[mode].samples.push(...result.samples);
        concurrent[mode].wallMs += result.wallMs;
        concurrent[mode].nodeCpuMs += result.nodeCpuMs;
        progress(`  round ${round + 1}/${rounds} ${mode}: ${result.samples.length} calls, ${USERS} at a time, in ${formatSeconds(result.wallMs)} (p95 ${formatMs(summarize(result.samples.map((s) => s.ms)).p95)} ms)`);
      }
    }

    // Paced: the same 16 sessions, each pausing between calls like a person reading the list.
    const paced = await concurrently(measured.map((tasks) => tasks.slice(0, PACED_CALLS_PER_USER)), 'service', run, PACE_MS);
    progress(`  paced service: ${paced.samples.length} calls, ${USERS} users pausing about ${PACE_MS} ms, in ${formatSeconds(paced.wallMs)}`);

    // Sequential: one call at a time, the three ways in rotating order.
    const sequentialTasks = distinctCalls(measured, SEQUENTIAL_CALLS);
    const sequential = emptySamples();
    for (const [index, task] of sequentialTasks.entries()) {
      for (const mode of orderOf(index)) {
        const { ms } = await timed(() => run(task, mode));
        sequential[mode].push(ms);
      }
    }
    progress(`  sequential: ${sequentialTasks.length} calls × ${MODES.length} ways`);

    const plans = await explain(dataset, measured);
    const loadAfter = loadAverage();

    // ------------------------------------------------------------ figures
    const latency = summarizeWays((mode) => concurrent[mode].samples.map((s) => s.ms));
    const throughput = Object.fromEntries(MODES.map((mode) => [mode, (concurrent[mode].samples.length / concurrent[mode].wallMs) * 1000])) as Record<Mode, number>;
    const sequentialLatency = summarizeWays((mode) => sequential[mode]);
    const categories = CATEGORIES.map((category) => {
      const of = (mode: Mode) => summarize(concurrent[mode].samples.filter((s) => s.category === category).map((s) => s.ms));
      return { category, service: of('service'), raw: of('raw') };
    }).filter((c) => c.service.count > 0);
    const seqRatio = serviceOverRaw(sequentialLatency);

    // ------------------------------------------------------------ print
    const { timings } = dataset;
    const sizeMiB = dataset.casesTableBytes === null ? 'n/a' : `${formatInt(dataset.casesTableBytes / 1024 ** 2)} MiB`;
    out(`## work-queue on ${databaseLabel(kind)}`);
    out();
    out(`- hardware: ${describeHardware(context.hardware)}; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after (other processes on the machine count)`);
    out(`- database: ${dataset.description}${kind === 'postgres' ? `; service pool ${SERVICE_POOL_SIZE} connections (the server's default), raw pg.Pool ${SERVICE_POOL_SIZE}` : ''}`);
    out(
      `- data: ${formatInt(dataset.cases)} cases (${formatInt(dataset.openCases)} open, ${((dataset.openCases / Math.max(1, dataset.cases)) * 100).toFixed(1)} %), ${formatInt(dataset.persons)} persons, ` +
        `${dataset.units.length} units, ${dataset.caseworkers.length} caseworkers + 1 team lead, ${dataset.typeSlugs.length} case types; dates relative to ${dataset.referenceDate}; cases table with indexes ${sizeMiB}`,
    );
    out(
      `- load: ${loadedIn(dataset)} ${formatSeconds(timings.loadMs)} (organisation + persons ${formatSeconds(timings.personsMs)}, cases ${formatSeconds(timings.casesMs)}: ${formatInt((dataset.cases / timings.casesMs) * 1000)} cases/s); ` +
        `VACUUM ANALYZE ${formatSeconds(timings.analyzeMs)}; create ${formatSeconds(timings.createMs)}, migrate ${formatSeconds(timings.migrateMs)}`,
    );
    out(`- calls: ${USERS} concurrent sessions (14 caseworkers, 2 × team lead), ${latency.service.count} measured calls per way after ${warmup.flat().length} warm-up calls; page size ${PAGE}`);
    out();
    out(
      markdownTable(
        [`${USERS} concurrent users (ms)`, 'calls', 'median', 'p95', 'p99', 'max', 'mean', 'calls/s', 'Node CPU/call'],
        MODES.map((mode) => {
          const s = latency[mode];
          const cpuPerCall = concurrent[mode].nodeCpuMs / Math.max(1, s.count);
          return [MODE_LABELS[mode], ...latencyCells(s, ['count', 'median', 'p95', 'p99', 'max', 'mean']), throughput[mode].toFixed(0), formatMs(cpuPerCall)];
        }),
      ),
    );
    out();
    out(
      markdownTable(
        ['filter (concurrent)', 'calls', 'service median', 'service p95', 'service p99', 'raw median', 'raw p95'],
        categories.map((c) => [CATEGORY_LABELS[c.category], formatInt(c.service.count), formatMs(c.service.median), formatMs(c.service.p95), formatMs(c.service.p99), formatMs(c.raw.median), formatMs(c.raw.p95)]),
      ),
    );
    out();
    out(waysTable('one call at a time (ms)', MODE_LABELS, sequentialLatency, ['count', 'median', 'p95', 'max', 'mean']));
    out();
    const pacedLatency = summarize(paced.samples.map((s) => s.ms));
    out(
      `Paced: ${USERS} users each pausing about ${PACE_MS} ms between calls (${((paced.samples.length / paced.wallMs) * 1000).toFixed(0)} calls/s in all): ` +
        `workQueue median ${formatMs(pacedLatency.median)} ms, p95 ${formatMs(pacedLatency.p95)} ms, p99 ${formatMs(pacedLatency.p99)} ms (${paced.samples.length} calls).`,
    );
    out(`Ratio service ÷ raw SQL, one call at a time: ${formatRatios(seqRatio)} (the service adds a transaction, the case-type lookup and the audit row).`);
    out(
      `Under ${USERS} concurrent users: service p95 ÷ raw p95 ${ratio(latency.service.p95, latency.raw.p95).toFixed(2)}; throughput service ${throughput.service.toFixed(0)}/s, raw ${throughput.raw.toFixed(0)}/s ` +
        `(closed loop without think time: mean latency ≈ ${USERS} ÷ throughput; "Node CPU/call" is this process's CPU time, the rest of the ${context.hardware.cores} cores goes to the database and other processes).`,
    );
    out();
    out(
      markdownTable(
        ['EXPLAIN ANALYZE (one call per filter)', 'execution ms', 'indexes used'],
        plans.map((p) => [CATEGORY_LABELS[p.category], p.executionMs === null ? 'n/a' : formatMs(p.executionMs), p.indexes.join(', ') || '(none: sequential scan)']),
      ),
    );
    out();
    if (missingSecondPage > 0) out(`Note: ${missingSecondPage} second-page calls had no second page and ran as first pages.`);
    if (mismatched > 0) out(`WARNING: for ${mismatched} of ${checked.length} calls the service returned other rows than the raw SQL (e.g. ${example}): the raw timing may not measure the same work.`);
    out();

    // ------------------------------------------------------------ targets
    const applies = kind === TARGET.kind && dataset.cases === TARGET.cases;
    const targets: TargetCheck[] = [
      checkTarget({
        label: `p95 of workQueue with ${TARGET.users} concurrent users ≤ ${TARGET.ms} ms at ${formatInt(TARGET.cases)} cases on PostgreSQL`,
        actual: roundMs(latency.service.p95),
        limit: TARGET.ms,
        unit: 'ms',
        direction: 'max',
        applies,
        ...(applies ? {} : { note: `ran on ${databaseLabel(kind)} at ${formatInt(dataset.cases)} cases` }),
      }),
    ];

    return report({
      environment: {
        description: dataset.description,
        serverVersion: dataset.serverVersion,
        databaseName: dataset.databaseName,
        cases: dataset.cases,
        openCases: dataset.openCases,
        persons: dataset.persons,
        units: dataset.units.length,
        users: dataset.caseworkers.length + 1,
        caseTypes: dataset.typeSlugs.length,
        referenceDate: dataset.referenceDate,
        casesTableBytes: dataset.casesTableBytes,
        seed: dataset.seed,
        reused: dataset.reused,
        migratedForward: dataset.migratedForward,
        servicePoolSize: kind === 'postgres' ? SERVICE_POOL_SIZE : 1,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAfter,
        timings: {
          createMs: roundMs(timings.createMs),
          migrateMs: roundMs(timings.migrateMs),
          loadMs: roundMs(timings.loadMs),
          personsMs: roundMs(timings.personsMs),
          casesMs: roundMs(timings.casesMs),
          analyzeMs: roundMs(timings.analyzeMs),
          casesPerSecond: Math.round((dataset.cases / timings.casesMs) * 1000),
        },
      },
      results: {
        users: USERS,
        rounds,
        page: PAGE,
        warmupCalls: warmup.flat().length,
        concurrent: Object.fromEntries(
          MODES.map((mode) => [
            mode,
            {
              latencyMs: roundSummary(latency[mode]),
              wallMs: roundMs(concurrent[mode].wallMs),
              callsPerSecond: Math.round(throughput[mode] * 10) / 10,
              nodeCpuMsPerCall: roundMs(concurrent[mode].nodeCpuMs / Math.max(1, latency[mode].count)),
            },
          ]),
        ),
        categories: categories.map((c) => ({ category: c.category, label: CATEGORY_LABELS[c.category], serviceMs: roundSummary(c.service), rawMs: roundSummary(c.raw) })),
        paced: { pauseMs: PACE_MS, calls: paced.samples.length, callsPerSecond: Math.round((paced.samples.length / paced.wallMs) * 10_000) / 10, latencyMs: roundSummary(summarize(paced.samples.map((s) => s.ms))) },
        sequential: {
          calls: sequentialTasks.length,
          latencyMs: roundWays(sequentialLatency),
          ratio: roundRatios(seqRatio),
        },
        checkedCalls: checked.length,
        rowsDifferFromService: mismatched,
        missingSecondPage,
        plans: plans.map((p) => ({ category: p.category, executionMs: p.executionMs, indexes: p.indexes, plan: p.plan })),
      },
      targets,
    });
  } finally {
    await dataset.close();
  }
}

export const workQueueBenchmark = defineBenchmark('work-queue', 'work queue with filters, 16 concurrent users: workQueue vs. its SELECT on the bare driver (PGlite 100k, PostgreSQL 1M cases; --persons N sets the cases)', runOn);
