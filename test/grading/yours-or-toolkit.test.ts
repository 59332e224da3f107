import { check, yoursOrToolkit } from '../../src/grading';
import { RecordingSink, withDisplaySink } from '../../src/notebook';
import * as solution from '../../solutions/02-inside-a-gpt/causal-mask';
import * as stub from '../../exercises/02-inside-a-gpt/causal-mask';

const toolkit = (T: number) => [[T]];

describe('yoursOrToolkit', () => {
  it("returns the learner's function when every public case passes, and says so", async () => {
    const sink = new RecordingSink();
    const result = await check('2.1', solution, { show: false });
    const chosen = withDisplaySink(sink, () => yoursOrToolkit(result, solution.causalMaskMatrix, toolkit));
    expect(chosen).toBe(solution.causalMaskMatrix);
    expect(sink.last()['text/plain']).toBe('Exercise 2.1 (the causal mask) passes: the cells below use your function.');
  });

  it("falls back to the toolkit's function while the learner's fails, and says how many cases pass", async () => {
    const sink = new RecordingSink();
    const result = await check('2.1', stub, { show: false });
    const chosen = withDisplaySink(sink, () => yoursOrToolkit(result, stub.causalMaskMatrix, toolkit));
    expect(chosen).toBe(toolkit);
    expect(sink.last()['text/plain']).toMatch(/^Exercise 2\.1 \(the causal mask\) passes 0 of 5 cases: the cells below use the toolkit's version until yours passes/);
  });
});
