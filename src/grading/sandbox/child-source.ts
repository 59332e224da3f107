/**
 * The program the sandboxed child runs, as JavaScript source: the grader writes it next to
 * the compiled submission (the only folder the child may read) and starts it with Node's
 * permission model. It loads one compiled exercise file, then answers calls:
 *
 *   stdin (from the grader)   {"nonce","file"} once, then {"id","name","args","read"} per call
 *                             (read: a quiz's answers, the export's value itself unless it
 *                             is a function, which is called as usual)
 *   fd 3 (to the grader)      {"nonce","type":"loaded"|"load-failed"} once,
 *                             then {"nonce","id","type":"returned","value"} or "threw" per call
 *
 * It never sees an expected value. The nonce comes only in the first line, read before the
 * submission is loaded, so the submission cannot learn it from stdin; replies are objects
 * without a prototype (no inherited toJSON or setters), serialised with functions captured
 * before the submission is loaded, so a submission that patches JSON, Buffer, Math or
 * Object.prototype changes its own answers only.
 */
export const CHILD_RUNNER_SOURCE = String.raw`'use strict';
const fs = require('fs');
const writeSync = fs.writeSync;
const stringify = JSON.stringify;
const bufferFrom = Buffer.from.bind(Buffer);
const assign = Object.assign;
const create = Object.create;
const parse = JSON.parse;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const getPrototypeOf = Object.getPrototypeOf;
const keysOf = Object.keys;
const objectProto = Object.prototype;
const ErrorCtor = Error;
const MapCtor = Map;
const SetCtor = Set;
const setImmediateRef = setImmediate;
// Printing blocks until the grader has read it, so a print loop meets the output limit
// instead of piling its output up in this process's memory.
for (const stream of [process.stdout, process.stderr]) {
  if (stream._handle && typeof stream._handle.setBlocking === 'function') stream._handle.setBlocking(true);
}
let nonce = '';
let exportsOf = null;

function send(fields) {
  const message = assign(create(null), fields);
  message.nonce = nonce;
  const data = bufferFrom(stringify(message) + '\n');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(3, data, offset, data.length - offset);
    } catch (error) {
      if (!error || error.code !== 'EAGAIN') throw error;
    }
  }
}

function encode(value, depth, budget) {
  if (depth > 60) throw new ErrorCtor('the answer is nested too deeply');
  if (--budget.left < 0) throw new ErrorCtor('the answer is too large');
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (value !== value) return { $number: 'NaN' };
    if (value === Infinity) return { $number: 'Infinity' };
    if (value === -Infinity) return { $number: '-Infinity' };
    return value;
  }
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value !== 'object') return { $unsupported: typeof value };
  if (isArray(value) || (isView(value) && !(value instanceof DataView))) {
    const out = [];
    for (let i = 0; i < value.length; i++) out.push(encode(typeof value[i] === 'bigint' ? value[i] : value[i], depth + 1, budget));
    return out;
  }
  if (value instanceof MapCtor) {
    const out = [];
    for (const [k, v] of value) out.push([encode(k, depth + 1, budget), encode(v, depth + 1, budget)]);
    return { $map: out };
  }
  if (value instanceof SetCtor) {
    const out = [];
    for (const v of value) out.push(encode(v, depth + 1, budget));
    return { $set: out };
  }
  const proto = getPrototypeOf(value);
  if (proto !== objectProto && proto !== null) return { $unsupported: 'an instance of a class' };
  const out = {};
  for (const key of keysOf(value)) out[key] = encode(value[key], depth + 1, budget);
  return { $object: out };
}

function describeThrown(thrown) {
  if (thrown instanceof ErrorCtor) {
    return { type: 'threw', isError: true, name: String(thrown.name).slice(0, 100), message: String(thrown.message).slice(0, 2000) };
  }
  let text;
  try { text = typeof thrown === 'string' ? stringify(thrown) : typeof thrown + ' ' + String(thrown); } catch (e) { text = typeof thrown; }
  return { type: 'threw', isError: false, name: typeof thrown, message: 'the ' + text.slice(0, 200) };
}

function reply(id, outcome) {
  if (outcome.type === 'returned') {
    try {
      send({ id, type: 'returned', value: encode(outcome.value, 0, { left: 2000000 }) });
    } catch (error) {
      send({ id, type: 'unsendable', message: String(error && error.message) });
    }
  } else {
    send({ id, type: outcome.type, isError: outcome.isError, name: outcome.name, message: outcome.message });
  }
}

function call(request) {
  const fn = exportsOf === null || exportsOf === undefined ? undefined : exportsOf[request.name];
  if (request.read === true && typeof fn !== 'function') {
    if (fn === undefined) send({ id: request.id, type: 'missing' });
    else reply(request.id, { type: 'returned', value: fn });
    return;
  }
  if (typeof fn !== 'function') {
    send({ id: request.id, type: 'missing' });
    return;
  }
  let result;
  try {
    result = fn(...request.args);
  } catch (thrown) {
    reply(request.id, describeThrown(thrown));
    return;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
    result.then((value) => reply(request.id, { type: 'returned', value }), (thrown) => reply(request.id, describeThrown(thrown)));
  } else {
    reply(request.id, { type: 'returned', value: result });
  }
}

function handle(line) {
  const request = parse(line);
  if (exportsOf === null) {
    nonce = String(request.nonce);
    try {
      exportsOf = require(request.file);
    } catch (thrown) {
      exportsOf = undefined;
      const what = describeThrown(thrown);
      send({ type: 'load-failed', isError: what.isError, name: what.name, message: what.message });
      return;
    }
    send({ type: 'loaded' });
    return;
  }
  setImmediateRef(() => call(request));
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (line) handle(line);
  }
});
`;
