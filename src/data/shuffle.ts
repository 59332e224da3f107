/** Seeded random choices that the generated datasets share. */
import type { SeededRandom } from '../util/random';

/** Shuffles `items` in place (Fisher–Yates: every order equally likely) and returns them. */
export function shuffleInPlace<T>(items: T[], rng: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One item drawn uniformly. */
export function pickOne<T>(items: readonly T[], rng: SeededRandom): T {
  return items[rng.int(items.length)]!;
}

/**
 * Calls `make` until it has produced `count` distinct items (by `key`): generated datasets
 * must not repeat an example, or a test example could also be a training example.
 * Throws when the generator keeps repeating itself, which means its vocabularies are too
 * small for the count asked.
 */
export function distinctItems<T>(count: number, key: (item: T) => string, make: () => T): T[] {
  const seen = new Set<string>();
  const items: T[] = [];
  const maxAttempts = count * 50;
  for (let attempt = 0; items.length < count; attempt++) {
    if (attempt >= maxAttempts) {
      throw new RangeError(
        `Could only generate ${items.length} distinct examples of the ${count} asked in ${maxAttempts} ` +
          'attempts: the templates and vocabularies do not have enough combinations. Ask for fewer.',
      );
    }
    const item = make();
    const itemKey = key(item);
    if (seen.has(itemKey)) continue;
    seen.add(itemKey);
    items.push(item);
  }
  return items;
}
