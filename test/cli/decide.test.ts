import { requireBuiltCli, runCli } from '../helpers/cli';

beforeAll(() => requireBuiltCli());

describe('llm-lab decide', () => {
  it.each([
    [['--repeated', '--structured', '--cost-sensitive'], /^Recommendation: fine-tuning, with LoRA/, /repeated-structured-output:/],
    [['--ad-hoc'], /^Recommendation: prompting/, /ad-hoc-task:/],
    [['--repeated', '--domain', '--labelled-examples', '5000'], /^Recommendation: fine-tuning, with continued pretraining/i, /domain-knowledge:/],
    [['--repeated', '--structured', '--labelled-examples', '20'], /^Recommendation: prompting/, /too-few-examples:/],
  ])('%j → the recommendation and its reasons', (flags, headline, reason) => {
    const { status, stdout } = runCli(['decide', ...flags]);
    expect(status).toBe(0);
    expect(stdout).toMatch(headline);
    expect(stdout).toMatch(reason);
  });

  it('prints JSON with --json', () => {
    const { status, stdout } = runCli(['decide', '--repeated', '--structured', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ recommendation: 'fine-tuning', method: 'lora' });
  });

  it('explains a contradictory description and exits 1', () => {
    const { status, stderr } = runCli(['decide', '--ad-hoc', '--repeated']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^llm-lab: .*adHoc and repeated are both true/);
  });

  it('rejects a bad number with a usage message (exit 2)', () => {
    const { status, stderr } = runCli(['decide', '--labelled-examples', 'many']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--labelled-examples.*'many' is invalid/);
  });
});
