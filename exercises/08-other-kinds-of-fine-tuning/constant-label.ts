/**
 * Exercise 8.1 — the classifier that ignores the text.
 *
 * A classifier that never reads the text and always answers the label most common in
 * `trainLabels` (a tie goes to the label that appears first in `trainLabels`). Return that
 * label and the accuracy it gets on `testLabels`: the share of them equal to it. Empty
 * `trainLabels` or `testLabels` is a RangeError.
 */
export function constantLabelAccuracy(trainLabels: string[], testLabels: string[]): { label: string; accuracy: number } {
  throw new Error('Exercise 8.1: replace this line with your constant-label baseline');
}
