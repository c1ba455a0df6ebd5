import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  checkNewMandate,
  judgeToken,
  mandateState,
  mandateValidOn,
  normaliseEmail,
  normaliseScope,
  parseEmail,
  portalLink,
  tokenExpiry,
} from '../../src/modules/portal/rules.js';

describe('one-time tokens', () => {
  const issued = new Date('2026-03-01T10:00:00Z');

  it('last 24 hours to confirm an address and one hour to reset a password', () => {
    expect(tokenExpiry('verify-email', issued).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(tokenExpiry('password-reset', issued).toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('are good until, not at, their expiry; once; for their own purpose', () => {
    const token = { purpose: 'password-reset' as const, expiresAt: tokenExpiry('password-reset', issued), usedAt: null };
    expect(judgeToken(token, 'password-reset', new Date('2026-03-01T10:59:59Z'))).toBe('valid');
    expect(judgeToken(token, 'password-reset', new Date('2026-03-01T11:00:00Z'))).toBe('expired');
    expect(judgeToken({ ...token, usedAt: issued }, 'password-reset', issued)).toBe('used');
    expect(judgeToken(token, 'verify-email', issued)).toBe('wrong-purpose');
    expect(judgeToken(null, 'verify-email', issued)).toBe('unknown');
  });

  it('used wins over expired (the clearer message for a link clicked twice)', () => {
    expect(judgeToken({ purpose: 'verify-email', expiresAt: issued, usedAt: issued }, 'verify-email', new Date('2026-04-01T00:00:00Z'))).toBe('used');
  });
});

describe('e-mail addresses', () => {
  it('are trimmed and lower-cased', () => {
    expect(normaliseEmail('  Anna.Meier@Example.CH ')).toBe('anna.meier@example.ch');
    expect(parseEmail(' Zoe+Amt@Mail.Example.ch')).toBe('zoe+amt@mail.example.ch');
  });

  it.each(['anna', 'anna@', '@example.ch', 'anna@example', 'anna meier@example.ch', 'anna@@example.ch', 'anna..meier@example.ch', 'zoë@example.ch', '.anna@example.ch', 'anna@-example.ch', `${'a'.repeat(95)}@example.ch`])(
    'refuses %s',
    (raw) => {
      expect(parseEmail(raw)).toBeNull();
    },
  );

  it('takes what the access module can hold as a user name', () => {
    for (const raw of ['a.b_c-d@example.ch', 'x1@sub.example.co.uk', 'ab@ex-ample.ch']) {
      const email = parseEmail(raw);
      expect(email).not.toBeNull();
      expect(email).toMatch(/^[a-z0-9][a-z0-9._@+-]{1,99}$/);
    }
  });
});

describe('mandates', () => {
  const mandate = { validFrom: '2026-01-01', validUntil: '2026-12-31', revokedAt: null };

  it('hold from the first to the last day, inclusive', () => {
    expect(mandateValidOn(mandate, '2025-12-31')).toBe(false);
    expect(mandateValidOn(mandate, '2026-01-01')).toBe(true);
    expect(mandateValidOn(mandate, '2026-12-31')).toBe(true);
    expect(mandateValidOn(mandate, '2027-01-01')).toBe(false);
    expect(mandateValidOn({ ...mandate, validUntil: null }, '2040-06-30')).toBe(true);
  });

  it('end with the (Swiss) day of their revocation', () => {
    // 23:30 UTC on 30 June is already 1 July in Zurich.
    const revoked = { ...mandate, revokedAt: new Date('2026-06-30T23:30:00Z') };
    expect(mandateValidOn(revoked, '2026-06-30')).toBe(true);
    expect(mandateValidOn(revoked, '2026-07-01')).toBe(false);
    expect(calendarDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('have a state on a date', () => {
    expect(mandateState(mandate, '2025-06-01')).toBe('future');
    expect(mandateState(mandate, '2026-06-01')).toBe('active');
    expect(mandateState(mandate, '2027-06-01')).toBe('expired');
    expect(mandateState({ ...mandate, revokedAt: new Date('2026-02-01T10:00:00Z') }, '2026-06-01')).toBe('revoked');
  });

  it('need a known scope and a period that does not end before it starts or in the past', () => {
    const today = '2026-05-01';
    expect(checkNewMandate({ scope: ['applications', 'status'], validFrom: today, validUntil: null }, today)).toEqual([]);
    expect(checkNewMandate({ scope: [], validFrom: today, validUntil: null }, today)).toEqual(['scope-empty']);
    expect(checkNewMandate({ scope: ['everything'], validFrom: today, validUntil: null }, today)).toEqual(['scope-unknown']);
    expect(checkNewMandate({ scope: ['status'], validFrom: today, validUntil: '2026-04-30' }, today)).toEqual(['until-before-from']);
    expect(checkNewMandate({ scope: ['status'], validFrom: '2026-01-01', validUntil: '2026-03-01' }, today)).toEqual(['until-in-past']);
  });

  it('keep their scope in one order without repetitions', () => {
    expect(normaliseScope(['messages', 'applications', 'messages'])).toEqual(['applications', 'messages']);
  });
});

describe('links in mails', () => {
  it('point at the web app page with the token', () => {
    expect(portalLink('https://amt.example.ch/', 'verify', 'abc_-1')).toBe('https://amt.example.ch/portal/verify?token=abc_-1');
    expect(portalLink('http://localhost:3000', 'reset-password', 'x')).toBe('http://localhost:3000/portal/reset-password?token=x');
  });
});
