import type { GeneratedPerson } from '@migraflow/server';
import { personStream } from './persons-dataset.js';
import { SeededRandom } from './random.js';

/**
 * A fixed, deterministic mix of realistic person-search terms, derived from the same generator
 * stream that filled the database (the first N persons are the same whatever N is, so every
 * sampled person is in the database).
 */

export type QueryCategory =
  | 'surname'
  | 'surname-no-diacritics'
  | 'transliteration'
  | 'typo-changed'
  | 'typo-dropped'
  | 'sound-alike'
  | 'first-last'
  | 'date-of-birth'
  | 'ahvn13';

/** What a useful answer contains: used to report how often the search found it (informational). */
export type Expectation =
  /** Some hit carries this surname (compared without case and diacritics). */
  | { kind: 'surname'; surname: string }
  /** Some hit carries one of these names as surname or first name. */
  | { kind: 'any-name'; names: string[] }
  /** Some hit is this person (name, first names and date of birth). */
  | { kind: 'person'; officialName: string; firstNames: string; dateOfBirth: string }
  /** Some hit has this surname and given name. */
  | { kind: 'name'; officialName: string; givenName: string }
  /** Some hit was born on this day. */
  | { kind: 'date-of-birth'; dateOfBirth: string };

export interface SearchQuery {
  category: QueryCategory;
  text: string;
  expect: Expectation;
}

export const CATEGORY_SIZES: Readonly<Record<QueryCategory, number>> = {
  surname: 30,
  'surname-no-diacritics': 20,
  transliteration: 20,
  'typo-changed': 20,
  'typo-dropped': 20,
  'sound-alike': 20,
  'first-last': 30,
  'date-of-birth': 20,
  ahvn13: 20,
};

/** Other spellings of frequent names, as a clerk hears them on the phone: [typed, spellings in the data]. */
const SOUND_ALIKES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Muhammad', ['Mohammed', 'Mohamed', 'Mohammad', 'Muhamed', 'Mehmet']],
  ['Mohamad', ['Mohammed', 'Mohamed', 'Mohammad', 'Muhamed']],
  ['Meyer', ['Meier', 'Maier', 'Mayer', 'Meyer']],
  ['Maier', ['Meier', 'Maier', 'Mayer', 'Meyer']],
  ['Schnyder', ['Schneider', 'Schnyder']],
  ['Schmitt', ['Schmid', 'Schmidt']],
  ['Hofman', ['Hofmann', 'Hoffmann']],
  ['Husein', ['Hussein', 'Hüseyin', 'Husić']],
  ['Hasan', ['Hassan', 'Hasan', 'Hasani']],
  ['Ahmet', ['Ahmed', 'Ahmad', 'Ahmet']],
  ['Yusuf', ['Youssef', 'Yusuf']],
  ['Jovanovich', ['Jovanović', 'Jovanovski']],
  ['Kowalsky', ['Kowalski', 'Kowalska']],
  ['Gonsalves', ['Gonçalves']],
  ['Krasniki', ['Krasniqi']],
  ['Gasi', ['Gashi']],
  ['Nguyen Van', ['Nguyễn']],
  ['Tesfai', ['Tesfay']],
  ['Abdulla', ['Abdullah', 'Abdullahi']],
  ['Fisher', ['Fischer']],
];

/** Letters that do not decompose into base letter + mark. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', ı: 'i', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'Ae', œ: 'oe', Œ: 'Oe',
};

export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßđĐłŁıøØæÆœŒ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .normalize('NFC');
}

/** German transliteration as old register software and travel documents write it: Müller → Mueller, Özdemir → Oezdemir. */
export function transliterate(text: string): string {
  const umlauts: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };
  return stripDiacritics(text.normalize('NFC').replace(/[äöüÄÖÜ]/g, (letter) => umlauts[letter] ?? letter));
}

/** Lower case, no diacritics: how hits are compared with expectations. */
export function fold(text: string): string {
  return stripDiacritics(text).toLowerCase().trim();
}

/** One key for the German spellings of a name: Müller = Mueller, Özdemir = Oezdemir. */
const spellingKey = (text: string): string => transliterate(text).toLowerCase().trim();
const hasDiacritics = (text: string): boolean => stripDiacritics(text) !== text;
const hasUmlaut = (text: string): boolean => /[äöüÄÖÜ]/.test(text.normalize('NFC'));
/** Names long enough that a single typo still leaves them recognisable, and a single word. */
const typoable = (text: string): boolean => /^\p{L}{5,}$/u.test(text);

function typoChanged(word: string, random: SeededRandom): string {
  const letters = [...word];
  const position = random.int(1, letters.length - 1);
  const original = (letters[position] ?? 'a').toLowerCase();
  const alphabet = 'abcdefghijklmnoprstuvwz'.replace(original, '');
  letters[position] = alphabet[random.int(0, alphabet.length - 1)] ?? 'x';
  return letters.join('');
}

function typoDropped(word: string, random: SeededRandom): string {
  const letters = [...word];
  letters.splice(random.int(1, letters.length - 1), 1);
  return letters.join('');
}

/** 12.03.1985 from 1985-03-12; null for partly unknown dates (1985-00-00). */
function swissDate(isoDate: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null || match[2] === '00' || match[3] === '00') return null;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** 756.1234.5678.97, the form printed on insurance cards. */
function dottedAhvn(ahvn: string): string {
  return `${ahvn.slice(0, 3)}.${ahvn.slice(3, 7)}.${ahvn.slice(7, 11)}.${ahvn.slice(11)}`;
}

const bySurname = (person: GeneratedPerson): string => person.officialName;
const byName = (person: GeneratedPerson): string => `${person.officialName}|${firstGiven(person)}`;

function firstGiven(person: GeneratedPerson): string {
  return person.firstNames.split(' ')[0] ?? person.firstNames;
}

/**
 * Picks `count` items from `pool` in a seeded random order, skipping items whose key was already
 * taken (so that frequent surnames are likely but not searched twice), and repeating only when the
 * pool has too few distinct keys.
 */
function pickSome<T>(pool: readonly T[], count: number, random: SeededRandom, key?: (item: T) => string): T[] {
  if (pool.length === 0) return [];
  const picked: T[] = [];
  const taken = new Set<string>();
  let remaining = [...pool];
  while (picked.length < count) {
    if (remaining.length === 0) {
      remaining = [...pool];
      taken.clear();
    }
    const index = random.int(0, remaining.length - 1);
    const item = remaining[index] as T;
    remaining.splice(index, 1);
    const itemKey = key?.(item);
    if (itemKey !== undefined) {
      if (taken.has(itemKey)) continue;
      taken.add(itemKey);
    }
    picked.push(item);
  }
  return picked;
}

/**
 * Builds the query mix for a dataset of `persons` persons generated with `seed`. Persons are sampled
 * from the first min(persons, 20,000) of the stream, in proportion to how often names occur, so
 * frequent surnames (Müller, Krasniqi) are searched more often, as they are at a counter.
 */
export function buildPersonQueries(seed: number, persons: number, querySeed = 4242): SearchQuery[] {
  const sample = Array.from(personStream(seed, Math.min(persons, 20_000)));
  const random = new SeededRandom(querySeed);
  const queries: SearchQuery[] = [];
  const add = (category: QueryCategory, text: string, expect: Expectation): void => {
    queries.push({ category, text, expect });
  };

  const surnamePersons = sample.filter((person) => person.officialName.length >= 2);
  for (const person of pickSome(surnamePersons, CATEGORY_SIZES.surname, random, bySurname)) {
    add('surname', person.officialName, { kind: 'surname', surname: person.officialName });
  }

  const accented = sample.filter((person) => hasDiacritics(person.officialName));
  for (const person of pickSome(accented, CATEGORY_SIZES['surname-no-diacritics'], random, bySurname)) {
    add('surname-no-diacritics', stripDiacritics(person.officialName), { kind: 'surname', surname: person.officialName });
  }

  const umlauts = sample.filter((person) => hasUmlaut(person.officialName));
  for (const person of pickSome(umlauts.length > 0 ? umlauts : accented, CATEGORY_SIZES.transliteration, random, bySurname)) {
    add('transliteration', transliterate(person.officialName), { kind: 'surname', surname: person.officialName });
  }

  const typoPool = sample.filter((person) => typoable(person.officialName));
  for (const person of pickSome(typoPool, CATEGORY_SIZES['typo-changed'], random, bySurname)) {
    add('typo-changed', typoChanged(person.officialName, random), { kind: 'surname', surname: person.officialName });
  }
  for (const person of pickSome(typoPool, CATEGORY_SIZES['typo-dropped'], random, bySurname)) {
    add('typo-dropped', typoDropped(person.officialName, random), { kind: 'surname', surname: person.officialName });
  }

  for (const [typed, names] of SOUND_ALIKES.slice(0, CATEGORY_SIZES['sound-alike'])) {
    add('sound-alike', typed, { kind: 'any-name', names: [...names] });
  }

  for (const [index, person] of pickSome(sample, CATEGORY_SIZES['first-last'], random, byName).entries()) {
    const given = firstGiven(person);
    // Clerks type both orders: "Anna Müller" and "Müller Anna".
    add('first-last', index % 2 === 0 ? `${given} ${person.officialName}` : `${person.officialName} ${given}`, {
      kind: 'name',
      officialName: person.officialName,
      givenName: given,
    });
  }

  const dated = sample.filter((person) => swissDate(person.dateOfBirth) !== null);
  for (const person of pickSome(dated, CATEGORY_SIZES['date-of-birth'], random, (person) => person.dateOfBirth)) {
    add('date-of-birth', swissDate(person.dateOfBirth) as string, { kind: 'date-of-birth', dateOfBirth: person.dateOfBirth });
  }

  const insured = sample.filter((person) => person.ahvn13 !== null);
  for (const [index, person] of pickSome(insured, CATEGORY_SIZES.ahvn13, random, (person) => person.ahvn13 ?? '').entries()) {
    const ahvn = person.ahvn13 as string;
    add('ahvn13', index % 2 === 0 ? dottedAhvn(ahvn) : ahvn, {
      kind: 'person',
      officialName: person.officialName,
      firstNames: person.firstNames,
      dateOfBirth: person.dateOfBirth,
    });
  }

  return queries;
}

/** The fields of a search hit that expectations look at; undefined where the hit does not carry them. */
export interface HitFields {
  officialName?: string;
  firstNames?: string;
  dateOfBirth?: string;
}

export function hitFields(hit: unknown): HitFields {
  const record = (hit ?? {}) as Record<string, unknown>;
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) if (typeof record[key] === 'string') return record[key] as string;
    return undefined;
  };
  return {
    officialName: text('officialName', 'official_name'),
    firstNames: text('firstNames', 'first_names'),
    dateOfBirth: text('dateOfBirth', 'date_of_birth'),
  };
}

/** Whether the hits contain what the query was after; null when hits lack the fields to tell. */
export function expectationMet(expect: Expectation, hits: readonly unknown[]): boolean | null {
  const fields = hits.map(hitFields);
  if (fields.length > 0 && fields.every((hit) => hit.officialName === undefined)) return null;
  const tokens = (text: string | undefined): string[] => (text === undefined ? [] : fold(text).split(/[\s-]+/));
  switch (expect.kind) {
    case 'surname':
      // Müller, Mueller and MUELLER are one surname in a register; Muller is another.
      return fields.some((hit) => hit.officialName !== undefined && spellingKey(hit.officialName) === spellingKey(expect.surname));
    case 'any-name': {
      const wanted = new Set(expect.names.map(fold));
      return fields.some((hit) => [...tokens(hit.officialName), ...tokens(hit.firstNames)].some((token) => wanted.has(token)));
    }
    case 'person':
      return fields.some(
        (hit) =>
          hit.officialName === expect.officialName && hit.firstNames === expect.firstNames && hit.dateOfBirth === expect.dateOfBirth,
      );
    case 'name':
      return fields.some(
        (hit) =>
          hit.officialName !== undefined &&
          fold(hit.officialName) === fold(expect.officialName) &&
          tokens(hit.firstNames).includes(fold(expect.givenName)),
      );
    case 'date-of-birth':
      return fields.some((hit) => hit.dateOfBirth === expect.dateOfBirth);
  }
}
