// Trace context for the telemetry filter: reads W3C Trace Context Level 1 `traceparent` and
// `tracestate` (https://www.w3.org/TR/trace-context-1/, test suite w3c/trace-context test/test.py)
// and Zipkin B3 headers (openzipkin/b3-propagation), and makes new ids from random bytes the
// filter supplies. Pure functions: no host calls, and no input makes them trap.

import { StringBuilder } from "../../assembly";

const DASH: i32 = 0x2d;
const SAMPLED_FLAG: u8 = 1;
const TRACEPARENT_LENGTH: i32 = 55;
const MAX_TRACESTATE_MEMBERS: i32 = 32;
const MAX_TRACESTATE_VALUE: i32 = 256;
const MAX_SIMPLE_KEY: i32 = 256;
const MAX_TENANT_ID: i32 = 241;
const MAX_SYSTEM_ID: i32 = 14;
const HEX_DIGITS = "0123456789abcdef";
const B3_ID_PADDING = "0000000000000000";

// Every traceparent is formatted here, so only the value itself is allocated.
@lazy const traceparentText = new StringBuilder(TRACEPARENT_LENGTH);

/** The trace a request belongs to and the span that sent it, however it was learnt. */
export class TraceContext {
  /** 32 lowercase hex digits, never all zero. */
  traceId: string;
  /** 16 lowercase hex digits, never all zero: the caller's span (traceparent parent-id, B3 span id). */
  spanId: string;
  /** Whether the caller recorded (or asks to record) this trace. */
  sampled: bool;
  /** The trace-flags byte; bit 0 is `sampled`, other bits of a version 00 traceparent are kept as sent. */
  flags: u8;
  /** A valid tracestate header value, or "" when there was none or it was invalid. */
  tracestate: string = "";
  /** Where the context came from: "w3c", "b3", "b3-single" or "generated". */
  source: string;

  constructor(traceId: string, spanId: string, flags: u8, source: string) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.flags = flags;
    this.sampled = (flags & SAMPLED_FLAG) != 0;
    this.source = source;
  }

  /** Formats the context as a version 00 traceparent value, `00-<trace-id>-<span-id>-<flags>`. */
  traceparent(): string {
    const text = traceparentText;
    text.clear();
    text.text("00-");
    text.text(this.traceId);
    text.code(DASH);
    text.text(this.spanId);
    text.code(DASH);
    text.code(HEX_DIGITS.charCodeAt((this.flags >> 4) & 0xf));
    text.code(HEX_DIGITS.charCodeAt(this.flags & 0xf));
    return text.toString();
  }
}

/**
 * Reads a traceparent value, or returns null when the spec says to ignore it. Leading and trailing
 * spaces and tabs are dropped first (an HTTP field value excludes them, and the W3C test suite sends
 * them expecting acceptance). A version above 00 is read by its 00 prefix and keeps only the sampled bit.
 */
export function parseTraceparent(value: string): TraceContext | null {
  const text = trimOws(value);
  const length = text.length;
  if (length < TRACEPARENT_LENGTH) return null;
  if (!isLowerHex(text, 0, 2) || text.charCodeAt(2) != DASH) return null;
  const version = readByte(text, 0);
  if (version == 0xff) return null;
  if (version == 0 && length != TRACEPARENT_LENGTH) return null;
  if (length > TRACEPARENT_LENGTH && text.charCodeAt(TRACEPARENT_LENGTH) != DASH) return null;
  if (text.charCodeAt(35) != DASH || text.charCodeAt(52) != DASH) return null;
  if (!isLowerHex(text, 3, 32) || !isLowerHex(text, 36, 16) || !isLowerHex(text, 53, 2)) return null;
  const traceId = text.substring(3, 35);
  const spanId = text.substring(36, 52);
  if (isAllZero(traceId) || isAllZero(spanId)) return null;
  let flags = <u8>readByte(text, 53);
  if (version != 0) flags &= SAMPLED_FLAG;
  return new TraceContext(traceId, spanId, flags, "w3c");
}

/**
 * Returns whether `value` is a valid Level 1 tracestate: at most 32 members (empty ones, allowed
 * around commas, are not counted), each `key=value` with a unique key. Spaces and tabs around a
 * member are optional whitespace, so a value never ends in one.
 */
export function validTracestate(value: string): bool {
  const keys = new Array<string>();
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(",", start);
    if (end < 0) end = value.length;
    const member = trimOws(value.substring(start, end));
    start = end + 1;
    if (member.length == 0) continue;
    const equals = member.indexOf("=");
    if (equals < 0) return false;
    const key = member.substring(0, equals);
    if (!validTracestateKey(key) || !validTracestateValue(member, equals + 1)) return false;
    if (keys.includes(key) || keys.length == MAX_TRACESTATE_MEMBERS) return false;
    keys.push(key);
  }
  return true;
}

/**
 * Reads B3 headers (each null when absent): a valid single `b3` header wins over the multi headers;
 * a `b3` holding only a sampling state (`0`, `1`, `d`) carries no ids and gives null. Returns null
 * when no valid ids were found. With no sampling decision the context is unsampled.
 */
export function parseB3(
  single: string | null,
  traceId: string | null,
  spanId: string | null,
  sampled: string | null,
  flags: string | null,
): TraceContext | null {
  if (single != null) {
    const text = trimOws(single);
    if (text == "0" || text == "1" || text == "d") return null;
    const context = parseB3Single(text);
    if (context != null) return context;
  }
  if (traceId == null || spanId == null) return null;
  const trace = b3TraceId(trimOws(traceId));
  const span = trimOws(spanId);
  if (trace == null || !isId(span, 16)) return null;
  const state = sampled != null ? trimOws(sampled) : "";
  const debug = flags != null && trimOws(flags) == "1";
  const isSampled = debug || state == "1" || state == "true";
  return new TraceContext(trace, span, isSampled ? SAMPLED_FLAG : 0, "b3");
}

/**
 * Makes a new trace from 24 random bytes (16 for the trace id, 8 for the span id); an all-zero id
 * gets 1 as its last byte, and missing bytes count as zero. The flags are 01 when `sampled`.
 */
export function generateTraceContext(random: Uint8Array, sampled: bool): TraceContext {
  const traceId = nonZeroHex(random, 0, 16);
  const spanId = nonZeroHex(random, 16, 8);
  return new TraceContext(traceId, spanId, sampled ? SAMPLED_FLAG : 0, "generated");
}

/** Makes a span id (16 hex digits) from 8 random bytes, with the same non-zero rule as traces. */
export function newSpanId(random: Uint8Array): string {
  return nonZeroHex(random, 0, 8);
}

// `{TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`; the parent span id is checked, not kept.
function parseB3Single(text: string): TraceContext | null {
  const traceLength = text.indexOf("-");
  if (traceLength != 16 && traceLength != 32) return null;
  const trace = b3TraceId(text.substring(0, traceLength));
  const spanEnd = traceLength + 17;
  const span = text.substring(traceLength + 1, spanEnd);
  if (trace == null || !isId(span, 16)) return null;
  if (text.length == spanEnd) return new TraceContext(trace, span, 0, "b3-single");
  if (text.charCodeAt(spanEnd) != DASH) return null;
  const state = text.charCodeAt(spanEnd + 1);
  if (state != 0x30 && state != 0x31 && state != 0x64) return null;
  const stateEnd = spanEnd + 2;
  if (text.length != stateEnd) {
    if (text.charCodeAt(stateEnd) != DASH || text.length != stateEnd + 17) return null;
    if (!isId(text.substring(stateEnd + 1), 16)) return null;
  }
  return new TraceContext(trace, span, state == 0x30 ? 0 : SAMPLED_FLAG, "b3-single");
}

// A B3 trace id of 16 or 32 lowercase hex digits, widened to 32; null when invalid.
function b3TraceId(text: string): string | null {
  if (isId(text, 32)) return text;
  if (isId(text, 16)) return B3_ID_PADDING + text;
  return null;
}

function isId(text: string, length: i32): bool {
  return text.length == length && isLowerHex(text, 0, length) && !isAllZero(text);
}

// simple-key, or tenant-id "@" system-id (Level 1 grammar).
function validTracestateKey(key: string): bool {
  const at = key.indexOf("@");
  if (at < 0) return isLowerAlpha(key.charCodeAt(0)) && keyCharsFrom(key, 1, key.length, MAX_SIMPLE_KEY);
  if (at == 0 || at > MAX_TENANT_ID) return false;
  const tenantFirst = key.charCodeAt(0);
  if (!isLowerAlpha(tenantFirst) && !isDigit(tenantFirst)) return false;
  if (!keyCharsFrom(key, 1, at, MAX_TENANT_ID)) return false;
  const systemLength = key.length - at - 1;
  if (systemLength < 1 || !isLowerAlpha(key.charCodeAt(at + 1))) return false;
  return keyCharsFrom(key, at + 2, key.length, at + 1 + MAX_SYSTEM_ID);
}

// Whether text[from, end) are all key characters and `end` does not pass `limit`.
function keyCharsFrom(text: string, from: i32, end: i32, limit: i32): bool {
  if (end > limit) return false;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isLowerAlpha(c) && !isDigit(c) && c != 0x5f && c != 0x2d && c != 0x2a && c != 0x2f) return false;
  }
  return true;
}

// 1 to 256 printable ASCII characters except `,` and `=`, from `from` to the end of a trimmed member
// (which therefore ends in a non-blank character, as the grammar's nblk-chr asks).
function validTracestateValue(member: string, from: i32): bool {
  const length = member.length - from;
  if (length < 1 || length > MAX_TRACESTATE_VALUE) return false;
  for (let i = from; i < member.length; i++) {
    const c = member.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c == 0x2c || c == 0x3d) return false;
  }
  return true;
}

function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start == 0 && end == text.length ? text : text.substring(start, end);
}

function isOws(c: i32): bool {
  return c == 0x20 || c == 0x09;
}

function isLowerAlpha(c: i32): bool {
  return c >= 0x61 && c <= 0x7a;
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: i32): i32 {
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function isLowerHex(text: string, from: i32, count: i32): bool {
  if (from + count > text.length) return false;
  for (let i = from; i < from + count; i++) {
    if (hexValue(text.charCodeAt(i)) < 0) return false;
  }
  return true;
}

// The byte spelt by two lowercase hex digits at `at` (already checked).
function readByte(text: string, at: i32): i32 {
  return (hexValue(text.charCodeAt(at)) << 4) | hexValue(text.charCodeAt(at + 1));
}

function isAllZero(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) != 0x30) return false;
  }
  return true;
}

// Hex of bytes[from, from + count) (missing bytes are zero); all zero becomes ...01. The digits
// go straight into one new string: one allocation, where concatenating made three per byte.
function nonZeroHex(bytes: Uint8Array, from: i32, count: i32): string {
  const hex = changetype<string>(__new((<usize>count) << 2, idof<string>()));
  const out = changetype<usize>(hex);
  let zero = true;
  for (let i = 0; i < count; i++) {
    const at = from + i;
    const value = at < bytes.length ? <i32>bytes[at] : 0;
    if (value != 0) zero = false;
    const digits = out + ((<usize>i) << 2);
    store<u16>(digits, HEX_DIGITS.charCodeAt(value >> 4));
    store<u16>(digits + 2, HEX_DIGITS.charCodeAt(value & 0xf));
  }
  if (zero) store<u16>(out + ((<usize>count) << 2) - 2, 0x31);
  return hex;
}
