/**
 * Instruction datasets: examples of a request and the answer a model should give, the data
 * of instruction tuning. They come in two common JSONL formats, and both are read into one
 * `Conversation` type, so everything downstream (the chat template, the loss mask) handles
 * one shape.
 *
 * Alpaca style, one request and one answer, with an optional input the request is about:
 *
 *     {"instruction": "Extract the order details.", "input": "Maria ordered 3 mugs ...", "output": "name=Maria; ..."}
 *
 * Chat style, a list of turns, as chat models are trained:
 *
 *     {"messages": [{"role": "system", "content": "..."}, {"role": "user", "content": "..."},
 *                   {"role": "assistant", "content": "..."}]}
 *
 * An Alpaca record becomes a user turn (the instruction, then a blank line and the input if
 * there is one) and an assistant turn (the output).
 */
import { JsonlError, type JsonlRecord, describeJsonValue, parseJsonl, readJsonl, recordFields, rejectUnknownFields, requireText } from './jsonl';

/** Who speaks a turn: the system sets the scene, the user asks, the assistant answers. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** The roles a chat message may have. */
export const CHAT_ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

/** One turn of a conversation. */
export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/**
 * An instruction example as a conversation: an optional system message first, then user and
 * assistant turns taking turns, starting with the user and ending with the assistant (the
 * answer the model learns to give).
 */
export interface Conversation {
  readonly messages: readonly ChatMessage[];
  /** Where it was read from, `file:line`, for error messages further down. @default none */
  readonly source?: string;
}

/** A conversation built in code breaks the rules of `Conversation`. */
export class ConversationError extends Error {
  override readonly name = 'ConversationError';
}

/**
 * Checks a conversation's shape: at least one user and one assistant turn, a system message
 * only first, user and assistant alternating from the user to a final assistant turn, every
 * content non-blank. Throws a `ConversationError` naming the message at fault.
 */
export function checkConversation(conversation: Conversation): void {
  const problem = conversationProblem(conversation.messages, 'assistant');
  if (problem) {
    const where = conversation.source ? `${conversation.source}: ` : '';
    throw new ConversationError(`${where}${problem.field}: ${problem.message}`);
  }
}

/** What is wrong with the turns of a conversation, if anything; `lastRole` is who speaks last. */
export function conversationProblem(
  messages: unknown,
  lastRole: 'assistant' | 'user',
): { readonly field: string; readonly message: string } | undefined {
  if (!Array.isArray(messages) || messages.length === 0) {
    return {
      field: 'messages',
      message:
        `expected a non-empty array of {"role", "content"} turns, got ${describeJsonValue(messages)}. ` +
        'A conversation needs at least a user turn and an assistant turn.',
    };
  }
  // After an optional system message, the turns alternate user, assistant, user, …
  let expected: 'user' | 'assistant' = 'user';
  for (const [i, message] of messages.entries()) {
    const field = `messages[${i}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return { field, message: `expected an object {"role", "content"}, got ${describeJsonValue(message)}.` };
    }
    const { role, content, ...rest } = message as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) {
      return { field: `${field}.${extra}`, message: `unknown field "${extra}": a message has only "role" and "content".` };
    }
    if (typeof role !== 'string' || !(CHAT_ROLES as readonly string[]).includes(role)) {
      return {
        field: `${field}.role`,
        message: `the role is ${describeJsonValue(role)}; expected "system", "user" or "assistant".`,
      };
    }
    if (typeof content !== 'string' || content.trim() === '') {
      return {
        field: `${field}.content`,
        message: `expected the text of the ${role}'s turn, got ${typeof content === 'string' ? 'blank text' : describeJsonValue(content)}.`,
      };
    }
    if (role === 'system') {
      if (i !== 0) {
        return { field: `${field}.role`, message: 'a system message may only come first, before the user speaks.' };
      }
      continue;
    }
    if (role !== expected) {
      return {
        field: `${field}.role`,
        message:
          `expected ${expected === 'user' ? 'a' : 'an'} "${expected}" turn here, got "${role}". After an optional system message ` +
          'the user speaks first, then user and assistant take turns.',
      };
    }
    expected = role === 'user' ? 'assistant' : 'user';
  }
  const last = (messages[messages.length - 1] as ChatMessage).role;
  if (last !== lastRole) {
    return {
      field: `messages[${messages.length - 1}].role`,
      message:
        lastRole === 'assistant'
          ? `the conversation ends with a "${last}" turn; it must end with the assistant's answer, the part the model learns to give.`
          : `the conversation ends with a "${last}" turn; a prompt ends with the user's turn, which the model then answers.`,
    };
  }
  return undefined;
}

const ALPACA_FIELDS = ['instruction', 'input', 'output'] as const;
const RECORD_SHAPES =
  '{"instruction": "...", "input": "..." (optional), "output": "..."} (Alpaca style) or ' +
  '{"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]} (chat style)';

/**
 * One JSONL record, in either format, as a `Conversation`. Throws a `JsonlError` that
 * names the line, the field, and what was expected.
 */
export function conversationFromRecord(record: JsonlRecord): Conversation {
  const fields = recordFields(record, RECORD_SHAPES);
  const source = `${record.source}:${record.line}`;
  const isChat = 'messages' in fields;
  const isAlpaca = ALPACA_FIELDS.some((name) => name in fields);
  if (isChat && isAlpaca) {
    throw new JsonlError(
      record.source,
      record.line,
      'messages',
      'the record mixes both formats: it has "messages" (chat style) and ' +
        `${ALPACA_FIELDS.filter((name) => name in fields).map((name) => `"${name}"`).join(', ')} ` +
        '(Alpaca style). Use one format per record.',
    );
  }
  if (isChat) {
    rejectUnknownFields(record, fields, ['messages'], 'a chat-style record');
    const problem = conversationProblem(fields.messages, 'assistant');
    if (problem) throw new JsonlError(record.source, record.line, problem.field, `${problem.field}: ${problem.message}`);
    const messages = (fields.messages as ChatMessage[]).map(({ role, content }) => ({ role, content }));
    return { messages, source };
  }
  if (!isAlpaca) {
    const found = Object.keys(fields);
    throw new JsonlError(
      record.source,
      record.line,
      undefined,
      `an instruction record needs either "instruction" and "output" or "messages"; ` +
        `found ${found.length === 0 ? 'no fields' : found.map((f) => `"${f}"`).join(', ')}. Expected ${RECORD_SHAPES}.`,
    );
  }
  rejectUnknownFields(record, fields, ALPACA_FIELDS, 'an Alpaca-style record');
  const instruction = requireText(record, fields.instruction, 'instruction', 'the request the model is given');
  const output = requireText(record, fields.output, 'output', 'the answer the model learns to give');
  let request = instruction;
  if (fields.input !== undefined) {
    if (typeof fields.input !== 'string') {
      throw new JsonlError(
        record.source,
        record.line,
        'input',
        `"input" must be a string (the text the instruction is about), got ${describeJsonValue(fields.input)}. ` +
          'Leave it out, or use "", when the instruction needs no input.',
      );
    }
    // Alpaca writes "input": "" for instructions that need none.
    if (fields.input.trim() !== '') request = `${instruction}\n\n${fields.input}`;
  }
  return {
    messages: [
      { role: 'user', content: request },
      { role: 'assistant', content: output },
    ],
    source,
  };
}

/** Parses JSONL text of instruction records (both formats, mixed freely) into conversations. */
export function parseInstructionDataset(text: string, source: string): Conversation[] {
  return parseJsonl(text, source).map(conversationFromRecord);
}

/** Reads a JSONL file of instruction records (both formats, mixed freely) into conversations. */
export function readInstructionDataset(filePath: string): Conversation[] {
  return readJsonl(filePath).map(conversationFromRecord);
}
