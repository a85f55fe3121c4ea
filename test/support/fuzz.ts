/**
 * Bounded property tests: a fixed seed (so a failure repeats), a case limit and a time budget of
 * seconds (so `npm test` stays quick on a loaded machine). The cases run are always a prefix of the
 * same sequence; a failing case names its index so it can be replayed alone.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, good enough to generate inputs. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    chance: (p) => next() < p,
  };
}

export interface PropertyOptions {
  seed: number;
  /** Stop after this many cases... */
  cases: number;
  /** ...or once this much time has passed, whichever comes first (at least `minCases` run). */
  budgetMs: number;
  minCases?: number;
}

/** Runs `property` for case 0, 1, 2, ... each with its own generator; returns how many ran. */
export function forAll(options: PropertyOptions, property: (rng: Rng, index: number) => void): number {
  const deadline = Date.now() + options.budgetMs;
  const minCases = options.minCases ?? 10;
  let n = 0;
  for (; n < options.cases; n++) {
    if (n >= minCases && Date.now() > deadline) break;
    const rng = createRng(options.seed ^ Math.imul(n + 1, 0x9e3779b1));
    try {
      property(rng, n);
    } catch (error) {
      const e = error as Error;
      e.message = `case ${n} (seed ${options.seed}): ${e.message}`;
      throw e;
    }
  }
  return n;
}
