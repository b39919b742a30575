// Text the host hands over (header names and values, string properties) decoded from UTF-8. Header
// text is ASCII almost always, and tokens and cookies run to kilobytes.

import { RecentSets } from "../recent-sets";

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

// Header text repeats from request to request (names, hosts, user agents, a client's token), so
// header pairs are decoded through a small cache of recent ASCII strings: a repeat costs a
// comparison instead of an allocation. Strings are immutable, so sharing one is safe.
const RECENT_MAX_BYTES: usize = 1024;
const recent = new RecentSets<string>(5);

/**
 * Decodes `[ptr, ptr+size)` like `decodeText`, returning the same string object as an earlier
 * call for the same ASCII bytes while it stays in the cache of recent text.
 */
export function decodeRecentText(ptr: usize, size: usize): string {
  if (size == 0) return "";
  if (size > RECENT_MAX_BYTES) return decodeText(ptr, size);
  const set = recentSet(ptr, size);
  const first = recent.first(set);
  if (sameAsciiText(first, ptr, size)) return first;
  const second = recent.second(set);
  if (sameAsciiText(second, ptr, size)) {
    recent.promoteSecond(set);
    return second;
  }
  const out = decodeText(ptr, size);
  // Only text whose every byte became one unit is kept: then a byte-for-unit match is exact.
  if (<usize>out.length == size) recent.insert(set, out);
  return out;
}

// The cache set of `size` bytes at `ptr`: a multiplicative hash of the length, the first eight
// bytes (or fewer) and the last eight, so names sharing a prefix or values of one length spread.
function recentSet(ptr: usize, size: usize): i32 {
  let head: u64 = 0;
  let last: u64 = 0;
  if (size >= 8) {
    head = load<u64>(ptr);
    last = load<u64>(ptr + size - 8);
  } else {
    for (let i: usize = 0; i < size; i++) head = (head << 8) | (<u64>load<u8>(ptr + i));
  }
  const mixed = ((head * 0x9e3779b97f4a7c15) ^ last ^ ((<u64>size) << 32)) * 0xff51afd7ed558ccd;
  return <i32>(mixed >> (64 - <u64>recent.setsLog2));
}

/** Whether the `size` bytes at `ptr` equal the units of `text` one for one (false for a null `text`). */
export function sameAsciiText(text: string, ptr: usize, size: usize): bool {
  const units = changetype<usize>(text);
  if (units == 0 || <usize>text.length != size) return false;
  const tail = size & ~(<usize>7);
  for (let i: usize = 0; i < tail; i += 8) {
    const wide = i16x8.extend_low_i8x16_u(v128.load64_zero(ptr + i));
    if (v128.any_true(v128.xor(wide, v128.load(units + (i << 1))))) return false;
  }
  for (let i = tail; i < size; i++) {
    if (<u32>load<u8>(ptr + i) != <u32>load<u16>(units + (i << 1))) return false;
  }
  return true;
}
