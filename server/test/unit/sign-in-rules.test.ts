import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isAllowedIssuer,
  isFreshProviderSignIn,
  isRecentSignIn,
  judgeTotp,
  matchingClaimValue,
  needsTotpEnrolment,
  normaliseTotpCode,
  oidcSettingsProblem,
  reauthenticationMethod,
  removesOwnAdminRole,
  safeReturnPath,
  tenantSignInSettings,
  totpStep,
} from '../../src/modules/access/sign-in-rules.js';
import { checkTotpCode, newTotpSecret, totpCodeAt } from '../../src/modules/access/totp.js';
import { open, seal } from '../../src/modules/access/secret-box.js';

const now = new Date('2026-03-01T10:00:10Z');
const seconds = (n: number) => new Date(now.getTime() + n * 1000);

describe('TOTP window and replay', () => {
  const step = totpStep(now);

  it('accepts the current step and one either side, not two', () => {
    for (const delta of [-1, 0, 1]) expect(judgeTotp({ code: '123456', delta, now, lastStep: null })).toEqual({ ok: true, step: step + delta });
    expect(judgeTotp({ code: '123456', delta: 2, now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
    expect(judgeTotp({ code: '123456', delta: null, now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a code of a step at or before the last accepted one, even inside the window', () => {
    expect(judgeTotp({ code: '123456', delta: 0, now, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
    expect(judgeTotp({ code: '123456', delta: -1, now, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
    expect(judgeTotp({ code: '123456', delta: 1, now, lastStep: step })).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses anything but six digits before looking further', () => {
    for (const code of ['12345', '1234567', '12345a', '']) expect(judgeTotp({ code, delta: 0, now, lastStep: null })).toEqual({ ok: false, reason: 'malformed' });
    expect(normaliseTotpCode('123 456')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
  });

  it('never accepts a step twice, whatever the order of attempts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 1 }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }), (deltas, advances) => {
        let lastStep: number | null = null;
        let clock = now.getTime();
        const accepted: number[] = [];
        deltas.forEach((delta, index) => {
          clock += (advances[index] ?? 0) * 30_000;
          const verdict = judgeTotp({ code: '000000', delta, now: new Date(clock), lastStep });
          if (verdict.ok) {
            accepted.push(verdict.step);
            lastStep = verdict.step;
          }
        });
        return new Set(accepted).size === accepted.length && accepted.every((value, index) => index === 0 || value > (accepted[index - 1] ?? -Infinity));
      }),
    );
  });

  it('checks real codes of a secret with otpauth: the current code once, a stale one never', () => {
    const secret = newTotpSecret();
    const code = totpCodeAt(secret, now);
    const first = checkTotpCode(secret, code, null, now);
    expect(first).toEqual({ ok: true, step: totpStep(now) });
    expect(checkTotpCode(secret, code, first.ok ? first.step : null, seconds(5))).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotpCode(secret, totpCodeAt(secret, seconds(-90)), null, now)).toEqual({ ok: false, reason: 'wrong' });
    // Typed with a space, as apps show it; and a code from the previous step still counts.
    expect(checkTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, seconds(30)).ok).toBe(true);
  });
});

describe('sealed secrets', () => {
  const key = 'test-secret-test-secret-test-secret-0123';

  it('opens only with the same secret, purpose and context', () => {
    const sealed = seal(key, 'totp-secret', 'JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(open(key, 'totp-secret', sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(open(key, 'totp-secret', sealed, 'user-2')).toBeNull();
    expect(open(key, 'oidc-flow', sealed, 'user-1')).toBeNull();
    expect(open(`${key}x`, 'totp-secret', sealed, 'user-1')).toBeNull();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = `${version}.${iv}.${tag}.${(body ?? '').startsWith('A') ? 'B' : 'A'}${(body ?? '').slice(1)}`;
    expect(open(key, 'totp-secret', flipped, 'user-1')).toBeNull();
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, 'p', 'same', 'c')).not.toBe(seal(key, 'p', 'same', 'c'));
  });
});

describe('enrolment-only sessions', () => {
  it('limits password sessions of an office that requires TOTP until the user has it', () => {
    expect(needsTotpEnrolment({ requireTotp: true, totpActive: false, method: 'password' })).toBe(true);
    expect(needsTotpEnrolment({ requireTotp: true, totpActive: true, method: 'password+totp' })).toBe(false);
    expect(needsTotpEnrolment({ requireTotp: false, totpActive: false, method: 'password' })).toBe(false);
    // The office's identity provider decides how strong a single sign-on is.
    expect(needsTotpEnrolment({ requireTotp: true, totpActive: false, method: 'oidc' })).toBe(false);
  });
});

describe('re-authentication freshness', () => {
  it('counts a sign-in of at most ten minutes ago as recent', () => {
    expect(isRecentSignIn(seconds(-600), now)).toBe(true);
    expect(isRecentSignIn(seconds(-601), now)).toBe(false);
    expect(isRecentSignIn(seconds(5), now)).toBe(true);
    expect(isRecentSignIn(seconds(-60), now, 0)).toBe(false);
  });

  it('sends single sign-on sessions to their provider and the others to the password', () => {
    expect(reauthenticationMethod('oidc')).toBe('oidc');
    expect(reauthenticationMethod('password')).toBe('password');
    expect(reauthenticationMethod('password+totp')).toBe('password');
  });

  it('believes a provider re-authentication only when its auth_time is not before the flow started', () => {
    const startedAt = now;
    expect(isFreshProviderSignIn(now.getTime() / 1000 + 3, startedAt)).toBe(true);
    expect(isFreshProviderSignIn(now.getTime() / 1000 - 20, startedAt)).toBe(true); // clock skew
    expect(isFreshProviderSignIn(now.getTime() / 1000 - 3600, startedAt)).toBe(false);
    expect(isFreshProviderSignIn(undefined, startedAt)).toBe(false);
  });
});

describe('tenant sign-in settings', () => {
  const oidc = { issuer: 'https://login.example.ch/realms/amt', clientId: 'migraflow', clientSecretEnv: 'OIDC_SECRET_LU', claim: 'email' };

  it('reads requireTotp and a usable OIDC block', () => {
    expect(tenantSignInSettings({ requireTotp: true, oidc })).toEqual({ requireTotp: true, oidc: { ...oidc, label: null } });
    expect(tenantSignInSettings({})).toEqual({ requireTotp: false, oidc: null });
    expect(tenantSignInSettings(null)).toEqual({ requireTotp: false, oidc: null });
    expect(tenantSignInSettings({ requireTotp: 'yes' }).requireTotp).toBe(false);
    expect(tenantSignInSettings({ oidc: { ...oidc, claim: undefined, label: ' Kanton Luzern ' } }).oidc).toMatchObject({ claim: 'email', label: 'Kanton Luzern' });
  });

  it('treats a broken OIDC block as no single sign-on and names the problem', () => {
    expect(tenantSignInSettings({ oidc: { ...oidc, issuer: 'http://login.example.ch' } }).oidc).toBeNull();
    expect(oidcSettingsProblem({ ...oidc, issuer: 'http://login.example.ch' })).toMatch(/https/);
    expect(oidcSettingsProblem({ ...oidc, clientSecretEnv: 'the secret itself!' })).toMatch(/environment variable/);
    expect(oidcSettingsProblem({ ...oidc, claim: 'sub' })).toMatch(/claim/);
    expect(oidcSettingsProblem({ ...oidc, clientId: '' })).toMatch(/clientId/);
  });

  it('allows plain HTTP only for a provider on this machine', () => {
    expect(isAllowedIssuer('https://idp.example.ch')).toBe(true);
    expect(isAllowedIssuer('http://127.0.0.1:4000')).toBe(true);
    expect(isAllowedIssuer('http://localhost:4000/realm')).toBe(true);
    expect(isAllowedIssuer('http://idp.example.ch')).toBe(false);
    expect(isAllowedIssuer('ftp://idp.example.ch')).toBe(false);
    expect(isAllowedIssuer('not a url')).toBe(false);
  });
});

describe('single sign-on matching', () => {
  it('uses the configured claim, lower-cased, and not an unverified e-mail', () => {
    expect(matchingClaimValue('email', { email: 'Anna.Muster@LU.ch', email_verified: true })).toBe('anna.muster@lu.ch');
    expect(matchingClaimValue('email', { email: 'anna@lu.ch' })).toBe('anna@lu.ch');
    expect(matchingClaimValue('email', { email: 'anna@lu.ch', email_verified: false })).toBeNull();
    expect(matchingClaimValue('preferred_username', { preferred_username: 'AMuster' })).toBe('amuster');
    expect(matchingClaimValue('preferred_username', { email: 'anna@lu.ch' })).toBeNull();
  });

  it('returns only to paths of this app', () => {
    expect(safeReturnPath('/cases/123?tab=letters')).toBe('/cases/123?tab=letters');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'cases', undefined, 42, '/a\nb']) expect(safeReturnPath(bad)).toBe('/');
  });
});

describe('rights changes', () => {
  it('refuses only an administrator removing their own admin role', () => {
    expect(removesOwnAdminRole({ actorId: 'a', targetId: 'a', before: ['admin'], after: ['caseworker'] })).toBe(true);
    expect(removesOwnAdminRole({ actorId: 'a', targetId: 'a', before: ['admin', 'auditor'], after: ['admin'] })).toBe(false);
    expect(removesOwnAdminRole({ actorId: 'a', targetId: 'b', before: ['admin'], after: [] })).toBe(false);
  });
});
