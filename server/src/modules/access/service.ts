import { AppError } from '../../platform/errors.js';
import { appendAudit, subjectOf, type AuditSubject } from '../../platform/audit/audit.js';
import type { Actor, RoleGrant } from '../../platform/auth/actor.js';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../platform/auth/passwords.js';
import { hmacHex, newToken, sha256Hex } from '../../platform/auth/tokens.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import type { Locale } from '../../platform/i18n/messages.js';
import * as repo from './repository.js';
import { afterFailedLogin, extendIdle, isLocked, judgeSession, type LockState } from './rules.js';
import { needsTotpEnrolment, PENDING_LOGIN_MINUTES, tenantSignInSettings, type SignInMethod } from './sign-in-rules.js';

export interface SessionSettings {
  secret: string;
  idleMinutes: number;
  absoluteHours: number;
}

export interface LoginResult {
  kind: 'session';
  /** The cookie value; only its HMAC is stored. */
  sessionToken: string;
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
  signIn: SignInState;
}

/** Password accepted, TOTP code outstanding: the client sends the code with this token to finish. */
export interface SecondFactorRequired {
  kind: 'totp-required';
  pendingToken: string;
  expiresAt: Date;
}

/** How the session signed in, when it last proved it, and whether it may do more than enrol. */
export interface SignInState {
  method: SignInMethod;
  authenticatedAt: Date;
  totpActive: boolean;
  /** The office requires TOTP and this user has none: the session may only enrol. */
  totpEnrolmentRequired: boolean;
  hasPassword: boolean;
}

export function signInStateOf(user: repo.UserRecord, method: SignInMethod, authenticatedAt: Date): SignInState {
  const totpActive = user.totpSecret !== null;
  const { requireTotp } = tenantSignInSettings(user.tenantSettings);
  return { method, authenticatedAt, totpActive, totpEnrolmentRequired: needsTotpEnrolment({ requireTotp, totpActive, method }), hasPassword: user.passwordHash !== null };
}

export function actorOf(user: repo.UserRecord, roles: RoleGrant[], sessionIdHash: string | null): Actor {
  return {
    kind: 'user',
    id: user.id,
    name: user.username,
    displayName: user.displayName,
    tenantId: user.tenantId,
    tenantSlug: user.tenantSlug,
    tenantName: user.tenantName,
    roles,
    locale: user.locale,
    sessionIdHash,
  };
}

export function sessionIdHash(settings: SessionSettings, sessionToken: string): string {
  return hmacHex(settings.secret, `session:${sessionToken}`);
}

/** The CSRF token is derived from the session, so it needs no storage and dies with the session. */
export function csrfTokenFor(settings: SessionSettings, idHash: string): string {
  return hmacHex(settings.secret, `csrf:${idHash}`);
}

export function challengeIdHash(settings: SessionSettings, pendingToken: string): string {
  return hmacHex(settings.secret, `challenge:${pendingToken}`);
}

export function userSubjectOf(user: { tenantId: string; id: string; username: string }, requestId: string): AuditSubject {
  return { tenantId: user.tenantId, actorId: user.id, actorKind: 'user', actorName: user.username, requestId };
}

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * Opens a session for a user who proved who they are (inside the caller's transaction, which also
 * audits the sign-in): clears the failure count and returns the cookie value and what the client needs.
 */
export async function openSession(trx: Trx, settings: SessionSettings, user: repo.UserRecord, method: SignInMethod, meta: ClientMeta, now: Date): Promise<LoginResult> {
  const sessionToken = newToken();
  const idHash = sessionIdHash(settings, sessionToken);
  const absoluteExpiresAt = new Date(now.getTime() + settings.absoluteHours * 3_600_000);
  const idleExpiresAt = new Date(Math.min(now.getTime() + settings.idleMinutes * 60_000, absoluteExpiresAt.getTime()));
  await repo.recordLoginOutcome(trx, user.id, 0, null);
  await repo.insertSession(trx, { idHash, userId: user.id, tenantId: user.tenantId, idleExpiresAt, absoluteExpiresAt, ip: meta.ip, userAgent: meta.userAgent, authenticatedAt: now, method });
  await appendAudit(trx, userSubjectOf(user, meta.requestId), { action: 'auth.login', entityType: 'user', entityId: user.id, details: { ip: meta.ip, method } });
  const roles = await repo.rolesOfUser(trx, user.id);
  return { kind: 'session', sessionToken, actor: actorOf(user, roles, idHash), csrfToken: csrfTokenFor(settings, idHash), expiresAt: absoluteExpiresAt, signIn: signInStateOf(user, method, now) };
}

/**
 * Counts a failed proof (wrong password or code) towards the lockout under a row lock, audits it,
 * and returns the problem to answer; the caller throws it after the transaction committed.
 */
export async function countFailure(trx: Trx, user: repo.UserRecord, subject: AuditSubject, action: string, details: Record<string, unknown>, now: Date): Promise<LockState> {
  // Re-read under a row lock: parallel wrong guesses must all count.
  const current = (await repo.findUserById(trx, user.id, true)) ?? user;
  const state = afterFailedLogin(current, now);
  await repo.recordLoginOutcome(trx, user.id, state.failedLogins, state.lockedUntil);
  await appendAudit(trx, subject, { action, entityType: 'user', entityId: user.id, details: { ...details, locked: state.lockedUntil !== null } });
  return state;
}

export async function login(
  db: Db,
  settings: SessionSettings,
  input: { username: string; password: string; ip: string | null; userAgent: string | null; requestId: string },
  now: Date = new Date(),
): Promise<LoginResult | SecondFactorRequired> {
  const anonymous: AuditSubject = { tenantId: null, actorId: null, actorKind: 'anonymous', actorName: input.username.slice(0, 100), requestId: input.requestId };
  const user = await repo.findUserByUsername(db, input.username);
  if (!user || !user.passwordHash || user.disabled) {
    // Same work as for a real user, so response times do not reveal which names exist.
    await verifyPassword(await dummyPasswordHash(), input.password);
    await inTransaction(db, (trx) => appendAudit(trx, anonymous, { action: 'auth.login-failed', details: { reason: user ? (user.disabled ? 'disabled' : 'no-password') : 'unknown-user', ip: input.ip } }));
    throw new AppError(401, 'invalid-credentials');
  }
  const userSubject = userSubjectOf(user, input.requestId);
  if (isLocked(user, now)) {
    await inTransaction(db, (trx) => appendAudit(trx, userSubject, { action: 'auth.login-refused', details: { reason: 'locked', ip: input.ip } }));
    throw new AppError(423, 'account-locked', { until: user.lockedUntil ?? now });
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (!passwordOk) {
    const next = await inTransaction(db, (trx) => countFailure(trx, user, userSubject, 'auth.login-failed', { reason: 'wrong-password', ip: input.ip }, now));
    if (next.lockedUntil) throw new AppError(423, 'account-locked', { until: next.lockedUntil });
    throw new AppError(401, 'invalid-credentials');
  }

  if (user.totpSecret !== null) {
    // The failure count is kept until the code is right too, so guessing codes after a right
    // password still runs into the lockout.
    const pendingToken = newToken();
    const expiresAt = new Date(now.getTime() + PENDING_LOGIN_MINUTES * 60_000);
    await inTransaction(db, async (trx) => {
      await repo.deleteStaleChallenges(trx, user.id, now);
      await repo.insertChallenge(trx, { idHash: challengeIdHash(settings, pendingToken), userId: user.id, tenantId: user.tenantId, expiresAt });
      await appendAudit(trx, userSubject, { action: 'auth.second-factor-required', entityType: 'user', entityId: user.id, details: { ip: input.ip } });
    });
    return { kind: 'totp-required', pendingToken, expiresAt };
  }
  return inTransaction(db, (trx) => openSession(trx, settings, user, 'password', input, now));
}

export type SessionLookup = { state: 'valid'; actor: Actor; csrfToken: string; signIn: SignInState } | { state: 'expired' } | { state: 'unknown' };

export async function resolveSession(db: Db, settings: SessionSettings, sessionToken: string, now: Date = new Date()): Promise<SessionLookup> {
  const idHash = sessionIdHash(settings, sessionToken);
  const session = await repo.findSession(db, idHash);
  if (!session) return { state: 'unknown' };
  if (session.disabled || judgeSession(session, now) === 'expired') return { state: 'expired' };
  const extended = extendIdle(session, now, settings.idleMinutes);
  if (extended) await repo.extendSession(db, idHash, extended);
  const roles = await repo.rolesOfUser(db, session.id);
  return { state: 'valid', actor: actorOf(session, roles, idHash), csrfToken: csrfTokenFor(settings, idHash), signIn: signInStateOf(session, session.method, session.authenticatedAt) };
}

export async function logout(db: Db, actor: Actor, requestId: string): Promise<void> {
  if (!actor.sessionIdHash) return;
  const idHash = actor.sessionIdHash;
  await inTransaction(db, async (trx) => {
    await repo.revokeSession(trx, idHash);
    await appendAudit(trx, subjectOf(actor, requestId), { action: 'auth.logout', entityType: 'user', entityId: actor.id });
  });
}

export async function resolveToken(db: Db, token: string): Promise<Actor | null> {
  const record = await repo.findToken(db, sha256Hex(token));
  if (!record || record.revokedAt) return null;
  return {
    kind: 'token',
    id: record.id,
    name: `token:${record.label}`,
    displayName: record.label,
    tenantId: record.tenantId,
    tenantSlug: record.tenantSlug,
    tenantName: record.tenantName,
    roles: [{ role: record.role, unitId: record.unitId }],
    locale: 'de',
    sessionIdHash: null,
  };
}

export interface NewUserInput {
  tenantSlug: string;
  username: string;
  displayName: string;
  email?: string | null;
  locale?: Locale;
  password: string | null;
  roles: { role: RoleSlug; unitSlug?: string | null }[];
}

/** Administrative commands run as the system (CLI) and are audited under the tenant. */
function systemSubject(tenantId: string, what: string): AuditSubject {
  return { tenantId, actorId: null, actorKind: 'system', actorName: what, requestId: null };
}

export class AccessInputError extends Error {
  override name = 'AccessInputError';
}

export interface PreparedUser extends Omit<NewUserInput, 'password'> {
  passwordHash: string | null;
}

/** Checks a new user's input and hashes the password (slow, so outside any transaction). */
export async function prepareUser(input: NewUserInput): Promise<PreparedUser> {
  if (input.password !== null && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccessInputError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  if (!/^[a-z0-9][a-z0-9._@-]{1,99}$/.test(input.username.toLowerCase())) {
    throw new AccessInputError('The user name may contain only letters a–z, digits and . _ @ - (2 to 100 characters).');
  }
  const { password, ...rest } = input;
  return { ...rest, passwordHash: password === null ? null : await hashPassword(password) };
}

/** Inserts a prepared user with roles inside the caller's transaction, audited. */
export async function insertUser(trx: Trx, user: PreparedUser, performedBy: string): Promise<string> {
  const tenant = await repo.findTenantBySlug(trx, user.tenantSlug);
  if (!tenant) throw new AccessInputError(`There is no office with the slug "${user.tenantSlug}".`);
  if (await repo.findUserByUsername(trx, user.username)) throw new AccessInputError(`The user name "${user.username}" is already taken.`);
  const grants: RoleGrant[] = [];
  for (const grant of user.roles) {
    let unitId: string | null = null;
    if (grant.unitSlug) {
      const unit = await repo.findUnit(trx, tenant.id, grant.unitSlug);
      if (!unit) throw new AccessInputError(`The office "${tenant.slug}" has no unit "${grant.unitSlug}".`);
      unitId = unit.id;
    }
    grants.push({ role: grant.role, unitId });
  }
  const id = await repo.insertUser(trx, {
    tenantId: tenant.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email ?? null,
    locale: user.locale ?? 'de',
    passwordHash: user.passwordHash,
  });
  await repo.insertRoles(trx, id, grants);
  await appendAudit(trx, systemSubject(tenant.id, performedBy), {
    action: 'access.user-created',
    entityType: 'user',
    entityId: id,
    details: { username: user.username.toLowerCase(), roles: grants },
  });
  return id;
}

export async function createUser(db: Db, input: NewUserInput, performedBy = 'cli'): Promise<string> {
  const prepared = await prepareUser(input);
  return inTransaction(db, (trx) => insertUser(trx, prepared, performedBy));
}

/** Creates an API token for a machine client; returns the token, which is shown once and stored only as a hash. */
export async function createToken(db: Db, input: { tenantSlug: string; role: RoleSlug; unitSlug?: string | null; label?: string }, performedBy = 'cli'): Promise<string> {
  const token = newToken('mf_');
  await inTransaction(db, async (trx) => {
    const tenant = await repo.findTenantBySlug(trx, input.tenantSlug);
    if (!tenant) throw new AccessInputError(`There is no office with the slug "${input.tenantSlug}".`);
    let unitId: string | null = null;
    if (input.unitSlug) {
      const unit = await repo.findUnit(trx, tenant.id, input.unitSlug);
      if (!unit) throw new AccessInputError(`The office "${tenant.slug}" has no unit "${input.unitSlug}".`);
      unitId = unit.id;
    }
    const label = input.label ?? `${input.role} token`;
    const id = await repo.insertToken(trx, { tenantId: tenant.id, tokenHash: sha256Hex(token), role: input.role, unitId, label });
    await appendAudit(trx, systemSubject(tenant.id, performedBy), { action: 'access.token-created', entityType: 'api-token', entityId: id, details: { role: input.role, label } });
  });
  return token;
}

/**
 * A machine client's token created inside the caller's transaction (e.g. with the exchange partner
 * it belongs to). Returns the token once; only its hash is stored.
 */
export async function issueToken(trx: Trx, input: { tenantId: string; role: RoleSlug; label: string }): Promise<{ id: string; token: string }> {
  const token = newToken('mf_');
  const id = await repo.insertToken(trx, { tenantId: input.tenantId, tokenHash: sha256Hex(token), role: input.role, unitId: null, label: input.label });
  return { id, token };
}

/** Revokes a token at once: the next request with it is refused. */
export async function revokeToken(trx: Trx, tenantId: string, id: string): Promise<void> {
  await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** The tenant of an office slug (command-line tools), or null. */
export async function officeBySlug(db: Db | Trx, slug: string): Promise<{ id: string; slug: string; name: string } | null> {
  return repo.findTenantBySlug(db, slug);
}
