import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import type { RoleGrant } from '../../platform/auth/actor.js';
import type { SignInMethod } from './sign-in-rules.js';

/** The only code of the access module that touches the database. */

export interface UserRecord {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  username: string;
  displayName: string;
  locale: 'de' | 'fr' | 'it' | 'en';
  passwordHash: string | null;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  email: string | null;
  version: number;
  /** Sealed TOTP secret (see totp.ts); null while TOTP is off. */
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
  oidcSubject: string | null;
  /** tenants.settings: TOTP enforcement and single sign-on (sign-in-rules.ts reads them). */
  tenantSettings: unknown;
}

const userColumns = [
  'users.id',
  'users.tenant_id',
  'tenants.slug as tenant_slug',
  'tenants.name as tenant_name',
  'users.username',
  'users.display_name',
  'users.locale',
  'users.password_hash',
  'users.disabled',
  'users.failed_logins',
  'users.locked_until',
  'users.email',
  'users.version',
  'users.totp_secret',
  'users.totp_pending_secret',
  'users.totp_enabled_at',
  'users.totp_last_step',
  'users.oidc_subject',
  'tenants.settings as tenant_settings',
] as const;

type UserRow = {
  id: string;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  username: string;
  display_name: string;
  locale: 'de' | 'fr' | 'it' | 'en';
  password_hash: string | null;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  email: string | null;
  version: number;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | number | null;
  oidc_subject: string | null;
  tenant_settings: unknown;
};

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    tenantName: row.tenant_name,
    username: row.username,
    displayName: row.display_name,
    locale: row.locale,
    passwordHash: row.password_hash,
    disabled: row.disabled,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    email: row.email,
    version: row.version,
    totpSecret: row.totp_secret,
    totpPendingSecret: row.totp_pending_secret,
    totpEnabledAt: row.totp_enabled_at,
    // BIGINT: a number from pg's parser, a string from elsewhere; steps stay far below 2^53.
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    oidcSubject: row.oidc_subject,
    tenantSettings: row.tenant_settings,
  };
}

export async function findUserByUsername(db: Db | Trx, username: string, forUpdate = false): Promise<UserRecord | null> {
  let query = db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id').select(userColumns).where('users.username', '=', username.toLowerCase());
  if (forUpdate) query = query.forUpdate('users');
  const row = await query.executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function rolesOfUser(db: Db | Trx, userId: string): Promise<RoleGrant[]> {
  const rows = await db.selectFrom('user_roles').select(['role', 'unit_id']).where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((row) => ({ role: row.role, unitId: row.unit_id }));
}

export async function recordLoginOutcome(trx: Trx, userId: string, failedLogins: number, lockedUntil: Date | null): Promise<void> {
  await trx.updateTable('users').set({ failed_logins: failedLogins, locked_until: lockedUntil }).where('id', '=', userId).execute();
}

export interface NewSession {
  idHash: string;
  userId: string;
  tenantId: string;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  authenticatedAt: Date;
  method: SignInMethod;
}

export async function insertSession(trx: Trx, session: NewSession): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      tenant_id: session.tenantId,
      idle_expires_at: session.idleExpiresAt,
      absolute_expires_at: session.absoluteExpiresAt,
      ip: session.ip,
      user_agent: session.userAgent?.slice(0, 400) ?? null,
      authenticated_at: session.authenticatedAt,
      sign_in_method: session.method,
    })
    .execute();
}

export interface SessionWithUser extends UserRecord {
  idHash: string;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
  authenticatedAt: Date;
  method: SignInMethod;
}

export async function findSession(db: Db, idHash: string): Promise<SessionWithUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select([...userColumns, 'sessions.id_hash', 'sessions.idle_expires_at', 'sessions.absolute_expires_at', 'sessions.revoked_at', 'sessions.authenticated_at', 'sessions.sign_in_method'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...toUser(row),
    idHash: row.id_hash,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    revokedAt: row.revoked_at,
    authenticatedAt: row.authenticated_at,
    method: row.sign_in_method,
  };
}

export async function extendSession(db: Db, idHash: string, idleExpiresAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ idle_expires_at: idleExpiresAt, last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
}

export async function revokeSession(trx: Trx, idHash: string): Promise<void> {
  await trx.updateTable('sessions').set({ revoked_at: new Date() }).where('id_hash', '=', idHash).where('revoked_at', 'is', null).execute();
}

export interface TokenRecord {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  role: RoleSlug;
  unitId: string | null;
  label: string;
  revokedAt: Date | null;
}

export async function findToken(db: Db, tokenHash: string): Promise<TokenRecord | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('tenants', 'tenants.id', 'api_tokens.tenant_id')
    .select(['api_tokens.id', 'api_tokens.tenant_id', 'tenants.slug', 'tenants.name', 'api_tokens.role', 'api_tokens.unit_id', 'api_tokens.label', 'api_tokens.revoked_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, tenantId: row.tenant_id, tenantSlug: row.slug, tenantName: row.name, role: row.role, unitId: row.unit_id, label: row.label, revokedAt: row.revoked_at };
}

export async function insertToken(trx: Trx, token: { tenantId: string; tokenHash: string; role: RoleSlug; unitId: string | null; label: string }): Promise<string> {
  const row = await trx
    .insertInto('api_tokens')
    .values({ tenant_id: token.tenantId, token_hash: token.tokenHash, role: token.role, unit_id: token.unitId, label: token.label })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findTenantBySlug(db: Db | Trx, slug: string): Promise<{ id: string; slug: string; name: string } | null> {
  return (await db.selectFrom('tenants').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst()) ?? null;
}

export async function findUnit(db: Db | Trx, tenantId: string, slug: string): Promise<{ id: string } | null> {
  return (await db.selectFrom('units').select(['id']).where('tenant_id', '=', tenantId).where('slug', '=', slug).executeTakeFirst()) ?? null;
}

export async function insertUser(
  trx: Trx,
  user: { tenantId: string; username: string; displayName: string; email: string | null; locale: 'de' | 'fr' | 'it' | 'en'; passwordHash: string | null },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({ tenant_id: user.tenantId, username: user.username.toLowerCase(), display_name: user.displayName, email: user.email, locale: user.locale, password_hash: user.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertRoles(trx: Trx, userId: string, roles: RoleGrant[]): Promise<void> {
  if (roles.length === 0) return;
  await trx
    .insertInto('user_roles')
    .values(roles.map((grant) => ({ user_id: userId, role: grant.role, unit_id: grant.unitId })))
    .execute();
}

// --- strong sign-in (0008_sign_in) -----------------------------------------------------------------

export async function findUserById(db: Db | Trx, id: string, forUpdate = false): Promise<UserRecord | null> {
  let query = db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id').select(userColumns).where('users.id', '=', id);
  if (forUpdate) query = query.forUpdate('users');
  const row = await query.executeTakeFirst();
  return row ? toUser(row) : null;
}

/** Users of one office whose subject, e-mail or user name is `value` (the single sign-on match). */
export async function findUserForSso(db: Db | Trx, tenantId: string, by: 'oidc_subject' | 'email' | 'username', value: string): Promise<UserRecord[]> {
  let query = db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id').select(userColumns).where('users.tenant_id', '=', tenantId);
  query = by === 'oidc_subject' ? query.where('users.oidc_subject', '=', value) : by === 'email' ? query.where(sql<string>`lower(users.email)`, '=', value) : query.where('users.username', '=', value);
  const rows = await query.limit(2).execute();
  return rows.map(toUser);
}

export async function linkOidcSubject(trx: Trx, userId: string, subject: string): Promise<void> {
  await trx.updateTable('users').set({ oidc_subject: subject, updated_at: new Date() }).where('id', '=', userId).execute();
}

export async function setPendingTotp(trx: Trx, userId: string, sealed: string | null): Promise<void> {
  await trx.updateTable('users').set({ totp_pending_secret: sealed }).where('id', '=', userId).execute();
}

export async function enableTotp(trx: Trx, userId: string, sealed: string, step: number, at: Date): Promise<void> {
  await trx.updateTable('users').set({ totp_secret: sealed, totp_pending_secret: null, totp_enabled_at: at, totp_last_step: step, updated_at: at }).where('id', '=', userId).execute();
}

export async function disableTotp(trx: Trx, userId: string, at: Date): Promise<void> {
  await trx.updateTable('users').set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: at }).where('id', '=', userId).execute();
}

/** Records the step of an accepted code; refuses (false) when a parallel request took this step or a later one already. */
export async function recordTotpStep(trx: Trx, userId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertChallenge(trx: Trx, challenge: { idHash: string; userId: string; tenantId: string; expiresAt: Date }): Promise<void> {
  await trx.insertInto('sign_in_challenges').values({ id_hash: challenge.idHash, user_id: challenge.userId, tenant_id: challenge.tenantId, expires_at: challenge.expiresAt }).execute();
}

export interface ChallengeRecord {
  idHash: string;
  userId: string;
  expiresAt: Date;
  consumedAt: Date | null;
}

export async function findChallenge(db: Db | Trx, idHash: string, forUpdate = false): Promise<ChallengeRecord | null> {
  let query = db.selectFrom('sign_in_challenges').select(['id_hash', 'user_id', 'expires_at', 'consumed_at']).where('id_hash', '=', idHash);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { idHash: row.id_hash, userId: row.user_id, expiresAt: row.expires_at, consumedAt: row.consumed_at } : null;
}

export async function consumeChallenge(trx: Trx, idHash: string, at: Date): Promise<void> {
  await trx.updateTable('sign_in_challenges').set({ consumed_at: at }).where('id_hash', '=', idHash).execute();
}

/** Expired challenges are useless; removing them keeps the table small. */
export async function deleteStaleChallenges(trx: Trx, userId: string, now: Date): Promise<void> {
  await trx
    .deleteFrom('sign_in_challenges')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('consumed_at', 'is not', null)]))
    .execute();
}

export async function deleteChallenges(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('sign_in_challenges').where('user_id', '=', userId).execute();
}

export async function markAuthenticated(trx: Trx, idHash: string, at: Date): Promise<void> {
  await trx.updateTable('sessions').set({ authenticated_at: at }).where('id_hash', '=', idHash).execute();
}

/** Revokes every open session of a user; returns how many there were. */
export async function revokeAllSessions(trx: Trx, userId: string, at: Date): Promise<number> {
  const result = await trx.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findTenantSettings(db: Db | Trx, slug: string): Promise<{ id: string; slug: string; name: string; settings: unknown } | null> {
  return (await db.selectFrom('tenants').select(['id', 'slug', 'name', 'settings']).where('slug', '=', slug).executeTakeFirst()) ?? null;
}

/** Offices whose settings name an OIDC provider (checked further by the caller). */
export async function tenantsWithOidc(db: Db | Trx): Promise<{ id: string; slug: string; name: string; settings: unknown }[]> {
  return db.selectFrom('tenants').select(['id', 'slug', 'name', 'settings']).where(sql<boolean>`settings ? 'oidc'`).orderBy('name').limit(50).execute();
}

// --- user administration ------------------------------------------------------------------------

export interface UserListRow {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  locale: 'de' | 'fr' | 'it' | 'en';
  disabled: boolean;
  version: number;
  totpEnabled: boolean;
  ssoLinked: boolean;
  roles: { role: RoleSlug; unitId: string | null; unitSlug: string | null }[];
}

export async function listUsers(db: Db | Trx, tenantId: string, onlyId: string | null = null): Promise<UserListRow[]> {
  let query = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'email', 'locale', 'disabled', 'version', 'totp_enabled_at', 'oidc_subject'])
    .where('tenant_id', '=', tenantId)
    .orderBy('username');
  if (onlyId) query = query.where('id', '=', onlyId);
  const users = await query.execute();
  if (users.length === 0) return [];
  const grants = await db
    .selectFrom('user_roles')
    .leftJoin('units', 'units.id', 'user_roles.unit_id')
    .select(['user_roles.user_id', 'user_roles.role', 'user_roles.unit_id', 'units.slug as unit_slug'])
    .where(
      'user_roles.user_id',
      'in',
      users.map((user) => user.id),
    )
    .orderBy('user_roles.role')
    .orderBy('units.slug')
    .execute();
  return users.map((user) => ({
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    email: user.email,
    locale: user.locale,
    disabled: user.disabled,
    version: user.version,
    totpEnabled: user.totp_enabled_at !== null,
    ssoLinked: user.oidc_subject !== null,
    roles: grants.filter((grant) => grant.user_id === user.id).map((grant) => ({ role: grant.role, unitId: grant.unit_id, unitSlug: grant.unit_slug })),
  }));
}

/** Takes the optimistic lock on a user: the new version, or null when `expected` is no longer current. */
export async function bumpUserVersion(trx: Trx, tenantId: string, userId: string, expected: number): Promise<number | null> {
  const row = await trx
    .updateTable('users')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', userId)
    .where('tenant_id', '=', tenantId)
    .where('version', '=', expected)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function replaceRoles(trx: Trx, userId: string, roles: RoleGrant[]): Promise<void> {
  await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  await insertRoles(trx, userId, roles);
}
