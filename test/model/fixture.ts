/** Loads the PyTorch parity fixture (see test/fixtures/README.md). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { type GPTConfig, type NamedArray, decodeSafetensors, validateConfig } from '../../src/model';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'parity-tiny');

export function readArrays(file: string): Map<string, NamedArray> {
  return decodeSafetensors(fs.readFileSync(path.join(FIXTURE_DIR, file)), file).tensors;
}

export function fixtureConfig(): GPTConfig {
  return validateConfig(JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'config.json'), 'utf8')));
}

/** The fixture's weights as tensors (the caller disposes them). */
export function fixtureWeights(): Map<string, tf.Tensor> {
  const weights = new Map<string, tf.Tensor>();
  for (const [name, a] of readArrays('model.safetensors')) weights.set(name, tf.tensor(a.data, [...a.shape]));
  return weights;
}

export function get(arrays: Map<string, NamedArray>, name: string): NamedArray {
  const a = arrays.get(name);
  if (!a) throw new Error(`The fixture has no '${name}'.`);
  return a;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Lengths differ: ${a.length} vs ${b.length}.`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
