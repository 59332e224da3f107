/** jest-junit ships no types: the grader uses its reporter class (see junit.ts for the shape). */
declare module 'jest-junit' {
  const JestJUnit: unknown;
  export = JestJUnit;
}
