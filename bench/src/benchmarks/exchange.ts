import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { countries, exchangeActor, readMessage, receiveBatch, receiveMessage, validateXml, withTenantScope, writeDelivery, type RegisterEvent } from '@migraflow/server';
import { checkTarget, datasetSource, defineBenchmark, type BenchContext, type BenchReport, type DatabaseKind, type ReportOf } from '../lib/benchmark.js';
import { describeHardware } from '../lib/hardware.js';
import { databaseLabel, formatInt, formatMs, formatSeconds, out, progress } from '../lib/output.js';
import { preparePersonsDataset, type PersonsDataset } from '../lib/persons-dataset.js';
import { roundSummary, summarize } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';

/**
 * eCH-0020 ingestion (issue 7, Performance): move and change events of a municipal register, one
 * event per eCH-0058 message as sedex delivers them, through the inbox service the HTTP route and
 * the drop folder call (`receiveMessage`: schema validation, reading, the register change, the
 * inbox row with the original bytes and the audit row, one transaction per message), in the
 * office's scope (row-level security applies). Target on PostgreSQL: ≥ 2,000 events/s for
 * 100,000 events on 2 cores. Beside it: the same statements the service runs, sent straight to
 * the database (the ceiling), and validation + reading alone (the CPU part).
 */

const DEFAULT_EVENTS: Readonly<Record<DatabaseKind, number>> = { pglite: 10_000, postgres: 100_000 };
const TARGET = { events: 100_000, perSecond: 2_000 };
/** Messages in flight: several partners deliver at once; PGlite serialises them anyway. */
const CONCURRENCY: Readonly<Record<DatabaseKind, number>> = { pglite: 1, postgres: 4 };
const PERSONS = 20_000;
/** Messages also sent one per transaction, as the HTTP inbox takes them. */
const ONE_BY_ONE = 4_000;
const SENDER = 'sedex://T1-bench-1';

interface Resident {
  ahvn13: string;
  officialName: string;
  firstNames: string;
  sex: 'm' | 'f' | 'x';
  dateOfBirth: string;
  bfs: number;
  municipality: string;
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The k-th event of a resident: moves within the municipality and identity changes, each on a later day. */
function eventFor(resident: Resident, k: number, pick: number): RegisterEvent {
  const person = { ahvn13: resident.ahvn13, localId: { category: 'LU.bench', id: resident.ahvn13 }, otherIds: [], officialName: resident.officialName, firstNames: resident.firstNames, originalName: null, sex: resident.sex, dateOfBirth: resident.dateOfBirth };
  const date = addDays('2026-02-01', k);
  const names = { officialName: resident.officialName, firstNames: resident.firstNames, callName: null, maidenName: null, allianceName: null, aliasName: null, nameInForeignPassport: null };
  if (pick < 50) {
    return { type: 'move', person, municipality: { bfs: resident.bfs, name: resident.municipality, canton: 'LU' }, dwelling: { egid: 100_000 + k, ewid: 1 + (k % 20), street: `Bahnhofstrasse`, houseNumber: String(1 + k), postalCode: '6000', town: resident.municipality, movingDate: date } };
  }
  if (pick < 70) return { type: 'changeName', person, names: { ...names, callName: `Ruf${k}` }, validFrom: date };
  if (pick < 80) return { type: 'correctName', person, names: { ...names, aliasName: `Alias${k}` }, validFrom: null };
  if (pick < 90) return { type: 'marriage', person, civilStatus: 'married', date };
  return { type: 'divorce', person, civilStatus: 'divorced', date };
}

function message(event: RegisterEvent, eventDate: string): string {
  return writeDelivery(
    {
      header: {
        senderId: SENDER,
        recipientIds: [],
        messageId: randomUUID(),
        referenceMessageId: null,
        messageType: 'http://www.ech.ch/xmlns/eCH-0020/3',
        messageDate: `${eventDate}T08:00:00`,
        eventDate,
        action: 1,
        testDelivery: false,
        sendingApplication: { manufacturer: 'Bench', product: 'Register', productVersion: '1' },
      },
      event,
    },
    countries(),
  );
}

async function residentsOf(dataset: PersonsDataset): Promise<Resident[]> {
  const rows = await sql<{ ahvn13: string; official_name: string; first_names: string; sex: 'm' | 'f' | 'x'; date_of_birth: string; municipality_bfs: number; municipality_name: string }>`
    SELECT DISTINCT ON (p.id) p.ahvn13, p.official_name, p.first_names, p.sex, p.date_of_birth, r.municipality_bfs, r.municipality_name
      FROM persons p JOIN residences r ON r.person_id = p.id AND r.kind = 'main' AND r.departure_date IS NULL AND r.superseded_at IS NULL
     WHERE p.tenant_id = ${dataset.tenantId} AND p.ahvn13 IS NOT NULL AND p.merged_into IS NULL AND p.date_of_death IS NULL AND r.arrival_date < '2026-02-01'
     ORDER BY p.id, r.arrival_date DESC`.execute(dataset.database.db);
  return rows.rows.map((r) => ({ ahvn13: r.ahvn13, officialName: r.official_name, firstNames: r.first_names, sex: r.sex, dateOfBirth: r.date_of_birth, bfs: r.municipality_bfs, municipality: r.municipality_name }));
}

/** One queue per worker, each resident's events in one queue and in order (a register sends them in order). */
function plan(residents: Resident[], events: number, workers: number): string[][] {
  const queues: string[][] = Array.from({ length: workers }, () => []);
  const perResident = Math.ceil(events / residents.length);
  let made = 0;
  for (let k = 0; k < perResident && made < events; k++) {
    residents.forEach((resident, index) => {
      if (made >= events) return;
      const pick = (index * 37 + k * 11) % 100;
      queues[index % workers]!.push(message(eventFor(resident, k, pick), addDays('2026-02-01', k)));
      made++;
    });
  }
  return queues;
}

interface IngestFigures {
  events: number;
  wallMs: number;
  perSecond: number;
  outcomes: Record<string, number>;
  latency: ReturnType<typeof summarize>;
}

/** Messages a run of the drop folder reads and commits together (drop-folder.ts uses the same size). */
const RUN = 200;

/**
 * Ingests the queues side by side: `batched` as the drop folder and the import do (runs of 200
 * messages, one commit per run, each message still whole or not at all), otherwise one message
 * per transaction as the HTTP inbox does.
 */
async function ingest(dataset: PersonsDataset, queues: string[][], batched: boolean): Promise<IngestFigures> {
  const office = { id: dataset.tenantId, slug: 'bench', name: 'Benchmark' };
  const actor = exchangeActor(office, 'bench');
  const outcomes: Record<string, number> = {};
  const latencies: number[] = [];
  const count = (outcome: Awaited<ReturnType<typeof receiveMessage>>) => {
    const key = outcome.outcome === 'quarantined' ? `quarantined:${outcome.reason.code}` : outcome.outcome;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  const messageOf = (xml: string) => ({ office, bytes: Buffer.from(xml), channel: 'folder' as const, partner: null, fileName: null, context: { actor, requestId: 'bench-exchange' } });
  const start = performance.now();
  await Promise.all(
    queues.map(async (queue) => {
      const step = batched ? RUN : 1;
      for (let at = 0; at < queue.length; at += step) {
        const slice = queue.slice(at, at + step);
        const before = performance.now();
        const results = batched ? await withTenantScope(office.id, () => receiveBatch(dataset.database.db, slice.map(messageOf))) : [await withTenantScope(office.id, () => receiveMessage(dataset.database.db, messageOf(slice[0]!)))];
        // Per message: the time of its run shared out (what a message waits for on average).
        const each = (performance.now() - before) / slice.length;
        for (const outcome of results) {
          latencies.push(each);
          count(outcome);
        }
      }
    }),
  );
  const wallMs = performance.now() - start;
  const events = queues.reduce((sum, queue) => sum + queue.length, 0);
  return { events, wallMs, perSecond: (events / wallMs) * 1000, outcomes, latency: roundSummary(summarize(latencies)) };
}

/** Validation against the XSDs and reading into events, single-threaded: the CPU each message costs before the database. */
function parseOnly(queues: string[][]): { perSecond: number; msPerMessage: number } {
  const all = queues.flat();
  const start = performance.now();
  for (const xml of all) {
    const bytes = Buffer.from(xml);
    if (!validateXml(bytes).valid) throw new Error('benchmark message is not schema-valid');
    readMessage(xml, countries());
  }
  const ms = performance.now() - start;
  return { perSecond: (all.length / ms) * 1000, msPerMessage: ms / all.length };
}

/**
 * The statements a move costs in the service — inbox row with the bytes, version bump, the old
 * residence superseded and re-inserted as ended, the new one, the audit row — as one statement
 * per event, sent straight to PostgreSQL with the same runs (one commit per 200) and the same
 * number of connections side by side: how fast the database alone takes such changes.
 */
async function rawStatements(dataset: PersonsDataset, databaseUrl: string, queues: string[][]): Promise<{ perSecond: number }> {
  const url = new URL(databaseUrl);
  url.pathname = `/${dataset.databaseName}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: queues.length });
  try {
    const persons = await sql<{ id: string; residence: string }>`
      SELECT p.id, r.id AS residence FROM persons p JOIN residences r ON r.person_id = p.id AND r.superseded_at IS NULL AND r.departure_date IS NULL AND r.kind = 'main'
       WHERE p.tenant_id = ${dataset.tenantId} LIMIT 20000`.execute(dataset.database.db);
    const body = Buffer.from(queues[0]![0]!);
    const counts = queues.map((queue) => Math.min(queue.length, 4_000));
    const start = performance.now();
    await Promise.all(
      counts.map(async (count, worker) => {
        const client = await pool.connect();
        try {
          for (let at = 0; at < count; at += RUN) {
            await client.query('BEGIN');
            for (let i = at; i < Math.min(count, at + RUN); i++) {
              const row = persons.rows[(worker * 4_001 + i) % persons.rows.length]!;
              await client.query(
                `WITH inbox AS (INSERT INTO exchange_inbox (tenant_id, channel, standard, sender_id, message_id, status, body, body_sha256) VALUES ($1, 'folder', 'eCH-0020', 'raw', gen_random_uuid()::text, 'applied', $2, 'x') RETURNING id),
                      bump AS (UPDATE persons SET version = version + 1 WHERE id = $3 RETURNING id),
                      old AS (UPDATE residences SET superseded_at = now() WHERE id = $4 RETURNING *),
                      ended AS (INSERT INTO residences (tenant_id, person_id, kind, registration_type, municipality_bfs, municipality_name, arrival_date, departure_date, recorded_by)
                                SELECT tenant_id, person_id, kind, registration_type, municipality_bfs, municipality_name, arrival_date, arrival_date, 'raw' FROM old RETURNING id),
                      fresh AS (INSERT INTO residences (tenant_id, person_id, kind, registration_type, municipality_bfs, municipality_name, arrival_date, recorded_by)
                                SELECT tenant_id, person_id, kind, registration_type, municipality_bfs, municipality_name, arrival_date, 'raw' FROM old RETURNING id)
                 SELECT audit_append($5, $1::uuid, NULL, 'system', 'raw', 'exchange.apply', 'person', $3::text, NULL, '{}'::jsonb) FROM inbox, bump, ended, fresh`,
                [dataset.tenantId, body, row.id, row.residence, `${dataset.tenantId}:${worker % 4}`],
              );
            }
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    const total = counts.reduce((a, b) => a + b, 0);
    return { perSecond: (total / (performance.now() - start)) * 1000 };
  } finally {
    await pool.end();
  }
}

async function runOn(kind: DatabaseKind, context: BenchContext, report: ReportOf): Promise<BenchReport> {
  const events = context.options.persons ?? DEFAULT_EVENTS[kind];
  const workers = CONCURRENCY[kind];
  out(`## eCH-0020 ingestion — ${databaseLabel(kind)}`);
  out();
  // A fresh register each run: the benchmark changes it.
  const dataset = await preparePersonsDataset({ ...datasetSource(kind, context.options), fresh: true, persons: PERSONS });
  try {
    const residents = await residentsOf(dataset);
    progress(`exchange: building ${formatInt(events)} messages for ${formatInt(residents.length)} residents …`);
    const all = plan(residents, events + ONE_BY_ONE, workers);
    // The last events of each queue go one by one (as over HTTP), after the batched part.
    const share = Math.ceil(ONE_BY_ONE / workers);
    const queues = all.map((queue) => queue.slice(0, queue.length - share));
    const singles = all.map((queue) => queue.slice(queue.length - share));
    const parse = parseOnly(queues);
    progress(`exchange: ingesting in runs of ${RUN} messages, ${workers} run(s) side by side …`);
    const figures = await ingest(dataset, queues, true);
    progress(`exchange: then ${formatInt(ONE_BY_ONE)} messages one by one (the HTTP inbox's way) …`);
    const single = await ingest(dataset, singles, false);
    await sql`ANALYZE`.execute(dataset.database.db);
    const raw = kind === 'postgres' && context.options.databaseUrl ? await rawStatements(dataset, context.options.databaseUrl, queues) : null;
    const applied = figures.outcomes.applied ?? 0;
    out(`${describeHardware(context.hardware)}; ${dataset.description}; ${formatInt(dataset.persons)} persons.`);
    out();
    out(
      markdownTable(
        ['measure', 'figure'],
        [
          ['events ingested (one per message)', formatInt(figures.events)],
          ['applied', formatInt(applied)],
          ['other outcomes', Object.entries(figures.outcomes).filter(([k]) => k !== 'applied').map(([k, v]) => `${k}: ${v}`).join(', ') || '—'],
          ['messages in flight', String(workers)],
          ['wall time', formatSeconds(figures.wallMs)],
          ['events/s in runs of 200 (drop folder, import): validated, applied, audited', formatInt(figures.perSecond)],
          ['time per message in a run, median / p95', `${formatMs(figures.latency.median)} / ${formatMs(figures.latency.p95)}`],
          ['events/s one per transaction (HTTP inbox)', `${formatInt(single.perSecond)} (${formatInt(single.events)} events; ${Object.entries(single.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')})`],
          ['latency per message one by one, median / p95 / p99', `${formatMs(single.latency.median)} / ${formatMs(single.latency.p95)} / ${formatMs(single.latency.p99)}`],
          ['validation + reading alone, one core', `${formatInt(parse.perSecond)}/s (${formatMs(parse.msPerMessage)} per message)`],
          ['same statements straight on the database (runs of 200)', raw ? `${formatInt(raw.perSecond)}/s` : '— (PGlite: one connection)'],
        ],
        ['left', 'right'],
      ),
    );
    out();
    const target = checkTarget({
      label: `PostgreSQL ingestion of ${formatInt(TARGET.events)} move and change events`,
      actual: Math.round(figures.perSecond),
      limit: TARGET.perSecond,
      unit: 'per-second',
      direction: 'min',
      applies: kind === 'postgres' && events >= TARGET.events,
    });
    return report({
      environment: { database: dataset.description, persons: dataset.persons, concurrency: workers },
      results: { events: figures.events, outcomes: figures.outcomes, wallMs: Math.round(figures.wallMs), perSecond: Math.round(figures.perSecond), latency: figures.latency, oneByOne: { events: single.events, perSecond: Math.round(single.perSecond), latency: single.latency, outcomes: single.outcomes }, parseOnly: parse, rawStatements: raw },
      targets: [target],
    });
  } finally {
    await dataset.close();
  }
}

export const exchangeBenchmark = defineBenchmark('exchange', 'eCH-0020 ingestion: move and change events through the inbox (validated, applied, audited)', runOn);
