/**
 * LLM Lab: build, pretrain and fine-tune small language models in TypeScript.
 *
 * The toolkit, one group per concept (data flows top to bottom):
 */
export * from './backend'; //   which engine runs the tensors
export * from './tokenizer'; // text ⇄ token ids
export * from './data'; //      corpora, the synthetic grammar, batches
export * from './model'; //     the GPT, its config and checkpoints
export * from './train'; //     AdamW, the LR schedule, the training loop
export * from './generate'; //  next-token odds and sampling
export * from './finetune'; //  LoRA, quantization, QLoRA
export * from './recorded'; //  runs longer than a lesson, shipped with the course
export * from './decide'; //    prompting or fine-tuning: the decision table and its cost model
export * from './notebook'; //  plots, live training charts, tables, the environment check
export * from './grading'; //   exercise specs, check() in notebooks, the CI grader
export * from './util'; //      seeded randomness
export { version } from './version';

/** TensorFlow.js as the toolkit uses it (gradients registered), for your own tensor code. */
export * as tf from './tf';
