/**
 * Deterministic generator of realistic register persons for the canton of Lucerne.
 *
 * Used for demo data, load tests and benchmarks. Same options → same persons, in
 * the same order, on every machine: all randomness comes from one seeded sfc32
 * stream (random.ts). Persons are produced household by household, so the lazy
 * generator holds only one household in memory and a million persons stream in
 * constant memory. The stream never looks ahead at `count`: the first N persons
 * are the same whatever count is asked for.
 */

import { addYears, daysFromCivil, formatDays, parseIsoDate, civilFromDays, DAYS_PER_YEAR } from './dates.js';
import { ahvnForKey, ahvnKeysForSeed, egidForAddress } from './ids.js';
import type { AhvnKeys } from './ids.js';
import {
  EMIGRATION_COUNTRIES, FOREIGN_GROUPS, INTERNATIONAL_FEMALE, INTERNATIONAL_MALE, NATURALISED_ORIGINS,
  SWISS_GROUP, TRANSIT_COUNTRIES, foldToAscii,
} from './names.js';
import type { NameGroup } from './names.js';
import {
  BIRTH_TOWNS_LUCERNE, MUNICIPALITY_DETAILS, NATURALISATION_PLACES, PLACES_OF_ORIGIN, SWISS_TOWNS_OUTSIDE,
} from './places.js';
import type { MunicipalityDetail } from './places.js';
import { Random, WeightedTable } from './random.js';

export { LUCERNE_MUNICIPALITIES } from './places.js';

export interface GeneratedResidence {
  municipalityBfs: number;
  municipalityName: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  town: string;
  egid: number;
  ewid: number;
  kind: 'main' | 'secondary';
  arrivalDate: string;
  /** ISO country code when from abroad, a Swiss town (or the previous Lucerne municipality) when from within Switzerland, null when born here. */
  arrivedFrom: string | null;
  departureDate: string | null;
  /** Next Lucerne municipality for a move; a country code or non-Lucerne Swiss town for a departure from the canton. */
  departedTo: string | null;
}

export type CivilStatus =
  | 'single' | 'married' | 'widowed' | 'divorced' | 'registered-partnership' | 'dissolved-partnership' | 'unknown';

export interface GeneratedPerson {
  key: number;
  ahvn13: string | null;
  officialName: string;
  firstNames: string;
  callName: string | null;
  maidenName: string | null;
  /** Surname as printed in the foreign passport where it differs (other script, other transliteration). */
  nameInForeignPassport: string | null;
  sex: 'm' | 'f';
  dateOfBirth: string;
  placeOfBirth: string;
  countryOfBirth: string;
  nationality: string;
  placeOfOrigin: string | null;
  civilStatus: CivilStatus;
  civilStatusDate: string | null;
  religion: string | null;
  residences: GeneratedResidence[];
  householdKey: number;
}

export interface GeneratorOptions {
  seed: number;
  count: number;
  /** 'YYYY-MM-DD', default '2026-01-01'; no generated date lies after it. */
  referenceDate?: string;
  /** Share of persons without Swiss nationality, default 0.55 (the demo is a migration office). */
  foreignShare?: number;
}

// ------------------------------------------------------------------ static tables

interface GroupTables {
  readonly surnames: WeightedTable<string>;
  readonly male: WeightedTable<string>;
  readonly female: WeightedTable<string>;
  readonly religion: WeightedTable<string | null>;
}

/**
 * Given names that dominate their communities (the Prophet's name and its spellings in
 * Muslim families, Maria in Catholic ones, Mehmet in Turkey) are drawn four times as often.
 */
const DOMINANT_GIVEN_NAMES = new Set([
  'Mohammed', 'Mohammad', 'Muhammad', 'Mohamed', 'Mohamad', 'Muhamed', 'Muhammed', 'Ahmad', 'Ahmed', 'Ali',
  'Mehmet', 'Fatima', 'Fatma', 'Maria', 'María',
]);

/** Surnames follow a flattened Zipf law by list rank unless shares are given; given names are drawn evenly. */
function tablesFor(group: NameGroup): GroupTables {
  const shares = group.surnameShares;
  const surnameWeight = (i: number): number => (shares !== undefined ? (shares[i] ?? 0.5) : 1 / (i + 4));
  const givenWeight = (name: string): number => (DOMINANT_GIVEN_NAMES.has(name) ? 4 : 1);
  return {
    surnames: new WeightedTable(group.surnames.map((s, i) => [s, surnameWeight(i)] as const)),
    male: new WeightedTable(group.male.map((s) => [s, givenWeight(s)] as const)),
    female: new WeightedTable(group.female.map((s) => [s, givenWeight(s)] as const)),
    religion: new WeightedTable(group.religion),
  };
}

const GROUP_TABLES = new Map<NameGroup, GroupTables>(
  [SWISS_GROUP, ...FOREIGN_GROUPS].map((g) => [g, tablesFor(g)] as const),
);

function tables(group: NameGroup): GroupTables {
  const t = GROUP_TABLES.get(group);
  if (t === undefined) throw new Error(`no name tables for ${group.code}`);
  return t;
}

const FOREIGN_GROUP_TABLE = new WeightedTable(FOREIGN_GROUPS.map((g) => [g, g.weight] as const));
const NATURALISED_TABLE = new WeightedTable(NATURALISED_ORIGINS);
const INTERNATIONAL_MALE_TABLE = new WeightedTable(INTERNATIONAL_MALE.map((s) => [s, 1] as const));
const INTERNATIONAL_FEMALE_TABLE = new WeightedTable(INTERNATIONAL_FEMALE.map((s) => [s, 1] as const));
const BIRTH_TOWN_TABLE = new WeightedTable(BIRTH_TOWNS_LUCERNE);
const ORIGIN_TABLE = new WeightedTable(PLACES_OF_ORIGIN);
const SWISS_MUNICIPALITY_TABLE = new WeightedTable(
  MUNICIPALITY_DETAILS.map((m) => [m, m.weight * (1 - m.foreignShare)] as const),
);
const FOREIGN_MUNICIPALITY_TABLE = new WeightedTable(
  MUNICIPALITY_DETAILS.map((m) => [m, m.weight * m.foreignShare] as const),
);
const MUNICIPALITY_INDEX = new Map<MunicipalityDetail, number>(MUNICIPALITY_DETAILS.map((m, i) => [m, i] as const));

const GROUP_BY_CODE = new Map<string, NameGroup>(FOREIGN_GROUPS.map((g) => [g.code, g] as const));
const FOREIGN_TOWNS_EXTRA: Readonly<Record<string, readonly string[]>> = {
  GB: ['London', 'Manchester'], US: ['New York', 'Boston', 'Chicago'], CA: ['Toronto', 'Montréal'],
  AU: ['Sydney', 'Melbourne'], NL: ['Amsterdam', 'Rotterdam'], TH: ['Bangkok', 'Chiang Mai'], GR: ['Athen', 'Thessaloniki'],
};

type AgeBands = WeightedTable<readonly [number, number]>;
const bands = (rows: ReadonlyArray<readonly [number, number, number]>): AgeBands =>
  new WeightedTable(rows.map(([lo, hi, w]) => [[lo, hi] as const, w] as const));

// Adult age bands by household type: Swiss residents are older on average than foreign residents.
const SINGLE_AGES_SWISS = bands([[18, 29, 22], [30, 44, 19], [45, 64, 25], [65, 79, 19], [80, 89, 12], [90, 95, 3]]);
const SINGLE_AGES_FOREIGN = bands([[18, 29, 35], [30, 44, 35], [45, 64, 21], [65, 79, 6], [80, 92, 3]]);
const COUPLE_AGES_SWISS = bands([[22, 34, 22], [35, 54, 20], [55, 74, 37], [75, 84, 16], [85, 93, 5]]);
const COUPLE_AGES_FOREIGN = bands([[22, 34, 38], [35, 54, 36], [55, 74, 21], [75, 90, 5]]);

type HouseholdType = 'single' | 'couple' | 'family' | 'single-parent';
const TYPES_SWISS = new WeightedTable<HouseholdType>([['single', 38], ['couple', 30], ['family', 26], ['single-parent', 6]]);
const TYPES_FOREIGN = new WeightedTable<HouseholdType>([['single', 36], ['couple', 22], ['family', 34], ['single-parent', 8]]);
const KIDS_SWISS = new WeightedTable([[1, 38], [2, 42], [3, 15], [4, 5]] as const);
const KIDS_FOREIGN = new WeightedTable([[1, 30], [2, 38], [3, 20], [4, 8], [5, 4]] as const);
const KIDS_SINGLE_PARENT = new WeightedTable([[1, 60], [2, 32], [3, 8]] as const);
const ADDRESS_COUNT = new WeightedTable([[1, 55], [2, 30], [3, 12], [4, 3]] as const);

/** Groups whose nationals in Lucerne often were born here (second generation). */
const SECOND_GENERATION = new Set(['IT', 'XK', 'TR', 'PT', 'RS', 'MK', 'BA', 'HR', 'ES']);
/** Stateless (XS) and unknown nationality (XX) occur among these groups, per household. */
const NATIONALITY_EXCEPTIONS: Readonly<Record<string, readonly [string, number]>> = {
  SY: ['XS', 0.04], IQ: ['XS', 0.02], ER: ['XX', 0.02], SO: ['XX', 0.03], AF: ['XX', 0.02],
};
const PORTUGUESE_PARTICLE: Readonly<Record<string, string>> = {
  Silva: 'da', Santos: 'dos', Costa: 'da', Sousa: 'de', Oliveira: 'de', Cruz: 'da', Rocha: 'da', Fonseca: 'da',
  Conceição: 'da', Jesus: 'de', Neves: 'das', Reis: 'dos',
};

// ------------------------------------------------------------------ context

interface Context {
  readonly rng: Random;
  readonly today: number;
  readonly foreignShare: number;
  /** Probability that a Swiss household's partner is foreign, and the converse. */
  readonly mixedSwiss: number;
  readonly mixedForeign: number;
  readonly ahvnKeys: AhvnKeys;
  readonly day2008: number;
  readonly day2022War: number;
  readonly dayPartnershipLaw: number;
  readonly dayMarriageForAll: number;
  personsSoFar: number;
  foreignSoFar: number;
}

function createContext(options: GeneratorOptions): Context {
  const { seed, count } = options;
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (count > 999_999_999) throw new RangeError('count must stay below 10^9 (unique AHVN13 body)');
  const foreignShare = options.foreignShare ?? 0.55;
  if (!(foreignShare >= 0 && foreignShare <= 1)) throw new RangeError('foreignShare must be within [0, 1]');
  const today = parseIsoDate(options.referenceDate ?? '2026-01-01');
  if (today < daysFromCivil(1990, 1, 1)) throw new RangeError('referenceDate must not be before 1990-01-01');
  return {
    rng: new Random(seed),
    today,
    foreignShare,
    mixedSwiss: 0.25 * foreignShare,
    mixedForeign: 0.2 * (1 - foreignShare),
    ahvnKeys: ahvnKeysForSeed(seed),
    day2008: daysFromCivil(2008, 1, 1),
    day2022War: daysFromCivil(2022, 3, 1),
    dayPartnershipLaw: daysFromCivil(2007, 1, 1),
    dayMarriageForAll: daysFromCivil(2022, 7, 1),
    personsSoFar: 0,
    foreignSoFar: 0,
  };
}

// ------------------------------------------------------------------ addresses

interface Address {
  readonly municipality: MunicipalityDetail;
  readonly street: string;
  readonly postalCode: string;
  readonly town: string;
  readonly houseNumber: string;
  readonly egid: number;
  readonly ewid: number;
}

function drawAddress(ctx: Context, municipality: MunicipalityDetail): Address {
  const { rng } = ctx;
  const streetIndex = rng.int(0, municipality.streets.length - 1);
  const street = municipality.streets[streetIndex];
  if (street === undefined) throw new Error('municipality without streets');
  // Low house numbers are more frequent: every street has a no. 3, few have a no. 97.
  const number = 1 + Math.floor(rng.next() ** 1.6 * municipality.maxHouseNumber);
  const letter = rng.chance(0.08) ? rng.int(1, 2) : 0;
  const egid = egidForAddress(MUNICIPALITY_INDEX.get(municipality) ?? 0, streetIndex, number, letter);
  return {
    municipality,
    street: street.name,
    postalCode: street.postalCode,
    town: street.town,
    houseNumber: letter === 0 ? String(number) : `${number}${letter === 1 ? 'a' : 'b'}`,
    egid,
    ewid: rng.int(1, municipality.dwellingsPerBuilding),
  };
}

function municipalityFor(ctx: Context, foreign: boolean): MunicipalityDetail {
  return (foreign ? FOREIGN_MUNICIPALITY_TABLE : SWISS_MUNICIPALITY_TABLE).draw(ctx.rng);
}

// ------------------------------------------------------------------ persons in the making

interface Draft {
  sex: 'm' | 'f';
  birth: number;
  partialBirth: 'month' | 'year' | null;
  nameGroup: NameGroup;
  nationality: string;
  officialName: string;
  /** Surname at birth, inflected for sex. */
  birthName: string;
  /** Uninflected family name passed on to children (Kowalski for Anna Kowalska). */
  familyBase: string;
  firstNames: string;
  callName: string | null;
  maidenName: string | null;
  passportName: string | null;
  countryOfBirth: string;
  placeOfBirth: string;
  placeOfOrigin: string | null;
  civilStatus: CivilStatus;
  civilStatusDate: number | null;
  religion: string | null;
  /** Day the person joined the household at its first address. */
  entry: number;
  arrivedFrom: string | null;
  /** Own residence before the household was formed (natives from birth, some partners). */
  preStay: { address: Address; start: number; arrivedFrom: string | null } | null;
}

function birthForAge(ctx: Context, age: number): number {
  return ctx.today - Math.floor((age + ctx.rng.next()) * DAYS_PER_YEAR);
}

function ageFromBands(ctx: Context, table: AgeBands): number {
  const [lo, hi] = table.draw(ctx.rng);
  return ctx.rng.int(lo, hi);
}

/** Older persons carry the names of their generation: draw from the front or back of the list. */
function drawGivenName(ctx: Context, group: NameGroup, sex: 'm' | 'f', birth: number): string {
  const table = sex === 'm' ? tables(group).male : tables(group).female;
  const n = table.items.length;
  const year = civilFromDays(birth).year;
  const old = year < 1980;
  const from = old ? 0 : Math.floor(n * 0.35);
  const to = old ? Math.ceil(n * 0.55) : n;
  return table.drawRange(ctx.rng, from, to);
}

function drawFirstNames(ctx: Context, group: NameGroup, sex: 'm' | 'f', birth: number): {
  firstNames: string;
  callName: string | null;
} {
  const { rng } = ctx;
  const first = drawGivenName(ctx, group, sex, birth);
  if (!rng.chance(group.doubleFirstName)) return { firstNames: first, callName: null };
  let second = drawGivenName(ctx, group, sex, birth);
  if (second === first) second = drawGivenName(ctx, group, sex, birth);
  if (second === first) return { firstNames: first, callName: null };
  const firstNames = `${first} ${second}`;
  // Rufname: recorded where the person goes by the second name, sometimes to confirm the first.
  const r = rng.next();
  const callName = r < 0.3 ? second : r < 0.4 ? first : null;
  return { firstNames, callName };
}

function drawSurname(ctx: Context, group: NameGroup): string {
  const t = tables(group).surnames;
  if (group.style === 'spanish') {
    return `${t.draw(ctx.rng)} ${t.draw(ctx.rng)}`;
  }
  if (group.style === 'portuguese' && ctx.rng.chance(0.7)) {
    const a = t.draw(ctx.rng);
    let b = t.draw(ctx.rng);
    if (b === a) b = t.draw(ctx.rng);
    const particle = PORTUGUESE_PARTICLE[b];
    return particle !== undefined && ctx.rng.chance(0.4) ? `${a} ${particle} ${b}` : `${a} ${b}`;
  }
  return t.draw(ctx.rng);
}

function genderSurname(group: NameGroup, surname: string, sex: 'm' | 'f'): string {
  return sex === 'f' && group.feminine !== null ? group.feminine(surname) : surname;
}

/** Last surname of a Portuguese name including its particle ("da Silva"). */
function portugueseLast(surname: string): string {
  const parts = surname.split(' ');
  const last = parts[parts.length - 1] ?? surname;
  const before = parts[parts.length - 2];
  return before !== undefined && /^(da|de|do|das|dos)$/.test(before) ? `${before} ${last}` : last;
}

function firstToken(s: string): string {
  return s.split(' ')[0] ?? s;
}

function drawReligion(ctx: Context, group: NameGroup): string | null {
  return tables(group).religion.draw(ctx.rng);
}

function birthTownAbroad(ctx: Context, country: string, group: NameGroup | undefined): string {
  const g = group?.code === country ? group : GROUP_BY_CODE.get(country);
  if (g !== undefined && g.towns.length > 0) return ctx.rng.pick(g.towns);
  const extra = FOREIGN_TOWNS_EXTRA[country];
  return extra !== undefined ? ctx.rng.pick(extra) : 'unbekannt';
}

function newDraft(ctx: Context, group: NameGroup, nationality: string, sex: 'm' | 'f', birth: number): Draft {
  return {
    sex, birth, partialBirth: null, nameGroup: group, nationality,
    officialName: '', birthName: '', familyBase: '', firstNames: '', callName: null, maidenName: null, passportName: null,
    countryOfBirth: 'CH', placeOfBirth: BIRTH_TOWN_TABLE.draw(ctx.rng), placeOfOrigin: null,
    civilStatus: 'single', civilStatusDate: null, religion: null,
    entry: birth, arrivedFrom: null, preStay: null,
  };
}

/** Marks a person as born abroad, with the occasional partly unknown or 1 January birth date of eCH practice. */
function bornAbroad(ctx: Context, d: Draft, country: string): void {
  const { rng } = ctx;
  d.countryOfBirth = country;
  d.placeOfBirth = birthTownAbroad(ctx, country, d.nameGroup);
  const g = d.nameGroup;
  if (rng.chance(g.partialBirthDateRate)) {
    d.partialBirth = rng.chance(0.6) ? 'year' : 'month';
  } else if (rng.chance(g.januaryFirstRate)) {
    const { year } = civilFromDays(d.birth);
    const jan1 = daysFromCivil(year, 1, 1);
    if (jan1 <= ctx.today) d.birth = jan1;
  }
}

function formatBirth(d: Draft): string {
  const { year, month } = civilFromDays(d.birth);
  if (d.partialBirth === 'year') return `${year}-00-00`;
  if (d.partialBirth === 'month') return `${year}-${month < 10 ? `0${month}` : month}-00`;
  return formatDays(d.birth);
}

// ------------------------------------------------------------------ civil status

function setSingleStatus(ctx: Context, d: Draft, asylumLike: boolean, partnershipsExist: boolean): void {
  const { rng, today } = ctx;
  const age = (today - d.birth) / DAYS_PER_YEAR;
  const adult18 = addYears(d.birth, 18);
  const sinceAdult = (): number => adult18 + Math.floor(rng.next() * Math.max(1, today - adult18));
  if (asylumLike && rng.chance(0.08)) {
    d.civilStatus = 'unknown';
    return;
  }
  const r = rng.next();
  if (age < 30) {
    if (r < 0.95) d.civilStatus = 'single';
    else if (r < 0.97) {
      d.civilStatus = 'divorced';
      d.civilStatusDate = sinceAdult();
    } else {
      // Married with the spouse abroad or elsewhere in Switzerland.
      d.civilStatus = 'married';
      d.civilStatusDate = sinceAdult();
    }
  } else if (age < 65) {
    if (r < 0.5) d.civilStatus = 'single';
    else if (r < 0.8) {
      d.civilStatus = 'divorced';
      d.civilStatusDate = sinceAdult();
    } else if (r < 0.93) {
      d.civilStatus = 'married';
      d.civilStatusDate = sinceAdult();
    } else if (r < 0.97) {
      d.civilStatus = 'widowed';
      d.civilStatusDate = sinceAdult();
    } else if (!partnershipsExist) {
      d.civilStatus = 'single';
    } else if (r < 0.985) {
      d.civilStatus = 'dissolved-partnership';
      d.civilStatusDate = Math.max(ctx.dayPartnershipLaw, sinceAdult());
      if (d.civilStatusDate > today) d.civilStatusDate = today;
    } else {
      // Registered partnerships existed from 2007-01-01 until same-sex marriage (2022-07-01).
      const lo = Math.max(ctx.dayPartnershipLaw, adult18);
      const hi = Math.min(ctx.dayMarriageForAll - 1, today);
      if (lo <= hi) {
        d.civilStatus = 'registered-partnership';
        d.civilStatusDate = lo + Math.floor(rng.next() * (hi - lo + 1));
      } else {
        d.civilStatus = 'single';
      }
    }
  } else {
    const widowed = d.sex === 'f' ? 0.6 : 0.35;
    if (r < widowed) {
      d.civilStatus = 'widowed';
      d.civilStatusDate = addYears(d.birth, 55) + Math.floor(rng.next() * Math.max(1, today - addYears(d.birth, 55)));
    } else if (r < widowed + 0.2) {
      d.civilStatus = 'divorced';
      d.civilStatusDate = sinceAdult();
    } else {
      d.civilStatus = 'single';
    }
  }
  if (d.civilStatusDate !== null && d.civilStatusDate > today) d.civilStatusDate = today;
}

// ------------------------------------------------------------------ household

interface HouseholdPlan {
  readonly foreign: boolean;
  readonly group: NameGroup;
  readonly nationality: string;
  readonly naturalised: boolean;
  readonly type: HouseholdType;
}

function planHousehold(ctx: Context): HouseholdPlan {
  const { rng } = ctx;
  // Feedback on the running share keeps the foreign share on target even though
  // household sizes and mixed couples differ between Swiss and foreign households.
  const deficit = ctx.foreignShare * ctx.personsSoFar - ctx.foreignSoFar;
  const p = Math.min(1, Math.max(0, ctx.foreignShare + deficit * 0.1));
  const foreign = ctx.foreignShare > 0 && (ctx.foreignShare >= 1 || rng.chance(p));
  if (foreign) {
    const group = FOREIGN_GROUP_TABLE.draw(rng);
    const exception = NATIONALITY_EXCEPTIONS[group.code];
    const nationality = exception !== undefined && rng.chance(exception[1]) ? exception[0] : group.code;
    return { foreign, group, nationality, naturalised: false, type: TYPES_FOREIGN.draw(rng) };
  }
  const naturalised = rng.chance(0.15);
  const group = naturalised ? NATURALISED_TABLE.draw(rng) : SWISS_GROUP;
  return { foreign, group, nationality: 'CH', naturalised, type: TYPES_SWISS.draw(rng) };
}

/** A Swiss person's Heimatort; naturalised citizens hold the citizenship of their Lucerne municipality. */
function placeOfOriginFor(ctx: Context, naturalised: boolean): string {
  return naturalised ? ctx.rng.pick(NATURALISATION_PLACES) : ORIGIN_TABLE.draw(ctx.rng);
}

interface Stay {
  readonly address: Address;
  readonly start: number;
}

interface BuiltHousehold {
  readonly persons: Omit<GeneratedPerson, 'key' | 'ahvn13'>[];
  /** Per person: false when the AHVN13 is not assigned yet. */
  readonly hasAhvn: boolean[];
}

const ASYLUM_ORIGINS = new Set(['ER', 'AF', 'SY', 'IQ', 'SO']);

function isCountryCode(place: string | null): place is string {
  return place !== null && /^[A-Z]{2}$/.test(place);
}

function buildHousehold(ctx: Context, householdKey: number): BuiltHousehold {
  const { rng, today } = ctx;
  const plan = planHousehold(ctx);
  const { group } = plan;
  const swissHousehold = !plan.foreign;
  const partnershipsExist = today >= ctx.dayPartnershipLaw;

  // ---- adults and children with birth dates
  const adults: Draft[] = [];
  const children: Draft[] = [];
  let head: Draft;
  let partner: Draft | null = null;

  if (plan.type === 'single') {
    const age = ageFromBands(ctx, swissHousehold ? SINGLE_AGES_SWISS : SINGLE_AGES_FOREIGN);
    const femaleShare = age >= 75 ? 0.65 : swissHousehold ? 0.5 : 0.4;
    head = newDraft(ctx, group, plan.nationality, rng.chance(femaleShare) ? 'f' : 'm', birthForAge(ctx, age));
    adults.push(head);
  } else if (plan.type === 'couple') {
    const age = ageFromBands(ctx, swissHousehold ? COUPLE_AGES_SWISS : COUPLE_AGES_FOREIGN);
    const sameSex = partnershipsExist && rng.chance(0.015);
    const headSex: 'm' | 'f' = sameSex && rng.chance(0.5) ? 'f' : 'm';
    head = newDraft(ctx, group, plan.nationality, headSex, birthForAge(ctx, age));
    const partnerAge = Math.max(18, Math.round(age - rng.normal(2.5, 3)));
    partner = newDraft(ctx, group, plan.nationality, sameSex ? headSex : 'f', birthForAge(ctx, partnerAge));
    adults.push(head, partner);
  } else {
    // Families: children first, the parents' ages follow from the oldest child.
    const kidsTable = plan.type === 'single-parent' ? KIDS_SINGLE_PARENT : swissHousehold ? KIDS_SWISS : KIDS_FOREIGN;
    const nKids = kidsTable.draw(rng);
    const maxOldest = swissHousehold ? 24 : 21;
    const oldestAgeDays = Math.floor(rng.next() ** 1.15 * (maxOldest + 1) * DAYS_PER_YEAR);
    let kidBirth = today - oldestAgeDays;
    const kidBirths: number[] = [];
    for (let i = 0; i < nKids && kidBirth <= today; i++) {
      kidBirths.push(kidBirth);
      kidBirth += rng.chance(0.015) ? 0 : 300 + Math.floor(rng.next() * 4.5 * 365);
    }
    const firstKid = kidBirths[0] ?? today;
    const latestFatherBirth = firstKid - 18 * 365;
    const motherAgeAtFirst = Math.min(42, Math.max(19, Math.round(rng.normal(swissHousehold ? 30.5 : 27.5, 4.5))));
    const motherBirth = firstKid - Math.floor((motherAgeAtFirst + rng.next()) * DAYS_PER_YEAR);
    if (plan.type === 'single-parent') {
      const sex: 'm' | 'f' = rng.chance(0.85) ? 'f' : 'm';
      const birth = sex === 'f' ? motherBirth : Math.min(latestFatherBirth, motherBirth - Math.floor(rng.normal(2.5, 2) * DAYS_PER_YEAR));
      head = newDraft(ctx, group, plan.nationality, sex, birth);
      adults.push(head);
    } else {
      const olderBy = Math.max(-4, rng.normal(2.5, 3));
      const fatherBirth = Math.min(latestFatherBirth, motherBirth - Math.floor(olderBy * DAYS_PER_YEAR));
      head = newDraft(ctx, group, plan.nationality, 'm', fatherBirth);
      partner = newDraft(ctx, group, plan.nationality, 'f', motherBirth);
      adults.push(head, partner);
    }
    for (const b of kidBirths) {
      children.push(newDraft(ctx, group, plan.nationality, rng.chance(0.514) ? 'm' : 'f', b));
    }
  }

  // ---- how the household came to live in the canton
  const headAge = (today - head.birth) / DAYS_PER_YEAR;
  // native: the head was born in the canton (Swiss, or a foreigner of the second generation).
  const native =
    (swissHousehold && rng.chance(plan.naturalised ? 0.4 : 0.62)) ||
    (!swissHousehold && SECOND_GENERATION.has(group.code) && headAge < 50 && rng.chance(0.12));
  const adult18 = (d: Draft): number => addYears(d.birth, 18);
  const latestAdult18 = Math.max(...adults.map(adult18));
  const firstKidBirth = children[0]?.birth ?? null;

  let householdStart: number;
  let householdFrom: string | null;
  if (native) {
    // Formation of the household: after leaving the parents, at the latest with the first child.
    let lo = Math.min(today, Math.max(addYears(head.birth, 19), latestAdult18));
    if (firstKidBirth !== null) lo = Math.min(lo, firstKidBirth);
    const hi = firstKidBirth !== null ? Math.min(today, firstKidBirth) : today;
    householdStart = lo + Math.floor(rng.next() * (Math.max(lo, hi) - lo + 1));
    householdFrom = null;
  } else if (swissHousehold) {
    // Moved in from another canton (or back from abroad) at some time of adult life.
    const lo = Math.min(today, Math.max(latestAdult18, addYears(today, -45)));
    householdStart = lo + Math.floor(rng.next() * (today - lo + 1));
    householdFrom = rng.chance(0.85) ? rng.pick(SWISS_TOWNS_OUTSIDE) : rng.pick(EMIGRATION_COUNTRIES);
  } else {
    // Immigration within the last 20 years, recent years more frequent (the stock is young).
    let lo = Math.min(today, Math.max(addYears(today, -20), addYears(head.birth, 16)));
    if (group.code === 'UA' && today > ctx.day2022War && rng.chance(0.85)) lo = Math.max(lo, ctx.day2022War);
    householdStart = today - Math.floor(rng.next() ** 1.3 * (today - lo));
    const r = rng.next();
    householdFrom =
      r < 0.18 ? rng.pick(SWISS_TOWNS_OUTSIDE)
      : ASYLUM_ORIGINS.has(group.code) && r < 0.45 ? rng.pick(TRANSIT_COUNTRIES)
      : group.code;
  }

  // ---- mixed couples: the partner comes from the other side. A foreign partner of a
  // Swiss household arrived with the household, so only households formed within the
  // last 20 years qualify (foreigners' first arrival lies within 20 years).
  const recentHousehold = householdStart >= addYears(today, -20);
  if (partner !== null) {
    if (swissHousehold && recentHousehold && rng.chance(ctx.mixedSwiss * 2)) {
      partner.nameGroup = FOREIGN_GROUP_TABLE.draw(rng);
      partner.nationality = partner.nameGroup.code;
    } else if (!swissHousehold && rng.chance(ctx.mixedForeign)) {
      partner.nameGroup = SWISS_GROUP;
      partner.nationality = 'CH';
    }
  }
  // A child with one Swiss parent is Swiss by descent.
  const kidsSwiss = swissHousehold || (partner !== null && partner.nationality === 'CH');
  for (const c of children) c.nationality = kidsSwiss ? 'CH' : plan.nationality;
  const mother: Draft | null = partner !== null && partner.sex === 'f' ? partner : head.sex === 'f' ? head : null;
  const father: Draft | null = head.sex === 'm' ? head : null;

  // ---- who joined when, and where the adults were born
  for (const a of adults) {
    a.entry = householdStart;
    a.arrivedFrom = householdFrom;
  }
  if (native) {
    // The head (and often a Swiss partner) lived in the canton from birth, first with the parents.
    // A second-generation foreigner who formed the household long ago married a second-generation
    // partner: a partner from abroad would break the 20-year arrival window.
    const nativePartner = partner !== null && (partner.nationality === 'CH'
      ? rng.chance(0.5)
      : !swissHousehold && (!recentHousehold || rng.chance(0.3)));
    for (const a of nativePartner && partner !== null ? [head, partner] : [head]) {
      const homeMunicipality = municipalityFor(ctx, a.nationality !== 'CH');
      a.preStay = { address: drawAddress(ctx, homeMunicipality), start: a.birth, arrivedFrom: null };
    }
    if (partner !== null && !nativePartner) {
      if (partner.nationality === 'CH') {
        const town = rng.pick(SWISS_TOWNS_OUTSIDE);
        partner.arrivedFrom = town;
        if (rng.chance(0.5)) partner.placeOfBirth = town;
      } else {
        partner.arrivedFrom = partner.nameGroup.code;
        bornAbroad(ctx, partner, partner.nameGroup.code);
      }
    }
  } else {
    for (const a of adults) {
      if (a.nationality === 'CH' && !plan.naturalised && swissHousehold) {
        // A Swiss adult moving in from elsewhere: mostly born in Switzerland, some returning from abroad.
        if (isCountryCode(householdFrom) && rng.chance(0.3)) bornAbroad(ctx, a, householdFrom);
        else if (rng.chance(0.6)) a.placeOfBirth = isCountryCode(householdFrom) ? rng.pick(SWISS_TOWNS_OUTSIDE) : householdFrom ?? a.placeOfBirth;
      } else if (a.nationality === 'CH' && !plan.naturalised) {
        // The Swiss partner of an immigrant: born in Switzerland; came along with the household or
        // already lived elsewhere in Switzerland, but never arrived through an asylum transit country.
        const viaTransit = isCountryCode(householdFrom) && TRANSIT_COUNTRIES.includes(householdFrom) && ASYLUM_ORIGINS.has(group.code);
        if (viaTransit || rng.chance(0.6)) a.arrivedFrom = rng.pick(SWISS_TOWNS_OUTSIDE);
        if (rng.chance(0.5)) a.placeOfBirth = rng.pick(SWISS_TOWNS_OUTSIDE);
      } else {
        bornAbroad(ctx, a, a.nameGroup.code);
      }
    }
    // Family reunification: the wife (and the young children) follow the husband later.
    if (!swissHousehold && partner !== null && partner.sex === 'f' && partner.nationality !== 'CH'
      && today - householdStart > 200 && rng.chance(0.25)) {
      partner.entry = Math.min(today - 1, householdStart + 90 + Math.floor(rng.next() * 810));
      partner.arrivedFrom = partner.nameGroup.code;
    }
  }
  // Children born after their mother arrived were born here; older ones came with her.
  const motherEntry = mother?.entry ?? householdStart;
  const motherFrom = mother?.arrivedFrom ?? householdFrom;
  for (const c of children) {
    if (c.birth >= motherEntry) {
      c.entry = c.birth;
      c.arrivedFrom = null;
    } else {
      c.entry = motherEntry;
      c.arrivedFrom = motherFrom;
      if (isCountryCode(motherFrom)) {
        // Asylum seekers' children were born in the country of origin, not in the transit country.
        bornAbroad(ctx, c, TRANSIT_COUNTRIES.includes(motherFrom) && ASYLUM_ORIGINS.has(group.code) ? group.code : motherFrom);
      } else if (motherFrom !== null) {
        c.placeOfBirth = motherFrom;
      }
    }
  }

  // ---- adults' names and civil status
  const fillNames = (d: Draft, base: string): void => {
    d.familyBase = base;
    d.birthName = genderSurname(d.nameGroup, base, d.sex);
    d.officialName = d.birthName;
    const fn = drawFirstNames(ctx, d.nameGroup, d.sex, d.birth);
    d.firstNames = fn.firstNames;
    d.callName = fn.callName;
  };
  fillNames(head, drawSurname(ctx, head.nameGroup));
  if (partner !== null) {
    fillNames(partner, drawSurname(ctx, partner.nameGroup));
    const hetero = head.sex !== partner.sex;
    if (hetero && head.nameGroup.style === 'western' && rng.chance(0.75)) {
      // The wife took the husband's name: her birth name becomes the maiden name
      // (unless both were born with the same name, then nothing changed).
      const married = genderSurname(head.nameGroup, head.familyBase, partner.sex);
      if (married !== partner.officialName) partner.maidenName = partner.officialName;
      partner.familyBase = head.familyBase;
      partner.officialName = married;
    }
  }
  const asylumLike = ASYLUM_ORIGINS.has(group.code) && !swissHousehold;
  if (partner !== null) {
    const sameSex = head.sex === partner.sex;
    const lo = Math.max(adult18(head), adult18(partner));
    const hi = Math.min(today, firstKidBirth !== null ? firstKidBirth + 365 : today);
    // Most couples marry young: skew the date towards the start of the possible span.
    let date = hi <= lo ? Math.min(today, lo) : lo + Math.floor(rng.next() ** 1.6 * (hi - lo));
    let status: CivilStatus = 'married';
    if (sameSex && date < ctx.dayMarriageForAll) {
      // Before same-sex marriage (1 July 2022) couples could only register a partnership (since 2007).
      date = Math.min(today, Math.max(date, ctx.dayPartnershipLaw));
      status = date < ctx.dayMarriageForAll ? 'registered-partnership' : 'married';
    }
    for (const a of [head, partner]) {
      a.civilStatus = status;
      a.civilStatusDate = date;
    }
  } else if (plan.type === 'single-parent') {
    const r = rng.next();
    const since = Math.max(adult18(head), firstKidBirth ?? adult18(head));
    const date = Math.min(today, since + Math.floor(rng.next() * Math.max(1, today - since)));
    if (r < 0.55) {
      head.civilStatus = 'divorced';
      head.civilStatusDate = date;
    } else if (r < 0.9) {
      head.civilStatus = 'single';
    } else {
      head.civilStatus = 'widowed';
      head.civilStatusDate = date;
    }
  } else {
    setSingleStatus(ctx, head, asylumLike, partnershipsExist);
  }
  if (partner === null && head.sex === 'f' && head.nameGroup.style === 'western'
    && head.civilStatus !== 'single' && head.civilStatus !== 'unknown' && rng.chance(0.6)) {
    // A woman living alone after marriage often keeps the married name.
    const marriedBase = drawSurname(ctx, head.nameGroup);
    const married = genderSurname(head.nameGroup, marriedBase, 'f');
    if (married !== head.officialName) {
      head.maidenName = head.officialName;
      head.officialName = married;
      head.familyBase = marriedBase;
    }
  }

  // ---- children's names
  const style = head.nameGroup.style;
  for (const c of children) {
    let base: string;
    if (style === 'spanish') {
      const fatherFirst = firstToken(father?.birthName ?? drawSurname(ctx, group));
      const motherFirst = firstToken(mother?.birthName ?? drawSurname(ctx, group));
      base = `${fatherFirst} ${motherFirst}`;
    } else if (style === 'portuguese') {
      const fatherLast = portugueseLast(father?.birthName ?? drawSurname(ctx, group));
      const motherLast = mother !== null ? portugueseLast(mother.birthName) : '';
      base = motherLast !== '' && motherLast !== fatherLast ? `${motherLast} ${fatherLast}` : fatherLast;
    } else if (style === 'patronymic') {
      base = father !== null ? firstToken(father.firstNames) : drawGivenName(ctx, group, 'm', head.birth);
    } else {
      base = head.familyBase;
    }
    // Children of a Swiss parent and a foreign one get Swiss given names half of the time.
    if (c.nationality === 'CH' && !plan.naturalised && group !== SWISS_GROUP && rng.chance(0.5)) c.nameGroup = SWISS_GROUP;
    fillNames(c, base);
    if (c.countryOfBirth === 'CH' && c.nameGroup !== SWISS_GROUP && rng.chance(0.3)) {
      // Parents from abroad often choose a name that works in both languages.
      const first = (c.sex === 'm' ? INTERNATIONAL_MALE_TABLE : INTERNATIONAL_FEMALE_TABLE).draw(rng);
      c.firstNames = first;
      c.callName = null;
    }
    // The name group decides the inflection: a Swiss-named child of a Polish father still is a Kowalska.
    c.officialName = genderSurname(group, base, c.sex);
    c.birthName = c.officialName;
  }

  // ---- religion and place of origin
  for (const a of adults) a.religion = drawReligion(ctx, a.nameGroup);
  for (const c of children) c.religion = rng.chance(0.8) ? (mother ?? head).religion : drawReligion(ctx, c.nameGroup);
  const swissParent = head.nationality === 'CH' ? head : partner !== null && partner.nationality === 'CH' ? partner : null;
  if (swissParent !== null) swissParent.placeOfOrigin = placeOfOriginFor(ctx, plan.naturalised && swissParent.nameGroup !== SWISS_GROUP);
  if (partner !== null && partner !== swissParent && partner.nationality === 'CH') {
    partner.placeOfOrigin = placeOfOriginFor(ctx, plan.naturalised && partner.nameGroup !== SWISS_GROUP);
  }
  for (const c of children) if (c.nationality === 'CH') c.placeOfOrigin = swissParent?.placeOfOrigin ?? placeOfOriginFor(ctx, false);

  // ---- spelling: legacy ASCII records and foreign passport spellings
  const members = [...adults, ...children];
  const oldRecord = native || plan.naturalised || householdStart < ctx.day2008;
  // Records from ASCII-only register software (before eCH-0044 character sets) lost the
  // diacritics; most German-speaking systems wrote ü as ue, some simply dropped the mark.
  const legacyRate = group === SWISS_GROUP ? 0.05 : group.legacyRate ?? (oldRecord ? 0.3 : 0.08);
  const legacy = rng.chance(legacyRate);
  const stripOnly = rng.chance(0.2);
  const passportVariant = rng.chance(group.passportNameRate);
  for (const d of members) {
    const foreignPerson = d.nationality !== 'CH';
    const groupFold = d.nameGroup.fold ?? group.fold;
    const fold = groupFold === 'germanic' && stripOnly ? 'plain' : groupFold;
    if (legacy && fold !== null) {
      const folded = foldToAscii(d.officialName, fold);
      if (folded !== d.officialName) {
        // The passport keeps the correct spelling the register could not store.
        if (foreignPerson) d.passportName = d.officialName;
        d.officialName = folded;
      }
      d.firstNames = foldToAscii(d.firstNames, fold);
      if (d.callName !== null) d.callName = foldToAscii(d.callName, fold);
      if (d.maidenName !== null) d.maidenName = foldToAscii(d.maidenName, fold);
    }
    const variantOf = group.passportName;
    if (foreignPerson && d.passportName === null && passportVariant && variantOf !== null && d.nameGroup === group) {
      const variant = variantOf(d.officialName, rng);
      if (variant !== null && variant !== d.officialName) d.passportName = variant.normalize('NFC');
    }
  }

  // ---- residences: the household's addresses over time
  const secondary = plan.type === 'single' && !native && headAge < 35 && rng.chance(0.05);
  if (secondary) head.arrivedFrom = rng.pick(SWISS_TOWNS_OUTSIDE);
  const firstMunicipality = municipalityFor(ctx, plan.foreign);
  const stays: Stay[] = [{ address: drawAddress(ctx, firstMunicipality), start: householdStart }];
  const latestEntry = Math.max(...members.map((m) => m.entry));
  let departure: number | null = null;
  if (rng.chance(0.08)) {
    const earliest = Math.max(latestEntry, householdStart) + 30;
    if (earliest < today) departure = earliest + Math.floor(rng.next() * (today - earliest + 1));
  }
  const end = departure ?? today;
  const moves = ADDRESS_COUNT.draw(rng) - 1;
  if (moves > 0 && end - householdStart > 120 * (moves + 1)) {
    const dates: number[] = [];
    for (let i = 0; i < moves; i++) dates.push(householdStart + 60 + Math.floor(rng.next() * (end - householdStart - 60)));
    dates.sort((a, b) => a - b);
    let last = householdStart;
    let current = firstMunicipality;
    for (const date of dates) {
      if (date - last < 60) continue;
      // Half of the moves stay within the municipality (§2a NG: those are reported too).
      if (rng.chance(0.5)) current = municipalityFor(ctx, plan.foreign);
      stays.push({ address: drawAddress(ctx, current), start: date });
      last = date;
    }
  }
  let departedTo: string | null = null;
  if (departure !== null) {
    if (plan.foreign) {
      const r = rng.next();
      const home = plan.nationality === 'XS' || plan.nationality === 'XX' ? rng.pick(EMIGRATION_COUNTRIES) : plan.nationality;
      departedTo = r < 0.6 ? home : r < 0.75 ? rng.pick(EMIGRATION_COUNTRIES) : rng.pick(SWISS_TOWNS_OUTSIDE);
    } else {
      departedTo = rng.chance(0.8) ? rng.pick(SWISS_TOWNS_OUTSIDE) : rng.pick(EMIGRATION_COUNTRIES);
    }
  }

  // ---- AHVN13: newly arrived foreigners and newborns may not have one yet
  const hasAhvn: boolean[] = [];
  const persons = members.map((d) => {
    const foreignPerson = d.nationality !== 'CH';
    const missing =
      (foreignPerson && d.entry !== d.birth && today - d.entry < 90 && rng.chance(0.8)) ||
      (today - d.birth < 45 && rng.chance(0.5)) ||
      (foreignPerson && rng.chance(0.006));
    hasAhvn.push(!missing);
    ctx.personsSoFar++;
    if (foreignPerson) ctx.foreignSoFar++;
    return toPerson(d, householdKey, stays, departure, departedTo, secondary);
  });
  return { persons, hasAhvn };
}

function residenceOf(stay: Stay, arrival: number, arrivedFrom: string | null, kind: 'main' | 'secondary'): GeneratedResidence {
  const a = stay.address;
  return {
    municipalityBfs: a.municipality.bfs,
    municipalityName: a.municipality.name,
    street: a.street,
    houseNumber: a.houseNumber,
    postalCode: a.postalCode,
    town: a.town,
    egid: a.egid,
    ewid: a.ewid,
    kind,
    arrivalDate: formatDays(arrival),
    arrivedFrom,
    departureDate: null,
    departedTo: null,
  };
}

function toPerson(
  d: Draft,
  householdKey: number,
  stays: readonly Stay[],
  departure: number | null,
  departedTo: string | null,
  secondary: boolean,
): Omit<GeneratedPerson, 'key' | 'ahvn13'> {
  const kind = secondary ? 'secondary' : 'main';
  const residences: GeneratedResidence[] = [];
  let previousName: string | null = null;
  if (d.preStay !== null) {
    const r = residenceOf({ address: d.preStay.address, start: d.preStay.start }, d.preStay.start, d.preStay.arrivedFrom, kind);
    residences.push(r);
    previousName = r.municipalityName;
  }
  for (let i = 0; i < stays.length; i++) {
    const stay = stays[i];
    if (stay === undefined) continue;
    const next = stays[i + 1];
    const stayEnd = next !== undefined ? next.start - 1 : departure ?? Number.POSITIVE_INFINITY;
    if (stayEnd < d.entry) continue;
    const arrival = Math.max(stay.start, d.entry);
    const from = residences.length === 0 ? d.arrivedFrom : previousName;
    const r = residenceOf(stay, arrival, from, kind);
    const prev = residences[residences.length - 1];
    if (prev !== undefined) {
      prev.departureDate = formatDays(arrival - 1);
      prev.departedTo = r.municipalityName;
    }
    residences.push(r);
    previousName = r.municipalityName;
  }
  const last = residences[residences.length - 1];
  if (last !== undefined && departure !== null) {
    last.departureDate = formatDays(departure);
    last.departedTo = departedTo;
  }
  return {
    officialName: d.officialName,
    firstNames: d.firstNames,
    callName: d.callName,
    maidenName: d.maidenName,
    nameInForeignPassport: d.passportName,
    sex: d.sex,
    dateOfBirth: formatBirth(d),
    placeOfBirth: d.placeOfBirth,
    countryOfBirth: d.countryOfBirth,
    nationality: d.nationality,
    placeOfOrigin: d.nationality === 'CH' ? d.placeOfOrigin : null,
    civilStatus: d.civilStatus,
    civilStatusDate: d.civilStatusDate !== null ? formatDays(d.civilStatusDate) : null,
    religion: d.religion,
    residences,
    householdKey,
  };
}

// ------------------------------------------------------------------ public API

/** Same sequence as generatePersons, one household in memory at a time. */
export function* generatePersonsLazily(options: GeneratorOptions): Generator<GeneratedPerson> {
  const ctx = createContext(options);
  let key = 0;
  let householdKey = 0;
  while (key < options.count) {
    const { persons, hasAhvn } = buildHousehold(ctx, householdKey);
    for (let i = 0; i < persons.length; i++) {
      if (key >= options.count) return;
      const p = persons[i];
      if (p === undefined) continue;
      yield {
        key,
        ahvn13: hasAhvn[i] === true ? ahvnForKey(key, ctx.ahvnKeys) : null,
        ...p,
      };
      key++;
    }
    householdKey++;
  }
}

export function generatePersons(options: GeneratorOptions): GeneratedPerson[] {
  return Array.from(generatePersonsLazily(options));
}
