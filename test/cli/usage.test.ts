import { requireBuiltCli, runCli } from '../helpers/cli';

beforeAll(() => {
  requireBuiltCli();
});

describe('llm-lab usage errors', () => {
  it.each([
    ['a missing --corpus', ['pretrain', '--out', 'x'], "required option '--corpus <file>' not specified"],
    ['a negative --iters', ['pretrain', '--corpus', 'c.txt', '--out', 'x', '--iters', '-3'], "'-3' is invalid. expected a whole number > 0"],
    ['a fractional --tokens', ['sample', '--checkpoint', 'x', '--prompt', 'a', '--tokens', '2.5'], "'2.5' is invalid. expected a whole number ≥ 0"],
    ['a --top-p above 1', ['sample', '--checkpoint', 'x', '--prompt', 'a', '--top-p', '2'], "'2' is invalid. expected a probability in (0, 1]"],
    ['an unknown preset', ['pretrain', '--corpus', 'c.txt', '--out', 'x', '--preset', 'huge'], "argument 'huge' is invalid. Allowed choices are tiny, baby, small"],
    ['an unknown option', ['pretrain', '--corpus', 'c.txt', '--out', 'x', '--bogus'], "unknown option '--bogus'"],
    ['an unknown command', ['fly'], "unknown command 'fly'"],
  ])('%s: exit code 2, says what is wrong and points to --help', (_, args, problem) => {
    const { status, stdout, stderr } = runCli(args);
    expect(status).toBe(2);
    expect(stderr).toContain(problem);
    expect(stderr).toContain('--help');
    expect(stdout).toBe('');
  });

  it('--help lists the commands and exits 0', () => {
    const { status, stdout } = runCli(['--help']);
    expect(status).toBe(0);
    for (const command of ['doctor', 'pretrain', 'sample']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });
});
