// @ts-check
const eslint = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'runs/', 'scratch/', '.venv/', 'test-results/', 'bench/results/', 'test/fixtures/grading/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A learner's stub keeps the parameters it will use once the exercise is done.
    files: ['exercises/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  // A solution file returns before the stub's line, which its exercise file keeps (src/grading/authoring.ts).
  { files: ['solutions/**/*.ts'], rules: { 'no-unreachable': 'off' } },
);
