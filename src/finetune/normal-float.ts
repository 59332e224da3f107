/**
 * NormalFloat4 (NF4), the 4-bit number format of QLoRA (Dettmers et al., 2023).
 *
 * Trained weights are roughly normally distributed. A 4-bit format has 16 values; NF4
 * places them at quantiles of the normal distribution, so that each level stands for about
 * as many weights as any other (an even grid would waste levels on the rare large weights
 * and crowd the many small ones together). Scaled by a block's absmax, they cover [−1, 1].
 *
 * How the 16 levels are computed (the paper's recipe, with its choice of offset):
 *
 * 1. Zero must be exact (padding, and weights that are exactly zero, stay zero), so the
 *    levels are built in two halves around it: 8 positive and 7 negative, plus 0.
 * 2. The outermost level cannot be the quantile at probability 1 (that is +∞). QLoRA takes
 *    it at δ = 1 − ½·(1/30 + 1/32) ≈ 0.9677: the average of "the middle of the last of n
 *    equal-probability bins", 1 − 1/(2n), for n = 15 and n = 16 bins.
 * 3. Positive levels: Φ⁻¹(p) at 8 probabilities evenly spaced from δ down towards ½
 *    (p = δ − i·(δ − ½)/8, i = 0…7). Negative levels: −Φ⁻¹(p) at 7 probabilities evenly
 *    spaced the same way (p = δ − j·(δ − ½)/7, j = 0…6).
 * 4. Divide everything by Φ⁻¹(δ), so the levels run from exactly −1 to exactly 1.
 */

/** δ: the probability at which the outermost NF4 level sits, before normalising. */
export const NF4_OFFSET = 1 - 0.5 * (1 / 30 + 1 / 32);

/** The 16 NF4 levels, sorted from −1 to 1, with 0 exactly at index 7. */
export const NF4_LEVELS: readonly number[] = computeNF4Levels();

/**
 * The largest gap between neighbouring NF4 levels: between −1 and −0.6962, on the negative
 * side, which has one level fewer. Rounding to the nearest level is off by at most half the
 * gap around the value, so NF4's error is at most NF4_MAX_GAP / 2 ≈ 0.152 times the block's
 * absmax (see `nf4ErrorBound`).
 */
export const NF4_MAX_GAP: number = Math.max(...NF4_LEVELS.slice(1).map((level, i) => level - NF4_LEVELS[i]!));

function computeNF4Levels(): number[] {
  const evenlySpaced = (count: number): number[] =>
    Array.from({ length: count }, (_, i) => NF4_OFFSET - (i * (NF4_OFFSET - 0.5)) / count);
  const positive = evenlySpaced(8).map(normalQuantile); // 8 levels, the first at Φ⁻¹(δ)
  const negative = evenlySpaced(7).map((p) => -normalQuantile(p)); // 7 levels
  const top = normalQuantile(NF4_OFFSET);
  return [...negative, 0, ...positive].map((v) => v / top).sort((a, b) => a - b);
}

/**
 * Φ⁻¹(p), the standard normal quantile: the x with P(X ≤ x) = p for X ~ N(0, 1).
 * Acklam's rational approximation (relative error below 1.2e-9, far finer than float32):
 * one rational function for the central region and another, in √(−2·ln p), for the tails.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}.`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const horner = (coefficients: number[], x: number): number => coefficients.reduce((acc, k) => acc * x + k, 0);
  const tail = 0.02425;
  if (p < tail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(c, q) / (horner(d, q) * q + 1);
  }
  if (p > 1 - tail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (horner(a, r) * q) / (horner(b, r) * r + 1);
}
