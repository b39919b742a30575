// The typed layer over `imports.ts`: the only code that turns guest pointers into strings and
// buffers. Everything above it is pointer-free. Absent values are `null`; actionable outcomes
// are `Status` numbers. Host-allocated results arrive through `malloc` (see exports.ts) and are
// copied into managed objects and freed at once.

import * as abi from "./imports";
import { deserializeHeaders, serializeHeaders } from "./serde";
import { Header } from "../header";
import { BufferType, LogLevel, MapType, Status, StreamType } from "../types";
import {
  argPtr,
  argSize,
  clearSlots,
  encodeArgs,
  encodePathArg,
  ptr,
  size,
  SLOT_A,
  SLOT_B,
  SLOT_C,
  takeBytes,
  takeString,
  utf8,
} from "./slots";

/** Logs `message` at `level`; BadArgument for a level above Critical. */
export function log(level: LogLevel, message: string): Status {
  encodeArgs(message);
  return <Status>abi.proxy_log(<u32>level, argPtr(0), argSize(0));
}

/** Returns Envoy's current `wasm` log level (which may be Off). */
export function getLogLevel(): LogLevel {
  store<u32>(SLOT_A, <u32>LogLevel.Info);
  abi.proxy_get_log_level(SLOT_A);
  return <LogLevel>load<u32>(SLOT_A);
}

/** Returns the host's wall clock in nanoseconds since the Unix epoch. */
export function getCurrentTimeNanoseconds(): u64 {
  store<u64>(SLOT_A, 0);
  abi.proxy_get_current_time_nanoseconds(SLOT_A);
  return load<u64>(SLOT_A);
}

/** Returns the first value of `name` in `map`, or null when absent or the map is unavailable now. */
export function getHeaderMapValue(map: MapType, name: string): string | null {
  encodeArgs(name);
  clearSlots();
  const status = abi.proxy_get_header_map_value(<u32>map, argPtr(0), argSize(0), SLOT_A, SLOT_B);
  if (status != Status.Ok) return null;
  return takeString();
}

/** Returns the first value of `name` in `map` as raw bytes, or null when absent or unavailable. */
export function getHeaderMapValueBytes(map: MapType, name: string): ArrayBuffer | null {
  encodeArgs(name);
  clearSlots();
  const status = abi.proxy_get_header_map_value(<u32>map, argPtr(0), argSize(0), SLOT_A, SLOT_B);
  if (status != Status.Ok) return null;
  return takeBytes();
}

/** Returns every entry of `map` in the host's order, in `into` (emptied first) when given; empty when the map is unavailable now. */
export function getHeaderMapPairs(map: MapType, into: Array<Header> = new Array<Header>()): Array<Header> {
  clearSlots();
  const status = abi.proxy_get_header_map_pairs(<u32>map, SLOT_A, SLOT_B);
  const dataPtr = load<usize>(SLOT_A);
  if (status != Status.Ok || dataPtr == 0) {
    into.length = 0;
    return into;
  }
  const headers = deserializeHeaders(dataPtr, load<usize>(SLOT_B), into);
  heap.free(dataPtr);
  return headers;
}

/** Replaces every entry of `map` with `headers`. */
export function setHeaderMapPairs(map: MapType, headers: Array<Header>): Status {
  const pairs = serializeHeaders(headers);
  return <Status>abi.proxy_set_header_map_pairs(<u32>map, ptr(pairs), size(pairs));
}

/** Adds a value for `name` in `map`, keeping existing values. */
export function addHeaderMapValue(map: MapType, name: string, value: string): Status {
  encodeArgs(name, value);
  return <Status>abi.proxy_add_header_map_value(<u32>map, argPtr(0), argSize(0), argPtr(1), argSize(1));
}

/** Sets `value` as the only value of `name` in `map`, adding it when absent. */
export function replaceHeaderMapValue(map: MapType, name: string, value: string): Status {
  encodeArgs(name, value);
  return <Status>abi.proxy_replace_header_map_value(<u32>map, argPtr(0), argSize(0), argPtr(1), argSize(1));
}

/** Adds raw bytes `value` for `name` in `map`, keeping existing values. */
export function addHeaderMapValueBytes(map: MapType, name: string, value: ArrayBuffer): Status {
  encodeArgs(name);
  return <Status>abi.proxy_add_header_map_value(<u32>map, argPtr(0), argSize(0), ptr(value), size(value));
}

/** Sets raw bytes `value` as the only value of `name` in `map`, adding it when absent. */
export function replaceHeaderMapValueBytes(map: MapType, name: string, value: ArrayBuffer): Status {
  encodeArgs(name);
  return <Status>abi.proxy_replace_header_map_value(<u32>map, argPtr(0), argSize(0), ptr(value), size(value));
}

/** Returns the byte size Envoy reports for `map` (names plus values), or -1 when it is unavailable now. */
export function getHeaderMapSize(map: MapType): i64 {
  store<u32>(SLOT_A, 0);
  const status = abi.proxy_get_header_map_size(<u32>map, SLOT_A);
  return status == Status.Ok ? <i64>load<u32>(SLOT_A) : -1;
}

/** Removes every value of `name` from `map`; Ok when it was absent. */
export function removeHeaderMapValue(map: MapType, name: string): Status {
  encodeArgs(name);
  return <Status>abi.proxy_remove_header_map_value(<u32>map, argPtr(0), argSize(0));
}

/** Returns up to `maxSize` bytes of `buffer` from `start`, or null when the buffer is unavailable. */
export function getBufferBytes(buffer: BufferType, start: u32, maxSize: u32): ArrayBuffer | null {
  clearSlots();
  const status = abi.proxy_get_buffer_bytes(<u32>buffer, start, maxSize, SLOT_A, SLOT_B);
  if (status != Status.Ok) return null;
  return takeBytes();
}

/** Returns the length of `buffer`, or -1 when the host reports it unavailable (NotFound or BadArgument). */
export function getBufferLength(buffer: BufferType): i64 {
  store<u64>(SLOT_A, 0);
  const status = abi.proxy_get_buffer_status(<u32>buffer, SLOT_A, SLOT_B);
  return status == Status.Ok ? <i64>load<u32>(SLOT_A) : -1;
}

/** Writes `data` into `buffer` with Envoy's rules: start 0 drops `length` bytes then prepends, start >= length appends. */
export function setBufferBytes(buffer: BufferType, start: u32, length: u32, data: ArrayBuffer): Status {
  return <Status>abi.proxy_set_buffer_bytes(<u32>buffer, start, length, ptr(data), size(data));
}

/** Resumes `stream` of the current context once the current callback returns. */
export function continueStream(stream: StreamType): Status {
  return <Status>abi.proxy_continue_stream(<u32>stream);
}

/** Resets or closes `stream` of the current context once the current callback returns. */
export function closeStream(stream: StreamType): Status {
  return <Status>abi.proxy_close_stream(<u32>stream);
}

/** Schedules a local reply on the current HTTP stream. */
export function sendLocalResponse(
  statusCode: u32,
  details: string,
  body: ArrayBuffer,
  headers: Array<Header>,
  grpcStatus: i32,
): Status {
  const detailBytes = utf8(details);
  const pairs = serializeHeaders(headers);
  return <Status>(
    abi.proxy_send_local_response(
      statusCode,
      ptr(detailBytes),
      size(detailBytes),
      ptr(body),
      size(body),
      ptr(pairs),
      size(pairs),
      grpcStatus,
    )
  );
}

/** Returns the encoded value of the property at `path`, or null when it is absent. */
export function getProperty(path: Array<string>): ArrayBuffer | null {
  return askProperty(path) == Status.Ok ? takeBytes() : null;
}

/** Returns the property at `path` decoded as UTF-8, or null when the host does not answer Ok. */
export function getPropertyText(path: Array<string>): string | null {
  return askProperty(path) == Status.Ok ? takeString() : null;
}

/**
 * Puts the property at `path` in SLOT_C when it is `width` bytes long; `width` is 8 (an int, a
 * uint or a double) or 1 (a bool), no other. False otherwise. Allocates nothing of its own.
 */
export function getPropertyScalar(path: Array<string>, width: usize): bool {
  if (askProperty(path) != Status.Ok) return false;
  const ptr = load<usize>(SLOT_A);
  const length = load<usize>(SLOT_B);
  if (ptr == 0) return false;
  if (length == width) store<u64>(SLOT_C, width == 8 ? load<u64>(ptr) : <u64>load<u8>(ptr));
  heap.free(ptr);
  return length == width;
}

// Asks the host for the property at `path`; on Ok its value is in (SLOT_A, SLOT_B).
function askProperty(path: Array<string>): Status {
  encodePathArg(path);
  clearSlots();
  return <Status>abi.proxy_get_property(argPtr(0), argSize(0), SLOT_A, SLOT_B);
}

/** Returns the status the host answers for the property at `path`, discarding the value. */
export function getPropertyStatus(path: Array<string>): Status {
  const status = askProperty(path);
  if (status == Status.Ok) takeBytes();
  return status;
}

/** Stores `value` in the stream's filter state under `wasm.<name>`. */
export function setProperty(name: string, value: ArrayBuffer): Status {
  encodeArgs(name);
  return <Status>abi.proxy_set_property(argPtr(0), argSize(0), ptr(value), size(value));
}
