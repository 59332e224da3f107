/** A decision as text a learner reads in a notebook or a terminal. */
import type { Decision } from './decide';
import type { FineTuningMethod } from './rules';

/** How each fine-tuning method is written in prose. */
export const METHOD_NAMES: Readonly<Record<FineTuningMethod, string>> = {
  'continued-pretraining': 'continued pretraining',
  'classification-head': 'a classification head',
  'full-fine-tuning': 'full fine-tuning',
  qlora: 'QLoRA',
  lora: 'LoRA',
};

/**
 *   Recommendation: fine-tuning, with LoRA
 *   Why:
 *     1. repeated-structured-output: A repeated task with a fixed output format is …
 *     2. lora: LoRA freezes the base model and …
 *   Caveats:
 *     - Keep the few-shot prompt as the baseline: …
 */
export function formatDecision(decision: Decision): string {
  const headline =
    decision.recommendation === 'fine-tuning' && decision.method
      ? `Recommendation: fine-tuning, with ${METHOD_NAMES[decision.method]}`
      : `Recommendation: ${decision.recommendation}`;
  const lines = [headline, 'Why:'];
  decision.reasons.forEach((reason, i) => lines.push(...wrap(`${i + 1}. ${reason.rule}: ${reason.because}`, '  ', '     ')));
  if (decision.caveats.length > 0) {
    lines.push('Caveats:');
    for (const caveat of decision.caveats) lines.push(...wrap(`- ${caveat}`, '  ', '    '));
  }
  return lines.join('\n');
}

/** Breaks text into lines of at most `width` characters at spaces; later lines get `indent`. */
function wrap(text: string, firstIndent: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  for (const word of text.split(' ')) {
    const start = line === firstIndent || line === indent;
    if (!start && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (start ? '' : ' ') + word;
    }
  }
  lines.push(line);
  return lines;
}
