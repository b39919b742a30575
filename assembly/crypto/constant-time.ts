// Comparisons whose running time does not depend on where secret bytes differ, so that a MAC
// check does not leak, one byte at a time, how much of a forged tag was right.

/** Returns true when `a` and `b` hold the same bytes; the time depends only on the lengths, which are public. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): bool {
  const n = a.length;
  if (n != b.length) return false;
  const pa = a.dataStart;
  const pb = b.dataStart;
  let diff: u32 = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const x = load<u64>(pa + <usize>i) ^ load<u64>(pb + <usize>i);
    diff |= (<u32>x) | (<u32>(x >>> 32));
  }
  for (; i < n; i++) diff |= <u32>(load<u8>(pa + <usize>i) ^ load<u8>(pb + <usize>i));
  return diff == 0;
}
