// Header names and values are bytes in Envoy and strings in the harness's API. Valid UTF-8 maps
// to the same text; every byte that is not part of valid UTF-8 becomes the lone surrogate
// U+DC80 + (byte - 0x80) (Python's "surrogateescape"), and encoding maps it back, so a guest that
// writes raw bytes (e.g. 0xff) into a header sees the same bytes forwarded, as with Envoy.

const ESCAPE_BASE = 0xdc00;
const encoder = new TextEncoder();

// The length of a valid UTF-8 sequence starting at `i`, or 0 (overlongs, surrogates and code
// points above U+10FFFF are invalid, as in WHATWG's decoder).
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
  const second = bytes[i + 1] ?? 0;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return second >= low && second <= high && cont(1) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low && second <= high && cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();

// Header text is almost always ASCII, where a character is its byte: for short text the fast path
// skips the encoder and decoder, whose per-call cost dominates there; long text goes to them.
const SHORT = 32;

function isShortAscii(text: string): boolean {
  if (text.length >= SHORT) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * The text of `bytes[start, end)` (all of it by default) when it is short and all ASCII (a
 * character per byte), else null.
 */
export function shortAsciiText(bytes: Uint8Array, start = 0, end = bytes.length): string | null {
  if (end - start >= SHORT) return null;
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return null;
  // Eight arguments at a time: V8 builds these strings about twice as fast as from `apply` over
  // the array.
  let text = "";
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const b = bytes;
    text += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
  }
  for (; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** `bytes` as UTF-8 text, invalid sequences as U+FFFD (the form of log messages and property paths). */
export function utf8Text(bytes: Uint8Array): string {
  return shortAsciiText(bytes) ?? lenient.decode(bytes);
}

/**
 * The harness string for header bytes `bytes[start, end)` (all of them by default): UTF-8 text,
 * with invalid bytes escaped as U+DC80-U+DCFF.
 */
export function headerText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const ascii = shortAsciiText(bytes, start, end);
  if (ascii !== null) return ascii;
  const range = bytes.subarray(start, end);
  try {
    return strict.decode(range);
  } catch {
    return escaped(range);
  }
}

// The slow path, for bytes that are not valid UTF-8.
function escaped(bytes: Uint8Array): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += lenient.decode(bytes.subarray(start, i)) + String.fromCharCode(ESCAPE_BASE + bytes[i]!);
    start = ++i;
  }
  return out + lenient.decode(bytes.subarray(start));
}

/** How many bytes `headerBytes(text)` has, without building them when no byte is escaped. */
export function headerByteLength(text: string): number {
  if (isShortAscii(text)) return text.length;
  return ESCAPED.test(text) ? headerBytes(text).length : Buffer.byteLength(text, "utf8");
}

/** Writes `headerBytes(text)` into `out` at `offset` (room must be there); returns the offset after it. */
export function writeHeaderBytes(out: Uint8Array, offset: number, text: string): number {
  if (isShortAscii(text)) {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
    return offset + text.length;
  }
  if (!ESCAPED.test(text)) return offset + encoder.encodeInto(text, out.subarray(offset)).written;
  const bytes = headerBytes(text);
  out.set(bytes, offset);
  return offset + bytes.length;
}

const ESCAPED = /[\udc80-\udcff]/;

/** The header bytes for a harness string: UTF-8, with escaped bytes (U+DC80-U+DCFF) restored. */
export function headerBytes(text: string): Uint8Array {
  if (!ESCAPED.test(text)) return utf8Bytes(text);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const paired = i > 0 && isHighSurrogate(text.charCodeAt(i - 1));
    if (unit < 0xdc80 || unit > 0xdcff || paired) continue;
    chunks.push(encoder.encode(text.slice(start, i)), Uint8Array.of(unit - ESCAPE_BASE));
    start = i + 1;
  }
  chunks.push(encoder.encode(text.slice(start)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** `text` as UTF-8 bytes (lone surrogates as U+FFFD), quickly for the common ASCII case. */
export function utf8Bytes(text: string): Uint8Array {
  if (!isShortAscii(text)) return encoder.encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
