/** Public interface of the portal module: accounts, mandates, online applications, case status and messages, link and share codes, expiry notices. */
export { registerPortalRoutes, type PortalRouteSettings } from './routes.js';
export { mandateState, mandateValidOn, normaliseEmail, parseEmail, type AccountKind, type MandateScope, type MandateState } from './rules.js';
export { registerPortalServiceRoutes } from './service-routes.js';
export { notifyApplicants, setNoticeBaseUrl } from './status.js';
export { sendExpiryNotices, startExpiryNotices, type ExpiryNoticeReport } from './expiry.js';
export { insertLinkedAccount } from './repository.js';
