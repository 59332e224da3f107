/**
 * The toolkit's plain-array references for lesson 04: they pass the lesson's public exercise
 * cases, and answerLossMask agrees with the mask encodeForTraining builds for real
 * conversations of the course data (prompt, answer, padding and truncation alike).
 */
import { check } from '../../src/grading';
import { courseCheckpointPath, courseDatasetPath, readInstructionDataset } from '../../src/data';
import { loadCheckpoint } from '../../src/model';
import { answerLossMask, encodeForTraining, encodePrompt, formatConversation, relativeChange, splitRequest } from '../../src/finetune';

describe('lesson 04 references on plain arrays', () => {
  it.each([
    ['4.1', { answerLossMask }],
    ['4.2', { relativeChange }],
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

  it('refuses a row that teaches nothing, and a change relative to nothing', () => {
    expect(() => answerLossMask([false, false, true], 1)).toThrow(/no position of the 1 predicts an answer token/);
    expect(() => answerLossMask([true], 2.5)).toThrow(/positive integer/);
    expect(() => relativeChange([0, 0], [1, 1])).toThrow(/all zeros/);
    expect(() => relativeChange([1], [1, 2])).toThrow(/same weight twice/);
  });
});
