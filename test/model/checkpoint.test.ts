import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import {
  CheckpointError,
  GPT,
  SafetensorsError,
  decodeSafetensors,
  encodeSafetensors,
  loadCheckpoint,
  resolveConfig,
  saveCheckpoint,
} from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';

const tokenizer = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz .,\n');
const config = resolveConfig('tiny', { vocabSize: tokenizer.vocabSize });
let dir: string;

beforeAll(async () => {
  await useBackend('wasm');
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-ckpt-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function logitsOf(model: GPT): Float32Array {
  return tf.tidy(() => model.forward(tf.tensor2d([tokenizer.encode('the cat sat')], undefined, 'int32')).dataSync() as Float32Array);
}

describe('checkpoints', () => {
  it('round-trips: a loaded model gives identical logits and the same tokenizer', () => {
    const model = new GPT(config, { seed: 3 });
    saveCheckpoint(dir, { model, tokenizer });
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    const loaded = loadCheckpoint(dir);
    expect(loaded.config).toEqual(config);
    expect(loaded.tokenizer.encode('a cat.')).toEqual(tokenizer.encode('a cat.'));
    expect(Array.from(logitsOf(loaded.model))).toEqual(Array.from(logitsOf(model)));
    model.dispose();
    loaded.model.dispose();
  });

  it('stores weights by GPT-2 names in valid safetensors', () => {
    const model = new GPT(config, { seed: 1 });
    saveCheckpoint(dir, { model, tokenizer });
    const { tensors, metadata } = decodeSafetensors(fs.readFileSync(path.join(dir, 'model.safetensors')));
    expect([...tensors.keys()]).toEqual([...model.params.keys()]);
    expect(tensors.get('transformer.h.0.attn.c_attn.weight')!.shape).toEqual([32, 96]);
    expect(metadata).toEqual({ format: 'pt' });
    model.dispose();
  });

  function saved(): void {
    const model = new GPT(config, { seed: 2 });
    saveCheckpoint(dir, { model, tokenizer });
    model.dispose();
  }

  const weightsFile = () => path.join(dir, 'model.safetensors');

  it.each([
    ['a missing folder', () => fs.rmSync(dir, { recursive: true }), /No checkpoint at/],
    ['a missing weights file', () => fs.rmSync(weightsFile()), /Missing file .*model\.safetensors/],
    ['a missing tokenizer', () => fs.rmSync(path.join(dir, 'tokenizer.json')), /Missing file .*tokenizer\.json/],
    ['a truncated weights file', () => fs.truncateSync(weightsFile(), fs.statSync(weightsFile()).size - 100), /truncated/],
    ['a weights file cut inside its header', () => fs.truncateSync(weightsFile(), 40), /truncated or corrupted/],
    [
      'a corrupted header',
      () => {
        const bytes = fs.readFileSync(weightsFile());
        bytes.write('#', 8);
        fs.writeFileSync(weightsFile(), bytes);
      },
      /header is not valid JSON/,
    ],
    ['a config that is not JSON', () => fs.writeFileSync(path.join(dir, 'config.json'), '{"vocabSize": 3'), /config\.json is not valid JSON/],
    [
      'a config that does not match the weights',
      () => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, nEmbd: 64 })),
      /do not match the model config[\s\S]*'transformer\.wte\.weight' has shape \[30, 32\], the config needs \[30, 64\]/,
    ],
    [
      'a config with another vocabulary than the tokenizer',
      () => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, vocabSize: 99 })),
      /has 30 tokens but the model's config says vocabSize 99/,
    ],
    [
      'an invalid config',
      () => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, nHead: 3 })),
      /config\.json: GPT config: nEmbd \(32\) must be divisible by nHead \(3\)/,
    ],
  ])('gives a clear error for %s', (_what, damage, message) => {
    saved();
    damage();
    expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(dir)).toThrow(message);
  });

  it('leaves no temporary files and overwrites the previous checkpoint in place', () => {
    saved();
    saved();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('safetensors', () => {
  it('round-trips F32 and I32 arrays, including empty and scalar shapes', () => {
    const arrays = new Map([
      ['a', { dtype: 'F32' as const, shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) }],
      ['b', { dtype: 'I32' as const, shape: [4], data: new Int32Array([7, -8, 9, 2 ** 31 - 1]) }],
      ['scalar', { dtype: 'F32' as const, shape: [], data: new Float32Array([3.25]) }],
      ['empty', { dtype: 'F32' as const, shape: [0, 5], data: new Float32Array(0) }],
    ]);
    const bytes = encodeSafetensors(arrays, { note: 'hello' });
    // The data starts 8-byte aligned, as the reference implementation writes it.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ note: 'hello' });
    for (const [name, a] of arrays) {
      expect(tensors.get(name)!.shape).toEqual(a.shape);
      expect(Array.from(tensors.get(name)!.data)).toEqual(Array.from(a.data));
    }
  });

  it.each([
    ['too short', new Uint8Array(4), /shorter than the 8-byte header length/],
    ['an unsupported dtype', encodeHeader({ x: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, 2), /dtype "BF16"/],
    ['offsets past the end', encodeHeader({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), /truncated file/],
    ['a size that does not match the shape', encodeHeader({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /needs 12/],
  ])('rejects %s', (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'x.safetensors')).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes, 'x.safetensors')).toThrow(message);
  });
});

function encodeHeader(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}
