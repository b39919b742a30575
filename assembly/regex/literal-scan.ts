// Finding one UTF-16 code unit fast, for the literal a pattern starts with or requires: four
// units per 64-bit load, all compared at once with the "has a zero lane" bit trick (the build
// has no SIMD), four loads per iteration of the main loop.

const LANE_ONES: u64 = 0x0001000100010001;
const LANE_HIGHS: u64 = 0x8000800080008000;

/** The first UTF-16 offset in [from, length) of the string at `base` holding `unit`, or -1. */
export function indexOfUnit(base: usize, from: i32, length: i32, unit: i32): i32 {
  const pattern = LANE_ONES * u64(unit & 0xffff);
  let i = from;
  while (i + 16 <= length) {
    const at = base + (usize(i) << 1);
    const a = load<u64>(at) ^ pattern;
    const b = load<u64>(at, 8) ^ pattern;
    const c = load<u64>(at, 16) ^ pattern;
    const d = load<u64>(at, 24) ^ pattern;
    const any = ((a - LANE_ONES) & ~a) | ((b - LANE_ONES) & ~b) | ((c - LANE_ONES) & ~c) | ((d - LANE_ONES) & ~d);
    if ((any & LANE_HIGHS) != 0) break;
    i += 16;
  }
  while (i + 4 <= length) {
    const a = load<u64>(base + (usize(i) << 1)) ^ pattern;
    // A lane is flagged when it is zero; a false flag can only sit above a true one, so the
    // lowest flag is exact.
    const zero = (a - LANE_ONES) & ~a & LANE_HIGHS;
    if (zero != 0) return i + i32(ctz(zero) >> 4);
    i += 4;
  }
  for (; i < length; i++) if (i32(load<u16>(base + (usize(i) << 1))) == unit) return i;
  return -1;
}
