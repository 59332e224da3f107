/** The shipped base corpus is exactly what its generator writes. */
import * as fs from 'node:fs';
import { baseCorpusPath, generateBaseCorpus } from '../../src/data';

it('data/base-corpus.txt is generateBaseCorpus(), byte for byte', () => {
  expect(fs.readFileSync(baseCorpusPath, 'utf8') === generateBaseCorpus()).toBe(true);
});
