// proxy_log and proxy_get_log_level (reference abi.md 3.1).

import { describe, expect, it } from "vitest";
import { type LogEntry, LogLevel } from "../../harness/index.js";
import { loadProbe, probeBuilds } from "./support.js";

describe.each(probeBuilds)("logging (%s)", (wasm) => {
  it("records every level at trace and reports the host level to the guest", async () => {
    const plugin = await loadProbe(wasm, { configuration: { log_every_level: true }, logLevel: LogLevel.Trace });
    const worker = plugin.logs.filter((e) => e.instance === "worker" && e.message.startsWith("level"));
    expect(worker.map((e) => [e.level, e.message])).toEqual([
      [LogLevel.Trace, "level 0"],
      [LogLevel.Debug, "level 1"],
      [LogLevel.Info, "level 2"],
      [LogLevel.Warn, "level 3"],
      [LogLevel.Error, "level 4"],
      [LogLevel.Critical, "level 5"],
    ]);
    expect(plugin.logMessages().filter((m) => m.startsWith("configure"))[0]).toContain("host_level=0");
  });

  it("drops lines below Envoy's wasm log level", async () => {
    const plugin = await loadProbe(wasm, { configuration: { log_every_level: true }, logLevel: LogLevel.Warn });
    const worker = plugin.logs.filter((e) => e.instance === "worker" && e.message.startsWith("level"));
    expect(worker.map((e) => e.message)).toEqual(["level 3", "level 4", "level 5"]);
  });

  it("hands each line at or above the level to onLog and keeps none", async () => {
    const received: LogEntry[] = [];
    const plugin = await loadProbe(wasm, {
      configuration: { log_every_level: true },
      logLevel: LogLevel.Warn,
      onLog: (entry) => received.push(entry),
    });
    const worker = received.filter((e) => e.instance === "worker" && e.message.startsWith("level"));
    expect(worker.map((e) => [e.level, e.message])).toEqual([
      [LogLevel.Warn, "level 3"],
      [LogLevel.Error, "level 4"],
      [LogLevel.Critical, "level 5"],
    ]);
    expect(plugin.logs).toEqual([]);
  });
});
