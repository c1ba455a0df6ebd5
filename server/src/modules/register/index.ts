/** Public interface of the register module: persons, residences, papers, reports, search. */
export { registerRegisterRoutes } from './routes.js';
export { searchPersons, compilePersonSearch, readPersonFile, scopeOf, visiblePerson, identityOf, type Identity, type PersonHit, type PersonFile } from './service.js';
export { insertPersons, postalAddressOf, type NewPerson } from './repository.js';
export { bulkLoadPersons, fromGenerated, loadRegisterExtras } from './bulk.js';
export { generatePersons, generatePersonsLazily, LUCERNE_MUNICIPALITIES, type GeneratedPerson } from './generator/index.js';
export { Random as SeededRandom } from './generator/random.js';
export { isValidAhvn13, normaliseAhvn13 } from './rules/ahvn13.js';
export { parseIfMatch } from './service.js';
export { onDeparture, type DepartureHandler } from './events.js';
