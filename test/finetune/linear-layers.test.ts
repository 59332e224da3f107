import { LinearTargetError, listLinearLayers, selectLinearLayers } from '../../src/finetune';
import { resolveConfig } from '../../src/model';

// The tiny preset: 2 blocks, C = 32, with biases.
const model = { config: resolveConfig('tiny', { vocabSize: 20 }) };

describe('listLinearLayers', () => {
  it('lists the four linear layers of every block with their sizes and parameter counts', () => {
    const layers = listLinearLayers(model);
    expect(layers.map((l) => l.name)).toEqual([
      'transformer.h.0.attn.c_attn',
      'transformer.h.0.attn.c_proj',
      'transformer.h.0.mlp.c_fc',
      'transformer.h.0.mlp.c_proj',
      'transformer.h.1.attn.c_attn',
      'transformer.h.1.attn.c_proj',
      'transformer.h.1.mlp.c_fc',
      'transformer.h.1.mlp.c_proj',
    ]);
    expect(layers.slice(0, 4).map((l) => [l.inFeatures, l.outFeatures, l.parameters])).toEqual([
      [32, 96, 32 * 96 + 96],
      [32, 32, 32 * 32 + 32],
      [32, 128, 32 * 128 + 128],
      [128, 32, 128 * 32 + 32],
    ]);
    expect(layers[5]).toMatchObject({ block: 1, kind: 'attn.c_proj' });
  });

  it('counts no biases when the config has none', () => {
    const noBias = { config: resolveConfig('tiny', { vocabSize: 20, bias: false }) };
    expect(listLinearLayers(noBias)[0]!.parameters).toBe(32 * 96);
  });
});

describe('selectLinearLayers', () => {
  it.each([
    [['c_attn'], ['0.attn.c_attn', '1.attn.c_attn']],
    [['attn'], ['0.attn.c_attn', '0.attn.c_proj', '1.attn.c_attn', '1.attn.c_proj']],
    [['mlp'], ['0.mlp.c_fc', '0.mlp.c_proj', '1.mlp.c_fc', '1.mlp.c_proj']],
    [['c_proj'], ['0.attn.c_proj', '0.mlp.c_proj', '1.attn.c_proj', '1.mlp.c_proj']],
    [['mlp.c_proj'], ['0.mlp.c_proj', '1.mlp.c_proj']],
    [['c_fc', 'transformer.h.0.attn.c_attn'], ['0.attn.c_attn', '0.mlp.c_fc', '1.mlp.c_fc']],
    [['attn', 'c_attn'], ['0.attn.c_attn', '0.attn.c_proj', '1.attn.c_attn', '1.attn.c_proj']], // each once
  ])('%j picks %j', (targets, expected) => {
    const names = selectLinearLayers(model, targets).map((l) => l.name.replace('transformer.h.', ''));
    expect(names).toEqual(expected);
  });

  it('picks every linear layer with "all"', () => {
    expect(selectLinearLayers(model, ['all'])).toEqual(listLinearLayers(model));
  });

  it.each([
    ['an unknown target, listing the valid ones', ['q_proj'], /Unknown target 'q_proj'\. Valid targets: 'all', 'attn', 'mlp', 'c_attn'.*full name/],
    ['a block the model does not have', ['transformer.h.2.mlp.c_fc'], /in block 2, but the model has blocks 0 to 1/],
    ['no targets', [], /No targets given/],
  ])('rejects %s', (_, targets, message) => {
    expect(() => selectLinearLayers(model, targets)).toThrow(LinearTargetError);
    expect(() => selectLinearLayers(model, targets)).toThrow(message);
  });
});
