/**
 * The learning-rate schedule of GPT training: a linear warmup, then a cosine decay to a floor.
 *
 * Warmup: at the start the weights are random and Adam's running averages are empty, so
 * large steps would throw the model around; we ramp up. Cosine decay: late in training,
 * smaller steps let the loss settle into a minimum instead of bouncing around it.
 */
export interface LearningRateSchedule {
  /** The peak learning rate, reached at the end of warmup. */
  readonly maxLr: number;
  /** The floor the cosine decays to. */
  readonly minLr: number;
  /** Iterations of linear warmup. */
  readonly warmupIters: number;
  /** The iteration at which the decay reaches minLr (usually the last iteration). */
  readonly decayIters: number;
}

/** The learning rate at iteration `iter` (counting from 0). A pure function. */
export function learningRateAt(iter: number, s: LearningRateSchedule): number {
  // 1) linear warmup: (iter + 1) / (warmup + 1) of the peak, so the very first step is not 0
  if (iter < s.warmupIters) return (s.maxLr * (iter + 1)) / (s.warmupIters + 1);
  // 2) after the decay ends: stay at the floor
  if (iter > s.decayIters) return s.minLr;
  // 3) in between: cosine from maxLr down to minLr
  const progress = (iter - s.warmupIters) / Math.max(1, s.decayIters - s.warmupIters);
  const coefficient = 0.5 * (1 + Math.cos(Math.PI * progress)); // 1 → 0
  return s.minLr + coefficient * (s.maxLr - s.minLr);
}
