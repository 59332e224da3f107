/**
 * Lesson 10's exercises: a quiz on the course (practice questions here; the graded ones are
 * the instructor's hidden cases), and numbers read from the review's tables.
 */
import type { ExerciseSpec } from '../spec';

const letters = ['a', 'b', 'c', 'd'];

const quiz: ExerciseSpec = {
  id: '10.1',
  title: 'the quiz',
  points: 10,
  file: '10-review/quiz.ts',
  exports: ['quiz'],
  cases: [
    { args: [], question: { id: 'q1', kind: 'choice', options: letters, answer: 'b' }, hint: 'Lesson 03: asked "What is NLP?", the base went on writing the kind of text its corpus holds.' },
    { args: [], question: { id: 'q2', kind: 'choice', options: letters, answer: 'a' }, hint: 'Lessons 01–02: the loss of every token of raw text, given the ones before it.' },
    { args: [], question: { id: 'q3', kind: 'choices', options: letters, answer: ['a', 'c', 'd'] }, hint: 'Lessons 05, 06 and 08: which of them freeze the base? Give every right letter.' },
    {
      args: [],
      question: { id: 'q4', kind: 'text', accepted: ['the prompt', 'prompt', 'the question', 'question', 'the request', 'request', 'the user turn'] },
      hint: 'Lesson 04, Exercise 4.1: the loss counts the answer tokens only; what does it leave out?',
    },
    { args: [], question: { id: 'q5', kind: 'choice', options: letters, answer: 'b' }, hint: 'Lesson 07: the two recorded extract-fields runs, after 2,000 iterations.' },
    { args: [], question: { id: 'q6', kind: 'choice', options: letters, answer: 'c' }, hint: 'Lesson 08: the general perplexity after 150 steps on contracts.' },
  ],
};

const numbers: ExerciseSpec = {
  id: '10.2',
  title: "reading the course's numbers",
  points: 6,
  file: '10-review/numbers.ts',
  exports: ['numbers'],
  cases: [
    { args: [], question: { id: 'n1', kind: 'number', answer: 202_333 / 12_626 }, tolerance: 0.01, hint: 'The comparison table: tokens of the base corpus divided by tokens of the 294 conversations.' },
    { args: [], question: { id: 'n2', kind: 'number', answer: 78.2 - 39.5 }, tolerance: 0.01, hint: 'The observations table, lesson 07: 78.2% from the base against 39.5% from random weights, in points.' },
    { args: [], question: { id: 'n3', kind: 'number', answer: 7.2 }, tolerance: 0.03, hint: 'The comparison table: the adapters’ size over the base model’s, times 100.' },
  ],
};

export const LESSON_10_EXERCISES: readonly ExerciseSpec[] = [quiz, numbers];
