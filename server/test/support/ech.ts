import { randomUUID } from 'node:crypto';
import { countries } from '../../src/modules/exchange/countries.js';
import { writeDelivery } from '../../src/modules/exchange/rules/ech0020-write.js';
import type { Header, PersonData, PersonKey, RegisterEvent, Residence } from '../../src/modules/exchange/rules/events.js';

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
