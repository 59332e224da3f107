// The model's extension point that LoRA and QLoRA plug into: GPT.attachLinearHook and
// releaseParameter / restoreParameter.
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { GPT, resolveConfig } from '../../src/model';
import { logitsOf, maxAbsDiff } from './fixture';

const config = resolveConfig('tiny', { vocabSize: 11 });
let tokens: tf.Tensor2D;

beforeAll(async () => {
  await useBackend('wasm');
  tokens = tf.tensor2d([[1, 2, 3, 4, 5, 6]], [1, 6], 'int32');
});

afterAll(() => tokens.dispose());

describe('GPT.attachLinearHook', () => {
  it('adds a delta to a layer’s output, and detaching restores the model exactly', () => {
    const model = new GPT(config, { seed: 1 });
    const base = logitsOf(model, tokens);
    const detach = model.attachLinearHook('transformer.h.1.mlp.c_proj', { name: 'echo', delta: (x) => tf.slice(x, [0, 0], [x.shape[0], 32]) });
    expect(maxAbsDiff(logitsOf(model, tokens), base)).toBeGreaterThan(1e-3);
    expect(model.linearHooks('transformer.h.1.mlp.c_proj').map((h) => h.name)).toEqual(['echo']);
    detach();
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(base));
    expect(model.linearHooks('transformer.h.1.mlp.c_proj')).toEqual([]);
    model.dispose();
  });

  it('takes the weight from a hook that supplies one', () => {
    const model = new GPT(config, { seed: 1 });
    const base = logitsOf(model, tokens);
    const weight = model.params.get('transformer.h.0.attn.c_attn.weight')!;
    const detach = model.attachLinearHook('transformer.h.0.attn.c_attn', { name: 'copy', weight: () => tf.mul(weight, 1) as tf.Tensor2D });
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(base));
    detach();
    model.dispose();
  });

  it.each([
    ['an unknown layer', 'transformer.h.0.attn.q_proj', { name: 'x' }, /no linear layer 'transformer\.h\.0\.attn\.q_proj'\. Its linear layers: transformer\.h\.0\.attn\.c_attn/],
    ['a second hook of the same name', 'transformer.h.0.mlp.c_fc', { name: 'first' }, /A 'first' hook is already attached to transformer\.h\.0\.mlp\.c_fc/],
    ['a second weight supplier', 'transformer.h.0.mlp.c_fc', { name: 'other', weight: () => tf.zeros([32, 128]) as tf.Tensor2D }, /already gets its weight from the 'first' hook/],
  ])('rejects %s', (_, layer, hook, message) => {
    const model = new GPT(config, { seed: 1 });
    model.attachLinearHook('transformer.h.0.mlp.c_fc', { name: 'first', weight: () => tf.zeros([32, 128]) as tf.Tensor2D });
    expect(() => model.attachLinearHook(layer, hook)).toThrow(message);
    model.dispose();
  });
});

describe('GPT.releaseParameter / restoreParameter', () => {
  it('hands a parameter out and takes it back in checkpoint order; a forward without it says why', () => {
    const model = new GPT(config, { seed: 1 });
    const order = [...model.params.keys()];
    const released = model.releaseParameter('transformer.h.0.mlp.c_fc.weight');
    expect(model.params.has('transformer.h.0.mlp.c_fc.weight')).toBe(false);
    expect(() => model.forward(tokens)).toThrow(/no parameter named 'transformer\.h\.0\.mlp\.c_fc\.weight' \(it was released/);
    expect(() => model.restoreParameter('transformer.h.0.mlp.c_fc.weight', tf.variable(tf.zeros([2, 2])))).toThrow(/must have shape \[32, 128\]/);
    model.restoreParameter('transformer.h.0.mlp.c_fc.weight', released);
    expect([...model.params.keys()]).toEqual(order);
    expect(() => model.restoreParameter('transformer.h.0.mlp.c_fc.weight', released)).toThrow(/is not a released parameter/);
    model.dispose();
  });
});
