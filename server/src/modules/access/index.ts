/** Public interface of the access module: tenants, users, roles, sessions, tokens, the policy. */
export { installAccessControl, requireActor, declaredRoutes, SESSION_COOKIE, type DeclaredRoute } from './http.js';
export { registerAccessRoutes } from './routes.js';
export { registerAuditRoutes } from './audit-routes.js';
export { createUser, createToken, issueToken, revokeToken, officeBySlug, prepareUser, insertUser, login, AccessInputError, type NewUserInput, type PreparedUser, type SessionSettings } from './service.js';
export { seal, open as unseal } from './secret-box.js';
export { insertDisabledUser, findUserByLogin, enableUser, setUserPassword, endUserSessions, passwordAcceptable, hashNewPassword, MIN_PASSWORD_LENGTH, type SelfRegisteredUser } from './accounts.js';
export { ROLES, isRole, rolesGrant, ROLE_PERMISSIONS, type Permission } from './rules.js';
