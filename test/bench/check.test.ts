// The benchmark budget checker (bench/budget.ts): which budget governs a case (its own name, else
// the longest `prefix.*`), the verdict of each figure against it (a max, or a min for throughput
// floors), budgets no figure matched, and the lines `npm run bench:check` prints; plus the
// committed bench/budget.json against the issue.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Budget, budgetFor, loadBudget, verdictLines, verdicts } from "../../bench/budget.js";
import { type Case } from "../../bench/case.js";

const figure = (name: string, ratio: number): Case => ({ name, unit: "x", value: ratio, baseline: 1, ratio });

const budget: Budget = {
  "filter.jwt-authn.cached": { max: 3, source: "cached token" },
  "memory.*": { max: 2, source: "growth" },
  "size.*": { max: 1, source: "64 KB" },
  "size.crypto.*": { max: 0.5, source: "crypto part" },
  "size.jwt-authn": { max: 1.5, source: "96 KB" },
};

describe("budgetFor", () => {
  it.each([
    ["filter.jwt-authn.cached", 3],
    ["filter.jwt-authn.cached.host-calls", undefined],
    ["filter.jwt-authn", undefined],
    ["memory.telemetry", 2],
    ["memory", undefined],
    ["memoryx.telemetry", undefined],
    ["size.header-rewrite", 1],
    ["size.jwt-authn", 1.5],
    ["size.crypto.all", 0.5],
    ["cel.eval.arithmetic", undefined],
  ])("gives %s the budget %s", (name, max) => {
    expect(budgetFor(name, budget)?.max).toBe(max);
  });
});

describe("verdicts", () => {
  it("judges each budgeted figure and lists budgets without one", () => {
    const cases = [
      figure("filter.jwt-authn.cached", 8.96),
      figure("filter.jwt-authn.RS256", 18.9),
      figure("size.header-rewrite", 3.7),
      figure("size.jwt-authn", 1.5),
      figure("memory.telemetry", 0),
    ];
    expect(verdicts(cases, budget).map((v) => [v.name, v.ratio, v.budget.max, v.status])).toEqual([
      ["filter.jwt-authn.cached", 8.96, 3, "over"],
      ["size.header-rewrite", 3.7, 1, "over"],
      ["size.jwt-authn", 1.5, 1.5, "within"],
      ["memory.telemetry", 0, 2, "within"],
      ["size.crypto.*", null, 0.5, "missing"],
    ]);
  });

  it("marks a figure over exactly when its ratio exceeds the budget", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (ratio, max) => {
          const [verdict] = verdicts([figure("case", ratio)], { case: { max, source: "s" } });
          expect(verdict!.status).toBe(ratio > max ? "over" : "within");
        },
      ),
    );
  });
});

describe("verdictLines", () => {
  it("prints status, case, ratio and budget with its source, one line each", () => {
    const lines = verdictLines(
      verdicts([figure("filter.jwt-authn.cached", 8.957), figure("size.jwt-authn", 0.5)], budget),
    );
    expect(lines).toEqual([
      "OVER    filter.jwt-authn.cached       8.96  <= 3     cached token",
      "ok      size.jwt-authn                0.50  <= 1.5   96 KB",
      "MISSING memory.*                 no figure  <= 2     growth",
      "MISSING size.*                   no figure  <= 1     64 KB",
      "MISSING size.crypto.*            no figure  <= 0.5   crypto part",
    ]);
  });
});

describe("min budgets", () => {
  const floors: Budget = {
    "envoy.demo.cached.rps": { min: 0.85, source: "demo chain" },
    "envoy.*": { min: 0.95, source: "one filter" },
  };

  it.each([
    ["envoy.demo.cached.rps", 0.84, "under"],
    ["envoy.demo.cached.rps", 0.85, "within"],
    ["envoy.telemetry.rps", 0.94, "under"],
    ["envoy.telemetry.rps", 1.2, "within"],
  ])("judges %s at %s as %s", (name, ratio, status) => {
    expect(verdicts([figure(name, ratio)], floors)[0]!.status).toBe(status);
  });

  it("marks a figure under exactly when its ratio is below the floor", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (ratio, min) => {
          const [verdict] = verdicts([figure("case", ratio)], { case: { min, source: "s" } });
          expect(verdict!.status).toBe(ratio < min ? "under" : "within");
        },
      ),
    );
  });

  it("prints a floor as >= and a breach as UNDER", () => {
    const lines = verdictLines(verdicts([figure("envoy.demo.cached.rps", 0.8)], floors));
    expect(lines).toEqual([
      "UNDER   envoy.demo.cached.rps       0.80  >= 0.85  demo chain",
      "MISSING envoy.*                no figure  >= 0.95  one filter",
    ]);
  });
});

describe("bench/budget.json", () => {
  const committed = loadBudget();

  it.each([
    ["size.header-rewrite", 1],
    ["size.abac-authz", 1],
    ["size.telemetry", 1],
    ["size.jwt-authn", 1.5],
    ["filter.jwt-authn.cached", 3],
    ["filter.abac-authz.10", 4],
    ["filter.header-rewrite.10", 4],
    ["filter.telemetry.standard", 4],
    ["filter.header-rewrite.50.no-match", 2],
    ["filter.header-rewrite.50.no-match.host-calls", 3],
    ["memory.jwt-authn", 2],
  ])("holds issue 14's budget for %s: %s", (name, max) => {
    expect(budgetFor(name, committed)?.max).toBe(max);
  });

  it.each([
    ["envoy.header-rewrite.rps", 0.95],
    ["envoy.abac-authz.rps", 0.95],
    ["envoy.telemetry.rps", 0.95],
    ["envoy.demo.cached.rps", 0.85],
  ])("holds issue 14's real-Envoy throughput floor for %s: %s", (name, min) => {
    expect(budgetFor(name, committed)?.min).toBe(min);
  });

  it("names a source for every budget", () => {
    for (const entry of Object.values(committed)) expect(entry.source.length).toBeGreaterThan(10);
  });
});
