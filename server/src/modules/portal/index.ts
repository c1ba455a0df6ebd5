/** Public interface of the portal module: applicant, employer and representative accounts, mandates. */
export { registerPortalRoutes, type PortalRouteSettings } from './routes.js';
export { mandateValidOn, normaliseEmail, parseEmail, type AccountKind, type MandateScope } from './rules.js';
