/**
 * Reading and writing safetensors, the Hugging Face format for weights.
 *
 * A safetensors file is three parts, which makes it safe to load (no code runs) and easy to
 * read from any language:
 *
 *   [8 bytes: header length N, little-endian u64][N bytes: JSON header][raw tensor bytes]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }`, the
 * offsets counted from the start of the raw bytes. `__metadata__` holds free-form strings.
 */

export type SafetensorsDtype = 'F32' | 'I32';

export interface NamedArray {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** Raised for a file that is not valid safetensors, with the reason and the file's name. */
export class SafetensorsError extends Error {
  constructor(source: string, reason: string) {
    super(`${source} is not a valid safetensors file: ${reason}`);
    this.name = 'SafetensorsError';
  }
}

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, I32: 4 };

/** Serialises named arrays (in the order given) into safetensors bytes. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NamedArray>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected) {
      throw new Error(`Tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${expected}.`);
    }
    const size = t.data.length * BYTES_PER_ELEMENT[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    const withPadding = new Uint8Array(padded).fill(0x20);
    withPadding.set(headerBytes);
    headerBytes = withPadding;
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    // Typed arrays are little-endian on every platform Node runs on.
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, position);
    position += bytes.length;
  }
  return out;
}

/** Parses safetensors bytes; every offset and shape is checked before any data is trusted. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'the data',
): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(source, `it is ${bytes.length} bytes long, shorter than the 8-byte header length.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8 || headerLength > 100_000_000) {
    throw new SafetensorsError(source, `the header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length (truncated or corrupted).`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new SafetensorsError(source, `its header is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, 'its header is not a JSON object.');
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== 'F32' && dtype !== 'I32') {
      throw new SafetensorsError(source, `tensor '${name}' has dtype ${JSON.stringify(dtype)}; LLM Lab reads F32 and I32.`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(source, `tensor '${name}' has an invalid shape ${JSON.stringify(shape)}.`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new SafetensorsError(source, `tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}.`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES_PER_ELEMENT[dtype]) {
      throw new SafetensorsError(source, `tensor '${name}' spans ${end - begin} bytes but shape [${shape.join(', ')}] needs ${count * 4}.`);
    }
    if (end > dataLength) {
      throw new SafetensorsError(source, `tensor '${name}' ends at byte ${end} but the data section has ${dataLength} bytes (truncated file?).`);
    }
    // Copy into a fresh, aligned buffer: the slice inside the file may not be 4-byte aligned.
    // (`new Uint8Array(view)` copies; a Buffer's `.slice` would not.)
    const raw = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    const data = dtype === 'F32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
    tensors.set(name, { dtype, shape: shape as number[], data });
  }
  return { tensors, metadata };
}
