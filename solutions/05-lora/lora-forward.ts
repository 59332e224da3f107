/**
 * Exercise 5.1 — a linear layer with a LoRA adapter.
 *
 * x is (n, in): n rows of inputs. W is the frozen weight (in, out), A (in, r) and B (r, out)
 * the adapter's two factors. Return x·W + scaling·(x·A)·B, (n, out). Compute (x·A)·B — first
 * down to r numbers per row, then up — never the (in, out) matrix A·B. Shapes that do not fit
 * together are a RangeError.
 */
export function loraForward(x: number[][], W: number[][], A: number[][], B: number[][], scaling: number): number[][] {
  // BEGIN SOLUTION
  const matmul = (a: number[][], b: number[][]) => {
    if (a[0]!.length !== b.length) throw new RangeError(`cannot multiply (${a.length}, ${a[0]!.length}) by (${b.length}, ${b[0]!.length})`);
    return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * b[k]![j]!, 0)));
  };
  if (B[0]!.length !== W[0]!.length) throw new RangeError('B must have as many columns as W');
  const base = matmul(x, W);
  const adapter = matmul(matmul(x, A), B);
  return base.map((row, i) => row.map((y, j) => y + scaling * adapter[i]![j]!));
  // END SOLUTION
  throw new Error('Exercise 5.1: replace this line with your LoRA forward pass');
}
