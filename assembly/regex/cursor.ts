// Reading position in a pattern, shared by the parser's pieces, with the first error found.
// Positions are UTF-16 offsets into the pattern string (byte offsets for ASCII patterns).

/** A position in a pattern and the first error found there. */
export class Cursor {
  /** The UTF-16 offset of the next code point to read. */
  pos: i32 = 0;
  /** The first error, "" while there is none. */
  error: string = "";

  constructor(
    /** The pattern being read. */
    public pattern: string,
  ) {}

  /** Whether any of the pattern is left. */
  more(): bool {
    return this.pos < this.pattern.length;
  }

  /** Whether parsing has failed. */
  failed(): bool {
    return this.error.length > 0;
  }

  /** The code point at the current position (-1 at the end), without consuming it. */
  peek(): i32 {
    if (this.pos >= this.pattern.length) return -1;
    return this.pattern.codePointAt(this.pos);
  }

  /** Consumes and returns the code point at the current position. */
  next(): i32 {
    const c = this.peek();
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  /** Whether the rest of the pattern starts with `prefix`. */
  lookingAt(prefix: string): bool {
    return this.pattern.startsWith(prefix, this.pos);
  }

  /** Records `message` about pattern[start, end) unless an earlier error was recorded. */
  fail(message: string, start: i32, end: i32): void {
    if (this.failed()) return;
    const fragment = this.pattern.substring(start, min(end, this.pattern.length));
    this.error = message + " `" + fragment + "` at position " + start.toString();
  }
}
