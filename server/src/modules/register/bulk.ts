import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { DepositedPapersTable, PersonRelationsTable, TenancyReportsTable } from '../../platform/db/tables.js';
import type { GeneratedPerson } from './generator/index.js';
import { insertPersons, type NewPerson } from './repository.js';

/** A generated person as a register record of `tenantId`. */
export function fromGenerated(tenantId: string, generated: GeneratedPerson): NewPerson {
  return {
    id: randomUUID(),
    tenantId,
    ahvn13: generated.ahvn13,
    officialName: generated.officialName,
    firstNames: generated.firstNames,
    callName: generated.callName,
    maidenName: generated.maidenName,
    nameInForeignPassport: generated.nameInForeignPassport,
    sex: generated.sex,
    dateOfBirth: generated.dateOfBirth,
    placeOfBirth: generated.placeOfBirth,
    countryOfBirth: generated.countryOfBirth,
    nationality: generated.nationality,
    placeOfOrigin: generated.placeOfOrigin,
    civilStatus: generated.civilStatus,
    civilStatusDate: generated.civilStatusDate,
    religion: generated.religion,
    residences: generated.residences.map((r) => ({ ...r })),
  };
}

/**
 * Loads generated persons in batches, one transaction per batch, so that millions of rows stream
 * through constant memory. Returns the number loaded.
 */
export async function bulkLoadPersons(db: Db, tenantId: string, persons: Iterable<GeneratedPerson>, batchSize = 1000): Promise<number> {
  let batch: NewPerson[] = [];
  let loaded = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await inTransaction(db, (trx) => insertPersons(trx, rows, rows.length));
    loaded += rows.length;
  };
  for (const person of persons) {
    batch.push(fromGenerated(tenantId, person));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return loaded;
}

const PAPER_BY_NATIONALITY = (nationality: string): { kind: 'passport' | 'heimatschein'; designation: string } =>
  nationality === 'CH' ? { kind: 'heimatschein', designation: 'Heimatschein' } : { kind: 'passport', designation: `Reisepass ${nationality}` };

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The register around the persons of a demo load: spouses and children from the households, the
 * papers each resident deposited on arrival (and got back on departure), and a few landlord
 * reports for the reconciliation list. Deterministic for the same persons.
 */
export async function loadRegisterExtras(trx: Trx, tenantId: string, persons: NewPerson[], generated: GeneratedPerson[], referenceDate: string): Promise<void> {
  const households = new Map<number, { person: NewPerson; source: GeneratedPerson }[]>();
  persons.forEach((person, index) => {
    const source = generated[index]!;
    const members = households.get(source.householdKey) ?? [];
    members.push({ person, source });
    households.set(source.householdKey, members);
  });
  const relations: Insertable<PersonRelationsTable>[] = [];
  const adultBy = `${Number(referenceDate.slice(0, 4)) - 18}${referenceDate.slice(4)}`;
  for (const members of households.values()) {
    const adults = members.filter((m) => m.source.dateOfBirth <= adultBy);
    const children = members.filter((m) => m.source.dateOfBirth > adultBy);
    const spouses = adults.filter((m) => m.source.civilStatus === 'married' || m.source.civilStatus === 'registered-partnership');
    if (spouses.length === 2) {
      const [a, b] = spouses as [(typeof spouses)[0], (typeof spouses)[0]];
      const kind = a.source.civilStatus === 'married' ? 'spouse' : 'registered-partner';
      relations.push({ tenant_id: tenantId, person_id: a.person.id, related_person_id: b.person.id, kind, valid_from: a.source.civilStatusDate });
      relations.push({ tenant_id: tenantId, person_id: b.person.id, related_person_id: a.person.id, kind, valid_from: b.source.civilStatusDate });
    }
    for (const parent of adults.slice(0, 2)) {
      for (const child of children) relations.push({ tenant_id: tenantId, person_id: parent.person.id, related_person_id: child.person.id, kind: 'child', custody: true });
    }
  }
  if (relations.length > 0) await trx.insertInto('person_relations').values(relations).execute();

  const papers: Insertable<DepositedPapersTable>[] = [];
  let receipt = 0;
  for (const person of persons) {
    const first = person.residences[0];
    if (!first || person.dateOfBirth > adultBy) continue;
    const last = person.residences[person.residences.length - 1]!;
    const paper = PAPER_BY_NATIONALITY(person.nationality);
    papers.push({
      tenant_id: tenantId,
      person_id: person.id,
      municipality_bfs: last.municipalityBfs,
      receipt_number: ++receipt,
      kind: paper.kind,
      designation: paper.designation,
      number: paper.kind === 'passport' ? `${person.nationality}${String(100000 + receipt * 7919).slice(-7)}` : null,
      issuing_country: paper.kind === 'passport' ? (person.nationality.length === 2 && !['XS', 'XX'].includes(person.nationality) ? person.nationality : 'CH') : 'CH',
      valid_until: paper.kind === 'passport' ? addDays(last.arrivalDate, 3650) : null,
      deposited_on: addDays(last.arrivalDate, 5),
      fee_chf: '30.00',
      returned_on: last.departureDate,
      returned_by: last.departureDate ? 'demo' : null,
    });
  }
  // A deposit after the departure would be impossible: those are left out.
  const valid = papers.filter((p) => !p.returned_on || (p.returned_on as string) >= (p.deposited_on as string));
  for (let start = 0; start < valid.length; start += 500) await trx.insertInto('deposited_papers').values(valid.slice(start, start + 500)).execute();

  const residents = persons.filter((p) => p.residences.at(-1)?.departureDate === null && p.residences.at(-1)?.egid);
  const reports: Insertable<TenancyReportsTable>[] = [
    { officialName: 'Berisha', firstNames: 'Valon', start: -60 },
    { officialName: 'Santos Ferreira', firstNames: 'Joana', start: -30 },
    { officialName: 'Schneider', firstNames: 'Lukas', start: -3 },
  ].map((r, i) => {
    const home = residents[i * 7]?.residences.at(-1);
    return {
      tenant_id: tenantId,
      municipality_bfs: home?.municipalityBfs ?? 1061,
      reporter_kind: 'landlord',
      reporter_name: 'Wohnbaugenossenschaft Pilatus',
      official_name: r.officialName,
      first_names: r.firstNames,
      street: home?.street ?? null,
      house_number: home?.houseNumber ?? null,
      egid: home?.egid ?? null,
      ewid: (home?.ewid ?? 0) + 1,
      lease_start: addDays(referenceDate, r.start),
      received_on: addDays(referenceDate, r.start + 2),
    };
  });
  for (const resident of residents.slice(1, 3)) {
    const home = resident.residences.at(-1)!;
    reports.push({
      tenant_id: tenantId,
      municipality_bfs: home.municipalityBfs,
      reporter_kind: 'landlord',
      reporter_name: 'Immobilien Luzern AG',
      official_name: resident.officialName,
      first_names: resident.firstNames,
      street: home.street,
      house_number: home.houseNumber,
      egid: home.egid,
      ewid: home.ewid,
      lease_start: home.arrivalDate,
      lease_end: addDays(referenceDate, -20),
      received_on: addDays(referenceDate, -18),
    });
  }
  await trx.insertInto('tenancy_reports').values(reports).execute();
}
