import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Config } from '../config.js';

/**
 * Where mail goes: an SMTP server (SMTP_URL), or — without one — `.eml` files in the data folder,
 * so that the demo works without a mail server and an operator sees exactly what would go out.
 * Both build the message with nodemailer, so the files are the very RFC 5322 text SMTP would carry.
 */

/** A mail of the outbox, ready to send. */
export interface OutgoingMail {
  /** The outbox row's id: it makes the Message-ID (a resent mail keeps it) and the file name. */
  id: string;
  to: string;
  toName: string | null;
  subject: string;
  text: string;
  html: string | null;
  attachments: readonly StoredAttachment[];
}

/** An attachment as the outbox keeps it (jsonb). */
export interface StoredAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface SentMail {
  /** The Message-ID header the mail carried, e.g. `<2f0c…@example.ch>`. */
  messageId: string;
  /** The server's final reply (`250 OK: queued as …`), or where the file was written. */
  response: string;
}

export interface MailTransport {
  /** For the log: `smtp://mail.example.ch:587` (never the password) or `folder /srv/migraflow/data/mail`. */
  readonly description: string;
  /** Sends one mail; rejects with the transport's error (nodemailer's carry `code` and `responseCode`). */
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Checks that the SMTP server answers and takes the credentials (the folder: that it can be created). */
  verify(): Promise<void>;
  close(): void;
}

export type MailSettings = Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>;

// A server that does not answer must not hold a delivery pass for nodemailer's default 10 minutes.
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
// Content comes from our own code, still: nothing in a mail may make nodemailer read a file or fetch a URL.
const SANDBOX = { disableFileAccess: true, disableUrlAccess: true, logger: false } as const;

/** The transport the configuration asks for. */
export function createMailTransport(settings: MailSettings): MailTransport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl, settings.mailFrom) : folderTransport(path.join(settings.dataDir, 'mail'), settings.mailFrom);
}

function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, ...TIMEOUTS, ...SANDBOX });
  const where = new URL(url);
  return {
    description: `${where.protocol}//${where.hostname}${where.port ? `:${where.port}` : ''}`,
    async send(mail) {
      const info = await transporter.sendMail(composed(mail, from));
      return { messageId: info.messageId, response: info.response };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

function folderTransport(dir: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...SANDBOX });
  return {
    description: `folder ${dir}`,
    async send(mail) {
      const info = await transporter.sendMail(composed(mail, from));
      const raw = info.message;
      if (!Buffer.isBuffer(raw)) throw new Error('the message was not built as one buffer');
      await mkdir(dir, { recursive: true });
      // Sortable by time; written under a temporary name and renamed, so nobody opens half a file.
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const file = path.join(dir, `${stamp}-${mail.id}.eml`);
      await writeFile(`${file}.part`, raw, { mode: 0o640 });
      await rename(`${file}.part`, file);
      return { messageId: info.messageId, response: `written to ${file}` };
    },
    async verify() {
      await mkdir(dir, { recursive: true });
    },
    close() {
      transporter.close();
    },
  };
}

/** The message nodemailer builds: UTF-8 throughout, the attachments as given, marked as sent by a machine. */
function composed(mail: OutgoingMail, from: string): SendMailOptions {
  return {
    from,
    to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html !== null ? { html: mail.html } : {}),
    attachments: mail.attachments.map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, content: Buffer.from(attachment.contentBase64, 'base64') })),
    messageId: `<${mail.id}@${domainOf(from)}>`,
    // RFC 3834: out-of-office replies and the like are not sent back to a machine.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

function domainOf(from: string): string {
  const address = addressparser(from, { flatten: true })[0]?.address ?? '';
  return address.slice(address.lastIndexOf('@') + 1) || 'localhost';
}
