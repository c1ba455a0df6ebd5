import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import type { PersonAspect } from '../../src/platform/db/tables.js';
import type { ExchangeTables } from '../../src/modules/exchange/repository.js';
import type { Header, PersonData, PersonKey, RegisterEvent } from '../../src/modules/exchange/rules/events.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import { ahvn13, key, KRIENS_MUNICIPALITY, KRIENS_REGISTER, kriensDwelling, kriensResidence, LUZERN_MUNICIPALITY, message, personData, residenceIn, swissPersonData } from '../support/ech.js';

/**
 * Every eCH-0020 event the inbox applies (issue 7), each as a realistic message from the Kriens
 * register, with the register rows it must leave: persons, the valid-time history of names, civil
 * status and nationality, residences, permits and the sender's ids. All dates lie in the past, so
 * the persons row shows what the history says is valid today.
 */
describe.each(DATABASE_KINDS)('eCH-0020 events applied to the register on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let office: TestTenant;
  let admin: Session;
  let partnerToken = '';
  let serial = 100;

  const exchange = () => database.db.withTables<ExchangeTables>();

  async function send(xml: string): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${partnerToken}`, 'content-type': 'application/xml', 'accept-language': 'en' } });
  }

  /** A new person's eCH-0044 key: own AHV number (unless told otherwise) and own Kriens person id. */
  function newKey(overrides: Partial<PersonKey> = {}): PersonKey {
    serial += 1;
    return key({ ahvn13: ahvn13(serial), localId: { category: 'LU.1059', id: `k-${serial}` }, ...overrides });
  }

  interface Applied {
    inboxId: string;
    messageId: string;
    personIds: string[];
  }

  /**
   * Sends the event; it must be applied, with exactly one exchange.apply audit row and the inbox
   * row naming the persons it touched.
   */
  async function apply(event: RegisterEvent, overrides: Partial<Header> = {}): Promise<Applied> {
    const { xml, messageId } = message(event, { eventDate: '2025-06-01', messageDate: '2025-06-02T08:00:00', ...overrides });
    const response = await send(xml);
    expect(response.statusCode, response.body).toBe(202);
    const body = response.json<{ outcome: string; inboxId: string; personIds: string[]; eventType: string; eventCount: number }>();
    expect(body).toMatchObject({ outcome: 'applied', messageId, senderId: KRIENS_REGISTER, eventType: event.type, eventCount: event.type === 'baseDelivery' ? event.entries.length : 1 });
    await expectAudited(body.inboxId, messageId, event.type, body.personIds);
    return { inboxId: body.inboxId, messageId, personIds: body.personIds };
  }

  async function expectAudited(inboxId: string, messageId: string, eventType: string, personIds: string[]): Promise<void> {
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'entity_id', 'details', 'actor_kind'])
      .where('action', '=', 'exchange.apply')
      .where(sql<string>`details->>'inboxId'`, '=', inboxId)
      .execute();
    expect(audits).toHaveLength(1);
    const single = personIds.length === 1;
    expect(audits[0]).toMatchObject({
      entity_type: single ? 'person' : 'exchange-message',
      entity_id: single ? personIds[0] : inboxId,
      actor_kind: 'token',
      details: { inboxId, messageId, senderId: KRIENS_REGISTER, event: eventType, channel: 'http', persons: personIds.length, results: personIds },
    });
    const row = await exchange().selectFrom('exchange_inbox').select(['status', 'person_ids', 'event_type', 'reason_code', 'message_id', 'sender_id']).where('id', '=', inboxId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'applied', person_ids: personIds, event_type: eventType, reason_code: null, message_id: messageId, sender_id: KRIENS_REGISTER });
  }

  /** A person moved into Kriens (a foreigner with a B permit unless told otherwise); returns their id. */
  async function moveIn(data: PersonData, arrivalDate = '2024-03-01'): Promise<string> {
    const { personIds } = await apply({ type: 'moveIn', person: data, residence: kriensResidence(arrivalDate) });
    expect(personIds).toHaveLength(1);
    return personIds[0]!;
  }

  async function personRow(id: string) {
    return database.db
      .selectFrom('persons')
      .select([
        'tenant_id',
        'ahvn13',
        'official_name',
        'first_names',
        'call_name',
        'maiden_name',
        'alliance_name',
        'alias_name',
        'name_in_foreign_passport',
        'sex',
        'date_of_birth',
        'place_of_birth',
        'country_of_birth',
        'nationality',
        'place_of_origin',
        'civil_status',
        'civil_status_date',
        'religion',
        'date_of_death',
        'blocking_note',
        'papers_block',
        'merged_into',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  async function residencesOf(id: string) {
    return database.db
      .selectFrom('residences')
      .select(['kind', 'registration_type', 'municipality_bfs', 'municipality_name', 'street', 'house_number', 'postal_code', 'town', 'egid', 'ewid', 'arrival_date', 'arrived_from', 'departure_date', 'departed_to'])
      .where('person_id', '=', id)
      .where('superseded_at', 'is', null)
      .orderBy('arrival_date')
      .orderBy('recorded_at')
      .execute();
  }

  async function permitsOf(id: string) {
    return database.db
      .selectFrom('permits')
      .select(['category', 'is_main', 'admission_reason', 'valid_from', 'valid_until', 'control_date', 'ended_on', 'end_reason'])
      .where('person_id', '=', id)
      .orderBy('valid_from')
      .orderBy('created_at')
      .execute();
  }

  async function permitEventsOf(id: string): Promise<string[]> {
    const rows = await database.db.selectFrom('permit_events as e').innerJoin('permits as p', 'p.id', 'e.permit_id').select('e.event').where('p.person_id', '=', id).orderBy('e.recorded_at').execute();
    return rows.map((row) => row.event);
  }

  /** The valid-time history of one aspect as it stands (superseded rows left out). */
  async function historyOf(id: string, aspect: PersonAspect) {
    return database.db.selectFrom('person_versions').select(['valid_from', 'valid_to', 'data', 'reason']).where('person_id', '=', id).where('aspect', '=', aspect).where('superseded_at', 'is', null).orderBy('valid_from').execute();
  }

  async function versionCount(id: string): Promise<number> {
    const rows = await database.db.selectFrom('person_versions').select('id').where('person_id', '=', id).execute();
    return rows.length;
  }

  async function externalIdsOf(id: string) {
    return database.db.selectFrom('person_external_ids').select(['category', 'external_id']).where('person_id', '=', id).orderBy('category').orderBy('external_id').execute();
  }

  async function personsNamed(officialName: string, firstNames: string): Promise<string[]> {
    const rows = await database.db.selectFrom('persons').select('id').where('tenant_id', '=', office.id).where('official_name', '=', officialName).where('first_names', '=', firstNames).execute();
    return rows.map((row) => row.id);
  }

  /** The name fields of eCH-0011 nameData as the register keeps them in a version. */
  function names(officialName: string, firstNames: string, more: Partial<Record<'callName' | 'maidenName' | 'allianceName' | 'aliasName' | 'nameInForeignPassport', string | null>> = {}) {
    return { officialName, firstNames, callName: null, maidenName: null, allianceName: null, aliasName: null, nameInForeignPassport: null, ...more };
  }

  const B_PERMIT = { echCode: '02', validFrom: '2024-03-01', validUntil: '2029-02-28', entryDate: '2024-02-27' };
  const KRIENS_ADDRESS = { municipality_bfs: 1059, municipality_name: 'Kriens', street: 'Luzernerstrasse', house_number: '21', postal_code: '6010', town: 'Kriens', egid: 190_100_001, ewid: 3 };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    office = await createTenant(database.db, 'office-events');
    await createTestUser(database.db, office, 'events-admin', 'admin');
    admin = await signIn(app, 'events-admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/exchange/partners',
      payload: { name: 'Einwohnerkontrolle Kriens (Fachanwendung)', participantId: KRIENS_REGISTER, transport: 'none', events: [] },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    });
    expect(created.statusCode, created.body).toBe(201);
    partnerToken = created.json<{ inboundToken: string }>().inboundToken;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  // --- arrivals ----------------------------------------------------------------------------------

  it('baseDelivery: creates each person with residence and permit, and leaves a person already in the register as it is', async () => {
    const known = newKey({ officialName: 'Bucher', firstNames: 'Karin', dateOfBirth: '1970-01-15' });
    const knownId = await moveIn(personData(known), '2023-05-01');
    const knownResidences = await residencesOf(knownId);

    const brunner = newKey({ officialName: 'Brunner', firstNames: 'Lukas Peter', sex: 'm', dateOfBirth: '1975-08-30' });
    const silva = newKey({ ahvn13: null, officialName: 'Silva', firstNames: 'Ana', dateOfBirth: '1988-02-14' });
    const applied = await apply({
      type: 'baseDelivery',
      entries: [
        {
          person: swissPersonData(brunner, ['Luzern LU'], { civilStatus: 'married', civilStatusDate: '2003-07-12', names: { ...names('Brunner', 'Lukas Peter'), callName: 'Luki' } }),
          residence: residenceIn(1061, 'Luzern', '2001-05-01', { comesFrom: { kind: 'swiss', municipality: { bfs: 261, name: 'Zürich', canton: 'ZH' } } }),
          validFrom: '2025-01-01',
          history: null,
        },
        {
          person: personData(silva, { placeOfBirth: 'Lisboa', permit: { echCode: '02', validFrom: '2024-09-01', validUntil: '2029-08-31', entryDate: null } }),
          residence: kriensResidence('2019-09-01', { comesFrom: { kind: 'foreign', country: 'PT', countryName: 'Portugal', town: 'Lisboa' } }),
          validFrom: '2025-01-01',
          history: null,
        },
        { person: personData(known), residence: kriensResidence('2023-05-01'), validFrom: '2025-01-01', history: null },
      ],
    });
    expect(applied.personIds).toHaveLength(3);
    const [brunnerId, silvaId, matchedId] = applied.personIds as [string, string, string];
    expect(matchedId).toBe(knownId);

    expect(await personRow(brunnerId)).toEqual({
      tenant_id: office.id,
      ahvn13: brunner.ahvn13,
      official_name: 'Brunner',
      first_names: 'Lukas Peter',
      call_name: 'Luki',
      maiden_name: null,
      alliance_name: null,
      alias_name: null,
      name_in_foreign_passport: null,
      sex: 'm',
      date_of_birth: '1975-08-30',
      place_of_birth: 'Luzern',
      country_of_birth: 'CH',
      nationality: 'CH',
      place_of_origin: 'Luzern LU',
      civil_status: 'married',
      civil_status_date: '2003-07-12',
      religion: '121',
      date_of_death: null,
      blocking_note: false,
      papers_block: false,
      merged_into: null,
    });
    expect(await residencesOf(brunnerId)).toEqual([
      { kind: 'main', registration_type: 'settled', municipality_bfs: 1061, municipality_name: 'Luzern', street: 'Obergrundstrasse', house_number: '12', postal_code: '6003', town: 'Luzern', egid: 190_000_001, ewid: 2, arrival_date: '2001-05-01', arrived_from: 'Zürich', departure_date: null, departed_to: null },
    ]);
    expect(await permitsOf(brunnerId)).toEqual([]);
    expect(await externalIdsOf(brunnerId)).toEqual([{ category: 'LU.1059', external_id: brunner.localId.id }]);

    expect(await personRow(silvaId)).toMatchObject({ ahvn13: null, official_name: 'Silva', first_names: 'Ana', sex: 'f', date_of_birth: '1988-02-14', place_of_birth: 'Lisboa', country_of_birth: 'PT', nationality: 'PT', place_of_origin: null, civil_status: 'single' });
    expect(await residencesOf(silvaId)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2019-09-01', arrived_from: 'Lisboa, Portugal', departure_date: null, departed_to: null }]);
    expect(await permitsOf(silvaId)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-09-01', valid_until: '2029-08-31', control_date: null, ended_on: null, end_reason: null }]);

    // The person the register already had: nothing added, nothing changed.
    expect(await residencesOf(knownId)).toEqual(knownResidences);
    expect(await permitsOf(knownId)).toHaveLength(1);
    expect(await personsNamed('Bucher', 'Karin')).toEqual([knownId]);
  });

  it('baseDelivery: a person reported with a departure date is not registered as still living there', async () => {
    const left = newKey({ officialName: 'Fischer', firstNames: 'Beat', sex: 'm', dateOfBirth: '1966-03-03' });
    const { personIds } = await apply({
      type: 'baseDelivery',
      entries: [
        {
          person: swissPersonData(left, ['Kriens LU']),
          residence: kriensResidence('2010-04-01', { comesFrom: null, departureDate: '2024-12-31', goesTo: { kind: 'swiss', municipality: { bfs: 351, name: 'Bern', canton: 'BE' } } }),
          validFrom: '2025-01-01',
          history: null,
        },
      ],
    });
    expect(await residencesOf(personIds[0]!)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2010-04-01', arrived_from: null, departure_date: '2024-12-31', departed_to: 'Bern' }]);
  });

  it('moveIn: a foreigner arriving from abroad gets the person, the residence, the permit and the sender’s id', async () => {
    const who = newKey({ officialName: 'Costa', firstNames: 'Rui Miguel', sex: 'm', dateOfBirth: '1992-11-05', originalName: null });
    const data = personData(who, { names: { ...names('Costa', 'Rui Miguel'), nameInForeignPassport: 'COSTA, RUI MIGUEL' }, placeOfBirth: 'Braga', religion: '111', permit: B_PERMIT, papersBlock: true });
    const id = await moveIn(data);
    expect(await personRow(id)).toEqual({
      tenant_id: office.id,
      ahvn13: who.ahvn13,
      official_name: 'Costa',
      first_names: 'Rui Miguel',
      call_name: null,
      maiden_name: null,
      alliance_name: null,
      alias_name: null,
      name_in_foreign_passport: 'COSTA, RUI MIGUEL',
      sex: 'm',
      date_of_birth: '1992-11-05',
      place_of_birth: 'Braga',
      country_of_birth: 'PT',
      nationality: 'PT',
      place_of_origin: null,
      civil_status: 'single',
      civil_status_date: null,
      religion: '111',
      date_of_death: null,
      blocking_note: false,
      papers_block: true,
      merged_into: null,
    });
    expect(await residencesOf(id)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: null, departed_to: null }]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: null, end_reason: null }]);
    expect(await externalIdsOf(id)).toEqual([{ category: 'LU.1059', external_id: who.localId.id }]);
    expect(await versionCount(id)).toBe(0);
  });

  it('birth: a Swiss child gets a main residence from the day of birth and the place of origin, no permit', async () => {
    const child = newKey({ ahvn13: null, officialName: 'Amstutz', firstNames: 'Lea', dateOfBirth: '2025-04-02' });
    const { personIds } = await apply({ type: 'birth', person: swissPersonData(child, ['Kriens LU']), residence: residenceIn(1061, 'Luzern', '2025-04-02', { comesFrom: null }) });
    const id = personIds[0]!;
    expect(await personRow(id)).toMatchObject({ ahvn13: null, official_name: 'Amstutz', first_names: 'Lea', sex: 'f', date_of_birth: '2025-04-02', place_of_birth: 'Luzern', country_of_birth: 'CH', nationality: 'CH', place_of_origin: 'Kriens LU', civil_status: 'single', date_of_death: null });
    expect(await residencesOf(id)).toEqual([
      { kind: 'main', registration_type: 'settled', municipality_bfs: 1061, municipality_name: 'Luzern', street: 'Obergrundstrasse', house_number: '12', postal_code: '6003', town: 'Luzern', egid: 190_000_001, ewid: 2, arrival_date: '2025-04-02', arrived_from: null, departure_date: null, departed_to: null },
    ]);
    expect(await permitsOf(id)).toEqual([]);
    expect(await externalIdsOf(id)).toEqual([{ category: 'LU.1059', external_id: child.localId.id }]);
  });

  it('birth: a foreign child gets the permit the message carries', async () => {
    const child = newKey({ ahvn13: null, officialName: 'Ferreira', firstNames: 'Tiago', sex: 'm', dateOfBirth: '2025-05-20' });
    const { personIds } = await apply({
      type: 'birth',
      person: personData(child, { placeOfBirth: 'Luzern', countryOfBirth: 'CH', permit: { echCode: '02', validFrom: '2025-05-20', validUntil: '2030-05-19', entryDate: null } }),
      residence: kriensResidence('2025-05-20', { comesFrom: null }),
    });
    const id = personIds[0]!;
    expect(await personRow(id)).toMatchObject({ nationality: 'PT', date_of_birth: '2025-05-20', place_of_birth: 'Luzern', country_of_birth: 'CH' });
    expect(await residencesOf(id)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2025-05-20', arrived_from: null, departure_date: null, departed_to: null }]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2025-05-20', valid_until: '2030-05-19', control_date: null, ended_on: null, end_reason: null }]);
  });

  // --- moves -------------------------------------------------------------------------------------

  it('move: the old address ends on the moving day and the new one starts then; the permit is untouched', async () => {
    const who = newKey({ officialName: 'Gashi', firstNames: 'Arben', sex: 'm', dateOfBirth: '1983-06-01' });
    const id = await moveIn(personData(who, { permit: B_PERMIT }));
    await apply({ type: 'move', person: who, municipality: KRIENS_MUNICIPALITY, dwelling: kriensDwelling({ street: 'Schachenstrasse', houseNumber: '5b', egid: 190_100_099, ewid: 11, movingDate: '2025-02-01' }) });
    expect(await residencesOf(id)).toEqual([
      { kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: '2025-02-01', departed_to: 'Kriens' },
      { kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, street: 'Schachenstrasse', house_number: '5b', egid: 190_100_099, ewid: 11, arrival_date: '2025-02-01', arrived_from: 'Kriens', departure_date: null, departed_to: null },
    ]);
    expect(await permitsOf(id)).toMatchObject([{ category: 'B', valid_until: '2029-02-28', ended_on: null }]);
  });

  it('moveOut abroad: the residence ends on the departure day and the permits end by departure', async () => {
    const who = newKey({ officialName: 'Schmidt', firstNames: 'Jonas', sex: 'm', dateOfBirth: '1991-01-20' });
    const id = await moveIn(personData(who, { nationality: 'DE', placeOfBirth: 'Berlin', countryOfBirth: 'DE', permit: B_PERMIT }));
    await apply({ type: 'moveOut', person: who, municipality: KRIENS_MUNICIPALITY, departureDate: '2025-06-30', goesTo: { kind: 'foreign', country: 'DE', countryName: 'Deutschland', town: 'Berlin' } });
    expect(await residencesOf(id)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: '2025-06-30', departed_to: 'Berlin, Deutschland' }]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: '2025-06-30', end_reason: 'departure' }]);
    expect(await permitEventsOf(id)).toEqual(['granted', 'ended-departure']);
  });

  it('moveOut to another municipality of the same office: the residence ends, the permit stays; the move-in there opens the new residence', async () => {
    const who = newKey({ officialName: 'Krasniqi', firstNames: 'Drita', dateOfBirth: '1987-09-09' });
    const data = personData(who, { nationality: 'IT', placeOfBirth: 'Milano', countryOfBirth: 'IT', permit: B_PERMIT });
    const id = await moveIn(data);
    await apply({ type: 'moveOut', person: who, municipality: KRIENS_MUNICIPALITY, departureDate: '2025-06-30', goesTo: { kind: 'swiss', municipality: LUZERN_MUNICIPALITY } });
    expect(await residencesOf(id)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: '2025-06-30', departed_to: 'Luzern' }]);
    expect(await permitsOf(id)).toMatchObject([{ category: 'B', valid_until: '2029-02-28', ended_on: null, end_reason: null }]);

    const arrived = await apply({ type: 'moveIn', person: data, residence: residenceIn(1061, 'Luzern', '2025-07-01', { comesFrom: { kind: 'swiss', municipality: KRIENS_MUNICIPALITY } }) });
    expect(arrived.personIds).toEqual([id]);
    expect(await residencesOf(id)).toEqual([
      { kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: '2025-06-30', departed_to: 'Luzern' },
      { kind: 'main', registration_type: 'settled', municipality_bfs: 1061, municipality_name: 'Luzern', street: 'Obergrundstrasse', house_number: '12', postal_code: '6003', town: 'Luzern', egid: 190_000_001, ewid: 2, arrival_date: '2025-07-01', arrived_from: 'Kriens', departure_date: null, departed_to: null },
    ]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: null, end_reason: null }]);
    expect(await personsNamed('Krasniqi', 'Drita')).toEqual([id]);
  });

  // --- names ---------------------------------------------------------------------------------------

  it('changeName: the new name holds from its date, the old one until then', async () => {
    const who = newKey({ officialName: 'Muster', firstNames: 'Anna', dateOfBirth: '1990-04-12' });
    const id = await moveIn(personData(who));
    await apply({ type: 'changeName', person: who, names: names('Keller', 'Anna', { maidenName: 'Muster' }), validFrom: '2025-05-10' });
    expect(await historyOf(id, 'name')).toEqual([
      { valid_from: '1990-04-12', valid_to: '2025-05-10', data: names('Muster', 'Anna'), reason: 'change' },
      { valid_from: '2025-05-10', valid_to: null, data: names('Keller', 'Anna', { maidenName: 'Muster' }), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ official_name: 'Keller', first_names: 'Anna', maiden_name: 'Muster' });
    expect(await historyOf(id, 'civil-status')).toEqual([]);
  });

  it('correctName: the wrongly recorded name is replaced for its whole period', async () => {
    const who = newKey({ officialName: 'Mueller', firstNames: 'Juerg', sex: 'm', dateOfBirth: '1979-12-01' });
    const id = await moveIn(personData(who, { nationality: 'AT', placeOfBirth: 'Wien', countryOfBirth: 'AT' }));
    await apply({ type: 'correctName', person: who, names: names('Müller', 'Jürg'), validFrom: null });
    expect(await historyOf(id, 'name')).toEqual([{ valid_from: '1979-12-01', valid_to: null, data: names('Müller', 'Jürg'), reason: 'correction' }]);
    expect(await personRow(id)).toMatchObject({ official_name: 'Müller', first_names: 'Jürg' });
  });

  // --- civil status ----------------------------------------------------------------------------------

  const civil = (civilStatus: string, civilStatusDate: string | null) => ({ civilStatus, civilStatusDate });

  it('marriage: married from the day of the wedding', async () => {
    const who = newKey({ officialName: 'Huber', firstNames: 'Sandra', dateOfBirth: '1993-02-02' });
    const id = await moveIn(personData(who));
    await apply({ type: 'marriage', person: who, civilStatus: 'married', date: '2025-06-14' });
    expect(await historyOf(id, 'civil-status')).toEqual([
      { valid_from: '1993-02-02', valid_to: '2025-06-14', data: civil('single', null), reason: 'change' },
      { valid_from: '2025-06-14', valid_to: null, data: civil('married', '2025-06-14'), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'married', civil_status_date: '2025-06-14' });
  });

  it('partnership: in a registered partnership from its date', async () => {
    const who = newKey({ officialName: 'Roth', firstNames: 'Daniel', sex: 'm', dateOfBirth: '1985-10-10' });
    const id = await moveIn(personData(who));
    await apply({ type: 'partnership', person: who, civilStatus: 'registered-partnership', date: '2025-03-03' });
    expect(await historyOf(id, 'civil-status')).toEqual([
      { valid_from: '1985-10-10', valid_to: '2025-03-03', data: civil('single', null), reason: 'change' },
      { valid_from: '2025-03-03', valid_to: null, data: civil('registered-partnership', '2025-03-03'), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'registered-partnership', civil_status_date: '2025-03-03' });
  });

  it('divorce: divorced from the day of the judgment, married before', async () => {
    const who = newKey({ officialName: 'Weber', firstNames: 'Monika', dateOfBirth: '1978-07-07' });
    const id = await moveIn(personData(who, { civilStatus: 'married', civilStatusDate: '2015-06-20' }));
    await apply({ type: 'divorce', person: who, civilStatus: 'divorced', date: '2025-09-09' });
    expect(await historyOf(id, 'civil-status')).toEqual([
      { valid_from: '1978-07-07', valid_to: '2025-09-09', data: civil('married', '2015-06-20'), reason: 'change' },
      { valid_from: '2025-09-09', valid_to: null, data: civil('divorced', '2025-09-09'), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'divorced', civil_status_date: '2025-09-09' });
  });

  it('undoPartnership: the partnership is dissolved from its date', async () => {
    const who = newKey({ officialName: 'Frei', firstNames: 'Simon', sex: 'm', dateOfBirth: '1980-05-05' });
    const id = await moveIn(personData(who, { civilStatus: 'registered-partnership', civilStatusDate: '2018-04-04' }));
    await apply({ type: 'undoPartnership', person: who, civilStatus: 'dissolved-partnership', date: '2025-02-02' });
    expect(await historyOf(id, 'civil-status')).toEqual([
      { valid_from: '1980-05-05', valid_to: '2025-02-02', data: civil('registered-partnership', '2018-04-04'), reason: 'change' },
      { valid_from: '2025-02-02', valid_to: null, data: civil('dissolved-partnership', '2025-02-02'), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'dissolved-partnership', civil_status_date: '2025-02-02' });
  });

  it('undoMarriage: after an annulment the person is unmarried (single) from its date', async () => {
    const who = newKey({ officialName: 'Graf', firstNames: 'Nadia', dateOfBirth: '1995-12-12' });
    const id = await moveIn(personData(who, { civilStatus: 'married', civilStatusDate: '2024-12-24' }));
    await apply({ type: 'undoMarriage', person: who, civilStatus: 'single', date: '2025-03-15' });
    expect(await historyOf(id, 'civil-status')).toEqual([
      { valid_from: '1995-12-12', valid_to: '2025-03-15', data: civil('married', '2024-12-24'), reason: 'change' },
      { valid_from: '2025-03-15', valid_to: null, data: civil('single', '2025-03-15'), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'single', civil_status_date: '2025-03-15' });
  });

  it('correctMaritalInfo: the wrongly recorded civil status is replaced, not added to the history', async () => {
    const who = newKey({ officialName: 'Zimmermann', firstNames: 'Erika', dateOfBirth: '1950-03-03' });
    const id = await moveIn(personData(who));
    await apply({ type: 'correctMaritalInfo', person: who, civilStatus: 'widowed', date: '2020-02-29' });
    expect(await historyOf(id, 'civil-status')).toEqual([{ valid_from: '1950-03-03', valid_to: null, data: civil('widowed', '2020-02-29'), reason: 'correction' }]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'widowed', civil_status_date: '2020-02-29' });
  });

  // --- nationality -----------------------------------------------------------------------------------

  const nation = (nationality: string, placeOfOrigin: string | null) => ({ nationality, placeOfOrigin });

  it('changeNationality: the new nationality holds from its date', async () => {
    const who = newKey({ officialName: 'Santos', firstNames: 'Marta', dateOfBirth: '1984-08-08' });
    const id = await moveIn(personData(who));
    await apply({ type: 'changeNationality', person: who, nationality: 'DE', validFrom: '2025-03-01' });
    expect(await historyOf(id, 'nationality')).toEqual([
      { valid_from: '1984-08-08', valid_to: '2025-03-01', data: nation('PT', null), reason: 'change' },
      { valid_from: '2025-03-01', valid_to: null, data: nation('DE', null), reason: 'change' },
    ]);
    expect(await personRow(id)).toMatchObject({ nationality: 'DE' });
    expect(await permitsOf(id)).toMatchObject([{ category: 'B', ended_on: null }]);
  });

  it('correctNationality: the wrongly recorded nationality is replaced for its whole period', async () => {
    const who = newKey({ officialName: 'Oliveira', firstNames: 'Bruno', sex: 'm', dateOfBirth: '1990-01-01' });
    const id = await moveIn(personData(who));
    await apply({ type: 'correctNationality', person: who, nationality: 'BR', validFrom: null });
    expect(await historyOf(id, 'nationality')).toEqual([{ valid_from: '1990-01-01', valid_to: null, data: nation('BR', null), reason: 'correction' }]);
    expect(await personRow(id)).toMatchObject({ nationality: 'BR' });
  });

  it('naturalizeForeigner: Swiss with the place of origin from the naturalisation; the permit ends as naturalised', async () => {
    const who = newKey({ officialName: 'Pereira', firstNames: 'Inês', dateOfBirth: '1986-06-16' });
    const id = await moveIn(personData(who, { permit: B_PERMIT }));
    await apply({ type: 'naturalizeForeigner', person: who, placesOfOrigin: ['Kriens LU'], validFrom: '2025-09-01' });
    expect(await personRow(id)).toMatchObject({ nationality: 'CH', place_of_origin: 'Kriens LU' });
    expect(await historyOf(id, 'nationality')).toEqual([
      { valid_from: '1986-06-16', valid_to: '2025-09-01', data: nation('PT', null), reason: 'change' },
      { valid_from: '2025-09-01', valid_to: null, data: nation('CH', 'Kriens LU'), reason: 'change' },
    ]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: '2025-09-01', end_reason: 'naturalised' }]);
    expect(await permitEventsOf(id)).toEqual(['granted', 'ended-naturalisation']);
    expect(await residencesOf(id)).toMatchObject([{ municipality_bfs: 1059, departure_date: null }]);
  });

  // --- death -------------------------------------------------------------------------------------------

  it('death: the date of death is kept, the residences end that day and the permits end by death', async () => {
    const who = newKey({ officialName: 'Bianchi', firstNames: 'Giorgio', sex: 'm', dateOfBirth: '1940-02-02' });
    const id = await moveIn(personData(who, { nationality: 'IT', placeOfBirth: 'Como', countryOfBirth: 'IT', civilStatus: 'married', civilStatusDate: '1965-05-05', permit: B_PERMIT }));
    await apply({ type: 'death', person: who, dateOfDeath: '2025-10-03' });
    expect(await personRow(id)).toMatchObject({ date_of_death: '2025-10-03', civil_status: 'married' });
    expect(await residencesOf(id)).toEqual([{ kind: 'main', registration_type: 'settled', ...KRIENS_ADDRESS, arrival_date: '2024-03-01', arrived_from: 'Porto, Portugal', departure_date: '2025-10-03', departed_to: 'death' }]);
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: '2025-10-03', end_reason: 'death' }]);
    expect(await permitEventsOf(id)).toEqual(['granted', 'ended-death']);
  });

  // --- permits -----------------------------------------------------------------------------------------

  it('changeResidencePermit: grants the permit to a person who holds none', async () => {
    const who = newKey({ officialName: 'Hoxha', firstNames: 'Blerim', sex: 'm', dateOfBirth: '1999-09-19' });
    const id = await moveIn(personData(who, { permit: null }));
    expect(await permitsOf(id)).toEqual([]);
    await apply({ type: 'changeResidencePermit', person: who, permit: { echCode: '02', validFrom: '2024-06-01', validUntil: '2029-05-31', entryDate: null } });
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-06-01', valid_until: '2029-05-31', control_date: null, ended_on: null, end_reason: null }]);
  });

  it('changeResidencePermit: the same category with a later end extends the permit', async () => {
    const who = newKey({ officialName: 'Nowak', firstNames: 'Piotr', sex: 'm', dateOfBirth: '1982-04-04' });
    const id = await moveIn(personData(who, { nationality: 'PL', placeOfBirth: 'Kraków', countryOfBirth: 'PL', permit: B_PERMIT }));
    await apply({ type: 'changeResidencePermit', person: who, permit: { echCode: '02', validFrom: '2024-03-01', validUntil: '2034-02-28', entryDate: null } });
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2034-02-28', control_date: null, ended_on: null, end_reason: null }]);
    expect(await permitEventsOf(id)).toEqual(['granted', 'extended']);
  });

  it('changeResidencePermit: another category ends the permit in force and grants the new one', async () => {
    const who = newKey({ officialName: 'Kowalska', firstNames: 'Agnieszka', dateOfBirth: '1981-01-11' });
    const id = await moveIn(personData(who, { nationality: 'PL', placeOfBirth: 'Gdańsk', countryOfBirth: 'PL', permit: B_PERMIT }));
    await apply({ type: 'changeResidencePermit', person: who, permit: { echCode: '03', validFrom: '2025-04-01', validUntil: null, entryDate: null } });
    expect(await permitsOf(id)).toEqual([
      { category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: '2025-04-01', end_reason: 'category-changed' },
      { category: 'C', is_main: true, admission_reason: 'other', valid_from: '2025-04-01', valid_until: null, control_date: '2030-04-01', ended_on: null, end_reason: null },
    ]);
  });

  it('correctResidencePermit: an end recorded too early is corrected to the later one', async () => {
    const who = newKey({ officialName: 'Horvat', firstNames: 'Ivana', dateOfBirth: '1994-04-14' });
    const id = await moveIn(personData(who, { nationality: 'HR', placeOfBirth: 'Zagreb', countryOfBirth: 'HR', permit: { ...B_PERMIT, validUntil: '2025-02-28' } }));
    await apply({ type: 'correctResidencePermit', person: who, permit: { echCode: '02', validFrom: '2024-03-01', validUntil: '2029-02-28', entryDate: null } });
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2029-02-28', control_date: null, ended_on: null, end_reason: null }]);
  });

  it('correctResidencePermit: an end recorded too late is corrected to the earlier one', async () => {
    const who = newKey({ officialName: 'Novak', firstNames: 'Luka', sex: 'm', dateOfBirth: '1996-06-06' });
    const id = await moveIn(personData(who, { nationality: 'SI', placeOfBirth: 'Ljubljana', countryOfBirth: 'SI', permit: B_PERMIT }));
    await apply({ type: 'correctResidencePermit', person: who, permit: { echCode: '02', validFrom: '2024-03-01', validUntil: '2027-02-28', entryDate: null } });
    expect(await permitsOf(id)).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2024-03-01', valid_until: '2027-02-28', control_date: null, ended_on: null, end_reason: null }]);
  });

  it('correctResidencePermit: a category recorded wrongly (L instead of B, same start) is corrected', async () => {
    const who = newKey({ officialName: 'Tanaka', firstNames: 'Yuki', dateOfBirth: '1997-07-17' });
    const id = await moveIn(personData(who, { nationality: 'JP', placeOfBirth: 'Osaka', countryOfBirth: 'JP', permit: { echCode: '07', validFrom: '2025-01-01', validUntil: '2025-12-31', entryDate: null } }), '2025-01-01');
    expect(await permitsOf(id)).toMatchObject([{ category: 'L', valid_from: '2025-01-01', valid_until: '2025-12-31' }]);
    const { xml } = message({ type: 'correctResidencePermit', person: who, permit: { echCode: '02', validFrom: '2025-01-01', validUntil: '2025-12-31', entryDate: null } }, { eventDate: '2025-06-01' });
    const response = await send(xml);
    expect(response.statusCode, response.body).toBe(202);
    // Whatever is kept of the wrong record, the permit in force is the corrected one from the same day.
    const inForce = (await permitsOf(id)).filter((p) => p.ended_on === null || p.ended_on > p.valid_from);
    expect(inForce).toEqual([{ category: 'B', is_main: true, admission_reason: 'other', valid_from: '2025-01-01', valid_until: '2025-12-31', control_date: null, ended_on: null, end_reason: null }]);
  });

  // --- identification and birth data ---------------------------------------------------------------

  it('correctIdentification: the AHV number and the sender’s corrected person id are taken, and the new id finds the person', async () => {
    const before = newKey({ ahvn13: null, officialName: 'Baumann', firstNames: 'Ruth', dateOfBirth: '1961-11-11' });
    const id = await moveIn(swissPersonData(before, ['Kriens LU']));
    serial += 1;
    const corrected: PersonKey = { ...before, ahvn13: ahvn13(serial), localId: { category: 'LU.1059', id: `k-${serial}-corrected` }, otherIds: [{ category: 'CH.ZAR', id: `zar-${serial}` }] };
    await apply({ type: 'correctIdentification', person: before, corrected });
    expect(await personRow(id)).toMatchObject({ ahvn13: corrected.ahvn13, official_name: 'Baumann', first_names: 'Ruth', sex: 'f', date_of_birth: '1961-11-11' });
    const ids = await externalIdsOf(id);
    expect(ids).toContainEqual({ category: 'LU.1059', external_id: corrected.localId.id });
    expect(ids).toContainEqual({ category: 'CH.ZAR', external_id: corrected.otherIds[0]!.id });
    // A later message that carries only the corrected id (and a name spelled differently) finds her.
    const { personIds } = await apply({ type: 'marriage', person: { ...corrected, ahvn13: null, otherIds: [], officialName: 'Baumann-Iten' }, civilStatus: 'married', date: '2025-05-05' });
    expect(personIds).toEqual([id]);
  });

  it('correctIdentification: names and their history are left alone (only identifiers are corrected)', async () => {
    // eCH-0044's originalName is optional: the sender identifies her without the maiden name the register has.
    const before = newKey({ ahvn13: null, officialName: 'Meyer', firstNames: 'Claudia', dateOfBirth: '1972-02-22', originalName: null });
    const id = await moveIn(swissPersonData(before, ['Kriens LU'], { names: names('Meyer', 'Claudia', { maidenName: 'Studer', callName: 'Claudi' }) }));
    expect(await personRow(id)).toMatchObject({ maiden_name: 'Studer', call_name: 'Claudi' });
    serial += 1;
    await apply({ type: 'correctIdentification', person: before, corrected: { ...before, ahvn13: ahvn13(serial) } });
    expect(await personRow(id)).toMatchObject({ ahvn13: ahvn13(serial), official_name: 'Meyer', first_names: 'Claudia', maiden_name: 'Studer', call_name: 'Claudi' });
    expect(await historyOf(id, 'name')).toEqual([]);
  });

  it('correctBirthInfo: date and place of birth and the sex are corrected; no history is written for them', async () => {
    const who = newKey({ officialName: 'Lima', firstNames: 'Alex', sex: 'm', dateOfBirth: '1990-04-12' });
    const id = await moveIn(personData(who, { placeOfBirth: 'Porto' }));
    await apply({ type: 'correctBirthInfo', person: who, dateOfBirth: '1990-04-21', placeOfBirth: 'Braga', countryOfBirth: 'PT', sex: 'f' });
    expect(await personRow(id)).toMatchObject({ official_name: 'Lima', date_of_birth: '1990-04-21', place_of_birth: 'Braga', country_of_birth: 'PT', sex: 'f' });
    expect(await versionCount(id)).toBe(0);
    // The corrected identity is the one a later message uses.
    const { personIds } = await apply({ type: 'marriage', person: { ...who, ahvn13: null, localId: { category: 'CH.ZAR', id: 'unknown-here' }, sex: 'f', dateOfBirth: '1990-04-21' }, civilStatus: 'married', date: '2025-08-08' });
    expect(personIds).toEqual([id]);
  });

  // --- finding the person a message is about ------------------------------------------------------

  it('identifies the person by the AHV number, whatever name and id the sender uses', async () => {
    const who = newKey({ officialName: 'Ramadani', firstNames: 'Fatime', dateOfBirth: '1989-03-30' });
    const id = await moveIn(personData(who));
    const byAhv: PersonKey = { ...who, localId: { category: 'CH.ZAR', id: 'zar-elsewhere' }, officialName: 'Ramadani-Berisha', firstNames: 'Fatimé' };
    const { personIds } = await apply({ type: 'marriage', person: byAhv, civilStatus: 'married', date: '2025-04-04' });
    expect(personIds).toEqual([id]);
    expect(await personRow(id)).toMatchObject({ civil_status: 'married', civil_status_date: '2025-04-04' });
  });

  it('identifies the person by the sender’s person id remembered from the move-in (no AHV number)', async () => {
    const who = newKey({ ahvn13: null, officialName: 'Nguyen', firstNames: 'Thi Lan', dateOfBirth: '1991-10-01' });
    const id = await moveIn(personData(who, { nationality: 'VN', placeOfBirth: 'Hanoi', countryOfBirth: 'VN' }));
    expect(await externalIdsOf(id)).toEqual([{ category: 'LU.1059', external_id: who.localId.id }]);
    // Another spelling and another birth day: only the remembered id can say who is meant.
    const { personIds } = await apply({ type: 'changeName', person: { ...who, officialName: 'Nguyen Thi', firstNames: 'Lan', dateOfBirth: '1991-01-10' }, names: names('Tran', 'Thi Lan'), validFrom: '2025-02-14' });
    expect(personIds).toEqual([id]);
    expect(await personRow(id)).toMatchObject({ official_name: 'Tran', first_names: 'Thi Lan' });
  });

  it('identifies the person by exactly the same name, sex and date of birth when nothing else matches', async () => {
    const who = newKey({ ahvn13: null, officialName: 'Okafor', firstNames: 'Chidi', sex: 'm', dateOfBirth: '1985-05-25' });
    const id = await moveIn(personData(who, { nationality: 'NG', placeOfBirth: 'Lagos', countryOfBirth: 'NG' }));
    const stranger: PersonKey = { ...who, localId: { category: 'CH.ZAR', id: 'zar-okafor' } };
    const { personIds } = await apply({ type: 'changeNationality', person: stranger, nationality: 'GB', validFrom: '2025-07-07' });
    expect(personIds).toEqual([id]);
    expect(await personRow(id)).toMatchObject({ nationality: 'GB' });
  });

  it('does not guess between two persons with the same name, sex and date of birth: quarantined as ambiguous, nothing changed', async () => {
    const twins = [person(office.id, 'Meier', 'Eva', KRIENS, { dateOfBirth: '1980-01-01' }), person(office.id, 'Meier', 'Eva', KRIENS, { dateOfBirth: '1980-01-01' })];
    await addPersons(database.db, twins);
    const who = newKey({ ahvn13: null, officialName: 'Meier', firstNames: 'Eva', dateOfBirth: '1980-01-01' });
    const { xml, messageId } = message({ type: 'death', person: who, dateOfDeath: '2025-03-03' });
    const response = await send(xml);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'exchange-ambiguous-person', outcome: 'quarantined', messageId });
    expect(response.json<{ detail: string }>().detail).toContain('2 persons');
    const inboxId = response.json<{ inboxId: string }>().inboxId;
    const row = await exchange().selectFrom('exchange_inbox').select(['status', 'reason_code', 'person_ids']).where('id', '=', inboxId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'quarantined', reason_code: 'exchange-ambiguous-person', person_ids: [] });
    for (const twin of twins) {
      expect(await personRow(twin.id)).toMatchObject({ date_of_death: null });
      expect(await residencesOf(twin.id)).toMatchObject([{ departure_date: null }]);
    }
    const applied = await database.db.selectFrom('audit_log').select('id').where('action', '=', 'exchange.apply').where(sql<string>`details->>'messageId'`, '=', messageId).execute();
    expect(applied).toEqual([]);
  });

  // --- passing changes on -------------------------------------------------------------------------

  it('changes applied from a partner’s message are passed on to the other subscribed partners (docs/exchange.md, outbox)', async () => {
    // Created last: the partners' outbox rows of the tests above stay out of it.
    const canton = await app.inject({
      method: 'POST',
      url: '/api/v1/exchange/partners',
      payload: { name: 'Amt für Migration Kanton Luzern', participantId: 'sedex://T2-LU-AMIGRA', transport: 'http', endpointUrl: 'https://amigra.lu.example/ech0020', events: ['moveIn', 'moveOut', 'changeName', 'death'] },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    });
    expect(canton.statusCode, canton.body).toBe(201);
    const cantonId = canton.json<{ partner: { id: string } }>().partner.id;
    const outboxOf = async (personId: string) =>
      (await exchange().selectFrom('exchange_outbox').select(['event_type', 'partner_id']).where('person_id', '=', personId).orderBy('created_at').execute()).map((row) => `${row.event_type}→${row.partner_id === cantonId ? 'canton' : row.partner_id}`);

    const dying = newKey({ officialName: 'Weitergabe', firstNames: 'Walter', sex: 'm', dateOfBirth: '1930-03-03' });
    const deadId = await moveIn(personData(dying, { permit: B_PERMIT }));
    await apply({ type: 'death', person: dying, dateOfDeath: '2025-02-02' });
    // A death reaches the canton: the subscription works.
    expect(await outboxOf(deadId)).toContain('death→canton');

    const who = newKey({ officialName: 'Weitergabe', firstNames: 'Wanda', dateOfBirth: '1977-07-07' });
    const id = await moveIn(personData(who, { permit: B_PERMIT }));
    await apply({ type: 'changeName', person: who, names: names('Weitergabe-Kunz', 'Wanda'), validFrom: '2025-01-01' });
    await apply({ type: 'moveOut', person: who, municipality: KRIENS_MUNICIPALITY, departureDate: '2025-06-30', goesTo: { kind: 'foreign', country: 'PT', countryName: 'Portugal', town: null } });
    // So must an arrival, a change of name and a departure.
    expect(await outboxOf(id)).toEqual(['moveIn→canton', 'changeName→canton', 'moveOut→canton']);
    expect(await outboxOf(deadId)).toEqual(['moveIn→canton', 'death→canton']);
  });
});
