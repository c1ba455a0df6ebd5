import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { countryList, type CountryList } from './rules/codes.js';

const COUNTRY_FILE = new URL('../../../schemas/ech/codes/eCH0072.xml', import.meta.url);

let loaded: CountryList | null = null;

/** The BFS country list (eCH-0072, as published by the Federal Statistical Office), read once. */
export function countries(): CountryList {
  if (loaded) return loaded;
  const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'country' });
  const document = parser.parse(readFileSync(COUNTRY_FILE, 'utf8')) as { countries: { country: { id: string; iso2Id?: string; shortNameDe: string; entryValid: string }[] } };
  loaded = countryList(
    document.countries.country
      .filter((country) => country.iso2Id)
      .map((country) => ({ bfsId: Number(country.id), iso2: country.iso2Id!, name: country.shortNameDe, current: country.entryValid === 'true' })),
  );
  return loaded;
}
