/**
 * TensorFlow.js as the toolkit uses it: the core API with every op's gradient registered
 * and the plain-JavaScript `cpu` backend always available as the reference.
 *
 * `@tensorflow/tfjs-core` alone knows no gradients (`tf.grad` of a sum fails); the
 * `@tensorflow/tfjs` package registers them when loaded. Every file of the toolkit imports
 * tensors from here, so the gradients are always there.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
