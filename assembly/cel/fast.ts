// Element, length and text reads that compile to plain loads. Under the incremental runtime every
// function holding object references gets a shadow-stack frame (zeroed with a memory.fill call once
// it exceeds 16 bytes), and the standard library's accessors (`Array#length`, `array[i]`,
// `String#length`, `==` on strings) stay out of line. So the evaluator's hot paths read through
// these: inlined loads, and text comparisons over addresses, which need no frame at all. Addresses
// are only used while nothing allocates, so the collector cannot free what they point to.

/** The number of elements of `list`. */
// @ts-ignore: decorator
@inline
export function count<T>(list: Array<T>): i32 {
  return load<i32>(changetype<usize>(list), offsetof<Array<T>>("length_"));
}

/** Element `i` of `list`, which must be below `count(list)`. */
// @ts-ignore: decorator
@inline
export function at<T>(list: Array<T>, i: i32): T {
  return load<T>(load<usize>(changetype<usize>(list), offsetof<Array<T>>("dataStart")) + ((<usize>i) << alignof<T>()));
}

/** Element `i` of `list`, which must be below its length. */
// @ts-ignore: decorator
@inline
export function cell<T>(list: StaticArray<T>, i: i32): T {
  return load<T>(changetype<usize>(list) + ((<usize>i) << alignof<T>()));
}

/** Sets every element of `list` to null (dropping references needs no write barrier). */
// @ts-ignore: decorator
@inline
export function forget<T>(list: StaticArray<T>): void {
  memory.fill(changetype<usize>(list), 0, <usize>byteSize(changetype<usize>(list)));
}

// The object header ends with the payload's size in bytes.
// @ts-ignore: decorator
@inline
function byteSize(object: usize): u32 {
  return load<u32>(object - 4);
}

/** The length of `text` in UTF-16 units. */
// @ts-ignore: decorator
@inline
export function textLength(text: string): i32 {
  return <i32>(byteSize(changetype<usize>(text)) >>> 1);
}

/** UTF-16 unit `i` of `text`, which must be below `textLength(text)`. */
// @ts-ignore: decorator
@inline
export function unitAt(text: string, i: i32): i32 {
  return <i32>load<u16>(changetype<usize>(text) + ((<usize>i) << 1));
}

/** Whether the strings at addresses `a` and `b` hold the same text. */
export function textEquals(a: usize, b: usize): bool {
  if (a == b) return true;
  const size = byteSize(a);
  return size == byteSize(b) && memory.compare(a, b, size) == 0;
}

/** The index of the first string equal to the string at `text` in the `string[]` at `list`, or -1. */
export function indexOfText(list: usize, text: usize): i32 {
  const n = load<i32>(list, offsetof<string[]>("length_"));
  const data = load<usize>(list, offsetof<string[]>("dataStart"));
  for (let i = 0; i < n; i++) if (textEquals(load<usize>(data + ((<usize>i) << 2)), text)) return i;
  return -1;
}

/** Whether the string at `text` starts with the string at `prefix` (UTF-16 units, as String#startsWith). */
export function textStartsWith(text: usize, prefix: usize): bool {
  const size = byteSize(prefix);
  return size <= byteSize(text) && memory.compare(text, prefix, size) == 0;
}

/** Whether the string at `text` ends with the string at `suffix` (UTF-16 units, as String#endsWith). */
export function textEndsWith(text: usize, suffix: usize): bool {
  const size = byteSize(suffix);
  const total = byteSize(text);
  return size <= total && memory.compare(text + total - size, suffix, size) == 0;
}
