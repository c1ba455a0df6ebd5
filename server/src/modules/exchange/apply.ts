import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Trx } from '../../platform/db/transaction.js';
import {
  announceRegisterChange,
  applyPersonChanges,
  closeResidences,
  forgetExternalId,
  currentMainResidence,
  identifyPerson,
  insertPersons,
  insertResidence,
  lockForChange,
  moveWithinMunicipality,
  normaliseAhvn13,
  openResidence,
  recordDeath,
  rememberExternalIds,
  residencesOf,
  type NewResidence,
  type PersonChanges,
} from '../register/index.js';
import { ADMISSION_REASONS, categoryOfEchCode, changeCategoryInTransaction, correctInTransaction, endPermitsOnDeparture, extendInTransaction, grantInTransaction, latestMainPermit, restorePermits, type AdmissionReason, type RecordedPermit } from '../permits/index.js';
import type { BaseDeliveryEntry, HistoryExtension, Municipality, PermitData, PersonData, PersonKey, Place, RegisterEvent, Residence } from './rules/events.js';

/**
 * Applies one eCH-0020 event to the register and the permits, inside the message's transaction.
 * Whatever cannot be applied throws an AppError whose code and words explain why; the inbox then
 * rolls the whole message back and holds it in quarantine.
 */

export interface ApplyContext {
  context: RequestContext;
  tenantId: string;
  /** MigraFlow's own eCH-0044 id category for this office ('MF.<office>'). */
  ownCategory: string;
  /** The office's municipalities: BFS number → name. */
  municipalities: ReadonlyMap<number, string>;
  /** The day the event happened when the event itself has no date (eCH-0058 eventDate or the message date). */
  eventDate: string;
}

export async function applyEvent(trx: Trx, ctx: ApplyContext, event: RegisterEvent): Promise<string[]> {
  switch (event.type) {
    case 'baseDelivery': {
      const touched: string[] = [];
      for (const entry of event.entries) touched.push(await applyBaseEntry(trx, ctx, entry));
      return touched;
    }
    case 'moveIn':
      return [await arrive(trx, ctx, event.person, event.residence)];
    case 'birth':
      return [await arrive(trx, ctx, event.person, event.residence)];
    case 'move': {
      const personId = await find(trx, ctx, event.person);
      const bfs = ownMunicipality(ctx, event.municipality);
      const current = await currentMainResidence(trx, personId, [bfs]);
      if (!current) throw notResident(event.person, event.municipality);
      await lockForChange(trx, ctx.tenantId, personId);
      const { dwelling } = event;
      const date = dwelling.movingDate ?? ctx.eventDate;
      const moved = await moveWithinMunicipality(trx, ctx.context.actor, current, {
        date,
        street: dwelling.street,
        houseNumber: dwelling.houseNumber,
        postalCode: dwelling.postalCode,
        town: dwelling.town,
        egid: dwelling.egid,
        ewid: dwelling.ewid,
      });
      await announceRegisterChange(trx, ctx.context, { kind: 'move', personId, residenceId: moved.to, date });
      return [personId];
    }
    case 'moveOut': {
      const personId = await find(trx, ctx, event.person);
      const bfs = ownMunicipality(ctx, event.municipality);
      const open = (await residencesOf(trx, personId)).filter((r) => r.departure_date === null && r.municipality_bfs === bfs);
      // A move-out before the move-in it ends (messages out of order) lands here too.
      if (open.length === 0) throw notResident(event.person, event.municipality);
      await lockForChange(trx, ctx.tenantId, personId);
      const withinOffice = event.goesTo.kind === 'swiss' && ctx.municipalities.has(event.goesTo.municipality.bfs);
      const departedTo = placeText(event.goesTo) ?? 'unbekannt';
      const ended = await closeResidences(trx, ctx.context, personId, { date: event.departureDate, departedTo, municipalities: [bfs], leavesOffice: !withinOffice });
      await announceRegisterChange(trx, ctx.context, { kind: 'departure', personId, residenceIds: ended, date: event.departureDate, departedTo });
      return [personId];
    }
    case 'changeName':
    case 'correctName':
      return [await change(trx, ctx, event.person, { ...event.names }, event.validFrom, event.type === 'correctName')];
    case 'marriage':
    case 'partnership':
    case 'divorce':
    case 'undoMarriage':
    case 'undoPartnership':
    case 'correctMaritalInfo':
      return [await change(trx, ctx, event.person, { civilStatus: event.civilStatus, civilStatusDate: event.date }, event.date, event.type === 'correctMaritalInfo')];
    case 'changeNationality':
    case 'correctNationality':
      return [await change(trx, ctx, event.person, { nationality: event.nationality }, event.validFrom, event.type === 'correctNationality')];
    case 'naturalizeForeigner': {
      const date = event.validFrom ?? ctx.eventDate;
      const personId = await change(trx, ctx, event.person, { nationality: 'CH', placeOfOrigin: event.placesOfOrigin.join(', ') || null }, date, false);
      // A Swiss citizen holds no permit: the one in force ends, and the key figures stop counting them.
      await endPermitsOnDeparture(trx, ctx.context, personId, date, 'naturalised');
      return [personId];
    }
    case 'death': {
      const personId = await find(trx, ctx, event.person);
      await lockForChange(trx, ctx.tenantId, personId);
      await recordDeath(trx, ctx.context, personId, event.dateOfDeath);
      return [personId];
    }
    case 'changeResidencePermit': {
      const personId = await find(trx, ctx, event.person);
      await lockForChange(trx, ctx.tenantId, personId);
      await takePermit(trx, ctx, personId, event.permit);
      return [personId];
    }
    case 'correctResidencePermit': {
      const personId = await find(trx, ctx, event.person);
      await lockForChange(trx, ctx.tenantId, personId);
      await correctPermit(trx, ctx, personId, event.permit);
      return [personId];
    }
    case 'correctIdentification': {
      // eCH-0020 corrects identifiers only (the person's names and dates have their own events).
      const corrected = event.corrected;
      const personId = await find(trx, ctx, event.person);
      const person = await lockForChange(trx, ctx.tenantId, personId);
      const ahvn13 = corrected.ahvn13 === null ? null : checkedAhvn13(corrected.ahvn13);
      if (ahvn13 !== person.ahvn13) {
        await applyPersonChanges(trx, { tenantId: ctx.tenantId, name: ctx.context.actor.name }, person, { ahvn13 }, ctx.eventDate, true);
        await announceRegisterChange(trx, ctx.context, { kind: 'identity', personId, date: ctx.eventDate, fields: ['ahvn13'], correction: true });
      }
      // The sender's wrong id no longer names this person; the corrected one does.
      await forgetExternalId(trx, ctx.tenantId, personId, event.person.localId);
      await rememberExternalIds(trx, ctx.tenantId, personId, [corrected.localId, ...corrected.otherIds], ctx.ownCategory);
      return [personId];
    }
    case 'correctBirthInfo': {
      const changes: PersonChanges = { dateOfBirth: event.dateOfBirth, placeOfBirth: event.placeOfBirth, countryOfBirth: event.countryOfBirth };
      if (event.sex) changes.sex = event.sex;
      return [await change(trx, ctx, event.person, changes, null, true)];
    }
  }
}

// --- persons -------------------------------------------------------------------------------------

async function find(trx: Trx, ctx: ApplyContext, key: PersonKey): Promise<string> {
  const result = await identifyPerson(trx, ctx.tenantId, identificationOf(key), ctx.ownCategory);
  if (result.kind === 'found') return result.personId;
  if (result.kind === 'ambiguous') throw new AppError(422, 'exchange-ambiguous-person', { count: result.personIds.length, name: nameOf(key), birth: key.dateOfBirth });
  throw new AppError(422, 'exchange-unknown-person', { name: nameOf(key), birth: key.dateOfBirth });
}

function identificationOf(key: PersonKey) {
  return {
    ahvn13: key.ahvn13 === null ? null : normaliseAhvn13(key.ahvn13),
    externalIds: [key.localId, ...key.otherIds],
    officialName: key.officialName,
    firstNames: key.firstNames,
    sex: key.sex,
    dateOfBirth: key.dateOfBirth,
  };
}

function nameOf(key: PersonKey): string {
  return `${key.firstNames} ${key.officialName}`;
}

function checkedAhvn13(value: string): string {
  const ahvn13 = normaliseAhvn13(value);
  if (!ahvn13) throw new AppError(422, 'validation-failed', { summary: `AHV number ${value}` }, { fieldErrors: [{ field: 'vn', message: 'ahvn13-check-digit' }] });
  return ahvn13;
}

/** Identity changes with their history: a change from a date, or a correction of what was recorded. */
async function change(trx: Trx, ctx: ApplyContext, key: PersonKey, changes: PersonChanges, validFrom: string | null, correction: boolean): Promise<string> {
  const personId = await find(trx, ctx, key);
  const person = await lockForChange(trx, ctx.tenantId, personId);
  const date = validFrom ?? ctx.eventDate;
  await applyPersonChanges(trx, { tenantId: ctx.tenantId, name: ctx.context.actor.name }, person, changes, date, correction);
  await announceRegisterChange(trx, ctx.context, { kind: 'identity', personId, date, fields: Object.keys(changes), correction });
  return personId;
}

/** A new person from a full eCH-0020 person; returns their id. */
async function createPerson(trx: Trx, ctx: ApplyContext, data: PersonData): Promise<string> {
  const id = randomUUID();
  const { names } = data;
  await insertPersons(trx, [
    {
      id,
      tenantId: ctx.tenantId,
      ahvn13: data.key.ahvn13 === null ? null : checkedAhvn13(data.key.ahvn13),
      officialName: names.officialName,
      firstNames: names.firstNames,
      callName: names.callName,
      maidenName: names.maidenName,
      nameInForeignPassport: names.nameInForeignPassport,
      allianceName: names.allianceName,
      aliasName: names.aliasName,
      sex: data.key.sex,
      dateOfBirth: data.key.dateOfBirth,
      placeOfBirth: data.placeOfBirth,
      countryOfBirth: data.countryOfBirth,
      nationality: data.nationality,
      placeOfOrigin: data.placesOfOrigin.join(', ') || null,
      civilStatus: data.civilStatus,
      civilStatusDate: data.civilStatusDate,
      religion: data.religion === '000' ? null : data.religion,
      blockingNote: data.blockingNote,
      papersBlock: data.papersBlock,
      dateOfDeath: data.dateOfDeath,
      residences: [],
    },
  ]);
  await rememberExternalIds(trx, ctx.tenantId, id, [data.key.localId, ...data.key.otherIds], ctx.ownCategory);
  return id;
}

/**
 * Move in or birth: the person is found (moving here from another municipality of the office, or
 * known from before) or created; the residence opens; a foreigner's permit is taken over.
 */
async function arrive(trx: Trx, ctx: ApplyContext, data: PersonData, residence: Residence | null): Promise<string> {
  const bfs = residence ? ownMunicipality(ctx, residence.municipality) : null;
  const found = await identifyPerson(trx, ctx.tenantId, identificationOf(data.key), ctx.ownCategory);
  if (found.kind === 'ambiguous') throw new AppError(422, 'exchange-ambiguous-person', { count: found.personIds.length, name: nameOf(data.key), birth: data.key.dateOfBirth });
  let personId: string;
  if (found.kind === 'found') {
    personId = found.personId;
    const here = bfs === null ? undefined : (await residencesOf(trx, personId)).find((r) => r.departure_date === null && r.municipality_bfs === bfs && r.kind === kindOf(residence!));
    if (here) throw new AppError(422, 'exchange-person-exists', { name: nameOf(data.key), municipality: here.municipality_name });
    await lockForChange(trx, ctx.tenantId, personId);
    await rememberExternalIds(trx, ctx.tenantId, personId, [data.key.localId, ...data.key.otherIds], ctx.ownCategory);
  } else {
    personId = await createPerson(trx, ctx, data);
  }
  // The residence first: a permit starts only once the person is registered here.
  const residenceId = residence && bfs !== null ? await openResidence(trx, ctx.context.actor, personId, residenceRow(ctx, bfs, residence)) : null;
  if (data.permit) await takePermit(trx, ctx, personId, data.permit);
  // Announced last, so that the message to partners carries the permit too.
  if (residence && residenceId) await announceRegisterChange(trx, ctx.context, { kind: 'arrival', personId, residenceId, date: residence.arrivalDate });
  return personId;
}

async function applyBaseEntry(trx: Trx, ctx: ApplyContext, entry: BaseDeliveryEntry): Promise<string> {
  const bfs = ownMunicipality(ctx, entry.residence.municipality);
  const found = await identifyPerson(trx, ctx.tenantId, identificationOf(entry.person.key), ctx.ownCategory);
  // A base delivery completes a register: persons already here are matched and left as they are.
  if (found.kind === 'found') {
    await rememberExternalIds(trx, ctx.tenantId, found.personId, [entry.person.key.localId, ...entry.person.key.otherIds], ctx.ownCategory);
    return found.personId;
  }
  if (found.kind === 'ambiguous') throw new AppError(422, 'exchange-ambiguous-person', { count: found.personIds.length, name: nameOf(entry.person.key), birth: entry.person.key.dateOfBirth });
  const personId = await createPerson(trx, ctx, entry.person);
  if (entry.history) {
    await restoreHistory(trx, ctx, personId, entry.history);
  } else {
    await openResidence(trx, ctx.context.actor, personId, residenceRow(ctx, bfs, entry.residence));
    if (entry.person.permit) await takePermit(trx, ctx, personId, entry.person.permit);
  }
  return personId;
}

/** MigraFlow's history extension: residences and permits exactly as the sending office holds them. */
const REGISTRATION_TYPES: readonly string[] = ['settled', 'stay', 'guest', 'private-lodging', 'weekly-commuter', 'self-employed'];
const END_REASONS: readonly string[] = ['revoked', 'category-changed', 'departure', 'death', 'expired', 'naturalised'];
const IMMIGRATION_GROUPS: readonly string[] = ['permanent', 'non-permanent', 'asylum'];

/** The extension's free-text codes must be the register's own: another value is refused in words, not by a database constraint. */
function checkHistory(history: HistoryExtension): void {
  const wrong = [
    ...history.residences.filter((r) => !REGISTRATION_TYPES.includes(r.registrationType)).map((r) => `registrationType ${r.registrationType}`),
    ...history.permits.filter((p) => !(ADMISSION_REASONS as readonly string[]).includes(p.admissionReason)).map((p) => `admissionReason ${p.admissionReason}`),
    ...history.permits.filter((p) => p.endReason !== null && !END_REASONS.includes(p.endReason)).map((p) => `endReason ${p.endReason}`),
    ...history.permits.filter((p) => p.immigrationGroup !== null && !IMMIGRATION_GROUPS.includes(p.immigrationGroup)).map((p) => `immigrationGroup ${p.immigrationGroup}`),
  ];
  if (wrong.length > 0) throw new AppError(422, 'validation-failed', { summary: `history extension: unknown ${wrong.slice(0, 3).join(', ')}` });
}

async function restoreHistory(trx: Trx, ctx: ApplyContext, personId: string, history: HistoryExtension): Promise<void> {
  checkHistory(history);
  for (const residence of history.residences) {
    ownMunicipality(ctx, { bfs: residence.municipalityBfs, name: residence.municipalityName, canton: null });
    await insertResidence(trx, ctx.tenantId, personId, { ...residence, registrationType: residence.registrationType as NewResidence['registrationType'] }, ctx.context.actor.name);
  }
  await restorePermits(trx, ctx.tenantId, personId, history.permits as RecordedPermit[], ctx.context.actor.name);
}

// --- residences and permits --------------------------------------------------------------------

function kindOf(residence: Pick<Residence, 'kind'>): 'main' | 'secondary' {
  return residence.kind === 'main' ? 'main' : 'secondary';
}

/** The municipality must be one of the office's; its name is the office's spelling. */
function ownMunicipality(ctx: ApplyContext, municipality: Municipality): number {
  if (!ctx.municipalities.has(municipality.bfs)) throw new AppError(422, 'exchange-foreign-municipality', { municipality: municipality.name, bfs: municipality.bfs });
  return municipality.bfs;
}

function notResident(key: PersonKey, municipality: Municipality): AppError {
  return new AppError(422, 'exchange-not-resident', { name: nameOf(key), municipality: municipality.name });
}

function residenceRow(ctx: ApplyContext, bfs: number, residence: Residence): NewResidence {
  return {
    kind: kindOf(residence),
    // Main residence: settled (NG § 3); a secondary or other residence: a stay (NG § 5).
    registrationType: residence.kind === 'main' ? 'settled' : 'stay',
    municipalityBfs: bfs,
    municipalityName: ctx.municipalities.get(bfs) ?? residence.municipality.name,
    street: residence.dwelling.street,
    houseNumber: residence.dwelling.houseNumber,
    postalCode: residence.dwelling.postalCode,
    town: residence.dwelling.town,
    egid: residence.dwelling.egid,
    ewid: residence.dwelling.ewid,
    householdId: null,
    arrivalDate: residence.arrivalDate,
    arrivedFrom: placeText(residence.comesFrom),
    // A base delivery also reports residences that have ended.
    departureDate: residence.departureDate,
    departedTo: residence.departureDate === null ? null : placeText(residence.goesTo),
  };
}

/** How a place reads in the register's "arrived from" and "departed to". */
export function placeText(place: Place | null): string | null {
  if (!place || place.kind === 'unknown') return null;
  if (place.kind === 'swiss') return place.municipality.name;
  return place.town ? `${place.town}, ${place.countryName}` : place.countryName;
}

/** A correction of the permit in force (or the last one): replaced as reported, no new permit. */
async function correctPermit(trx: Trx, ctx: ApplyContext, personId: string, permit: PermitData): Promise<void> {
  const category = await categoryOfEchCode(trx, ctx.tenantId, permit.echCode);
  if (!category) throw new AppError(422, 'exchange-unknown-permit', { code: permit.echCode });
  const current = await latestMainPermit(trx, personId);
  if (!current) return takePermit(trx, ctx, personId, permit);
  await correctInTransaction(trx, ctx.context, current.id, { category: category.code, validFrom: permit.validFrom ?? current.valid_from, validUntil: permit.validUntil });
}

/**
 * A permit reported by another register: granted when the person holds none, extended when it is
 * the same category with a later end, changed when the category differs. eCH carries no admission
 * reason; 'other' says so (a caseworker can correct it).
 */
async function takePermit(trx: Trx, ctx: ApplyContext, personId: string, permit: PermitData): Promise<void> {
  const category = await categoryOfEchCode(trx, ctx.tenantId, permit.echCode);
  if (!category) throw new AppError(422, 'exchange-unknown-permit', { code: permit.echCode });
  const validFrom = permit.validFrom ?? ctx.eventDate;
  const reason: AdmissionReason = 'other';
  const current = await latestMainPermit(trx, personId);
  if (!current || !category.isMain) {
    await grantInTransaction(trx, ctx.context, personId, { category: category.code, admissionReason: reason, validFrom, validUntil: permit.validUntil });
  } else if (current.category === category.code) {
    if (permit.validUntil !== null && current.valid_until !== null && permit.validUntil > current.valid_until) await extendInTransaction(trx, ctx.context, current.id, null, permit.validUntil);
  } else {
    await changeCategoryInTransaction(trx, ctx.context, current.id, null, { category: category.code, admissionReason: reason, validFrom, validUntil: permit.validUntil });
  }
}
