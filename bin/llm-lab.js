#!/usr/bin/env node
'use strict';
// The `llm-lab` command. The code lives in dist/ (built from src/ by `npm install`).
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main')) {
    console.error('llm-lab is not built yet: run `npm install` (or `npm run build`) in the project folder first.');
    process.exit(1);
  }
  throw error;
}
cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exitCode = 1;
  },
);
