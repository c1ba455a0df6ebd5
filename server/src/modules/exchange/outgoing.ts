import type { Db, Trx } from '../../platform/db/transaction.js';
import { externalIdsOf, residenceToNew, type PersonRow, type ResidenceRow } from '../register/index.js';
import { echCodesOfCategories, permitRowsOfPersons } from '../permits/index.js';
import type { CountryList } from './rules/codes.js';
import type { BaseDeliveryEntry, Dwelling, ExternalId, HistoryExtension, Municipality, PermitData, PersonData, PersonKey, Place, Residence } from './rules/events.js';

/**
 * The register's rows as eCH-0020 values, for the outbox and the base-delivery export. Reads in
 * sets (one query per kind of row for a whole page of persons), never one query per person.
 */

export interface OfficeCodes {
  ownCategory: string;
  /** The office's municipalities: BFS number → name (to name places in the canton). */
  municipalities: ReadonlyMap<number, string>;
  canton: string | null;
  /** Permit category → eCH-0006 code. */
  echCodes: ReadonlyMap<string, string>;
  countries: CountryList;
}

export async function officeCodes(db: Db | Trx, tenantId: string, ownCategory: string, municipalities: ReadonlyMap<number, string>, countries: CountryList): Promise<OfficeCodes> {
  const tenant = await db.selectFrom('tenants').select(['region', 'country']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  return { ownCategory, municipalities, canton: tenant.country === 'CH' ? tenant.region : null, echCodes: await echCodesOfCategories(db, tenantId), countries };
}

export function personKeyOf(codes: OfficeCodes, person: PersonRow, externalIds: ExternalId[]): PersonKey {
  return {
    ahvn13: person.ahvn13,
    localId: { category: codes.ownCategory, id: person.id },
    otherIds: externalIds,
    officialName: person.official_name,
    firstNames: person.first_names,
    originalName: person.maiden_name,
    sex: person.sex,
    dateOfBirth: person.date_of_birth,
  };
}

export function municipalityOf(codes: OfficeCodes, bfs: number, name: string): Municipality {
  return { bfs, name, canton: codes.canton };
}

/** A place named in free text ('Kriens', 'Deutschland'): a municipality of the office, a country, or unknown. */
export function placeOfText(codes: OfficeCodes, text: string | null): Place {
  if (!text) return { kind: 'unknown' };
  for (const [bfs, name] of codes.municipalities) if (name === text) return { kind: 'swiss', municipality: municipalityOf(codes, bfs, name) };
  for (const country of codes.countries.byIso.values()) if (country.name === text) return { kind: 'foreign', country: country.iso2, countryName: country.name, town: null };
  return { kind: 'unknown' };
}

export function dwellingOf(residence: ResidenceRow, movingDate: string | null = null): Dwelling {
  return {
    egid: residence.egid,
    ewid: residence.ewid,
    street: residence.street,
    houseNumber: residence.house_number,
    // eCH-0010 requires a Swiss postal code and a town; the municipality stands in when unknown.
    postalCode: residence.postal_code ?? '0000',
    town: residence.town ?? residence.municipality_name,
    movingDate,
  };
}

export function residenceOf(codes: OfficeCodes, residence: ResidenceRow): Residence {
  return {
    kind: residence.kind,
    municipality: municipalityOf(codes, residence.municipality_bfs, residence.municipality_name),
    arrivalDate: residence.arrival_date,
    comesFrom: placeOfText(codes, residence.arrived_from),
    dwelling: dwellingOf(residence),
    departureDate: residence.departure_date,
    goesTo: residence.departure_date === null ? null : placeOfText(codes, residence.departed_to),
  };
}

type PermitRow = Awaited<ReturnType<typeof permitRowsOfPersons>>[number];

/** The main permit in force (or the last one), as eCH-0011 residencePermitData. */
export function permitDataOf(codes: OfficeCodes, permits: PermitRow[], today: string): PermitData | null {
  const main = permits.filter((p) => p.is_main && codes.echCodes.has(p.category));
  const current = main.find((p) => p.ended_on === null && p.valid_from <= today && (p.valid_until === null || p.valid_until >= today)) ?? main.at(-1);
  if (!current) return null;
  return { echCode: codes.echCodes.get(current.category)!, validFrom: current.valid_from, validUntil: current.valid_until, entryDate: null };
}

export function personDataOf(codes: OfficeCodes, person: PersonRow, externalIds: ExternalId[], permits: PermitRow[], today: string): PersonData {
  const swiss = person.nationality === 'CH';
  return {
    key: personKeyOf(codes, person, externalIds),
    names: {
      officialName: person.official_name,
      firstNames: person.first_names,
      callName: person.call_name,
      maidenName: person.maiden_name,
      allianceName: person.alliance_name,
      aliasName: person.alias_name,
      nameInForeignPassport: person.name_in_foreign_passport,
    },
    placeOfBirth: person.place_of_birth,
    countryOfBirth: person.country_of_birth,
    civilStatus: person.civil_status,
    civilStatusDate: person.civil_status_date,
    nationality: person.nationality,
    placesOfOrigin: swiss && person.place_of_origin ? person.place_of_origin.split(', ').map((place) => withCanton(codes, place)) : [],
    permit: swiss ? null : permitDataOf(codes, permits, today),
    // eCH requires a religion; the register's "not recorded" is the BFS code for unknown.
    religion: person.religion ?? '000',
    dateOfDeath: person.date_of_death,
    blockingNote: person.blocking_note,
    papersBlock: person.papers_block,
  };
}

/**
 * eCH-0011 needs the canton of a place of origin ('Kriens LU'). A place recorded without one that
 * is a municipality of the office gets the office's canton; any other stays as it is, and the
 * writer refuses it rather than guess.
 */
export function withCanton(codes: OfficeCodes, place: string): string {
  if (/\s[A-Z]{2}$|\([A-Z]{2}\)$/.test(place) || !codes.canton) return place;
  return [...codes.municipalities.values()].includes(place) ? `${place} ${codes.canton}` : place;
}

function historyOf(residences: ResidenceRow[], permits: PermitRow[]): HistoryExtension {
  return {
    // The register's rows as they are: MigraFlow's history extension carries NewResidence unchanged.
    residences: residences.map(residenceToNew),
    permits: permits.map((p) => ({
      category: p.category,
      admissionReason: p.admission_reason,
      validFrom: p.valid_from,
      validUntil: p.valid_until,
      controlDate: p.control_date,
      endedOn: p.ended_on,
      endReason: p.end_reason,
      conditions: p.conditions,
      cardNumber: p.card_number,
      lStayStart: p.l_stay_start,
      immigrationGroup: p.immigration_group,
    })),
  };
}

/**
 * Base-delivery entries for a page of persons: the current (or last) residence in the standard
 * part, and the whole history in MigraFlow's extension. Persons without any residence are left
 * out (eCH-0020 reports residents).
 */
export async function baseDeliveryEntries(db: Db | Trx, codes: OfficeCodes, persons: PersonRow[], today: string): Promise<BaseDeliveryEntry[]> {
  const ids = persons.map((p) => p.id);
  if (ids.length === 0) return [];
  const [residences, permits, externalIds] = await Promise.all([
    db.selectFrom('residences').selectAll().where('person_id', 'in', ids).where('superseded_at', 'is', null).orderBy('person_id').orderBy('arrival_date').orderBy('recorded_at').execute(),
    permitRowsOfPersons(db, ids),
    externalIdsOf(db, ids),
  ]);
  const residencesOf = groupBy(residences, (r) => r.person_id);
  const permitsOf = groupBy(permits, (p) => p.person_id);
  const entries: BaseDeliveryEntry[] = [];
  for (const person of persons) {
    const own = residencesOf.get(person.id) ?? [];
    const shown = own.filter((r) => r.kind === 'main' && r.departure_date === null).at(-1) ?? own.filter((r) => r.departure_date === null).at(-1) ?? own.at(-1);
    if (!shown) continue;
    const personPermits = permitsOf.get(person.id) ?? [];
    entries.push({
      person: personDataOf(codes, person, externalIds.get(person.id) ?? [], personPermits, today),
      residence: residenceOf(codes, shown),
      validFrom: null,
      history: historyOf(own, personPermits),
    });
  }
  return entries;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
