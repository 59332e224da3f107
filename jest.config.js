/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  setupFiles: ['<rootDir>/test/setup-env.js'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // The Markdown parser the lesson builder uses is ES modules only, which jest (before
    // Node 24.9) cannot require: it compiles those packages to CommonJS instead.
    '/node_modules/.+\\.js$': ['@swc/jest'],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(?:mdast-util-[^/]+|micromark[^/]*|unist-util-[^/]+|decode-named-character-reference|character-entities|devlop|escape-string-regexp|longest-streak|zwitch|fault)/)',
  ],
  // Training tests do real tensor work; the default 5 s is too tight on a 2-core machine.
  testTimeout: 120000,
};
