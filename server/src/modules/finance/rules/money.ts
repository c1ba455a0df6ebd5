/**
 * Money as integers in minor units (Rappen, cents): sums and comparisons are exact, and an amount
 * is read from text digit by digit, never through a floating-point multiplication.
 */

export type AmountProblem = 'not-a-number' | 'too-many-decimals' | 'negative' | 'zero' | 'too-large';

export class AmountError extends Error {
  constructor(
    readonly problem: AmountProblem,
    readonly given: string,
  ) {
    super(`${problem}: ${given}`);
  }
}

/** Amounts above this (CHF 10 million) are a typing error in this domain, not a real invoice. */
export const MAX_AMOUNT_MINOR = 1_000_000_000;

/**
 * Reads '95', '95.5', '95.50' (or the JSON number 95.5) as 9550. Refuses more than two decimals,
 * zero and negative amounts with the reason, so that a person can be told what to fix.
 */
export function parseAmount(input: string | number, options: { allowZero?: boolean } = {}): number {
  const given = typeof input === 'number' ? numberText(input) : input.trim();
  const match = /^(-)?(\d+)(?:[.,](\d+))?$/.exec(given);
  if (!match) throw new AmountError('not-a-number', given);
  const [, minus, whole = '', fraction = ''] = match;
  if (fraction.length > 2) throw new AmountError('too-many-decimals', given);
  if (whole.length > 12) throw new AmountError(minus === undefined ? 'too-large' : 'negative', given);
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (minus !== undefined && minor !== 0) throw new AmountError('negative', given);
  if (minor === 0 && options.allowZero !== true) throw new AmountError('zero', given);
  if (minor > MAX_AMOUNT_MINOR) throw new AmountError('too-large', given);
  return minor;
}

/**
 * A JSON number is a double and prints as text; very small and very large ones print in exponent
 * form ('1e-7', '1e+21'), which is written out here so that the digit rules above judge them.
 */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = String(Math.abs(value)).toLowerCase().split('e');
  const exponent = Number(exponentText);
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** 9550 → '95.50' (the form bank files, QR codes and the API use). */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function sumMinor(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
