// Copies of guest bytes that outlive the call (filter state, shared data, bodies), made cheaply: a
// typed array over 64 bytes gets its own off-heap buffer in V8, which costs several times the copy
// itself and adds to every collection. Copies up to half a slab are carved out of a shared 8 KiB
// slab instead, as Node's Buffer pool does, so a copy may share its `.buffer` with others: read it
// through `byteOffset` and `byteLength`, as with any Buffer.

const SLAB_BYTES = 8192;
// Up to this size V8 keeps a typed array's bytes on its own heap, where a plain copy is cheap.
const ON_HEAP_BYTES = 64;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** A copy of `source[start, start + size)` that no later write to `source` changes. */
export function copyOf(source: Uint8Array, start: number, size: number): Uint8Array {
  if (size <= ON_HEAP_BYTES || size > SLAB_BYTES / 2) return source.slice(start, start + size);
  if (used + size > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const copy = slab.subarray(used, used + size);
  copy.set(source.subarray(start, start + size));
  // Each copy starts on an eight-byte boundary, as Node's pool aligns its slices.
  used = (used + size + 7) & ~7;
  return copy;
}
