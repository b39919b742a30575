// Values a guest names by bytes it writes on every request (property paths, filter-state names):
// each is made from its bytes once, then found again by comparing bytes (grouped by length), without
// decoding a string to look it up by.

/** A bounded cache of values made from guest bytes, looked up by those bytes in place. */
export class ByBytes<T> {
  private readonly bySize = new Map<number, { bytes: Uint8Array; value: T }[]>();
  private count = 0;

  constructor(
    /** Makes the value of bytes not seen before (it may keep them: they are a copy). */
    private readonly make: (bytes: Uint8Array) => T,
    /** How many values are kept before the cache starts over. */
    private readonly most = 1024,
  ) {}

  /** The value of `memory[start, end)`. */
  get(memory: Uint8Array, start: number, end: number): T {
    const size = end - start;
    const known = this.bySize.get(size);
    if (known) for (const entry of known) if (sameBytes(entry.bytes, memory, start)) return entry.value;
    if (this.count >= this.most) {
      this.bySize.clear();
      this.count = 0;
    }
    const bytes = memory.slice(start, end);
    const value = this.make(bytes);
    const entries = known ?? [];
    entries.push({ bytes, value });
    this.bySize.set(size, entries);
    this.count++;
    return value;
  }
}

// Whether `memory` holds `bytes` at `start`.
function sameBytes(bytes: Uint8Array, memory: Uint8Array, start: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== memory[start + i]) return false;
  return true;
}
