/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Training tests do real tensor work; the default 5 s is too tight on a 2-core machine.
  testTimeout: 120000,
};
