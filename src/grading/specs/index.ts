/** The course's exercise specs (public cases), in lesson order. */
import type { ExerciseSpec } from '../spec';
import { UnknownExerciseError } from '../errors';
import { LESSON_01_EXERCISES } from './01-next-token-prediction';
import { LESSON_02_EXERCISES } from './02-inside-a-gpt';
import { LESSON_03_EXERCISES } from './03-what-a-base-model-does';
import { LESSON_04_EXERCISES } from './04-instruction-fine-tuning';
import { LESSON_05_EXERCISES } from './05-lora';
import { LESSON_06_EXERCISES } from './06-qlora';
import { LESSON_07_EXERCISES } from './07-does-pretraining-matter';
import { LESSON_08_EXERCISES } from './08-other-kinds-of-fine-tuning';
import { LESSON_09_EXERCISES } from './09-prompting-or-fine-tuning';
import { LESSON_10_EXERCISES } from './10-review';

export const COURSE_EXERCISES: readonly ExerciseSpec[] = [...LESSON_01_EXERCISES, ...LESSON_02_EXERCISES, ...LESSON_03_EXERCISES, ...LESSON_04_EXERCISES, ...LESSON_05_EXERCISES, ...LESSON_06_EXERCISES, ...LESSON_07_EXERCISES, ...LESSON_08_EXERCISES, ...LESSON_09_EXERCISES, ...LESSON_10_EXERCISES];

/** The spec of exercise `id` ("1.2"); throws `UnknownExerciseError` listing the ids there are. */
export function findExercise(id: string, exercises: readonly ExerciseSpec[] = COURSE_EXERCISES): ExerciseSpec {
  const spec = exercises.find((e) => e.id === id);
  if (!spec) throw new UnknownExerciseError(id, exercises.map((e) => e.id));
  return spec;
}
