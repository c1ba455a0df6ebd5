import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) for small secrets kept in the database or a cookie: TOTP
 * secrets and the single sign-on flow state. The key is derived from the session secret with
 * HKDF, one key per purpose, so a copy of the database alone reveals no TOTP secret.
 *
 * Rotating SESSION_SECRET therefore makes every stored TOTP secret unreadable: those users must
 * enrol again (documented in docs/security.md).
 */

const VERSION = 'v1';
const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: string): Buffer {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('migraflow', 'utf8'), Buffer.from(`migraflow ${purpose} ${VERSION}`, 'utf8'), 32));
    keys.set(cacheKey, key);
  }
  return key;
}

/**
 * Encrypts `plain`; `context` (e.g. the user id) is authenticated but not stored, so a ciphertext
 * copied onto another user's row does not decrypt there.
 */
export function seal(secret: string, purpose: string, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The plain text, or null when the box was changed, belongs elsewhere or was sealed with another secret. */
export function open(secret: string, purpose: string, sealed: string, context: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
