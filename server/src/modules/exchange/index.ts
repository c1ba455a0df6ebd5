/** Public interface of the exchange module: eCH-0020 inbox and outbox, partners, landlord reports. */
export { registerExchangeRoutes, type ExchangeRouteOptions } from './routes.js';
export { receiveMessage, exchangeActor, ownIdCategory, type InboxOutcome, type Office } from './inbox.js';
export { enqueueForChange, deliverDue, sendFailureDigests } from './outbox.js';
export { importFile, processDropFolder } from './drop-folder.js';
export { exportBaseDeliveries } from './export.js';
export { prepareSchemas, validateXml, SUPPORTED_SCHEMAS } from './xml-schemas.js';
export { startExchangeWorker, type ExchangeWorker } from './worker.js';
