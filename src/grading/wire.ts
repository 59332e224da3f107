/**
 * Values across the process boundary. The child encodes what the learner's function
 * returned as JSON with tags for what JSON cannot say (NaN, ±Infinity, undefined, bigint,
 * Map, Set); objects are wrapped, so a learner's `{ $number: … }` cannot pass for a tag.
 * The parent decodes strictly: anything unexpected is a `WireFormatError`.
 */

export class WireFormatError extends Error {
  constructor(problem: string) {
    super(`the submission's answer could not be read: ${problem}`);
    this.name = 'WireFormatError';
  }
}

const MAX_DEPTH = 64;

/** The value the child encoded (see `ENCODE_SOURCE` in sandbox/child-source.ts). */
export function decodeValue(encoded: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new WireFormatError(`nested deeper than ${MAX_DEPTH}`);
  if (encoded === null || typeof encoded === 'boolean' || typeof encoded === 'string') return encoded;
  if (typeof encoded === 'number') return encoded;
  if (Array.isArray(encoded)) return encoded.map((item) => decodeValue(item, depth + 1));
  if (typeof encoded !== 'object') throw new WireFormatError(`unexpected ${typeof encoded}`);
  const entries = Object.entries(encoded as Record<string, unknown>);
  if (entries.length !== 1) throw new WireFormatError('an untagged object');
  const [tag, body] = entries[0]!;
  switch (tag) {
    case '$number':
      if (body === 'NaN') return NaN;
      if (body === 'Infinity') return Infinity;
      if (body === '-Infinity') return -Infinity;
      throw new WireFormatError(`unknown number ${String(body)}`);
    case '$undefined':
      return undefined;
    case '$bigint':
      if (typeof body !== 'string' || !/^-?\d+$/.test(body)) throw new WireFormatError('a malformed bigint');
      return BigInt(body);
    case '$unsupported':
      return { unsupported: String(body) };
    case '$object': {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new WireFormatError('a malformed object');
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
        Object.defineProperty(out, key, { value: decodeValue(value, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case '$map':
      if (!Array.isArray(body)) throw new WireFormatError('a malformed Map');
      return new Map(body.map((pair: unknown) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new WireFormatError('a malformed Map entry');
        return [decodeValue(pair[0], depth + 1), decodeValue(pair[1], depth + 1)] as const;
      }));
    case '$set':
      if (!Array.isArray(body)) throw new WireFormatError('a malformed Set');
      return new Set(body.map((item: unknown) => decodeValue(item, depth + 1)));
    default:
      throw new WireFormatError(`unknown tag ${JSON.stringify(tag).slice(0, 40)}`);
  }
}

/** A value as a learner reads it in a message: `[0.5,NaN]`, cut to `max` characters. */
export function describeValue(value: unknown, max = 120): string {
  const text = describe(value, 0);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describe(value: unknown, depth: number): string {
  if (depth > 8) return '…';
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.slice(0, 50).map((v) => describe(v, depth + 1)).join(',')}${value.length > 50 ? ',…' : ''}]`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as object).slice(0, 20).map(([k, v]) => `${k}:${describe(v, depth + 1)}`).join(',')}}`;
  }
  return typeof value;
}
