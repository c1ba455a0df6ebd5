import { hashPassword, MIN_PASSWORD_LENGTH } from '../../platform/auth/passwords.js';
import type { Trx, Db } from '../../platform/db/transaction.js';
import type { RoleSlug } from '../../platform/db/tables.js';
import type { Locale } from '../../platform/i18n/messages.js';
import * as repo from './repository.js';

/**
 * Users created and looked after by another module (the applicant portal): self-registered
 * accounts that start disabled, get their password set by a reset link and their sessions ended.
 * The access module's rules stay in force: the user-name form, the password length, Argon2id.
 */

export { MIN_PASSWORD_LENGTH };

/** Whether a new password meets the access module's rule (checked before hashing). */
export function passwordAcceptable(password: string): boolean {
  return password.length >= MIN_PASSWORD_LENGTH && password.length <= 1000;
}

/** Argon2id hash of a password that passed `passwordAcceptable` (slow: call it outside a transaction). */
export function hashNewPassword(password: string): Promise<string> {
  return hashPassword(password);
}

export interface SelfRegisteredUser {
  tenantId: string;
  username: string;
  displayName: string;
  email: string;
  locale: Locale;
  passwordHash: string;
  role: RoleSlug;
}

/**
 * Inserts a disabled user with one office-wide role inside the caller's transaction; null when
 * the user name is taken (also by a parallel request: no error, so the caller's transaction goes on).
 */
export async function insertDisabledUser(trx: Trx, user: SelfRegisteredUser): Promise<string | null> {
  const row = await trx
    .insertInto('users')
    .values({
      tenant_id: user.tenantId,
      username: user.username.toLowerCase(),
      display_name: user.displayName,
      email: user.email,
      locale: user.locale,
      password_hash: user.passwordHash,
      disabled: true,
    })
    .onConflict((conflict) => conflict.column('username').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  await repo.insertRoles(trx, row.id, [{ role: user.role, unitId: null }]);
  return row.id;
}

/** The user of a login name (any office): id, office, whether disabled; null when there is none. */
export async function findUserByLogin(db: Db | Trx, username: string): Promise<{ id: string; tenantId: string; disabled: boolean; displayName: string; locale: Locale } | null> {
  const user = await repo.findUserByUsername(db, username);
  return user ? { id: user.id, tenantId: user.tenantId, disabled: user.disabled, displayName: user.displayName, locale: user.locale } : null;
}

/** Lets a user sign in (after the address was confirmed). */
export async function enableUser(trx: Trx, userId: string): Promise<void> {
  await trx.updateTable('users').set({ disabled: false, updated_at: new Date() }).where('id', '=', userId).execute();
}

/**
 * Sets a new password (a reset by mail) and clears the failure count and any lock: whoever
 * guessed at the old password gains nothing from the new one.
 */
export async function setUserPassword(trx: Trx, userId: string, passwordHash: string): Promise<void> {
  await trx.updateTable('users').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', userId).execute();
}

/** Ends every session and pending second-factor sign-in of a user; returns how many sessions ended. */
export async function endUserSessions(trx: Trx, userId: string, at: Date): Promise<number> {
  const count = await repo.revokeAllSessions(trx, userId, at);
  await repo.deleteChallenges(trx, userId);
  return count;
}
