/**
 * Hidden cases for lesson 02. A .cjs file because one case is a property: changing a future
 * token's key and value must leave every earlier output unchanged (causality), whatever the
 * numbers are.
 */
'use strict';

const q = [[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [-0.2, 0.9, 1.3], [0.8, -0.5, 0.1]];
const k = [[0.6, 0.2, -0.4], [-1.0, 0.7, 0.3], [0.5, 0.5, 0.5], [0.2, -0.9, 1.4]];
const v = [[1, 0], [0, 1], [2, -1], [-3, 4]];
// The same, with the last position's key and value changed.
const kChanged = [...k.slice(0, 3), [9, -9, 9]];
const vChanged = [...v.slice(0, 3), [100, -100]];

/** Row i of one causal head, computed here (never in the submission's process). */
function referenceRow(i) {
  const d = q[0].length;
  const scores = k.slice(0, i + 1).map((kj) => kj.reduce((s, x, c) => s + x * q[i][c], 0) / Math.sqrt(d));
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return v[0].map((_, c) => exps.reduce((s, e, j) => s + (e / sum) * v[j][c], 0));
}

module.exports = {
  exercises: [
    {
      id: '2.1',
      cases: [
        { args: [3], expected: [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]], hint: 'Row i allows columns 0…i.' },
        { args: [-1], throws: 'RangeError', hint: 'A negative number of positions is a RangeError.' },
        {
          name: 'a mask of 64 positions has exactly 64·65/2 allowed entries',
          args: [64],
          property: (output) => {
            if (!Array.isArray(output) || output.length !== 64) return 'expected 64 rows';
            let zeros = 0;
            for (const [i, row] of output.entries()) {
              if (!Array.isArray(row) || row.length !== 64) return `row ${i} does not have 64 entries`;
              for (const [j, x] of row.entries()) {
                if (j <= i ? x !== 0 : x !== -Infinity) return `entry (${i}, ${j}) is wrong`;
                if (x === 0) zeros += 1;
              }
            }
            return zeros === 2080 ? undefined : `${zeros} allowed entries, expected 2080`;
          },
          hint: 'Every row i: 0 for j ≤ i, -Infinity for j > i.',
        },
      ],
    },
    {
      id: '2.2',
      cases: [
        {
          name: 'changing the last token\'s key and value leaves every earlier output unchanged',
          args: [q, kChanged, vChanged],
          property: (output) => {
            if (!Array.isArray(output) || output.length !== 4) return 'expected 4 rows';
            for (let i = 0; i < 3; i++) {
              const want = referenceRow(i);
              const got = output[i];
              if (!Array.isArray(got) || got.some((x, c) => Math.abs(x - want[c]) > 1e-9)) {
                return `row ${i} changed when only a later position did: the future leaks in`;
              }
            }
            return undefined;
          },
          hint: 'Position i may only attend to positions 0…i: mask the scores above the diagonal before the softmax.',
        },
        { args: [q, k, v], expected: [0, 1, 2, 3].map(referenceRow), tolerance: 1e-9, hint: 'scores = q·kᵀ/√d, masked, softmax per row, times v.' },
        { args: [[[1, 2]], [[1]], [[1]]], throws: 'RangeError', hint: 'k must be as wide as q.' },
      ],
    },
    {
      id: '2.3',
      cases: [
        { name: 'the small preset, GPT-2 style biases', args: [{ vocabSize: 1024, blockSize: 128, nLayer: 6, nEmbd: 192, bias: true }], expected: 2_890_752, hint: 'Every linear layer and layer norm has a bias here.' },
        { name: 'GPT-2 small (124M)', args: [{ vocabSize: 50257, blockSize: 1024, nLayer: 12, nEmbd: 768, bias: true }], expected: 124_439_808, hint: 'GPT-2 has biases everywhere and ties its output head to the token embedding.' },
      ],
    },
  ],
};
