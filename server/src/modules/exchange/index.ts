/** Public interface of the exchange module: eCH-0020 inbox and outbox, partners, landlord reports. */
export { registerExchangeRoutes, type ExchangeRouteOptions } from './routes.js';
export { receiveMessage, receiveBatch, exchangeActor, ownIdCategory, type InboxOutcome, type IncomingMessage, type Office } from './inbox.js';
export { enqueueForChange, deliverDue, sendFailureDigests } from './outbox.js';
export { importFiles, processDropFolder } from './drop-folder.js';
export { exportBaseDeliveries } from './export.js';
export { prepareSchemas, validateXml, SUPPORTED_SCHEMAS } from './xml-schemas.js';
export { startExchangeWorker, type ExchangeWorker } from './worker.js';
