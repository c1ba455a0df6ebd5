import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Trx, Db } from '../../platform/db/transaction.js';
import { closeOpenDeadlines } from '../deadlines/index.js';
import { announceDeparture, announceRegisterChange } from './events.js';
import * as repo from './repository.js';

/**
 * The register's changes as steps inside a caller's transaction. The front desk (one command of a
 * clerk) and the exchange inbox (one message of a partner register) both build on them, so a move
 * reported at the counter and one reported by eCH-0020 leave the same rows.
 */

export interface Recorder {
  tenantId: string;
  name: string;
}

/**
 * Opens a residence from its arrival date. An open residence of the same kind ends that day
 * (someone moving here from another municipality of the office); one that began later is a
 * report out of order.
 */
export async function openResidence(trx: Trx, recorder: Recorder, personId: string, residence: repo.NewResidence): Promise<string> {
  for (const open of (await repo.residencesOf(trx, personId)).filter((r) => r.departure_date === null && r.kind === residence.kind)) {
    if (open.arrival_date > residence.arrivalDate) throw new AppError(422, 'invalid-period', { start: open.arrival_date, end: residence.arrivalDate });
    await repo.replaceResidence(trx, open.id, recorder.tenantId, personId, [{ ...repo.residenceToNew(open), departureDate: residence.arrivalDate, departedTo: residence.municipalityName }], recorder.name);
  }
  return repo.insertResidence(trx, recorder.tenantId, personId, residence, recorder.name);
}

export interface NewAddress {
  date: string;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  town?: string | null;
  egid: number | null;
  ewid: number | null;
}

/** The current main residence, optionally only one in the given municipalities. */
export async function currentMainResidence(trx: Trx | Db, personId: string, municipalities: number[] | null = null): Promise<repo.ResidenceRow | undefined> {
  return (await repo.residencesOf(trx, personId)).filter((r) => r.kind === 'main' && r.departure_date === null && (municipalities === null || municipalities.includes(r.municipality_bfs))).at(-1);
}

/** A move within the municipality or the building (NG § 2a): the old address ends on the day of the move. */
export async function moveWithinMunicipality(trx: Trx, recorder: Recorder, current: repo.ResidenceRow, address: NewAddress): Promise<{ from: string; to: string }> {
  if (address.date < current.arrival_date) throw new AppError(422, 'invalid-period', { start: current.arrival_date, end: address.date });
  const [, to] = await repo.replaceResidence(
    trx,
    current.id,
    recorder.tenantId,
    current.person_id,
    [
      { ...repo.residenceToNew(current), departureDate: address.date, departedTo: current.municipality_name },
      {
        ...repo.residenceToNew(current),
        street: address.street,
        houseNumber: address.houseNumber,
        postalCode: address.postalCode ?? current.postal_code,
        town: address.town ?? current.town,
        egid: address.egid,
        ewid: address.ewid,
        arrivalDate: address.date,
        arrivedFrom: current.municipality_name,
        departureDate: null,
        departedTo: null,
      },
    ],
    recorder.name,
  );
  return { from: current.id, to: to! };
}

export interface Departure {
  date: string;
  departedTo: string;
  /** Only residences in these municipalities end; null: all. */
  municipalities: number[] | null;
  /**
   * Whether the person leaves the office's area (abroad, another canton). A move to another
   * municipality of the office is reported as a departure here and an arrival there; it does not
   * end the permits.
   */
  leavesOffice: boolean;
}

/** Departure (Wegzug): the open residences end; open registration deadlines lapse. Returns the ended residences. */
export async function closeResidences(trx: Trx, context: RequestContext, personId: string, departure: Departure): Promise<string[]> {
  const open = (await repo.residencesOf(trx, personId)).filter((r) => r.departure_date === null && (departure.municipalities === null || departure.municipalities.includes(r.municipality_bfs)));
  if (open.length === 0) throw new AppError(409, 'already-departed');
  for (const residence of open) {
    if (departure.date < residence.arrival_date) throw new AppError(422, 'invalid-period', { start: residence.arrival_date, end: departure.date });
    await repo.replaceResidence(trx, residence.id, context.actor.tenantId, personId, [{ ...repo.residenceToNew(residence), departureDate: departure.date, departedTo: departure.departedTo }], context.actor.name);
  }
  await closeOpenDeadlines(trx, personId, ['deposit-papers', 'register-stay', 'guest-exemption-ends', 'report-private-lodging', 'proof-of-residence'], 'cancelled');
  const stillLivingHere = (await repo.residencesOf(trx, personId)).some((r) => r.departure_date === null);
  if (!stillLivingHere && departure.leavesOffice) await announceDeparture(trx, context, personId, departure.date);
  return open.map((r) => r.id);
}

/**
 * A death (eCH-0020 death, or recorded at the desk): the date is kept, the residences end that day,
 * and the modules listening for departures end what they hold (permits end "by death").
 */
export async function recordDeath(trx: Trx, context: RequestContext, personId: string, date: string): Promise<void> {
  const person = await trx.selectFrom('persons').select(['date_of_death', 'date_of_birth']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (person.date_of_death !== null) throw new AppError(409, 'already-dead', { date: person.date_of_death });
  await trx.updateTable('persons').set({ date_of_death: date }).where('id', '=', personId).execute();
  const open = (await repo.residencesOf(trx, personId)).filter((r) => r.departure_date === null);
  for (const residence of open) {
    if (date < residence.arrival_date) throw new AppError(422, 'invalid-period', { start: residence.arrival_date, end: date });
    await repo.replaceResidence(trx, residence.id, context.actor.tenantId, personId, [{ ...repo.residenceToNew(residence), departureDate: date, departedTo: 'death' }], context.actor.name);
  }
  await closeOpenDeadlines(trx, personId, ['deposit-papers', 'register-stay', 'guest-exemption-ends', 'report-private-lodging', 'proof-of-residence'], 'cancelled');
  await announceDeparture(trx, context, personId, date, 'death');
  await announceRegisterChange(trx, context, { kind: 'death', personId, date });
}

/** A household id for someone joining `personId`'s current main residence (given it one if needed). */
export async function householdOf(trx: Trx, recorder: Recorder, personId: string): Promise<string | null> {
  const current = (await repo.residencesOf(trx, personId)).filter((r) => r.kind === 'main' && r.departure_date === null && r.tenant_id === recorder.tenantId).at(-1);
  if (!current) return null;
  if (current.household_id) return current.household_id;
  const householdId = randomUUID();
  await repo.replaceResidence(trx, current.id, recorder.tenantId, personId, [{ ...repo.residenceToNew(current), householdId }], recorder.name);
  return householdId;
}

/** How many people live in the person's household now (the person included); 1 without a household. */
export async function householdSizeOf(trx: Trx, personId: string): Promise<number> {
  const current = (await repo.residencesOf(trx, personId)).filter((r) => r.kind === 'main' && r.departure_date === null).at(-1);
  if (!current?.household_id) return 1;
  const row = await trx
    .selectFrom('residences')
    .select((eb) => eb.fn.count<string>('person_id').distinct().as('members'))
    .where('household_id', '=', current.household_id)
    .where('kind', '=', 'main')
    .where('departure_date', 'is', null)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return Math.max(1, Number(row?.members ?? 1));
}

// --- finding persons named by another register ---------------------------------------------------

export interface ExternalId {
  category: string;
  id: string;
}

export interface Identification {
  ahvn13: string | null;
  externalIds: ExternalId[];
  officialName: string;
  firstNames: string;
  sex: 'm' | 'f' | 'x';
  dateOfBirth: string;
}

export type IdentificationResult = { kind: 'found'; personId: string } | { kind: 'none' } | { kind: 'ambiguous'; personIds: string[] };

/**
 * Finds the person another register means: by AHV number, else by an id that register gave them
 * (remembered when its messages arrived), else by exactly the same name, sex and date of birth —
 * and only when that is one person: a guess between two would change the wrong file.
 */
export async function identifyPerson(db: Db | Trx, tenantId: string, who: Identification, ownCategory: string): Promise<IdentificationResult> {
  if (who.ahvn13) {
    const id = await repo.personIdByAhvn13(db, tenantId, who.ahvn13);
    if (id) return { kind: 'found', personId: id };
  }
  for (const external of who.externalIds) {
    // Our own ids come back in replies and base deliveries of partners that keep them.
    if (external.category === ownCategory) {
      const own = await db.selectFrom('persons').select('id').where('tenant_id', '=', tenantId).where('id', '=', sql<string>`${asUuid(external.id)}::uuid`).where('merged_into', 'is', null).executeTakeFirst();
      if (own) return { kind: 'found', personId: own.id };
      continue;
    }
    const known = await db
      .selectFrom('person_external_ids as x')
      .innerJoin('persons as p', 'p.id', 'x.person_id')
      .select((eb) => eb.fn.coalesce('p.merged_into', 'p.id').as('id'))
      .where('x.tenant_id', '=', tenantId)
      .where('x.category', '=', external.category)
      .where('x.external_id', '=', external.id)
      .executeTakeFirst();
    if (known) return { kind: 'found', personId: known.id };
  }
  const same = await db
    .selectFrom('persons')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('merged_into', 'is', null)
    .where('official_name', '=', who.officialName)
    .where('first_names', '=', who.firstNames)
    .where('date_of_birth', '=', who.dateOfBirth)
    .where('sex', '=', who.sex)
    .limit(3)
    .execute();
  if (same.length === 1) return { kind: 'found', personId: same[0]!.id };
  if (same.length > 1) return { kind: 'ambiguous', personIds: same.map((row) => row.id) };
  return { kind: 'none' };
}

/** A syntactically impossible uuid never matches (instead of failing the cast). */
function asUuid(value: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : '00000000-0000-0000-0000-000000000000';
}

/** Remembers the ids other registers use for a person; an id already given to someone else stays theirs. */
export async function rememberExternalIds(trx: Trx, tenantId: string, personId: string, ids: ExternalId[], ownCategory: string): Promise<void> {
  const foreign = ids.filter((id) => id.category !== ownCategory);
  if (foreign.length === 0) return;
  await trx
    .insertInto('person_external_ids')
    .values(foreign.map((id) => ({ tenant_id: tenantId, category: id.category, external_id: id.id, person_id: personId })))
    .onConflict((oc) => oc.columns(['tenant_id', 'category', 'external_id']).doNothing())
    .execute();
}

/** An id another register withdrew (eCH-0020 correctIdentification): it names this person no more. */
export async function forgetExternalId(trx: Trx, tenantId: string, personId: string, id: ExternalId): Promise<void> {
  await trx.deleteFrom('person_external_ids').where('tenant_id', '=', tenantId).where('person_id', '=', personId).where('category', '=', id.category).where('external_id', '=', id.id).execute();
}

export async function externalIdsOf(db: Db | Trx, personIds: string[]): Promise<Map<string, ExternalId[]>> {
  const byPerson = new Map<string, ExternalId[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await db.selectFrom('person_external_ids').select(['person_id', 'category', 'external_id']).where('person_id', 'in', personIds).orderBy('category').orderBy('external_id').execute();
  for (const row of rows) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), { category: row.category, id: row.external_id }]);
  return byPerson;
}

/** Takes the person's row lock and bumps the version (a change from outside has no version to check against); one statement. */
export async function lockForChange(trx: Trx, tenantId: string, personId: string): Promise<repo.PersonRow> {
  const person = await trx
    .updateTable('persons')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', personId)
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
  if (!person) throw new AppError(404, 'not-found', { what: 'person' });
  return person;
}

export interface RelativeAbroad {
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  nationality: string;
  sex: 'm' | 'f' | 'x';
  kind: 'spouse' | 'registered-partner' | 'child';
}

/**
 * A family member abroad, named in an application for family reunification: recorded as a person
 * without residence (they have not arrived) and as the sponsor's relative, so that the case and
 * the permit it may grant belong to them. Within the caller's transaction; audited.
 */
export async function recordRelativeAbroad(trx: Trx, context: RequestContext, sponsorId: string, relative: RelativeAbroad): Promise<string> {
  const id = randomUUID();
  await repo.insertPersons(trx, [
    {
      id,
      tenantId: context.actor.tenantId,
      ahvn13: null,
      officialName: relative.officialName,
      firstNames: relative.firstNames,
      callName: null,
      maidenName: null,
      nameInForeignPassport: null,
      sex: relative.sex,
      dateOfBirth: relative.dateOfBirth,
      placeOfBirth: null,
      countryOfBirth: null,
      nationality: relative.nationality,
      placeOfOrigin: null,
      civilStatus: relative.kind === 'spouse' ? 'married' : relative.kind === 'registered-partner' ? 'registered-partnership' : 'unknown',
      civilStatusDate: null,
      religion: null,
      residences: [],
    },
  ]);
  // The sponsor holds the relation (a child is the sponsor's child); a spouse gets the mirror one.
  const rows = [{ person_id: sponsorId, related_person_id: id }, ...(relative.kind === 'child' ? [] : [{ person_id: id, related_person_id: sponsorId }])];
  await trx
    .insertInto('person_relations')
    .values(rows.map((row) => ({ tenant_id: context.actor.tenantId, person_id: row.person_id, kind: relative.kind, related_person_id: row.related_person_id, related_name: null, custody: null, valid_from: null })))
    .execute();
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'person.created', entityType: 'person', entityId: id, details: { source: 'family reunification application', sponsor: sponsorId, kind: relative.kind } });
  return id;
}
