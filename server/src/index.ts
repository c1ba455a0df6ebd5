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
export { receiveMessage, receiveBatch, exchangeActor, validateXml } from './modules/exchange/index.js';
export { writeDelivery } from './modules/exchange/rules/ech0020-write.js';
export { readMessage } from './modules/exchange/rules/ech0020-read.js';
export { countries } from './modules/exchange/countries.js';
export type { Delivery, RegisterEvent, PersonKey } from './modules/exchange/rules/events.js';
