import type { Db, Trx } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import type { RoleGrant } from '../../platform/auth/actor.js';

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
    })
    .execute();
}

export interface SessionWithUser extends UserRecord {
  idHash: string;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
}

export async function findSession(db: Db, idHash: string): Promise<SessionWithUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select([...userColumns, 'sessions.id_hash', 'sessions.idle_expires_at', 'sessions.absolute_expires_at', 'sessions.revoked_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  return { ...toUser(row), idHash: row.id_hash, idleExpiresAt: row.idle_expires_at, absoluteExpiresAt: row.absolute_expires_at, revokedAt: row.revoked_at };
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
