/**
 * The register events MigraFlow reads from and writes to eCH-0020 v3 deliveries, in the
 * register's own terms (ISO country codes, civil-status slugs, 'm'/'f'/'x'). The reader
 * (`ech0020-read.ts`) turns a validated delivery into a `Delivery`; the writer (`ech0020-write.ts`)
 * turns a `Delivery` back into XML. Writing and reading again gives the same value: the unit
 * tests hold both to that.
 */
import type { CivilStatus } from '../../../platform/db/tables.js';

/** eCH-0044 person identification: how sender and receiver agree on who is meant. */
export interface PersonKey {
  /** AHV number (AHVN13, 13 digits starting 756), when the sender knows it. */
  ahvn13: string | null;
  /** The sender's own id of the person (eCH-0044 localPersonId). */
  localId: ExternalId;
  /** Other registers' ids the sender knows (eCH-0044 otherPersonId). */
  otherIds: ExternalId[];
  officialName: string;
  firstNames: string;
  /** eCH-0044 originalName: the name before marriage; MigraFlow's maiden name. */
  originalName: string | null;
  sex: 'm' | 'f' | 'x';
  /** YYYY-MM-DD; a part not known is 00 (eCH-0044 datePartiallyKnown). */
  dateOfBirth: string;
}

export interface ExternalId {
  /** eCH-0044 personIdCategory, e.g. 'CH.ZAR', 'LU.1061' or MigraFlow's 'MF.<office>'. */
  category: string;
  id: string;
}

/** eCH-0011 nameData in MigraFlow's name fields (NG §13: all name forms). */
export interface Names {
  officialName: string;
  firstNames: string;
  callName: string | null;
  /** eCH-0011 originalName. */
  maidenName: string | null;
  allianceName: string | null;
  aliasName: string | null;
  nameInForeignPassport: string | null;
}

/** A Swiss municipality by its BFS number. */
export interface Municipality {
  bfs: number;
  name: string;
  /** Canton abbreviation ('LU'); optional in eCH-0007. */
  canton: string | null;
}

/** eCH-0011 generalPlaceType: where someone came from or went to. */
export type Place =
  | { kind: 'unknown' }
  | { kind: 'swiss'; municipality: Municipality }
  | { kind: 'foreign'; country: string; countryName: string; town: string | null };

/** eCH-0011 dwellingAddressType with its eCH-0010 Swiss address. */
export interface Dwelling {
  egid: number | null;
  ewid: number | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string;
  town: string;
  /** Day of a move within the municipality (eCH-0011 movingDate). */
  movingDate: string | null;
}

export type ResidenceKind = 'main' | 'secondary' | 'other';

/** One reporting relationship with a municipality (eCH-0020 reportingMunicipalityType). */
export interface Residence {
  kind: ResidenceKind;
  municipality: Municipality;
  arrivalDate: string;
  comesFrom: Place | null;
  dwelling: Dwelling;
  departureDate: string | null;
  goesTo: Place | null;
}

/** eCH-0011 residencePermitData: a foreigner's category (eCH-0006 code) and its dates. */
export interface PermitData {
  /** eCH-0006 code, 2 to 6 digits: category ('02' = B), ruling, subcategory. */
  echCode: string;
  validFrom: string | null;
  validUntil: string | null;
  entryDate: string | null;
}

/** Everything eCH-0020 carries about a person arriving, being born or delivered in full. */
export interface PersonData {
  key: PersonKey;
  names: Names;
  /** Birth place as text ('Luzern' or 'Porto, PT'); country ISO code when abroad. */
  placeOfBirth: string | null;
  countryOfBirth: string | null;
  civilStatus: CivilStatus;
  civilStatusDate: string | null;
  /** ISO 3166-1 alpha-2; 'XS' stateless, 'XX' unknown; 'CH' for Swiss citizens. */
  nationality: string;
  /** Swiss places of origin ('Luzern LU'); only for Swiss citizens. */
  placesOfOrigin: string[];
  /** The residence permit of a foreigner; null for Swiss citizens. */
  permit: PermitData | null;
  /** BFS religion code (eCH-0011 religionType, '000' unknown). */
  religion: string;
  dateOfDeath: string | null;
  /** eCH-0021 lockData: address lock (Sperrvermerk) and paper lock (Schriftensperre). */
  blockingNote: boolean;
  papersBlock: boolean;
}

/** One residence row of the register, carried unchanged between MigraFlow offices. */
export interface HistoryResidence {
  kind: 'main' | 'secondary';
  registrationType: string;
  municipalityBfs: number;
  municipalityName: string;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  town: string | null;
  egid: number | null;
  ewid: number | null;
  householdId: string | null;
  arrivalDate: string;
  arrivedFrom: string | null;
  departureDate: string | null;
  departedTo: string | null;
}

/**
 * MigraFlow's own history, carried in eCH-0020's `extension` between MigraFlow offices so that a
 * base delivery loses nothing eCH has no field for (earlier residences, permit history with the
 * admission reasons the key figures count by). Other software ignores it (lax processing).
 */
export interface HistoryExtension {
  /** The register's residence rows as they are (places as the register wrote them). */
  residences: HistoryResidence[];
  permits: {
    category: string;
    admissionReason: string;
    validFrom: string;
    validUntil: string | null;
    controlDate: string | null;
    endedOn: string | null;
    endReason: string | null;
    conditions: string | null;
    cardNumber: string | null;
    lStayStart: string | null;
    immigrationGroup: string | null;
  }[];
}

export interface BaseDeliveryEntry {
  person: PersonData;
  residence: Residence;
  validFrom: string | null;
  history: HistoryExtension | null;
}

/** The events MigraFlow applies to its register (issue 7): one per delivery, except the base delivery. */
export type RegisterEvent =
  | { type: 'baseDelivery'; entries: BaseDeliveryEntry[] }
  | { type: 'moveIn'; person: PersonData; residence: Residence }
  | { type: 'birth'; person: PersonData; residence: Residence | null }
  | { type: 'move'; person: PersonKey; municipality: Municipality; dwelling: Dwelling }
  | { type: 'moveOut'; person: PersonKey; municipality: Municipality; departureDate: string; goesTo: Place }
  | { type: 'changeName' | 'correctName'; person: PersonKey; names: Names; validFrom: string | null }
  | { type: 'marriage' | 'partnership'; person: PersonKey; civilStatus: CivilStatus; date: string | null }
  | { type: 'divorce' | 'undoPartnership' | 'undoMarriage'; person: PersonKey; civilStatus: CivilStatus; date: string | null }
  | { type: 'correctMaritalInfo'; person: PersonKey; civilStatus: CivilStatus; date: string | null }
  | { type: 'changeNationality' | 'correctNationality'; person: PersonKey; nationality: string; validFrom: string | null }
  | { type: 'naturalizeForeigner'; person: PersonKey; placesOfOrigin: string[]; validFrom: string | null }
  | { type: 'death'; person: PersonKey; dateOfDeath: string }
  | { type: 'changeResidencePermit' | 'correctResidencePermit'; person: PersonKey; permit: PermitData }
  | { type: 'correctIdentification'; person: PersonKey; corrected: PersonKey }
  | { type: 'correctBirthInfo'; person: PersonKey; dateOfBirth: string; placeOfBirth: string | null; countryOfBirth: string | null; sex: 'm' | 'f' | 'x' | null };

export type RegisterEventType = RegisterEvent['type'];

export const REGISTER_EVENT_TYPES: readonly RegisterEventType[] = [
  'baseDelivery',
  'moveIn',
  'birth',
  'move',
  'moveOut',
  'changeName',
  'correctName',
  'marriage',
  'partnership',
  'divorce',
  'undoPartnership',
  'undoMarriage',
  'correctMaritalInfo',
  'changeNationality',
  'correctNationality',
  'naturalizeForeigner',
  'death',
  'changeResidencePermit',
  'correctResidencePermit',
  'correctIdentification',
  'correctBirthInfo',
];

/** eCH-0058 header fields MigraFlow reads and writes. */
export interface Header {
  senderId: string;
  recipientIds: string[];
  messageId: string;
  referenceMessageId: string | null;
  /** eCH-0058 messageType; for eCH-0020 deliveries 'http://www.ech.ch/xmlns/eCH-0020/3'. */
  messageType: string;
  messageDate: string;
  eventDate: string | null;
  /** eCH-0058 action: 1 new, 3 revoke, 4 correction, 8 negative receipt, 9 positive receipt … */
  action: number;
  testDelivery: boolean;
  sendingApplication: { manufacturer: string; product: string; productVersion: string };
}

export interface Delivery {
  header: Header;
  event: RegisterEvent;
}

/** eCH-0058 eventReport: a receipt for a message, positive (9) or negative (8). */
export interface Receipt {
  header: Header;
  positive: boolean;
  /** Plain-words notice; for a negative receipt why the message was refused. */
  notice: string;
}
