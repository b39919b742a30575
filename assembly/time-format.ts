// Envoy's `%START_TIME(format)%`: absl::FormatTime in UTC (abseil time/internal/cctz format.cc, its
// `%E...` extensions and strftime's C-locale specifiers) plus Envoy's DateFormatter additions
// `%f`/`%1f`..`%9f` (source/common/common/utility.cc). Unknown specifiers are copied literally, as
// strftime does; isValidTimeFormat names them so configurations can refuse them.

import { CivilDate, daysFromCivil, floorDiv } from "./civil-date";

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86400;
/** Envoy's default START_TIME format (docs "access log format", START_TIME). */
const DEFAULT_FORMAT = "%Y-%m-%dT%H:%M:%E3SZ";
/** Single-character specifiers, after `%`. */
const SIMPLE = "YymdeHIMSpPjaAbBhTDFRzZntuwsf%CklrcxXUWVGg";
/** Digits capped like cctz's kDigits10_64. */
const MAX_FRACTION_DIGITS: i32 = 18;

// Where Envoy and absl leave room: `%%` is one literal `%` even before `f` (Envoy's regex pre-pass
// would still expand the `%f` of `%%f`); before 1970, `%s` and the fractions count from the previous
// whole second (floor); `%Y` is not padded (as absl: year 1 is "1"), `%E4Y` is.

/** Formats `epochNanos` (nanoseconds since 1970-01-01T00:00:00Z) in UTC; never fails: unknown specifiers and a trailing `%` are copied as written. */
export function formatTime(epochNanos: i64, format: string): string {
  const seconds = floorDiv(epochNanos, NANOS_PER_SECOND);
  return formatEpochSeconds(seconds, <i32>(epochNanos - seconds * NANOS_PER_SECOND), format);
}

/** Formats `epochNanos` as Envoy's START_TIME without a format does, e.g. `2026-11-27T12:50:34.123Z`. */
export function formatStartTime(epochNanos: i64): string {
  return formatTime(epochNanos, DEFAULT_FORMAT);
}

/** Like formatTime for instants beyond int64 nanoseconds (years 1..9999 and further); `nanos` outside 0..999999999 carries into `seconds`. */
export function formatEpochSeconds(seconds: i64, nanos: i32, format: string): string {
  const carry = floorDiv(<i64>nanos, NANOS_PER_SECOND);
  const time = new CivilTime(seconds + carry, <i32>(<i64>nanos - carry * NANOS_PER_SECOND));
  let out = "";
  let literal = 0;
  let i = 0;
  while (i < format.length) {
    if (format.charCodeAt(i) != 0x25) {
      i++;
      continue;
    }
    const length = specifierLength(format, i);
    if (length == 0) {
      i++;
      continue;
    }
    out += format.substring(literal, i) + time.render(format.substring(i + 1, i + length));
    i += length;
    literal = i;
  }
  return out + format.substring(literal);
}

/** "" when every `%` in `format` starts a specifier formatTime knows, else the reason (for checking configuration once). */
export function isValidTimeFormat(format: string): string {
  for (let i = 0; i < format.length; i++) {
    if (format.charCodeAt(i) != 0x25) continue;
    const length = specifierLength(format, i);
    if (length == 0) {
      if (i + 1 == format.length) return "a lone % ends the time format (write %% for a literal %)";
      return "unknown time format specifier %" + format.charAt(i + 1) + " at offset " + i.toString();
    }
    i += length - 1;
  }
  return "";
}

// Length of the specifier at `format[at]` (a `%`), or 0 when none starts there.
function specifierLength(format: string, at: i32): i32 {
  if (at + 1 >= format.length) return 0;
  const c = format.charCodeAt(at + 1);
  if (SIMPLE.indexOf(String.fromCharCode(c)) >= 0) return 2;
  if (c >= 0x31 && c <= 0x39) return at + 2 < format.length && format.charCodeAt(at + 2) == 0x66 ? 3 : 0;
  if (c != 0x45 || at + 2 >= format.length) return 0;
  const e = format.charCodeAt(at + 2);
  const next = at + 3 < format.length ? format.charCodeAt(at + 3) : 0;
  if (e == 0x7a) return 3;
  if (e == 0x2a) return next == 0x53 || next == 0x66 || next == 0x7a ? 4 : 0;
  if (e == 0x34 && next == 0x59) return 4;
  let end = at + 2;
  let n = 0;
  while (end < format.length && isDigit(format.charCodeAt(end)) && n <= 1024) {
    n = n * 10 + format.charCodeAt(end) - 0x30;
    end++;
  }
  if (end == at + 2 || n > 1024 || end >= format.length) return 0;
  const unit = format.charCodeAt(end);
  return unit == 0x53 || unit == 0x66 ? end + 1 - at : 0;
}

/** The UTC calendar fields of an instant with its fraction, rendered one specifier at a time. */
class CivilTime extends CivilDate {
  constructor(
    public epochSeconds: i64,
    public nanos: i32,
  ) {
    super(epochSeconds);
  }

  /** The text of one specifier, `spec` being what follows its `%`. */
  render(spec: string): string {
    const c = spec.charCodeAt(0);
    if (c >= 0x31 && c <= 0x39) return this.fraction(c - 0x30);
    if (c == 0x45) return this.extension(spec.substring(1));
    if (c == 0x59) return pad(this.year, 0);
    if (c == 0x79) return pad(this.year - floorDiv(this.year, 100) * 100, 2);
    if (c == 0x43) return pad(floorDiv(this.year, 100), 2);
    if (c == 0x6d) return pad(this.month, 2);
    if (c == 0x64) return pad(this.day, 2);
    if (c == 0x65) return spacePad(this.day);
    if (c == 0x48) return pad(this.hour, 2);
    if (c == 0x6b) return spacePad(this.hour);
    if (c == 0x49) return pad(this.hour12(), 2);
    if (c == 0x6c) return spacePad(this.hour12());
    if (c == 0x4d) return pad(this.minute, 2);
    if (c == 0x53) return pad(this.second, 2);
    if (c == 0x70) return this.hour < 12 ? "AM" : "PM";
    if (c == 0x50) return this.hour < 12 ? "am" : "pm";
    if (c == 0x6a) return pad(this.dayOfYear + 1, 3);
    if (c == 0x61) return dayName(this.dayOfWeek).substring(0, 3);
    if (c == 0x41) return dayName(this.dayOfWeek);
    if (c == 0x62 || c == 0x68) return monthName(this.month).substring(0, 3);
    if (c == 0x42) return monthName(this.month);
    if (c == 0x73) return this.epochSeconds.toString();
    if (c == 0x66) return this.fraction(9);
    if (c == 0x75) return (this.dayOfWeek == 0 ? 7 : this.dayOfWeek).toString();
    if (c == 0x77) return this.dayOfWeek.toString();
    if (c == 0x55) return pad((this.dayOfYear + 7 - this.dayOfWeek) / 7, 2);
    if (c == 0x57) return pad((this.dayOfYear + 7 - ((this.dayOfWeek + 6) % 7)) / 7, 2);
    if (c == 0x56) return pad(this.isoWeek().week, 2);
    if (c == 0x47) return pad(this.isoWeek().year, 0);
    if (c == 0x67) return pad(this.isoWeek().year - floorDiv(this.isoWeek().year, 100) * 100, 2);
    if (c == 0x7a) return "+0000";
    if (c == 0x5a) return "UTC";
    if (c == 0x6e) return "\n";
    if (c == 0x74) return "\t";
    if (c == 0x25) return "%";
    return this.composite(c);
  }

  private composite(c: i32): string {
    if (c == 0x54) return this.render("H") + ":" + this.render("M") + ":" + this.render("S");
    if (c == 0x44) return this.render("m") + "/" + this.render("d") + "/" + this.render("y");
    if (c == 0x46) return this.render("Y") + "-" + this.render("m") + "-" + this.render("d");
    if (c == 0x52) return this.render("H") + ":" + this.render("M");
    if (c == 0x72) return this.render("I") + ":" + this.render("M") + ":" + this.render("S") + " " + this.render("p");
    if (c == 0x78) return this.render("D");
    if (c == 0x58) return this.render("T");
    // %c in the C locale: "%a %b %e %H:%M:%S %Y".
    return (
      this.render("a") +
      " " +
      this.render("b") +
      " " +
      this.render("e") +
      " " +
      this.render("T") +
      " " +
      this.render("Y")
    );
  }

  // `%Ez`, `%E*z`, `%E*S`, `%E*f`, `%E4Y`, `%E<n>S`, `%E<n>f` (spec without the E).
  private extension(spec: string): string {
    if (spec == "z") return "+00:00";
    if (spec == "*z") return "+00:00:00";
    if (spec == "4Y") return pad(this.year, 4);
    const unit = spec.charCodeAt(spec.length - 1);
    const seconds = unit == 0x53 ? pad(this.second, 2) : "";
    if (spec.charCodeAt(0) == 0x2a) {
      let digits = this.fraction(9);
      let end = digits.length;
      while (end > 0 && digits.charCodeAt(end - 1) == 0x30) end--;
      digits = digits.substring(0, end);
      if (unit == 0x53) return digits.length > 0 ? seconds + "." + digits : seconds;
      return digits.length > 0 ? digits : "0";
    }
    let n = 0;
    for (let i = 0; i < spec.length - 1; i++) n = n * 10 + spec.charCodeAt(i) - 0x30;
    if (n == 0) return seconds;
    const digits = this.fraction(min(n, MAX_FRACTION_DIGITS));
    return unit == 0x53 ? seconds + "." + digits : digits;
  }

  // The first `count` digits of the fraction of a second (truncated, zeros past nanoseconds).
  private fraction(count: i32): string {
    const nine = pad(this.nanos, 9);
    return count <= 9 ? nine.substring(0, count) : nine + "0".repeat(count - 9);
  }

  private hour12(): i32 {
    const h = this.hour % 12;
    return h == 0 ? 12 : h;
  }

  // ISO 8601 week number and week-based year (weeks start on Monday; week 1 holds January 4th).
  private isoWeek(): IsoWeek {
    const mondayBased = (this.dayOfWeek + 6) % 7;
    const week = (this.dayOfYear - mondayBased + 10) / 7;
    if (week < 1) return new IsoWeek(this.year - 1, isoWeeksIn(this.year - 1));
    if (week > isoWeeksIn(this.year)) return new IsoWeek(this.year + 1, 1);
    return new IsoWeek(this.year, week);
  }
}

/** An ISO 8601 week-based year and week number. */
class IsoWeek {
  constructor(
    public year: i64,
    public week: i32,
  ) {}
}

// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year.
function isoWeeksIn(year: i64): i32 {
  const jan1 = daysFromCivil(year, 1, 1) + 4;
  const weekDay = <i32>(jan1 - floorDiv(jan1, 7) * 7);
  const leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return weekDay == 4 || (leap && weekDay == 3) ? 53 : 52;
}

// Decimal digits of `value`, zero-padded to `width` characters counting a leading "-" (cctz Format64).
function pad(value: i64, width: i32): string {
  const negative = value < 0;
  const digits = negative ? value.toString().substring(1) : value.toString();
  const zeros = width - digits.length - (negative ? 1 : 0);
  return (negative ? "-" : "") + (zeros > 0 ? "0".repeat(zeros) : "") + digits;
}

function spacePad(value: i32): string {
  return value < 10 ? " " + value.toString() : value.toString();
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function dayName(weekDay: i32): string {
  if (weekDay == 0) return "Sunday";
  if (weekDay == 1) return "Monday";
  if (weekDay == 2) return "Tuesday";
  if (weekDay == 3) return "Wednesday";
  if (weekDay == 4) return "Thursday";
  return weekDay == 5 ? "Friday" : "Saturday";
}

function monthName(month: i32): string {
  if (month <= 6) {
    if (month == 1) return "January";
    if (month == 2) return "February";
    if (month == 3) return "March";
    if (month == 4) return "April";
    return month == 5 ? "May" : "June";
  }
  if (month == 7) return "July";
  if (month == 8) return "August";
  if (month == 9) return "September";
  if (month == 10) return "October";
  return month == 11 ? "November" : "December";
}
