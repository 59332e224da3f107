/**
 * Exercise 5.1 — a linear layer with a LoRA adapter.
 *
 * x is (n, in): n rows of inputs. W is the frozen weight (in, out), A (in, r) and B (r, out)
 * the adapter's two factors. Return x·W + scaling·(x·A)·B, (n, out). Compute (x·A)·B — first
 * down to r numbers per row, then up — never the (in, out) matrix A·B. Shapes that do not fit
 * together are a RangeError.
 */
export function loraForward(x: number[][], W: number[][], A: number[][], B: number[][], scaling: number): number[][] {
  throw new Error('Exercise 5.1: replace this line with your LoRA forward pass');
}
