import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countries } from '../../src/modules/exchange/countries.js';
import { UnsupportedEventError, UnsupportedMessageError, readMessage } from '../../src/modules/exchange/rules/ech0020-read.js';
import { ECH0020_MESSAGE_TYPE, UnwritableEventError, writeDelivery, writeReceipt } from '../../src/modules/exchange/rules/ech0020-write.js';
import { REGISTER_EVENT_TYPES, type Delivery, type Dwelling, type Header, type HistoryExtension, type Names, type PersonData, type PersonKey, type Place, type Receipt, type RegisterEvent, type Residence } from '../../src/modules/exchange/rules/events.js';
import { validateXml } from '../../src/modules/exchange/xml-schemas.js';

const list = countries();
const fixture = (name: string) => readFileSync(new URL(`../fixtures/ech0020/${name}`, import.meta.url), 'utf8');

const header: Header = {
  senderId: 'sedex://T1-1061-1',
  recipientIds: ['sedex://T1-351-1'],
  messageId: 'b5a1c3e0-7d1f-4a59-9c2e-0d7e8f6a1b2c',
  referenceMessageId: null,
  messageType: ECH0020_MESSAGE_TYPE,
  messageDate: '2026-11-20T10:15:30',
  eventDate: '2026-11-19',
  action: 1,
  testDelivery: false,
  sendingApplication: { manufacturer: 'MigraFlow', product: 'MigraFlow', productVersion: '0.1.0' },
};

const luzern = { bfs: 1061, name: 'Luzern', canton: 'LU' };
const bern = { bfs: 351, name: 'Bern', canton: 'BE' };

/** A Swiss citizen with AHV number, full birth date and two places of origin. */
const anna: PersonData = {
  key: {
    ahvn13: '7561234567897',
    localId: { category: 'LU.1061', id: '4711' },
    otherIds: [{ category: 'CH.ZAR', id: '0815' }],
    officialName: 'Muster-Gerber',
    firstNames: 'Anna Maria',
    originalName: 'Gerber',
    sex: 'f',
    dateOfBirth: '1990-04-12',
  },
  names: { officialName: 'Muster-Gerber', firstNames: 'Anna Maria', callName: 'Anna', maidenName: 'Gerber', allianceName: 'Muster', aliasName: null, nameInForeignPassport: null },
  placeOfBirth: 'Luzern',
  countryOfBirth: 'CH',
  civilStatus: 'married',
  civilStatusDate: '2015-06-20',
  nationality: 'CH',
  placesOfOrigin: ['Luzern LU', 'Muri bei Bern BE', 'Hasle (LU)'],
  permit: null,
  religion: '121',
  dateOfDeath: null,
  blockingNote: true,
  papersBlock: false,
};

/** A foreigner without AHV number, birth day unknown, with a B permit and a passport name. */
const ahmet: PersonData = {
  key: {
    ahvn13: null,
    localId: { category: 'MF.LU', id: 'p-0001' },
    otherIds: [],
    officialName: 'Yılmaz',
    firstNames: 'Ahmet',
    originalName: null,
    sex: 'm',
    dateOfBirth: '1985-07-00',
  },
  names: { officialName: 'Yılmaz', firstNames: 'Ahmet', callName: null, maidenName: null, allianceName: null, aliasName: null, nameInForeignPassport: 'YILMAZ, AHMET' },
  placeOfBirth: 'Istanbul',
  countryOfBirth: 'TR',
  civilStatus: 'single',
  civilStatusDate: null,
  nationality: 'TR',
  placesOfOrigin: [],
  permit: { echCode: '0202', validFrom: '2024-03-01', validUntil: '2027-02-28', entryDate: '2024-02-15' },
  religion: '000',
  dateOfDeath: null,
  blockingNote: false,
  papersBlock: true,
};

/** A stateless person, only the birth year known, born somewhere unknown, provisionally admitted. */
const stateless: PersonData = {
  key: { ahvn13: '7569217076985', localId: { category: 'MF.LU', id: 'p-0002' }, otherIds: [], officialName: 'Nour', firstNames: 'Samira', originalName: null, sex: 'x', dateOfBirth: '1979-00-00' },
  names: { officialName: 'Nour', firstNames: 'Samira', callName: null, maidenName: null, allianceName: null, aliasName: 'Sam', nameInForeignPassport: null },
  placeOfBirth: null,
  countryOfBirth: null,
  civilStatus: 'divorced',
  civilStatusDate: '2010-01-05',
  nationality: 'XS',
  placesOfOrigin: [],
  permit: { echCode: '0503', validFrom: null, validUntil: null, entryDate: null },
  religion: '711',
  dateOfDeath: null,
  blockingNote: false,
  papersBlock: false,
};

/** A Kosovar (no ISO code in the BFS list) whose permit is not known yet: sent as a nil permit. */
const withoutPermit: PersonData = {
  ...ahmet,
  key: { ...ahmet.key, localId: { category: 'MF.LU', id: 'p-0003' }, officialName: 'Berisha', firstNames: 'Arta', sex: 'f', dateOfBirth: '2001-11-30' },
  names: { ...ahmet.names, officialName: 'Berisha', firstNames: 'Arta', nameInForeignPassport: null },
  placeOfBirth: 'Prishtinë',
  countryOfBirth: 'XK',
  nationality: 'XK',
  permit: null,
};

const dwelling: Dwelling = { egid: 190_123_456, ewid: 12, street: 'Pilatusstrasse', houseNumber: '12a', postalCode: '6003', town: 'Luzern', movingDate: null };

const fromGermany: Place = { kind: 'foreign', country: 'DE', countryName: 'Deutschland', town: 'Frankfurt am Main' };

const mainResidence: Residence = { kind: 'main', municipality: luzern, arrivalDate: '2024-02-15', comesFrom: fromGermany, dwelling, departureDate: null, goesTo: null };

const history: HistoryExtension = {
  residences: [
    {
      kind: 'main',
      registrationType: 'stay',
      municipalityBfs: 351,
      municipalityName: 'Bern',
      street: 'Länggassstrasse',
      houseNumber: '7',
      postalCode: '3012',
      town: 'Bern',
      egid: 1_234_567,
      ewid: 3,
      householdId: 'hh-17',
      arrivalDate: '2019-05-01',
      // The register's own words, carried as they are.
      arrivedFrom: 'İzmir, Türkei',
      departureDate: '2024-02-14',
      departedTo: 'Luzern',
    },
    {
      kind: 'secondary',
      registrationType: 'weekly-commuter',
      municipalityBfs: 1061,
      municipalityName: 'Luzern',
      street: null,
      houseNumber: null,
      postalCode: null,
      town: null,
      egid: null,
      ewid: null,
      householdId: null,
      arrivalDate: '2018-01-01',
      arrivedFrom: null,
      departureDate: null,
      departedTo: null,
    },
  ],
  permits: [
    {
      category: '07',
      admissionReason: 'employment',
      validFrom: '2019-05-01',
      validUntil: '2020-04-30',
      controlDate: null,
      endedOn: '2020-04-30',
      endReason: 'converted to B',
      conditions: 'Employer: Müller & Co. <AG>',
      cardNumber: 'L-123456',
      lStayStart: '2019-05-01',
      immigrationGroup: null,
    },
    { category: '02', admissionReason: 'employment', validFrom: '2020-05-01', validUntil: null, controlDate: '2027-02-28', endedOn: null, endReason: null, conditions: null, cardNumber: null, lStayStart: null, immigrationGroup: 'EU/EFTA' },
  ],
};

const names: Names = { officialName: 'Muster', firstNames: 'Anna', callName: null, maidenName: 'Gerber', allianceName: null, aliasName: null, nameInForeignPassport: null };

/** One realistic event of every type MigraFlow applies. */
const EVENTS: RegisterEvent[] = [
  {
    type: 'baseDelivery',
    entries: [
      { person: { ...anna, dateOfDeath: '2026-10-01' }, residence: { ...mainResidence, comesFrom: null, departureDate: '2026-10-01', goesTo: { kind: 'unknown' } }, validFrom: '2026-11-01', history: null },
      { person: ahmet, residence: { ...mainResidence, kind: 'secondary', municipality: bern, dwelling: { ...dwelling, egid: null, ewid: null, postalCode: '3011', town: 'Bern' } }, validFrom: null, history },
    ],
  },
  { type: 'moveIn', person: ahmet, residence: mainResidence },
  { type: 'moveIn', person: stateless, residence: { ...mainResidence, kind: 'other', comesFrom: { kind: 'swiss', municipality: { bfs: 261, name: 'Zürich', canton: null } } } },
  { type: 'moveIn', person: withoutPermit, residence: { ...mainResidence, kind: 'secondary', comesFrom: { kind: 'unknown' } } },
  { type: 'birth', person: { ...anna, key: { ...anna.key, ahvn13: null, dateOfBirth: '2026-11-18', otherIds: [] }, civilStatus: 'single', civilStatusDate: null, placesOfOrigin: ['Luzern LU'] }, residence: { ...mainResidence, comesFrom: null, arrivalDate: '2026-11-18' } },
  { type: 'birth', person: { ...ahmet, key: { ...ahmet.key, dateOfBirth: '2026-11-18' }, permit: { echCode: '02', validFrom: '2026-11-18', validUntil: null, entryDate: null } }, residence: null },
  { type: 'birth', person: withoutPermit, residence: { ...mainResidence, kind: 'secondary', comesFrom: { kind: 'unknown' } } },
  { type: 'birth', person: stateless, residence: { ...mainResidence, kind: 'other', comesFrom: { kind: 'unknown' }, departureDate: '2026-12-01', goesTo: fromGermany } },
  { type: 'move', person: anna.key, municipality: luzern, dwelling: { ...dwelling, houseNumber: null, movingDate: '2026-11-19' } },
  { type: 'moveOut', person: anna.key, municipality: luzern, departureDate: '2026-11-19', goesTo: { kind: 'foreign', country: 'PT', countryName: 'Portugal', town: null } },
  { type: 'moveOut', person: ahmet.key, municipality: { ...luzern, canton: null }, departureDate: '2026-11-19', goesTo: { kind: 'swiss', municipality: bern } },
  { type: 'changeName', person: anna.key, names: anna.names, validFrom: '2026-11-19' },
  { type: 'correctName', person: ahmet.key, names: { ...ahmet.names, nameInForeignPassport: 'YILMAZ' }, validFrom: null },
  { type: 'marriage', person: ahmet.key, civilStatus: 'married', date: '2026-11-19' },
  { type: 'partnership', person: anna.key, civilStatus: 'registered-partnership', date: null },
  { type: 'divorce', person: anna.key, civilStatus: 'divorced', date: '2026-11-19' },
  { type: 'undoPartnership', person: anna.key, civilStatus: 'dissolved-partnership', date: '2026-11-19' },
  { type: 'undoMarriage', person: anna.key, civilStatus: 'single', date: '2026-11-19' },
  { type: 'correctMaritalInfo', person: stateless.key, civilStatus: 'widowed', date: '2020-02-29' },
  { type: 'changeNationality', person: ahmet.key, nationality: 'DE', validFrom: '2026-11-19' },
  { type: 'changeNationality', person: ahmet.key, nationality: 'XK', validFrom: null },
  { type: 'correctNationality', person: stateless.key, nationality: 'XS', validFrom: null },
  { type: 'correctNationality', person: stateless.key, nationality: 'XX', validFrom: null },
  { type: 'naturalizeForeigner', person: ahmet.key, placesOfOrigin: ['Luzern LU', 'Kriens LU'], validFrom: '2026-11-19' },
  { type: 'naturalizeForeigner', person: ahmet.key, placesOfOrigin: ['Kriens LU'], validFrom: null },
  { type: 'death', person: anna.key, dateOfDeath: '2026-11-19' },
  { type: 'changeResidencePermit', person: ahmet.key, permit: { echCode: '0301', validFrom: '2026-11-19', validUntil: null, entryDate: '2024-02-15' } },
  { type: 'correctResidencePermit', person: ahmet.key, permit: { echCode: '070101', validFrom: null, validUntil: '2027-01-31', entryDate: null } },
  { type: 'correctIdentification', person: ahmet.key, corrected: { ...ahmet.key, ahvn13: '7561234567897', localId: { category: 'MF.LU', id: 'p-0009' }, otherIds: [{ category: 'CH.ZEMIS', id: '12345678.9' }] } },
  { type: 'correctBirthInfo', person: ahmet.key, dateOfBirth: '1985-07-14', placeOfBirth: 'Ankara', countryOfBirth: 'TR', sex: null },
  { type: 'correctBirthInfo', person: stateless.key, dateOfBirth: '1979-03-00', placeOfBirth: 'Zug', countryOfBirth: 'CH', sex: 'f' },
  { type: 'correctBirthInfo', person: anna.key, dateOfBirth: '1990-04-12', placeOfBirth: null, countryOfBirth: null, sex: 'x' },
  { type: 'correctBirthInfo', person: anna.key, dateOfBirth: '1990-04-12', placeOfBirth: null, countryOfBirth: 'CH', sex: null },
];

function expectValid(xml: string): void {
  const result = validateXml(Buffer.from(xml));
  // The problems, not just `false`, when the schema refuses the message.
  expect(result.valid ? [] : result.problems).toEqual([]);
}

function roundTrip(delivery: Delivery): string {
  const xml = writeDelivery(delivery, list);
  expectValid(xml);
  expect(readMessage(xml, list)).toEqual({ kind: 'delivery', delivery });
  return xml;
}

describe('eCH-0020 deliveries: write, validate, read back', () => {
  it('covers every register event type', () => {
    expect(new Set(EVENTS.map((event) => event.type))).toEqual(new Set(REGISTER_EVENT_TYPES));
  });

  it.each(EVENTS.map((event, index) => [`${index} ${event.type}`, event] as const))('%s', (_name, event) => {
    roundTrip({ header: { ...header, messageId: `m-${event.type}` }, event });
  });

  it('writes the header in eCH-0058 order, the base delivery one message per entry and the history extension', () => {
    const xml = roundTrip({ header: { ...header, recipientIds: ['sedex://T1-351-1', 'sedex://T1-1-2'], referenceMessageId: 'm-0000', eventDate: null, action: 4, testDelivery: true }, event: EVENTS[0]! });
    expect(xml).toContain('<eCH-0020:delivery xmlns:eCH-0020="http://www.ech.ch/xmlns/eCH-0020/3"');
    expect(xml.match(/<eCH-0020:messages>/g)).toHaveLength(2);
    expect(xml).toContain('<mf:history xmlns:mf="urn:migraflow:history:1">');
    expect(xml).toContain('<mf:goesTo>Luzern</mf:goesTo>');
    expect(xml).toContain('<eCH-0058:testDeliveryFlag>true</eCH-0058:testDeliveryFlag>');
  });

  it('sends a foreigner without a known permit as a nil permit and reads it back as none', () => {
    const xml = roundTrip({ header, event: { type: 'moveIn', person: withoutPermit, residence: mainResidence } });
    expect(xml).toContain('xsi:nil="true"');
    expect(xml).toContain('<eCH-0008:countryIdISO2>XK</eCH-0008:countryIdISO2>');
  });

  it('keeps a Swiss citizen without a recorded place of origin', () => {
    roundTrip({ header, event: { type: 'moveIn', person: { ...anna, placesOfOrigin: [] }, residence: mainResidence } });
  });

  it('keeps special characters: &, <, >, quotes, apostrophes, umlauts and other scripts', () => {
    const special: PersonKey = { ...anna.key, officialName: `O'Brien & Söhne <AG> "Zürich"`, firstNames: 'Zoë Ælfrida Łucja 李', originalName: 'Çelik > Ğ' };
    const xml = roundTrip({
      header: { ...header, messageId: 'id&<>' },
      event: { type: 'changeName', person: special, names: { ...names, officialName: special.officialName, aliasName: "d'Artagnan & Co", nameInForeignPassport: 'ÖZTÜRK, ŞÜKRÜ' }, validFrom: null },
    });
    expect(xml).toContain('O&apos;Brien &amp; Söhne &lt;AG&gt; &quot;Zürich&quot;');
  });

  it('reads partial birth dates as eCH-0044 yearMonth and year', () => {
    const xml = roundTrip({ header, event: { type: 'death', person: stateless.key, dateOfDeath: '2026-11-19' } });
    expect(xml).toContain('<eCH-0044:year>1979</eCH-0044:year>');
    const other = roundTrip({ header, event: { type: 'death', person: ahmet.key, dateOfDeath: '2026-11-19' } });
    expect(other).toContain('<eCH-0044:yearMonth>1985-07</eCH-0044:yearMonth>');
  });
});

describe('eCH-0058 receipts', () => {
  const receipts: Receipt[] = [
    { header: { ...header, action: 9, referenceMessageId: 'm-0001', messageType: ECH0020_MESSAGE_TYPE }, positive: true, notice: 'Zuzug von Anna Muster übernommen.' },
    { header: { ...header, action: 8, referenceMessageId: 'm-0001', recipientIds: [], eventDate: null }, positive: false, notice: `Person 'Müller & Co' <4711> ist nicht im Register.` },
  ];

  it.each(receipts.map((receipt) => [receipt.positive ? 'positive' : 'negative', receipt] as const))('writes, validates and reads back a %s receipt', (_name, receipt) => {
    const xml = writeReceipt(receipt);
    expectValid(xml);
    expect(xml).toContain(receipt.positive ? '<eCH-0058:positiveReport>' : '<eCH-0058:negativeReport>');
    expect(readMessage(xml, list)).toEqual({ kind: 'receipt', receipt });
  });
});

describe('reading what other senders write', () => {
  it('reads the move-out fixture', () => {
    const read = readMessage(fixture('move-out.xml'), list);
    expect(read).toEqual({
      kind: 'delivery',
      delivery: {
        header: { ...header, recipientIds: [], messageId: 'm-0001', messageDate: '2026-11-20T10:00:00', sendingApplication: { manufacturer: 'X', product: 'Y', productVersion: '1' } },
        event: {
          type: 'moveOut',
          person: { ahvn13: '7561234567897', localId: { category: 'LU.1061', id: '4711' }, otherIds: [], officialName: 'Muster', firstNames: 'Anna', originalName: null, sex: 'f', dateOfBirth: '1990-04-12' },
          municipality: { bfs: 1061, name: 'Luzern', canton: null },
          departureDate: '2026-11-19',
          goesTo: { kind: 'foreign', country: 'DE', countryName: 'Deutschland', town: null },
        },
      },
    });
  });

  it('reads a default namespace, other prefixes and character references', () => {
    const xml = fixture('move-out-other-prefixes.xml');
    expectValid(xml);
    const read = readMessage(xml, list);
    expect(read.kind).toBe('delivery');
    if (read.kind !== 'delivery') return;
    expect(read.delivery.header).toMatchObject({ recipientIds: ['sedex://T1-351-1', 'sedex://T1-CH-7'], testDelivery: true, eventDate: '2026-11-19' });
    expect(read.delivery.event).toMatchObject({
      type: 'moveOut',
      person: { officialName: 'Müller & Söhne', firstNames: 'Anna-Lena', dateOfBirth: '1990-04-00' },
      goesTo: { kind: 'foreign', country: 'DE', countryName: 'Deutschland', town: 'Köln' },
    });
  });

  it('reads its own base delivery rewritten with a default namespace and other prefixes', () => {
    const delivery: Delivery = { header, event: EVENTS[0]! };
    const renamed = writeDelivery(delivery, list)
      .replaceAll('eCH-0020:', '')
      .replace('xmlns:eCH-0020=', 'xmlns=')
      .replaceAll('eCH-0044:', 'pid:')
      .replace('xmlns:eCH-0044=', 'xmlns:pid=')
      .replaceAll('mf:', 'hist:')
      .replace('xmlns:mf=', 'xmlns:hist=');
    expect(renamed).toContain('<pid:officialName>');
    expectValid(renamed);
    expect(readMessage(renamed, list)).toEqual({ kind: 'delivery', delivery });
  });

  it('names a valid event MigraFlow does not apply', () => {
    const xml = fixture('change-religion.xml');
    expectValid(xml);
    expect(() => readMessage(xml, list)).toThrow(UnsupportedEventError);
    try {
      readMessage(xml, list);
    } catch (error) {
      expect((error as UnsupportedEventError).eventName).toBe('changeReligion');
    }
  });

  it('refuses a root that is neither a delivery nor an event report', () => {
    const header58 = writeReceipt({ header, positive: true, notice: 'x' }).replace(/<eCH-0058:info>[\s\S]*<\/eCH-0058:info>/, '').replaceAll('eCH-0058:eventReport', 'eCH-0058:header-wrapper');
    expect(() => readMessage(header58, list)).toThrow(UnsupportedMessageError);
    expect(() => readMessage('<invoice xmlns="urn:example:other"><total>1</total></invoice>', list)).toThrow(/invoice/);
  });

  it('takes the ISO code of a country sent without BFS id', () => {
    const xml = fixture('move-out.xml').replace('<eCH-0008:countryId>8207</eCH-0008:countryId>', '<eCH-0008:countryIdISO2>AT</eCH-0008:countryIdISO2>');
    expectValid(xml);
    const read = readMessage(xml, list);
    expect(read.kind === 'delivery' && read.delivery.event).toMatchObject({ goesTo: { kind: 'foreign', country: 'AT', countryName: 'Deutschland' } });
  });
});

describe('values eCH cannot carry as they are', () => {
  it('sends a missing required origin as unknown', () => {
    const xml = writeDelivery({ header, event: { type: 'moveIn', person: ahmet, residence: { ...mainResidence, comesFrom: null } } }, list);
    expectValid(xml);
    const read = readMessage(xml, list);
    expect(read.kind === 'delivery' && read.delivery.event).toMatchObject({ residence: { comesFrom: { kind: 'unknown' } } });
  });

  it('reads a corrected sex equal to the current one as "not corrected"', () => {
    const xml = writeDelivery({ header, event: { type: 'correctBirthInfo', person: ahmet.key, dateOfBirth: '1985-07-14', placeOfBirth: 'Ankara', countryOfBirth: 'TR', sex: 'm' } }, list);
    const read = readMessage(xml, list);
    expect(read.kind === 'delivery' && read.delivery.event).toMatchObject({ sex: null });
  });

  it('writes a birth place without country as Swiss', () => {
    const xml = writeDelivery({ header, event: { type: 'correctBirthInfo', person: ahmet.key, dateOfBirth: '1985-07-14', placeOfBirth: 'Sursee', countryOfBirth: null, sex: null } }, list);
    expectValid(xml);
    const read = readMessage(xml, list);
    expect(read.kind === 'delivery' && read.delivery.event).toMatchObject({ placeOfBirth: 'Sursee', countryOfBirth: 'CH' });
  });

  it('refuses what it could only send by making something up', () => {
    const write = (event: RegisterEvent) => () => writeDelivery({ header, event }, list);
    expect(write({ type: 'divorce', person: anna.key, civilStatus: 'divorced', date: null })).toThrow(UnwritableEventError);
    expect(write({ type: 'divorce', person: anna.key, civilStatus: 'married', date: '2026-01-01' })).toThrow(/'divorced'/);
    expect(write({ type: 'naturalizeForeigner', person: ahmet.key, placesOfOrigin: [], validFrom: null })).toThrow(UnwritableEventError);
    expect(write({ type: 'naturalizeForeigner', person: ahmet.key, placesOfOrigin: ['Kriens'], validFrom: null })).toThrow(/'Kriens'/);
    expect(write({ type: 'moveIn', person: { ...anna, placesOfOrigin: ['Vaduz FL'] }, residence: mainResidence })).toThrow(/moveIn/);
    expect(write({ type: 'moveIn', person: { ...anna, placesOfOrigin: ['Luzern LU', 'Bern'] }, residence: mainResidence })).toThrow(/'Bern'/);
    expect(write({ type: 'correctIdentification', person: ahmet.key, corrected: { ...ahmet.key, officialName: 'Yilmaz' } })).toThrow(/officialName/);
  });

  it('refuses a permit event that sets no permit', () => {
    const xml = writeDelivery({ header, event: { type: 'correctResidencePermit', person: ahmet.key, permit: { echCode: '02', validFrom: null, validUntil: null, entryDate: null } } }, list).replace(/<eCH-0020:residencePermitData>[\s\S]*<\/eCH-0020:residencePermitData>/, '');
    expectValid(xml);
    expect(() => readMessage(xml, list)).toThrow(UnsupportedEventError);
  });
});

describe('generated values', () => {
  // Name-like tokens: letters, umlauts and the characters XML must escape; single spaces between words.
  const letters = [...'abcdeéèäöüßçñıİşĞŁøåæ李ABCXYZÄÖÜ', '&', '<', '>', "'", '"', '-', '.'];
  const word = fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 12 });
  const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
  const token = (maxLength: number) => fc.string({ unit: fc.constantFrom(...'abcXYZ0129.-_/'), minLength: 1, maxLength });
  const externalId = fc.record({ category: token(20), id: token(36) });
  const pad = (value: number, length: number) => String(value).padStart(length, '0');
  const dateOfBirth = fc.record({ year: fc.integer({ min: 1900, max: 2026 }), month: fc.integer({ min: 0, max: 12 }), day: fc.integer({ min: 1, max: 28 }), dayKnown: fc.boolean() }).map(({ year, month, day, dayKnown }) => `${year}-${pad(month, 2)}-${month === 0 || !dayKnown ? '00' : pad(day, 2)}`);
  const personKey: fc.Arbitrary<PersonKey> = fc.record({
    ahvn13: fc.option(fc.integer({ min: 1, max: 9_999_999_999 }).map((n) => `756${pad(n, 10)}`)),
    localId: externalId,
    otherIds: fc.array(externalId, { maxLength: 3 }),
    officialName: name,
    firstNames: name,
    originalName: fc.option(name),
    sex: fc.constantFrom('m' as const, 'f' as const, 'x' as const),
    dateOfBirth,
  });
  const generatedNames: fc.Arbitrary<Names> = fc.record({
    officialName: name,
    firstNames: name,
    callName: fc.option(name),
    maidenName: fc.option(name),
    allianceName: fc.option(name),
    aliasName: fc.option(name),
    nameInForeignPassport: fc.option(name),
  });

  it('round-trips any person key and names through a valid changeName delivery', () => {
    fc.assert(
      fc.property(personKey, generatedNames, fc.option(fc.constant('2026-01-31')), (person, value, validFrom) => {
        roundTrip({ header, event: { type: 'changeName', person, names: value, validFrom } });
      }),
      { numRuns: 150 },
    );
  });

});
