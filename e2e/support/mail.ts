import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from 'playwright-core';
import type { TestSmtpServer } from '../../server/test/support/smtp.js';

/**
 * Mails the server wrote as .eml files into its data folder (no SMTP_URL in the browser tests),
 * and the demo's API sign-in the tests use to set things up as staff.
 */

/** The plain-text body of an .eml as nodemailer writes it (quoted-printable or base64, CRLF). */
export function mailText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The path and query of the first link to `linkPath` in a mail's text (the server's public address may differ from where the test reaches it). */
function linkIn(text: string, linkPath: string): string | null {
  const pattern = new RegExp(`https?://[^\\s/]+(${linkPath.replace(/[/?]/g, '\\$&')}[A-Za-z0-9_\\-=&%.]*)`);
  return pattern.exec(text)?.[1] ?? null;
}

/** Polls `find` every 250 ms for up to 30 s. */
async function waitForLink(find: () => string | null, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const link = find();
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${what}`);
}

/** Waits for the newest .eml file to `to` (not in `seen`) in the server's data folder whose text links to `linkPath`. */
export async function linkFromMail(dataDir: string, to: string, linkPath: string, seen: Set<string> = new Set()): Promise<string> {
  const dir = path.join(dataDir, 'mail');
  return waitForLink(() => {
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')).sort().reverse() : [];
    for (const name of files) {
      if (seen.has(name)) continue;
      const raw = readFileSync(path.join(dir, name), 'utf8');
      if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
      const link = linkIn(mailText(raw), linkPath);
      if (link) {
        seen.add(name);
        return link;
      }
    }
    return null;
  }, `mail to ${to} with a link to ${linkPath} in ${dir}`);
}

/** The same for mails that arrived at the test's SMTP server (the server runs with SMTP_URL). */
export async function linkFromSmtp(smtp: TestSmtpServer, to: string, linkPath: string, seen: Set<string> = new Set()): Promise<string> {
  return waitForLink(() => {
    for (const mail of [...smtp.received].reverse()) {
      if (seen.has(mail.messageId) || !mail.envelope.to.includes(to.toLowerCase())) continue;
      const link = linkIn(mail.text ?? '', linkPath);
      if (link) {
        seen.add(mail.messageId);
        return link;
      }
    }
    return null;
  }, `mail to ${to} with a link to ${linkPath} at the SMTP server`);
}

/** Signs a demo user in on the request context (its cookie stays there) and returns the CSRF token for writes. */
export async function apiSignIn(request: APIRequestContext, url: string, username: string, password = 'migraflow-demo'): Promise<string> {
  const response = await request.post(`${url}/api/v1/auth/login`, { data: { username, password } });
  if (response.status() !== 200) throw new Error(`sign-in of ${username} failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}
