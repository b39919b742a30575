// Scalars mod the group order L = 2^252 + 27742317777372353535851937790883648493: the canonical
// check of RFC 8032 5.1.7 (s < L), reduction of a 64-byte hash, and the signed sliding-window
// recoding used by the double-scalar multiplication.

// L in little-endian bytes.
// prettier-ignore
@lazy const ORDER: StaticArray<i64> = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/** Whether the 32 little-endian bytes at `bytes[offset]` are a scalar below L. */
export function scalarIsCanonical(bytes: Uint8Array, offset: i32): bool {
  for (let i = 31; i >= 0; i--) {
    const b = <i64>bytes[offset + i];
    const l = unchecked(ORDER[i]);
    if (b != l) return b < l;
  }
  return false;
}

// prettier-ignore
@lazy const wide = new StaticArray<i64>(64);

/** Writes the 64 little-endian bytes of `hash` reduced mod L into the 32 bytes of `out`. */
export function scalarReduce(out: Uint8Array, hash: Uint8Array): void {
  for (let i = 0; i < 64; i++) unchecked((wide[i] = <i64>hash[i]));
  // Fold each byte from the top down, as 2^(8i) = 2^(8(i-32)) * 16 * (2^252 - L') mod L.
  for (let i = 63; i >= 32; i--) {
    let carry: i64 = 0;
    const top = unchecked(wide[i]);
    let j = i - 32;
    for (; j < i - 12; j++) {
      let x = unchecked(wide[j]) + carry - 16 * top * unchecked(ORDER[j - (i - 32)]);
      carry = (x + 128) >> 8;
      x -= carry << 8;
      unchecked((wide[j] = x));
    }
    unchecked((wide[j] += carry));
    unchecked((wide[i] = 0));
  }
  let carry: i64 = 0;
  for (let j = 0; j < 32; j++) {
    const x = unchecked(wide[j]) + carry - (unchecked(wide[31]) >> 4) * unchecked(ORDER[j]);
    carry = x >> 8;
    unchecked((wide[j] = x & 255));
  }
  for (let j = 0; j < 32; j++) unchecked((wide[j] -= carry * ORDER[j]));
  for (let i = 0; i < 32; i++) {
    unchecked((wide[i + 1] += wide[i] >> 8));
    out[i] = <u8>unchecked(wide[i]);
  }
}

/**
 * Recodes the 32-byte scalar at `bytes[offset]` into `digits` (256 entries, little-endian bit
 * order) whose nonzero entries are odd, lie in [-limit, limit] (limit < 128) and are separated by runs of zeros,
 * so a multiplication needs one addition of a precomputed odd multiple per nonzero digit.
 */
export function scalarSlide(digits: StaticArray<i8>, bytes: Uint8Array, offset: i32, limit: i32): void {
  for (let i = 0; i < 256; i++) unchecked((digits[i] = <i8>(((<i32>bytes[offset + (i >> 3)]) >> (i & 7)) & 1)));
  for (let i = 0; i < 256; i++) {
    if (unchecked(digits[i]) == 0) continue;
    for (let b = 1; b <= 8 && i + b < 256; b++) {
      const next = <i32>unchecked(digits[i + b]);
      if (next == 0) continue;
      const current = <i32>unchecked(digits[i]);
      if (current + (next << b) <= limit) {
        unchecked((digits[i] = <i8>(current + (next << b))));
        unchecked((digits[i + b] = 0));
      } else if (current - (next << b) >= -limit) {
        unchecked((digits[i] = <i8>(current - (next << b))));
        for (let k = i + b; k < 256; k++) {
          if (unchecked(digits[k]) == 0) {
            unchecked((digits[k] = 1));
            break;
          }
          unchecked((digits[k] = 0));
        }
      } else {
        break;
      }
    }
  }
}
