import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { invalidFields, problems } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { CivilStatus, PersonAspect, Tables } from '../../platform/db/tables.js';
import { deadlinesOfPerson, movePersonDeadlines } from '../deadlines/index.js';
import * as repo from './repository.js';
import { announceRegisterChange } from './events.js';
import { normaliseAhvn13 } from './rules/ahvn13.js';
import { HistoryError, planChange, versionOn, type VersionRow } from './rules/history.js';
import { isEmptyQuery, parseSearchQuery, type ParsedQuery } from './rules/search-query.js';

// --- scope and locking ------------------------------------------------------------------------------

/** Roles that see every person of the office; municipal clerks see only their municipalities. */
const OFFICE_WIDE_ROLES = new Set(['caseworker', 'team-lead']);

export async function scopeOf(db: Db | Trx, actor: Actor): Promise<repo.PersonScope> {
  if (actor.roles.some((grant) => OFFICE_WIDE_ROLES.has(grant.role))) return { tenantId: actor.tenantId, municipalities: null };
  const unitIds = actor.roles.filter((grant) => grant.role === 'municipal-clerk' && grant.unitId !== null).map((grant) => grant.unitId as string);
  return { tenantId: actor.tenantId, municipalities: await repo.municipalitiesOfUnits(db, actor.tenantId, unitIds) };
}

/** `If-Match: "3"` (or W/"3", or 3) → 3; missing → 428, so that no write can skip the check. */
export function parseIfMatch(header: string | undefined): number {
  const match = header === undefined ? null : /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match?.[1]) throw problems.preconditionRequired();
  return Number(match[1]);
}

/**
 * Loads a person the caller may see and takes the optimistic lock: the version must still be the
 * one the caller read. A stale version is a 409 that carries the current person file.
 */
export async function lockPerson(trx: Trx, scope: repo.PersonScope, id: string, expectedVersion: number | null): Promise<repo.PersonRow> {
  const person = await repo.findVisiblePerson(trx, scope, id);
  if (!person || person.merged_into) throw problems.notFound('person');
  const version = await repo.bumpVersion(trx, id, expectedVersion);
  if (version === null) {
    // Read again: on PostgreSQL the competing change has committed by now and is visible.
    const fresh = (await repo.findVisiblePerson(trx, scope, id)) ?? person;
    throw problems.versionConflict(fresh.version, await buildPersonFile(trx, fresh, null));
  }
  return { ...person, version };
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

// --- the person file --------------------------------------------------------------------------------

export interface Identity {
  ahvn13: string | null;
  officialName: string;
  firstNames: string;
  callName: string | null;
  maidenName: string | null;
  allianceName: string | null;
  nameInForeignPassport: string | null;
  aliasName: string | null;
  sex: 'm' | 'f' | 'x';
  dateOfBirth: string;
  placeOfBirth: string | null;
  countryOfBirth: string | null;
  nationality: string;
  placeOfOrigin: string | null;
  civilStatus: CivilStatus;
  civilStatusDate: string | null;
  fatherName: string | null;
  motherName: string | null;
  legalCapacity: 'full' | 'limited' | 'none' | null;
  fireServiceDuty: boolean | null;
  religion: string | null;
}

/** Which identity fields each valid-time aspect holds. */
export const ASPECT_FIELDS: Record<PersonAspect, (keyof Identity)[]> = {
  name: ['officialName', 'firstNames', 'callName', 'maidenName', 'allianceName', 'nameInForeignPassport', 'aliasName'],
  'civil-status': ['civilStatus', 'civilStatusDate'],
  nationality: ['nationality', 'placeOfOrigin'],
};

export function identityOf(person: repo.PersonRow): Identity {
  return {
    ahvn13: person.ahvn13,
    officialName: person.official_name,
    firstNames: person.first_names,
    callName: person.call_name,
    maidenName: person.maiden_name,
    allianceName: person.alliance_name,
    nameInForeignPassport: person.name_in_foreign_passport,
    aliasName: person.alias_name,
    sex: person.sex,
    dateOfBirth: person.date_of_birth,
    placeOfBirth: person.place_of_birth,
    countryOfBirth: person.country_of_birth,
    nationality: person.nationality,
    placeOfOrigin: person.place_of_origin,
    civilStatus: person.civil_status,
    civilStatusDate: person.civil_status_date,
    fatherName: person.father_name,
    motherName: person.mother_name,
    legalCapacity: person.legal_capacity,
    fireServiceDuty: person.fire_service_duty,
    religion: person.religion,
  };
}

type AspectData = Partial<Identity>;

function pick(identity: Identity, aspect: PersonAspect): AspectData {
  return Object.fromEntries(ASPECT_FIELDS[aspect].map((field) => [field, identity[field]])) as AspectData;
}

function asVersionRows(rows: repo.VersionDbRow[], aspect: PersonAspect): VersionRow<AspectData>[] {
  return rows.filter((row) => row.aspect === aspect).map((row) => ({ id: row.id, validFrom: row.valid_from, validTo: row.valid_to, data: row.data as AspectData }));
}

export function residenceDto(r: repo.ResidenceRow) {
  return {
    id: r.id,
    kind: r.kind,
    registrationType: r.registration_type,
    municipalityBfs: r.municipality_bfs,
    municipalityName: r.municipality_name,
    street: r.street,
    houseNumber: r.house_number,
    postalCode: r.postal_code,
    town: r.town,
    egid: r.egid,
    ewid: r.ewid,
    householdId: r.household_id,
    arrivalDate: r.arrival_date,
    arrivedFrom: r.arrived_from,
    departureDate: r.departure_date,
    departedTo: r.departed_to,
  };
}

export function paperDto(paper: repo.PaperRow) {
  return {
    id: paper.id,
    personId: paper.person_id,
    receiptNumber: paper.receipt_number,
    kind: paper.kind,
    designation: paper.designation,
    number: paper.number,
    issuingCountry: paper.issuing_country,
    validUntil: paper.valid_until,
    depositedOn: paper.deposited_on,
    feeChf: Number(paper.fee_chf).toFixed(2),
    returnedOn: paper.returned_on,
    returnedBy: paper.returned_by,
    receiptUrl: `/api/v1/papers/${paper.id}/receipt.pdf`,
  };
}

export type PersonFile = Awaited<ReturnType<typeof buildPersonFile>>;

/** The person file as of a date (or as of now): identity from the valid-time history, residences valid then. */
export async function buildPersonFile(db: Db | Trx, person: repo.PersonRow, asOf: string | null) {
  const [versions, residences, relations, papers, deadlines] = await Promise.all([
    repo.versionsOf(db, person.id),
    repo.residencesOf(db, person.id),
    repo.relationsOf(db, person.id),
    repo.papersOf(db, person.id),
    deadlinesOfPerson(db, person.id),
  ]);
  let identity = identityOf(person);
  if (asOf) {
    for (const aspect of Object.keys(ASPECT_FIELDS) as PersonAspect[]) {
      const version = versionOn(asVersionRows(versions, aspect), asOf);
      if (version) identity = { ...identity, ...version.data };
    }
  }
  // A blocking note (Sperrvermerk) hides where the person lives.
  const visibleResidences = person.blocking_note
    ? []
    : residences.filter((r) => !asOf || (r.arrival_date <= asOf && (r.departure_date === null || r.departure_date > asOf)));
  return {
    id: person.id,
    version: person.version,
    asOf,
    identity,
    blockingNote: person.blocking_note,
    papersBlock: person.papers_block,
    mergedInto: person.merged_into,
    dateOfDeath: person.date_of_death,
    residences: visibleResidences.map(residenceDto),
    relations: relations.map((r) => ({ id: r.id, kind: r.kind, relatedPersonId: r.related_person_id, relatedName: r.related_name, custody: r.custody, validFrom: r.valid_from, validTo: r.valid_to })),
    papers: papers.map(paperDto),
    deadlines: deadlines.filter((d) => d.status === 'open').map((d) => ({ id: d.id, kind: d.kind, legalBasis: d.legalBasis, dueDate: d.dueDate, status: d.status })),
  };
}

export async function readPersonFile(db: Db, context: RequestContext, id: string, asOf: string | null): Promise<PersonFile> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await repo.findVisiblePerson(trx, scope, id);
    if (!person) throw problems.notFound('person');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'person.read', entityType: 'person', entityId: id, details: asOf ? { asOf } : {} }, { read: true });
    return buildPersonFile(trx, person, asOf);
  });
}

export async function readPersonHistory(db: Db, context: RequestContext, id: string) {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await repo.findVisiblePerson(trx, scope, id);
    if (!person) throw problems.notFound('person');
    const [versions, residences] = await Promise.all([repo.versionsOf(trx, id, true), repo.residencesOf(trx, id, true)]);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'person.read-history', entityType: 'person', entityId: id }, { read: true });
    return {
      versions: versions.map((v) => ({
        id: v.id,
        aspect: v.aspect,
        validFrom: v.valid_from,
        validTo: v.valid_to,
        data: v.data as Record<string, unknown>,
        reason: v.reason,
        recordedAt: v.recorded_at.toISOString(),
        recordedBy: v.recorded_by,
        supersededAt: v.superseded_at?.toISOString() ?? null,
      })),
      residences: person.blocking_note
        ? []
        : residences.map((r) => ({ ...residenceDto(r), recordedAt: r.recorded_at.toISOString(), supersededAt: r.superseded_at?.toISOString() ?? null })),
    };
  });
}

/**
 * The residences a blocking note (Sperrvermerk, NG §§ 13, 14) hides, shown to a role allowed to see
 * them for a reason that goes into the audit log with the disclosure.
 */
export async function discloseBlockedData(db: Db, context: RequestContext, id: string, reason: string) {
  return inTransaction(db, async (trx) => {
    const person = await repo.findVisiblePerson(trx, await scopeOf(trx, context.actor), id);
    if (!person) throw problems.notFound('person');
    const residences = await repo.residencesOf(trx, id);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'person.blocked-data-disclosed',
      entityType: 'person',
      entityId: id,
      details: { reason, blockingNote: person.blocking_note },
    });
    return { blockingNote: person.blocking_note, residences: residences.map(residenceDto) };
  });
}

// --- search ------------------------------------------------------------------------------------------

export interface PersonHit {
  id: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  sex: 'm' | 'f' | 'x';
  nationality: string;
  municipality: string | null;
  blocked: boolean;
  score: number;
  reasons: string[];
}

function toHit(row: repo.PersonHitRow): PersonHit {
  return {
    id: row.id,
    officialName: row.official_name,
    firstNames: row.first_names,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    nationality: row.nationality,
    municipality: row.blocking_note ? null : row.municipality_name,
    blocked: row.blocking_note,
    score: Math.round(row.score * 1000) / 1000,
    reasons: row.reasons,
  };
}

/** Reasons that show a name hit looks like what was typed; without one, the search looks further. */
const LOOKS_ALIKE = new Set(['exact-name', 'name-without-diacritics', 'similar-spelling']);

function searchQuery(scope: repo.PersonScope, parsed: ParsedQuery, limit: number, reach: repo.SearchReach) {
  return isEmptyQuery(parsed) ? repo.listPersonsQuery(scope, limit) : repo.personSearchQuery(scope, parsed, limit, { reach });
}

/** The first (usual) search SQL for a query, compiled: the benchmark runs it straight on the database. */
export function compilePersonSearch(tenantId: string, query: string, limit: number): { sql: string; parameters: readonly unknown[] } {
  return searchQuery({ tenantId, municipalities: null }, parseSearchQuery(query), limit, 'cheap').compile(DUMMY_COMPILER);
}

// Compiling SQL needs only a PostgreSQL query compiler, no connection.
const DUMMY_COMPILER = new Kysely<Tables>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
});

/**
 * Searches the persons the caller may see; the search and the ids it returned are audited.
 * Cheap index sources first; wider ones only while no look-alike name has been found.
 */
export async function searchPersons(db: Db, context: RequestContext, query: string, limit: number): Promise<PersonHit[]> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const parsed = parseSearchQuery(query);
    let rows = (await searchQuery(scope, parsed, limit, 'cheap').execute(trx)).rows;
    for (const reach of ['wider', 'nearest'] as const) {
      if (parsed.nameTokens.length === 0 || rows.some((row) => row.reasons.some((reason) => LOOKS_ALIKE.has(reason)))) break;
      rows = (await searchQuery(scope, parsed, limit, reach).execute(trx)).rows;
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'person.search',
      entityType: 'person',
      details: { query: query.slice(0, 200), results: rows.map((row) => row.id) },
    }, { read: true });
    return rows.map(toHit);
  });
}

export interface DuplicateProbe {
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  ahvn13?: string | null;
}

export async function findDuplicates(db: Db | Trx, tenantId: string, probe: DuplicateProbe): Promise<PersonHit[]> {
  const rows = await repo.duplicateCandidatesQuery(db, tenantId, { ...probe, ahvn13: probe.ahvn13 ?? null });
  return rows.map(toHit);
}

export async function checkDuplicates(db: Db, context: RequestContext, probe: DuplicateProbe): Promise<PersonHit[]> {
  return inTransaction(db, async (trx) => {
    const hits = await findDuplicates(trx, context.actor.tenantId, probe);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'person.duplicate-check', entityType: 'person', details: { results: hits.map((hit) => hit.id) } });
    return hits;
  });
}

// --- changes and corrections ------------------------------------------------------------------------

export interface PersonChanges extends Partial<Identity> {
  blockingNote?: boolean;
  papersBlock?: boolean;
}

const COLUMN_OF: Record<keyof Identity, string> = {
  ahvn13: 'ahvn13',
  officialName: 'official_name',
  firstNames: 'first_names',
  callName: 'call_name',
  maidenName: 'maiden_name',
  allianceName: 'alliance_name',
  nameInForeignPassport: 'name_in_foreign_passport',
  aliasName: 'alias_name',
  sex: 'sex',
  dateOfBirth: 'date_of_birth',
  placeOfBirth: 'place_of_birth',
  countryOfBirth: 'country_of_birth',
  nationality: 'nationality',
  placeOfOrigin: 'place_of_origin',
  civilStatus: 'civil_status',
  civilStatusDate: 'civil_status_date',
  fatherName: 'father_name',
  motherName: 'mother_name',
  legalCapacity: 'legal_capacity',
  fireServiceDuty: 'fire_service_duty',
  religion: 'religion',
};

/** The first day a person's history can start: the date of birth, with unknown parts as the 1st. */
function historyStart(dateOfBirth: string): string {
  return dateOfBirth.replace(/-00/g, '-01');
}

/**
 * Applies identity changes in the caller's transaction. Names, civil status and nationality get a
 * new version from `validFrom` (or, for a correction, replace the version valid then); the
 * persons row then holds whatever is valid today.
 */
export async function applyPersonChanges(trx: Trx, actor: { tenantId: string; name: string }, person: repo.PersonRow, changes: PersonChanges, validFrom: string, correction: boolean): Promise<void> {
  if (changes.ahvn13 !== undefined && changes.ahvn13 !== null) {
    const normalised = normaliseAhvn13(changes.ahvn13);
    if (!normalised) throw invalidFields({ field: 'changes.ahvn13', message: 'ahvn13-check-digit' });
    const holder = await repo.personIdByAhvn13(trx, actor.tenantId, normalised);
    if (holder && holder !== person.id) throw invalidFields({ field: 'changes.ahvn13', message: 'ahvn13-taken' });
    changes = { ...changes, ahvn13: normalised };
  }
  const before = identityOf(person);
  let stored = await repo.versionsOf(trx, person.id);
  let current: Identity = { ...before };
  for (const aspect of Object.keys(ASPECT_FIELDS) as PersonAspect[]) {
    const touched = ASPECT_FIELDS[aspect].filter((field) => changes[field] !== undefined);
    if (touched.length === 0) continue;
    if (!stored.some((row) => row.aspect === aspect)) {
      await repo.insertVersions(trx, [{ tenantId: actor.tenantId, personId: person.id, aspect, validFrom: historyStart(person.date_of_birth), validTo: null, data: pick(before, aspect), reason: 'initial', recordedBy: actor.name }]);
      stored = await repo.versionsOf(trx, person.id);
    }
    const update = Object.fromEntries(touched.map((field) => [field, changes[field]])) as AspectData;
    let plan;
    try {
      plan = planChange(asVersionRows(stored, aspect), validFrom, update, correction);
    } catch (error) {
      if (error instanceof HistoryError) throw invalidFields({ field: 'validFrom', message: 'not-a-date' });
      throw error;
    }
    await repo.supersedeVersions(trx, plan.supersede);
    await repo.insertVersions(trx, plan.insert.map((row) => ({ tenantId: actor.tenantId, personId: person.id, aspect, validFrom: row.validFrom, validTo: row.validTo, data: row.data, reason: row.reason, recordedBy: actor.name })));
    stored = await repo.versionsOf(trx, person.id);
    const valid = versionOn(asVersionRows(stored, aspect), today());
    if (valid) current = { ...current, ...valid.data };
  }
  for (const field of Object.keys(changes) as (keyof PersonChanges)[]) {
    if (field in COLUMN_OF && !Object.values(ASPECT_FIELDS).some((fields) => fields.includes(field as keyof Identity))) {
      current = { ...current, [field]: changes[field] };
    }
  }
  const set: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMN_OF) as [keyof Identity, string][]) {
    if (current[field] !== before[field]) set[column] = current[field];
  }
  if (changes.blockingNote !== undefined) set.blocking_note = changes.blockingNote;
  if (changes.papersBlock !== undefined) set.papers_block = changes.papersBlock;
  if (Object.keys(set).length > 0) await trx.updateTable('persons').set(set).where('id', '=', person.id).execute();
}

export async function changePerson(
  db: Db,
  context: RequestContext,
  id: string,
  expectedVersion: number,
  input: { changes: PersonChanges; validFrom?: string; correction?: boolean },
): Promise<PersonFile> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await lockPerson(trx, scope, id, expectedVersion);
    const validFrom = input.validFrom ?? today();
    await applyPersonChanges(trx, { tenantId: context.actor.tenantId, name: context.actor.name }, person, input.changes, validFrom, input.correction ?? false);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: input.correction ? 'person.correct' : 'person.change',
      entityType: 'person',
      entityId: id,
      details: { validFrom, changes: input.changes },
    });
    await announceRegisterChange(trx, context, { kind: 'identity', personId: id, date: validFrom, fields: Object.keys(input.changes), correction: input.correction ?? false });
    const fresh = await repo.findVisiblePerson(trx, { tenantId: context.actor.tenantId, municipalities: null }, id);
    return buildPersonFile(trx, fresh!, null);
  });
}

// --- merge -------------------------------------------------------------------------------------------

/** Merges a duplicate record into `survivorId`: both histories are kept under the survivor. */
export async function mergePersons(db: Db, context: RequestContext, survivorId: string, expectedVersion: number, duplicateId: string): Promise<PersonFile> {
  if (survivorId === duplicateId) throw problems.conflict('A person cannot be merged with itself.');
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const survivor = await lockPerson(trx, scope, survivorId, expectedVersion);
    const duplicate = await lockPerson(trx, scope, duplicateId, null);
    await trx.updateTable('persons').set({ merged_into: survivorId }).where('id', '=', duplicateId).execute();
    for (const table of ['residences', 'person_versions', 'deposited_papers', 'person_relations'] as const) {
      await trx.updateTable(table).set({ person_id: survivorId }).where('person_id', '=', duplicateId).execute();
    }
    await movePersonDeadlines(trx, duplicateId, survivorId);
    // Fill what the survivor lacks from the duplicate; what both have stays the survivor's.
    const fill: Record<string, unknown> = {};
    const a = identityOf(survivor);
    const b = identityOf(duplicate);
    for (const [field, column] of Object.entries(COLUMN_OF) as [keyof Identity, string][]) {
      if ((a[field] === null || a[field] === 'unknown') && b[field] !== null) fill[column] = b[field];
    }
    if (Object.keys(fill).length > 0) await trx.updateTable('persons').set(fill).where('id', '=', survivorId).execute();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'person.merge',
      entityType: 'person',
      entityId: survivorId,
      details: { survivor: survivorId, duplicate: duplicateId, duplicateIdentity: b, filled: Object.keys(fill) },
    });
    const fresh = await repo.findVisiblePerson(trx, { tenantId: context.actor.tenantId, municipalities: null }, survivorId);
    return buildPersonFile(trx, fresh!, null);
  });
}


// --- relations ---------------------------------------------------------------------------------------

export interface RelationInput {
  kind: 'spouse' | 'registered-partner' | 'child';
  relatedPersonId?: string | null;
  relatedName?: string | null;
  custody?: boolean | null;
  validFrom?: string | null;
}

/** Records a spouse, registered partner or child (with custody); a spouse in the register gets the mirror relation too. */
export async function addRelation(db: Db, context: RequestContext, id: string, expectedVersion: number, input: RelationInput): Promise<PersonFile> {
  if (!input.relatedPersonId && !input.relatedName) throw invalidFields({ field: 'relatedName', message: 'required' });
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await lockPerson(trx, scope, id, expectedVersion);
    if (input.relatedPersonId) {
      const related = await repo.findVisiblePerson(trx, { tenantId: context.actor.tenantId, municipalities: null }, input.relatedPersonId);
      if (!related || related.merged_into) throw problems.notFound('person');
      if (related.id === id) throw problems.conflict('A person cannot be their own relative.');
    }
    const rows = [{ person_id: id, related_person_id: input.relatedPersonId ?? null }];
    if (input.relatedPersonId && input.kind !== 'child') rows.push({ person_id: input.relatedPersonId, related_person_id: id });
    await trx
      .insertInto('person_relations')
      .values(
        rows.map((row) => ({
          tenant_id: context.actor.tenantId,
          person_id: row.person_id,
          kind: input.kind,
          related_person_id: row.related_person_id,
          related_name: row.related_person_id ? null : (input.relatedName ?? null),
          custody: input.kind === 'child' ? (input.custody ?? null) : null,
          valid_from: input.validFrom ?? null,
        })),
      )
      .execute();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'person.relation-added', entityType: 'person', entityId: id, details: { ...input } });
    return buildPersonFile(trx, person, null);
  });
}

/** A person the caller may see (for other modules that attach data to persons), or null. */
/**
 * The name of a person of an office, for the person's own portal account (which holds no register
 * rights of its own); null when there is none or it was merged away.
 */
export async function personName(db: Db | Trx, tenantId: string, id: string): Promise<{ id: string; officialName: string; firstNames: string; dateOfBirth: string; nationality: string } | null> {
  const person = await db.selectFrom('persons').select(['id', 'official_name', 'first_names', 'date_of_birth', 'nationality', 'merged_into']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!person || person.merged_into) return null;
  return { id: person.id, officialName: person.official_name, firstNames: person.first_names, dateOfBirth: person.date_of_birth, nationality: person.nationality };
}

export async function visiblePerson(db: Db | Trx, actor: Actor, id: string): Promise<{ id: string; nationality: string; officialName: string; firstNames: string; dateOfBirth: string } | null> {
  const person = await repo.findVisiblePerson(db, await scopeOf(db, actor), id);
  if (!person || person.merged_into) return null;
  return { id: person.id, nationality: person.nationality, officialName: person.official_name, firstNames: person.first_names, dateOfBirth: person.date_of_birth };
}
