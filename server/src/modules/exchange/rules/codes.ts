/** eCH code lists in the register's own terms (pure; the country list is passed in). */
import type { CivilStatus } from '../../../platform/db/tables.js';

/** eCH-0011 maritalStatusType. */
const CIVIL_STATUS_BY_CODE: Record<string, CivilStatus> = {
  '1': 'single',
  '2': 'married',
  '3': 'widowed',
  '4': 'divorced',
  // 5 'unverheiratet' (married before, marriage annulled): the register has no own slug for it.
  '5': 'single',
  '6': 'registered-partnership',
  '7': 'dissolved-partnership',
  '9': 'unknown',
};

const CODE_BY_CIVIL_STATUS: Record<CivilStatus, string> = {
  single: '1',
  married: '2',
  widowed: '3',
  divorced: '4',
  'registered-partnership': '6',
  'dissolved-partnership': '7',
  unknown: '9',
};

export function civilStatusOfCode(code: string): CivilStatus {
  return CIVIL_STATUS_BY_CODE[code] ?? 'unknown';
}

export function codeOfCivilStatus(status: CivilStatus): string {
  return CODE_BY_CIVIL_STATUS[status];
}

/** eCH-0044 sexType: 1 male, 2 female, 3 unknown/other. */
export function sexOfCode(code: string): 'm' | 'f' | 'x' {
  return code === '1' ? 'm' : code === '2' ? 'f' : 'x';
}

export function codeOfSex(sex: 'm' | 'f' | 'x'): string {
  return sex === 'm' ? '1' : sex === 'f' ? '2' : '3';
}

/** One country of the BFS list (eCH-0072): its 4-digit BFS id, ISO code and German short name. */
export interface Country {
  bfsId: number;
  iso2: string;
  name: string;
}

/** Both directions of the BFS country list; ISO 'XS' (stateless) and 'XX' (unknown) have no BFS id. */
export interface CountryList {
  byBfs: ReadonlyMap<number, Country>;
  byIso: ReadonlyMap<string, Country>;
}

export function countryList(countries: readonly (Country & { current: boolean })[]): CountryList {
  const byBfs = new Map<number, Country>();
  const byIso = new Map<string, Country>();
  for (const country of countries) {
    byBfs.set(country.bfsId, country);
    // A country that no longer exists keeps its id for old records; the ISO code names today's one.
    if (country.current || !byIso.has(country.iso2)) byIso.set(country.iso2, country);
  }
  return { byBfs, byIso };
}

/** The 2-digit eCH-0006 category of a full permit code ('0201' → '02'). */
export function permitCategoryOfCode(echCode: string): string {
  return echCode.slice(0, 2);
}

/** Which eCH-0044 datePartiallyKnownType element carries a register date, and its value. */
export interface PartialDate {
  element: 'yearMonthDay' | 'yearMonth' | 'year';
  value: string;
}

/**
 * A register date whose unknown parts are 00 ('1990-04-00') in eCH-0044 terms: a full date, a
 * gYearMonth ('1990-04') or a gYear ('1990'). An unknown month makes the day meaningless too.
 */
export function partialDateOfRegisterDate(date: string): PartialDate {
  const [year = '', month = '00', day = '00'] = date.split('-');
  if (month === '00') return { element: 'year', value: year };
  if (day === '00') return { element: 'yearMonth', value: `${year}-${month}` };
  return { element: 'yearMonthDay', value: date };
}

/** The inverse of `partialDateOfRegisterDate`; a time zone a sender may add is dropped. */
export function registerDateOfPartialDate({ element, value }: PartialDate): string {
  if (element === 'year') return `${value.slice(0, 4)}-00-00`;
  if (element === 'yearMonth') return `${value.slice(0, 7)}-00`;
  return value.slice(0, 10);
}

/** eCH-0007 cantonAbbreviationType: the 26 cantons. */
export const CANTONS: readonly string[] = ['ZH', 'BE', 'LU', 'UR', 'SZ', 'OW', 'NW', 'GL', 'ZG', 'FR', 'SO', 'BS', 'BL', 'SH', 'AR', 'AI', 'SG', 'GR', 'AG', 'TG', 'TI', 'VD', 'VS', 'NE', 'GE', 'JU'];

/**
 * A place of origin as the register keeps it split into eCH-0011's originName and canton: 'Muri bei
 * Bern BE' → ('Muri bei Bern', 'BE'); a name that carries its canton like the BFS list does, 'Hasle
 * (LU)', keeps it in the name → ('Hasle (LU)', 'LU'). canton null when the text names none.
 */
export function placeOfOriginParts(text: string): { name: string; canton: string | null } {
  const suffix = /^(.*\S)\s+([A-Z]{2})$/.exec(text);
  if (suffix && CANTONS.includes(suffix[2]!)) return { name: suffix[1]!, canton: suffix[2]! };
  const qualifier = /\(([A-Z]{2})\)$/.exec(text);
  if (qualifier && CANTONS.includes(qualifier[1]!)) return { name: text, canton: qualifier[1]! };
  return { name: text, canton: null };
}

/** The inverse of `placeOfOriginParts`: 'Name KT', or the name alone when it ends in '(KT)'. */
export function placeOfOriginText(name: string, canton: string): string {
  return name.endsWith(`(${canton})`) ? name : `${name} ${canton}`;
}
