/**
 * Exercise 2.3 — how many numbers a GPT learns.
 *
 * From a config { vocabSize, blockSize, nLayer, nEmbd, bias } return the number of trained
 * parameters of the GPT this lesson describes: a token embedding (vocabSize × nEmbd) that is
 * also the output head (tied, so counted once), a position embedding (blockSize × nEmbd), nLayer
 * blocks, and a final layer norm. A block is: layer norm, attention (a linear layer nEmbd → 3·nEmbd
 * for q, k, v and a projection nEmbd → nEmbd), layer norm, MLP (nEmbd → 4·nEmbd → nEmbd). A layer
 * norm has a weight of nEmbd numbers; with `bias` every layer norm and linear layer also has a bias
 * (one number per output).
 */
export function gptParameterCount(config: { vocabSize: number; blockSize: number; nLayer: number; nEmbd: number; bias: boolean }): number {
  throw new Error('Exercise 2.3: replace this line with your parameter count');
}
