/**
 * Identifiers for generated persons and buildings.
 *
 * Both use keyed bijections instead of random draws plus a "seen" set, so that
 * uniqueness holds for any run size in constant memory.
 */

import { ahvn13CheckDigit } from '../rules/ahvn13.js';

const MASK30 = 0x3fffffff;

/** A bijection on [0, 2^30): xor-shifts and odd multiplications are each invertible there. */
function mix30(x: number, k1: number, k2: number): number {
  let v = (x + k1) & MASK30;
  v ^= v >>> 15;
  v = Math.imul(v, 0x2c1b3c6d | 1) & MASK30;
  v ^= v >>> 12;
  v = (v ^ k2) & MASK30;
  v = Math.imul(v, 0x297a2d39 | 1) & MASK30;
  v ^= v >>> 15;
  return v;
}

/**
 * Cycle-walking: apply the 30-bit permutation until the value lands in [lo, hi].
 * For inputs already in [lo, hi] this is a bijection of that range onto itself,
 * which is what makes the generated numbers unique.
 */
function permuteInRange(x: number, lo: number, hi: number, k1: number, k2: number): number {
  let v = x;
  do {
    v = mix30(v, k1, k2);
  } while (v < lo || v > hi);
  return v;
}

export interface AhvnKeys {
  readonly k1: number;
  readonly k2: number;
}

export function ahvnKeysForSeed(seed: number): AhvnKeys {
  // Derived from the seed, so that two demo data sets do not share their numbers.
  const s = (seed | 0) ^ Math.floor(seed / 4294967296);
  return {
    k1: Math.imul(s ^ 0x5bd1e995, 0x27d4eb2d) & MASK30,
    k2: Math.imul((s >>> 7) ^ 0x165667b1, 0x61c88647) & MASK30,
  };
}

const AHVN_BODY_LIMIT = 999_999_999;

/**
 * The AHVN13 of the person with the given key: 756 + nine digits + check digit.
 * Unique for keys 0 … 999,999,999 within one seed.
 */
export function ahvnForKey(key: number, keys: AhvnKeys): string {
  if (!Number.isInteger(key) || key < 0 || key > AHVN_BODY_LIMIT) {
    throw new RangeError(`AHVN key out of range: ${key}`);
  }
  const body = permuteInRange(key, 0, AHVN_BODY_LIMIT, keys.k1, keys.k2);
  const first12 = `756${String(body).padStart(9, '0')}`;
  return `${first12}${ahvn13CheckDigit(first12)}`;
}

/** EGIDs are positive and, in the federal register, stay well below 10^9. */
const EGID_MAX = 900_000_000;

/**
 * A stable EGID for an address: a fixed (seed-independent) bijection of the packed
 * address, so the same address always has the same building identifier and two
 * addresses never share one.
 */
export function egidForAddress(municipalityIndex: number, streetIndex: number, houseNumber: number, letter: number): number {
  if (municipalityIndex > 63 || streetIndex > 63 || houseNumber > 1023 || letter > 3) {
    throw new RangeError('address out of the packable range');
  }
  const packed = (((municipalityIndex * 64 + streetIndex) * 1024 + houseNumber) * 4 + letter) + 1;
  return permuteInRange(packed, 1, EGID_MAX, 0x1b873593, 0x0e6546b6);
}
