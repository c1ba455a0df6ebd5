/** The pure rules of the mail outbox: when to try again, what counts as refused for good, what a mail may hold. */

/** After this many attempts a mail that still could not be sent has failed (about an hour of retries). */
export const MAIL_MAX_ATTEMPTS = 8;
const FIRST_DELAY_MS = 30_000;

/**
 * The time of the next attempt after `attempts` failed ones (30 s, 1 min, 2 min … doubling), or
 * null when the mail has failed for good: the 8th failed attempt is the last.
 */
export function nextMailAttempt(attempts: number, now: Date): Date | null {
  if (attempts >= MAIL_MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

/** What a sending error looks like (nodemailer's errors carry these; anything else has none of them). */
export interface SendError {
  code?: string | undefined;
  responseCode?: number | undefined;
}

/**
 * Whether the SMTP server refused this very mail for good: a 5xx reply (except 503, a session in
 * the wrong state) to its envelope or its content, e.g. "550 no such mailbox". Trying the same
 * mail again would get the same answer. Everything else — the server down or slow, a 4xx
 * ("mailbox busy, try later"), wrong credentials the operator can still fix — is tried again.
 */
export function isPermanentFailure(error: SendError): boolean {
  if (error.code !== 'EENVELOPE' && error.code !== 'EMESSAGE') return false;
  const reply = error.responseCode;
  return reply !== undefined && reply >= 500 && reply < 600 && reply !== 503;
}

/** A mail as a command hands it to the outbox. */
export interface NewMail {
  tenantId: string;
  /** One address, e.g. `zoe.mueller@example.ch`. */
  to: string;
  /** Shown with the address: `"Zoë Müller" <zoe.mueller@example.ch>`. */
  toName?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  attachments?: readonly NewMailAttachment[];
  /** What the mail is for (lower-case words joined by hyphens). */
  purpose: MailPurpose;
}

/** The purposes the portal sends; a new one is just a new string here (the database checks only the form). */
export type MailPurpose = 'verify-email' | 'password-reset' | 'notification' | 'appointment' | 'account-notice';

export interface NewMailAttachment {
  filename: string;
  /** E.g. `text/calendar; charset=utf-8; method=REQUEST` for an invitation. */
  contentType: string;
  /** Text (sent as UTF-8) or bytes. */
  content: string | Uint8Array;
}

/** Largest total of attachments a mail may carry (many mail servers take 10–25 MB, base64 adds a third). */
export const MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024;

const ADDRESS = /^[^@\s<>"(),;:\\[\]]+@[^@\s<>"(),;:\\[\]]+\.[^@\s<>"(),;:\\[\]]+$|^[^@\s<>"(),;:\\[\]]+@localhost$/;
// CR or LF in a header value would start a header of the caller's choosing.
const LINE_BREAK = /[\r\n]/;

/**
 * What is wrong with a mail before it is queued (programming errors of the caller, or an address
 * the caller forgot to check): an empty list when it may go.
 */
export function mailProblems(mail: NewMail): string[] {
  const problems: string[] = [];
  if (mail.to.length > 254 || !ADDRESS.test(mail.to)) problems.push('the recipient is not one e-mail address');
  if (mail.toName !== undefined && mail.toName !== null && (mail.toName.length > 200 || LINE_BREAK.test(mail.toName))) problems.push('the recipient name is longer than 200 characters or has a line break');
  if (mail.subject.trim() === '' || mail.subject.length > 500 || LINE_BREAK.test(mail.subject)) problems.push('the subject is empty, longer than 500 characters or has a line break');
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(mail.purpose)) problems.push('the purpose is not lower-case words joined by hyphens');
  let bytes = 0;
  for (const attachment of mail.attachments ?? []) {
    if (attachment.filename.trim() === '' || attachment.filename.length > 200 || /[\r\n/\\]/.test(attachment.filename)) problems.push(`the attachment name "${attachment.filename}" is empty, too long or has a path`);
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;.*)?$/i.test(attachment.contentType) || LINE_BREAK.test(attachment.contentType)) problems.push(`the attachment "${attachment.filename}" has no valid content type`);
    bytes += typeof attachment.content === 'string' ? Buffer.byteLength(attachment.content, 'utf8') : attachment.content.byteLength;
  }
  if (bytes > MAX_ATTACHMENT_BYTES) problems.push(`the attachments are larger than ${MAX_ATTACHMENT_BYTES} bytes`);
  return problems;
}
