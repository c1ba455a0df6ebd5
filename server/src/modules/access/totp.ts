import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { open, seal } from './secret-box.js';
import { judgeTotp, normaliseTotpCode, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW, type TotpVerdict } from './sign-in-rules.js';

/** TOTP (RFC 6238) with the otpauth library; secrets leave this file only sealed or for the enrolment screen. */

const PURPOSE = 'totp-secret';

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  uri: string;
  /** The otpauth URI as a QR code, an SVG document in a data URL. */
  qrDataUrl: string;
}

function totpOf(base32: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(base32) });
}

/** A new random secret (160 bits, the RFC's recommendation for SHA-1). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function enrolmentFor(base32: string, issuer: string, label: string): Promise<TotpEnrolment> {
  const uri = totpOf(base32, issuer, label).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: base32, uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` };
}

export function sealTotpSecret(sessionSecret: string, userId: string, base32: string): string {
  return seal(sessionSecret, PURPOSE, base32, userId);
}

export function openTotpSecret(sessionSecret: string, userId: string, sealed: string): string | null {
  return open(sessionSecret, PURPOSE, sealed, userId);
}

/** Checks a typed code against a secret: the window and replay decision is the pure `judgeTotp`. */
export function checkTotpCode(base32: string, code: string, lastStep: number | null, now: Date = new Date()): TotpVerdict {
  const typed = normaliseTotpCode(code);
  const delta = /^\d+$/.test(typed) ? TOTP.validate({ token: typed, secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, timestamp: now.getTime(), window: TOTP_WINDOW }) : null;
  return judgeTotp({ code: typed, delta, now, lastStep });
}

/** The code an authenticator shows at `at`: for tests and the CLI, never sent by the server. */
export function totpCodeAt(base32: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}
