// Standard base64 (RFC 4648 section 4: `+` and `/`) as Istio's metadata exchange writes the
// `x-envoy-peer-metadata` header. Decoding accepts the text with or without its `=` padding but
// nothing else: no whitespace, no characters outside the alphabet, no non-zero trailing bits.

/** The standard base64 alphabet, indexed by 6-bit value. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** What `sextet` returns for a character outside the alphabet. */
const INVALID: u32 = 0xff;

// The 6-bit value of UTF-16 unit `c`, or INVALID.
function sextet(c: u32): u32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41; // A-Z
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26; // a-z
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52; // 0-9
  if (c == 0x2b) return 62; // +
  if (c == 0x2f) return 63; // /
  return INVALID;
}

/** Decodes standard base64 with optional padding; null when the text has a character outside the alphabet, misplaced or wrong padding, an impossible length or non-zero trailing bits. */
export function decodeBase64(text: string): Uint8Array | null {
  let length = text.length;
  // Padding counts only when it completes a group of four: in "Zg=" the `=` is an invalid character.
  if ((length & 3) == 0 && length > 0 && text.charCodeAt(length - 1) == 0x3d) {
    length--;
    if (text.charCodeAt(length - 1) == 0x3d) length--;
  }
  const tail = length & 3;
  if (tail == 1) return null;
  const out = new Uint8Array((length >> 2) * 3 + (tail == 0 ? 0 : tail - 1));
  const whole = length - tail;
  let j = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(<u32>text.charCodeAt(i));
    const b = sextet(<u32>text.charCodeAt(i + 1));
    const c = sextet(<u32>text.charCodeAt(i + 2));
    const d = sextet(<u32>text.charCodeAt(i + 3));
    if ((a | b | c | d) > 63) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[j++] = <u8>(v >> 16);
    out[j++] = <u8>(v >> 8);
    out[j++] = <u8>v;
  }
  if (tail == 0) return out;
  const a = sextet(<u32>text.charCodeAt(whole));
  const b = sextet(<u32>text.charCodeAt(whole + 1));
  const c = tail == 3 ? sextet(<u32>text.charCodeAt(whole + 2)) : 0;
  if ((a | b | c) > 63) return null;
  const v = (a << 18) | (b << 12) | (c << 6);
  // The bits past the last whole byte must be zero (RFC 4648 section 3.5).
  if ((tail == 2 ? v & 0xffff : v & 0xff) != 0) return null;
  out[j++] = <u8>(v >> 16);
  if (tail == 3) out[j] = <u8>(v >> 8);
  return out;
}

/** Encodes `data` as standard base64 with `=` padding. */
export function encodeBase64(data: Uint8Array): string {
  const n = data.length;
  const units = new StaticArray<u16>(((n + 2) / 3) * 4);
  let j = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = ((<u32>data[i]) << 16) | ((<u32>data[i + 1]) << 8) | (<u32>data[i + 2]);
    units[j++] = <u16>ALPHABET.charCodeAt((v >> 18) & 63);
    units[j++] = <u16>ALPHABET.charCodeAt((v >> 12) & 63);
    units[j++] = <u16>ALPHABET.charCodeAt((v >> 6) & 63);
    units[j++] = <u16>ALPHABET.charCodeAt(v & 63);
  }
  const rest = n - i;
  if (rest > 0) {
    let v = (<u32>data[i]) << 16;
    if (rest == 2) v |= (<u32>data[i + 1]) << 8;
    units[j++] = <u16>ALPHABET.charCodeAt((v >> 18) & 63);
    units[j++] = <u16>ALPHABET.charCodeAt((v >> 12) & 63);
    units[j++] = rest == 2 ? <u16>ALPHABET.charCodeAt((v >> 6) & 63) : 0x3d;
    units[j++] = 0x3d;
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(units), (<usize>j) << 1);
}
