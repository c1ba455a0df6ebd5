import { sql, type Kysely } from 'kysely';
import { installCaseTypes, type Actor, type Database } from '@migraflow/server';
import type { DatasetSource } from './benchmark.js';
import { openKeptPostgres, type MarkerTable } from './kept-database.js';
import { formatInt, formatSeconds, progress } from './output.js';
import { closeOnFailure, migrationState, openMemoryPGlite, vacuumAnalyze, type PreparedDatabase } from './prepared.js';

/**
 * A database holding N generated cases in one tenant, for the work-queue benchmark.
 *
 * Everything is made with set-based SQL (`INSERT … SELECT … FROM generate_series`), chunk by
 * chunk, so that a million cases load in minutes: a tenant (`bench-cases`, CH/LU) with six office
 * units, the shipped CH case types (`installCaseTypes`), one person per five cases (minimal rows:
 * name, sex, date of birth, nationality), five caseworkers per unit and one office-wide team lead,
 * and the cases: spread over units and types (each type mostly in "its" unit), ~70 % closed
 * (decided and in legal force, received over the last three years) and ~30 % open (mostly recent,
 * in every open/waiting/decided state of their type, ~12 % unassigned, ~90 % with a next due date
 * of which about a fifth lie in the past, some with a decision awaiting approval).
 *
 * The dates are relative to the day of the load (`referenceDate`), because the work queue's
 * "overdue" compares with today. PGlite: a fresh in-memory database every run. PostgreSQL: a
 * database `mf_bench_cases_<N>` on the DATABASE_URL server, kept and reused while it holds the
 * same data (same N, seed and generator version, loaded less than 30 days ago, migrations
 * applied forward).
 */

/** Raise when the generated data changes: kept databases of an older version are reloaded. */
const GENERATOR_VERSION = 'cases-v1';
const TENANT_SLUG = 'bench-cases';
/** Reload a kept database when its reference date is older: the open cases' due dates drift into the past. */
const MAX_REFERENCE_AGE_DAYS = 30;
const CASES_PER_PERSON = 5;
const CASEWORKERS_PER_UNIT = 5;
const CLOSED_SHARE = 0.7;
/** Closed cases were received within this many days before the reference date, open ones within OPEN_SPAN_DAYS. */
const SPAN_DAYS = 1095;
const OPEN_SPAN_DAYS = 730;
const CHUNK = 100_000;
/** Pool size of the service's database handle on PostgreSQL: the server's default (`fromPostgres`). */
export const SERVICE_POOL_SIZE = 10;

export const OFFICE_UNITS: ReadonlyArray<{ slug: string; name: string }> = [
  { slug: 'aufenthalt', name: 'Aufenthalt' },
  { slug: 'niederlassung', name: 'Niederlassung und Kantonswechsel' },
  { slug: 'familiennachzug', name: 'Familiennachzug' },
  { slug: 'arbeitsmarkt', name: 'Arbeitsmarkt und Kontingente' },
  { slug: 'bildung', name: 'Aus- und Weiterbildung' },
  { slug: 'integration', name: 'Integration' },
];

/** Share of all cases per type, and the unit (index into OFFICE_UNITS) that handles most of them (75 %; the rest anywhere). */
export const TYPE_MIX: ReadonlyArray<{ slug: string; share: number; unit: number }> = [
  { slug: 'permit-extension', share: 0.3, unit: 0 },
  { slug: 'first-permit-eu', share: 0.12, unit: 0 },
  { slug: 'change-of-canton', share: 0.05, unit: 1 },
  { slug: 'settlement-permit', share: 0.12, unit: 1 },
  { slug: 'duty-to-report', share: 0.08, unit: 1 },
  { slug: 'hardship', share: 0.03, unit: 1 },
  { slug: 'family-reunification', share: 0.1, unit: 2 },
  { slug: 'first-permit-quota', share: 0.06, unit: 3 },
  { slug: 'student-permit', share: 0.06, unit: 4 },
  { slug: 'welcome-talk', share: 0.08, unit: 5 },
];
const PRIMARY_UNIT_SHARE = 0.75;

const SURNAMES = [
  'Müller', 'Meier', 'Schmid', 'Keller', 'Weber', 'Huber', 'Schneider', 'Meyer', 'Steiner', 'Fischer',
  'Gerber', 'Brunner', 'Baumann', 'Frei', 'Zimmermann', 'Moser', 'Widmer', 'Wyss', 'Graf', 'Roth',
  'Krasniqi', 'Berisha', 'Gashi', 'Hoxha', 'Kovačević', 'Petrović', 'Jovanović', 'Nikolić', 'Özdemir', 'Yılmaz',
  'Kaya', 'Demir', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Silva', 'Santos', 'Ferreira',
  'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'García', 'Fernández', 'Nowak', 'Kowalski', 'Wiśniewski',
  'Mohammed', 'Ahmadi', 'Hosseini', 'Tesfaye', 'Haile', 'Nguyen', 'Tran', 'Le', 'Kumar', 'Singh',
];
const FIRST_NAMES = [
  'Anna', 'Maria', 'Laura', 'Sara', 'Elena', 'Lea', 'Mia', 'Sofia', 'Emma', 'Lina',
  'Fatima', 'Aylin', 'Ana', 'Marija', 'Jelena', 'Arta', 'Blerta', 'Yasmin', 'Hana', 'Selam',
  'Peter', 'Hans', 'Daniel', 'Thomas', 'Marco', 'Luca', 'David', 'Noah', 'Leon', 'Elias',
  'Mohammed', 'Ali', 'Ahmed', 'Mehmet', 'Emre', 'Arben', 'Besnik', 'Marko', 'Nikola', 'João',
];
const NATIONALITIES = ['DE', 'IT', 'PT', 'XK', 'RS', 'MK', 'TR', 'FR', 'ES', 'AT', 'PL', 'ER', 'AF', 'SY', 'LK', 'IN', 'VN', 'US', 'GB', 'XS'];

/** `raw`: the queue's SQL on the bare driver: PGlite's own `query()`, or a `pg.Pool` of SERVICE_POOL_SIZE connections. */
export interface CasesDataset extends PreparedDatabase {
  tenantId: string;
  units: Array<{ id: string; slug: string; name: string }>;
  /** Caseworkers (`roles: caseworker in their unit`), five per unit, in unit order. */
  caseworkers: Actor[];
  /** A team lead for the whole office (`team-lead`, unitId null): sees every unit's queue. */
  teamLead: Actor;
  typeSlugs: string[];
  cases: number;
  openCases: number;
  persons: number;
  seed: number;
  /** The day the dates were generated against (YYYY-MM-DD). */
  referenceDate: string;
  /** On-disk size of the cases table with its indexes (PostgreSQL: pg_total_relation_size). */
  casesTableBytes: number | null;
  timings: {
    createMs: number;
    migrateMs: number;
    /** Organisation, persons and cases together (a reused database: the times of the run that made it). */
    loadMs: number;
    personsMs: number;
    casesMs: number;
    analyzeMs: number;
  };
}

export interface CasesDatasetOptions extends DatasetSource {
  cases: number;
}

type Db = Kysely<never>;

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A value for setseed() in [-1, 1], different per seed and chunk. */
function seedValue(seed: number, salt: number): number {
  return (((seed * 7919 + salt * 104_729) % 20_000) - 10_000) / 10_000;
}

// ------------------------------------------------------------------ loading

interface LoadTimings {
  loadMs: number;
  personsMs: number;
  casesMs: number;
}

/** The tenant, its units, users and case types. Returns the tenant id. */
async function loadOrganisation(database: Database): Promise<string> {
  const db = database.db;
  const tenant = await db
    .insertInto('tenants')
    .values({ slug: TENANT_SLUG, name: 'Benchmark work queue', country: 'CH', region: 'LU' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tenantId = tenant.id;
  await db.transaction().execute((trx) => installCaseTypes(trx, tenantId, 'CH'));
  const units = await db
    .insertInto('units')
    .values(OFFICE_UNITS.map((unit) => ({ tenant_id: tenantId, slug: unit.slug, name: unit.name, kind: 'office' as const, bfs_number: null })))
    .returning(['id', 'slug'])
    .execute();
  for (const unit of units) {
    for (let k = 1; k <= CASEWORKERS_PER_UNIT; k++) {
      const user = await db
        .insertInto('users')
        .values({ tenant_id: tenantId, username: `${TENANT_SLUG}.${unit.slug}.${k}`, display_name: `Sachbearbeitung ${unit.slug} ${k}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('user_roles').values({ user_id: user.id, role: 'caseworker', unit_id: unit.id }).execute();
    }
  }
  const lead = await db
    .insertInto('users')
    .values({ tenant_id: tenantId, username: `${TENANT_SLUG}.lead`, display_name: 'Teamleitung Migrationsamt' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: lead.id, role: 'team-lead', unit_id: null }).execute();
  return tenantId;
}

async function loadPersons(db: Db, tenantId: string, count: number, seed: number): Promise<void> {
  for (let from = 1, chunk = 0; from <= count; from += CHUNK, chunk++) {
    const to = Math.min(count, from + CHUNK - 1);
    await db.transaction().execute(async (trx) => {
      await sql`SELECT setseed(${seedValue(seed, chunk)})`.execute(trx);
      await sql`
        INSERT INTO persons (tenant_id, official_name, first_names, sex, date_of_birth, nationality)
        SELECT ${tenantId}::uuid,
               (${SURNAMES}::text[])[1 + floor(random() * ${SURNAMES.length})::int],
               (${FIRST_NAMES}::text[])[1 + floor(random() * ${FIRST_NAMES.length})::int],
               CASE WHEN random() < 0.5 THEN 'f' ELSE 'm' END,
               DATE '1945-01-01' + floor(random() * 22000)::int,
               (${NATIONALITIES}::text[])[1 + floor(random() * ${NATIONALITIES.length})::int]
          FROM generate_series(${from}::int, ${to}::int)`.execute(trx);
    });
  }
}

interface TypeRow {
  id: string;
  slug: string;
  definition: { initialState: string; states: Array<{ id: string; phase: 'open' | 'waiting' | 'decided' | 'closed' }> };
}

/**
 * Helper tables the set-based insert joins (dropped afterwards): persons numbered 1..P, units
 * numbered 1..6, caseworkers numbered per unit, and the type mix with cumulative shares and the
 * states a case of the type can be in (open: the initial state first; closed: the positive
 * decision first).
 */
async function createHelpers(db: Db, tenantId: string): Promise<void> {
  await dropHelpers(db);
  await sql`CREATE TABLE mf_bench_tmp_persons (n integer PRIMARY KEY, id uuid NOT NULL)`.execute(db);
  await sql`INSERT INTO mf_bench_tmp_persons SELECT row_number() OVER (ORDER BY id), id FROM persons WHERE tenant_id = ${tenantId}`.execute(db);
  await sql`CREATE TABLE mf_bench_tmp_units (n integer PRIMARY KEY, id uuid NOT NULL)`.execute(db);
  for (const [index, unit] of OFFICE_UNITS.entries()) {
    await sql`INSERT INTO mf_bench_tmp_units SELECT ${index + 1}::int, id FROM units WHERE tenant_id = ${tenantId} AND slug = ${unit.slug}`.execute(db);
  }
  await sql`CREATE TABLE mf_bench_tmp_workers (unit_n integer NOT NULL, k integer NOT NULL, user_id uuid NOT NULL, display_name text NOT NULL, PRIMARY KEY (unit_n, k))`.execute(db);
  await sql`
    INSERT INTO mf_bench_tmp_workers
    SELECT t.n, row_number() OVER (PARTITION BY t.n ORDER BY us.username), us.id, us.display_name
      FROM mf_bench_tmp_units t JOIN user_roles r ON r.unit_id = t.id AND r.role = 'caseworker' JOIN users us ON us.id = r.user_id`.execute(db);
  await sql`CREATE TABLE mf_bench_tmp_types (type_id uuid NOT NULL, slug text NOT NULL, lo double precision NOT NULL, hi double precision NOT NULL, unit_n integer NOT NULL,
    open_states text[] NOT NULL, open_phases text[] NOT NULL, closed_states text[] NOT NULL)`.execute(db);
  const types = (await sql<TypeRow>`SELECT id, slug, definition FROM case_types WHERE tenant_id = ${tenantId} AND active`.execute(db)).rows;
  let lo = 0;
  for (const [index, mix] of TYPE_MIX.entries()) {
    const type = types.find((t) => t.slug === mix.slug);
    if (type === undefined) throw new Error(`case type ${mix.slug} is not installed`);
    const states = type.definition.states;
    const initial = states.find((s) => s.id === type.definition.initialState);
    if (initial === undefined) throw new Error(`case type ${mix.slug} has no initial state`);
    const open = [initial, ...states.filter((s) => s !== initial && s.phase !== 'closed')];
    const closed = [...states.filter((s) => s.phase === 'decided'), ...states.filter((s) => s.phase === 'closed')];
    const hi = index === TYPE_MIX.length - 1 ? 1.000001 : lo + mix.share;
    await sql`INSERT INTO mf_bench_tmp_types VALUES (${type.id}::uuid, ${type.slug}, ${lo}, ${hi}, ${mix.unit + 1}::int,
      ${open.map((s) => s.id)}::text[], ${open.map((s) => s.phase)}::text[], ${closed.map((s) => s.id)}::text[])`.execute(db);
    lo = hi;
  }
  await sql`ANALYZE mf_bench_tmp_persons`.execute(db);
}

async function dropHelpers(db: Db): Promise<void> {
  for (const table of ['mf_bench_tmp_persons', 'mf_bench_tmp_units', 'mf_bench_tmp_workers', 'mf_bench_tmp_types']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}

/** One chunk of cases, numbers `from`..`to`: every random draw per row is made once (MATERIALIZED) and then derived from. */
async function insertCaseChunk(db: Db, tenantId: string, from: number, to: number, persons: number, referenceDate: string, seed: number, chunk: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT setseed(${seedValue(seed + 1, chunk)})`.execute(trx);
    await sql`
      INSERT INTO cases (tenant_id, reference, case_type_id, type_slug, person_id, unit_id, assignee_id, state, phase, language,
                         received_on, opened_at, next_due_on, pending_decision, decision, decided_at, legal_force_on, closed_at, updated_at)
      WITH g AS MATERIALIZED (
        SELECT i, random() AS r_type, random() AS r_unit, random() AS r_closed, random() AS r_age, random() AS r_proc, random() AS r_state,
               random() AS r_person, random() AS r_assignee, random() AS r_due, random() AS r_time, random() AS r_misc
          FROM generate_series(${from}::int, ${to}::int) AS i
      ), c AS (
        SELECT g.*, t.type_id, t.slug, t.open_states, t.open_phases, t.closed_states,
               CASE WHEN g.r_unit < ${PRIMARY_UNIT_SHARE}::float8 THEN t.unit_n
                    ELSE 1 + least(${OFFICE_UNITS.length - 1}::int, floor((g.r_unit - ${PRIMARY_UNIT_SHARE}::float8) / ${1 - PRIMARY_UNIT_SHARE}::float8 * ${OFFICE_UNITS.length}::int)::int) END AS unit_n,
               g.r_closed < ${CLOSED_SHARE}::float8 AS closed,
               10 + floor(g.r_proc * 120)::int AS proc
          FROM g JOIN mf_bench_tmp_types t ON g.r_type >= t.lo AND g.r_type < t.hi
      ), d AS (
        SELECT c.*,
               CASE WHEN c.closed THEN c.proc + 35 + floor(c.r_age * (${SPAN_DAYS}::int - c.proc - 35))::int
                    ELSE 2 + floor(power(c.r_age, 3) * ${OPEN_SPAN_DAYS}::int)::int END AS age,
               CASE WHEN c.closed
                    THEN CASE WHEN c.r_state < 0.8 THEN 1 ELSE 2 + least(cardinality(c.closed_states) - 2, floor((c.r_state - 0.8) / 0.2 * (cardinality(c.closed_states) - 1))::int) END
                    ELSE CASE WHEN c.r_state < 0.3 THEN 1 ELSE 2 + least(cardinality(c.open_states) - 2, floor((c.r_state - 0.3) / 0.7 * (cardinality(c.open_states) - 1))::int) END
               END AS state_n
          FROM c
      ), e AS (
        SELECT d.*,
               ${referenceDate}::date - d.age AS received_on,
               CASE WHEN d.closed THEN d.closed_states[d.state_n] ELSE d.open_states[d.state_n] END AS state,
               CASE WHEN d.closed THEN 'closed' ELSE d.open_phases[d.state_n] END AS phase
          FROM d
      ), f AS (
        SELECT e.*,
               CASE WHEN e.closed THEN (e.received_on + e.proc) + make_interval(secs => 8 * 3600 + e.r_time * 9 * 3600)
                    WHEN e.phase = 'decided' THEN (e.received_on + least(e.age - 1, e.proc)) + make_interval(secs => 8 * 3600 + e.r_time * 9 * 3600)
               END AS decided_ts
          FROM e
      )
      SELECT ${tenantId}::uuid,
             to_char(f.received_on, 'YYYY') || '-' || lpad(f.i::text, 7, '0'),
             f.type_id, f.slug, p.id, u.id,
             CASE WHEN NOT f.closed AND f.r_misc < 0.12 THEN NULL ELSE w.user_id END,
             f.state, f.phase,
             CASE f.i % 20 WHEN 0 THEN 'fr' WHEN 1 THEN 'it' WHEN 2 THEN 'en' ELSE 'de' END,
             f.received_on,
             f.received_on + make_interval(secs => 7 * 3600 + f.r_time * 30 * 3600),
             CASE WHEN f.closed OR f.r_due < 0.1 THEN NULL
                  ELSE greatest(f.received_on + 7, ${referenceDate}::date + (floor((f.r_due - 0.1) / 0.9 * 160)::int - 40)) END,
             CASE WHEN NOT f.closed AND f.phase = 'open' AND f.state_n > 1 AND f.r_misc >= 0.12 AND f.r_misc < 0.3
                  THEN jsonb_build_object('transition', 'grant', 'reason', '', 'fields', '{}'::jsonb, 'proposedBy', w.display_name,
                                          'proposedById', w.user_id, 'proposedAt', to_char(${referenceDate}::date - 1, 'YYYY-MM-DD"T"10:00:00"Z"')) END,
             CASE WHEN f.decided_ts IS NULL THEN NULL
                  ELSE jsonb_build_object('outcome', CASE WHEN f.state_n = 1 OR NOT f.closed THEN 'positive' ELSE 'negative' END, 'fourEyes', false) END,
             f.decided_ts,
             CASE WHEN f.closed THEN (f.decided_ts + interval '31 days')::date END,
             CASE WHEN f.closed THEN f.decided_ts + interval '35 days' END,
             coalesce(CASE WHEN f.closed THEN f.decided_ts + interval '35 days' END, f.decided_ts, f.received_on + make_interval(secs => 7 * 3600 + f.r_time * 30 * 3600))
        FROM f
        JOIN mf_bench_tmp_persons p ON p.n = 1 + floor(f.r_person * ${persons}::int)::int
        JOIN mf_bench_tmp_units u ON u.n = f.unit_n
        JOIN mf_bench_tmp_workers w ON w.unit_n = f.unit_n AND w.k = 1 + floor(f.r_assignee * ${CASEWORKERS_PER_UNIT}::int)::int`.execute(trx);
  });
}

async function loadAll(database: Database, cases: number, seed: number, referenceDate: string): Promise<{ tenantId: string; timings: LoadTimings }> {
  const db = database.db as unknown as Db;
  const persons = Math.ceil(cases / CASES_PER_PERSON);
  const start = performance.now();
  const tenantId = await loadOrganisation(database);
  await loadPersons(db, tenantId, persons, seed);
  const personsMs = performance.now() - start;
  progress(`  ${formatInt(persons)} persons, ${OFFICE_UNITS.length} units, ${OFFICE_UNITS.length * CASEWORKERS_PER_UNIT + 1} users and the case types in ${formatSeconds(personsMs)}`);
  const casesStart = performance.now();
  await createHelpers(db, tenantId);
  for (let from = 1, chunk = 0; from <= cases; from += CHUNK, chunk++) {
    const to = Math.min(cases, from + CHUNK - 1);
    await insertCaseChunk(db, tenantId, from, to, persons, referenceDate, seed, chunk);
    const elapsed = performance.now() - casesStart;
    progress(`  cases ${formatInt(to)} / ${formatInt(cases)} (${formatSeconds(elapsed)}, ${formatInt((to / elapsed) * 1000)}/s)`);
  }
  await dropHelpers(db);
  // Later references of the tenant must not collide with the generated ones (which use 7 digits).
  await sql`INSERT INTO case_counters (tenant_id, year, last_number)
    SELECT ${tenantId}::uuid, y, ${cases}::int FROM generate_series(${Number(referenceDate.slice(0, 4)) - 4}::int, ${Number(referenceDate.slice(0, 4)) + 1}::int) AS y
    ON CONFLICT (tenant_id, year) DO UPDATE SET last_number = greatest(case_counters.last_number, excluded.last_number)`.execute(db);
  const casesMs = performance.now() - casesStart;
  return { tenantId, timings: { loadMs: performance.now() - start, personsMs, casesMs } };
}

// ------------------------------------------------------------------ reading back

async function countRows(db: Db, tenantId: string): Promise<{ cases: number; openCases: number; persons: number }> {
  const result = await sql<{ cases: number | string; open_cases: number | string; persons: number | string }>`
    SELECT (SELECT count(*) FROM cases WHERE tenant_id = ${tenantId}) AS cases,
           (SELECT count(*) FROM cases WHERE tenant_id = ${tenantId} AND closed_at IS NULL) AS open_cases,
           (SELECT count(*) FROM persons WHERE tenant_id = ${tenantId}) AS persons`.execute(db);
  const row = result.rows[0];
  return { cases: Number(row?.cases ?? 0), openCases: Number(row?.open_cases ?? 0), persons: Number(row?.persons ?? 0) };
}

/** The actors as the server builds them after sign-in: the user's row and role grants. */
async function readPeople(db: Db, tenantId: string): Promise<Pick<CasesDataset, 'units' | 'caseworkers' | 'teamLead' | 'typeSlugs'>> {
  const tenant = (await sql<{ slug: string; name: string }>`SELECT slug, name FROM tenants WHERE id = ${tenantId}`.execute(db)).rows[0];
  if (tenant === undefined) throw new Error('benchmark tenant missing');
  const units = (await sql<{ id: string; slug: string; name: string }>`SELECT id, slug, name FROM units WHERE tenant_id = ${tenantId}`.execute(db)).rows;
  units.sort((a, b) => OFFICE_UNITS.findIndex((u) => u.slug === a.slug) - OFFICE_UNITS.findIndex((u) => u.slug === b.slug));
  const grants = (
    await sql<{ id: string; username: string; display_name: string; role: 'caseworker' | 'team-lead'; unit_id: string | null }>`
      SELECT us.id, us.username, us.display_name, r.role, r.unit_id
        FROM users us JOIN user_roles r ON r.user_id = us.id
       WHERE us.tenant_id = ${tenantId} ORDER BY us.username`.execute(db)
  ).rows;
  const actorOf = (grant: (typeof grants)[number]): Actor => ({
    kind: 'user',
    id: grant.id,
    name: grant.username,
    displayName: grant.display_name,
    tenantId,
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    roles: [{ role: grant.role, unitId: grant.unit_id }],
    locale: 'de',
    sessionIdHash: null,
  });
  const caseworkers = units.flatMap((unit) => grants.filter((g) => g.role === 'caseworker' && g.unit_id === unit.id).map(actorOf));
  const lead = grants.find((g) => g.role === 'team-lead' && g.unit_id === null);
  if (lead === undefined || caseworkers.length === 0) throw new Error('benchmark users missing');
  const typeSlugs = (await sql<{ slug: string }>`SELECT DISTINCT slug FROM case_types WHERE tenant_id = ${tenantId} AND active ORDER BY slug`.execute(db)).rows.map((r) => r.slug);
  return { units, caseworkers, teamLead: actorOf(lead), typeSlugs };
}

async function tableBytes(db: Db): Promise<number | null> {
  try {
    const result = await sql<{ bytes: number | string }>`SELECT pg_total_relation_size('cases') AS bytes`.execute(db);
    return Number(result.rows[0]?.bytes ?? 0);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ PGlite

/** The dataset's fields read back from a loaded database. */
async function readBack(db: Db, tenantId: string): Promise<Pick<CasesDataset, 'units' | 'caseworkers' | 'teamLead' | 'typeSlugs' | 'cases' | 'openCases' | 'persons' | 'casesTableBytes'>> {
  const people = await readPeople(db, tenantId);
  const counts = await countRows(db, tenantId);
  return { ...people, ...counts, casesTableBytes: await tableBytes(db) };
}

async function preparePGlite(options: CasesDatasetOptions): Promise<CasesDataset> {
  progress(`PGlite: creating an in-memory database and loading ${formatInt(options.cases)} cases …`);
  const { createMs, migrateMs, ...prepared } = await openMemoryPGlite();
  const { database } = prepared;
  return closeOnFailure(prepared.close, async () => {
    const referenceDate = dayOf(new Date());
    const { tenantId, timings } = await loadAll(database, options.cases, options.seed, referenceDate);
    const db = database.db as unknown as Db;
    const analyzeMs = await vacuumAnalyze(db);
    return {
      ...prepared,
      tenantId,
      ...(await readBack(db, tenantId)),
      seed: options.seed,
      referenceDate,
      timings: { createMs, migrateMs, ...timings, analyzeMs },
    };
  });
}

// ------------------------------------------------------------------ PostgreSQL

interface Marker {
  cases: number;
  seed: number;
  generator: string;
  reference_date: string;
  migrations: string;
  tenant_id: string;
  load_ms: number;
  persons_ms: number;
  cases_ms: number;
  analyze_ms: number;
}

const MARKER: MarkerTable<Marker> = {
  name: 'mf_bench_cases',
  columns: {
    cases: 'integer',
    seed: 'bigint',
    generator: 'text',
    reference_date: 'date',
    migrations: 'text',
    tenant_id: 'uuid',
    load_ms: 'double precision',
    persons_ms: 'double precision',
    cases_ms: 'double precision',
    analyze_ms: 'double precision',
  },
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `mf_bench_cases_<N>`, reused while it holds the same N, seed and generator version, loaded less than 30 days ago. */
async function preparePostgres(options: CasesDatasetOptions): Promise<CasesDataset> {
  const kept = await openKeptPostgres<Marker>({
    databaseUrl: options.databaseUrl,
    name: `mf_bench_cases_${options.cases}`,
    fresh: options.fresh,
    marker: MARKER,
    holds: `${formatInt(options.cases)} cases`,
    differs(marker) {
      if (marker.cases !== options.cases || marker.seed !== options.seed) return `it holds ${formatInt(marker.cases)} cases of seed ${marker.seed}`;
      if (marker.generator !== GENERATOR_VERSION) return `it was made by generator ${marker.generator}`;
      const age = daysBetween(marker.reference_date, dayOf(new Date()));
      return age > MAX_REFERENCE_AGE_DAYS ? `its dates are relative to ${marker.reference_date}, ${age} days ago` : null;
    },
    async verify(db, marker) {
      const counts = await countRows(db, marker.tenant_id);
      return counts.cases === options.cases ? null : `it holds ${formatInt(counts.cases)} cases instead of ${formatInt(options.cases)}`;
    },
    poolSize: SERVICE_POOL_SIZE,
    rawPoolSize: SERVICE_POOL_SIZE,
    async load(database, db) {
      const referenceDate = dayOf(new Date());
      const { tenantId, timings } = await loadAll(database, options.cases, options.seed, referenceDate);
      const analyzeMs = await vacuumAnalyze(db);
      return {
        cases: options.cases,
        seed: options.seed,
        generator: GENERATOR_VERSION,
        reference_date: referenceDate,
        migrations: await migrationState(db),
        tenant_id: tenantId,
        load_ms: timings.loadMs,
        persons_ms: timings.personsMs,
        cases_ms: timings.casesMs,
        analyze_ms: analyzeMs,
      };
    },
  });
  const { marker, createMs, migrateMs, ...prepared } = kept;
  return closeOnFailure(kept.close, async () => ({
    ...prepared,
    tenantId: marker.tenant_id,
    ...(await readBack(prepared.database.db as unknown as Db, marker.tenant_id)),
    seed: options.seed,
    referenceDate: marker.reference_date,
    // A reused dataset reports the load time it took when it was made.
    timings: { createMs, migrateMs, loadMs: marker.load_ms, personsMs: marker.persons_ms, casesMs: marker.cases_ms, analyzeMs: marker.analyze_ms },
  }));
}

export function prepareCasesDataset(options: CasesDatasetOptions): Promise<CasesDataset> {
  return options.kind === 'pglite' ? preparePGlite(options) : preparePostgres(options);
}
