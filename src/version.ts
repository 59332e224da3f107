import * as fs from 'node:fs';
import * as path from 'node:path';

/** This package's version, read from its package.json. */
export const version: string = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();
