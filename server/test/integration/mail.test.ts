import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenantScope } from '../../src/platform/db/tenant-scope.js';
import { inTransaction, type Db } from '../../src/platform/db/transaction.js';
import {
  createMailTransport,
  deliverDueMails,
  MAIL_MAX_ATTEMPTS,
  MailInputError,
  mailTables,
  queueMail,
  startMailWorker,
  type MailRow,
  type MailTransport,
  type NewMail,
} from '../../src/platform/mail/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { readMessage, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/**
 * The mail platform (for the applicant portal, issue 9): mails are queued in the business
 * transaction and delivered afterwards to a real SMTP server in the test process, with retries,
 * shared work between delivery passes, and .eml files when no SMTP server is configured.
 */

const FROM = 'Amt für Migration Luzern <no-reply@migraflow.example.ch>';
const SECOND = 1000;

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//MigraFlow//Termine//DE',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:termin-4711@migraflow.example.ch',
  'DTSTAMP:20261120T090000Z',
  'DTSTART:20261201T083000Z',
  'DTEND:20261201T090000Z',
  'SUMMARY:Abholung Ausländerausweis – Zoë Müller',
  'LOCATION:Amt für Migration\\, Fruttstrasse 15\\, Luzern',
  'ORGANIZER;CN="Amt für Migration":mailto:no-reply@migraflow.example.ch',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const TEXT = [
  'Grüezi Frau Müller',
  '',
  'Ihr Ausweis (Bewilligung B) liegt bereit. Bitte holen Sie ihn am 1. Dezember 2026 um 09:30 Uhr',
  'am Schalter 3 ab; bringen Sie Ihren Pass mit. Die Einladung im Anhang können Sie in Ihren',
  'Kalender übernehmen. Größere Änderungen? Antworten Sie nicht auf diese Nachricht – rufen Sie uns an: 041 228 51 11.',
  '',
  'Freundliche Grüsse',
  'Amt für Migration',
].join('\n');

function invitation(tenantId: string, overrides: Partial<NewMail> = {}): NewMail {
  return {
    tenantId,
    to: 'zoe.mueller@example.ch',
    toName: 'Zoë Müller',
    subject: 'Ihr Termin am 1. Dezember – Abholung des Ausländerausweises (Größe: ½ Stunde)',
    text: TEXT,
    html: '<p>Grüezi Frau Müller</p><p>Ihr Ausweis liegt bereit: <strong>1. Dezember 2026, 09:30 Uhr</strong>.</p>',
    attachments: [{ filename: 'termin-müller.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: ICS }],
    purpose: 'appointment',
    ...overrides,
  };
}

async function queue(db: Db, mail: NewMail): Promise<string> {
  return inTransaction(db, (trx) => queueMail(trx, mail));
}

async function rowOf(db: Db, id: string): Promise<MailRow> {
  return mailTables(db).selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

describe.each(DATABASE_KINDS)('the mail outbox on %s', (kind) => {
  let database: Database;
  let db: Db;
  let tenantId: string;
  let otherTenantId: string;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-mail-'));
    const tenants = await db
      .insertInto('tenants')
      .values([
        { slug: 'mail-lu', name: 'Amt für Migration Luzern', country: 'CH', region: 'LU' },
        { slug: 'mail-be', name: 'Migrationsdienst Bern', country: 'CH', region: 'BE' },
      ])
      .returning('id')
      .execute();
    tenantId = tenants[0]!.id;
    otherTenantId = tenants[1]!.id;
    smtp = await startSmtpServer();
    transport = createMailTransport({ smtpUrl: smtp.url, mailFrom: FROM, dataDir });
  });

  afterAll(async () => {
    transport?.close();
    await smtp?.stop();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // Each test starts with an empty outbox and a server that takes everything.
    await mailTables(db).deleteFrom('mail_outbox').execute();
    smtp.received.length = 0;
    smtp.rejectRecipient = null;
  });

  it('never sends a mail whose transaction rolled back', async () => {
    await expect(
      inTransaction(db, async (trx) => {
        await queueMail(trx, invitation(tenantId, { purpose: 'password-reset', subject: 'Passwort zurücksetzen' }));
        throw new Error('the reset was refused after the mail was queued');
      }),
    ).rejects.toThrow('refused');
    expect(await mailTables(db).selectFrom('mail_outbox').select('id').execute()).toEqual([]);
    const report = await deliverDueMails(db, transport);
    expect(report.claimed).toBe(0);
    expect(smtp.received).toEqual([]);
  });

  it('delivers a committed mail with subject, recipient, text and an .ics attachment intact (UTF-8)', async () => {
    const id = await queue(db, invitation(tenantId));
    expect((await rowOf(db, id)).status).toBe('queued');

    const report = await deliverDueMails(db, transport);
    expect(report).toMatchObject({ claimed: 1, sent: 1, retrying: 0, failed: 0, problems: [] });
    await smtp.waitFor(1);
    const [mail] = smtp.received;
    expect(mail!.envelope).toEqual({ from: 'no-reply@migraflow.example.ch', to: ['zoe.mueller@example.ch'] });
    expect(mail!.subject).toBe('Ihr Termin am 1. Dezember – Abholung des Ausländerausweises (Größe: ½ Stunde)');
    expect(mail!.to).toMatch(/^"?Zoë Müller"? <zoe\.mueller@example\.ch>$/);
    expect(mail!.from).toMatch(/^"?Amt für Migration Luzern"? <no-reply@migraflow\.example\.ch>$/);
    expect(mail!.text?.replace(/\r\n/g, '\n')).toBe(TEXT);
    expect(mail!.html).toContain('<strong>1. Dezember 2026, 09:30 Uhr</strong>');
    expect(mail!.attachments).toHaveLength(1);
    const [ics] = mail!.attachments;
    expect(ics!.filename).toBe('termin-müller.ics');
    expect(ics!.contentType).toMatch(/^text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(ics!.content.toString('utf8')).toBe(ICS);
    // The raw message is plain MIME: 7-bit safe headers, a multipart body, marked as machine-sent.
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/mixed; boundary=/m);
    expect(mail!.raw).toMatch(/^Auto-Submitted: auto-generated/m);
    expect(mail!.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(mail!.messageId).toBe(`<${id}@migraflow.example.ch>`);

    const row = await rowOf(db, id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, message_id: mail!.messageId });
    expect(row.smtp_response).toMatch(/^250 OK: queued as TEST1/);
    expect(row.sent_at).not.toBeNull();
    // Sent is sent: the next pass has nothing to do.
    expect((await deliverDueMails(db, transport)).claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('tries again later when the SMTP server is down, and delivers once it is back', async () => {
    const id = await queue(db, invitation(tenantId, { subject: 'Bestätigen Sie Ihre E-Mail-Adresse', purpose: 'verify-email', attachments: [] }));
    const port = smtp.port;
    await smtp.stop();
    try {
      const now = new Date();
      const report = await deliverDueMails(db, transport, { now });
      expect(report).toMatchObject({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
      expect(report.problems[0]).toMatchObject({ id, purpose: 'verify-email' });
      const waiting = await rowOf(db, id);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1, sent_at: null, message_id: null });
      expect(waiting.last_error).toMatch(/ECONNREFUSED/);
      expect(time(waiting.next_attempt_at)).toBe(now.getTime() + 30 * SECOND);
      // Not due before then.
      expect((await deliverDueMails(db, transport, { now: new Date(now.getTime() + 29 * SECOND) })).claimed).toBe(0);
    } finally {
      smtp = await startSmtpServer({ port });
    }
    const due = new Date(time((await rowOf(db, id)).next_attempt_at)!);
    expect(await deliverDueMails(db, transport, { now: due })).toMatchObject({ claimed: 1, sent: 1 });
    await smtp.waitFor(1);
    expect(smtp.received[0]!.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(await rowOf(db, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('tries again when the server refuses the recipient for now (4xx), and delivers once it takes it', async () => {
    const id = await queue(db, invitation(tenantId));
    smtp.rejectRecipient = () => ({ code: 450, message: 'Mailbox busy, try again later' });
    const now = new Date();
    expect(await deliverDueMails(db, transport, { now })).toMatchObject({ claimed: 1, retrying: 1 });
    const waiting = await rowOf(db, id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.last_error).toMatch(/EENVELOPE.*450 Mailbox busy/);
    expect(time(waiting.next_attempt_at)).toBeGreaterThan(now.getTime());
    expect(smtp.received).toEqual([]);

    smtp.rejectRecipient = null;
    expect(await deliverDueMails(db, transport, { now: new Date(time(waiting.next_attempt_at)!) })).toMatchObject({ sent: 1 });
    await smtp.waitFor(1);
    expect(await rowOf(db, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('gives up at once when the server refuses the recipient for good (5xx)', async () => {
    const id = await queue(db, invitation(tenantId, { to: 'nobody@example.ch' }));
    smtp.rejectRecipient = (address) => (address === 'nobody@example.ch' ? { code: 550, message: 'No such user here' } : null);
    const report = await deliverDueMails(db, transport);
    expect(report).toMatchObject({ claimed: 1, failed: 1, retrying: 0 });
    expect(report.problems[0]!.retryAt).toBeNull();
    const row = await rowOf(db, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sent_at: null });
    expect(row.last_error).toMatch(/550 No such user here/);
    expect((await deliverDueMails(db, transport, { now: new Date(Date.now() + 24 * 3600 * SECOND) })).claimed).toBe(0);
  });

  it(`fails a mail after ${MAIL_MAX_ATTEMPTS} attempts, waiting 30 s, 1 min, 2 min … between them`, async () => {
    const id = await queue(db, invitation(tenantId, { attachments: [] }));
    smtp.rejectRecipient = () => ({ code: 451, message: 'Local error in processing' });
    let now = new Date();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      expect((await deliverDueMails(db, transport, { now })).claimed).toBe(1);
      const row = await rowOf(db, id);
      expect(row.attempts).toBe(attempt);
      if (row.status === 'failed') break;
      delays.push(time(row.next_attempt_at)! - now.getTime());
      now = new Date(time(row.next_attempt_at)!);
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920].map((s) => s * SECOND));
    const row = await rowOf(db, id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    expect(row.last_error).toMatch(/451 Local error in processing/);
    expect(smtp.received).toEqual([]);
  });

  it('lets two concurrent delivery passes send each mail exactly once', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++) ids.push(await queue(db, invitation(tenantId, { to: `person-${i}@example.ch`, subject: `Termin ${i}`, attachments: [] })));
    const slow = await startSmtpServer({ delayMs: 20 });
    const slowTransport = createMailTransport({ smtpUrl: slow.url, mailFrom: FROM, dataDir });
    try {
      const pass = async () => {
        const claimed: number[] = [];
        for (;;) {
          const report = await deliverDueMails(db, slowTransport, { batchSize: 2 });
          if (report.claimed === 0) return claimed;
          claimed.push(report.claimed);
        }
      };
      const [first, second] = await Promise.all([pass(), pass()]);
      await slow.waitFor(12);
      const total = (list: number[]) => list.reduce((sum, n) => sum + n, 0);
      expect(total(first) + total(second)).toBe(12);
      if (kind === 'postgres') expect(Math.min(total(first), total(second))).toBeGreaterThan(0);
      expect(slow.received).toHaveLength(12);
      expect(new Set(slow.received.map((mail) => mail.messageId)).size).toBe(12);
      expect(new Set(slow.received.flatMap((mail) => mail.envelope.to))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => `person-${i + 1}@example.ch`)));
      const rows = await mailTables(db).selectFrom('mail_outbox').select(['status', 'attempts']).where('id', 'in', ids).execute();
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    } finally {
      slowTransport.close();
      await slow.stop();
    }
  });

  it('writes the mail as an .eml file into <DATA_DIR>/mail/ without SMTP_URL', async () => {
    const folderDir = mkdtempSync(path.join(tmpdir(), 'mf-mail-folder-'));
    const folder = createMailTransport(loadConfig({ DATA_DIR: folderDir, MAIL_FROM: FROM, SESSION_SECRET: 'a-session-secret-of-at-least-32-chars' }, folderDir));
    try {
      const id = await queue(db, invitation(tenantId));
      expect(folder.description).toBe(`folder ${path.join(folderDir, 'mail')}`);
      expect(await deliverDueMails(db, folder)).toMatchObject({ claimed: 1, sent: 1 });
      const files = readdirSync(path.join(folderDir, 'mail'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(new RegExp(`^\\d{8}T\\d{6}Z-${id}\\.eml$`));
      const raw = readFileSync(path.join(folderDir, 'mail', files[0]!), 'latin1');
      expect(raw).toContain('\r\n');
      const mail = readMessage(raw, { from: '', to: [] });
      expect(mail.subject).toBe(invitation(tenantId).subject);
      expect(mail.to).toContain('<zoe.mueller@example.ch>');
      expect(mail.text?.replace(/\r\n/g, '\n')).toBe(TEXT);
      expect(mail.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['termin-müller.ics', ICS]]);
      const row = await rowOf(db, id);
      expect(row).toMatchObject({ status: 'sent', message_id: `<${id}@migraflow.example.ch>`, smtp_response: `written to ${path.join(folderDir, 'mail', files[0]!)}` });
      expect(smtp.received).toEqual([]);
    } finally {
      folder.close();
      rmSync(folderDir, { recursive: true, force: true });
    }
  });

  it('signs in with the credentials of SMTP_URL (percent-encoded), and retries when they are refused', async () => {
    const secured = await startSmtpServer({ auth: { user: 'mailer@amt-lu', pass: 'p@ss:wörd/1%' } });
    const good = createMailTransport(loadConfig({ DATA_DIR: dataDir, SMTP_URL: secured.url, MAIL_FROM: FROM, SESSION_SECRET: 'a-session-secret-of-at-least-32-chars' }, dataDir));
    const wrongUrl = `smtp://mailer%40amt-lu:wrong@127.0.0.1:${secured.port}`;
    const wrong = createMailTransport({ smtpUrl: wrongUrl, mailFrom: FROM, dataDir });
    try {
      expect(good.description).toBe(`smtp://127.0.0.1:${secured.port}`);
      await expect(good.verify()).resolves.toBeUndefined();
      const id = await queue(db, invitation(tenantId, { attachments: [] }));
      expect(await deliverDueMails(db, wrong)).toMatchObject({ retrying: 1 });
      expect((await rowOf(db, id)).last_error).toMatch(/EAUTH.*535/);
      expect(await deliverDueMails(db, good, { now: new Date(Date.now() + 60 * SECOND) })).toMatchObject({ sent: 1 });
      await secured.waitFor(1);
      expect(secured.received[0]!.user).toBe('mailer@amt-lu');
    } finally {
      good.close();
      wrong.close();
      await secured.stop();
    }
  });

  it('keeps each office to its own mails under row-level security', async () => {
    const own = await queue(db, invitation(tenantId));
    await queue(db, invitation(otherTenantId, { to: 'hans.meier@example.ch' }));
    const seen = await withTenantScope(tenantId, () => mailTables(db).selectFrom('mail_outbox').select('id').execute());
    expect(seen.map((row) => row.id)).toEqual([own]);
    // A request of one office cannot queue a mail for another.
    await expect(withTenantScope(tenantId, () => queue(db, invitation(otherTenantId)))).rejects.toThrow(/row-level security/);
  });

  it('refuses a mail that would break the message before it is stored', async () => {
    await expect(queue(db, invitation(tenantId, { subject: 'Termin\r\nBcc: alle@example.ch' }))).rejects.toThrow(MailInputError);
    await expect(queue(db, invitation(tenantId, { to: 'zoe.mueller@example.ch, hans@example.ch' }))).rejects.toThrow(/not one e-mail address/);
    expect(await mailTables(db).selectFrom('mail_outbox').select('id').execute()).toEqual([]);
  });

  it('delivers in the background and stops cleanly', async () => {
    const own = createMailTransport({ smtpUrl: smtp.url, mailFrom: FROM, dataDir });
    const errors: unknown[] = [];
    const worker = startMailWorker(db, own, { intervalMs: 50, log: (error) => errors.push(error) });
    try {
      await queue(db, invitation(tenantId, { attachments: [] }));
      await smtp.waitFor(1);
    } finally {
      await worker.stop();
    }
    expect(errors).toEqual([]);
    expect((await mailTables(db).selectFrom('mail_outbox').select('status').executeTakeFirstOrThrow()).status).toBe('sent');
  });
});

describe('mail configuration', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-mail-config-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) => loadConfig({ SESSION_SECRET: 'a-session-secret-of-at-least-32-chars', ...env }, dataDir);

  it('has defaults that work without a mail server', () => {
    const config = load({});
    expect(config).toMatchObject({ smtpUrl: null, mailFrom: 'MigraFlow <no-reply@localhost>', mailIntervalSeconds: 10 });
    expect(load({ MAIL_INTERVAL_SECONDS: '0' }).mailIntervalSeconds).toBe(0);
    expect(load({ SMTP_URL: 'smtps://mailer:secret@mail.example.ch:465', MAIL_FROM: 'no-reply@example.ch' })).toMatchObject({ smtpUrl: 'smtps://mailer:secret@mail.example.ch:465', mailFrom: 'no-reply@example.ch' });
    expect(existsSync(path.join(dataDir, 'mail'))).toBe(false);
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.ch' }, /^SMTP_URL must look like smtp:\/\/user:password@mail\.example\.ch:587 or smtps:\/\//],
    [{ SMTP_URL: 'mail.example.ch:587' }, /^SMTP_URL must look like/],
    [{ SMTP_URL: 'smtp://mailer:secret@mail.example.ch:587/inbox' }, /^SMTP_URL must look like .*but is "smtp:\/\/mailer:\*\*\*@mail\.example\.ch:587\/inbox"\.$/],
    [{ SMTP_URL: 'smtp//mailer:secret@mail.example.ch' }, /^SMTP_URL must look like .*but is "smtp\/\/mailer:\*\*\*@mail\.example\.ch"\.$/],
    [{ MAIL_FROM: 'Migrationsamt' }, /^MAIL_FROM must be one sender such as/],
    [{ MAIL_FROM: 'a@example.ch, b@example.ch' }, /^MAIL_FROM must be one sender/],
    [{ MAIL_INTERVAL_SECONDS: 'often' }, /^MAIL_INTERVAL_SECONDS must be a whole number between 0 and 86400, but is "often"\.$/],
  ])('refuses %o with one sentence that does not show the password', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
    try {
      load(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });
});
