/** Public interface of the cases module: case types as data, working a case, decisions, appeals, the queue. */
export { registerCaseRoutes } from './routes.js';
export { installCaseTypes, installCaseTypesForAllTenants, currentCaseType } from './case-types.js';
export { readShippedCaseTypes } from './case-type-files.js';
export { parseCaseType, CaseTypeError, type CaseTypeDefinition } from './rules/definition.js';
export { createCase, openCase, attachToCase, caseForStaff, takeStep, decideApproval, setChecklistItem, setFields, recordNotification, fileAppeal, decideAppeal, readCase, onLegalForceDue, LEGAL_FORCE, type CaseDetail } from './service.js';
export { workQueue, teamLeadOverview } from './views.js';
export { onCaseChange, type CaseChange, type CaseChangeHandler } from './events.js';
export { applicantCase, casesOfPerson, type ApplicantCaseSummary, type ApplicantCaseView } from './applicant-view.js';
export type { LocalText } from './rules/definition.js';
