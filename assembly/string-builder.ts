// A string built one code unit or piece at a time in amortized linear time: `out += c` in a loop
// copies the whole string each time, which is quadratic on inputs as long as a header or body.
// The units live in one raw buffer (no typed-array view objects), and text is copied in bulk.

/** Accumulates UTF-16 code units and strings, then makes one string of them. */
export class StringBuilder {
  private buffer: ArrayBuffer;
  private used: i32 = 0;

  /** Starts empty, with room for `capacity` code units before it grows. */
  constructor(capacity: i32 = 16) {
    this.buffer = new ArrayBuffer(max(capacity, 1) << 1);
  }

  /** The number of UTF-16 code units appended so far. */
  get length(): i32 {
    return this.used;
  }

  /** Appends one UTF-16 code unit. */
  code(unit: i32): void {
    this.reserve(1);
    store<u16>(changetype<usize>(this.buffer) + ((<usize>this.used) << 1), <u16>unit);
    this.used++;
  }

  /** Appends every code unit of `text`. */
  text(text: string): void {
    this.slice(text, 0, text.length);
  }

  /** Appends the code units of `text` from `start` up to `end` (clamped to the text), without a substring. */
  slice(text: string, start: i32, end: i32): void {
    const from = max(start, 0);
    const count = min(end, text.length) - from;
    if (count <= 0) return;
    this.reserve(count);
    memory.copy(
      changetype<usize>(this.buffer) + ((<usize>this.used) << 1),
      changetype<usize>(text) + ((<usize>from) << 1),
      (<usize>count) << 1,
    );
    this.used += count;
  }

  /**
   * Empties the builder so it can make another string; it keeps its buffer unless that holds more
   * than `keep` code units, so one long string does not hold on to its memory.
   */
  clear(keep: i32 = 16384): void {
    this.used = 0;
    if (this.buffer.byteLength >>> 1 > keep) this.buffer = new ArrayBuffer(max(keep, 1) << 1);
  }

  /** Appends `value` in decimal (a leading "-" when negative), without making a string of it. */
  decimal(value: i64): void {
    if (value < 0) {
      this.code(0x2d);
      this.unsignedDecimal(<u64>0 - <u64>value);
    } else {
      this.unsignedDecimal(<u64>value);
    }
  }

  /** Appends `value` in decimal, without making a string of it. */
  unsignedDecimal(value: u64): void {
    let digits = 1;
    for (let rest = value / 10; rest != 0; rest /= 10) digits++;
    this.reserve(digits);
    let at = changetype<usize>(this.buffer) + ((<usize>(this.used + digits)) << 1);
    let rest = value;
    do {
      at -= 2;
      store<u16>(at, <u16>(0x30 + <i32>(rest % 10)));
      rest /= 10;
    } while (rest != 0);
    this.used += digits;
  }

  /** The string built so far. */
  toString(): string {
    return String.UTF16.decodeUnsafe(changetype<usize>(this.buffer), (<usize>this.used) << 1);
  }

  private reserve(more: i32): void {
    const needed = this.used + more;
    let capacity = this.buffer.byteLength >>> 1;
    if (needed <= capacity) return;
    while (capacity < needed) capacity <<= 1;
    const grown = new ArrayBuffer(capacity << 1);
    memory.copy(changetype<usize>(grown), changetype<usize>(this.buffer), (<usize>this.used) << 1);
    this.buffer = grown;
  }
}
