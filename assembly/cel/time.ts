// Timestamps and durations: RFC 3339 and Go-style duration text, proleptic Gregorian calendar
// fields (days-from-civil arithmetic), and CEL's ranges (years 0001..9999, durations in int64 ns).

import { CivilDate, daysFromCivil, floorDiv } from "../civil-date";
import { CelDuration, CelError, CelTimestamp, CelValue, celInt } from "./value";

const NANOS_PER_SECOND: i64 = 1_000_000_000;
/** 0001-01-01T00:00:00Z. */
const MIN_SECONDS: i64 = -62135596800;
/** 9999-12-31T23:59:59Z. */
const MAX_SECONDS: i64 = 253402300799;

/** A timestamp, or a range error outside years 0001..9999; `nanos` may be any value and is normalised. */
export function makeTimestamp(seconds: i64, nanos: i64): CelValue {
  let s = seconds + nanos / NANOS_PER_SECOND;
  let n = nanos % NANOS_PER_SECOND;
  if (n < 0) {
    n += NANOS_PER_SECOND;
    s -= 1;
  }
  if (s < MIN_SECONDS || s > MAX_SECONDS) return new CelError("timestamp out of range");
  return new CelTimestamp(s, <i32>n);
}

/** `t + d` (negative `d` subtracts), or a range error. */
export function addToTimestamp(t: CelTimestamp, d: i64): CelValue {
  return makeTimestamp(t.seconds + d / NANOS_PER_SECOND, <i64>t.nanos + (d % NANOS_PER_SECOND));
}

/** `a - b` as a duration, or a range error when it does not fit in int64 nanoseconds. */
export function subtractTimestamps(a: CelTimestamp, b: CelTimestamp): CelValue {
  const seconds = a.seconds - b.seconds;
  const limit = i64.MAX_VALUE / NANOS_PER_SECOND - 1;
  if (seconds > limit || seconds < -limit) return new CelError("duration out of range");
  return new CelDuration(seconds * NANOS_PER_SECOND + <i64>(a.nanos - b.nanos));
}

function digits(text: string, at: i32, count: i32): i32 {
  if (at + count > text.length) return -1;
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = text.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Parses RFC 3339 text such as `2009-02-13T23:31:30.5Z` or `...+01:00`. */
export function parseTimestamp(text: string): CelValue {
  const bad = new CelError("invalid timestamp '" + text + "'");
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || minute < 0 || second < 0) return bad;
  if (text.charAt(4) != "-" || text.charAt(7) != "-" || text.charAt(10) != "T") return bad;
  if (text.charAt(13) != ":" || text.charAt(16) != ":") return bad;
  if (day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return bad;
  let at = 19;
  let nanos: i64 = 0;
  if (text.charAt(at) == ".") {
    let scale: i64 = 100_000_000;
    at++;
    const start = at;
    for (let c = digits(text, at, 1); c >= 0 && at - start < 9; c = digits(text, ++at, 1)) {
      nanos += <i64>c * scale;
      scale /= 10;
    }
    if (at == start || digits(text, at, 1) >= 0) return bad;
  }
  let offset: i64 = 0;
  const zone = text.charAt(at);
  if (zone == "Z" && at + 1 == text.length) offset = 0;
  else if ((zone == "+" || zone == "-") && at + 6 == text.length && text.charAt(at + 3) == ":") {
    const oh = digits(text, at + 1, 2);
    const om = digits(text, at + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return bad;
    offset = (<i64>oh * 3600 + <i64>om * 60) * (zone == "-" ? -1 : 1);
  } else return bad;
  const seconds = daysFromCivil(year, month, day) * 86400 + <i64>hour * 3600 + <i64>minute * 60 + second;
  return makeTimestamp(seconds - offset, nanos);
}

function pad(n: i64, width: i32): string {
  let text = n.toString();
  while (text.length < width) text = "0" + text;
  return text;
}

// Nine-digit nanoseconds with trailing zeros removed, after a dot; "" for zero.
function fraction(nanos: i64): string {
  if (nanos == 0) return "";
  let text = pad(nanos, 9);
  let end = text.length;
  while (text.charCodeAt(end - 1) == 48) end--;
  return "." + text.substring(0, end);
}

/** RFC 3339 text in UTC with as many fractional digits as needed, as cel-go prints it. */
export function formatTimestamp(t: CelTimestamp): string {
  const c = new CivilDate(t.seconds);
  return (
    pad(c.year, 4) +
    "-" +
    pad(<i64>c.month, 2) +
    "-" +
    pad(<i64>c.day, 2) +
    "T" +
    pad(<i64>c.hour, 2) +
    ":" +
    pad(<i64>c.minute, 2) +
    ":" +
    pad(<i64>c.second, 2) +
    fraction(t.nanos) +
    "Z"
  );
}

/** Seconds with a fraction and an `s` suffix, e.g. `1.5s`, `-0.000000001s`. */
export function formatDuration(d: CelDuration): string {
  const negative = d.nanos < 0;
  const magnitude: u64 = negative ? <u64>-d.nanos : <u64>d.nanos;
  const seconds = magnitude / <u64>NANOS_PER_SECOND;
  const nanos = <i64>(magnitude % <u64>NANOS_PER_SECOND);
  return (negative ? "-" : "") + seconds.toString() + fraction(nanos) + "s";
}

function unitNanos(text: string, at: i32): i64 {
  const c = text.charCodeAt(at);
  const next = at + 1 < text.length ? text.charCodeAt(at + 1) : 0;
  if (c == 110 && next == 115) return 1; // ns
  if ((c == 117 || c == 0xb5 || c == 0x3bc) && next == 115) return 1000; // us, µs, μs
  if (c == 109 && next == 115) return 1_000_000; // ms
  if (c == 115) return NANOS_PER_SECOND; // s
  if (c == 109) return 60 * NANOS_PER_SECOND; // m
  if (c == 104) return 3600 * NANOS_PER_SECOND; // h
  return 0;
}

/** Parses Go duration text such as `1h30m`, `-1.5s` or `0`; errors when it overflows int64 ns. */
export function parseDuration(text: string): CelValue {
  const bad = new CelError("invalid duration '" + text + "'");
  let at = 0;
  let negative = false;
  if (text.startsWith("-") || text.startsWith("+")) {
    negative = text.charAt(0) == "-";
    at = 1;
  }
  if (text.substring(at) == "0") return new CelDuration(0);
  if (at == text.length) return bad;
  let total: u64 = 0;
  const limit: u64 = (<u64>1) << 63;
  while (at < text.length) {
    let whole: u64 = 0;
    let start = at;
    for (let c = digits(text, at, 1); c >= 0; c = digits(text, ++at, 1)) {
      if (whole > (limit - <u64>c) / 10) return bad;
      whole = whole * 10 + <u64>c;
    }
    const hadWhole = at > start;
    let frac: u64 = 0;
    let scale: u64 = 1;
    if (text.charAt(at) == ".") {
      start = ++at;
      for (let c = digits(text, at, 1); c >= 0; c = digits(text, ++at, 1)) {
        if (scale < 1_000_000_000_000_000) {
          frac = frac * 10 + <u64>c;
          scale *= 10;
        }
      }
      if (!hadWhole && at == start) return bad;
    } else if (!hadWhole) return bad;
    const unit = unitNanos(text, at);
    if (unit == 0) return bad;
    at += unit == 1 || unit == 1000 || unit == 1_000_000 ? 2 : 1;
    if (whole > limit / <u64>unit) return bad;
    const part = whole * <u64>unit + <u64>(<f64>frac * (<f64>unit / <f64>scale));
    if (part > limit || total > limit - part) return bad;
    total += part;
  }
  if (total == limit && !negative) return bad;
  return new CelDuration(negative ? -(<i64>total) : <i64>total);
}

// A time zone argument: "UTC", or a fixed offset "+05:30", "-02:00", "02:00"; named zones are
// not supported (they need a time zone database).
function zoneOffset(zone: string): i64 {
  if (zone == "UTC" || zone == "Z") return 0;
  let at = 0;
  let sign: i64 = 1;
  if (zone.startsWith("+") || zone.startsWith("-")) {
    sign = zone.charAt(0) == "-" ? -1 : 1;
    at = 1;
  }
  const hours = digits(zone, at, 2);
  const minutes = digits(zone, at + 3, 2);
  if (zone.length != at + 5 || zone.charAt(at + 2) != ":" || hours < 0 || minutes < 0 || minutes > 59) {
    return i64.MIN_VALUE;
  }
  return sign * (<i64>hours * 3600 + <i64>minutes * 60);
}

/** Which calendar field a timestamp accessor reads. */
export enum TimePart {
  FullYear,
  Month,
  DayOfYear,
  DayOfMonth,
  Date,
  DayOfWeek,
  Hours,
  Minutes,
  Seconds,
  Milliseconds,
}

/** A calendar field of `t` in time zone `zone` ("" for UTC), or an error for an unknown zone. */
export function timestampPart(t: CelTimestamp, part: TimePart, zone: string): CelValue {
  const offset = zone.length == 0 ? 0 : zoneOffset(zone);
  if (offset == i64.MIN_VALUE) return new CelError("unsupported time zone '" + zone + "'");
  const c = new CivilDate(t.seconds + offset);
  switch (part) {
    case TimePart.FullYear:
      return celInt(c.year);
    case TimePart.Month:
      return celInt(<i64>(c.month - 1));
    case TimePart.DayOfYear:
      return celInt(<i64>c.dayOfYear);
    case TimePart.DayOfMonth:
      return celInt(<i64>(c.day - 1));
    case TimePart.Date:
      return celInt(<i64>c.day);
    case TimePart.DayOfWeek:
      return celInt(<i64>c.dayOfWeek);
    case TimePart.Hours:
      return celInt(<i64>c.hour);
    case TimePart.Minutes:
      return celInt(<i64>c.minute);
    case TimePart.Seconds:
      return celInt(<i64>c.second);
    default:
      return celInt(t.nanos / 1_000_000);
  }
}

/** A duration accessor: whole hours, minutes or seconds, or the milliseconds within the second. */
export function durationPart(d: CelDuration, part: TimePart): CelValue {
  switch (part) {
    case TimePart.Hours:
      return celInt(d.nanos / (3600 * NANOS_PER_SECOND));
    case TimePart.Minutes:
      return celInt(d.nanos / (60 * NANOS_PER_SECOND));
    case TimePart.Seconds:
      return celInt(d.nanos / NANOS_PER_SECOND);
    case TimePart.Milliseconds:
      return celInt((d.nanos % NANOS_PER_SECOND) / 1_000_000);
    default:
      return new CelError("no matching overload for duration accessor");
  }
}
