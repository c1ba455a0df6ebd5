import { randomUUID } from 'node:crypto';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError, invalidFields } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { CivilStatus, RegistrationType } from '../../platform/db/tables.js';
import { scheduleDeadline, type DeadlineRecord } from '../deadlines/index.js';
import * as repo from './repository.js';
import { normaliseAhvn13 } from './rules/ahvn13.js';
import { registrationDeadline } from './rules/deadlines.js';
import { announceRegisterChange } from './events.js';
import { closeResidences, currentMainResidence, householdOf, moveWithinMunicipality, openResidence } from './changes.js';
import { buildPersonFile, findDuplicates, lockPerson, scopeOf, type PersonFile } from './service.js';

/** Front-desk operations of a municipal registration office (Lucerne NG §§ 2a, 3, 5, 7, 8): each one transaction, audited. */

export interface ArrivalPerson {
  ahvn13?: string | null;
  officialName: string;
  firstNames: string;
  sex: 'm' | 'f' | 'x';
  dateOfBirth: string;
  nationality: string;
  placeOfOrigin?: string | null;
  civilStatus?: CivilStatus;
  placeOfBirth?: string | null;
  countryOfBirth?: string | null;
  callName?: string | null;
  maidenName?: string | null;
}

export interface ArrivalResidence {
  kind: 'main' | 'secondary';
  registrationType: RegistrationType;
  municipalityBfs: number;
  street: string;
  houseNumber: string;
  postalCode: string;
  town: string;
  egid?: number | null;
  ewid?: number | null;
  arrivalDate: string;
  arrivedFrom?: string | null;
  /** Joins the household of this person (at their current main residence); else a household of one. */
  householdOf?: string | null;
}

export interface ArrivalInput {
  personId?: string;
  person?: ArrivalPerson;
  confirmNotDuplicate?: boolean;
  residence: ArrivalResidence;
}

/** The municipality must be one of the office's, and a clerk may register only in their own. */
async function checkMunicipality(trx: Trx, context: RequestContext, bfs: number): Promise<string> {
  const municipalities = await repo.municipalitiesOfTenant(trx, context.actor.tenantId);
  const municipality = municipalities.find((m) => m.bfs === bfs);
  if (!municipality) throw new AppError(422, 'unknown-municipality', { bfs }, { fieldErrors: [{ field: 'residence.municipalityBfs', message: 'unknown-municipality' }] });
  const scope = await scopeOf(trx, context.actor);
  if (scope.municipalities !== null && !scope.municipalities.includes(bfs)) throw new AppError(403, 'not-your-municipality');
  return municipality.name;
}

export async function registerArrival(db: Db, context: RequestContext, input: ArrivalInput): Promise<{ person: PersonFile; deadline: DeadlineRecord }> {
  if (!input.personId && !input.person) throw invalidFields({ field: 'person', message: 'required' });
  const ahvn13 = input.person?.ahvn13 ? normaliseAhvn13(input.person.ahvn13) : null;
  if (input.person?.ahvn13 && !ahvn13) throw invalidFields({ field: 'person.ahvn13', message: 'ahvn13-check-digit' });

  return inTransaction(db, async (trx) => {
    const municipalityName = await checkMunicipality(trx, context, input.residence.municipalityBfs);
    const tenantId = context.actor.tenantId;
    let personId: string;
    if (input.personId) {
      // A known person arrives again or moves here from another municipality of the canton.
      const person = await lockPerson(trx, { tenantId, municipalities: null }, input.personId, null);
      personId = person.id;
    } else {
      const person = input.person!;
      if (!input.confirmNotDuplicate) {
        const candidates = await findDuplicates(trx, tenantId, { officialName: person.officialName, firstNames: person.firstNames, dateOfBirth: person.dateOfBirth, ahvn13 });
        if (candidates.length > 0) throw new AppError(409, 'possible-duplicate', { count: candidates.length }, { candidates });
      }
      if (ahvn13 && (await repo.personIdByAhvn13(trx, tenantId, ahvn13))) {
        throw invalidFields({ field: 'person.ahvn13', message: 'ahvn13-taken' });
      }
      personId = randomUUID();
      await repo.insertPersons(trx, [
        {
          id: personId,
          tenantId,
          ahvn13,
          officialName: person.officialName.trim(),
          firstNames: person.firstNames.trim(),
          callName: person.callName ?? null,
          maidenName: person.maidenName ?? null,
          nameInForeignPassport: null,
          sex: person.sex,
          dateOfBirth: person.dateOfBirth,
          placeOfBirth: person.placeOfBirth ?? null,
          countryOfBirth: person.countryOfBirth ?? null,
          nationality: person.nationality.toUpperCase(),
          placeOfOrigin: person.placeOfOrigin ?? null,
          civilStatus: person.civilStatus ?? 'unknown',
          civilStatusDate: null,
          religion: null,
          residences: [],
        },
      ]);
    }
    const residence = input.residence;
    const householdId = residence.householdOf ? await joinHousehold(trx, context, residence.householdOf) : randomUUID();
    const residenceId = await openResidence(
      trx,
      context.actor,
      personId,
      {
        kind: residence.kind,
        registrationType: residence.registrationType,
        municipalityBfs: residence.municipalityBfs,
        municipalityName,
        street: residence.street,
        houseNumber: residence.houseNumber,
        postalCode: residence.postalCode,
        town: residence.town,
        egid: residence.egid ?? null,
        ewid: residence.ewid ?? null,
        householdId,
        arrivalDate: residence.arrivalDate,
        arrivedFrom: residence.arrivedFrom ?? null,
        departureDate: null,
        departedTo: null,
      },
    );
    const rule = registrationDeadline(residence.registrationType, residence.arrivalDate);
    // The municipality's own duty: its clerks are reminded.
    const municipality = await trx.selectFrom('units').select('id').where('tenant_id', '=', tenantId).where('bfs_number', '=', residence.municipalityBfs).executeTakeFirst();
    const deadline = await scheduleDeadline(trx, { tenantId, personId, kind: rule.kind, legalBasis: rule.legalBasis, dueDate: rule.dueDate, source: `residence:${residenceId}`, unitId: municipality?.id ?? null, ownerRole: 'municipal-clerk' });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'register.arrival',
      entityType: 'person',
      entityId: personId,
      details: { residenceId, municipalityBfs: residence.municipalityBfs, registrationType: residence.registrationType, arrivalDate: residence.arrivalDate, newPerson: !input.personId, deadline: rule },
    });
    await announceRegisterChange(trx, context, { kind: 'arrival', personId, residenceId, date: residence.arrivalDate });
    const fresh = await repo.findVisiblePerson(trx, { tenantId, municipalities: null }, personId);
    return { person: await buildPersonFile(trx, fresh!, null), deadline };
  });
}

/** The household id of a person's current main residence, giving it one first if it has none. */
async function joinHousehold(trx: Trx, context: RequestContext, personId: string): Promise<string> {
  const householdId = await householdOf(trx, context.actor, personId);
  if (!householdId) throw invalidFields({ field: 'residence.householdOf', message: 'no-current-residence' });
  return householdId;
}

export interface MoveInput {
  date: string;
  street: string;
  houseNumber: string;
  postalCode?: string | null;
  egid?: number | null;
  ewid?: number | null;
}

/** A move within the municipality or within the building (NG § 2a): the old address ends on the day of the move. */
export async function registerMove(db: Db, context: RequestContext, id: string, expectedVersion: number, input: MoveInput): Promise<PersonFile> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await lockPerson(trx, scope, id, expectedVersion);
    const current = await currentMainResidence(trx, id);
    if (!current) throw new AppError(409, 'already-departed');
    if (scope.municipalities !== null && !scope.municipalities.includes(current.municipality_bfs)) throw new AppError(403, 'not-your-municipality');
    const moved = await moveWithinMunicipality(trx, context.actor, current, { date: input.date, street: input.street, houseNumber: input.houseNumber, postalCode: input.postalCode ?? null, egid: input.egid ?? null, ewid: input.ewid ?? null });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'register.move',
      entityType: 'person',
      entityId: id,
      details: { ...moved, date: input.date },
    });
    await announceRegisterChange(trx, context, { kind: 'move', personId: id, residenceId: moved.to, date: input.date });
    return buildPersonFile(trx, person, null);
  });
}

/** Departure (Wegzug): every open residence in the office's area ends; deadlines still open lapse. */
export async function registerDeparture(db: Db, context: RequestContext, id: string, expectedVersion: number, input: { date: string; departedTo: string }): Promise<PersonFile> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await lockPerson(trx, scope, id, expectedVersion);
    const residences = await closeResidences(trx, context, id, { date: input.date, departedTo: input.departedTo, municipalities: scope.municipalities, leavesOffice: true });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'register.departure',
      entityType: 'person',
      entityId: id,
      details: { date: input.date, departedTo: input.departedTo, residences },
    });
    await announceRegisterChange(trx, context, { kind: 'departure', personId: id, residenceIds: residences, date: input.date, departedTo: input.departedTo });
    return buildPersonFile(trx, person, null);
  });
}
