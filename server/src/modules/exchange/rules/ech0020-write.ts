/**
 * Writes MigraFlow's register events as eCH-0020 v3 deliveries and receipts as eCH-0058 v5 event
 * reports (pure: no I/O). `ech0020-read.ts` is the exact inverse for every value this writer
 * accepts; where eCH cannot carry a value, the comment at that place says what is sent instead.
 *
 * The XML is built by fast-xml-parser's XMLBuilder, which escapes all text. Elements carry the
 * prefix of the schema that declares them (all eCH schemas are elementFormDefault="qualified"):
 * an element of an eCH-0020 type is eCH-0020:…, even when its type comes from eCH-0011, and the
 * restricted copies of a type repeat that type's element names in the namespace that restricts it.
 * The order of the keys of each object below is the order of the XSD sequence.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { CivilStatus } from '../../../platform/db/tables.js';
import { civilStatusOfCode, codeOfCivilStatus, codeOfSex, partialDateOfRegisterDate, placeOfOriginParts, type CountryList } from './codes.js';
import type { BaseDeliveryEntry, Delivery, Dwelling, ExternalId, Header, HistoryExtension, Municipality, Names, PermitData, PersonData, PersonKey, Place, Receipt, RegisterEvent, Residence } from './events.js';

/** The namespaces of the fixed prefixes MigraFlow writes. */
export const ECH_NAMESPACES = {
  'eCH-0020': 'http://www.ech.ch/xmlns/eCH-0020/3',
  'eCH-0058': 'http://www.ech.ch/xmlns/eCH-0058/5',
  'eCH-0044': 'http://www.ech.ch/xmlns/eCH-0044/4',
  'eCH-0011': 'http://www.ech.ch/xmlns/eCH-0011/8',
  'eCH-0010': 'http://www.ech.ch/xmlns/eCH-0010/5',
  'eCH-0007': 'http://www.ech.ch/xmlns/eCH-0007/5',
  'eCH-0008': 'http://www.ech.ch/xmlns/eCH-0008/3',
  'eCH-0021': 'http://www.ech.ch/xmlns/eCH-0021/7',
  'eCH-0006': 'http://www.ech.ch/xmlns/eCH-0006/2',
} as const;

export const HISTORY_NAMESPACE = 'urn:migraflow:history:1';

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** The value of eCH-0058 messageType for eCH-0020 deliveries. */
export const ECH0020_MESSAGE_TYPE = ECH_NAMESPACES['eCH-0020'];

/**
 * A value the writer cannot send without making something up: a date the XSD requires but the event
 * lacks, or a civil status that contradicts the one the event's restricted type fixes.
 */
export class UnwritableEventError extends Error {
  constructor(
    readonly eventType: string,
    reason: string,
  ) {
    super(`eCH-0020 ${eventType}: ${reason}`);
    this.name = 'UnwritableEventError';
  }
}

/** An element's content as XMLBuilder takes it: text, child elements ('@_' keys are attributes), or repeats. */
type Xml = string | XmlElement | Xml[];
interface XmlElement {
  [name: string]: Xml | undefined;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  // Otherwise an attribute whose value is 'true' (xsi:nil) is written without a value: not XML.
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  format: true,
  indentBy: '  ',
});

const XML_DECLARATION = { '@_version': '1.0', '@_encoding': 'UTF-8' };

/** Leaves an optional element out (XMLBuilder skips undefined) when the register has no value. */
function opt(value: string | null): string | undefined {
  return value ?? undefined;
}

function many(items: Xml[]): Xml[] | undefined {
  return items.length > 0 ? items : undefined;
}

function yesNo(value: boolean): string {
  return value ? '1' : '0';
}

export function writeDelivery(delivery: Delivery, countries: CountryList): string {
  const writer = new DeliveryWriter(countries);
  const root: XmlElement = {};
  for (const [prefix, namespace] of Object.entries(ECH_NAMESPACES)) root[`@_xmlns:${prefix}`] = namespace;
  root['@_version'] = '3.0';
  root['eCH-0020:deliveryHeader'] = header(delivery.header);
  Object.assign(root, writer.event(delivery.event));
  return builder.build({ '?xml': XML_DECLARATION, 'eCH-0020:delivery': root });
}

export function writeReceipt(receipt: Receipt): string {
  const report = { 'eCH-0058:notice': receipt.notice };
  return builder.build({
    '?xml': XML_DECLARATION,
    'eCH-0058:eventReport': {
      '@_xmlns:eCH-0058': ECH_NAMESPACES['eCH-0058'],
      'eCH-0058:header': header(receipt.header),
      'eCH-0058:info': receipt.positive ? { 'eCH-0058:positiveReport': report } : { 'eCH-0058:negativeReport': report },
    },
  });
}

/** eCH-0058 headerType: the fields MigraFlow keeps, in the XSD's order. */
function header(h: Header): XmlElement {
  return {
    'eCH-0058:senderId': h.senderId,
    'eCH-0058:recipientId': many(h.recipientIds),
    'eCH-0058:messageId': h.messageId,
    'eCH-0058:referenceMessageId': opt(h.referenceMessageId),
    'eCH-0058:messageType': h.messageType,
    'eCH-0058:sendingApplication': {
      'eCH-0058:manufacturer': h.sendingApplication.manufacturer,
      'eCH-0058:product': h.sendingApplication.product,
      'eCH-0058:productVersion': h.sendingApplication.productVersion,
    },
    'eCH-0058:messageDate': h.messageDate,
    'eCH-0058:eventDate': opt(h.eventDate),
    'eCH-0058:action': String(h.action),
    'eCH-0058:testDeliveryFlag': h.testDelivery ? 'true' : 'false',
  };
}

/** eCH-0044 namedPersonIdType. */
function namedId(id: ExternalId): XmlElement {
  return { 'eCH-0044:personIdCategory': id.category, 'eCH-0044:personId': id.id };
}

/** eCH-0044 datePartiallyKnownType. */
function partialDate(date: string): XmlElement {
  const { element, value } = partialDateOfRegisterDate(date);
  return { [`eCH-0044:${element}`]: value };
}

/** eCH-0044 personIdentificationType (euPersonId: MigraFlow keeps none). */
function personKey(key: PersonKey): XmlElement {
  return {
    'eCH-0044:vn': opt(key.ahvn13),
    'eCH-0044:localPersonId': namedId(key.localId),
    'eCH-0044:otherPersonId': many(key.otherIds.map(namedId)),
    'eCH-0044:officialName': key.officialName,
    'eCH-0044:firstName': key.firstNames,
    'eCH-0044:originalName': opt(key.originalName),
    'eCH-0044:sex': codeOfSex(key.sex),
    'eCH-0044:dateOfBirth': partialDate(key.dateOfBirth),
  };
}

/**
 * eCH-0011 nameDataType. otherName has no register field. The passport name is one string in the
 * register, so it goes whole into nameOnForeignPassport/name (foreignerNameType's firstName is left
 * out): splitting it into surname and first names would be a guess.
 */
function nameData(names: Names): XmlElement {
  return {
    'eCH-0011:officialName': names.officialName,
    'eCH-0011:firstName': names.firstNames,
    'eCH-0011:originalName': opt(names.maidenName),
    'eCH-0011:allianceName': opt(names.allianceName),
    'eCH-0011:aliasName': opt(names.aliasName),
    'eCH-0011:callName': opt(names.callName),
    'eCH-0011:nameOnForeignPassport': names.nameInForeignPassport === null ? undefined : { 'eCH-0011:name': names.nameInForeignPassport },
  };
}

/** eCH-0020 nameInfoType. */
function nameInfo(names: Names, validFrom: string | null): XmlElement {
  return { 'eCH-0020:nameData': nameData(names), 'eCH-0020:nameValidFrom': opt(validFrom) };
}

/** eCH-0007 swissMunicipalityType. */
function municipality(m: Municipality): XmlElement {
  return {
    'eCH-0007:municipalityId': String(m.bfs),
    'eCH-0007:municipalityName': m.name,
    'eCH-0007:cantonAbbreviation': opt(m.canton),
  };
}

/**
 * eCH-0011 dwellingAddressType. householdID: a Residence has none (the history extension carries it).
 * typeOfHousehold is required and the register does not keep it: '1' (private household, what
 * nearly every registered person lives in); the reader ignores it. A house number
 * without a street is left out: eCH-0010 only allows it after a street.
 */
function dwellingAddress(d: Dwelling): XmlElement {
  return {
    'eCH-0011:EGID': d.egid === null ? undefined : String(d.egid),
    'eCH-0011:EWID': d.ewid === null ? undefined : String(d.ewid),
    'eCH-0011:address': {
      'eCH-0010:street': opt(d.street),
      'eCH-0010:houseNumber': d.street === null ? undefined : opt(d.houseNumber),
      'eCH-0010:town': d.town,
      'eCH-0010:swissZipCode': d.postalCode,
      'eCH-0010:country': 'CH',
    },
    'eCH-0011:typeOfHousehold': '1',
    'eCH-0011:movingDate': opt(d.movingDate),
  };
}

/** eCH-0011 maritalDataType with the fields the register keeps. */
function maritalData(status: CivilStatus, date: string | null): XmlElement {
  return { 'eCH-0011:maritalStatus': codeOfCivilStatus(status), 'eCH-0011:dateOfMaritalStatus': opt(date) };
}

/** eCH-0011 residencePermitDataType, or xsi:nil when a foreigner's permit is not known (see `originOrPermit`). */
function residencePermitData(permit: PermitData | null): XmlElement {
  if (permit === null) return { 'eCH-0011:residencePermit': { '@_xmlns:xsi': XSI_NAMESPACE, '@_xsi:nil': 'true' } };
  return {
    'eCH-0011:residencePermit': permit.echCode,
    'eCH-0011:residencePermitValidFrom': opt(permit.validFrom),
    'eCH-0011:residencePermitValidTill': opt(permit.validUntil),
    'eCH-0011:entryDate': opt(permit.entryDate),
  };
}

/**
 * eCH-0020 placeOfOriginInfoType from 'Name KT' or 'Name (KT)' (see `placeOfOriginParts`); the
 * naturalisation date where an event has one. The canton is required (one of the 26) and not to be
 * guessed from the name: a place of origin that names none cannot be sent.
 */
function placeOfOriginInfo(eventType: string, text: string, naturalizationDate: string | null): XmlElement {
  const { name, canton } = placeOfOriginParts(text);
  if (canton === null) throw new UnwritableEventError(eventType, `the place of origin '${text}' does not end in a canton abbreviation ('Name KT')`);
  return {
    'eCH-0020:placeOfOrigin': { 'eCH-0011:originName': name, 'eCH-0011:canton': canton },
    'eCH-0020:placeOfOriginAddonData': naturalizationDate === null ? undefined : { 'eCH-0021:naturalizationDate': naturalizationDate },
  };
}

/** A restricted maritalData whose status the XSD fixes and whose date it requires. */
function restrictedMaritalData(type: string, status: CivilStatus, date: string | null, fixedCode: string): XmlElement {
  if (civilStatusOfCode(fixedCode) !== status) throw new UnwritableEventError(type, `the civil status must be '${civilStatusOfCode(fixedCode)}' (eCH-0011 maritalStatus ${fixedCode}), not '${status}'`);
  if (date === null) throw new UnwritableEventError(type, 'eCH-0011 requires the date of the civil status');
  return { 'eCH-0011:maritalStatus': fixedCode, 'eCH-0011:dateOfMaritalStatus': date };
}

class DeliveryWriter {
  constructor(private readonly countries: CountryList) {}

  /** eCH-0008 countryType: the BFS id where the list knows the ISO code, the ISO code, and a name. */
  private country(iso: string, name: string | null): XmlElement {
    const known = this.countries.byIso.get(iso);
    return {
      'eCH-0008:countryId': known === undefined ? undefined : String(known.bfsId),
      'eCH-0008:countryIdISO2': iso,
      'eCH-0008:countryNameShort': name ?? known?.name ?? iso,
    };
  }

  /** eCH-0011 generalPlaceType (and destinationType, whose mailAddress the register does not keep). */
  private place(place: Place): XmlElement {
    switch (place.kind) {
      case 'unknown':
        return { 'eCH-0011:unknown': '0' };
      case 'swiss':
        return { 'eCH-0011:swissTown': municipality(place.municipality) };
      case 'foreign':
        return { 'eCH-0011:foreignCountry': { 'eCH-0011:country': this.country(place.country, place.countryName), 'eCH-0011:town': opt(place.town) } };
    }
  }

  /**
   * Birth place: in Switzerland a swissTown named after the place (no BFS number: the register keeps
   * text), abroad the country with the place as town, both unknown → unknown. A place without a
   * country cannot be told apart from a Swiss one and is written as Swiss (read back with 'CH').
   */
  private placeOfBirth(place: string | null, country: string | null): XmlElement {
    if (place === null && country === null) return this.place({ kind: 'unknown' });
    if (country === null || country === 'CH') return { 'eCH-0011:swissTown': { 'eCH-0007:municipalityName': place ?? '' } };
    return { 'eCH-0011:foreignCountry': { 'eCH-0011:country': this.country(country, null), 'eCH-0011:town': opt(place) } };
  }

  /** eCH-0011 birthDataType; date of birth and sex are the person key's. */
  private birthData(dateOfBirth: string, place: string | null, country: string | null, sex: 'm' | 'f' | 'x'): XmlElement {
    return {
      'eCH-0011:dateOfBirth': partialDate(dateOfBirth),
      'eCH-0011:placeOfBirth': this.placeOfBirth(place, country),
      'eCH-0011:sex': codeOfSex(sex),
    };
  }

  /**
   * eCH-0011 nationalityDataType: 'XX' → status 0, 'XS' → status 1, both without countryInfo (so a
   * validFrom has nowhere to go and is not sent), any other ISO code → status 2 with the country.
   */
  private nationalityData(nationality: string, validFrom: string | null): XmlElement {
    if (nationality === 'XX') return { 'eCH-0011:nationalityStatus': '0' };
    if (nationality === 'XS') return { 'eCH-0011:nationalityStatus': '1' };
    return {
      'eCH-0011:nationalityStatus': '2',
      'eCH-0011:countryInfo': { 'eCH-0011:country': this.country(nationality, null), 'eCH-0011:nationalityValidFrom': opt(validFrom) },
    };
  }

  /**
   * The XSD's required choice between places of origin (Swiss citizens) and a residence permit
   * (foreigners). When the one that applies is empty — a foreigner whose permit is not known, a Swiss
   * citizen without a recorded place of origin — the permit is sent as xsi:nil, which eCH-0011 allows
   * for exactly this (residencePermit is nillable); the reader turns it back into no permit and no
   * place of origin, so these persons round-trip too. A permit of a Swiss citizen or places of origin
   * of a foreigner are not sent: the choice admits only one.
   */
  private originOrPermit(eventType: string, person: PersonData): XmlElement {
    if (person.nationality === 'CH' && person.placesOfOrigin.length > 0) {
      return { 'eCH-0020:placeOfOriginInfo': person.placesOfOrigin.map((text) => placeOfOriginInfo(eventType, text, null)) };
    }
    return { 'eCH-0020:residencePermitData': residencePermitData(person.nationality === 'CH' ? null : person.permit) };
  }

  /**
   * The full person of a base delivery, move-in or birth. Only the base delivery has deathData; the
   * dateOfDeath of an arriving or newborn person is not sent. A birth has maritalData where the
   * others have maritalInfo. religionValidFrom, contact, job and relationship data: no register field.
   */
  private personData(person: PersonData, variant: 'base' | 'moveIn' | 'birth'): XmlElement {
    const marital = maritalData(person.civilStatus, person.civilStatusDate);
    return {
      'eCH-0020:personIdentification': personKey(person.key),
      'eCH-0020:nameInfo': nameInfo(person.names, null),
      'eCH-0020:birthInfo': { 'eCH-0020:birthData': this.birthData(person.key.dateOfBirth, person.placeOfBirth, person.countryOfBirth, person.key.sex) },
      'eCH-0020:religionData': { 'eCH-0011:religion': person.religion },
      ...(variant === 'birth' ? { 'eCH-0020:maritalData': marital } : { 'eCH-0020:maritalInfo': { 'eCH-0020:maritalData': marital } }),
      'eCH-0020:nationalityData': this.nationalityData(person.nationality, null),
      'eCH-0020:deathData': variant === 'base' && person.dateOfDeath !== null ? { 'eCH-0011:deathPeriod': { 'eCH-0011:dateFrom': person.dateOfDeath } } : undefined,
      ...this.originOrPermit(variant === 'base' ? 'baseDelivery' : variant, person),
      'eCH-0020:lockData': { 'eCH-0021:dataLock': yesNo(person.blockingNote), 'eCH-0021:paperLock': yesNo(person.papersBlock) },
    };
  }

  /**
   * A reporting relationship in the given namespace (eCH-0020 restricts eCH-0011's residenceDataType
   * under its own names). Where comesFrom is required and the register has none, 'unknown' is sent
   * (read back as { kind: 'unknown' }). A move-in cannot carry departure data, which is then left out.
   */
  private residenceData(prefix: 'eCH-0020' | 'eCH-0011', residence: Residence, rules: { comesFromRequired: boolean; departure: boolean }): XmlElement {
    const comesFrom = residence.comesFrom ?? (rules.comesFromRequired ? { kind: 'unknown' as const } : null);
    return {
      [`${prefix}:reportingMunicipality`]: municipality(residence.municipality),
      [`${prefix}:arrivalDate`]: residence.arrivalDate,
      [`${prefix}:comesFrom`]: comesFrom === null ? undefined : this.place(comesFrom),
      [`${prefix}:dwellingAddress`]: dwellingAddress(residence.dwelling),
      [`${prefix}:departureDate`]: rules.departure ? opt(residence.departureDate) : undefined,
      [`${prefix}:goesTo`]: rules.departure && residence.goesTo !== null ? this.place(residence.goesTo) : undefined,
    };
  }

  /**
   * The residence choice of a move-in or base-delivery message (eCH-0020's restricted types). A
   * secondary residence must name the main one, which the register does not keep with it: the same
   * municipality is sent (and ignored when reading).
   */
  private residenceChoice(residence: Residence, variant: 'base' | 'moveIn'): XmlElement {
    const data = this.residenceData('eCH-0020', residence, { comesFromRequired: variant === 'moveIn' || residence.kind !== 'main', departure: variant === 'base' });
    switch (residence.kind) {
      case 'main':
        return { 'eCH-0020:hasMainResidence': data };
      case 'secondary':
        return { 'eCH-0020:hasSecondaryResidence': { ...data, 'eCH-0020:mainResidence': municipality(residence.municipality) } };
      case 'other':
        return { 'eCH-0020:hasOtherResidence': data };
    }
  }

  /** The optional residence of a birth: eCH-0011's main/secondary/otherResidenceType. */
  private birthResidence(residence: Residence | null): XmlElement {
    if (residence === null) return {};
    const data = (comesFromRequired: boolean) => this.residenceData('eCH-0011', residence, { comesFromRequired, departure: true });
    switch (residence.kind) {
      case 'main':
        return { 'eCH-0020:hasMainResidence': { 'eCH-0011:mainResidence': data(false) } };
      case 'secondary':
        return { 'eCH-0020:hasSecondaryResidence': { 'eCH-0011:mainResidence': municipality(residence.municipality), 'eCH-0011:secondaryResidence': data(true) } };
      case 'other':
        return { 'eCH-0020:hasOtherResidence': { 'eCH-0011:secondaryResidence': data(true) } };
    }
  }

  private baseDeliveryMessage(entry: BaseDeliveryEntry): XmlElement {
    return {
      'eCH-0020:baseDeliveryPerson': this.personData(entry.person, 'base'),
      ...this.residenceChoice(entry.residence, 'base'),
      'eCH-0020:baseDeliveryValidFrom': opt(entry.validFrom),
      'eCH-0020:extension': entry.history === null ? undefined : { 'mf:history': history(entry.history) },
    };
  }

  /** The event element of the delivery, keyed by its name. */
  event(event: RegisterEvent): XmlElement {
    switch (event.type) {
      case 'baseDelivery':
        return { 'eCH-0020:baseDelivery': { 'eCH-0020:messages': event.entries.map((entry) => this.baseDeliveryMessage(entry)) } };
      case 'moveIn':
        return { 'eCH-0020:moveIn': { 'eCH-0020:moveInPerson': this.personData(event.person, 'moveIn'), ...this.residenceChoice(event.residence, 'moveIn') } };
      case 'birth':
        return { 'eCH-0020:birth': { 'eCH-0020:birthPerson': this.personData(event.person, 'birth'), ...this.birthResidence(event.residence) } };
      case 'move':
        return {
          'eCH-0020:move': {
            'eCH-0020:movePerson': personKey(event.person),
            'eCH-0020:moveReportingMunicipality': { 'eCH-0020:reportingMunicipality': municipality(event.municipality), 'eCH-0020:dwellingAddress': dwellingAddress(event.dwelling) },
          },
        };
      case 'moveOut':
        return {
          'eCH-0020:moveOut': {
            'eCH-0020:moveOutPerson': personKey(event.person),
            'eCH-0020:moveOutReportingDestination': {
              'eCH-0020:reportingMunicipality': municipality(event.municipality),
              'eCH-0020:departureDate': event.departureDate,
              'eCH-0020:goesTo': this.place(event.goesTo),
            },
          },
        };
      case 'changeName':
      case 'correctName':
        return { [`eCH-0020:${event.type}`]: { [`eCH-0020:${event.type}Person`]: personKey(event.person), 'eCH-0020:nameInfo': nameInfo(event.names, event.validFrom) } };
      case 'marriage':
      case 'partnership':
        // eCH-0020's maritalInfoRestrictedMarriageType allows any status and an optional date.
        return {
          [`eCH-0020:${event.type}`]: {
            [`eCH-0020:${event.type}Person`]: personKey(event.person),
            'eCH-0020:maritalInfo': { 'eCH-0020:maritalData': { 'eCH-0020:maritalStatus': codeOfCivilStatus(event.civilStatus), 'eCH-0020:dateOfMaritalStatus': opt(event.date) } },
          },
        };
      case 'divorce':
        return { 'eCH-0020:divorce': { 'eCH-0020:divorcePerson': personKey(event.person), 'eCH-0020:maritalData': restrictedMaritalData(event.type, event.civilStatus, event.date, '4') } };
      case 'undoMarriage':
        // Status 5 ('unverheiratet'), which the register calls single.
        return { 'eCH-0020:undoMarriage': { 'eCH-0020:undoMarriagePerson': personKey(event.person), 'eCH-0020:maritalData': restrictedMaritalData(event.type, event.civilStatus, event.date, '5') } };
      case 'undoPartnership':
        return {
          'eCH-0020:undoPartnership': {
            'eCH-0020:undoPartnershipPerson': personKey(event.person),
            // cancelationReason is required and the register does not keep it: 9 (unknown); ignored when reading.
            'eCH-0020:maritalData': { ...restrictedMaritalData(event.type, event.civilStatus, event.date, '7'), 'eCH-0011:cancelationReason': '9' },
          },
        };
      case 'correctMaritalInfo':
        return { 'eCH-0020:correctMaritalInfo': { 'eCH-0020:correctMaritalDataPerson': personKey(event.person), 'eCH-0020:maritalInfo': { 'eCH-0020:maritalData': maritalData(event.civilStatus, event.date) } } };
      case 'changeNationality':
      case 'correctNationality':
        return { [`eCH-0020:${event.type}`]: { [`eCH-0020:${event.type}Person`]: personKey(event.person), 'eCH-0020:nationalityData': this.nationalityData(event.nationality, event.validFrom) } };
      case 'naturalizeForeigner':
        // swissNationalityType has no date: validFrom travels as each place of origin's naturalizationDate.
        if (event.placesOfOrigin.length === 0) throw new UnwritableEventError(event.type, 'eCH-0020 requires at least one place of origin');
        return {
          'eCH-0020:naturalizeForeigner': {
            'eCH-0020:naturalizeForeignerPerson': personKey(event.person),
            'eCH-0020:placeOfOriginInfo': event.placesOfOrigin.map((text) => placeOfOriginInfo(event.type, text, event.validFrom)),
            'eCH-0020:nationality': { 'eCH-0020:nationalityStatus': '2', 'eCH-0020:country': { 'eCH-0020:countryId': '8100', 'eCH-0020:countryIdISO2': 'CH' } },
          },
        };
      case 'death':
        return { 'eCH-0020:death': { 'eCH-0020:deathPerson': personKey(event.person), 'eCH-0020:deathData': { 'eCH-0011:deathPeriod': { 'eCH-0011:dateFrom': event.dateOfDeath } } } };
      case 'changeResidencePermit':
        // eventEntryResidencePermit; jobData: no register field.
        return { 'eCH-0020:changeResidencePermit': { 'eCH-0020:entryResidencePermitPerson': personKey(event.person), 'eCH-0020:residencePermitData': residencePermitData(event.permit) } };
      case 'correctResidencePermit':
        return { 'eCH-0020:correctResidencePermit': { 'eCH-0020:correctResidencePermitPerson': personKey(event.person), 'eCH-0020:residencePermitData': residencePermitData(event.permit) } };
      case 'correctIdentification':
        return { 'eCH-0020:correctIdentification': { 'eCH-0020:correctIdentificationPerson': correctIdentificationPerson(event.person, event.corrected) } };
      case 'correctBirthInfo':
        return {
          'eCH-0020:correctBirthInfo': {
            'eCH-0020:correctBirthInfoPerson': personKey(event.person),
            // sex is required; null (not corrected) sends the current one, which the reader turns back into null.
            'eCH-0020:birthInfo': { 'eCH-0020:birthData': this.birthData(event.dateOfBirth, event.placeOfBirth, event.countryOfBirth, event.sex ?? event.person.sex) },
          },
        };
    }
  }
}

/**
 * eCH-0020 correctIdentificationPersonType: the key before and, after, only the identifiers
 * (personIdOnlyType). Names, sex and birth date have their own corrections (correctName,
 * correctBirthInfo): sending them here would be silently lost, so a difference is refused.
 */
function correctIdentificationPerson(before: PersonKey, after: PersonKey): XmlElement {
  const fields = ['officialName', 'firstNames', 'originalName', 'sex', 'dateOfBirth'] as const;
  const changed = fields.filter((field) => before[field] !== after[field]);
  if (changed.length > 0) throw new UnwritableEventError('correctIdentification', `only identifiers can be corrected here, not ${changed.join(', ')}`);
  return {
    'eCH-0020:personIdentificationBefore': personKey(before),
    'eCH-0020:personIdentificationAfter': {
      'eCH-0020:vn': opt(after.ahvn13),
      'eCH-0020:localPersonId': namedId(after.localId),
      'eCH-0020:otherPersonId': many(after.otherIds.map(namedId)),
    },
  };
}

/** migraflow-history-1.xsd, element by element in its order: the register's rows as they are. */
function history(h: HistoryExtension): XmlElement {
  return {
    '@_xmlns:mf': HISTORY_NAMESPACE,
    'mf:residence': many(
      h.residences.map((r) => ({
        'mf:kind': r.kind,
        'mf:registrationType': r.registrationType,
        'mf:municipalityId': String(r.municipalityBfs),
        'mf:municipalityName': r.municipalityName,
        'mf:street': opt(r.street),
        'mf:houseNumber': opt(r.houseNumber),
        'mf:postalCode': opt(r.postalCode),
        'mf:town': opt(r.town),
        'mf:EGID': r.egid === null ? undefined : String(r.egid),
        'mf:EWID': r.ewid === null ? undefined : String(r.ewid),
        'mf:householdId': opt(r.householdId),
        'mf:arrivalDate': r.arrivalDate,
        'mf:comesFrom': opt(r.arrivedFrom),
        'mf:departureDate': opt(r.departureDate),
        'mf:goesTo': opt(r.departedTo),
      })),
    ),
    'mf:permit': many(
      h.permits.map((p) => ({
        'mf:category': p.category,
        'mf:admissionReason': p.admissionReason,
        'mf:validFrom': p.validFrom,
        'mf:validUntil': opt(p.validUntil),
        'mf:controlDate': opt(p.controlDate),
        'mf:endedOn': opt(p.endedOn),
        'mf:endReason': opt(p.endReason),
        'mf:conditions': opt(p.conditions),
        'mf:cardNumber': opt(p.cardNumber),
        'mf:lStayStart': opt(p.lStayStart),
        'mf:immigrationGroup': opt(p.immigrationGroup),
      })),
    ),
  };
}
