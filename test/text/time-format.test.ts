// Envoy's %START_TIME(format)% (absl::FormatTime in UTC plus Envoy's %f/%Nf, source/common/common/
// utility.cc DateFormatter), checked against hand tables, glibc strftime output for the C-locale
// specifiers (recorded with Python's time.strftime on time.gmtime) and Node's Date as an oracle.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface TimeFormat {
  format(nanos: bigint, fmt: string): string;
  formatSeconds(seconds: bigint, nanos: number, fmt: string): string;
  startTime(nanos: bigint): string;
  validFormat(fmt: string): string;
}

const lib = await library<TimeFormat>("text", "text");
const NANOS = 1_000_000_000n;
/** 2026-11-27T12:50:34.123456789Z, a Friday. */
const INSTANT = 1795783834n * NANOS + 123_456_789n;

describe("the default START_TIME format", () => {
  it.each([
    [INSTANT, "2026-11-27T12:50:34.123Z"],
    [0n, "1970-01-01T00:00:00.000Z"],
    [-1n, "1969-12-31T23:59:59.999Z"],
    [951782400n * NANOS + 5_000_000n, "2000-02-29T00:00:00.005Z"],
  ])("formats %s ns as %s", (nanos, expected) => {
    expect(lib.startTime(nanos)).toBe(expected);
    expect(lib.format(nanos, "%Y-%m-%dT%H:%M:%E3SZ")).toBe(expected);
  });

  it("agrees with Date.toISOString to the millisecond", () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (nanos) => {
        const ms = nanos >= 0n ? nanos / 1_000_000n : -((-nanos + 999_999n) / 1_000_000n);
        expect(lib.startTime(nanos)).toBe(new Date(Number(ms)).toISOString());
      }),
    );
  });
});

describe("strftime specifiers (UTC, C locale)", () => {
  it.each([
    ["%Y-%m-%d %H:%M:%S", "2026-11-27 12:50:34"],
    ["%y %C %e %j", "26 20 27 331"],
    ["%a %A %b %B %h", "Fri Friday Nov November Nov"],
    ["%I %l %k %p %P", "12 12 12 PM pm"],
    ["%T|%D|%F|%R|%r", "12:50:34|11/27/26|2026-11-27|12:50|12:50:34 PM"],
    ["%c|%x|%X", "Fri Nov 27 12:50:34 2026|11/27/26|12:50:34"],
    ["%u %w %U %W %V %G %g", "5 5 47 47 48 2026 26"],
    ["%z %Ez %E*z %Z", "+0000 +00:00 +00:00:00 UTC"],
    ["a%nb%tc", "a\nb\tc"],
    ["100%% %%Y %%f", "100% %Y %f"],
    ["%s", "1795783834"],
  ])("formats %j as %j", (fmt, expected) => {
    expect(lib.format(INSTANT, fmt)).toBe(expected);
  });

  // glibc strftime on time.gmtime(seconds).
  it.each([
    [0n, "Thu 1970-01-01 001 4 4 00 00 01 1970 19 12 AM  0 12"],
    [-2203891200n, "Thu 1900-03-01 060 4 4 08 09 09 1900 19 12 AM  0 12"],
    [951782400n, "Tue 2000-02-29 060 2 2 09 09 09 2000 20 12 AM  0 12"],
    [1609459200n, "Fri 2021-01-01 001 5 5 00 00 53 2020 20 12 AM  0 12"],
    [1735516800n, "Mon 2024-12-30 365 1 1 52 53 01 2025 20 12 AM  0 12"],
  ])("at %s s agrees with glibc", (seconds, expected) => {
    expect(lib.format(seconds * NANOS, "%a %F %j %u %w %U %W %V %G %C %I %p %k %l")).toBe(expected);
  });

  it("prints Sunday as 7 for %u and 0 for %w, and pads %e with a space", () => {
    // 2026-11-01T09:05:00Z is a Sunday.
    expect(lib.format(1793523900n * NANOS, "%u %w [%e] %I %p")).toBe("7 0 [ 1] 09 AM");
  });
});

describe("seconds and their fractions", () => {
  it.each([
    ["%f", "123456789"],
    ["%1f|%3f|%6f|%9f", "1|123|123456|123456789"],
    ["%E0S|%E1S|%E3S|%E9S|%E12S", "34|34.1|34.123|34.123456789|34.123456789000"],
    ["%E*S|%E*f|%E4f", "34.123456789|123456789|1234"],
    ["%s.%3f", "1795783834.123"],
  ])("formats %j as %j", (fmt, expected) => {
    expect(lib.format(INSTANT, fmt)).toBe(expected);
  });

  it("drops trailing zeros for %E*S and %E*f and prints 0 for a whole second", () => {
    expect(lib.format(1795783834n * NANOS + 500_000_000n, "%E*S %E*f")).toBe("34.5 5");
    expect(lib.format(1795783834n * NANOS, "%E*S %E*f %f")).toBe("34 0 000000000");
  });

  it("counts negative instants down from the previous whole second (floor)", () => {
    expect(lib.format(-1n, "%s %S %f")).toBe("-1 59 999999999");
    expect(lib.format(-NANOS, "%s %E*S")).toBe("-1 59");
    expect(lib.format(-1_500_000_000n, "%F %T %s %3f")).toBe("1969-12-31 23:59:58 -2 500");
  });
});

describe("years 0001 to 9999 (formatEpochSeconds)", () => {
  it.each([
    [-62135596800n, 0, "1 0001-01-01 Monday 001"],
    [-62167219200n, 0, "0 0000-01-01 Saturday 001"],
    [-62198755200n, 0, "-1 -001-01-01 Friday 001"],
    [253402300799n, 999_999_999, "9999 9999-12-31 Friday 365"],
    [-30610224000n, 0, "1000 1000-01-01 Wednesday 001"],
  ])("formats %s s and %i ns as %j", (seconds, nanos, expected) => {
    expect(lib.formatSeconds(seconds, nanos, "%Y %E4Y-%m-%d %A %j")).toBe(expected);
  });

  it("carries nanoseconds outside 0..999999999 into the seconds", () => {
    expect(lib.formatSeconds(0n, -1, "%F %T.%f")).toBe("1969-12-31 23:59:59.999999999");
    expect(lib.formatSeconds(0n, 2_000_000_001, "%T.%f")).toBe("00:00:02.000000001");
  });

  it("agrees with Date for every second in years 1..9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800, max: 253402300799 }), (seconds) => {
        const date = new Date(seconds * 1000);
        const iso = date.toISOString().slice(0, 19);
        const weekDay = date.getUTCDay();
        expect(lib.formatSeconds(BigInt(seconds), 0, "%E4Y-%m-%dT%H:%M:%S %w %s")).toBe(`${iso} ${weekDay} ${seconds}`);
      }),
    );
  });
});

describe("instants in int64 nanoseconds", () => {
  it("agrees with Date on the calendar fields and with floor division on %s", () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (nanos) => {
        const seconds = nanos >= 0n ? nanos / NANOS : -((-nanos + NANOS - 1n) / NANOS);
        const fraction = (nanos - seconds * NANOS).toString().padStart(9, "0");
        const date = new Date(Number(seconds) * 1000);
        const start = Date.UTC(date.getUTCFullYear(), 0, 1);
        const yearDay = String(
          (Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - start) / 86400000 + 1,
        );
        expect(lib.format(nanos, "%Y-%m-%dT%H:%M:%S %s %f %j")).toBe(
          `${date.toISOString().slice(0, 19)} ${seconds} ${fraction} ${yearDay.padStart(3, "0")}`,
        );
      }),
    );
  });
});

describe("unknown specifiers and validation", () => {
  it.each([
    ["%Q", "%Q", "unknown time format specifier %Q at offset 0"],
    ["50%", "50%", "a lone % ends the time format (write %% for a literal %)"],
    ["x %E", "x %E", "unknown time format specifier %E at offset 2"],
    ["%E5X", "%E5X", "unknown time format specifier %E at offset 0"],
    ["%E*X", "%E*X", "unknown time format specifier %E at offset 0"],
    ["%0f", "%0f", "unknown time format specifier %0 at offset 0"],
    ["%5", "%5", "unknown time format specifier %5 at offset 0"],
    ["%Oy", "%Oy", "unknown time format specifier %O at offset 0"],
    ["%E2000S", "%E2000S", "unknown time format specifier %E at offset 0"],
  ])("copies %j literally and reports it", (fmt, formatted, reason) => {
    expect(lib.format(INSTANT, fmt)).toBe(formatted);
    expect(lib.validFormat(fmt)).toBe(reason);
  });

  it.each(["", "%Y-%m-%dT%H:%M:%E3SZ", "%s%3f", "%E*S %E4Y %E1024f %Ez", "100%%", "plain text"])(
    "accepts %j",
    (fmt) => {
      expect(lib.validFormat(fmt)).toBe("");
    },
  );

  it("never fails on arbitrary formats, and valid ones leave no stray %", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("%", "E", "*", "4", "1", "f", "S", "Y", "z", "Q", "x") }),
        (fmt) => {
          const out = lib.format(INSTANT, fmt);
          if (lib.validFormat(fmt) === "") expect(out.includes("%")).toBe(fmt.includes("%%"));
        },
      ),
    );
  });
});
