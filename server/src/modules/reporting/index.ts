/** Public interface of the reporting module: the yearly key figures. */
export { registerReportingRoutes } from './routes.js';
export { compileKeyFigureQueries, foreignPopulation, immigration, processingTime } from './service.js';
export { expectedDecision, percentile, MIN_CASES_FOR_EXPECTATION, type ExpectedDecision, type ProcessingTime } from './rules/processing-time.js';
export type { ForeignPopulation, Immigration } from './rules/key-figures.js';
export { toCsv, toXlsx, XLSX_TYPE, type Table } from './export.js';
