/**
 * A seeded generator, so a benchmark loads the same data on every run and every
 * machine: sfc32 (small, fast, passes PractRand) seeded through splitmix32.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** `n` random digits (a leading zero allowed). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** Draws items in proportion to their weights (binary search over the running totals). */
export class Weighted<T> {
  private readonly items: T[];
  private readonly totals: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('no weighted entries');
    this.items = entries.map(([item]) => item);
    let sum = 0;
    this.totals = entries.map(([, weight]) => (sum += weight));
  }

  /** Weights falling as 1 / rank^s, as word and name frequencies do (Zipf's law). */
  static zipf<T>(ranked: readonly T[], s: number): Weighted<T> {
    return new Weighted(ranked.map((item, i) => [item, 1 / Math.pow(i + 1, s)] as const));
  }

  pick(random: Random): T {
    const target = random.next() * (this.totals[this.totals.length - 1] ?? 0);
    let lo = 0;
    let hi = this.totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.totals[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    const item = this.items[lo];
    if (item === undefined) throw new Error('weighted pick out of range');
    return item;
  }
}
