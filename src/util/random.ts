/**
 * A small seeded random number generator (mulberry32).
 *
 * Everything random in LLM Lab — batches, sampling, the synthetic corpus — takes a seed,
 * so that a lesson run twice shows the same numbers. `Math.random()` cannot be seeded,
 * hence this 32-bit generator: fast, tiny, and good enough for teaching-sized work.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new Error(`SeededRandom: the seed must be a finite number, got ${seed}.`);
    }
    // Fold any number (including fractions and negatives) into 32 unsigned bits.
    this.state = Math.floor(seed) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new Error(`SeededRandom.int: n must be a positive integer, got ${n}.`);
    }
    return Math.floor(this.next() * n);
  }

  /**
   * Picks an index with probability proportional to `weights[i]`.
   * The weights need not sum to one; they must be non-negative with a positive sum.
   */
  pick(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0)) {
      throw new Error('SeededRandom.pick: the weights must have a positive sum.');
    }
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    // Rounding can leave r a hair above zero: return the last index with weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  /** A new generator whose stream is independent of this one's (for sub-tasks). */
  fork(): SeededRandom {
    return new SeededRandom(this.int(0x7fffffff) ^ 0x5bd1e995);
  }
}
