// The machine and revision a benchmark run records beside its cases, and the sentence the report
// makes of them.

import { describe, expect, it } from "vitest";
import { currentRun, describeRun } from "../../bench/machine.js";

describe("currentRun", () => {
  it("records this machine, Node, the time and the commit checked out", () => {
    const before = Date.now();
    const run = currentRun();
    expect(run.cores).toBeGreaterThanOrEqual(1);
    expect(run.cpu.length).toBeGreaterThan(0);
    expect(run.node).toBe(process.version);
    expect(Date.parse(run.date)).toBeGreaterThanOrEqual(before - 1000);
    expect(run.commit).toMatch(/^[0-9a-f]{7,}(\+changes)?$/);
  });
});

describe("describeRun", () => {
  it("says when, at which commit and on what a run measured", () => {
    const run = {
      cores: 2,
      cpu: "AMD EPYC 7B13",
      node: "v20.20.2",
      date: "2026-11-29T20:30:00.000Z",
      commit: "770a8b1",
    };
    expect(describeRun(run)).toBe("Measured on 2026-11-29 at commit 770a8b1: 2 cores, AMD EPYC 7B13, Node v20.20.2.");
    expect(describeRun({ ...run, commit: null })).toBe(
      "Measured on 2026-11-29: 2 cores, AMD EPYC 7B13, Node v20.20.2.",
    );
  });

  it("says so when the results do not record a run", () => {
    expect(describeRun(undefined)).toBe("The results do not record the machine that measured them.");
  });
});
