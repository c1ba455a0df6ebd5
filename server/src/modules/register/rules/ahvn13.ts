/**
 * AHVN13 (AHV-Nummer / numéro AVS): the Swiss social-insurance number.
 *
 * 13 digits: the country prefix 756, nine digits, and an EAN-13 check digit.
 * Written form: 756.1234.5678.97. Pure functions, no I/O.
 */

const PREFIX = '756';
const PLAIN = /^\d{13}$/;
const DOTTED = /^(\d{3})\.(\d{4})\.(\d{4})\.(\d{2})$/;

/**
 * EAN-13 check digit over the first 12 digits: weights 1,3,1,3… from the left,
 * check = (10 − sum mod 10) mod 10.
 * Throws on anything but exactly 12 ASCII digits, because a silent wrong digit
 * would be stored in the register.
 */
export function ahvn13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) {
    throw new RangeError(`ahvn13CheckDigit expects 12 digits, got "${first12}"`);
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const digit = first12.charCodeAt(i) - 48;
    sum += i % 2 === 0 ? digit : digit * 3;
  }
  return (10 - (sum % 10)) % 10;
}

/** Strips the canonical dots; returns null when the shape is neither dotted nor plain. */
function toDigits(value: string): string | null {
  const trimmed = value.trim();
  if (PLAIN.test(trimmed)) return trimmed;
  const m = DOTTED.exec(trimmed);
  if (m === null) return null;
  // Only the official grouping 3.4.4.2 is accepted: other groupings are typing errors
  // worth surfacing rather than guessing.
  return `${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`;
}

/** The 13 plain digits when the value is a valid AHVN13 (dotted or plain), otherwise null. */
export function normaliseAhvn13(value: string): string | null {
  const digits = toDigits(value);
  if (digits === null || !digits.startsWith(PREFIX)) return null;
  const check = digits.charCodeAt(12) - 48;
  return ahvn13CheckDigit(digits.slice(0, 12)) === check ? digits : null;
}

/** True for "756.1234.5678.97" or "7561234567897" with prefix 756 and a correct check digit. */
export function isValidAhvn13(value: string): boolean {
  return normaliseAhvn13(value) !== null;
}

/**
 * Formats 13 digits as 756.xxxx.xxxx.xx. Accepts an already dotted value too.
 * Throws when the input is not 13 digits, so that a malformed number never
 * reaches a letter or an eCH message looking official.
 */
export function formatAhvn13(digits: string): string {
  const plain = toDigits(digits);
  if (plain === null) {
    throw new RangeError(`formatAhvn13 expects 13 digits, got "${digits}"`);
  }
  return `${plain.slice(0, 3)}.${plain.slice(3, 7)}.${plain.slice(7, 11)}.${plain.slice(11, 13)}`;
}
