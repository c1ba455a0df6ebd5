import { AppError, problems } from '../../platform/errors.js';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext, RoleGrant } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import * as repo from './repository.js';
import { removesOwnAdminRole } from './sign-in-rules.js';

/** User administration through the API: the office's users with their roles, and rights changes. */

/** A user as the API shows it: the stored row, with each role's unit by its slug. */
export type UserSummary = Omit<repo.UserListRow, 'roles'> & { roles: { role: RoleSlug; unit: string | null }[] };

function toSummary(row: repo.UserListRow): UserSummary {
  const { roles, ...rest } = row;
  return { ...rest, roles: roles.map((grant) => ({ role: grant.role, unit: grant.unitSlug })) };
}

/** Every user of the caller's office, with roles; never password or TOTP data. */
export async function listOfficeUsers(db: Db, context: RequestContext): Promise<UserSummary[]> {
  const rows = await repo.listUsers(db, context.actor.tenantId);
  await appendAudit(db, subjectOf(context.actor, context.requestId), { action: 'access.users-listed', entityType: 'user', details: { count: rows.length } });
  return rows.map(toSummary);
}

/**
 * Replaces a user's roles under the optimistic lock of users.version; audited with before and
 * after. An administrator cannot take the admin role from themself.
 */
export async function changeRoles(db: Db, context: RequestContext, userId: string, expectedVersion: number, roles: { role: RoleSlug; unit?: string | null }[]): Promise<UserSummary> {
  const { actor } = context;
  return inTransaction(db, async (trx) => {
    const [before] = await repo.listUsers(trx, actor.tenantId, userId);
    if (!before) throw problems.notFound('user');
    const grants: RoleGrant[] = [];
    const seen = new Set<string>();
    for (const grant of roles) {
      let unitId: string | null = null;
      if (grant.unit) {
        const unit = await repo.findUnit(trx, actor.tenantId, grant.unit);
        if (!unit) throw new AppError(400, 'unknown-unit', { slug: grant.unit });
        unitId = unit.id;
      }
      const key = `${grant.role}\u0000${unitId ?? ''}`;
      if (seen.has(key)) continue; // the same grant twice is one grant
      seen.add(key);
      grants.push({ role: grant.role, unitId });
    }
    if (removesOwnAdminRole({ actorId: actor.id, targetId: userId, before: before.roles.map((grant) => grant.role), after: grants.map((grant) => grant.role) })) {
      throw new AppError(409, 'own-admin-role');
    }
    const version = await repo.bumpUserVersion(trx, actor.tenantId, userId, expectedVersion);
    if (version === null) throw problems.versionConflict(before.version, toSummary(before));
    await repo.replaceRoles(trx, userId, grants);
    const [after] = await repo.listUsers(trx, actor.tenantId, userId);
    if (!after) throw problems.notFound('user');
    await appendAudit(trx, subjectOf(actor, context.requestId), {
      action: 'access.roles-changed',
      entityType: 'user',
      entityId: userId,
      details: {
        username: before.username,
        before: before.roles.map((grant) => ({ role: grant.role, unit: grant.unitSlug })),
        after: after.roles.map((grant) => ({ role: grant.role, unit: grant.unitSlug })),
        version: after.version,
      },
    });
    return toSummary(after);
  });
}

/**
 * Turns a user's authenticator app off (lost or replaced phone): the user signs in with the
 * password alone afterwards and, where the office requires it, must enrol again. Their open
 * sessions end, since whoever holds the old phone may hold one of them too.
 */
export async function resetTotp(db: Db, context: RequestContext, userId: string, expectedVersion: number): Promise<UserSummary> {
  const { actor } = context;
  return inTransaction(db, async (trx) => {
    const [before] = await repo.listUsers(trx, actor.tenantId, userId);
    if (!before) throw problems.notFound('user');
    const version = await repo.bumpUserVersion(trx, actor.tenantId, userId, expectedVersion);
    if (version === null) throw problems.versionConflict(before.version, toSummary(before));
    const now = new Date();
    await repo.disableTotp(trx, userId, now);
    const sessions = await repo.revokeAllSessions(trx, userId, now);
    await repo.deleteChallenges(trx, userId);
    await appendAudit(trx, subjectOf(actor, context.requestId), {
      action: 'access.totp-reset',
      entityType: 'user',
      entityId: userId,
      details: { username: before.username, hadTotp: before.totpEnabled, sessionsEnded: sessions },
    });
    const [after] = await repo.listUsers(trx, actor.tenantId, userId);
    if (!after) throw problems.notFound('user');
    return toSummary(after);
  });
}
