/**
 * Cell ids (nbformat 4.5 requires one per cell, unique in the notebook). They come from
 * what a cell is, not where it is, so that adding, removing or moving a cell leaves the
 * other cells' ids alone:
 *
 *   title            the heading cell the builder writes from the front matter
 *   exercise-1-2     an exercise cell: its exercise id (kept when its code is edited)
 *   md-<hash>        a markdown cell: the first 8 hex digits of the SHA-256 of its text
 *   code-<hash>      a code cell: likewise, of its code
 *
 * Cells with the same kind and text (say, two `model.summary()` cells) get `-2`, `-3`, …
 * in order. Editing a cell changes only its own id. The lesson's file name is left out:
 * ids need only be unique within a notebook, and a renumbered lesson keeps them.
 */
import { createHash } from 'node:crypto';

export type CellIdentity =
  | { readonly kind: 'title' }
  | { readonly kind: 'exercise'; readonly exercise: string }
  | { readonly kind: 'markdown' | 'code'; readonly text: string };

/** The id of each cell, in order. */
export function assignCellIds(cells: readonly CellIdentity[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell) => {
    const base = baseId(cell);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

function baseId(cell: CellIdentity): string {
  switch (cell.kind) {
    case 'title':
      return 'title';
    case 'exercise':
      return `exercise-${cell.exercise.replace('.', '-')}`;
    case 'markdown':
      return `md-${shortHash(cell.text)}`;
    case 'code':
      return `code-${shortHash(cell.text)}`;
  }
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}
