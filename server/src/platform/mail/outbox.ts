import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import { isPermanentFailure, mailProblems, nextMailAttempt, type NewMail, type SendError } from './rules.js';
import type { MailTransport, StoredAttachment } from './transport.js';

/**
 * The transactional mail outbox (migration 0013). A command queues its mail with `queueMail` in
 * its own transaction: the mail exists only if the change behind it committed (no password-reset
 * mail for a reset that rolled back, no lost invitation for one that committed). `deliverDueMails`
 * sends what is due, outside any transaction, with retries and backoff; several server processes
 * share the work through `FOR UPDATE SKIP LOCKED` claims.
 */

export type MailStatus = 'queued' | 'sent' | 'failed';
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type MailOutboxTable = {
  id: Generated<string>;
  tenant_id: string;
  recipient: string;
  recipient_name: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: ColumnType<StoredAttachment[], string | undefined, string>;
  purpose: string;
  status: ColumnType<MailStatus, MailStatus | undefined, MailStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  message_id: string | null;
  smtp_response: string | null;
  created_at: Generated<Date>;
};

export type MailTables = {
  mail_outbox: MailOutboxTable;
};

export type MailRow = Selectable<MailOutboxTable>;

/** The outbox table, typed (it is the mail platform's own; tables.ts lists the modules' shared ones). */
export function mailTables(db: Db | Trx) {
  return db.withTables<MailTables>();
}

/** A mail the caller built wrongly (an unchecked address, a line break in the subject …): a programming error. */
export class MailInputError extends Error {
  override name = 'MailInputError';
}

/**
 * Puts a mail into the outbox inside the caller's transaction and returns its id. It is sent
 * after the transaction commits (at the next delivery pass), and never if it rolls back.
 */
export async function queueMail(trx: Trx, mail: NewMail): Promise<string> {
  const problems = mailProblems(mail);
  if (problems.length > 0) throw new MailInputError(`The mail cannot be queued: ${problems.join('; ')}.`);
  const attachments: StoredAttachment[] = (mail.attachments ?? []).map((attachment) => ({
    filename: attachment.filename,
    contentType: attachment.contentType,
    contentBase64: (typeof attachment.content === 'string' ? Buffer.from(attachment.content, 'utf8') : Buffer.from(attachment.content)).toString('base64'),
  }));
  const row = await mailTables(trx)
    .insertInto('mail_outbox')
    .values({
      tenant_id: mail.tenantId,
      recipient: mail.to,
      recipient_name: mail.toName ?? null,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      attachments: JSON.stringify(attachments),
      purpose: mail.purpose,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface MailDeliveryOptions {
  /** How many mails one claim takes (default 10). */
  batchSize?: number;
  /**
   * How long a claimed mail is this process's (default 10 min): a process that dies while
   * sending leaves it to the others after that. Mails of a batch not begun within it go back.
   */
  leaseMs?: number;
  /** For tests: the clock. */
  now?: Date;
  /** Asked before each mail; true hands the rest of the batch back (shutdown). */
  shouldStop?: () => boolean;
}

export interface MailProblem {
  id: string;
  purpose: string;
  error: string;
  /** When it is tried again; null: it has failed for good. */
  retryAt: Date | null;
}

export interface MailDeliveryReport {
  /** Mails claimed by this pass (0: nothing was due). */
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  /** Claimed but handed back unsent (lease running out, or shutdown). */
  handedBack: number;
  problems: MailProblem[];
}

/**
 * One delivery pass across offices: claims a batch of due mails (their next attempt moved past
 * the lease, so that no other process takes them), sends them one by one through `transport`
 * outside any transaction (PGlite's one connection stays free for requests meanwhile), and records
 * each outcome: sent with the Message-ID and the server's reply; or, with the error, tried again
 * later (30 s doubling) or failed (refused for good, or the 8th attempt).
 */
export async function deliverDueMails(db: Db, transport: MailTransport, options: MailDeliveryOptions = {}): Promise<MailDeliveryReport> {
  const clock = () => options.now ?? new Date();
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const claimedAt = clock();
  const started = Date.now();
  const claimed = await inTransaction(db, async (trx) => {
    const result = await sql<MailRow>`
      UPDATE mail_outbox
         SET attempts = attempts + 1, last_attempt_at = ${claimedAt}, next_attempt_at = ${new Date(claimedAt.getTime() + leaseMs)}
       WHERE id IN (SELECT id FROM mail_outbox
                     WHERE status = 'queued' AND next_attempt_at <= ${claimedAt}
                     ORDER BY next_attempt_at, created_at
                     LIMIT ${options.batchSize ?? 10}
                     FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(trx);
    return result.rows;
  });
  const report: MailDeliveryReport = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0, handedBack: 0, problems: [] };
  // Oldest first (UPDATE … RETURNING keeps no order).
  claimed.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());

  for (const [index, row] of claimed.entries()) {
    // A mail begun this late might still be sending when the lease ends and another process takes it.
    if (options.shouldStop?.() || Date.now() - started > leaseMs / 2) {
      report.handedBack += await handBack(db, claimed.slice(index), claimedAt);
      break;
    }
    // Only while the claim is still ours: the same number of attempts, still queued.
    const ours = mailTables(db).updateTable('mail_outbox').where('id', '=', row.id).where('status', '=', 'queued').where('attempts', '=', row.attempts);
    try {
      const sent = await transport.send({ id: row.id, to: row.recipient, toName: row.recipient_name, subject: row.subject, text: row.text_body, html: row.html_body, attachments: row.attachments });
      await ours.set({ status: 'sent', sent_at: clock(), message_id: sent.messageId, smtp_response: sent.response.slice(0, 2000), last_error: null }).execute();
      report.sent++;
    } catch (error) {
      const text = describeError(error);
      const retryAt = isPermanentFailure(error as SendError) ? null : nextMailAttempt(row.attempts, clock());
      await ours.set(retryAt ? { next_attempt_at: retryAt, last_error: text } : { status: 'failed', last_error: text }).execute();
      if (retryAt) report.retrying++;
      else report.failed++;
      report.problems.push({ id: row.id, purpose: row.purpose, error: text, retryAt });
    }
  }
  return report;
}

/** Gives claimed mails back as they were before the claim: due now, the attempt not counted. */
async function handBack(db: Db, rows: MailRow[], claimedAt: Date): Promise<number> {
  let count = 0;
  for (const row of rows) {
    const result = await mailTables(db)
      .updateTable('mail_outbox')
      .set({ attempts: row.attempts - 1, next_attempt_at: claimedAt })
      .where('id', '=', row.id)
      .where('status', '=', 'queued')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    count += Number(result.numUpdatedRows);
  }
  return count;
}

/** The error as an operator reads it: nodemailer's code, its message, and the server's reply when the message leaves it out. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 2000);
  const { code, response } = error as Error & { code?: unknown; response?: unknown };
  let text = error.message;
  if (typeof response === 'string' && response !== '' && !text.includes(response)) text += ` (server: ${response})`;
  if (typeof code === 'string' && code !== '') text = `${code}: ${text}`;
  return text.slice(0, 2000);
}
