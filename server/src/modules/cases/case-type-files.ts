import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCaseType, type CaseTypeDefinition } from './rules/definition.js';

/** The shipped case types: `server/catalogues/case-types/<country>/<slug>.json`. */
const CASE_TYPES_DIR = fileURLToPath(new URL('../../../catalogues/case-types/', import.meta.url));

/** Reads and checks every case type file of a country; one bad file stops the start with its name. */
export function readShippedCaseTypes(country: 'CH' | 'DE', dir = CASE_TYPES_DIR): CaseTypeDefinition[] {
  const folder = `${dir}/${country.toLowerCase()}`;
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const source = `case-types/${country.toLowerCase()}/${name}`;
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(`${folder}/${name}`, 'utf8'));
      } catch (error) {
        throw new Error(`Case type ${source} is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
      const definition = parseCaseType(json, source);
      if (`${definition.slug}.json` !== name) throw new Error(`Case type ${source} declares slug "${definition.slug}"; the file name must match`);
      if (definition.country !== country) throw new Error(`Case type ${source} declares country ${definition.country}`);
      return definition;
    });
}
