import { describe, expect, it } from 'vitest';
import { afterFailedLogin, extendIdle, isLocked, judgeSession, LOCKOUT_THRESHOLD, rolesGrant } from '../../src/modules/access/rules.js';

const now = new Date('2026-03-01T10:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('lockout rule', () => {
  it('counts failures and locks for 15 minutes at the fifth', () => {
    let state = { failedLogins: 0, lockedUntil: null as Date | null };
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      state = afterFailedLogin(state, now);
      expect(state).toEqual({ failedLogins: i, lockedUntil: null });
    }
    state = afterFailedLogin(state, now);
    expect(state.lockedUntil).toEqual(minutes(15));
    expect(isLocked(state, minutes(14))).toBe(true);
    expect(isLocked(state, minutes(15))).toBe(false);
  });

  it('starts a fresh count once a lock has run out', () => {
    const expired = { failedLogins: 0, lockedUntil: minutes(-1) };
    expect(afterFailedLogin(expired, now)).toEqual({ failedLogins: 1, lockedUntil: null });
  });
});

describe('session rules', () => {
  const session = { idleExpiresAt: minutes(10), absoluteExpiresAt: minutes(120), revokedAt: null };

  it('expires on idle, absolute timeout or revocation', () => {
    expect(judgeSession(session, now)).toBe('valid');
    expect(judgeSession(session, minutes(10))).toBe('expired');
    expect(judgeSession({ ...session, idleExpiresAt: minutes(500) }, minutes(120))).toBe('expired');
    expect(judgeSession({ ...session, revokedAt: now }, now)).toBe('expired');
  });

  it('extends the idle deadline at most once a minute and never past the absolute one', () => {
    expect(extendIdle({ ...session, idleExpiresAt: minutes(29.5) }, now, 30)).toBeNull();
    expect(extendIdle(session, now, 30)).toEqual(minutes(30));
    expect(extendIdle({ ...session, absoluteExpiresAt: minutes(20) }, now, 30)).toEqual(minutes(20));
  });
});

describe('permissions by role', () => {
  it('grants person data to case roles and clerks, not to admins, auditors or applicants', () => {
    expect(rolesGrant([{ role: 'caseworker', unitId: null }], 'persons:read')).toBe(true);
    expect(rolesGrant([{ role: 'municipal-clerk', unitId: 'u' }], 'persons:read')).toBe(true);
    expect(rolesGrant([{ role: 'admin', unitId: null }], 'persons:read')).toBe(false);
    expect(rolesGrant([{ role: 'auditor', unitId: null }], 'persons:read')).toBe(false);
    expect(rolesGrant([{ role: 'auditor', unitId: null }], 'audit:read')).toBe(true);
    expect(rolesGrant([{ role: 'applicant', unitId: null }], 'persons:read')).toBe(false);
    expect(rolesGrant([], 'authenticated')).toBe(true);
  });
});
