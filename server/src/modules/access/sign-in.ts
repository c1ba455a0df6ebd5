import { AppError } from '../../platform/errors.js';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { verifyPassword } from '../../platform/auth/passwords.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import * as repo from './repository.js';
import { isLocked } from './rules.js';
import { challengeIdHash, countFailure, openSession, userSubjectOf, type ClientMeta, type LoginResult, type SessionSettings, type SignInState } from './service.js';
import { checkTotpCode, enrolmentFor, newTotpSecret, openTotpSecret, sealTotpSecret, type TotpEnrolment } from './totp.js';
import type { TotpVerdict } from './sign-in-rules.js';

/** TOTP enrolment and sign-in, re-authentication and signing out everywhere: each command one transaction, audited. */

/** The person behind a cookie session; API tokens cannot hold a second factor or re-authenticate. */
async function sessionUser(db: Db, actor: Actor): Promise<repo.UserRecord & { sessionIdHash: string }> {
  if (actor.kind !== 'user' || !actor.sessionIdHash) throw new AppError(403, 'token-not-allowed');
  const user = await repo.findUserById(db, actor.id);
  if (!user) throw new AppError(401, 'session-expired');
  return { ...user, sessionIdHash: actor.sessionIdHash };
}

function lockedProblem(until: Date): AppError {
  return new AppError(423, 'account-locked', { until });
}

function totpSecretOf(settings: SessionSettings, user: repo.UserRecord, sealed: string): string {
  const secret = openTotpSecret(settings.secret, user.id, sealed);
  // Only a changed SESSION_SECRET (or a tampered row) gets here; the operator must reset the user's TOTP.
  if (secret === null) throw new Error(`The TOTP secret of user ${user.id} cannot be decrypted; was SESSION_SECRET changed?`);
  return secret;
}

// --- sign-in with the second factor ------------------------------------------------------------------

export async function completeTotpLogin(
  db: Db,
  settings: SessionSettings,
  input: ClientMeta & { pendingToken: string; code: string },
  now: Date = new Date(),
): Promise<LoginResult> {
  const idHash = challengeIdHash(settings, input.pendingToken);
  const outcome = await inTransaction(db, async (trx): Promise<{ result: LoginResult } | { error: AppError }> => {
    const challenge = await repo.findChallenge(trx, idHash, true);
    if (!challenge || challenge.consumedAt !== null || challenge.expiresAt.getTime() <= now.getTime()) return { error: new AppError(401, 'pending-login-expired') };
    const user = await repo.findUserById(trx, challenge.userId, true);
    if (!user || user.disabled || user.totpSecret === null) return { error: new AppError(401, 'pending-login-expired') };
    const subject = userSubjectOf(user, input.requestId);
    if (isLocked(user, now)) {
      await repo.consumeChallenge(trx, idHash, now);
      await appendAudit(trx, subject, { action: 'auth.login-refused', entityType: 'user', entityId: user.id, details: { reason: 'locked', ip: input.ip } });
      return { error: lockedProblem(user.lockedUntil ?? now) };
    }
    const verdict = checkTotpCode(totpSecretOf(settings, user, user.totpSecret), input.code, user.totpLastStep, now);
    const accepted = verdict.ok && (await repo.recordTotpStep(trx, user.id, verdict.step));
    if (!accepted) {
      const state = await countFailure(trx, user, subject, 'auth.login-failed', { reason: failureReason(verdict), ip: input.ip }, now);
      if (state.lockedUntil) {
        // A locked account's pending sign-in is over; after the lock the password comes first again.
        await repo.consumeChallenge(trx, idHash, now);
        return { error: lockedProblem(state.lockedUntil) };
      }
      return { error: new AppError(401, 'totp-code-invalid') };
    }
    await repo.consumeChallenge(trx, idHash, now);
    return { result: await openSession(trx, settings, user, 'password+totp', input, now) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

function failureReason(verdict: TotpVerdict): string {
  if (verdict.ok) return 'replayed-totp'; // right code, but a parallel request used its step first
  return verdict.reason === 'replayed' ? 'replayed-totp' : 'wrong-totp';
}

// --- enrolment -----------------------------------------------------------------------------------------

/** Hands out a new secret (kept sealed as pending) with its otpauth URI and QR code; nothing is protected by it until confirmed. */
export async function startTotpEnrolment(db: Db, settings: SessionSettings, actor: Actor, requestId: string): Promise<TotpEnrolment> {
  const user = await sessionUser(db, actor);
  if (user.totpSecret !== null) throw new AppError(409, 'totp-already-enabled');
  const secret = newTotpSecret();
  await inTransaction(db, async (trx) => {
    await repo.setPendingTotp(trx, user.id, sealTotpSecret(settings.secret, user.id, secret));
    await appendAudit(trx, subjectOf(actor, requestId), { action: 'auth.totp-enrolment-started', entityType: 'user', entityId: user.id });
  });
  return enrolmentFor(secret, `MigraFlow ${user.tenantSlug}`, user.username);
}

/** Activates the pending secret after one valid code from the app. */
export async function confirmTotp(db: Db, settings: SessionSettings, actor: Actor, code: string, requestId: string, now: Date = new Date()): Promise<void> {
  const user = await sessionUser(db, actor);
  await inTransaction(db, async (trx) => {
    const current = await repo.findUserById(trx, user.id, true);
    if (!current) throw new AppError(401, 'session-expired');
    if (current.totpSecret !== null) throw new AppError(409, 'totp-already-enabled');
    if (current.totpPendingSecret === null) throw new AppError(409, 'totp-enrolment-missing');
    const verdict = checkTotpCode(totpSecretOf(settings, current, current.totpPendingSecret), code, null, now);
    // A wrong code here guesses nothing the person was not just shown, so it does not count towards the lockout.
    if (!verdict.ok) throw new AppError(400, 'totp-code-invalid');
    await repo.enableTotp(trx, current.id, current.totpPendingSecret, verdict.step, now);
    await appendAudit(trx, subjectOf(actor, requestId), { action: 'auth.totp-enabled', entityType: 'user', entityId: current.id });
  });
}

/** Turns TOTP off; needs a valid code, and wrong codes count towards the lockout (they guess the live secret). */
export async function disableTotp(db: Db, settings: SessionSettings, actor: Actor, code: string, requestId: string, now: Date = new Date()): Promise<void> {
  const user = await sessionUser(db, actor);
  const error = await inTransaction(db, async (trx): Promise<AppError | null> => {
    const current = await repo.findUserById(trx, user.id, true);
    if (!current) return new AppError(401, 'session-expired');
    if (current.totpSecret === null) return new AppError(409, 'totp-not-enabled');
    if (isLocked(current, now)) return lockedProblem(current.lockedUntil ?? now);
    const verdict = checkTotpCode(totpSecretOf(settings, current, current.totpSecret), code, current.totpLastStep, now);
    if (!verdict.ok) {
      const state = await countFailure(trx, current, subjectOf(actor, requestId), 'auth.totp-disable-failed', { reason: failureReason(verdict) }, now);
      return state.lockedUntil ? lockedProblem(state.lockedUntil) : new AppError(400, 'totp-code-invalid');
    }
    await repo.disableTotp(trx, current.id, now);
    await repo.recordLoginOutcome(trx, current.id, 0, null);
    await appendAudit(trx, subjectOf(actor, requestId), { action: 'auth.totp-disabled', entityType: 'user', entityId: current.id });
    return null;
  });
  if (error) throw error;
}

// --- re-authentication ---------------------------------------------------------------------------------

/**
 * Proves again who sits at the session: password, and the code when TOTP is on. Failures count
 * towards the lockout, or this would be a way around it. Single sign-on sessions re-authenticate
 * at their provider instead (GET /api/v1/auth/oidc/:tenant/start?reauth=1).
 */
export async function reauthenticate(
  db: Db,
  settings: SessionSettings,
  actor: Actor,
  signIn: SignInState | null,
  input: { password: string; code: string | undefined; ip: string | null; requestId: string },
  now: Date = new Date(),
): Promise<{ authenticatedAt: Date }> {
  const user = await sessionUser(db, actor);
  if (signIn?.method === 'oidc' || user.passwordHash === null) throw new AppError(409, 'reauthenticate-with-sso');
  if (isLocked(user, now)) throw lockedProblem(user.lockedUntil ?? now);
  if (user.totpSecret !== null && (input.code === undefined || input.code.trim() === '')) throw new AppError(400, 'totp-code-required');
  const subject = subjectOf(actor, input.requestId);
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const error = await inTransaction(db, async (trx): Promise<AppError | null> => {
    if (!passwordOk) {
      const state = await countFailure(trx, user, subject, 'auth.reauthentication-failed', { reason: 'wrong-password', ip: input.ip }, now);
      return state.lockedUntil ? lockedProblem(state.lockedUntil) : new AppError(401, 'invalid-credentials');
    }
    let method: 'password' | 'password+totp' = 'password';
    if (user.totpSecret !== null) {
      const current = (await repo.findUserById(trx, user.id, true)) ?? user;
      const verdict = checkTotpCode(totpSecretOf(settings, user, user.totpSecret), input.code ?? '', current.totpLastStep, now);
      const accepted = verdict.ok && (await repo.recordTotpStep(trx, user.id, verdict.step));
      if (!accepted) {
        const state = await countFailure(trx, user, subject, 'auth.reauthentication-failed', { reason: failureReason(verdict), ip: input.ip }, now);
        return state.lockedUntil ? lockedProblem(state.lockedUntil) : new AppError(401, 'totp-code-invalid');
      }
      method = 'password+totp';
    }
    await repo.recordLoginOutcome(trx, user.id, 0, null);
    await repo.markAuthenticated(trx, user.sessionIdHash, now);
    await appendAudit(trx, subject, { action: 'auth.reauthenticated', entityType: 'user', entityId: user.id, details: { method, ip: input.ip } });
    return null;
  });
  if (error) throw error;
  return { authenticatedAt: now };
}

// --- signing out everywhere ------------------------------------------------------------------------------

/** Ends every session of the caller (this one included) and any pending second-factor sign-in. */
export async function logoutEverywhere(db: Db, actor: Actor, requestId: string, now: Date = new Date()): Promise<number> {
  const user = await sessionUser(db, actor);
  return inTransaction(db, async (trx) => {
    const count = await repo.revokeAllSessions(trx, user.id, now);
    await repo.deleteChallenges(trx, user.id);
    await appendAudit(trx, subjectOf(actor, requestId), { action: 'auth.logout-all', entityType: 'user', entityId: user.id, details: { sessions: count } });
    return count;
  });
}
