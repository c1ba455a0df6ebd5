/** What other workspaces (benchmarks, tools) may use of the server. */
export { openDatabase, fromPGlite, fromPostgres, PGLITE_EXTENSIONS, type Database } from './platform/db/database.js';
export { migrate } from './platform/db/migrate.js';
export { withTenantScope } from './platform/db/tenant-scope.js';
export { buildApp } from './app.js';
export { generatePersonsLazily, searchPersons, compilePersonSearch, bulkLoadPersons, type GeneratedPerson, type PersonHit } from './modules/register/index.js';
export { createBenchTenant } from './demo/bench-tenant.js';
export { loadLucerne2022, LUCERNE_2022 } from './demo/profiles/lucerne-2022.js';
export { compileKeyFigureQueries, foreignPopulation, immigration } from './modules/reporting/index.js';
export { installCaseTypes, workQueue } from './modules/cases/index.js';
export type { Actor } from './platform/auth/actor.js';
