import { describe, expect, it } from 'vitest';
import {
  ahvn13CheckDigit,
  formatAhvn13,
  isValidAhvn13,
  normaliseAhvn13,
} from '../../src/modules/register/rules/ahvn13.js';

// 756.9217.0769.85, worked by hand: digits 7 5 6 9 2 1 7 0 7 6 9 8 with weights 1 3 1 3 …
// 7 + 15 + 6 + 27 + 2 + 3 + 7 + 0 + 7 + 18 + 9 + 24 = 125 → (10 − 5) mod 10 = 5.
const KNOWN = '756.9217.0769.85';
const KNOWN_PLAIN = '7569217076985';

describe('ahvn13CheckDigit', () => {
  it('computes the EAN-13 check digit of the known example', () => {
    expect(ahvn13CheckDigit('756921707698')).toBe(5);
  });

  it('weights the 12th digit by 3 and maps a sum that is a multiple of ten to 0, not 10', () => {
    // 7·1 + 5·3 + 6·1 + 3·3 = 37 → 3
    expect(ahvn13CheckDigit('756000000003')).toBe(3);
    // 7·1 + 5·3 + 6·1 + 4·3 = 40 → 0
    expect(ahvn13CheckDigit('756000000004')).toBe(0);
  });

  it.each(['75692170769', '7569217076985', '75692170769a', '', '756.92170769'])('rejects %j', (bad) => {
    expect(() => ahvn13CheckDigit(bad)).toThrow(RangeError);
  });
});

describe('isValidAhvn13', () => {
  it('accepts the known example dotted and plain', () => {
    expect(isValidAhvn13(KNOWN)).toBe(true);
    expect(isValidAhvn13(KNOWN_PLAIN)).toBe(true);
  });

  it('tolerates surrounding whitespace from copy and paste', () => {
    expect(isValidAhvn13(`  ${KNOWN}\t`)).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidAhvn13('756.9217.0769.84')).toBe(false);
    expect(isValidAhvn13('7569217076980')).toBe(false);
  });

  it('rejects a prefix other than 756, even with a matching check digit', () => {
    // 757921707698 has weighted sum 125 + 1 = 126 → check digit 4.
    expect(ahvn13CheckDigit('757921707698')).toBe(4);
    expect(isValidAhvn13('7579217076984')).toBe(false);
    expect(isValidAhvn13('757.9217.0769.84')).toBe(false);
  });

  it.each([
    ['too short', '756921707698'],
    ['too long', '75692170769850'],
    ['dotted, one digit missing', '756.9217.0769.8'],
    ['empty', ''],
  ])('rejects the wrong length (%s)', (_label, value) => {
    expect(isValidAhvn13(value)).toBe(false);
  });

  it.each(['756.9217.O769.85', '75692170769B5', 'abc.defg.hijk.lm', '756-9217-0769-85', '756 9217 0769 85', '756.92170.769.85'])(
    'rejects letters and other separators or groupings: %j',
    (value) => {
      expect(isValidAhvn13(value)).toBe(false);
    },
  );

  it('detects every single-digit typing error (EAN-13 weights 1 and 3 are coprime to 10)', () => {
    for (let pos = 3; pos < 13; pos++) {
      for (let d = 0; d <= 9; d++) {
        const original = KNOWN_PLAIN.charCodeAt(pos) - 48;
        if (d === original) continue;
        const mutated = `${KNOWN_PLAIN.slice(0, pos)}${d}${KNOWN_PLAIN.slice(pos + 1)}`;
        expect(isValidAhvn13(mutated), mutated).toBe(false);
      }
    }
  });
});

describe('normaliseAhvn13', () => {
  it('returns the 13 plain digits for dotted and plain input alike', () => {
    expect(normaliseAhvn13(KNOWN)).toBe(KNOWN_PLAIN);
    expect(normaliseAhvn13(KNOWN_PLAIN)).toBe(KNOWN_PLAIN);
  });

  it('returns null for invalid numbers', () => {
    expect(normaliseAhvn13('756.9217.0769.84')).toBeNull();
    expect(normaliseAhvn13('123.4567.8901.23')).toBeNull();
    expect(normaliseAhvn13('not a number')).toBeNull();
  });
});

describe('formatAhvn13', () => {
  it('groups 13 digits as 756.xxxx.xxxx.xx', () => {
    expect(formatAhvn13(KNOWN_PLAIN)).toBe(KNOWN);
  });

  it('is idempotent on the dotted form and round-trips with normaliseAhvn13', () => {
    expect(formatAhvn13(KNOWN)).toBe(KNOWN);
    expect(normaliseAhvn13(formatAhvn13(KNOWN_PLAIN))).toBe(KNOWN_PLAIN);
  });

  it.each(['756921707698', '75692170769850', '756921707698X'])('throws on %j', (bad) => {
    expect(() => formatAhvn13(bad)).toThrow(RangeError);
  });
});
