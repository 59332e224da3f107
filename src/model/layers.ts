/**
 * The building blocks of a GPT, as plain functions on tensors.
 *
 * Each function is the formula from the paper, written so that TensorFlow.js can
 * differentiate it. Callers run them inside `tf.tidy`, which frees the intermediate tensors.
 */
import * as tf from '../tf';
import {
  FUSED_ATTENTION,
  FUSED_ATTENTION_GRAD,
  FUSED_GELU,
  FUSED_GELU_GRAD,
  FUSED_LAYER_NORM,
  FUSED_LAYER_NORM_GRAD,
  type FusedAttentionAttrs,
  fusedGeluSupports,
  fusedLayerNormSupports,
  registerFusedKernels,
} from '../backend/fused-kernels';
import { nativeMatMulActive } from '../backend/native-matmul';

/**
 * A dense (fully connected) layer: y = x·W + b, with W stored [in, out] as in GPT-2.
 *
 * Its gradient needs xᵀ·dy and dy·Wᵀ. The `wasm` backend's own kernel multiplies
 * untransposed matrices about ten times faster than it multiplies with a "transpose" flag,
 * so there we transpose explicitly (cheap: a copy) and then multiply on the fast path. Same
 * numbers, less time. Where the products go to the machine's BLAS (`native-matmul.ts`), a
 * transposed operand costs nothing and tfjs's own gradient is used.
 */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const transposeExplicitly = tf.getBackend() === 'wasm' && recordingGradients() && !nativeMatMulActive();
  const y: tf.Tensor2D = transposeExplicitly ? matMulFastGrad(x, weight) : tf.matMul(x, weight);
  return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
}

/**
 * Whether tfjs is recording operations for a gradient right now (inside `tf.grad`,
 * `variableGrads`…). A custom gradient's bookkeeping costs ~0.1 ms a call even when no
 * gradient is taken, so outside gradients (evaluation, sampling) the ops here run their
 * kernels directly: the same numbers, without the bookkeeping.
 */
function recordingGradients(): boolean {
  return tf.engine().isTapeOn();
}

const matMulFastGrad = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedA, savedB] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(savedB)), tf.matMul(tf.transpose(savedA), dy2)];
    },
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * Layer normalisation over the last axis: each token vector is shifted to mean 0 and scaled
 * to variance 1, then stretched by `weight` and shifted by `bias`. It keeps the numbers in
 * a range where training is stable, whatever depth the network has.
 */
export function layerNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D, bias?: tf.Tensor1D, eps = 1e-5): T {
  if (fusedLayerNormSupports(weight.shape[0])) {
    // one kernel each way on wasm
    if (!recordingGradients()) return layerNormKernel(x, weight, bias, eps) as T;
    return (bias ? fusedLayerNormWithBias(x, weight, bias, eps) : fusedLayerNorm(x, weight, eps)) as T;
  }
  // mean, then the mean square of the centred values: the same numbers as tf.moments, with
  // fewer operations (each costs ~10–20 µs of overhead on wasm, and this runs 2·nLayer + 1 times).
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, eps)));
  const scaled = tf.mul(normalised, weight);
  return (bias ? tf.add(scaled, bias) : scaled) as T;
}

/**
 * Layer norm as one fused kernel each way (see `backend/fused-kernels.ts`): the forward pass
 * keeps each row's mean and 1/σ, the backward pass gives dx, dweight and dbias at once.
 */
function fusedLayerNormOp(withBias: boolean, eps: number) {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x, weight, bias] = args as tf.Tensor[];
    const inputs: tf.NamedTensorMap = bias ? { x: x!, weight: weight!, bias } : { x: x!, weight: weight! };
    const [y, means, rstds] = tf.engine().runKernel(FUSED_LAYER_NORM, inputs, { eps }) as tf.Tensor[];
    save([x!, weight!, means!, rstds!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedX, savedWeight, savedMeans, savedRstds] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const gradInputs = { x: savedX, weight: savedWeight, dy, means: savedMeans, rstds: savedRstds };
        const [dx, dWeight, dBias] = tf.engine().runKernel(FUSED_LAYER_NORM_GRAD, gradInputs) as tf.Tensor[];
        if (withBias) return [dx!, dWeight!, dBias!];
        dBias!.dispose();
        return [dx!, dWeight!];
      },
    };
  });
}

/** The fused layer norm's forward kernel alone (no gradient): y, without the saved statistics. */
function layerNormKernel(x: tf.Tensor, weight: tf.Tensor1D, bias: tf.Tensor1D | undefined, eps: number): tf.Tensor {
  const inputs: tf.NamedTensorMap = bias ? { x, weight, bias } : { x, weight };
  const [y, means, rstds] = tf.engine().runKernel(FUSED_LAYER_NORM, inputs, { eps }) as tf.Tensor[];
  tf.dispose([means!, rstds!]);
  return y!;
}

function fusedLayerNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  return (fusedLayerNormOp(false, eps) as unknown as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor)(x, weight);
}

function fusedLayerNormWithBias(x: tf.Tensor, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor {
  return (fusedLayerNormOp(true, eps) as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor)(x, weight, bias);
}

/**
 * GELU, the smooth ReLU of GPT-2: x·Φ(x), with Φ the standard normal CDF, written with erf
 * (the exact form, as PyTorch's default `nn.GELU()`).
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (fusedGeluSupports(x.size)) {
    // one pass each way on wasm, same numbers
    return recordingGradients() ? fusedGelu(x) : (tf.engine().runKernel(FUSED_GELU, { x }) as T);
  }
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T;
}

/** GELU as one fused kernel, with its gradient dy·(Φ(x) + x·φ(x)) as one kernel too. */
const fusedGelu = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.engine().runKernel(FUSED_GELU, { x }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(FUSED_GELU_GRAD, { x: saved[0]!, dy }) as tf.Tensor,
  };
}) as unknown as <T extends tf.Tensor>(x: T) => T;

const causalMaskCache = new Map<number, Float32Array>();

/**
 * The causal mask as an additive bias (T, T): 0 where a position may look (itself and the
 * past), a large negative number where it may not (the future). Added to attention scores
 * before the softmax, it makes the future's weight exactly zero.
 */
export function causalMask(T: number): tf.Tensor2D {
  let values = causalMaskCache.get(T);
  if (!values) {
    values = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = -1e9;
    causalMaskCache.set(T, values);
  }
  return tf.tensor2d(values, [T, T]);
}

/**
 * Mean next-token cross-entropy: −log p(target) averaged over every position.
 *
 * logits: (N, V), targets: (N,) token ids. Its gradient with respect to the logits is the
 * famous (softmax(logits) − onehot(target)) / N, which we give directly instead of letting
 * autodiff walk through log, exp and sum.
 */
export function crossEntropyLoss(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const V = logits.shape[1];
  const onehot = tf.oneHot(tf.cast(targets, 'int32') as tf.Tensor1D, V) as tf.Tensor2D;
  return crossEntropyWithOneHot(logits, onehot);
}

const crossEntropyWithOneHot = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [logits, onehot, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const N = logits.shape[0] ?? 1;
  const logProbs = tf.logSoftmax(logits);
  const loss = tf.neg(tf.div(tf.sum(tf.mul(onehot, logProbs)), N));
  save([logProbs, onehot]);
  return {
    value: loss,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedLogProbs, savedOneHot] = saved as [tf.Tensor, tf.Tensor];
      const dLogits = tf.mul(tf.div(tf.sub(tf.exp(savedLogProbs), savedOneHot), N), dy);
      return [dLogits, tf.zerosLike(savedOneHot)];
    },
  };
}) as unknown as (logits: tf.Tensor2D, onehot: tf.Tensor2D) => tf.Scalar;

/**
 * Causal self-attention of every head in one fused kernel (see `backend/fused-kernels.ts`):
 * qkv (B·T, 3C), each row [q | k | v] as the `c_attn` layer makes it, → y (B·T, C) with the
 * heads side by side. The same numbers as the composed version in `GPT`'s attention
 * (scores scaled by 1/√hs, the future masked, a softmax, values weighted), with a gradient
 * that is one kernel too. Call it only where `fusedAttentionSupports(hs)` says so.
 */
export function fusedCausalAttention(qkv: tf.Tensor2D, B: number, T: number, H: number): tf.Tensor2D {
  registerFusedKernels();
  const attrs: FusedAttentionAttrs = { batch: B, seqLen: T, heads: H };
  if (!recordingGradients()) {
    const [y, probabilities] = tf.engine().runKernel(FUSED_ATTENTION, { qkv }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
    probabilities!.dispose();
    return y!;
  }
  const attend = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [y, probabilities] = tf.engine().runKernel(FUSED_ATTENTION, { qkv: x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([x, probabilities!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedQkv, savedProbabilities] = saved as [tf.Tensor, tf.Tensor];
        const inputs = { qkv: savedQkv, probs: savedProbabilities, dy };
        return tf.engine().runKernel(FUSED_ATTENTION_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      },
    };
  }) as unknown as (qkv: tf.Tensor2D) => tf.Tensor2D;
  return attend(qkv);
}
