// A forward-only reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/)
// for the few messages a filter reads from Envoy (the `xds.node` Node, google.protobuf.Struct).
// It never traps: a malformed tag, varint, length or a group (wire types 3 and 4, which proto3
// messages never use) stops the walk and sets `error`.

/** The protobuf wire type of a varint field (int32, int64, uint*, sint*, bool, enum). */
export const WIRE_VARINT: i32 = 0;
/** The protobuf wire type of an 8-byte field (fixed64, sfixed64, double). */
export const WIRE_FIXED64: i32 = 1;
/** The protobuf wire type of a length-delimited field (string, bytes, messages, packed repeated). */
export const WIRE_LENGTH: i32 = 2;
/** The protobuf wire type of a 4-byte field (fixed32, sfixed32, float). */
export const WIRE_FIXED32: i32 = 5;

/** Longest encoding of a 64-bit varint. */
const MAX_VARINT_BYTES: i32 = 10;
/** Largest field number protobuf allows (2^29 - 1). */
const MAX_FIELD: u64 = 0x1fffffff;

/** Walks the fields of one encoded message in `bytes[start, end)`; call `next()` and then, optionally, the accessor matching `wireType`. */
export class ProtoReader {
  /** The number of the current field (valid after `next()` returned true). */
  field: i32 = 0;
  /** The wire type of the current field: WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH or WIRE_FIXED32. */
  wireType: i32 = 0;
  /** True once the input proved malformed (or the range was outside `bytes`); `next()` then returns false. */
  error: bool = false;
  private readonly source: Uint8Array;
  private readonly end: i32;
  private position: i32;
  private valueStart: i32 = 0;
  private valueEnd: i32 = 0;

  /** Reads `bytes[start, end)`; a range outside `bytes` sets `error` at once. */
  constructor(bytes: Uint8Array, start: i32 = 0, end: i32 = bytes.length) {
    this.source = bytes;
    const valid = start >= 0 && start <= end && end <= bytes.length;
    this.position = valid ? start : 0;
    this.end = valid ? end : 0;
    this.error = !valid;
  }

  /** Moves to the next field, skipping the unread value of the current one; false at the end of the message or when the bytes are malformed (then `error` is true). */
  next(): bool {
    if (this.error || this.position >= this.end) return false;
    const tag = this.readVarint();
    if (this.error) return false;
    const field = tag >> 3;
    const wireType = <i32>(tag & 7);
    if (field == 0 || field > MAX_FIELD) return this.fail();
    const start = this.position;
    let length: i64 = 0;
    if (wireType == WIRE_VARINT) {
      this.readVarint();
      if (this.error) return false;
      length = <i64>(this.position - start);
      this.position = start;
    } else if (wireType == WIRE_FIXED64) {
      length = 8;
    } else if (wireType == WIRE_FIXED32) {
      length = 4;
    } else if (wireType == WIRE_LENGTH) {
      const declared = this.readVarint();
      if (this.error) return false;
      if (declared > <u64>(this.end - this.position)) return this.fail();
      length = <i64>declared;
    } else {
      return this.fail();
    }
    if (length > <i64>(this.end - this.position)) return this.fail();
    this.field = <i32>field;
    this.wireType = wireType;
    this.valueStart = this.position;
    this.valueEnd = this.position + <i32>length;
    this.position = this.valueEnd;
    return true;
  }

  /** The current varint field's value (0 when the field is not a varint). */
  varint(): u64 {
    if (this.wireType != WIRE_VARINT) return 0;
    let value: u64 = 0;
    let shift: u64 = 0;
    for (let i = this.valueStart; i < this.valueEnd; i++) {
      value |= (<u64>(this.source[i] & 0x7f)) << shift;
      shift += 7;
    }
    return value;
  }

  /** The current 8-byte field's bits, little-endian (0 when the field is not fixed64); `reinterpret<f64>` gives a double. */
  fixed64(): u64 {
    if (this.wireType != WIRE_FIXED64) return 0;
    return load<u64>(this.source.dataStart + <usize>this.valueStart);
  }

  /** The current 4-byte field's bits, little-endian (0 when the field is not fixed32); `reinterpret<f32>` gives a float. */
  fixed32(): u32 {
    if (this.wireType != WIRE_FIXED32) return 0;
    return load<u32>(this.source.dataStart + <usize>this.valueStart);
  }

  /** A view (not a copy) of the current length-delimited field's bytes (empty when the field is not length-delimited). */
  bytes(): Uint8Array {
    if (this.wireType != WIRE_LENGTH) return this.source.subarray(0, 0);
    return this.source.subarray(this.valueStart, this.valueEnd);
  }

  /** The current length-delimited field decoded as UTF-8 ("" when it is not length-delimited); invalid UTF-8 is decoded leniently, never rejected. */
  string(): string {
    if (this.wireType != WIRE_LENGTH) return "";
    const length = this.valueEnd - this.valueStart;
    return String.UTF8.decodeUnsafe(this.source.dataStart + <usize>this.valueStart, <usize>length);
  }

  /** A reader over the current length-delimited field, for an embedded message (at its end at once when the field is not length-delimited). */
  message(): ProtoReader {
    if (this.wireType != WIRE_LENGTH) return new ProtoReader(this.source, 0, 0);
    return new ProtoReader(this.source, this.valueStart, this.valueEnd);
  }

  // Reads a varint at `position`; more than 10 bytes or the end of input sets `error`. Bits past
  // the 64th (a 10th byte above 1) are dropped rather than refused: the value is taken mod 2^64.
  private readVarint(): u64 {
    let value: u64 = 0;
    let shift: u64 = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.position >= this.end) break;
      const byte = <u64>this.source[this.position++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
    this.fail();
    return 0;
  }

  private fail(): bool {
    this.error = true;
    return false;
  }
}
