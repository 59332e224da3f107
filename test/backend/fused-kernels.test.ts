/**
 * The fused kernels (attention, GELU, layer norm, AdamW) give the numbers of the composed tfjs operations:
 * outputs, gradients, and a whole GPT's loss and gradients, on `wasm`. Also: the compiled
 * kernels in the source tree are what their .wat files assemble to, and the kernels refuse
 * shapes they cannot do.
 */
import * as tf from '../../src/tf';
import {
  FUSED_ATTENTION,
  FUSED_GELU,
  FUSED_LAYER_NORM,
  fusedAttentionSupports,
  fusedGeluSupports,
  fusedLayerNormSupports,
  useBackend,
  useFusedKernels,
} from '../../src/backend';
import { expectSameLossAndGradients, maxAbsDiff } from '../helpers/same-gradients';
import { causalMask, fusedCausalAttention, gelu, layerNorm } from '../../src/model/layers';
import { AdamW } from '../../src/train';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { kernelModuleSource } = require('../../scripts/build-kernels.js') as { kernelModuleSource: (file: string) => Promise<string> };
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Attention composed from tfjs operations, as `GPT`'s unfused path computes it. */
function composedAttention(qkv: tf.Tensor2D, B: number, T: number, H: number): tf.Tensor2D {
  const C = qkv.shape[1] / 3;
  const hs = C / H;
  const [q, k, v] = tf.split(qkv, 3, 1).map((t) => tf.transpose(tf.reshape(t, [B, T, H, hs]), [0, 2, 1, 3])) as tf.Tensor4D[];
  const scores = tf.add(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(hs)), causalMask(T));
  const y = tf.matMul(tf.softmax(scores), v!);
  return tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
}

beforeAll(async () => {
  await useBackend('wasm');
});

afterEach(() => useFusedKernels(true));

describe('fused causal attention on wasm', () => {
  it.each([
    [1, 1, 1, 4],
    [2, 7, 2, 8],
    [3, 16, 2, 16],
    [2, 64, 4, 32],
    [1, 9, 2, 48], // a 32-float chunk, then a 16
    [2, 5, 1, 36], // a 32-float chunk, then a 4
  ])('B=%i T=%i H=%i hs=%i: same output and gradient as the composed operations', (B, T, H, hs) => {
    const C = H * hs;
    expect(fusedAttentionSupports(hs)).toBe(true);
    const qkv = tf.randomNormal([B * T, 3 * C], 0, 1, 'float32', 11) as tf.Tensor2D;
    const upstream = tf.randomNormal([B * T, C], 0, 1, 'float32', 12);
    const fused = tf.tidy(() => fusedCausalAttention(qkv, B, T, H));
    const composed = tf.tidy(() => composedAttention(qkv, B, T, H));
    expect(fused.shape).toEqual([B * T, C]);
    expect(maxAbsDiff(fused, composed)).toBeLessThan(1e-5);
    const gradOf = (attend: typeof composedAttention) => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(attend(x as tf.Tensor2D, B, T, H), upstream)));
    const fusedGrad = gradOf(fusedCausalAttention)(qkv);
    const composedGrad = gradOf(composedAttention)(qkv);
    expect(maxAbsDiff(fusedGrad, composedGrad)).toBeLessThan(1e-5);
    // the future must not leak: changing the last token changes no earlier output
    const changed = tf.tidy(() => {
      const values = qkv.arraySync();
      for (let b = 0; b < B; b++) values[b * T + T - 1] = values[b * T + T - 1]!.map((v) => v + 1);
      return fusedCausalAttention(tf.tensor2d(values), B, T, H);
    });
    const early = (t: tf.Tensor2D) => tf.tidy(() => tf.stack(Array.from({ length: B }, (_, b) => tf.slice(t, [b * T, 0], [T - 1, C]))));
    if (T > 1) expect(maxAbsDiff(early(changed), early(fused))).toBe(0);
    tf.dispose([qkv, upstream, fused, composed, fusedGrad, composedGrad, changed]);
  });

  it('leaves no tensors behind', () => {
    const qkv = tf.randomNormal([2 * 8, 3 * 16]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(fusedCausalAttention(x as tf.Tensor2D, 2, 8, 2)))(qkv);
    });
    expect(tf.memory().numTensors).toBe(before);
    qkv.dispose();
  });

  it('gives a GPT the same loss and gradients as the composed attention', () => {
    expectSameLossAndGradients(useFusedKernels);
  });

  it('passes NaN on instead of trapping, so that a diverged run is reported as such', () => {
    const values = new Float32Array(2 * 3 * 8).fill(0.5);
    values[3 * 8 + 1] = NaN; // a query of the second token
    const y = fusedCausalAttention(tf.tensor2d(values, [2, 24]), 1, 2, 2);
    expect(Number.isNaN(y.dataSync()[8]!)).toBe(true);
    y.dispose();
  });

  it('is used only where it applies', () => {
    expect(fusedAttentionSupports(32)).toBe(true);
    expect(fusedAttentionSupports(6)).toBe(false); // heads must be a whole number of 4-float vectors
    useFusedKernels(false);
    expect(fusedAttentionSupports(32)).toBe(false);
  });

  it('refuses a qkv that does not match its shape attributes, saying what it expected', () => {
    const qkv = tf.zeros([10, 48]);
    expect(() => tf.engine().runKernel(FUSED_ATTENTION, { qkv }, { batch: 2, seqLen: 4, heads: 2 })).toThrow(/expected float32 qkv of shape \(B·T, 3C\) = \(8/);
    qkv.dispose();
  });
});

describe('fused GELU on wasm', () => {
  it('gives the composed GELU and gradient, from far left to far right, through 0, and keeps NaN', () => {
    const special = [0, -0, 1e-8, -1e-8, 0.5, -0.5, 3, -3, 10, -10, 90, -90, 1e20, -1e20, NaN, 2];
    const x = tf.concat([tf.randomNormal([64 * 48], 0, 3, 'float32', 5), tf.tensor1d(special)]);
    const upstream = tf.randomNormal(x.shape, 0, 1, 'float32', 6);
    const run = (fused: boolean) => {
      useFusedKernels(fused);
      expect(fusedGeluSupports(x.size)).toBe(fused);
      return { y: gelu(x), dx: tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gelu(v), upstream)))(x) };
    };
    const fused = run(true);
    const composed = run(false);
    const finite = (t: tf.Tensor) => tf.tidy(() => tf.slice(t, [0], [x.size - 2])); // all but NaN and the last
    expect(maxAbsDiff(finite(fused.y), finite(composed.y))).toBeLessThan(1e-6);
    expect(maxAbsDiff(finite(fused.dx), finite(composed.dx))).toBeLessThan(1e-6);
    expect(Number.isNaN(fused.y.dataSync()[x.size - 2]!)).toBe(true);
    // gelu(2) = 2·Φ(2) = 1.9544997; gelu'(2) = Φ(2) + 2·φ(2) = 1.0852318
    expect(fused.y.dataSync()[x.size - 1]).toBeCloseTo(1.9544997, 6);
    expect(fused.dx.dataSync()[x.size - 1]! / upstream.dataSync()[x.size - 1]!).toBeCloseTo(1.0852318, 5);
    tf.dispose([x, upstream, fused.y, fused.dx, composed.y, composed.dx]);
  });

  it('needs a whole number of 4-float vectors, and says so', () => {
    expect(fusedGeluSupports(6)).toBe(false);
    const x = tf.zeros([6]);
    expect(() => tf.engine().runKernel(FUSED_GELU, { x })).toThrow(/a multiple of 4 of them, got float32 \[6\]/);
    x.dispose();
  });
});

describe('fused layer norm on wasm', () => {
  it.each([
    ['with a bias', true, [24, 128]],
    ['without a bias', false, [24, 128]],
    ['over a 3-D input', true, [2, 5, 16]],
  ] as const)('%s: same output and gradients (x, weight, bias) as the composed operations', (_, withBias, shape) => {
    const C = shape[shape.length - 1]!;
    const x = tf.randomNormal([...shape], 0.5, 2, 'float32', 21);
    const weight = tf.randomNormal([C], 1, 0.3, 'float32', 22) as tf.Tensor1D;
    const bias = tf.randomNormal([C], 0, 0.3, 'float32', 23) as tf.Tensor1D;
    const upstream = tf.randomNormal([...shape], 0, 1, 'float32', 24);
    const run = (fused: boolean) => {
      useFusedKernels(fused);
      expect(fusedLayerNormSupports(C)).toBe(fused);
      const y = layerNorm(x, weight, withBias ? bias : undefined);
      const grads = withBias
        ? tf.grads((a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, w as tf.Tensor1D, b as tf.Tensor1D), upstream)))([x, weight, bias])
        : tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, w as tf.Tensor1D), upstream)))([x, weight]);
      return [y, ...grads];
    };
    const fused = run(true);
    const composed = run(false);
    expect(fused).toHaveLength(withBias ? 4 : 3);
    const tolerances = [1e-5, 1e-5, 1e-4, 1e-4]; // y, dx, and the weight and bias gradients (sums over rows)
    fused.forEach((t, i) => expect(maxAbsDiff(t, composed[i]!)).toBeLessThan(tolerances[i]!));
    tf.dispose([x, weight, bias, upstream, ...fused, ...composed]);
  });

  it('needs a width of whole 4-float vectors and a weight as wide as x, and says so', () => {
    expect(fusedLayerNormSupports(6)).toBe(false);
    const x = tf.zeros([3, 8]);
    const weight = tf.ones([4]);
    expect(() => tf.engine().runKernel(FUSED_LAYER_NORM, { x, weight }, { eps: 1e-5 })).toThrow(/weight of shape \[C\], got x float32 \[3,8\], weight \[4\]/);
    tf.dispose([x, weight]);
  });
});

describe('fused AdamW on wasm', () => {
  it('takes the steps of the composed update: decay or not, clipping scale, sizes with a remainder', () => {
    const shapes: Record<string, number[]> = { matrix: [8, 6], odd: [7], row: [1, 5] };
    const run = (fused: boolean) => {
      useFusedKernels(fused);
      const variables = new Map(Object.entries(shapes).map(([name, shape], i) => [name, tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 40 + i))]));
      const optimizer = new AdamW(variables, { decay: new Set(['matrix']), weightDecay: 0.1 });
      for (let step = 0; step < 3; step++) {
        const grads = Object.fromEntries(Object.entries(shapes).map(([name, shape], i) => [name, tf.randomNormal(shape, 0, 1, 'float32', 50 + 10 * step + i)]));
        optimizer.step(grads, 1e-2, step === 1 ? 0.25 : 1);
        tf.dispose(Object.values(grads));
      }
      const values = new Map([...variables].map(([name, v]) => [name, v.dataSync() as Float32Array]));
      const moments = optimizer.stateArrays();
      optimizer.dispose();
      variables.forEach((v) => v.dispose());
      return { values, moments };
    };
    const fused = run(true);
    const composed = run(false);
    for (const name of Object.keys(shapes)) {
      const a = fused.values.get(name)!;
      const b = composed.values.get(name)!;
      expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!)))).toBeLessThan(1e-6);
    }
    for (const [name, array] of composed.moments) {
      const ours = fused.moments.get(name)!.data as Float32Array;
      expect(Math.max(...(array.data as Float32Array).map((x, i) => Math.abs(x - ours[i]!)))).toBeLessThan(1e-6);
    }
  });
});

describe('transpose on wasm', () => {
  it.each([
    [768, 128],
    [4, 4],
    [36, 68], // tiles that end inside a 32×32 tile
    [6, 8], // not a multiple of 4: tfjs's own kernel
  ])('(%i, %i): the numbers of tfjs\'s own kernel, moved', (M, N) => {
    const x = tf.randomNormal([M, N], 0, 1, 'float32', 31);
    useFusedKernels(true);
    const ours = tf.transpose(x);
    useFusedKernels(false);
    const theirs = tf.transpose(x);
    expect(ours.shape).toEqual([N, M]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    tf.dispose([x, ours, theirs]);
  });

  it('leaves other permutations to tfjs', () => {
    const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    expect(tf.transpose(x, [2, 0, 1]).arraySync()[3]).toEqual([
      [3, 7, 11],
      [15, 19, 23],
    ]);
    x.dispose();
  });
});

describe('fused kernels off wasm', () => {
  it('are not used on the cpu backend', async () => {
    await useBackend('cpu');
    expect(fusedAttentionSupports(32)).toBe(false);
    expect(fusedGeluSupports(32)).toBe(false);
    expect(fusedLayerNormSupports(32)).toBe(false);
    await useBackend('wasm');
  });
});

describe('the compiled kernels', () => {
  it.each(['adamw', 'attention', 'gelu', 'layernorm', 'transpose'])('%s-wasm.ts is what %s.wat assembles to (run node scripts/build-kernels.js after editing it)', async (name) => {
    const dir = path.join(__dirname, '..', '..', 'src', 'backend', 'kernels');
    const expected = await kernelModuleSource(path.join(dir, `${name}.wat`));
    expect(fs.readFileSync(path.join(dir, `${name}-wasm.ts`), 'utf8')).toBe(expected);
  });
});
