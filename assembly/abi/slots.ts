// Return slots the host writes results into, and the conversions every typed host-call file
// shares. Host calls never re-enter guest code that uses the slots, so one set serves them all.

/** First return slot: a pointer, a u32 or the low half of a u64. */
export const SLOT_A: usize = memory.data(8, 8);
/** Second return slot: the size that goes with SLOT_A's pointer. */
export const SLOT_B: usize = memory.data(8, 8);
/** Third return slot: a cas, a status code or another scalar. */
export const SLOT_C: usize = memory.data(8, 8);

/** Zeroes the return slots before a host call that may leave them untouched. */
export function clearSlots(): void {
  store<u64>(SLOT_A, 0);
  store<u64>(SLOT_B, 0);
  store<u64>(SLOT_C, 0);
}

/** Copies the host-allocated (SLOT_A, SLOT_B) bytes into a managed buffer and frees them; (0, 0) is empty. */
export function takeBytes(): ArrayBuffer {
  const ptr = load<usize>(SLOT_A);
  const size = load<usize>(SLOT_B);
  const out = new ArrayBuffer(<i32>size);
  if (ptr != 0) {
    memory.copy(changetype<usize>(out), ptr, size);
    heap.free(ptr);
  }
  return out;
}

/** Decodes the host-allocated (SLOT_A, SLOT_B) bytes as UTF-8 and frees them; (0, 0) is "". */
export function takeString(): string {
  const ptr = load<usize>(SLOT_A);
  const size = load<usize>(SLOT_B);
  if (ptr == 0) return "";
  const out = String.UTF8.decodeUnsafe(ptr, size);
  heap.free(ptr);
  return out;
}

/** Encodes `text` as UTF-8 (no terminator), the form every host call takes. */
export function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

/** The guest address of `buffer`'s bytes, valid while `buffer` is referenced. */
export function ptr(buffer: ArrayBuffer): usize {
  return changetype<usize>(buffer);
}

/** The length of `buffer` in bytes. */
export function size(buffer: ArrayBuffer): usize {
  return <usize>buffer.byteLength;
}
