// Access log lines waiting for the collector, kept as newline-delimited UTF-8 in one buffer with
// the end of each line: a full queue (1,000 lines by default) is two objects for the collector of
// the module to walk instead of a thousand strings, in half the memory, and a batch is a copy of
// the buffer's first bytes, already the body the collector sends.

// A buffer that has grown past this is given up once the queue empties (a burst of long lines).
const KEPT_CAPACITY = 64 * 1024;
const INITIAL_CAPACITY = 1024;

/** Lines in arrival order, each followed by a newline, as UTF-8. */
export class LineQueue {
  private bytes: ArrayBuffer = new ArrayBuffer(INITIAL_CAPACITY);
  private used: i32 = 0;
  // Where each line ends, its newline included.
  private ends: Array<i32> = [];

  /** How many lines wait. */
  get length(): i32 {
    return this.ends.length;
  }

  /** Appends `line` and a newline. */
  push(line: string): void {
    const size = String.UTF8.byteLength(line);
    this.reserve(size + 1);
    const at = changetype<usize>(this.bytes) + <usize>this.used;
    String.UTF8.encodeUnsafe(changetype<usize>(line), line.length, at);
    store<u8>(at + <usize>size, 0x0a);
    this.used += size + 1;
    this.ends.push(this.used);
  }

  /** Removes the first `count` lines (1 to length) and returns their bytes, newlines included. */
  shift(count: i32): ArrayBuffer {
    const ends = this.ends;
    const cut = ends[count - 1];
    const start = changetype<usize>(this.bytes);
    const taken = new ArrayBuffer(cut);
    memory.copy(changetype<usize>(taken), start, <usize>cut);
    this.used -= cut;
    memory.copy(start, start + <usize>cut, <usize>this.used);
    const rest = ends.length - count;
    for (let i = 0; i < rest; i++) ends[i] = ends[i + count] - cut;
    ends.length = rest;
    if (this.used == 0 && this.bytes.byteLength > KEPT_CAPACITY) this.bytes = new ArrayBuffer(INITIAL_CAPACITY);
    return taken;
  }

  private reserve(extra: i32): void {
    const needed = this.used + extra;
    let capacity = this.bytes.byteLength;
    if (needed <= capacity) return;
    // Doubling stops short of i32's limit; past it the buffer grows to what is needed.
    while (capacity < needed) capacity = capacity < 0x20000000 ? capacity << 1 : needed;
    const grown = new ArrayBuffer(capacity);
    memory.copy(changetype<usize>(grown), changetype<usize>(this.bytes), <usize>this.used);
    this.bytes = grown;
  }
}
