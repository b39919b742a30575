// A string built one code unit or piece at a time in amortized linear time: `out += c` in a loop
// copies the whole string each time, which is quadratic on inputs as long as a header or body.

/** Accumulates UTF-16 code units and strings, then makes one string of them. */
export class StringBuilder {
  private units: Uint16Array = new Uint16Array(16);
  private used: i32 = 0;

  /** The number of UTF-16 code units appended so far. */
  get length(): i32 {
    return this.used;
  }

  /** Appends one UTF-16 code unit. */
  code(unit: i32): void {
    this.reserve(1);
    this.units[this.used++] = <u16>unit;
  }

  /** Appends every code unit of `text`. */
  text(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.units[this.used++] = <u16>text.charCodeAt(i);
  }

  /** The string built so far. */
  toString(): string {
    return String.UTF16.decodeUnsafe(this.units.dataStart, (<usize>this.used) << 1);
  }

  private reserve(more: i32): void {
    if (this.used + more <= this.units.length) return;
    let capacity = this.units.length << 1;
    while (capacity < this.used + more) capacity <<= 1;
    const grown = new Uint16Array(capacity);
    grown.set(this.units.subarray(0, this.used));
    this.units = grown;
  }
}
