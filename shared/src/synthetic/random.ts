/**
 * A small seeded pseudo-random generator for the synthetic county (sfc32, seeded through the cyrb128 string
 * hash). The synthetic data must depend on the seed only, never on the clock or Math.random, so that two runs
 * with one seed produce the same county byte for byte.
 *
 * Not for anything security-related: sfc32 is fast and statistically good, not unpredictable.
 */

/** cyrb128: a 128-bit string hash, used only to turn a seed (number or text) into sfc32's four state words. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A cumulative-weight table built once and sampled many times (no closure per row). */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  /** Running sums of the weights; the last entry is the total. */
  readonly cumulative: Float64Array;
}

export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const items: T[] = [];
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([item, weight], i) => {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight of ${String(item)} must be a finite number ≥ 0, got ${weight}`);
    total += weight;
    items.push(item);
    cumulative[i] = total;
  });
  if (total <= 0) throw new RangeError("a weighted table needs at least one positive weight");
  return { items, cumulative };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  readonly seedText: string;

  constructor(seed: number | string) {
    this.seedText = String(seed);
    [this.a, this.b, this.c, this.d] = cyrb128(this.seedText);
    // Discard the first outputs: sfc32 mixes its state in the first few rounds.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent generator for one purpose ("names", "ids" ...): its stream does not shift when another's does. */
  derive(label: string): Random {
    return new Random(`${this.seedText}/${label}`);
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

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  real(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(table: WeightedTable<T>): T {
    const { cumulative, items } = table;
    const target = this.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** Standard normal deviate (Box–Muller; one of the pair is dropped so that the generator keeps no spare). */
  gaussian(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal with the given mean and standard deviation, redrawn until it falls in [min, max] (clamped after 20 tries). */
  normal(mean: number, sd: number, min = -Infinity, max = Infinity): number {
    for (let i = 0; i < 20; i++) {
      const x = mean + sd * this.gaussian();
      if (x >= min && x <= max) return x;
    }
    return Math.min(max, Math.max(min, mean));
  }

  /** Integer from a normal distribution, in [min, max]. */
  normalInt(mean: number, sd: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, Math.round(this.normal(mean, sd, min - 0.5, max + 0.5))));
  }

  /**
   * A whole number from weighted bands (ageBands): a band is picked by its weight, then a value uniformly
   * within it. Used for ages and birth years of a population pyramid.
   */
  fromBands(bands: WeightedTable<readonly [number, number]>): number {
    const [from, to] = this.weighted(bands);
    return this.int(from, to);
  }

  /** A version-4-shaped UUID from this stream (for ids that are random UUIDs in production). */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    const a = hex(this.nextUint32());
    const b = hex(this.nextUint32());
    const c = hex(this.nextUint32());
    const d = hex(this.nextUint32());
    const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

/** Bands for Random.fromBands, from [from, to, weight] triples (from and to inclusive). */
export function ageBands(bands: ReadonlyArray<readonly [number, number, number]>): WeightedTable<readonly [number, number]> {
  return weightedTable(bands.map(([from, to, weight]) => [[from, to] as const, weight] as const));
}
