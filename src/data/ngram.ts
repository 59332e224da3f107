/**
 * Counting models: predict a token from a context by counting what followed that context in
 * the training text. An n-gram model's context is the n − 1 tokens before; a masked-token
 * counting model's context is the tokens on both sides.
 *
 *   ngramLoss({ train, test, vocabSize: 65, order: 3 })   // a trigram model's held-out loss
 *
 * Add-k smoothing gives every token k pseudo-counts in every context, so a token never seen
 * after a context still gets a little probability (and the loss stays finite); a context
 * never seen at all falls back to the uniform distribution.
 */

export interface CountingModelOptions {
  /** Token ids to count. */
  readonly train: ArrayLike<number>;
  /** Held-out token ids to score. */
  readonly test: ArrayLike<number>;
  readonly vocabSize: number;
  /** Pseudo-counts given to every token in every seen context. @default 0.01 */
  readonly k?: number;
}

export interface CountingModelResult {
  /** Mean −ln p(token | context) over the held-out positions, in nats. */
  readonly loss: number;
  /** Distinct contexts the table holds (seen in training). */
  readonly contextsSeen: number;
  /** Held-out positions whose context never occurred in training (scored as uniform). */
  readonly unseenShare: number;
  /** Positions scored. */
  readonly positions: number;
  /** −ln p of each held-out position (NaN where it has no full context), to compare position by position. */
  readonly positionLosses: Float64Array;
  /** 1 at each held-out position whose context never occurred in training, 0 elsewhere. */
  readonly unseenAt: Uint8Array;
}

/** A context as a key: the token ids around position `i` the model looks at, or undefined where they do not exist. */
export type ContextOf = (ids: ArrayLike<number>, i: number) => string | undefined;

/** Counts `contextOf` in `train`, scores `test`: the held-out loss of a counting model. */
export function countingModelLoss(options: CountingModelOptions & { readonly contextOf: ContextOf }): CountingModelResult {
  const { train, test, vocabSize, contextOf } = options;
  const k = options.k ?? 0.01;
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`vocabSize must be a whole number ≥ 1, got ${vocabSize}.`);
  if (!(k > 0)) throw new RangeError(`k (the add-k smoothing) must be > 0, got ${k}: with 0 an unseen token has probability 0 and an infinite loss.`);
  // context → (counts of each following token, their total)
  const table = new Map<string, { counts: Map<number, number>; total: number }>();
  for (let i = 0; i < train.length; i++) {
    const key = contextOf(train, i);
    if (key === undefined) continue;
    let row = table.get(key);
    if (!row) table.set(key, (row = { counts: new Map(), total: 0 }));
    const token = train[i]!;
    row.counts.set(token, (row.counts.get(token) ?? 0) + 1);
    row.total += 1;
  }
  let sum = 0;
  let positions = 0;
  let unseen = 0;
  const positionLosses = new Float64Array(test.length).fill(NaN);
  const unseenAt = new Uint8Array(test.length);
  for (let i = 0; i < test.length; i++) {
    const key = contextOf(test, i);
    if (key === undefined) continue;
    const row = table.get(key);
    const p = row ? ((row.counts.get(test[i]!) ?? 0) + k) / (row.total + k * vocabSize) : 1 / vocabSize;
    if (!row) {
      unseen += 1;
      unseenAt[i] = 1;
    }
    positionLosses[i] = -Math.log(p);
    sum += positionLosses[i]!;
    positions += 1;
  }
  if (positions === 0) throw new RangeError('The held-out text is too short: no position has a full context to score.');
  return { loss: sum / positions, contextsSeen: table.size, unseenShare: unseen / positions, positions, positionLosses, unseenAt };
}

/** The context of an n-gram model: the `order − 1` tokens before position i. */
export function previousTokens(order: number): ContextOf {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`An n-gram's order must be a whole number ≥ 1, got ${order}.`);
  const n = order - 1;
  return (ids, i) => (i < n ? undefined : Array.prototype.slice.call(ids, i - n, i).join(','));
}

/** The context of a masked-token model: `before` tokens before position i and `after` tokens after it. */
export function tokensAround(before: number, after: number): ContextOf {
  return (ids, i) =>
    i < before || i + after >= ids.length
      ? undefined
      : `${Array.prototype.slice.call(ids, i - before, i).join(',')}|${Array.prototype.slice.call(ids, i + 1, i + 1 + after).join(',')}`;
}

/** The held-out loss of an n-gram model of `order` (1: unigram, 2: bigram, …). */
export function ngramLoss(options: CountingModelOptions & { readonly order: number }): CountingModelResult {
  return countingModelLoss({ ...options, contextOf: previousTokens(options.order) });
}
