// Text the host hands over (header names and values, string properties) decoded from UTF-8. Header
// text is ASCII almost always, and tokens and cookies run to kilobytes.

// Below this many bytes the standard decoder is as fast as the ASCII path.
const WIDEN_FROM: usize = 32;
const HIGH_BITS: u64 = 0x8080808080808080;

/**
 * Decodes the UTF-8 at `[ptr, ptr+size)` exactly as String.UTF8.decodeUnsafe does, widening long
 * ASCII text (a token, a cookie) eight bytes at a time.
 */
export function decodeText(ptr: usize, size: usize): string {
  if (size < WIDEN_FROM) return String.UTF8.decodeUnsafe(ptr, size);
  const tail = size & ~(<usize>7);
  let bits: u64 = 0;
  for (let i: usize = 0; i < tail; i += 8) bits |= load<u64>(ptr + i);
  for (let i = tail; i < size; i++) bits |= <u64>load<u8>(ptr + i);
  if ((bits & HIGH_BITS) != 0) return String.UTF8.decodeUnsafe(ptr, size);
  const out = __new(size << 1, idof<String>());
  for (let i: usize = 0; i < tail; i += 8) {
    v128.store(out + (i << 1), i16x8.extend_low_i8x16_u(v128.load64_zero(ptr + i)));
  }
  for (let i = tail; i < size; i++) store<u16>(out + (i << 1), load<u8>(ptr + i));
  return changetype<string>(out);
}
