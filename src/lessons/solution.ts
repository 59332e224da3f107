/**
 * Solution regions in exercise cells. The lesson keeps the reference solution between two
 * marker lines; the notebook gets the cell without them (markers included):
 *
 *   export function countBigrams(tokens: number[]): Map<string, number> {
 *     // BEGIN SOLUTION
 *     …the reference solution…
 *     // END SOLUTION
 *     throw new Error('Exercise 1.1: replace this line with your code');
 *   }
 */
import { LessonError } from './errors';

export const BEGIN_SOLUTION = '// BEGIN SOLUTION';
export const END_SOLUTION = '// END SOLUTION';

/** Anything that looks like a marker, written exactly or not (`//END SOLUTION`, `/* BEGIN SOLUTION *\/`). */
const MARKER_LIKE = /\b(?:BEGIN|END)[\s_-]*SOLUTION\b/i;

/** Where a cell's code starts in the lesson: its first line follows the opening fence. */
export interface CodeLocation {
  readonly file: string;
  /** The line of the opening fence. */
  readonly fenceLine: number;
}

/**
 * The learner's version of an exercise cell: every line from `// BEGIN SOLUTION` to
 * `// END SOLUTION` (both included) removed. Throws, naming the line, when markers are
 * unbalanced, nested, mistyped, or absent (an exercise needs its reference solution).
 */
export function learnerVersion(code: string, exerciseId: string, at: CodeLocation): string {
  const lines = code.split('\n');
  const kept: string[] = [];
  let openedAt: number | undefined;
  let regions = 0;
  lines.forEach((text, i) => {
    const line = at.fenceLine + 1 + i;
    const marker = markerOf(text, line, at.file);
    if (marker === 'begin') {
      if (openedAt !== undefined) {
        throw new LessonError(at.file, line, `a second ${BEGIN_SOLUTION} before the ${END_SOLUTION} of the one at line ${openedAt}: solution regions do not nest; close the first one.`);
      }
      openedAt = line;
    } else if (marker === 'end') {
      if (openedAt === undefined) {
        throw new LessonError(at.file, line, `${END_SOLUTION} without a ${BEGIN_SOLUTION} before it: add the BEGIN line where the solution starts, or remove this line.`);
      }
      openedAt = undefined;
      regions += 1;
    } else if (openedAt === undefined) {
      kept.push(text);
    }
  });
  if (openedAt !== undefined) {
    throw new LessonError(at.file, openedAt, `${BEGIN_SOLUTION} is never closed: add a line ${END_SOLUTION} where the solution ends (before the closing \`\`\`).`);
  }
  if (regions === 0) {
    throw new LessonError(
      at.file,
      at.fenceLine,
      `exercise ${exerciseId} has no solution region: put the reference solution between a line ${BEGIN_SOLUTION} and a line ${END_SOLUTION} (the notebook shows the cell without them).`,
    );
  }
  return kept.join('\n');
}

/** Throws when a cell that is not an exercise has solution markers (they would reach the learner). */
export function assertNoSolutionMarkers(code: string, at: CodeLocation): void {
  code.split('\n').forEach((text, i) => {
    const line = at.fenceLine + 1 + i;
    if (markerOf(text, line, at.file) !== undefined) {
      throw new LessonError(
        at.file,
        line,
        'a solution marker in a cell that is not an exercise: its solution would be shown to the learner. ' +
          'Mark the cell as an exercise (```ts exercise=N.M) or remove the marker.',
      );
    }
  });
}

function markerOf(text: string, line: number, file: string): 'begin' | 'end' | undefined {
  const trimmed = text.trim();
  if (trimmed === BEGIN_SOLUTION) return 'begin';
  if (trimmed === END_SOLUTION) return 'end';
  if (MARKER_LIKE.test(text)) {
    throw new LessonError(
      file,
      line,
      `this looks like a solution marker but is not exactly '${BEGIN_SOLUTION}' or '${END_SOLUTION}' on a line of its own; ` +
        'a mistyped marker would leave the solution in the learner\'s notebook. Write the marker exactly.',
    );
  }
  return undefined;
}
