/**
 * Instruction tuning: turning conversations into what a GPT trains on.
 *
 * A pretrained model only continues text. To make it answer requests, we train it further on
 * conversations written out in one fixed format, the chat template, where special markers
 * say who speaks and where a turn ends:
 *
 *     <|user|>
 *     What is NLP?<|end|>
 *     <|assistant|>
 *     NLP is a field of AI that processes human language.<|end|>
 *
 * At inference we write the user's turn and `<|assistant|>` and let the model continue: it
 * has learned that what follows is an answer, and that `<|end|>` closes it (so we know when
 * to stop sampling).
 *
 * Training is next-token prediction on that text, with one change: the loss counts only the
 * positions whose next token belongs to the answer (the assistant's content and its end
 * marker). The prompt is there as context, but the model is not taught to predict the
 * user's words — it will never have to write them. That per-position 0/1 weight is the
 * loss mask; `GPT.loss(inputs, targets, { lossMask })` averages over the 1s only.
 *
 * Tokenizers: train a `BpeTokenizer` with `specialTokens: CHAT_SPECIAL_TOKENS`, so each
 * marker is one token that no ordinary text can produce. A `CharTokenizer` works too if it
 * was built from formatted conversations (so `<`, `|`, `>` and the letters are in its
 * vocabulary); each marker is then several tokens.
 */
import { type ChatMessage, type ChatRole, type Conversation, ConversationError } from '../data';
import { conversationProblem } from '../data/instructions';
import { type Tokenizer, UnknownCharacterError } from '../tokenizer';

/** The markers of the chat template: one before each turn (by role), one after it. */
export const CHAT_MARKERS = {
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  end: '<|end|>',
} as const;

/** The markers as a list, to pass to `BpeTokenizer.train(text, { specialTokens })`. */
export const CHAT_SPECIAL_TOKENS: readonly string[] = Object.freeze(Object.values(CHAT_MARKERS));

/** The tokenizer cannot carry the template, or a message would break it. */
export class ChatTemplateError extends Error {
  override readonly name = 'ChatTemplateError';
}

/** The prompt of an example does not leave room for a single answer token in `blockSize`. */
export class PromptTooLongError extends Error {
  override readonly name = 'PromptTooLongError';

  constructor(
    /** Tokens before the first answer token (system and user turns, role markers). */
    readonly promptTokens: number,
    readonly blockSize: number,
    where: string,
  ) {
    super(
      `${where}the prompt is ${promptTokens} tokens, but a training window holds blockSize = ` +
        `${blockSize} inputs, so not one token of the answer would be predicted in it. Shorten ` +
        'the system message or the user turn, leave this example out, or use a model with a ' +
        'larger blockSize.',
    );
  }
}

/** A stretch of formatted text, and whether its tokens are answer tokens (counted in the loss). */
interface TemplatePiece {
  readonly text: string;
  readonly isResponse: boolean;
}

/** The header of a turn: its role marker and a newline. */
function turnHeader(role: ChatRole): TemplatePiece {
  return { text: `${CHAT_MARKERS[role]}\n`, isResponse: false };
}

/**
 * The conversation as template pieces. Formatting joins their text; encoding encodes each
 * piece on its own and joins the ids, so the answer's tokens are known exactly (encoding the
 * whole text at once could merge a token across the boundary of an answer).
 */
function templatePieces(messages: readonly ChatMessage[]): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  messages.forEach(({ role, content }, i) => {
    if (i > 0) pieces.push({ text: '\n', isResponse: false });
    pieces.push(turnHeader(role));
    // The answer is the assistant's words and the marker that ends them: the model must
    // learn to stop, or it will ramble on into a made-up next turn.
    const isResponse = role === 'assistant';
    pieces.push({ text: content, isResponse }, { text: CHAT_MARKERS.end, isResponse });
  });
  return pieces;
}

/** The pieces of a prompt: the conversation so far, then the header of the assistant's turn. */
function promptPieces(messages: readonly ChatMessage[]): TemplatePiece[] {
  return [...templatePieces(messages), { text: '\n', isResponse: false }, turnHeader('assistant')];
}

/** A conversation (ending with the assistant's answer) written in the chat template. */
export function formatConversation(conversation: Conversation): string {
  checkTemplateConversation(conversation, 'assistant');
  return templatePieces(conversation.messages).map((piece) => piece.text).join('');
}

/**
 * The text a model continues to answer: the conversation so far (ending with the user's
 * turn) and the header of the assistant's turn, `<|assistant|>\n`.
 */
export function formatPrompt(conversation: Conversation): string {
  checkTemplateConversation(conversation, 'user');
  return promptPieces(conversation.messages).map((piece) => piece.text).join('');
}

/**
 * The token ids of `formatPrompt(conversation)`, encoded the way `encodeForTraining`
 * encodes a conversation, so the model sees at inference exactly the tokens it trained on.
 */
export function encodePrompt(conversation: Conversation, tokenizer: Tokenizer): number[] {
  checkTemplateConversation(conversation, 'user');
  checkTokenizer(tokenizer);
  return encodePieces(promptPieces(conversation.messages), tokenizer, conversation).ids;
}

/**
 * The answer in a model's generated text: everything before the first `<|end|>` (all of it
 * when the model never closed its turn).
 */
export function responseText(generated: string): string {
  const end = generated.indexOf(CHAT_MARKERS.end);
  return end === -1 ? generated : generated.slice(0, end);
}

/** Options of `encodeForTraining`. */
export interface EncodeForTrainingOptions {
  /** The model's context length: every example becomes exactly this many positions. */
  readonly blockSize: number;
  /**
   * Count only the answer in the loss (1 on positions whose target is an answer token, 0
   * elsewhere). With `false`, every real position counts, prompt included: training on the
   * whole text, as in pretraining.
   * @default true
   */
  readonly maskPrompt?: boolean;
}

/** One conversation as a training example: `blockSize` positions, row-major like a `Batch` row. */
export interface EncodedExample {
  /** Token ids, (blockSize). Positions after `length` are padding (id 0). */
  readonly inputs: Int32Array;
  /** The next token after each input position, (blockSize); padding is 0. */
  readonly targets: Int32Array;
  /** 1 where the loss counts the position, 0 where it does not (prompt, padding), (blockSize). */
  readonly lossMask: Float32Array;
  /** How many positions hold real tokens; the rest are padding. */
  readonly length: number;
  /** How many positions the loss counts: the sum of `lossMask`. */
  readonly countedPositions: number;
  /** Whether the conversation was longer than blockSize + 1 tokens and its end was cut off. */
  readonly truncated: boolean;
}

/**
 * Encodes a conversation for instruction tuning: inputs, targets and the loss mask, each
 * `blockSize` long (see the file comment for what the mask covers).
 *
 * A conversation of n tokens gives n − 1 (input, target) positions. Longer than blockSize,
 * it is cut at the end (`truncated`); shorter, the rest is padding with mask 0, which the
 * causal attention keeps from affecting the real positions before it. Throws a
 * `PromptTooLongError` when not one answer token fits, a `ChatTemplateError` when the
 * tokenizer cannot encode the markers or a message contains one, and a `ConversationError`
 * when the turns are out of order or a message is blank.
 */
export function encodeForTraining(
  conversation: Conversation,
  tokenizer: Tokenizer,
  options: EncodeForTrainingOptions,
): EncodedExample {
  const { blockSize, maskPrompt = true } = options;
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new RangeError(`encodeForTraining: blockSize must be a positive integer, got ${blockSize}.`);
  }
  checkTemplateConversation(conversation, 'assistant');
  checkTokenizer(tokenizer);
  const { ids, isResponse } = encodePieces(templatePieces(conversation.messages), tokenizer, conversation);

  const firstAnswerToken = isResponse.indexOf(true);
  if (firstAnswerToken === -1) {
    throw new ChatTemplateError(`${whereOf(conversation)}the answer and its end marker encode to no tokens at all; check the tokenizer.`);
  }
  // The answer token at index f is the target of position f − 1, which must be < blockSize.
  if (firstAnswerToken > blockSize) {
    throw new PromptTooLongError(firstAnswerToken, blockSize, whereOf(conversation));
  }
  const length = Math.min(ids.length - 1, blockSize);
  const inputs = new Int32Array(blockSize);
  const targets = new Int32Array(blockSize);
  const lossMask = new Float32Array(blockSize);
  let countedPositions = 0;
  for (let t = 0; t < length; t++) {
    inputs[t] = ids[t]!;
    targets[t] = ids[t + 1]!;
    // The mask belongs to the target: position t counts when the token it predicts is part
    // of the answer.
    if (!maskPrompt || isResponse[t + 1]) {
      lossMask[t] = 1;
      countedPositions += 1;
    }
  }
  return { inputs, targets, lossMask, length, countedPositions, truncated: ids.length - 1 > blockSize };
}

function encodePieces(
  pieces: readonly TemplatePiece[],
  tokenizer: Tokenizer,
  conversation: Conversation,
): { ids: number[]; isResponse: boolean[] } {
  const ids: number[] = [];
  const isResponse: boolean[] = [];
  for (const piece of pieces) {
    let pieceIds: number[];
    try {
      pieceIds = tokenizer.encode(piece.text);
    } catch (error) {
      if (error instanceof UnknownCharacterError) {
        throw new ChatTemplateError(
          `${whereOf(conversation)}the tokenizer cannot encode ${JSON.stringify(piece.text)}: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    for (const id of pieceIds) {
      ids.push(id);
      isResponse.push(piece.isResponse);
    }
  }
  return { ids, isResponse };
}

/**
 * The tokenizer must be able to write every marker. A BPE tokenizer must have them as
 * special tokens: as plain text they would take several tokens each, and a user could type
 * one in a message and fake the end of a turn.
 */
function checkTokenizer(tokenizer: Tokenizer): void {
  const specialTokens = (tokenizer as { specialTokens?: readonly string[] }).specialTokens;
  if (tokenizer.kind === 'bpe' && Array.isArray(specialTokens)) {
    const missing = CHAT_SPECIAL_TOKENS.filter((marker) => !specialTokens.includes(marker));
    if (missing.length > 0) {
      throw new ChatTemplateError(
        `This BPE tokenizer has no special token for ${missing.join(', ')}. Train it with the chat ` +
          'markers as special tokens, so that each is one token: ' +
          'BpeTokenizer.train(text, { vocabSize, specialTokens: CHAT_SPECIAL_TOKENS }).',
      );
    }
  }
  for (const marker of CHAT_SPECIAL_TOKENS) {
    try {
      tokenizer.encode(marker);
    } catch (error) {
      if (!(error instanceof UnknownCharacterError)) throw error;
      throw new ChatTemplateError(
        `The ${tokenizer.kind} tokenizer cannot encode the chat marker ${marker}: ${error.message} ` +
          'Build a CharTokenizer from formatted conversations ' +
          '(CharTokenizer.fromText(conversations.map(formatConversation).join("\\n"))), or better, ' +
          'train a BpeTokenizer with specialTokens: CHAT_SPECIAL_TOKENS.',
        { cause: error },
      );
    }
  }
}

/** The turn-order rules of `Conversation` (`ConversationError`), and no marker inside a message. */
function checkTemplateConversation(conversation: Conversation, lastRole: 'assistant' | 'user'): void {
  const where = whereOf(conversation);
  const problem = conversationProblem(conversation.messages, lastRole);
  if (problem) throw new ConversationError(`${where}${problem.field}: ${problem.message}`);
  conversation.messages.forEach(({ content }, i) => {
    // The marker that comes first in the text, when there are several.
    const found = CHAT_SPECIAL_TOKENS.filter((m) => content.includes(m));
    const marker = found.sort((a, b) => content.indexOf(a) - content.indexOf(b))[0];
    if (marker !== undefined) {
      throw new ChatTemplateError(
        `${where}messages[${i}].content contains the chat marker ${marker}. Inside a message it ` +
          'would be read as part of the template (a turn that ends early, or a fake new turn). ' +
          'Remove it from the text.',
      );
    }
  });
}

function whereOf(conversation: Conversation): string {
  return conversation.source ? `${conversation.source}: ` : '';
}
