/**
 * The BLAS matrix products for `wasm` (src/backend/native-matmul.ts) give the numbers of
 * the backend's own kernel: every combination of transposes, batches, broadcasting one
 * matrix, empty sides, and a whole GPT's loss and gradients. The addon refuses matrices
 * outside the memory it is given. Other dtypes and broadcasts go to tfjs's kernel.
 *
 * The addon is optional (it needs a C compiler at build time and a BLAS at run time). Where
 * it is missing these tests are skipped and say why, unless LLM_LAB_EXPECT_NATIVE_BLAS=1
 * (CI sets it, having installed both): then a missing addon fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '../../src/tf';
import { nativeMatMulActive, nativeMatMulStatus, useBackend, useNativeMatMul } from '../../src/backend';
import { NATIVE_ADDON_PATH, blasCandidates } from '../../src/backend/native-matmul';
import { expectSameLossAndGradients, maxAbsDiff } from '../helpers/same-gradients';

interface Addon {
  open(paths: string[]): string | null;
  matmul(memory: ArrayBuffer, ...rest: Array<boolean | number>): void;
}

beforeAll(async () => {
  await useBackend('wasm');
});
afterEach(() => useNativeMatMul(true));

const status = () => nativeMatMulStatus();
const expectNative = process.env['LLM_LAB_EXPECT_NATIVE_BLAS'] === '1';

it('is available where it is expected, or says why not', () => {
  const { available, summary } = status();
  if (expectNative) expect({ available, summary }).toEqual({ available: true, summary: expect.stringContaining('BLAS') });
  if (!available) {
    console.warn(`BLAS matrix products not tested: ${summary}`);
    expect(summary).toMatch(/^WebAssembly \(XNNPACK\): .+/); // what runs instead, and why
  }
});

const describeNative = fs.existsSync(NATIVE_ADDON_PATH) && status().available ? describe : describe.skip;

/** The product with the BLAS and with wasm's own kernel: same shape, values within `tol`. */
function expectSameProduct(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean, tol = 1e-4): void {
  tf.tidy(() => {
    const a = tf.randomNormal(aShape, 0, 1, 'float32', 1);
    const b = tf.randomNormal(bShape, 0, 1, 'float32', 2);
    useNativeMatMul(true);
    expect(nativeMatMulActive()).toBe(true);
    const blas = tf.matMul(a, b, transposeA, transposeB);
    useNativeMatMul(false);
    const own = tf.matMul(a, b, transposeA, transposeB);
    useNativeMatMul(true);
    expect(blas.shape).toEqual(own.shape);
    if (own.size > 0) expect(maxAbsDiff(blas, own)).toBeLessThan(tol);
  });
}

describeNative('BLAS matrix products on wasm', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('multiplies 2-D matrices as wasm does (transposeA %s, transposeB %s)', (transposeA, transposeB) => {
    const [m, k, n] = [37, 19, 23];
    expectSameProduct(transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n], transposeA, transposeB);
  });

  it('multiplies a single row (a sampling step) as a matrix-vector product, whatever is transposed', () => {
    expectSameProduct([1, 19], [19, 23], false, false);
    expectSameProduct([1, 19], [23, 19], false, true);
    expectSameProduct([19, 1], [19, 23], true, false);
    expectSameProduct([19, 1], [23, 19], true, true);
    expectSameProduct([4, 1, 5], [4, 5, 3], false, false);
  });

  it('multiplies batches, and one matrix against a batch on either side', () => {
    expectSameProduct([4, 6, 5], [4, 5, 3], false, false);
    expectSameProduct([2, 3, 6, 5], [2, 3, 3, 5], false, true); // attention's q·kᵀ shape
    expectSameProduct([4, 6, 5], [5, 3], false, false);
    expectSameProduct([6, 5], [4, 5, 3], false, false);
    expectSameProduct([1, 6, 5], [4, 5, 3], false, false);
    expectSameProduct([4, 5, 6], [1, 5, 3], true, false);
  });

  it('gives empty products their shape, and zeros where the inner size is 0', () => {
    expectSameProduct([0, 5], [5, 3], false, false);
    expectSameProduct([4, 5], [5, 0], false, false);
    tf.tidy(() => {
      const product = tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 2]));
      expect(product.shape).toEqual([3, 2]);
      expect(Array.from(product.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('broadcasts batch dimensions on both sides, which the kernels of tfjs 4.22 get wrong', () => {
    // (2,1,4,5)·(1,3,5,2): product [i][j] is a[i][0]·b[0][j]. tfjs's cpu and wasm kernels
    // index the batches modulo their sizes, which is right only when one side is 1.
    const a = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 30 }, (_, i) => Math.cos(i));
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let r = 0; r < 4; r++)
          for (let c = 0; c < 2; c++) {
            let sum = 0;
            for (let k = 0; k < 5; k++) sum += a[i * 20 + r * 5 + k]! * b[j * 10 + k * 2 + c]!;
            expected.push(sum);
          }
    const product = tf.matMul(tf.tensor4d(a, [2, 1, 4, 5]), tf.tensor4d(b, [1, 3, 5, 2]));
    expect(product.shape).toEqual([2, 3, 4, 2]);
    const worst = Math.max(...Array.from(product.dataSync()).map((v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeLessThan(1e-5);
    product.dispose();
  });

  it('leaves mismatched inner sizes to tfjs, which words the error', () => {
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]))).toThrow(/inner shapes \(3\) and \(4\)/);
  });

  it('gives a GPT the loss and gradients of the wasm kernel', () => {
    expectSameLossAndGradients(useNativeMatMul);
  });

  it('leaves no tensors behind', () => {
    const a = tf.ones([8, 4]);
    const b = tf.ones([4, 8]);
    const before = tf.memory().numTensors;
    tf.matMul(a, b).dispose();
    tf.matMul(a, b, true, true).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('says when it is turned off', () => {
    useNativeMatMul(false);
    expect(nativeMatMulActive()).toBe(false);
    expect(nativeMatMulStatus()).toMatchObject({ available: false, summary: expect.stringContaining('turned off') });
  });
});

describeNative('the native addon itself', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the addon under test
  const addon = require(NATIVE_ADDON_PATH) as Addon;

  it('multiplies inside the memory it is given', () => {
    expect(addon.open(blasCandidates())).toEqual(expect.any(String));
    const memory = new ArrayBuffer(4 * 12);
    const floats = new Float32Array(memory);
    floats.set([1, 2, 3, 4, 5, 6, 1, 0, 0, 1]); // A (2,3) at 0; B (2,2) at 24 bytes
    // Aᵀ·B: (3,2)·(2,2) at byte 40 would need 6 floats but only 2 are left
    expect(() => addon.matmul(memory, true, false, 1, 3, 2, 2, 0, 0, 24, 0, 40)).toThrow('reaches past the end of the memory');
    // (1,3)·(3,1) = 1·5 + 2·6 + 3·1 with A = [1,2,3] at 0 and B = [5,6,1] at 16: into float 11
    addon.matmul(memory, false, false, 1, 1, 1, 3, 0, 0, 16, 0, 44);
    expect(floats[11]).toBe(20);
  });

  it('refuses offsets that are not whole floats, negative sizes and a wrong memory', () => {
    const memory = new ArrayBuffer(64);
    expect(() => addon.matmul(memory, false, false, 1, 1, 1, 1, 2, 0, 0, 0, 0)).toThrow('multiples of 4 bytes');
    expect(() => addon.matmul(memory, false, false, 1, -1, 1, 1, 0, 0, 0, 0, 0)).toThrow('non-negative');
    expect(() => addon.matmul(new Float32Array(4) as unknown as ArrayBuffer, false, false, 1, 1, 1, 1, 0, 0, 0, 0, 0)).toThrow('ArrayBuffer');
  });
});

describe('building the addon', () => {
  it('never fails the build: without a C compiler it says why and what to install', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'build-native.js');
    const before = fs.existsSync(NATIVE_ADDON_PATH) ? fs.statSync(NATIVE_ADDON_PATH).mtimeMs : null;
    const run = spawnSync(process.execPath, [script, '--force'], { encoding: 'utf8', env: { ...process.env, CC: 'no-such-compiler' } });
    expect(run.status).toBe(0);
    if (process.platform !== 'win32') expect(run.stdout).toContain('no C compiler found');
    expect(run.stdout).toContain('WebAssembly');
    // an addon built before is kept, untouched
    expect(fs.existsSync(NATIVE_ADDON_PATH) ? fs.statSync(NATIVE_ADDON_PATH).mtimeMs : null).toBe(before);
  });
});
