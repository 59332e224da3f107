import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConversationError,
  JsonlError,
  checkConversation,
  formatJsonl,
  parseInstructionDataset,
  parseJsonl,
  parseLabelledDataset,
  readInstructionDataset,
  readJsonl,
  readLabelledDataset,
} from '../../src/data';

/** The error `fn` throws (the test fails when it throws none). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-jsonl-'));
}

describe('parseJsonl', () => {
  it('parses one value per line, skips blank lines and keeps the line numbers', () => {
    const text = '{"a": 1}\n\n   \n{"b": [2]}\r\n"three"\n';
    expect(parseJsonl(text, 'x.jsonl')).toEqual([
      { value: { a: 1 }, source: 'x.jsonl', line: 1 },
      { value: { b: [2] }, source: 'x.jsonl', line: 4 },
      { value: 'three', source: 'x.jsonl', line: 5 },
    ]);
  });

  it('drops a leading byte-order mark', () => {
    expect(parseJsonl('\uFEFF{"a": 1}', 'bom.jsonl')[0]!.value).toEqual({ a: 1 });
  });

  it.each([
    ['a record split over two lines', '{"a": 1}\n{"instruction": "x",\n "output": "y"}', 2],
    ['a trailing comma', '{"a": 1}\n\n{"a": 1,}', 3],
    ['single quotes', "{'a': 1}", 1],
  ])('names the line of bad JSON: %s', (_, text, line) => {
    const error = errorOf(() => parseJsonl(text, 'bad.jsonl'));
    expect(error).toBeInstanceOf(JsonlError);
    expect((error as JsonlError).line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^bad\\.jsonl:${line}: this line is not valid JSON`));
  });

  it('refuses a text with no records', () => {
    expect(() => parseJsonl('\n \n', 'empty.jsonl')).toThrow(/empty\.jsonl: there are no records/);
  });

  it('round-trips what formatJsonl writes, newlines inside values included', () => {
    const values = [{ text: 'two\nlines', label: 'x' }, { n: 3 }];
    const text = formatJsonl(values);
    expect(text.split('\n')).toHaveLength(3); // two lines and the final newline
    expect(parseJsonl(text, 'round.jsonl').map((record) => record.value)).toEqual(values);
  });
});

describe('readJsonl', () => {
  it('reads a file and names it in errors', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(file, '{"a": 1}\n');
    expect(readJsonl(file)).toEqual([{ value: { a: 1 }, source: file, line: 1 }]);
    fs.writeFileSync(file, '{"a": 1}\n{"a": \n');
    expect(() => readJsonl(file)).toThrow(`${file}:2: this line is not valid JSON`);
  });

  it('says when the file is missing, is a folder, or is not UTF-8 (and on which line)', () => {
    const dir = tempDir();
    expect(() => readJsonl(path.join(dir, 'nope.jsonl'))).toThrow(/nope\.jsonl: there is no such file/);
    expect(() => readJsonl(dir)).toThrow(/this is a folder, not a file/);
    const latin1 = path.join(dir, 'latin1.jsonl');
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from('{"a": 1}\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const error = errorOf(() => readJsonl(latin1)) as JsonlError;
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/latin1\.jsonl:2: this line is not UTF-8 text.*iconv/);
  });
});

describe('instruction records', () => {
  const GOOD = '{"instruction": "Say hi.", "output": "Hi."}';

  // Each bad record is on line 2 of its file; the error names that line and the field.
  it.each([
    ['not an object', '["What is NLP?", "NLP is ..."]', undefined, /expected a JSON object like .*got an array of 2 items/],
    ['missing output', '{"instruction": "What is NLP?"}', 'output', /"output" must be a string \(the answer the model learns to give\), got nothing \(the field is missing\)/],
    ['empty output', '{"instruction": "What is NLP?", "output": ""}', 'output', /"output" is empty/],
    ['blank instruction', '{"instruction": "  ", "output": "x"}', 'instruction', /"instruction" is only whitespace/],
    ['misspelt field', '{"instruction": "What is NLP?", "ouput": "NLP is ..."}', 'ouput', /unknown field "ouput": an Alpaca-style record has only "instruction", "input", "output"/],
    ['input not a string', '{"instruction": "Sum.", "input": 3, "output": "3"}', 'input', /"input" must be a string .*got the number 3/],
    ['neither format', '{"prompt": "What is NLP?", "completion": "NLP is ..."}', undefined, /needs either "instruction" and "output" or "messages"; found "prompt", "completion"/],
    ['both formats', '{"instruction": "x", "messages": []}', 'messages', /mixes both formats/],
    ['empty messages', '{"messages": []}', 'messages', /messages: expected a non-empty array of \{"role", "content"\} turns, got an array of 0 items/],
    ['messages not an array', '{"messages": "hi"}', 'messages', /non-empty array .*got the string "hi"/],
    ['wrong role', '{"messages": [{"role": "user", "content": "Hi"}, {"role": "bot", "content": "Hello"}]}', 'messages[1].role', /messages\[1\]\.role: the role is the string "bot"; expected "system", "user" or "assistant"/],
    ['message not an object', '{"messages": ["Hi", "Hello"]}', 'messages[0]', /messages\[0\]: expected an object/],
    ['blank content', '{"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "Hello"}]}', 'messages[0].content', /expected the text of the user's turn, got blank text/],
    ['content missing', '{"messages": [{"role": "user"}, {"role": "assistant", "content": "Hello"}]}', 'messages[0].content', /got nothing \(the field is missing\)/],
    ['extra message field', '{"messages": [{"role": "user", "content": "Hi", "name": "Ann"}, {"role": "assistant", "content": "Hello"}]}', 'messages[0].name', /unknown field "name"/],
    ['system not first', '{"messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Hello"}]}', 'messages[1].role', /a system message may only come first/],
    ['assistant first', '{"messages": [{"role": "assistant", "content": "Hello"}]}', 'messages[0].role', /expected a "user" turn here, got "assistant"/],
    ['two user turns', '{"messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello"}]}', 'messages[1].role', /expected an "assistant" turn here, got "user"/],
    ['ends with the user', '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}]}', 'messages[2].role', /must end with the assistant's answer/],
  ])('%s: names line 2 and the field', (_, record, field, message) => {
    const error = errorOf(() => parseInstructionDataset(`${GOOD}\n${record}\n`, 'train.jsonl'));
    expect(error).toBeInstanceOf(JsonlError);
    expect(error.message.startsWith('train.jsonl:2: ')).toBe(true);
    expect({ line: (error as JsonlError).line, field: (error as JsonlError).field }).toEqual({ line: 2, field });
    expect(error.message).toMatch(message);
  });

  it('normalises both formats to the same conversation', () => {
    const alpaca = parseInstructionDataset(
      [
        '{"instruction": "What is NLP?", "output": "NLP is a field of AI."}',
        '{"instruction": "What is NLP?", "input": "", "output": "NLP is a field of AI."}',
        '{"instruction": "Extract the order details.", "input": "Maria ordered 3 blue mugs.", "output": "name=Maria"}',
      ].join('\n'),
      'alpaca.jsonl',
    );
    const chat = parseInstructionDataset(
      [
        '{"messages": [{"role": "user", "content": "What is NLP?"}, {"role": "assistant", "content": "NLP is a field of AI."}]}',
        '{"messages": [{"role": "user", "content": "What is NLP?"}, {"role": "assistant", "content": "NLP is a field of AI."}]}',
        '{"messages": [{"role": "user", "content": "Extract the order details.\\n\\nMaria ordered 3 blue mugs."}, {"role": "assistant", "content": "name=Maria"}]}',
      ].join('\n'),
      'chat.jsonl',
    );
    expect(alpaca.map((c) => c.messages)).toEqual(chat.map((c) => c.messages));
    expect(alpaca.map((c) => c.source)).toEqual(['alpaca.jsonl:1', 'alpaca.jsonl:2', 'alpaca.jsonl:3']);
  });

  it('keeps a system message and several turns', () => {
    const [conversation] = parseInstructionDataset(
      '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, ' +
        '{"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye."}]}',
      'multi.jsonl',
    );
    expect(conversation!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
  });

  it('reads a file with both formats mixed', () => {
    const file = path.join(tempDir(), 'mixed.jsonl');
    fs.writeFileSync(file, `${GOOD}\n\n{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}\n`);
    const conversations = readInstructionDataset(file);
    expect(conversations.map((c) => c.source)).toEqual([`${file}:1`, `${file}:3`]);
  });

  it('checks conversations built in code too', () => {
    expect(() => checkConversation({ messages: [{ role: 'user', content: 'Hi' }], source: 'mine' })).toThrow(ConversationError);
    expect(() => checkConversation({ messages: [{ role: 'user', content: 'Hi' }], source: 'mine' })).toThrow(
      /^mine: messages\[0\]\.role: the conversation ends with a "user" turn/,
    );
    expect(() => checkConversation({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] })).not.toThrow();
  });
});

describe('labelled text', () => {
  it('reads the examples and collects the sorted label set', () => {
    const dataset = parseLabelledDataset(
      ['{"text": "Great kettle.", "label": "positive"}', '', '{"text": "Broke.", "label": "negative"}', '{"text": "Lovely.", "label": "positive"}'].join('\n'),
      'reviews.jsonl',
    );
    expect(dataset.labels).toEqual(['negative', 'positive']);
    expect(dataset.examples).toEqual([
      { text: 'Great kettle.', label: 'positive' },
      { text: 'Broke.', label: 'negative' },
      { text: 'Lovely.', label: 'positive' },
    ]);
  });

  it.each([
    ['empty label', '{"text": "Fine.", "label": ""}', 'label', /"label" is empty; every example needs the name of its class/],
    ['number label', '{"text": "Fine.", "label": 3}', 'label', /"label" must be a string, the name of the class, got the number 3 \(write it as "3"\)/],
    ['missing label', '{"text": "Fine."}', 'label', /"label" must be a string.*got nothing \(the field is missing\)/],
    ['missing text', '{"label": "neutral"}', 'text', /"text" must be a string \(the text to classify\)/],
    ['unknown field', '{"text": "Fine.", "label": "neutral", "score": 0.5}', 'score', /unknown field "score": a labelled-text record has only "text", "label"/],
  ])('%s: names line 2 and the field', (_, record, field, message) => {
    const error = errorOf(() => parseLabelledDataset(`{"text": "Good.", "label": "positive"}\n${record}`, 'labels.jsonl'));
    expect(error).toBeInstanceOf(JsonlError);
    expect({ line: (error as JsonlError).line, field: (error as JsonlError).field }).toEqual({ line: 2, field });
    expect(error.message).toMatch(/^labels\.jsonl:2: /);
    expect(error.message).toMatch(message);
  });

  it('reads a file', () => {
    const file = path.join(tempDir(), 'l.jsonl');
    fs.writeFileSync(file, '{"text": "a", "label": "b"}\n');
    expect(readLabelledDataset(file)).toEqual({ examples: [{ text: 'a', label: 'b' }], labels: ['b'] });
  });
});
