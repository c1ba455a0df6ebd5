/**
 * Reads an eCH-0020 v3 delivery or an eCH-0058 v5 event report into MigraFlow's terms (pure: no
 * I/O). The message has already passed `validateXml`, so structure and code lists are trusted; a
 * missing required element still fails loudly rather than producing a half-read event.
 *
 * Senders choose their own prefixes or a default namespace, so only local names are looked at
 * (removeNSPrefix). `ech0020-write.ts` is the inverse: what it writes reads back to the same value;
 * the comments there say where eCH cannot carry a register value.
 */
import { XMLParser } from 'fast-xml-parser';
import { civilStatusOfCode, placeOfOriginText, registerDateOfPartialDate, sexOfCode, type CountryList, type PartialDate } from './codes.js';
import { REGISTER_EVENT_TYPES, type BaseDeliveryEntry, type Delivery, type Dwelling, type ExternalId, type Header, type HistoryExtension, type Municipality, type Names, type PermitData, type PersonData, type PersonKey, type Place, type Receipt, type RegisterEvent, type Residence, type ResidenceKind } from './events.js';
import { children, elementNames, isNode, type XmlNode, type XmlValue } from '../../../platform/xml/tree.js';

/** A valid eCH-0020 event that MigraFlow does not apply to its register (e.g. changeReligion). */
export class UnsupportedEventError extends Error {
  constructor(
    readonly eventName: string,
    detail?: string,
  ) {
    super(`The eCH-0020 event '${eventName}' is not applied by MigraFlow${detail === undefined ? '' : `: ${detail}`}.`);
    this.name = 'UnsupportedEventError';
  }
}

/** A root element that is neither an eCH-0020 delivery nor an eCH-0058 event report. */
export class UnsupportedMessageError extends Error {
  constructor(readonly rootName: string) {
    super(`A message with the root element '${rootName}' is neither an eCH-0020 delivery nor an eCH-0058 event report.`);
    this.name = 'UnsupportedMessageError';
  }
}

export type ReadMessage = { kind: 'delivery'; delivery: Delivery } | { kind: 'receipt'; receipt: Receipt };


/** Elements that may repeat where the reader iterates them: always arrays, even with one occurrence. */
const REPEATED = new Set(['messages', 'recipientId', 'otherPersonId', 'placeOfOriginInfo', 'countryInfo', 'residence', 'permit']);

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: false,
  // Character references (&#228;) are XML, not HTML, but fast-xml-parser only decodes them with this on.
  htmlEntities: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

/** eCH-0020 events MigraFlow applies; any other valid event is an UnsupportedEventError. */
const APPLIED_EVENTS = new Set<string>(REGISTER_EVENT_TYPES);

function child(node: XmlNode, name: string): XmlNode | null {
  return children(node, name)[0] ?? null;
}

function need(node: XmlNode, name: string): XmlNode {
  const found = child(node, name);
  if (found === null) throw new Error(`eCH-0020: <${name}> is missing (the message should have been validated first).`);
  return found;
}

/** An element's text ('' for an empty one), or null when the element is absent. */
function text(node: XmlNode, name: string): string | null {
  const value = node[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  if (typeof first === 'string') return first;
  if (isNode(first)) {
    const inner = first['#text'];
    return typeof inner === 'string' ? inner : '';
  }
  return '';
}

/** The texts of a repeated element. */
function texts(node: XmlNode, name: string): string[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : ''));
}

function needText(node: XmlNode, name: string): string {
  const found = text(node, name);
  if (found === null) throw new Error(`eCH-0020: <${name}> is missing (the message should have been validated first).`);
  return found;
}

/** xs:date without the time zone a sender may add ('2026-11-19+01:00'); the register keeps plain dates. */
function date(node: XmlNode, name: string): string | null {
  return text(node, name)?.slice(0, 10) ?? null;
}

function needDate(node: XmlNode, name: string): string {
  return needText(node, name).slice(0, 10);
}

/** All text inside an element of xs:anyType (an eCH-0058 notice may hold markup), in document order. */
function allText(value: XmlValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(allText).join(' ');
  return Object.entries(value)
    .filter(([name]) => !name.startsWith('@_'))
    .map(([, inner]) => allText(inner))
    .join(' ');
}

export function readMessage(xml: string, countries: CountryList): ReadMessage {
  // parse() is typed any: the shape is the one described by XmlNode (parseTagValue off: all text is string).
  const document = parser.parse(xml) as XmlNode;
  const rootName = elementNames(document)[0] ?? '';
  const root = child(document, rootName);
  if (root === null) throw new UnsupportedMessageError(rootName);
  if (rootName === 'delivery') return { kind: 'delivery', delivery: new DeliveryReader(countries).delivery(root) };
  if (rootName === 'eventReport') return { kind: 'receipt', receipt: readReceipt(root) };
  throw new UnsupportedMessageError(rootName);
}

function readReceipt(root: XmlNode): Receipt {
  const info = need(root, 'info');
  const positive = child(info, 'positiveReport');
  const report = positive ?? need(info, 'negativeReport');
  return { header: readHeader(need(root, 'header')), positive: positive !== null, notice: allText(report['notice'] ?? '').trim() };
}

/** eCH-0058 headerType: the fields MigraFlow keeps. */
function readHeader(h: XmlNode): Header {
  const application = need(h, 'sendingApplication');
  const flag = needText(h, 'testDeliveryFlag');
  return {
    senderId: needText(h, 'senderId'),
    recipientIds: texts(h, 'recipientId'),
    messageId: needText(h, 'messageId'),
    referenceMessageId: text(h, 'referenceMessageId'),
    messageType: needText(h, 'messageType'),
    messageDate: needText(h, 'messageDate'),
    eventDate: date(h, 'eventDate'),
    action: Number(needText(h, 'action')),
    testDelivery: flag === 'true' || flag === '1',
    sendingApplication: { manufacturer: needText(application, 'manufacturer'), product: needText(application, 'product'), productVersion: needText(application, 'productVersion') },
  };
}

function namedId(node: XmlNode): ExternalId {
  return { category: needText(node, 'personIdCategory'), id: needText(node, 'personId') };
}

/** eCH-0044 datePartiallyKnownType back to a register date with 00 for unknown parts. */
function partialDate(node: XmlNode): string {
  for (const element of ['yearMonthDay', 'yearMonth', 'year'] as const) {
    const value = text(node, element);
    if (value !== null) return registerDateOfPartialDate({ element, value } satisfies PartialDate);
  }
  throw new Error('eCH-0020: a date of birth has none of yearMonthDay, yearMonth, year.');
}

/** eCH-0044 personIdentificationType (euPersonId is not kept). */
function personKey(node: XmlNode): PersonKey {
  return {
    ahvn13: text(node, 'vn'),
    localId: namedId(need(node, 'localPersonId')),
    otherIds: children(node, 'otherPersonId').map(namedId),
    officialName: needText(node, 'officialName'),
    firstNames: needText(node, 'firstName'),
    originalName: text(node, 'originalName'),
    sex: sexOfCode(needText(node, 'sex')),
    dateOfBirth: partialDate(need(node, 'dateOfBirth')),
  };
}

/**
 * eCH-0011 nameDataType. otherName has no register field. nameOnForeignPassport's parts are joined
 * 'name, firstName' (MigraFlow itself sends the whole string as name). A declaredForeignName is a
 * name the person declared, not the one in the passport, and is not taken as such.
 */
function names(node: XmlNode): Names {
  const passport = child(node, 'nameOnForeignPassport');
  const passportParts = passport === null ? [] : [text(passport, 'name'), text(passport, 'firstName')].filter((part): part is string => part !== null && part !== '');
  return {
    officialName: needText(node, 'officialName'),
    firstNames: needText(node, 'firstName'),
    callName: text(node, 'callName'),
    maidenName: text(node, 'originalName'),
    allianceName: text(node, 'allianceName'),
    aliasName: text(node, 'aliasName'),
    nameInForeignPassport: passportParts.length > 0 ? passportParts.join(', ') : null,
  };
}

/**
 * eCH-0007 swissMunicipalityType. A sender may leave out the BFS number; the register's
 * Municipality requires one, so 0 stands for "not given" (no municipality has it).
 */
function municipality(node: XmlNode): Municipality {
  const id = text(node, 'municipalityId');
  return { bfs: id === null ? 0 : Number(id), name: needText(node, 'municipalityName'), canton: text(node, 'cantonAbbreviation') };
}

/** eCH-0011 dwellingAddressType (householdID and typeOfHousehold are not kept). */
function dwelling(node: XmlNode): Dwelling {
  const address = need(node, 'address');
  const egid = text(node, 'EGID');
  const ewid = text(node, 'EWID');
  return {
    egid: egid === null ? null : Number(egid),
    ewid: ewid === null ? null : Number(ewid),
    street: text(address, 'street'),
    houseNumber: text(address, 'houseNumber'),
    postalCode: needText(address, 'swissZipCode'),
    town: needText(address, 'town'),
    movingDate: date(node, 'movingDate'),
  };
}

/** eCH-0011 residencePermitDataType; a nil permit (see the writer) is no permit. */
function permit(node: XmlNode): PermitData | null {
  const code = need(node, 'residencePermit');
  const nil = code['@_nil'];
  if (nil === 'true' || nil === '1') return null;
  return {
    echCode: needText(node, 'residencePermit'),
    validFrom: date(node, 'residencePermitValidFrom'),
    validUntil: date(node, 'residencePermitValidTill'),
    entryDate: date(node, 'entryDate'),
  };
}

function placeOfOrigin(info: XmlNode): string {
  const origin = need(info, 'placeOfOrigin');
  return placeOfOriginText(needText(origin, 'originName'), needText(origin, 'canton'));
}

function historyExtension(extension: XmlNode | null): HistoryExtension | null {
  const history = extension === null ? null : child(extension, 'history');
  if (history === null) return null;
  const optionalNumber = (node: XmlNode, name: string) => {
    const value = text(node, name);
    return value === null ? null : Number(value);
  };
  return {
    residences: children(history, 'residence').map((r) => ({
      kind: needText(r, 'kind') === 'main' ? 'main' : 'secondary',
      registrationType: needText(r, 'registrationType'),
      municipalityBfs: Number(needText(r, 'municipalityId')),
      municipalityName: needText(r, 'municipalityName'),
      street: text(r, 'street'),
      houseNumber: text(r, 'houseNumber'),
      postalCode: text(r, 'postalCode'),
      town: text(r, 'town'),
      egid: optionalNumber(r, 'EGID'),
      ewid: optionalNumber(r, 'EWID'),
      householdId: text(r, 'householdId'),
      arrivalDate: needDate(r, 'arrivalDate'),
      arrivedFrom: text(r, 'comesFrom'),
      departureDate: date(r, 'departureDate'),
      departedTo: text(r, 'goesTo'),
    })),
    permits: children(history, 'permit').map((p) => ({
      category: needText(p, 'category'),
      admissionReason: needText(p, 'admissionReason'),
      validFrom: needDate(p, 'validFrom'),
      validUntil: date(p, 'validUntil'),
      controlDate: date(p, 'controlDate'),
      endedOn: date(p, 'endedOn'),
      endReason: text(p, 'endReason'),
      conditions: text(p, 'conditions'),
      cardNumber: text(p, 'cardNumber'),
      lStayStart: date(p, 'lStayStart'),
      immigrationGroup: text(p, 'immigrationGroup'),
    })),
  };
}

class DeliveryReader {
  constructor(private readonly countries: CountryList) {}

  delivery(root: XmlNode): Delivery {
    const header = readHeader(need(root, 'deliveryHeader'));
    const eventName = elementNames(root).find((name) => name !== 'deliveryHeader') ?? '';
    if (!APPLIED_EVENTS.has(eventName)) throw new UnsupportedEventError(eventName);
    return { header, event: this.event(eventName, need(root, eventName)) };
  }

  /** eCH-0008 countryType → ISO code: by BFS id where the list has it, else the ISO code sent, else 'XX'. */
  private countryIso(node: XmlNode): string {
    const id = text(node, 'countryId');
    const known = id === null ? undefined : this.countries.byBfs.get(Number(id));
    return known?.iso2 ?? text(node, 'countryIdISO2') ?? 'XX';
  }

  /** eCH-0011 generalPlaceType / destinationType (mailAddress is not kept). */
  private place(node: XmlNode): Place {
    const swiss = child(node, 'swissTown');
    if (swiss !== null) return { kind: 'swiss', municipality: municipality(swiss) };
    const foreign = child(node, 'foreignCountry');
    if (foreign !== null) {
      const country = need(foreign, 'country');
      return { kind: 'foreign', country: this.countryIso(country), countryName: needText(country, 'countryNameShort'), town: text(foreign, 'town') };
    }
    return { kind: 'unknown' };
  }

  /** birthData/placeOfBirth as the register keeps it: place text and country ('CH' for a Swiss town). */
  private placeOfBirth(node: XmlNode): { placeOfBirth: string | null; countryOfBirth: string | null } {
    const swiss = child(node, 'swissTown');
    if (swiss !== null) return { placeOfBirth: needText(swiss, 'municipalityName') || null, countryOfBirth: 'CH' };
    const foreign = child(node, 'foreignCountry');
    if (foreign !== null) return { placeOfBirth: text(foreign, 'town'), countryOfBirth: this.countryIso(need(foreign, 'country')) };
    return { placeOfBirth: null, countryOfBirth: null };
  }

  /** eCH-0011 nationalityDataType: status 0 'XX', 1 'XS', 2 the first country; its validFrom. */
  private nationality(node: XmlNode): { nationality: string; validFrom: string | null } {
    const status = needText(node, 'nationalityStatus');
    const info = child(node, 'countryInfo');
    if (status === '0' || status === '1' || info === null) return { nationality: status === '1' ? 'XS' : 'XX', validFrom: null };
    return { nationality: this.countryIso(need(info, 'country')), validFrom: date(info, 'nationalityValidFrom') };
  }

  /**
   * The full person of a base delivery, move-in or birth. Date of birth and sex are the person key's
   * (birthData repeats them). A nil permit or no places of origin both read as "none".
   */
  private personData(node: XmlNode): PersonData {
    const key = personKey(need(node, 'personIdentification'));
    const maritalInfo = child(node, 'maritalInfo');
    const marital = maritalInfo === null ? need(node, 'maritalData') : need(maritalInfo, 'maritalData');
    const permitData = child(node, 'residencePermitData');
    const death = child(node, 'deathData');
    const lock = need(node, 'lockData');
    return {
      key,
      names: names(need(need(node, 'nameInfo'), 'nameData')),
      ...this.placeOfBirth(need(need(need(node, 'birthInfo'), 'birthData'), 'placeOfBirth')),
      civilStatus: civilStatusOfCode(needText(marital, 'maritalStatus')),
      civilStatusDate: date(marital, 'dateOfMaritalStatus'),
      nationality: this.nationality(need(node, 'nationalityData')).nationality,
      placesOfOrigin: children(node, 'placeOfOriginInfo').map(placeOfOrigin),
      permit: permitData === null ? null : permit(permitData),
      religion: needText(need(node, 'religionData'), 'religion'),
      dateOfDeath: death === null ? null : needDate(need(death, 'deathPeriod'), 'dateFrom'),
      // dataLock 2 (Auskunftssperre) blocks more than an address lock: still a blocking note.
      blockingNote: needText(lock, 'dataLock') !== '0',
      papersBlock: needText(lock, 'paperLock') === '1',
    };
  }

  /**
   * A reporting relationship (any of eCH-0011's and eCH-0020's restrictions of residenceDataType).
   * A relationship kept by a federal register instead of a municipality has no place in the register.
   */
  private residence(eventName: string, kind: ResidenceKind, node: XmlNode): Residence {
    const reporting = child(node, 'reportingMunicipality');
    if (reporting === null) throw new UnsupportedEventError(eventName, 'the residence is reported by a federal register, not a municipality');
    const comesFrom = child(node, 'comesFrom');
    const goesTo = child(node, 'goesTo');
    return {
      kind,
      municipality: municipality(reporting),
      arrivalDate: needDate(node, 'arrivalDate'),
      comesFrom: comesFrom === null ? null : this.place(comesFrom),
      dwelling: dwelling(need(node, 'dwellingAddress')),
      departureDate: date(node, 'departureDate'),
      goesTo: goesTo === null ? null : this.place(goesTo),
    };
  }

  /** The residence choice of a move-in or base-delivery message (mainResidence/secondaryResidence lists are not kept). */
  private residenceChoice(eventName: string, node: XmlNode): Residence {
    const main = child(node, 'hasMainResidence');
    if (main !== null) return this.residence(eventName, 'main', main);
    const secondary = child(node, 'hasSecondaryResidence');
    if (secondary !== null) return this.residence(eventName, 'secondary', secondary);
    return this.residence(eventName, 'other', need(node, 'hasOtherResidence'));
  }

  /** The optional residence of a birth (eCH-0011 main/secondary/otherResidenceType). */
  private birthResidence(node: XmlNode): Residence | null {
    const main = child(node, 'hasMainResidence');
    if (main !== null) return this.residence('birth', 'main', need(main, 'mainResidence'));
    const secondary = child(node, 'hasSecondaryResidence');
    if (secondary !== null) return this.residence('birth', 'secondary', need(secondary, 'secondaryResidence'));
    const other = child(node, 'hasOtherResidence');
    if (other !== null) return this.residence('birth', 'other', need(other, 'secondaryResidence'));
    return null;
  }

  private baseDeliveryEntry(message: XmlNode): BaseDeliveryEntry {
    return {
      person: this.personData(need(message, 'baseDeliveryPerson')),
      residence: this.residenceChoice('baseDelivery', message),
      validFrom: date(message, 'baseDeliveryValidFrom'),
      history: historyExtension(child(message, 'extension')),
    };
  }

  /** The birth data of a correctBirthInfo; a sex equal to the person's current one is "not corrected". */
  private correctBirthInfo(event: XmlNode): RegisterEvent {
    const person = personKey(need(event, 'correctBirthInfoPerson'));
    const birthData = need(need(event, 'birthInfo'), 'birthData');
    const sex = sexOfCode(needText(birthData, 'sex'));
    return { type: 'correctBirthInfo', person, dateOfBirth: partialDate(need(birthData, 'dateOfBirth')), ...this.placeOfBirth(need(birthData, 'placeOfBirth')), sex: sex === person.sex ? null : sex };
  }

  private event(name: string, event: XmlNode): RegisterEvent {
    const person = (element: string) => personKey(need(event, element));
    switch (name) {
      case 'baseDelivery':
        return { type: 'baseDelivery', entries: children(event, 'messages').map((message) => this.baseDeliveryEntry(message)) };
      case 'moveIn':
        return { type: 'moveIn', person: this.personData(need(event, 'moveInPerson')), residence: this.residenceChoice(name, event) };
      case 'birth':
        return { type: 'birth', person: this.personData(need(event, 'birthPerson')), residence: this.birthResidence(event) };
      case 'move': {
        const reporting = need(event, 'moveReportingMunicipality');
        const municipalityNode = child(reporting, 'reportingMunicipality');
        if (municipalityNode === null) throw new UnsupportedEventError(name, 'the move is reported by a federal register, not a municipality');
        return { type: 'move', person: person('movePerson'), municipality: municipality(municipalityNode), dwelling: dwelling(need(reporting, 'dwellingAddress')) };
      }
      case 'moveOut': {
        const destination = need(event, 'moveOutReportingDestination');
        const municipalityNode = child(destination, 'reportingMunicipality');
        if (municipalityNode === null) throw new UnsupportedEventError(name, 'the departure is reported by a federal register, not a municipality');
        return { type: 'moveOut', person: person('moveOutPerson'), municipality: municipality(municipalityNode), departureDate: needDate(destination, 'departureDate'), goesTo: this.place(need(destination, 'goesTo')) };
      }
      case 'changeName':
      case 'correctName': {
        const info = need(event, 'nameInfo');
        return { type: name, person: person(`${name}Person`), names: names(need(info, 'nameData')), validFrom: date(info, 'nameValidFrom') };
      }
      case 'marriage':
      case 'partnership':
      case 'correctMaritalInfo': {
        const marital = need(need(event, 'maritalInfo'), 'maritalData');
        const personElement = name === 'correctMaritalInfo' ? 'correctMaritalDataPerson' : `${name}Person`;
        return { type: name, person: person(personElement), civilStatus: civilStatusOfCode(needText(marital, 'maritalStatus')), date: date(marital, 'dateOfMaritalStatus') };
      }
      case 'divorce':
      case 'undoMarriage':
      case 'undoPartnership': {
        // cancelationReason (undoPartnership) has no register field.
        const marital = need(event, 'maritalData');
        return { type: name, person: person(`${name}Person`), civilStatus: civilStatusOfCode(needText(marital, 'maritalStatus')), date: date(marital, 'dateOfMaritalStatus') };
      }
      case 'changeNationality':
      case 'correctNationality':
        return { type: name, person: person(`${name}Person`), ...this.nationality(need(event, 'nationalityData')) };
      case 'naturalizeForeigner': {
        // The nationality element is fixed to Switzerland; the date is the places of origin's naturalisation date.
        const infos = children(event, 'placeOfOriginInfo');
        const validFrom = infos.map((info) => child(info, 'placeOfOriginAddonData')).map((addon) => (addon === null ? null : date(addon, 'naturalizationDate'))).find((value) => value !== null) ?? null;
        return { type: name, person: person('naturalizeForeignerPerson'), placesOfOrigin: infos.map(placeOfOrigin), validFrom };
      }
      case 'death':
        return { type: name, person: person('deathPerson'), dateOfDeath: needDate(need(need(event, 'deathData'), 'deathPeriod'), 'dateFrom') };
      case 'changeResidencePermit':
      case 'correctResidencePermit': {
        const data = child(event, 'residencePermitData');
        const value = data === null ? null : permit(data);
        // The register's permit events always set a permit; taking one away is not one of them.
        if (value === null) throw new UnsupportedEventError(name, 'the message sets no residence permit');
        return { type: name, person: person(name === 'changeResidencePermit' ? 'entryResidencePermitPerson' : 'correctResidencePermitPerson'), permit: value };
      }
      case 'correctIdentification': {
        // Only identifiers change (personIdOnlyType): names, sex and birth date stay the ones before.
        const correction = need(event, 'correctIdentificationPerson');
        const before = personKey(need(correction, 'personIdentificationBefore'));
        const after = need(correction, 'personIdentificationAfter');
        return {
          type: name,
          person: before,
          corrected: { ...before, ahvn13: text(after, 'vn'), localId: namedId(need(after, 'localPersonId')), otherIds: children(after, 'otherPersonId').map(namedId) },
        };
      }
      case 'correctBirthInfo':
        return this.correctBirthInfo(event);
      default:
        throw new UnsupportedEventError(name);
    }
  }
}
