/** Public interface of the permits module: catalogue, a person's permits, expiry monitoring. */
export { registerPermitRoutes } from './routes.js';
export { installPermitCatalogue, readCatalogue } from './catalogue.js';
export { endPermitsOnDeparture, grantInTransaction, extendInTransaction, endInTransaction, changeCategoryInTransaction, correctInTransaction, mainPermitOn, latestMainPermit, permitsOfPerson, type GrantInput } from './service.js';
export type { PermitRow } from './repository.js';
export { insertPermitsBulk, restorePermits, permitRowsOfPersons, categoryOfEchCode, echCodesOfCategories, type BulkPermit, type RecordedPermit } from './bulk.js';
export { immigrationGroup, type StatisticsGroup } from './rules/admission.js';
export { defaultValidity, lStayStart, lastDayOf, nationalityGroup, type ValidityRule } from './rules/validity.js';
export { ADMISSION_REASONS, type AdmissionReason } from './rules/admission.js';
