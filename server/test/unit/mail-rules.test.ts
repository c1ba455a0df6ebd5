import { describe, expect, it } from 'vitest';
import { isPermanentFailure, MAIL_MAX_ATTEMPTS, mailProblems, MAX_ATTACHMENT_BYTES, nextMailAttempt, type NewMail } from '../../src/platform/mail/rules.js';

/** The pure rules of the mail outbox: when to try again, what is refused for good, what may be queued. */

const SECOND = 1000;

describe('nextMailAttempt (mail backoff)', () => {
  const now = new Date('2026-11-20T10:00:00.000Z');
  const delayAfter = (attempts: number) => {
    const next = nextMailAttempt(attempts, now);
    return next === null ? null : next.getTime() - now.getTime();
  };

  it('waits 30 s after the first failed attempt, then doubles', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(delayAfter)).toEqual([30, 60, 120, 240, 480, 960, 1920].map((s) => s * SECOND));
  });

  it('gives up after the 8th attempt', () => {
    expect(MAIL_MAX_ATTEMPTS).toBe(8);
    expect(delayAfter(7)).not.toBeNull();
    expect(delayAfter(8)).toBeNull();
    expect(delayAfter(9)).toBeNull();
  });

  it('treats "no attempt yet" like the first', () => {
    expect(delayAfter(0)).toBe(30 * SECOND);
  });
});

describe('isPermanentFailure', () => {
  it('gives up at once on a 5xx refusal of the recipient or the message', () => {
    expect(isPermanentFailure({ code: 'EENVELOPE', responseCode: 550 })).toBe(true);
    expect(isPermanentFailure({ code: 'EENVELOPE', responseCode: 553 })).toBe(true);
    expect(isPermanentFailure({ code: 'EMESSAGE', responseCode: 552 })).toBe(true);
  });

  it('tries again on everything else', () => {
    expect(isPermanentFailure({ code: 'EENVELOPE', responseCode: 450 })).toBe(false); // mailbox busy
    expect(isPermanentFailure({ code: 'EENVELOPE', responseCode: 503 })).toBe(false); // session in the wrong state
    expect(isPermanentFailure({ code: 'EAUTH', responseCode: 535 })).toBe(false); // credentials the operator can fix
    expect(isPermanentFailure({ code: 'ESOCKET' })).toBe(false); // server down
    expect(isPermanentFailure({ code: 'ETIMEDOUT' })).toBe(false);
    expect(isPermanentFailure({})).toBe(false); // e.g. the mail folder not writable
  });
});

describe('mailProblems', () => {
  const good: NewMail = { tenantId: 't', to: 'zoe.mueller@example.ch', toName: 'Zoë Müller', subject: 'Ihr Termin', text: 'Grüezi', purpose: 'appointment' };

  it('lets a well-formed mail go', () => {
    expect(mailProblems(good)).toEqual([]);
    expect(mailProblems({ ...good, to: 'no-reply@localhost', attachments: [{ filename: 'termin.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: 'BEGIN:VCALENDAR' }] })).toEqual([]);
  });

  it('refuses what would break the message or inject headers', () => {
    expect(mailProblems({ ...good, to: 'two@example.ch, three@example.ch' })).toHaveLength(1);
    expect(mailProblems({ ...good, to: 'not an address' })).toHaveLength(1);
    expect(mailProblems({ ...good, subject: 'Termin\r\nBcc: everyone@example.ch' })).toHaveLength(1);
    expect(mailProblems({ ...good, subject: ' ' })).toHaveLength(1);
    expect(mailProblems({ ...good, toName: 'Zoë\nBcc: x@example.ch' })).toHaveLength(1);
    expect(mailProblems({ ...good, purpose: 'Appointment!' as NewMail['purpose'] })).toHaveLength(1);
    expect(mailProblems({ ...good, attachments: [{ filename: '../etc/passwd', contentType: 'text/plain', content: 'x' }] })).toHaveLength(1);
    expect(mailProblems({ ...good, attachments: [{ filename: 'a.ics', contentType: 'calendar', content: 'x' }] })).toHaveLength(1);
    expect(mailProblems({ ...good, attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: new Uint8Array(MAX_ATTACHMENT_BYTES + 1) }] })).toHaveLength(1);
  });
});
