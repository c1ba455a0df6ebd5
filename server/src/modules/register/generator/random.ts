/**
 * Small seeded pseudo-random source for the demo-data generator.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state,
 * passes PractRand, and is a few integer operations per draw, which matters when
 * a million persons need ~100 draws each. Never Math.random: the output must be
 * reproducible from the seed alone.
 */

/** splitmix32 step: spreads a user seed (often 1, 2, 3…) over the whole state. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Fold the full double into 32 bits so that seeds above 2^32 still differ.
    let s = (seed | 0) ^ Math.floor(seed / 4294967296);
    let v: number;
    [s, v] = splitmix32(s);
    this.a = v;
    [s, v] = splitmix32(s);
    this.b = v;
    [s, v] = splitmix32(s);
    this.c = v;
    [, v] = splitmix32(s);
    this.d = v;
    // Discard the first outputs: sfc32 mixes its state during the first few rounds.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Approximately normal (Irwin–Hall of 4): cheap and bounded, fine for ages and gaps. */
  normal(mean: number, sd: number): number {
    const s = this.next() + this.next() + this.next() + this.next();
    return mean + (s - 2) * sd * 1.7320508;
  }
}

/**
 * Weighted choice table: cumulative weights and binary search, built once.
 * Used for everything drawn by share (nationality, municipality, names by rank).
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new RangeError('weighted table needs entries');
    this.items = entries.map((e) => e[0]);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      if (!(w >= 0)) throw new RangeError('weights must be non-negative');
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('weights must not all be zero');
  }

  get total(): number {
    return this.cumulative[this.cumulative.length - 1] ?? 0;
  }

  /** Draw over the whole table. */
  draw(rng: Random): T {
    return this.drawRange(rng, 0, this.items.length);
  }

  /** Draw restricted to indices [from, to), keeping the relative weights. */
  drawRange(rng: Random, from: number, to: number): T {
    const lo = from === 0 ? 0 : (this.cumulative[from - 1] ?? 0);
    const hi = this.cumulative[to - 1] ?? this.total;
    const target = lo + rng.next() * (hi - lo);
    let left = from;
    let right = to - 1;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) right = mid;
      else left = mid + 1;
    }
    return this.items[left] as T;
  }
}
