/**
 * Evaluating a model on held-out requests: ask, read the answer, score it.
 *
 * Two ways to ask. A tuned model gets the request in the chat template and answers until it
 * writes `<|end|>` (`answerRequest`). A base model has never seen the template; the fair way
 * to ask it is a few-shot prompt — worked examples as plain text, then the request — and to
 * read its continuation up to the end of the line (`fewShotAnswer`). Scoring is the same for
 * both: exact match, the share of `key=value` fields right, and word-overlap F1.
 */
import type { ChatMessage, Conversation } from '../data';
import { parseFieldList } from '../data/extract-fields';
import { assembleFewShotPrompt, type FewShotExample } from '../decide/few-shot';
import { generate } from '../generate';
import type { GPT } from '../model';
import type { Tokenizer } from '../tokenizer';
import { exactMatch } from './answer-metrics';
import { CHAT_MARKERS, encodePrompt, responseText } from './instruct';

export interface AnswerOptions {
  /** The longest answer, in tokens. @default 64 */
  readonly maxNewTokens?: number;
}

/** A conversation's request (every turn before the last answer) and that answer. */
export function splitRequest(conversation: Conversation): { readonly request: Conversation; readonly reference: string } {
  const last = conversation.messages[conversation.messages.length - 1];
  if (!last || last.role !== 'assistant') {
    throw new RangeError('A held-out conversation must end with the assistant\'s answer (the reference to score against).');
  }
  return { request: { messages: conversation.messages.slice(0, -1) }, reference: last.content };
}

/** The model's answer to a request in the chat template, greedy, cut at `<|end|>`. */
export function answerRequest(model: GPT, tokenizer: Tokenizer, request: Conversation | string, options: AnswerOptions = {}): string {
  const conversation: Conversation = typeof request === 'string' ? { messages: [{ role: 'user', content: request }] } : request;
  const promptIds = encodePrompt(conversation, tokenizer);
  const endIds = tokenizer.encode(CHAT_MARKERS.end);
  const ids = generate(model, promptIds, {
    maxNewTokens: options.maxNewTokens ?? 64,
    greedy: true,
    stopToken: endIds.length === 1 ? endIds[0] : undefined,
  });
  return responseText(tokenizer.decode(ids)).trim();
}

/** The few-shot prompt for a base model: `shots` worked examples, then the request. */
export function fewShotPrompt(examples: readonly Conversation[], request: Conversation): string {
  const asExample = (c: Conversation): FewShotExample => {
    const { request: r, reference } = splitRequest(c);
    return { input: userText(r.messages), output: reference };
  };
  return assembleFewShotPrompt({ instruction: '', examples: examples.map(asExample), query: userText(request.messages) });
}

/**
 * A base model's answer to a request, prompted with as many of `examples` (up to `shots`)
 * as fit in its context with room for the answer; its continuation up to the end of the line.
 */
export function fewShotAnswer(
  model: GPT,
  tokenizer: Tokenizer,
  examples: readonly Conversation[],
  request: Conversation,
  options: AnswerOptions & { readonly shots?: number } = {},
): { readonly answer: string; readonly shots: number; readonly promptTokens: number } {
  const maxNewTokens = options.maxNewTokens ?? 64;
  // Drop worked examples until the prompt leaves room for a short answer; keep at least one
  // if it fits at all (past blockSize the window slides and the oldest tokens fall out).
  const room = model.config.blockSize - Math.min(maxNewTokens, 16);
  let shots = Math.min(options.shots ?? 3, examples.length);
  let ids = tokenizer.encode(fewShotPrompt(examples.slice(0, shots), request));
  while (shots > 1 && ids.length > room) {
    shots -= 1;
    ids = tokenizer.encode(fewShotPrompt(examples.slice(0, shots), request));
  }
  if (ids.length >= model.config.blockSize) {
    shots = 0;
    ids = tokenizer.encode(fewShotPrompt([], request));
  }
  const newline = tokenizer.encode('\n');
  const generated = generate(model, ids, { maxNewTokens, greedy: true, stopToken: newline.length === 1 ? newline[0] : undefined });
  const text = tokenizer.decode(generated);
  const lineEnd = text.indexOf('\n');
  return { answer: (lineEnd === -1 ? text : text.slice(0, lineEnd)).trim(), shots, promptTokens: ids.length };
}

/** How one answer scores against its reference. */
export interface AnswerScore {
  readonly exact: boolean;
  /** Share of the reference's `key=value` fields the answer has right (0 when it has none). */
  readonly fields: number;
  /** Word-overlap F1 (SQuAD's): 2·P·R/(P+R) over lower-cased words. */
  readonly f1: number;
}

export function scoreAnswer(answer: string, reference: string): AnswerScore {
  const wanted = parseFieldList(reference);
  const got = parseFieldList(answer);
  let right = 0;
  for (const [key, value] of wanted) if (got.get(key) === value) right += 1;
  return { exact: exactMatch(answer, reference), fields: wanted.size === 0 ? 0 : right / wanted.size, f1: wordF1(answer, reference) };
}

/** Word-overlap F1 between two texts, as SQuAD scores free-form answers. */
export function wordF1(prediction: string, reference: string): number {
  const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const predicted = words(prediction);
  const wanted = words(reference);
  if (predicted.length === 0 || wanted.length === 0) return predicted.length === wanted.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of wanted) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of predicted) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(w, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

/** One held-out request, the answer given, and its score. */
export interface EvaluatedAnswer extends AnswerScore {
  readonly request: string;
  readonly reference: string;
  readonly answer: string;
  /** Tokens of the prompt the model read for it, as asked (chat template, or worked examples and request): what a query costs to read. */
  readonly promptTokens: number;
}

export interface AnswerEvaluation {
  readonly rows: readonly EvaluatedAnswer[];
  /** Share of exact answers. */
  readonly exactMatch: number;
  /** Mean share of fields right. */
  readonly fieldAccuracy: number;
  /** Mean word F1. */
  readonly f1: number;
}

export interface EvaluateAnswersOptions extends AnswerOptions {
  /**
   * `chat`: ask in the chat template (a tuned model). `few-shot`: ask with worked examples
   * from `examples` (a base model). @default 'chat'
   */
  readonly prompting?: 'chat' | 'few-shot';
  /** Worked examples for few-shot prompting (from the training split, never the test). */
  readonly examples?: readonly Conversation[];
  /** Most worked examples per prompt (fewer if the context is too short). @default 3 */
  readonly shots?: number;
  /** Called after each answer (progress). */
  readonly onAnswer?: (done: number, total: number) => void;
}

/** Asks the model every held-out request and scores the answers. */
export function evaluateAnswers(
  model: GPT,
  tokenizer: Tokenizer,
  conversations: readonly Conversation[],
  options: EvaluateAnswersOptions = {},
): AnswerEvaluation {
  if (options.prompting === 'few-shot' && !(options.examples && options.examples.length > 0)) {
    throw new RangeError('evaluateAnswers: few-shot prompting needs worked examples (options.examples, from the training split).');
  }
  const rows = conversations.map((conversation, i): EvaluatedAnswer => {
    const { request, reference } = splitRequest(conversation);
    const { answer, promptTokens } =
      options.prompting === 'few-shot'
        ? fewShotAnswer(model, tokenizer, options.examples!, request, options)
        : { answer: answerRequest(model, tokenizer, request, options), promptTokens: encodePrompt(request, tokenizer).length };
    options.onAnswer?.(i + 1, conversations.length);
    return { request: userText(request.messages), reference, answer, promptTokens, ...scoreAnswer(answer, reference) };
  });
  const mean = (pick: (r: EvaluatedAnswer) => number): number => (rows.length === 0 ? NaN : rows.reduce((s, r) => s + pick(r), 0) / rows.length);
  return { rows, exactMatch: mean((r) => (r.exact ? 1 : 0)), fieldAccuracy: mean((r) => r.fields), f1: mean((r) => r.f1) };
}

function userText(messages: readonly ChatMessage[]): string {
  return messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}
