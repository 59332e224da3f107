/**
 * The copying probe: its spans point at the fields, and an untrained model gains nothing
 * from a second telling (what the shipped base measures is in data/README.md).
 */
import { useBackend } from '../../src/backend';
import { COPIED_FIELDS, courseCheckpointPath, orderToldTwice } from '../../src/data';
import { copyingProbe } from '../../src/finetune';
import { GPT, type LoadedCheckpoint, loadCheckpoint } from '../../src/model';
import { SeededRandom } from '../../src/util/random';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('orderToldTwice', () => {
  it('gives the spans of name, qty and date in both tellings', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 50; i++) {
      const order = orderToldTwice(rng);
      const [first, second] = order.tellings;
      const firstEnds = Math.max(...COPIED_FIELDS.map((field) => first[field].end));
      for (const field of COPIED_FIELDS) {
        const value = String(order.fields[field]);
        expect(order.text.slice(first[field].start, first[field].end)).toBe(value);
        expect(order.text.slice(second[field].start, second[field].end)).toBe(value);
        expect(second[field].start).toBeGreaterThan(firstEnds); // the second telling comes after the first
      }
    }
  });
});

describe('copyingProbe', () => {
  let base: LoadedCheckpoint;
  beforeAll(() => {
    base = loadCheckpoint(courseCheckpointPath('base')); // after the backend is chosen
  });

  it('finds no copying in an untrained model: both tellings are guessed alike', () => {
    const untrained = new GPT(base.model.config, { seed: 3 });
    const probe = copyingProbe(untrained, base.tokenizer, { orders: 16 });
    expect(Math.abs(probe.copyingGain)).toBeLessThan(0.3);
    expect(probe.first.all).toBeGreaterThan(5); // about ln 1024: every token a guess
    expect(probe.recalledName).toBeGreaterThan(5);
    untrained.dispose();
  });
});
