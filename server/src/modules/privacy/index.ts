/** Public interface of the privacy module: the right-of-access report, legal holds, retention. */
export { registerPrivacyRoutes } from './routes.js';
export { buildAccessReport, type AccessReport } from './access-report.js';
export { runRetention, startRetentionScheduler, type RunOptions, type RunOutcome, type RunItem, type RetentionScheduler } from './retention.js';
export { loadRetentionCatalogues, retentionCatalogues } from './catalogues.js';
export { RetentionCatalogueError } from './rules/catalogue.js';
