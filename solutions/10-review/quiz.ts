/**
 * Exercise 10.1 — the quiz.
 *
 * Return your answers as one object: q1, q2, q5, q6, q7 and q10 are letters
 * ('a' to 'd'); q3 and q9 are lists of letters (every right one); q4 and q8 are a word or
 * a short phrase. The questions are in lesson 10.
 */
export function quiz(): Record<string, string | string[]> {
  // BEGIN SOLUTION
  return {
    q1: 'b',
    q2: 'a',
    q3: ['a', 'c', 'd'],
    q4: 'the prompt',
    q5: 'b',
    q6: 'c',
    q7: 'b',
    q8: 'RLHF',
    q9: ['a'],
    q10: 'b',
  };
  // END SOLUTION
  throw new Error('Exercise 10.1: replace this line with your answers');
}
