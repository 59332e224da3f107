import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliResult, requireBuiltCli, runCli } from '../helpers/cli';
import { makeTempDir, syntheticText } from '../helpers/tiny-gpt';

let dir: string;
let corpus: string;
let out: string;
let pretrained: CliResult;

const quick = ['--preset', 'tiny', '--batch-size', '4', '--eval-interval', '3', '--eval-iters', '1'];
const readState = () => JSON.parse(fs.readFileSync(path.join(out, 'trainer-state.json'), 'utf8')) as { nextIter: number; steps: unknown[] };

beforeAll(() => {
  requireBuiltCli();
  dir = makeTempDir('cli');
  corpus = path.join(dir, 'corpus.txt');
  out = path.join(dir, 'run');
  fs.writeFileSync(corpus, syntheticText(200, 3));
  pretrained = runCli(['pretrain', '--corpus', corpus, '--out', out, '--iters', '6', ...quick]);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('llm-lab pretrain', () => {
  it('trains and writes a complete checkpoint', () => {
    expect(pretrained.stderr).not.toMatch(/^llm-lab:/m);
    expect(pretrained.status).toBe(0);
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'optimizer.safetensors', 'trainer-state.json']) {
      expect([file, fs.existsSync(path.join(out, file))]).toEqual([file, true]);
    }
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { nLayer: number; nEmbd: number };
    expect([config.nLayer, config.nEmbd]).toEqual([2, 32]); // the tiny preset
    expect(readState().nextIter).toBe(6);
  });

  it('--resume continues the saved run to more iterations', () => {
    const resumed = runCli(['pretrain', '--corpus', corpus, '--out', out, '--iters', '9', '--resume', ...quick]);
    expect(resumed.status).toBe(0);
    const state = readState();
    expect(state.nextIter).toBe(9);
    expect(state.steps).toHaveLength(9);
  });
});

describe('llm-lab sample', () => {
  const prompt = 'The cat ';
  const sample = (...extra: string[]) => runCli(['sample', '--checkpoint', out, '--prompt', prompt, ...extra]);

  it('prints the prompt and 20 new characters, the same for the same seed', () => {
    const first = sample('--tokens', '20', '--seed', '1');
    expect(first.status).toBe(0);
    expect(first.stdout.startsWith(prompt)).toBe(true);
    expect(first.stdout).toHaveLength(prompt.length + 20 + 1); // one character per token, then a newline
    expect(first.stdout.endsWith('\n')).toBe(true);
    expect(sample('--tokens', '20', '--seed', '1').stdout).toBe(first.stdout);
    expect(sample('--tokens', '20', '--seed', '2').stdout).not.toBe(first.stdout);
  });

  it('--top 5 prints five tokens with probabilities, most likely first', () => {
    const { status, stdout } = sample('--top', '5');
    expect(status).toBe(0);
    const rows = stdout.split('\n').filter((line) => /^\s+".*"\s+\d\.\d{4}/.test(line));
    expect(rows).toHaveLength(5);
    const probabilities = rows.map((line) => Number(/"\s+(\d\.\d{4})/.exec(line)![1]));
    for (let i = 1; i < 5; i++) expect(probabilities[i]!).toBeLessThanOrEqual(probabilities[i - 1]!);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0001);
  });

  it('fails with exit code 1 and a one-line message naming a missing checkpoint', () => {
    const missing = path.join(dir, 'no-such-run');
    const { status, stderr } = runCli(['sample', '--checkpoint', missing, '--prompt', prompt]);
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^llm-lab: /);
    expect(lines[0]).toContain(missing);
  });

  it('fails with exit code 1 and a message naming a missing corpus', () => {
    const missing = path.join(dir, 'no-such-corpus.txt');
    const { status, stderr } = runCli(['pretrain', '--corpus', missing, '--out', path.join(dir, 'unused')]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^llm-lab: .*no-such-corpus\.txt/m);
  });
});
