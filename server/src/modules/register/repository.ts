import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { PersonAspect, PaperKind, RegistrationType, TenancyReportsTable } from '../../platform/db/tables.js';
import type { ParsedQuery } from './rules/search-query.js';

/** The only code of the register module that touches the database. */

export interface PersonScope {
  tenantId: string;
  /** BFS numbers of the municipalities the caller may see; null means the whole office. */
  municipalities: number[] | null;
}

/** The current main residence of a person: the newest one not ended and not superseded. */
const currentMainResidence = sql`
  LEFT JOIN LATERAL (
    SELECT r.municipality_name, r.municipality_bfs FROM residences r
    WHERE r.person_id = p.id AND r.kind = 'main' AND r.departure_date IS NULL AND r.superseded_at IS NULL
    ORDER BY r.arrival_date DESC LIMIT 1
  ) cur ON true`;

/** Municipal clerks see persons who live or lived in their municipality. */
function scopeFilter(scope: PersonScope) {
  if (scope.municipalities === null) return sql``;
  if (scope.municipalities.length === 0) return sql`AND false`;
  return sql`AND EXISTS (SELECT 1 FROM residences rs WHERE rs.person_id = p.id AND rs.superseded_at IS NULL AND rs.municipality_bfs IN (${sql.join(scope.municipalities)}))`;
}

export interface PersonHitRow {
  id: string;
  official_name: string;
  first_names: string;
  date_of_birth: string;
  sex: 'm' | 'f' | 'x';
  nationality: string;
  blocking_note: boolean;
  municipality_name: string | null;
  score: number;
  reasons: string[];
}

export function listPersonsQuery(scope: PersonScope, limit: number): RawBuilder<PersonHitRow> {
  return sql<PersonHitRow>`
    SELECT p.id, p.official_name, p.first_names, p.date_of_birth, p.sex, p.nationality, p.blocking_note, cur.municipality_name,
           0::float8 AS score, ARRAY[]::text[] AS reasons
    FROM persons p ${currentMainResidence}
    WHERE p.tenant_id = ${scope.tenantId} AND p.merged_into IS NULL ${scopeFilter(scope)}
    ORDER BY p.official_name, p.first_names, p.id
    LIMIT ${limit}`;
}

/**
 * Fuzzy search in two steps. Candidates come from indexes only: the closest spellings by trigram
 * word distance (GiST KNN), equal double-metaphone codes (sound-alikes), and exact AHVN13, date of
 * birth and document numbers. The few hundred candidates are then scored and explained.
 */
/**
 * How far the search looks for spellings: 'cheap' (same first four letters, sound-alikes, exact
 * keys), 'wider' (first three letters), 'nearest' (closest spellings anywhere, the slowest).
 */
export type SearchReach = 'cheap' | 'wider' | 'nearest';

export function personSearchQuery(scope: PersonScope, query: ParsedQuery, limit: number, options: { reach: SearchReach }): RawBuilder<PersonHitRow> {
  const names = query.nameTokens.join(' ');
  const hasNames = names !== '';
  const lower = query.nameTokens.map((token) => token.toLowerCase());
  const docs = query.documentNumbers;
  const sources = [] as RawBuilder<unknown>[];
  if (hasNames) {
    // Index-only candidate sources, read through the search views (the trigram and LIKE indexes
    // are not usable under row-level security, migration 0007); the key of each must be a
    // constant expression, not a column of q, or the index cannot be used.
    const longest = [...query.nameTokens].sort((a, b) => b.length - a.length)[0]!;
    // Same beginning (B-tree range scan): catches most typos cheaply ("Lustenberer", "Schnider").
    const prefix = options.reach === 'cheap' ? 4 : 3;
    sources.push(sql`(SELECT p.id FROM persons_for_search p WHERE p.tenant_id = ${scope.tenantId} AND p.merged_into IS NULL AND p.search_key LIKE left(mf_search_key(${longest.replace(/[\\%_]/g, '')}), ${prefix}) || '%' LIMIT ${options.reach === 'cheap' ? 300 : 1000})`);
    if (options.reach === 'nearest') {
      // Closest spellings anywhere (GiST KNN on the longest word): slower, so only when the other
      // sources found nothing that looks alike — e.g. a typo in the first letters.
      sources.push(sql`(SELECT p.id FROM persons_for_search p WHERE p.tenant_id = ${scope.tenantId} AND p.merged_into IS NULL ORDER BY p.search_key <->> mf_search_key(${longest}) LIMIT 100)`);
    }
    if (query.nameTokens.length > 1) {
      // Surname and first name that sound like two of the words, in either order: exact even for common names.
      sources.push(sql`(SELECT p.id FROM persons_for_search p, q WHERE p.tenant_id = ${scope.tenantId} AND p.merged_into IS NULL AND p.name_phonetic = ANY(q.phon) AND p.first_phonetic = ANY(q.phon) LIMIT 300)`);
    }
    sources.push(sql`(SELECT p.id FROM persons_for_search p, q WHERE p.tenant_id = ${scope.tenantId} AND p.merged_into IS NULL AND p.name_phonetic = ANY(q.phon) LIMIT 200)`);
  }
  // merged_into IS NULL lets the partial unique index on AHVN13 serve the lookup.
  if (query.ahvn13) sources.push(sql`(SELECT p.id FROM persons_for_search p WHERE p.tenant_id = ${scope.tenantId} AND p.ahvn13 = ${query.ahvn13} AND p.merged_into IS NULL)`);
  if (query.dateOfBirth) sources.push(sql`(SELECT p.id FROM persons_for_search p WHERE p.tenant_id = ${scope.tenantId} AND p.date_of_birth = ${query.dateOfBirth} LIMIT 500)`);
  if (docs.length > 0) sources.push(sql`(SELECT d.person_id AS id FROM papers_for_search d WHERE d.tenant_id = ${scope.tenantId} AND upper(d.number) IN (${sql.join(docs)}))`);
  if (!hasNames && !query.ahvn13 && !query.dateOfBirth && docs.length === 0 && query.birthYear) {
    sources.push(sql`(SELECT p.id FROM persons_for_search p WHERE p.tenant_id = ${scope.tenantId} AND p.date_of_birth LIKE ${query.birthYear + '-%'} LIMIT 500)`);
  }

  const docMatch = docs.length > 0 ? sql`EXISTS (SELECT 1 FROM deposited_papers d WHERE d.person_id = p.id AND upper(d.number) IN (${sql.join(docs)}))` : sql`false`;
  const nameSim = hasNames ? sql`word_similarity(q.key, p.search_key)` : sql`0::real`;
  const phonetic = hasNames ? sql`(p.name_phonetic = ANY(q.phon))` : sql`false`;
  const exact = hasNames ? sql`(lower(p.official_name) = ANY(${lower}::text[]))` : sql`false`;
  const folded = hasNames ? sql`(mf_fold(p.official_name) = ANY(q.folded))` : sql`false`;
  const dob = query.dateOfBirth ? sql`(p.date_of_birth = ${query.dateOfBirth})` : sql`false`;
  const year = query.birthYear ? sql`(left(p.date_of_birth, 4) = ${query.birthYear})` : sql`false`;
  const ahv = query.ahvn13 ? sql`(p.ahvn13 = ${query.ahvn13})` : sql`false`;

  // Every part of the query that was given must be met; names only loosely (spelling or sound).
  const conditions = [] as RawBuilder<unknown>[];
  if (hasNames) conditions.push(sql`(${nameSim} >= 0.4 OR ${phonetic} OR ${ahv} OR ${docMatch})`);
  if (query.dateOfBirth) conditions.push(dob);
  if (query.birthYear) conditions.push(year);
  if (query.ahvn13 && !hasNames) conditions.push(ahv);
  if (docs.length > 0 && !hasNames) conditions.push(docMatch);

  return sql<PersonHitRow>`
    WITH q AS (
      SELECT mf_search_key(${names}) AS key,
             ARRAY(SELECT dmetaphone(mf_fold(t)) FROM unnest(${lower}::text[]) t WHERE length(t) > 1) AS phon,
             ARRAY(SELECT mf_fold(t) FROM unnest(${lower}::text[]) t) AS folded
    ),
    candidates AS (${sql.join(sources, sql` UNION `)}),
    scored AS (
      SELECT p.id, p.official_name, p.first_names, p.date_of_birth, p.sex, p.nationality, p.blocking_note, cur.municipality_name,
        (${nameSim} + CASE WHEN ${phonetic} THEN 0.3 ELSE 0 END + CASE WHEN ${exact} THEN 0.2 ELSE 0 END
          + CASE WHEN ${hasNames && query.nameTokens.length > 1 ? sql`p.first_phonetic = ANY(q.phon)` : sql`false`} THEN 0.2 ELSE 0 END
          + CASE WHEN ${ahv} THEN 2 ELSE 0 END + CASE WHEN ${docMatch} THEN 2 ELSE 0 END
          + CASE WHEN ${dob} THEN 1 ELSE 0 END + CASE WHEN ${year} THEN 0.3 ELSE 0 END)::float8 AS score,
        array_remove(ARRAY[
          CASE WHEN ${ahv} THEN 'ahvn13' END,
          CASE WHEN ${docMatch} THEN 'document-number' END,
          CASE WHEN ${dob} THEN 'date-of-birth' END,
          CASE WHEN ${year} THEN 'birth-year' END,
          CASE WHEN ${exact} THEN 'exact-name' END,
          CASE WHEN NOT ${exact} AND ${folded} THEN 'name-without-diacritics' END,
          CASE WHEN NOT ${exact} AND NOT ${folded} AND ${nameSim} >= 0.4 THEN 'similar-spelling' END,
          CASE WHEN ${phonetic} THEN 'sounds-alike' END
        ], NULL) AS reasons
      FROM candidates c JOIN persons p ON p.id = c.id CROSS JOIN q ${currentMainResidence}
      WHERE p.merged_into IS NULL ${scopeFilter(scope)}
        ${conditions.length > 0 ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``}
    )
    SELECT * FROM scored ORDER BY score DESC, official_name, first_names, id LIMIT ${limit}`;
}

export async function municipalitiesOfUnits(db: Db | Trx, tenantId: string, unitIds: string[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.selectFrom('units').select('bfs_number').where('tenant_id', '=', tenantId).where('id', 'in', unitIds).where('bfs_number', 'is not', null).execute();
  return rows.map((row) => row.bfs_number).filter((bfs): bfs is number => bfs !== null);
}

export async function municipalitiesOfTenant(db: Db | Trx, tenantId: string): Promise<{ bfs: number; name: string }[]> {
  const rows = await db.selectFrom('units').select(['bfs_number', 'name']).where('tenant_id', '=', tenantId).where('kind', '=', 'municipality').orderBy('name').execute();
  return rows.filter((row) => row.bfs_number !== null).map((row) => ({ bfs: row.bfs_number as number, name: row.name.replace(/^Einwohnerkontrolle /, '') }));
}

// --- persons ------------------------------------------------------------------------------------

export async function findVisiblePerson(db: Db | Trx, scope: PersonScope, id: string) {
  const result = await sql<{ id: string }>`
    SELECT p.id FROM persons p WHERE p.tenant_id = ${scope.tenantId} AND p.id = ${id} ${scopeFilter(scope)}`.execute(db);
  if (result.rows.length === 0) return null;
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export type PersonRow = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

/** Optimistic lock: bumps the version only if it is still `expected`; null when someone else changed it. */
export async function bumpVersion(trx: Trx, id: string, expected: number | null): Promise<number | null> {
  let query = trx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', id);
  if (expected !== null) query = query.where('version', '=', expected);
  const row = await query.returning('version').executeTakeFirst();
  return row?.version ?? null;
}

export async function residencesOf(db: Db | Trx, personId: string, includeSuperseded = false) {
  let query = db.selectFrom('residences').selectAll().where('person_id', '=', personId);
  if (!includeSuperseded) query = query.where('superseded_at', 'is', null);
  return query.orderBy('arrival_date').orderBy('recorded_at').execute();
}

export type ResidenceRow = Awaited<ReturnType<typeof residencesOf>>[number];

export async function relationsOf(db: Db | Trx, personId: string) {
  return db.selectFrom('person_relations').selectAll().where('person_id', '=', personId).where('superseded_at', 'is', null).orderBy('recorded_at').execute();
}

export async function papersOf(db: Db | Trx, personId: string) {
  return db.selectFrom('deposited_papers').selectAll().where('person_id', '=', personId).orderBy('deposited_on').orderBy('receipt_number').execute();
}

export type PaperRow = Awaited<ReturnType<typeof papersOf>>[number];

export async function versionsOf(db: Db | Trx, personId: string, includeSuperseded = false) {
  let query = db.selectFrom('person_versions').selectAll().where('person_id', '=', personId);
  if (!includeSuperseded) query = query.where('superseded_at', 'is', null);
  return query.orderBy('aspect').orderBy('valid_from').orderBy('recorded_at').execute();
}

export type VersionDbRow = Awaited<ReturnType<typeof versionsOf>>[number];

export async function insertVersions(
  trx: Trx,
  rows: { tenantId: string; personId: string; aspect: PersonAspect; validFrom: string; validTo: string | null; data: Record<string, unknown>; reason: 'initial' | 'change' | 'correction' | 'merge'; recordedBy: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('person_versions')
    .values(rows.map((row) => ({ tenant_id: row.tenantId, person_id: row.personId, aspect: row.aspect, valid_from: row.validFrom, valid_to: row.validTo, data: JSON.stringify(row.data), reason: row.reason, recorded_by: row.recordedBy })))
    .execute();
}

export async function supersedeVersions(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('person_versions').set({ superseded_at: new Date() }).where('id', 'in', ids).execute();
}

export interface NewResidence {
  kind: 'main' | 'secondary';
  registrationType: RegistrationType;
  municipalityBfs: number;
  municipalityName: string;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  town: string | null;
  egid: number | null;
  ewid: number | null;
  householdId: string | null;
  arrivalDate: string;
  arrivedFrom: string | null;
  departureDate: string | null;
  departedTo: string | null;
}

function residenceValues(tenantId: string, personId: string, residence: NewResidence, recordedBy: string) {
  return {
    tenant_id: tenantId,
    person_id: personId,
    kind: residence.kind,
    registration_type: residence.registrationType,
    municipality_bfs: residence.municipalityBfs,
    municipality_name: residence.municipalityName,
    street: residence.street,
    house_number: residence.houseNumber,
    postal_code: residence.postalCode,
    town: residence.town,
    egid: residence.egid,
    ewid: residence.ewid,
    household_id: residence.householdId,
    arrival_date: residence.arrivalDate,
    arrived_from: residence.arrivedFrom,
    departure_date: residence.departureDate,
    departed_to: residence.departedTo,
    recorded_by: recordedBy,
  };
}

/**
 * Replaces a residence row by its new versions (history keeps the old one, superseded) in one
 * statement: a move or a departure costs one round trip. Returns the new rows' ids in order.
 */
export async function replaceResidence(trx: Trx, supersededId: string, tenantId: string, personId: string, versions: NewResidence[], recordedBy: string): Promise<string[]> {
  const rows = await trx
    .with('superseded', (db) => db.updateTable('residences').set({ superseded_at: new Date() }).where('id', '=', supersededId).returning('id'))
    .insertInto('residences')
    .values(versions.map((residence) => residenceValues(tenantId, personId, residence, recordedBy)))
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function insertResidence(trx: Trx, tenantId: string, personId: string, residence: NewResidence, recordedBy: string): Promise<string> {
  const row = await trx.insertInto('residences').values(residenceValues(tenantId, personId, residence, recordedBy)).returning('id').executeTakeFirstOrThrow();
  return row.id;
}


export function residenceToNew(row: ResidenceRow): NewResidence {
  return {
    kind: row.kind,
    registrationType: row.registration_type,
    municipalityBfs: row.municipality_bfs,
    municipalityName: row.municipality_name,
    street: row.street,
    houseNumber: row.house_number,
    postalCode: row.postal_code,
    town: row.town,
    egid: row.egid,
    ewid: row.ewid,
    householdId: row.household_id,
    arrivalDate: row.arrival_date,
    arrivedFrom: row.arrived_from,
    departureDate: row.departure_date,
    departedTo: row.departed_to,
  };
}

export async function duplicateCandidatesQuery(db: Db | Trx, tenantId: string, candidate: { officialName: string; firstNames: string; dateOfBirth: string; ahvn13: string | null }) {
  const result = await sql<PersonHitRow>`
    WITH q AS (SELECT mf_search_key(${candidate.officialName + ' ' + candidate.firstNames}) AS key, dmetaphone(mf_fold(${candidate.officialName})) AS phon)
    SELECT p.id, p.official_name, p.first_names, p.date_of_birth, p.sex, p.nationality, p.blocking_note, cur.municipality_name,
      (similarity(p.search_key, q.key) + CASE WHEN p.ahvn13 = ${candidate.ahvn13} THEN 2 ELSE 0 END
        + CASE WHEN p.date_of_birth = ${candidate.dateOfBirth} THEN 1 ELSE 0 END)::float8 AS score,
      array_remove(ARRAY[
        CASE WHEN p.ahvn13 = ${candidate.ahvn13} THEN 'ahvn13' END,
        CASE WHEN p.date_of_birth = ${candidate.dateOfBirth} THEN 'date-of-birth' END,
        CASE WHEN similarity(p.search_key, q.key) >= 0.5 THEN 'similar-spelling' END,
        CASE WHEN p.name_phonetic = q.phon THEN 'sounds-alike' END
      ], NULL) AS reasons
    FROM persons p CROSS JOIN q ${currentMainResidence}
    WHERE p.tenant_id = ${tenantId} AND p.merged_into IS NULL
      AND (p.ahvn13 = ${candidate.ahvn13}
        OR (p.date_of_birth = ${candidate.dateOfBirth} AND (similarity(p.search_key, q.key) >= 0.35 OR p.name_phonetic = q.phon)))
    ORDER BY score DESC LIMIT 10`.execute(db);
  return result.rows;
}

export async function personIdByAhvn13(db: Db | Trx, tenantId: string, ahvn13: string): Promise<string | null> {
  const row = await db.selectFrom('persons').select('id').where('tenant_id', '=', tenantId).where('ahvn13', '=', ahvn13).where('merged_into', 'is', null).executeTakeFirst();
  return row?.id ?? null;
}

// --- papers -------------------------------------------------------------------------------------

export async function nextReceiptNumber(trx: Trx, tenantId: string): Promise<number> {
  // Numbers are consecutive per office; the lock makes concurrent deposits wait their turn.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${'receipt:' + tenantId}))`.execute(trx);
  const row = await trx.selectFrom('deposited_papers').select((eb) => eb.fn.max('receipt_number').as('max')).where('tenant_id', '=', tenantId).executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

export async function insertPaper(
  trx: Trx,
  paper: { tenantId: string; personId: string; municipalityBfs: number; receiptNumber: number; kind: PaperKind; designation: string; number: string | null; issuingCountry: string; validUntil: string | null; depositedOn: string; feeChf: number },
): Promise<PaperRow> {
  return trx
    .insertInto('deposited_papers')
    .values({
      tenant_id: paper.tenantId,
      person_id: paper.personId,
      municipality_bfs: paper.municipalityBfs,
      receipt_number: paper.receiptNumber,
      kind: paper.kind,
      designation: paper.designation,
      number: paper.number,
      issuing_country: paper.issuingCountry,
      valid_until: paper.validUntil,
      deposited_on: paper.depositedOn,
      fee_chf: paper.feeChf.toFixed(2),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPaper(db: Db | Trx, tenantId: string, id: string): Promise<PaperRow | null> {
  return (await db.selectFrom('deposited_papers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function markPaperReturned(trx: Trx, id: string, date: string, by: string): Promise<PaperRow> {
  return trx.updateTable('deposited_papers').set({ returned_on: date, returned_by: by }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface JournalRow {
  date: string;
  event: 'deposit' | 'return';
  receipt_number: number;
  paper_id: string;
  person_id: string;
  official_name: string;
  first_names: string;
  date_of_birth: string;
  designation: string;
  number: string | null;
  valid_until: string | null;
  fee_chf: string;
}

export async function papersJournal(db: Db | Trx, tenantId: string, municipalities: number[] | null, from: string, to: string, order: 'chronological' | 'alphabetical'): Promise<JournalRow[]> {
  const where = municipalities === null ? sql`` : municipalities.length === 0 ? sql`AND false` : sql`AND d.municipality_bfs IN (${sql.join(municipalities)})`;
  const ordering = order === 'chronological' ? sql`ORDER BY date, receipt_number, event` : sql`ORDER BY official_name, first_names, date, receipt_number, event`;
  const result = await sql<JournalRow>`
    SELECT * FROM (
      SELECT d.deposited_on::text AS date, 'deposit' AS event, d.receipt_number, d.id AS paper_id, p.id AS person_id, p.official_name, p.first_names,
             p.date_of_birth, d.designation, d.number, d.valid_until::text AS valid_until, d.fee_chf::text AS fee_chf
      FROM deposited_papers d JOIN persons p ON p.id = d.person_id
      WHERE d.tenant_id = ${tenantId} AND d.deposited_on BETWEEN ${from} AND ${to} ${where}
      UNION ALL
      SELECT d.returned_on::text, 'return', d.receipt_number, d.id, p.id, p.official_name, p.first_names,
             p.date_of_birth, d.designation, d.number, d.valid_until::text, '0.00'
      FROM deposited_papers d JOIN persons p ON p.id = d.person_id
      WHERE d.tenant_id = ${tenantId} AND d.returned_on BETWEEN ${from} AND ${to} ${where}
    ) journal ${ordering}`.execute(db);
  return result.rows;
}

// --- landlord and household reports ---------------------------------------------------------------

export async function insertTenancyReport(trx: Trx, report: Insertable<TenancyReportsTable>): Promise<string> {
  const row = await trx.insertInto('tenancy_reports').values(report).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface ReconciliationRow {
  kind: 'reported-not-registered' | 'registered-but-moved-out';
  report_id: string;
  reporter_kind: string;
  reporter_name: string;
  official_name: string;
  first_names: string;
  egid: number | null;
  ewid: number | null;
  street: string | null;
  house_number: string | null;
  lease_start: string | null;
  lease_end: string | null;
  person_id: string | null;
  since: string;
}

/**
 * Who the municipality must ask to report (NG § 16): tenants reported by a landlord (or host,
 * employer, collective household) more than 14 days ago who are not registered at that building,
 * and persons still registered at a building their landlord reported them as having left.
 */
export async function reconciliation(db: Db | Trx, tenantId: string, municipalities: number[] | null, today: string): Promise<ReconciliationRow[]> {
  const where = municipalities === null ? sql`` : municipalities.length === 0 ? sql`AND false` : sql`AND t.municipality_bfs IN (${sql.join(municipalities)})`;
  const result = await sql<ReconciliationRow>`
    WITH reports AS (
      SELECT t.*, (
        SELECT p.id FROM residences r JOIN persons p ON p.id = r.person_id
        WHERE r.tenant_id = t.tenant_id AND r.superseded_at IS NULL AND r.departure_date IS NULL
          AND (t.egid IS NULL OR r.egid = t.egid) AND r.municipality_bfs = t.municipality_bfs
          AND p.merged_into IS NULL AND similarity(p.search_key, t.search_key) >= 0.5
        ORDER BY similarity(p.search_key, t.search_key) DESC LIMIT 1
      ) AS registered_person
      FROM tenancy_reports t
      WHERE t.tenant_id = ${tenantId} AND t.resolved_at IS NULL ${where}
    )
    SELECT 'reported-not-registered' AS kind, id AS report_id, reporter_kind, reporter_name, official_name, first_names, egid, ewid, street, house_number,
           lease_start::text, lease_end::text, NULL::uuid AS person_id, coalesce(lease_start, received_on)::text AS since
    FROM reports
    WHERE registered_person IS NULL AND (lease_end IS NULL OR lease_end > ${today}::date)
      AND coalesce(lease_start, received_on) <= ${today}::date - 14
    UNION ALL
    SELECT 'registered-but-moved-out', id, reporter_kind, reporter_name, official_name, first_names, egid, ewid, street, house_number,
           lease_start::text, lease_end::text, registered_person, lease_end::text
    FROM reports
    WHERE registered_person IS NOT NULL AND lease_end IS NOT NULL AND lease_end <= ${today}::date
    ORDER BY since, official_name`.execute(db);
  return result.rows;
}

// --- bulk loads -----------------------------------------------------------------------------------

export interface NewPerson {
  id: string;
  tenantId: string;
  ahvn13: string | null;
  officialName: string;
  firstNames: string;
  callName: string | null;
  maidenName: string | null;
  nameInForeignPassport: string | null;
  sex: 'm' | 'f' | 'x';
  dateOfBirth: string;
  placeOfBirth: string | null;
  countryOfBirth: string | null;
  nationality: string;
  placeOfOrigin: string | null;
  civilStatus: 'single' | 'married' | 'widowed' | 'divorced' | 'registered-partnership' | 'dissolved-partnership' | 'unknown';
  civilStatusDate: string | null;
  religion: string | null;
  /** Fields a bulk load rarely has; left out, the column default applies. */
  allianceName?: string | null;
  aliasName?: string | null;
  blockingNote?: boolean;
  papersBlock?: boolean;
  dateOfDeath?: string | null;
  residences: (Omit<NewResidence, 'registrationType' | 'householdId'> & Partial<Pick<NewResidence, 'registrationType' | 'householdId'>>)[];
}

/** Inserts many persons with their residences in a few multi-row statements (bulk loads, demo data). */
export async function insertPersons(trx: Trx, persons: NewPerson[], batchSize = 500): Promise<void> {
  for (let start = 0; start < persons.length; start += batchSize) {
    const batch = persons.slice(start, start + batchSize);
    await trx
      .insertInto('persons')
      .values(
        batch.map((p) => ({
          id: p.id,
          tenant_id: p.tenantId,
          ahvn13: p.ahvn13,
          official_name: p.officialName,
          first_names: p.firstNames,
          call_name: p.callName,
          maiden_name: p.maidenName,
          name_in_foreign_passport: p.nameInForeignPassport,
          sex: p.sex,
          date_of_birth: p.dateOfBirth,
          place_of_birth: p.placeOfBirth,
          country_of_birth: p.countryOfBirth,
          nationality: p.nationality,
          place_of_origin: p.placeOfOrigin,
          civil_status: p.civilStatus,
          civil_status_date: p.civilStatusDate,
          religion: p.religion,
          alliance_name: p.allianceName ?? null,
          alias_name: p.aliasName ?? null,
          blocking_note: p.blockingNote ?? false,
          papers_block: p.papersBlock ?? false,
          date_of_death: p.dateOfDeath ?? null,
        })),
      )
      .execute();
    const residences = batch.flatMap((p) =>
      p.residences.map((r) => ({
        tenant_id: p.tenantId,
        person_id: p.id,
        kind: r.kind,
        registration_type: r.registrationType ?? 'settled',
        municipality_bfs: r.municipalityBfs,
        municipality_name: r.municipalityName,
        street: r.street,
        house_number: r.houseNumber,
        postal_code: r.postalCode,
        town: r.town,
        egid: r.egid,
        ewid: r.ewid,
        household_id: r.householdId ?? null,
        arrival_date: r.arrivalDate,
        arrived_from: r.arrivedFrom,
        departure_date: r.departureDate,
        departed_to: r.departedTo,
        recorded_by: 'bulk-load',
      })),
    );
    if (residences.length > 0) await trx.insertInto('residences').values(residences).execute();
  }
}

/** Where letters go: the current main residence's street, number and town (lines of an address block). */
export async function postalAddressOf(db: Db | Trx, personId: string): Promise<string[]> {
  const row = await db
    .selectFrom('residences')
    .select(['street', 'house_number', 'postal_code', 'town', 'municipality_name'])
    .where('person_id', '=', personId)
    .where('kind', '=', 'main')
    .where('superseded_at', 'is', null)
    .where('departure_date', 'is', null)
    .orderBy('arrival_date', 'desc')
    .executeTakeFirst();
  if (!row) return [];
  const street = [row.street, row.house_number].filter((part) => part !== null && part !== '').join(' ');
  return [street, `${row.postal_code ?? ''} ${row.town ?? row.municipality_name}`.trim()].filter((line) => line !== '');
}
