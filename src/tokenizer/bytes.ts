/**
 * Text as UTF-8 bytes, and bytes shown to a human.
 *
 * Byte-level tokenizers (our BPE, GPT-2's) work on the UTF-8 bytes of the text, not on its
 * characters: any string is a sequence of bytes in [0, 256), so 256 base tokens can spell
 * every text there is, emoji and Chinese included. The price is that one token may hold
 * part of a character (the first two of the four bytes of 😀), which is not text by itself.
 */

const encoder = new TextEncoder();
// Invalid byte sequences become U+FFFD (�) instead of throwing: a model can sample any
// sequence of tokens, and GPT-2 decodes the same way (`errors='replace'`).
const lenientDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function textToBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function bytesToText(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * Bytes made readable: the UTF-8 characters they spell, with each byte that is not part of
 * a whole character written as `<0xE2>`. For example `[0x20, 0xE2, 0x80]` → `" <0xE2><0x80>"`.
 */
export function formatBytes(bytes: Uint8Array): string {
  let shown = '';
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes[i]!);
    const character =
      length > 0 && i + length <= bytes.length
        ? decodeStrict(bytes.subarray(i, i + length))
        : undefined;
    if (character !== undefined) {
      shown += character;
      i += length;
    } else {
      shown += `<0x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}>`;
      i += 1;
    }
  }
  return shown;
}

/** How many bytes a UTF-8 character starting with this byte has; 0 if none can start so. */
function utf8SequenceLength(firstByte: number): number {
  if (firstByte < 0x80) return 1; // ASCII
  if (firstByte >= 0xc2 && firstByte <= 0xdf) return 2;
  if (firstByte >= 0xe0 && firstByte <= 0xef) return 3;
  if (firstByte >= 0xf0 && firstByte <= 0xf4) return 4;
  return 0; // a continuation byte (0x80–0xBF) or a byte UTF-8 never uses
}

function decodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined; // not a valid character (bad continuation, overlong, surrogate)
  }
}
