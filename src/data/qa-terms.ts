/**
 * `qa-terms`: questions about terms of language technology and AI, each answered with the
 * term's one-sentence definition, in chat format:
 *
 *     user:      What is NLP?
 *     assistant: NLP is a field of AI that processes human language.
 *
 * The glossary below was written for this project. Every term has one answer, its
 * definition, and is asked about with several question templates (paraphrases). The split
 * measures two different things:
 *
 * - seen terms, unseen wording: the training set asks about each seen term with the six
 *   `QA_TRAIN_TEMPLATES`; the test set asks about the same terms with the two
 *   `QA_HELD_OUT_TEMPLATES`, whose wording never occurs in training. A model that answers them
 *   has learned the request, not the exact string.
 * - unseen terms: the terms marked `heldOut` appear only in the test set (asked with the
 *   first training template and both held-out ones). No model can know their definition
 *   from this data; what it can learn is the form of the answer ("X is …").
 */
import { SeededRandom } from '../util/random';
import { shuffleInPlace } from './shuffle';

/** One glossary entry. */
export interface GlossaryTerm {
  /** The term on its own, as in "Define embedding.". */
  readonly name: string;
  /** The term as a noun phrase, as in "What is an embedding?". */
  readonly phrase: string;
  /** The answer: one sentence starting with the phrase. */
  readonly definition: string;
  /** Only in the test set: a term the model never sees in training. @default false */
  readonly heldOut?: boolean;
}

/** The terms, written for LLM Lab: 49 seen in training and 6 held out. */
export const AI_GLOSSARY: readonly GlossaryTerm[] = [
  { name: 'NLP', phrase: 'NLP', definition: 'NLP is a field of AI that processes human language.' },
  { name: 'tokenization', phrase: 'tokenization', definition: 'Tokenization is splitting text into tokens that a model can read.' },
  { name: 'token', phrase: 'a token', definition: 'A token is a piece of text, such as a word, part of a word or a character.' },
  { name: 'vocabulary', phrase: 'a vocabulary', definition: 'A vocabulary is the fixed set of tokens a tokenizer can produce.' },
  { name: 'embedding', phrase: 'an embedding', definition: 'An embedding is a vector of numbers that represents a token.' },
  { name: 'attention', phrase: 'attention', definition: 'Attention is a way for each token to gather information from other tokens.' },
  { name: 'self-attention', phrase: 'self-attention', definition: 'Self-attention is attention in which the tokens of a sequence look at each other.' },
  { name: 'transformer', phrase: 'a transformer', definition: 'A transformer is a neural network built from attention and feed-forward layers.' },
  { name: 'language model', phrase: 'a language model', definition: 'A language model is a model that predicts the next token of a text.' },
  { name: 'LLM', phrase: 'an LLM', definition: 'An LLM is a large language model with billions of parameters trained on a huge amount of text.' },
  { name: 'GPT', phrase: 'GPT', definition: 'GPT is a family of transformer language models that write text one token at a time.' },
  { name: 'next-token prediction', phrase: 'next-token prediction', definition: 'Next-token prediction is the task of guessing which token comes next in a text.' },
  { name: 'pretraining', phrase: 'pretraining', definition: 'Pretraining is training a model on a large amount of raw text to predict the next token.' },
  { name: 'fine-tuning', phrase: 'fine-tuning', definition: 'Fine-tuning is further training a pretrained model on a smaller dataset for a task.' },
  { name: 'instruction tuning', phrase: 'instruction tuning', definition: 'Instruction tuning is fine-tuning a model on requests paired with good answers.' },
  { name: 'LoRA', phrase: 'LoRA', definition: 'LoRA is a fine-tuning method that trains small low-rank matrices added to frozen weights.' },
  { name: 'QLoRA', phrase: 'QLoRA', definition: 'QLoRA is LoRA on top of a base model whose weights are quantized to 4 bits.' },
  { name: 'quantization', phrase: 'quantization', definition: 'Quantization is storing weights with fewer bits to save memory.' },
  { name: 'perplexity', phrase: 'perplexity', definition: 'Perplexity is the exponential of the average loss, a measure of how surprised a model is.' },
  { name: 'cross-entropy', phrase: 'cross-entropy', definition: 'Cross-entropy is the loss that measures how little probability a model gives the right token.' },
  { name: 'softmax', phrase: 'softmax', definition: 'Softmax is a function that turns a list of scores into probabilities that sum to one.' },
  { name: 'logit', phrase: 'a logit', definition: 'A logit is the raw score a model gives a token before the softmax.' },
  { name: 'gradient descent', phrase: 'gradient descent', definition: 'Gradient descent is lowering the loss by moving the weights against the gradient.' },
  { name: 'backpropagation', phrase: 'backpropagation', definition: 'Backpropagation is the algorithm that computes the gradient of the loss for every weight.' },
  { name: 'learning rate', phrase: 'the learning rate', definition: 'The learning rate is the size of the steps an optimizer takes.' },
  { name: 'overfitting', phrase: 'overfitting', definition: 'Overfitting is when a model memorizes its training data and does worse on new data.' },
  { name: 'validation set', phrase: 'a validation set', definition: 'A validation set is held-out data used to measure a model during training.' },
  { name: 'batch', phrase: 'a batch', definition: 'A batch is a group of examples processed together in one training step.' },
  { name: 'epoch', phrase: 'an epoch', definition: 'An epoch is one full pass over the training data.' },
  { name: 'context window', phrase: 'a context window', definition: 'A context window is the largest number of tokens a model can see at once.' },
  { name: 'temperature', phrase: 'temperature', definition: 'Temperature is a number that makes sampling more random when high and more certain when low.' },
  { name: 'top-k sampling', phrase: 'top-k sampling', definition: 'Top-k sampling is drawing the next token from only the k most likely tokens.' },
  { name: 'top-p sampling', phrase: 'top-p sampling', definition: 'Top-p sampling is drawing from the smallest set of tokens whose probabilities add up to p.' },
  { name: 'greedy decoding', phrase: 'greedy decoding', definition: 'Greedy decoding is always choosing the most likely next token.' },
  { name: 'BPE', phrase: 'BPE', definition: 'BPE is byte-pair encoding, a tokenizer that merges frequent pairs of symbols into new tokens.' },
  { name: 'positional embedding', phrase: 'a positional embedding', definition: 'A positional embedding is a vector that tells the model where a token is in the sequence.' },
  { name: 'layer normalization', phrase: 'layer normalization', definition: 'Layer normalization is rescaling the numbers of each token to a mean of zero and a variance of one.' },
  { name: 'residual connection', phrase: 'a residual connection', definition: 'A residual connection is adding the input of a layer to its output so signals flow through deep networks.' },
  { name: 'dropout', phrase: 'dropout', definition: 'Dropout is setting random activations to zero during training to reduce overfitting.' },
  { name: 'weight decay', phrase: 'weight decay', definition: 'Weight decay is shrinking the weights a little at every step to keep them small.' },
  { name: 'prompt', phrase: 'a prompt', definition: 'A prompt is the text given to a model for it to continue or answer.' },
  { name: 'few-shot prompting', phrase: 'few-shot prompting', definition: 'Few-shot prompting is showing a model a few solved examples in the prompt.' },
  { name: 'hallucination', phrase: 'a hallucination', definition: 'A hallucination is a fluent answer from a model that is not true.' },
  { name: 'chat template', phrase: 'a chat template', definition: 'A chat template is the fixed format that marks who is speaking in a conversation.' },
  { name: 'loss mask', phrase: 'a loss mask', definition: 'A loss mask is a list of weights that decides which tokens count in the loss.' },
  { name: 'parameter', phrase: 'a parameter', definition: 'A parameter is a number inside a model that training adjusts.' },
  { name: 'hidden state', phrase: 'a hidden state', definition: 'A hidden state is the vector a model computes for a token between its layers.' },
  { name: 'sentiment analysis', phrase: 'sentiment analysis', definition: 'Sentiment analysis is finding whether a text expresses a positive or a negative feeling.' },
  { name: 'classification head', phrase: 'a classification head', definition: "A classification head is a small layer that maps a model's hidden state to class scores." },
  { name: 'AdamW', phrase: 'AdamW', definition: 'AdamW is an optimizer that adapts the step of each weight and applies weight decay separately.', heldOut: true },
  { name: 'checkpoint', phrase: 'a checkpoint', definition: "A checkpoint is a saved copy of a model's weights during or after training.", heldOut: true },
  { name: 'beam search', phrase: 'beam search', definition: 'Beam search is decoding that keeps several of the most likely partial texts at each step.', heldOut: true },
  { name: 'stop word', phrase: 'a stop word', definition: 'A stop word is a very common word, like of or the, that text analysis often ignores.', heldOut: true },
  { name: 'RLHF', phrase: 'RLHF', definition: 'RLHF is reinforcement learning from human feedback, which trains a model toward answers people prefer.', heldOut: true },
  { name: 'distillation', phrase: 'distillation', definition: 'Distillation is training a small model to copy the outputs of a larger one.', heldOut: true },
];

/** A question template: `{name}` and `{phrase}` are replaced by the term's. */
export type QuestionTemplate = string;

/** The wordings of the training questions. */
export const QA_TRAIN_TEMPLATES: readonly QuestionTemplate[] = [
  'What is {phrase}?',
  'What does {name} mean?',
  'Define {name}.',
  'Can you explain what {phrase} is?',
  'Give a short definition of {name}.',
  'In AI, what is {phrase}?',
];

/** Wordings that only the test set uses. */
export const QA_HELD_OUT_TEMPLATES: readonly QuestionTemplate[] = [
  'Explain {name} in one sentence.',
  'What is meant by {name}?',
];

/** A question and its answer. */
export interface QuestionAnswer {
  readonly question: string;
  readonly answer: string;
}

/** The template filled in with a term: `'Define {name}.'` → `'Define embedding.'`. */
export function askAbout(template: QuestionTemplate, term: GlossaryTerm): string {
  return template.replaceAll('{name}', term.name).replaceAll('{phrase}', term.phrase);
}

/**
 * The question–answer pairs of both splits (see the file comment for how they are split),
 * each split shuffled by `seed`.
 */
export function generateQaTerms(seed: number): { readonly train: QuestionAnswer[]; readonly test: QuestionAnswer[] } {
  const train: QuestionAnswer[] = [];
  const test: QuestionAnswer[] = [];
  for (const term of AI_GLOSSARY) {
    const pair = (template: QuestionTemplate): QuestionAnswer => ({ question: askAbout(template, term), answer: term.definition });
    if (term.heldOut) {
      test.push(pair(QA_TRAIN_TEMPLATES[0]!), ...QA_HELD_OUT_TEMPLATES.map(pair));
    } else {
      train.push(...QA_TRAIN_TEMPLATES.map(pair));
      test.push(...QA_HELD_OUT_TEMPLATES.map(pair));
    }
  }
  const rng = new SeededRandom(seed);
  return { train: shuffleInPlace(train, rng), test: shuffleInPlace(test, rng) };
}
