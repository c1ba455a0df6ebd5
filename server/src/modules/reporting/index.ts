/** Public interface of the reporting module: the yearly key figures. */
export { registerReportingRoutes } from './routes.js';
export { compileKeyFigureQueries, foreignPopulation, immigration } from './service.js';
export type { ForeignPopulation, Immigration } from './rules/key-figures.js';
export { toCsv, toXlsx, XLSX_TYPE, type Table } from './export.js';
