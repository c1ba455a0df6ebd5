import { randomUUID } from 'node:crypto';
import { countries } from '../../src/modules/exchange/countries.js';
import { writeDelivery, writeReceipt } from '../../src/modules/exchange/rules/ech0020-write.js';
import type { Dwelling, Header, Municipality, PersonData, PersonKey, RegisterEvent, Residence } from '../../src/modules/exchange/rules/events.js';
import { ahvn13CheckDigit } from '../../src/modules/register/rules/ahvn13.js';

/** eCH-0020 messages for tests, written by MigraFlow's own writer (schema-valid by construction; the writer has its own tests). */

export const KRIENS_REGISTER = 'sedex://T1-1059-1';

export function header(overrides: Partial<Header> = {}): Header {
  return {
    senderId: KRIENS_REGISTER,
    recipientIds: [],
    messageId: randomUUID(),
    referenceMessageId: null,
    messageType: 'http://www.ech.ch/xmlns/eCH-0020/3',
    messageDate: '2026-11-20T10:00:00',
    eventDate: '2026-11-19',
    action: 1,
    testDelivery: false,
    sendingApplication: { manufacturer: 'Gemeinde', product: 'Einwohnerregister', productVersion: '7.1' },
    ...overrides,
  };
}

export function message(event: RegisterEvent, overrides: Partial<Header> = {}): { xml: string; messageId: string } {
  const h = header(overrides);
  return { xml: writeDelivery({ header: h, event }, countries()), messageId: h.messageId };
}

export function key(overrides: Partial<PersonKey> = {}): PersonKey {
  return {
    ahvn13: null,
    localId: { category: 'LU.1059', id: randomUUID().slice(0, 8) },
    otherIds: [],
    officialName: 'Muster',
    firstNames: 'Anna',
    originalName: null,
    sex: 'f',
    dateOfBirth: '1990-04-12',
    ...overrides,
  };
}

export function personData(who: PersonKey, overrides: Partial<PersonData> = {}): PersonData {
  return {
    key: who,
    names: { officialName: who.officialName, firstNames: who.firstNames, callName: null, maidenName: who.originalName, allianceName: null, aliasName: null, nameInForeignPassport: null },
    placeOfBirth: 'Porto',
    countryOfBirth: 'PT',
    civilStatus: 'single',
    civilStatusDate: null,
    nationality: 'PT',
    placesOfOrigin: [],
    permit: { echCode: '02', validFrom: '2026-11-01', validUntil: '2031-10-31', entryDate: '2026-10-30' },
    religion: '121',
    dateOfDeath: null,
    blockingNote: false,
    papersBlock: false,
    ...overrides,
  };
}

export function residenceIn(bfs: number, name: string, arrivalDate: string, overrides: Partial<Residence> = {}): Residence {
  return {
    kind: 'main',
    municipality: { bfs, name, canton: 'LU' },
    arrivalDate,
    comesFrom: { kind: 'foreign', country: 'PT', countryName: 'Portugal', town: 'Porto' },
    dwelling: { egid: 190_000_001, ewid: 2, street: 'Obergrundstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern', movingDate: null },
    departureDate: null,
    goesTo: null,
    ...overrides,
  };
}

/** An eCH-0058 receipt for one of MigraFlow's messages, as a partner answers (positive: action 9, negative: 8). */
export function receipt(referenceMessageId: string, options: { positive?: boolean; notice?: string; senderId?: string } = {}): { xml: string; messageId: string } {
  const positive = options.positive ?? true;
  const h = header({ referenceMessageId, messageType: 'http://www.ech.ch/xmlns/eCH-0058/5', action: positive ? 9 : 8, eventDate: null, ...(options.senderId ? { senderId: options.senderId } : {}) });
  return { xml: writeReceipt({ header: h, positive, notice: options.notice ?? (positive ? 'übernommen' : 'abgelehnt') }), messageId: h.messageId };
}

// --- added for the exchange event and bad-input tests ---------------------------------------------

export const LUZERN_REGISTER = 'sedex://T1-1061-1';

export const KRIENS_MUNICIPALITY: Municipality = { bfs: 1059, name: 'Kriens', canton: 'LU' };
export const LUZERN_MUNICIPALITY: Municipality = { bfs: 1061, name: 'Luzern', canton: 'LU' };

/** A valid AHV number (756, nine digits from `serial`, EAN-13 check digit): distinct serials give distinct numbers. */
export function ahvn13(serial: number): string {
  const first12 = `756${String(serial).padStart(9, '0')}`;
  return `${first12}${ahvn13CheckDigit(first12)}`;
}

/** A dwelling in Kriens (eCH-0010 address with building and dwelling ids). */
export function kriensDwelling(overrides: Partial<Dwelling> = {}): Dwelling {
  return { egid: 190_100_001, ewid: 3, street: 'Luzernerstrasse', houseNumber: '21', postalCode: '6010', town: 'Kriens', movingDate: null, ...overrides };
}

/** A main residence in Kriens from `arrivalDate`, arriving from Porto unless told otherwise. */
export function kriensResidence(arrivalDate: string, overrides: Partial<Residence> = {}): Residence {
  return residenceIn(1059, 'Kriens', arrivalDate, { dwelling: kriensDwelling(), ...overrides });
}

/** A Swiss citizen: places of origin instead of a permit. */
export function swissPersonData(who: PersonKey, placesOfOrigin: string[], overrides: Partial<PersonData> = {}): PersonData {
  return personData(who, { placeOfBirth: 'Luzern', countryOfBirth: 'CH', nationality: 'CH', placesOfOrigin, permit: null, religion: '121', ...overrides });
}

/** The eCH-0044 person identification as MigraFlow's writer puts it into a message (for hand-made messages). */
function personIdentificationXml(who: PersonKey): string {
  const { xml } = message({ type: 'death', person: who, dateOfDeath: '2000-01-01' });
  const match = /<eCH-0020:deathPerson>([\s\S]*?)<\/eCH-0020:deathPerson>/.exec(xml);
  if (!match?.[1]) throw new Error('the writer wrote no deathPerson');
  return match[1];
}

/**
 * A schema-valid eCH-0020 changeReligion, an event MigraFlow does not apply (the writer has no
 * such event: a death message with its event element replaced).
 */
export function changeReligionMessage(who: PersonKey, religion: string, validFrom: string, overrides: Partial<Header> = {}): { xml: string; messageId: string } {
  const { xml, messageId } = message({ type: 'death', person: who, dateOfDeath: '2000-01-01' }, overrides);
  const event = [
    '<eCH-0020:changeReligion>',
    `<eCH-0020:changeReligionPerson>${personIdentificationXml(who)}</eCH-0020:changeReligionPerson>`,
    `<eCH-0020:religionData><eCH-0011:religion>${religion}</eCH-0011:religion><eCH-0011:religionValidFrom>${validFrom}</eCH-0011:religionValidFrom></eCH-0020:religionData>`,
    '</eCH-0020:changeReligion>',
  ].join('\n');
  const replaced = xml.replace(/<eCH-0020:death>[\s\S]*<\/eCH-0020:death>/, event);
  if (replaced === xml) throw new Error('no death event to replace');
  return { xml: replaced, messageId };
}

/** The same document in UTF-16 (little endian, with byte order mark and a matching declaration). */
export function inUtf16(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
}

/** The same document in ISO-8859-1 (Latin-1) with a matching declaration. */
export function inLatin1(xml: string): Buffer {
  return Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
}
