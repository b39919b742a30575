// The dev proxy's filter log: lines as Envoy's wasm logger prints them, written together once per
// turn of the event loop in the order they were logged.

import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { LogLevel } from "../../harness/index.js";
import { gatheredWriter, wasmLogLine, wasmLogPrefix } from "../../cli/dev/wasm-log.js";

describe("dev proxy log lines", () => {
  it("writes the lines of one turn together, in order, once the turn ends", async () => {
    const writes: string[] = [];
    const log = gatheredWriter((text) => writes.push(text));
    log("one");
    log("two");
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(["one\ntwo\n"]);
    log("three");
    await nextTurn();
    await nextTurn();
    expect(writes).toEqual(["one\ntwo\n", "three\n"]);
  });

  it("writes the waiting lines at once on flush, and nothing twice", async () => {
    const writes: string[] = [];
    const log = gatheredWriter((text) => writes.push(text));
    log("one");
    log.flush();
    expect(writes).toEqual(["one\n"]);
    log("two");
    await nextTurn();
    log.flush();
    expect(writes).toEqual(["one\n", "two\n"]);
  });

  it("prints Envoy's wasm logger format with a millisecond UTC stamp", () => {
    const before = Date.now();
    const line = wasmLogLine(LogLevel.Warn, `${wasmLogPrefix("authz", "root", "")}denied`);
    const after = Date.now();
    const match = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})\]\[warning\]\[wasm\] wasm log authz root: denied$/.exec(
      line,
    );
    expect(match).not.toBeNull();
    const stamped = Date.parse(`${match![1]!.replace(" ", "T")}Z`);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(after);
  });
});
