// Return slots the host writes results into, and the conversions every typed host-call file
// shares. Host calls never re-enter guest code that uses the slots, so one set serves them all.

import { decodeRecentText } from "./text";

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
  const out = decodeRecentText(ptr, size);
  heap.free(ptr);
  return out;
}

/** Encodes `text` as UTF-8 (no terminator), the form every host call takes. */
export function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

// String arguments of a host call are encoded into one static area rather than a new buffer per
// call: the host reads them during the call, and nothing it calls back (the allocator) encodes.
// Arguments longer than the area get a buffer of their own, held until the next call.
const AREA_BYTES: usize = 4096;
const AREA: usize = memory.data(<i32>AREA_BYTES, 8);
// Where the last arguments start and how long each is: first pointer, second pointer, lengths.
const ARGS: usize = memory.data(16, 8);
let oversized: ArrayBuffer | null = null;

/** Encodes `first` and `second` (UTF-8, no terminators) for the next host call; read them with argPtr/argSize. */
export function encodeArgs(first: string, second: string = ""): void {
  const firstUnits = <usize>first.length;
  const secondUnits = <usize>second.length;
  // Names and values are ASCII almost always: a unit per byte, narrowed straight into the area.
  if (firstUnits + secondUnits <= AREA_BYTES && narrowAscii(first, AREA) && narrowAscii(second, AREA + firstUnits)) {
    oversized = null;
    noteArgs(AREA, firstUnits, secondUnits);
    return;
  }
  const firstLength = <usize>String.UTF8.byteLength(first);
  const secondLength = <usize>String.UTF8.byteLength(second);
  const base = reserve(firstLength + secondLength);
  String.UTF8.encodeUnsafe(changetype<usize>(first), first.length, base);
  String.UTF8.encodeUnsafe(changetype<usize>(second), second.length, base + firstLength);
  noteArgs(base, firstLength, secondLength);
}

// Records where the arguments of the next host call lie, for argPtr and argSize.
function noteArgs(base: usize, firstLength: usize, secondLength: usize): void {
  store<u32>(ARGS, <u32>base);
  store<u32>(ARGS, <u32>(base + firstLength), 4);
  store<u32>(ARGS, <u32>firstLength, 8);
  store<u32>(ARGS, <u32>secondLength, 12);
}

const NOT_ASCII: v128 = i16x8.splat(<i16>0xff80);

// Writes `text` at `at` a byte per unit when every unit is ASCII; false (bytes written so far
// left as they are) at the first unit that is not.
function narrowAscii(text: string, at: usize): bool {
  const units = changetype<usize>(text);
  const count = <usize>text.length;
  const tail = count & ~(<usize>7);
  for (let i: usize = 0; i < tail; i += 8) {
    const wide = v128.load(units + (i << 1));
    if (v128.any_true(v128.and(wide, NOT_ASCII))) return false;
    v128.store64_lane(at + i, i8x16.narrow_i16x8_u(wide, wide), 0);
  }
  for (let i = tail; i < count; i++) {
    const unit = <u32>load<u16>(units + (i << 1));
    if (unit >= 0x80) return false;
    store<u8>(at + i, <u8>unit);
  }
  return true;
}

/** Encodes property path `segments` joined with NUL bytes (Envoy's separator) as argument 0. */
export function encodePathArg(segments: Array<string>): void {
  let total: usize = segments.length > 0 ? <usize>(segments.length - 1) : 0;
  for (let i = 0; i < segments.length; i++) total += <usize>String.UTF8.byteLength(unchecked(segments[i]));
  const base = reserve(total);
  let at = base;
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) store<u8>(at++, 0);
    const segment = unchecked(segments[i]);
    at += String.UTF8.encodeUnsafe(changetype<usize>(segment), segment.length, at);
  }
  store<u32>(ARGS, <u32>base);
  store<u32>(ARGS, <u32>total, 8);
}

// Room for `total` bytes of arguments: the static area, or a buffer held until the next call.
function reserve(total: usize): usize {
  oversized = null;
  if (total <= AREA_BYTES) return AREA;
  const buffer = new ArrayBuffer(<i32>total);
  oversized = buffer;
  return changetype<usize>(buffer);
}

/** The guest address of argument 0 (first) or 1 (second) of the last encodeArgs. */
export function argPtr(index: i32): usize {
  return <usize>load<u32>(ARGS + ((<usize>index) << 2));
}

/** The byte length of argument 0 (first) or 1 (second) of the last encodeArgs. */
export function argSize(index: i32): usize {
  return <usize>load<u32>(ARGS + 8 + ((<usize>index) << 2));
}

/** The guest address of `buffer`'s bytes, valid while `buffer` is referenced. */
export function ptr(buffer: ArrayBuffer): usize {
  return changetype<usize>(buffer);
}

/** The length of `buffer` in bytes. */
export function size(buffer: ArrayBuffer): usize {
  return <usize>buffer.byteLength;
}
