/** Public interface of the register module: persons, residences, papers, reports, search. */
export { registerRegisterRoutes } from './routes.js';
export { searchPersons, compilePersonSearch, readPersonFile, scopeOf, visiblePerson, personName, identityOf, applyPersonChanges, type Identity, type PersonChanges, type PersonHit, type PersonFile } from './service.js';
export { insertPersons, insertResidence, residenceToNew, postalAddressOf, municipalitiesOfTenant, residencesOf, type NewPerson, type NewResidence, type PersonRow, type ResidenceRow } from './repository.js';
export { bulkLoadPersons, fromGenerated, loadRegisterExtras } from './bulk.js';
export { generatePersons, generatePersonsLazily, LUCERNE_MUNICIPALITIES, type GeneratedPerson } from './generator/index.js';
export { Random as SeededRandom } from './generator/random.js';
export { isValidAhvn13, normaliseAhvn13 } from './rules/ahvn13.js';
export { parseIfMatch } from './service.js';
export { onDeparture, onRegisterChange, announceRegisterChange, type DepartureHandler, type DepartureReason, type RegisterChange, type RegisterChangeHandler } from './events.js';
export {
  openResidence,
  currentMainResidence,
  moveWithinMunicipality,
  closeResidences,
  recordDeath,
  householdOf,
  householdSizeOf,
  identifyPerson,
  rememberExternalIds,
  forgetExternalId,
  externalIdsOf,
  lockForChange,
  recordRelativeAbroad,
  type RelativeAbroad,
  type Identification,
  type IdentificationResult,
  type ExternalId,
} from './changes.js';
export { storeTenancyReports, type TenancyReportInput } from './reports.js';
