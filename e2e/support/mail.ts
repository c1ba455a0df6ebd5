import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from 'playwright-core';

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

/**
 * Waits for the newest mail to `to` (not in `seen`) whose text holds a link to `linkPath`, and
 * returns that link's path and query: the server's public address may differ from where the test
 * reaches it.
 */
export async function linkFromMail(dataDir: string, to: string, linkPath: string, seen: Set<string> = new Set()): Promise<string> {
  const dir = path.join(dataDir, 'mail');
  const pattern = new RegExp(`https?://[^\\s/]+(${linkPath.replace(/[/?]/g, '\\$&')}[A-Za-z0-9_\\-=&%.]*)`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')).sort().reverse() : [];
    for (const name of files) {
      if (seen.has(name)) continue;
      const raw = readFileSync(path.join(dir, name), 'utf8');
      if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
      const match = pattern.exec(mailText(raw));
      if (match?.[1]) {
        seen.add(name);
        return match[1];
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with a link to ${linkPath} in ${dir}`);
}

/** Signs a demo user in on the request context (its cookie stays there) and returns the CSRF token for writes. */
export async function apiSignIn(request: APIRequestContext, url: string, username: string, password = 'migraflow-demo'): Promise<string> {
  const response = await request.post(`${url}/api/v1/auth/login`, { data: { username, password } });
  if (response.status() !== 200) throw new Error(`sign-in of ${username} failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}
