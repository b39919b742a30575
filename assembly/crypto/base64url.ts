// base64url (RFC 4648 section 5) as JOSE uses it (RFC 7515 section 2): no padding, no
// whitespace, nothing outside the alphabet, and the unused low bits of the last character zero,
// so that every byte string has exactly one encoding and a token cannot be altered unnoticed.
// prettier-ignore
@lazy const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Maps an ASCII code to its 6-bit value, or 0xff for characters outside the alphabet.
// prettier-ignore
@lazy const DECODE: StaticArray<u8> = [
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,  62, 255, 255,
   52,  53,  54,  55,  56,  57,  58,  59,  60,  61, 255, 255, 255, 255, 255, 255,
  255,   0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,
   15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25, 255, 255, 255, 255,  63,
  255,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,
   41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51, 255, 255, 255, 255, 255,
];

// @ts-ignore: decorator
@inline
function sextet(c: u32): u32 {
  return c < 128 ? <u32>unchecked(DECODE[c]) : 0xff;
}

// Decodes `length` characters read by `charAt` (bytes or UTF-16 units); null when not canonical.
// @ts-ignore: decorator
@inline
function decode<T>(source: T, start: i32, length: i32): Uint8Array | null {
  const tail = length & 3;
  if (tail == 1) return null;
  const out = new Uint8Array((length >> 2) * 3 + (tail == 0 ? 0 : tail - 1));
  const o = out.dataStart;
  let j: usize = 0;
  let i = 0;
  const whole = length - tail;
  for (; i < whole; i += 4) {
    const a = sextet(charAt(source, start + i));
    const b = sextet(charAt(source, start + i + 1));
    const c = sextet(charAt(source, start + i + 2));
    const d = sextet(charAt(source, start + i + 3));
    if ((a | b | c | d) > 63) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    store<u8>(o + j, <u8>(v >> 16));
    store<u8>(o + j + 1, <u8>(v >> 8));
    store<u8>(o + j + 2, <u8>v);
    j += 3;
  }
  if (tail == 0) return out;
  const a = sextet(charAt(source, start + i));
  const b = sextet(charAt(source, start + i + 1));
  const c = tail == 3 ? sextet(charAt(source, start + i + 2)) : 0;
  if ((a | b | c) > 63) return null;
  const v = (a << 18) | (b << 12) | (c << 6);
  // The bits past the last whole byte must be zero (RFC 4648 section 3.5).
  if ((tail == 2 ? v & 0xffff : v & 0xff) != 0) return null;
  store<u8>(o + j, <u8>(v >> 16));
  if (tail == 3) store<u8>(o + j + 1, <u8>(v >> 8));
  return out;
}

// @ts-ignore: decorator
@inline
function charAt<T>(source: T, index: i32): u32 {
  if (source instanceof Uint8Array) return <u32>load<u8>(source.dataStart + <usize>index);
  return <u32>load<u16>(changetype<usize>(source) + ((<usize>index) << 1));
}

/** Decodes strict base64url text; null when it has padding, a character outside the alphabet, an impossible length or non-zero trailing bits. */
export function decodeBase64Url(text: string): Uint8Array | null {
  return decode<string>(text, 0, text.length);
}

/** Decodes strict base64url held in `bytes[start, end)` (e.g. a JWS segment); null when not canonical or the range is out of bounds. */
export function decodeBase64UrlBytes(bytes: Uint8Array, start: i32, end: i32): Uint8Array | null {
  if (start < 0 || end < start || end > bytes.length) return null;
  return decode<Uint8Array>(bytes, start, end - start);
}

/** Encodes `data` as base64url without padding. */
export function encodeBase64Url(data: Uint8Array): string {
  const n = data.length;
  let i = 0;
  const parts = new StaticArray<u16>(((n + 2) / 3) * 4);
  let j = 0;
  for (; i + 3 <= n; i += 3) {
    const v = ((<u32>unchecked(data[i])) << 16) | ((<u32>unchecked(data[i + 1])) << 8) | (<u32>unchecked(data[i + 2]));
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 18) & 63)));
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 12) & 63)));
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 6) & 63)));
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt(v & 63)));
  }
  const rest = n - i;
  if (rest > 0) {
    let v = (<u32>unchecked(data[i])) << 16;
    if (rest == 2) v |= (<u32>unchecked(data[i + 1])) << 8;
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 18) & 63)));
    unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 12) & 63)));
    if (rest == 2) unchecked((parts[j++] = <u16>ALPHABET.charCodeAt((v >> 6) & 63)));
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(parts), (<usize>j) << 1);
}
