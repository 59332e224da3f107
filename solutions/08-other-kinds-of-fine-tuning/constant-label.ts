/**
 * Exercise 8.1 — the classifier that ignores the text.
 *
 * A classifier that never reads the text and always answers the label most common in
 * `trainLabels` (a tie goes to the label that appears first in `trainLabels`). Return that
 * label and the accuracy it gets on `testLabels`: the share of them equal to it. Empty
 * `trainLabels` or `testLabels` is a RangeError.
 */
export function constantLabelAccuracy(trainLabels: string[], testLabels: string[]): { label: string; accuracy: number } {
  // BEGIN SOLUTION
  if (trainLabels.length === 0 || testLabels.length === 0) throw new RangeError('constantLabelAccuracy needs training labels and test labels');
  const counts = new Map<string, number>();
  for (const label of trainLabels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let label = trainLabels[0]!;
  for (const [candidate, count] of counts) if (count > counts.get(label)!) label = candidate;
  return { label, accuracy: testLabels.filter((l) => l === label).length / testLabels.length };
  // END SOLUTION
  throw new Error('Exercise 8.1: replace this line with your constant-label baseline');
}
