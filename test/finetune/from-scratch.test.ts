/**
 * The toolkit's plain-array references for lessons 04 to 06: they pass the lessons' public
 * exercise cases; answerLossMask agrees with the mask encodeForTraining builds for real
 * conversations of the course data (prompt, answer, padding and truncation alike), and
 * mergeLora and adapterParameterCount agree with what LoraAdapters does to the base model, and
 * the blockwise int8 and NF4 codes with the typed-array quantizers QLoRA uses.
 */
import { check } from '../../src/grading';
import * as tf from '../../src/tf';
import { courseCheckpointPath, courseDatasetPath, readInstructionDataset } from '../../src/data';
import { loadCheckpoint } from '../../src/model';
import { DEFAULT_LORA, NF4_LEVELS, quantizeInt8, quantizeInt8Blocks, quantizeNF4, quantizeNF4Blocks, adapterParameterCount, addLora, answerLossMask, encodeForTraining, loraForward, mergeLora, encodePrompt, formatConversation, relativeChange, splitRequest } from '../../src/finetune';

describe('lesson 04 to 06 references on plain arrays', () => {
  it.each([
    ['4.1', { answerLossMask }],
    ['4.2', { relativeChange }],
    ['5.1', { loraForward }],
    ['5.2', { adapterParameterCount }],
    ['5.3', { mergeLora }],
  ] as const)('pass every public case of Exercise %s', async (id, exports) => {
    const result = await check(id, exports, { show: false });
    expect(result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`)).toEqual([]);
  });

  it('answerLossMask gives the mask encodeForTraining gives, at a row longer and shorter than the conversations', async () => {
    const { tokenizer } = await loadCheckpoint(courseCheckpointPath('base'));
    const conversations = readInstructionDataset(courseDatasetPath('qa-terms', 'train')).slice(0, 40);
    for (const conversation of conversations) {
      const ids = tokenizer.encode(formatConversation(conversation));
      const promptLength = encodePrompt(splitRequest(conversation).request, tokenizer).length;
      const isAnswer = ids.map((_, i) => i >= promptLength);
      for (const blockSize of [64, promptLength + 2]) {
        const expected = Array.from(encodeForTraining(conversation, tokenizer, { blockSize }).lossMask);
        expect(answerLossMask(isAnswer, blockSize)).toEqual(expected);
      }
    }
  });

  it('mergeLora gives the weight LoraAdapters.merge() writes, and the count of what trains', async () => {
    const { model } = await loadCheckpoint(courseCheckpointPath('base'));
    const adapters = addLora(model, DEFAULT_LORA, { seed: 3 });
    const layer = adapters.layers[0]!;
    const { A, B } = adapters.factors(layer.name);
    B.assign(tf.randomNormal(B.shape, 0, 0.1, 'float32', 1)); // a trained B: the new adapter's is all zeros
    const weight = model.params.get(`${layer.name}.weight`)!;
    const W = weight.arraySync() as number[][];
    const expected = mergeLora(W, A.arraySync() as number[][], B.arraySync() as number[][], adapters.scaling);
    adapters.merge();
    const merged = weight.arraySync() as number[][];
    const largest = Math.max(...merged.flatMap((row, i) => row.map((w, j) => Math.abs(w - expected[i]![j]!))));
    expect(largest).toBeLessThan(1e-5);
    expect(adapterParameterCount(adapters.layers.map((l) => [l.inFeatures, l.outFeatures]), DEFAULT_LORA.rank)).toBe(adapters.trainableParameterCount);
    model.dispose();
  });

  it('the blockwise codes are the codes QLoRA stores, on a weight of the base model', async () => {
    const { model } = await loadCheckpoint(courseCheckpointPath('base'));
    const values = Array.from(model.params.get('transformer.h.0.mlp.c_fc.weight')!.dataSync());
    const int8 = quantizeInt8Blocks(values, 64);
    const typedInt8 = quantizeInt8(values, { blockSize: 64 });
    // The typed quantizer keeps float32 scales, so a code may differ by one where 127·v/scale is a hair from .5.
    const int8Differ = int8.codes.filter((c, i) => Math.abs(c - typedInt8.codes[i]!) > 1).length;
    expect(int8Differ).toBe(0);
    expect(int8.codes.filter((c, i) => c !== typedInt8.codes[i]).length).toBeLessThan(values.length / 1000);
    const nf4 = quantizeNF4Blocks(values, 64, [...NF4_LEVELS]);
    const typedNF4 = quantizeNF4(values, { blockSize: 64 });
    const nibble = (i: number) => ((i & 1) === 0 ? typedNF4.codes[i >> 1]! >> 4 : typedNF4.codes[i >> 1]! & 0x0f);
    expect(nf4.codes.filter((c, i) => c !== nibble(i)).length).toBeLessThan(values.length / 1000);
    expect(nf4.scales.map((s) => Math.fround(s))).toEqual(Array.from(typedNF4.scales));
    model.dispose();
  });

  it('refuses a row that teaches nothing, and a change relative to nothing', () => {
    expect(() => answerLossMask([false, false, true], 1)).toThrow(/no position of the 1 predicts an answer token/);
    expect(() => answerLossMask([true], 2.5)).toThrow(/positive integer/);
    expect(() => relativeChange([0, 0], [1, 1])).toThrow(/all zeros/);
    expect(() => relativeChange([1], [1, 2])).toThrow(/same weight twice/);
  });
});
