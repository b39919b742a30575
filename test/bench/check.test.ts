// The benchmark budget checker (bench/budget.ts): which budget governs a case (its own name, else
// the longest `prefix.*`), the verdict of each figure against it (a max, or a min for throughput
// floors), figures without a finite ratio, budgets no figure matched, the lines `npm run bench:check`
// prints and its exit status; plus the committed bench/budget.json against the issue.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Budget, budgetFor, loadBudget, verdictLines, verdicts } from "../../bench/budget.js";
import { type Case, ratioCase } from "../../bench/case.js";
import { compareWithEarlier, earlierNote } from "../../bench/regression.js";

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

describe("figures without a finite ratio", () => {
  // JSON.stringify writes NaN and the infinities as null, so results files carry them as null.
  const unreadable = [
    JSON.parse(JSON.stringify(figure("size.header-rewrite", NaN))) as Case,
    figure("memory.x", Infinity),
  ];

  it("are judged invalid against a max or a min, never within", () => {
    const floors: Budget = { "envoy.*": { min: 0.95, source: "one filter" } };
    expect(verdicts(unreadable, budget).map((v) => [v.name, v.ratio, v.status])).toEqual([
      ["size.header-rewrite", null, "invalid"],
      ["memory.x", null, "invalid"],
      ["filter.jwt-authn.cached", null, "missing"],
      ["size.crypto.*", null, "missing"],
      ["size.jwt-authn", null, "missing"],
    ]);
    expect(verdicts([figure("envoy.abac-authz.rps", NaN)], floors)[0]!.status).toBe("invalid");
  });

  it("print as INVALID, not finite", () => {
    expect(verdictLines(verdicts(unreadable.slice(0, 1), { "size.*": budget["size.*"]! }))).toEqual([
      "INVALID size.header-rewrite  not finite  <= 1     64 KB",
    ]);
  });

  it("cannot be made by ratioCase", () => {
    expect(() => ratioCase("filter.x", "ns/request", 5, 0)).toThrow(
      "filter.x: 5 against a baseline of 0 gives no ratio",
    );
    expect(ratioCase("filter.x", "ns/request", 5, 2).ratio).toBe(2.5);
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

  it.each([
    ["envoy.pass-through.rps", 0.94],
    ["envoy.jwt-authn.rps", 0.85],
  ])("holds performance.md G6's real-Envoy throughput floor for %s: %s", (name, min) => {
    expect(budgetFor(name, committed)?.min).toBe(min);
  });

  it("names a source for every budget", () => {
    for (const entry of Object.values(committed)) expect(entry.source.length).toBeGreaterThan(10);
  });
});

describe("compareWithEarlier", () => {
  const sized = (name: string, ratio: number): Case => ({ ...figure(name, ratio), unit: "bytes" });
  const floors: Budget = { "envoy.*": { min: 0.95, source: "one filter" }, ...budget };

  // How each figure of `now` stands against `earlier`, with the default tolerance.
  function standings(now: Case[], earlier: Case[]) {
    return compareWithEarlier(verdicts(now, floors), now, earlier).map((c) => [c.name, c.earlier, c.standing]);
  }

  it("lets a timed ratio outside its budget move by the tolerance, in either direction of its budget", () => {
    const earlier = [figure("filter.jwt-authn.cached", 4), figure("envoy.a.rps", 0.8), figure("envoy.b.rps", 0.8)];
    const now = [figure("filter.jwt-authn.cached", 4.6), figure("envoy.a.rps", 0.68), figure("envoy.b.rps", 0.67)];
    expect(standings(now, earlier).slice(0, 3)).toEqual([
      ["filter.jwt-authn.cached", 4, "as before"],
      ["envoy.a.rps", 0.8, "as before"],
      ["envoy.b.rps", 0.8, "worse"],
    ]);
    expect(standings([figure("filter.jwt-authn.cached", 4.61)], earlier)[0]).toEqual([
      "filter.jwt-authn.cached",
      4,
      "worse",
    ]);
  });

  it("counts any change for the worse of a size, host calls or pages as worse, and a better one as before", () => {
    const exact =
      (unit: string) =>
      (name: string, ratio: number): Case => ({ ...figure(name, ratio), unit });
    const [calls, pages] = [exact("host calls/request"), exact("pages grown")];
    const earlier = [sized("size.header-rewrite", 2.5), sized("size.abac-authz", 2.5), calls("calls.a", 4)];
    earlier.push(calls("calls.b", 4), pages("memory.a", 3), pages("memory.b", 3));
    const now = [sized("size.header-rewrite", 2.5001), sized("size.abac-authz", 2.2), calls("calls.a", 5)];
    now.push(calls("calls.b", 4), pages("memory.a", 3.1), pages("memory.b", 2.5));
    const limits: Budget = { ...floors, "calls.*": { max: 3, source: "host calls" } };
    const compared = compareWithEarlier(verdicts(now, limits), now, earlier);
    expect(compared.slice(0, 6).map((c) => [c.name, c.standing])).toEqual([
      ["size.header-rewrite", "worse"],
      ["size.abac-authz", "as before"],
      ["calls.a", "worse"],
      ["calls.b", "as before"],
      ["memory.a", "worse"],
      ["memory.b", "as before"],
    ]);
  });

  it("calls a figure new when earlier results had it within budget, not finite, or not at all", () => {
    const earlier = [figure("filter.jwt-authn.cached", 2), figure("memory.a", NaN)];
    const now = [figure("filter.jwt-authn.cached", 3.2), figure("memory.a", 3), figure("memory.b", 3)];
    expect(standings(now, earlier).slice(0, 3)).toEqual([
      ["filter.jwt-authn.cached", 2, "new"],
      ["memory.a", null, "new"],
      ["memory.b", null, "new"],
    ]);
  });

  it("leaves figures within their budget without a standing", () => {
    const now = [figure("filter.jwt-authn.cached", 2.9)];
    expect(standings(now, [figure("filter.jwt-authn.cached", 1)])[0]).toEqual(["filter.jwt-authn.cached", 1, null]);
  });

  it("notes the earlier figure and the standing, and refuses a negative tolerance", () => {
    const [compared] = compareWithEarlier(
      verdicts([figure("envoy.a.rps", 0.55)], floors),
      [],
      [figure("envoy.a.rps", 0.6)],
    );
    expect(earlierNote(compared!)).toBe("was 0.60, as before");
    expect(earlierNote({ ...compared!, earlier: null, standing: null })).toBe("was -");
    expect(() => compareWithEarlier([], [], [], -0.1)).toThrow("the tolerance is a fraction of 0 or more, not -0.1");
  });
});

describe("npm run bench:check", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Runs bench/check.ts on results holding `cases`, with `options`.
  function check(cases: Case[], ...options: string[]) {
    const file = join(dir, "results.json");
    writeFileSync(file, JSON.stringify({ cases }));
    return spawnSync(process.execPath, ["--import", "tsx", join("bench", "check.ts"), file, ...options], {
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("fails a run whose budgets lack figures, unless told the results are partial", () => {
    const met = [figure("filter.jwt-authn.cached", 2.5)];
    const whole = check(met);
    expect(whole.status).toBe(1);
    expect(whole.stdout).toMatch(/^ok +filter\.jwt-authn\.cached +2\.50 +<= 3 /m);
    expect(whole.stdout).toMatch(/^MISSING +size\.header-rewrite +no figure/m);
    const partial = check(met, "--partial");
    expect(partial.status).toBe(0);
    expect(partial.stdout).toMatch(
      /0 outside budget, 0 not finite, \d+ budgets without a figure \(allowed by --partial\)/,
    );
  });

  it("fails a figure without a finite ratio even in partial results", () => {
    const result = check([figure("filter.jwt-authn.cached", NaN)], "--partial");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID +filter\.jwt-authn\.cached +not finite/m);
  });

  it("fails results with no budgeted figure, partial or not", () => {
    const result = check([figure("no-such-group.case", 0.5)], "--partial");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("no figure in the results has a budget");
  });

  it("takes one results file, after an optional --", () => {
    expect(check([figure("filter.jwt-authn.cached", 2.5)], "--", "--partial").status).toBe(0);
    const two = check([], "other.json");
    expect(two.status).toBe(1);
    expect(two.stderr).toMatch(/bench check: one results file at a time, not .*results\.json, other\.json/);
  });

  it("refuses an option it does not know", () => {
    const result = check([], "--partail");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "bench check: unknown option --partail; the options are --partial, --against FILE and --tolerance FRACTION",
    );
  });

  it("passes figures outside their budget in earlier results too, unless they got worse", () => {
    const earlier = join(dir, "earlier.json");
    writeFileSync(earlier, JSON.stringify({ cases: [figure("filter.jwt-authn.cached", 3.5)] }));
    const noWorse = check([figure("filter.jwt-authn.cached", 3.9)], "--partial", "--against", earlier);
    expect(noWorse.status).toBe(0);
    expect(noWorse.stdout).toMatch(/^OVER +filter\.jwt-authn\.cached +3\.90 +<= 3 +was 3\.50, as before +issue 14/m);
    expect(noWorse.stdout).toContain("1 outside budget there too and no worse (tolerance 0.15 for timed ratios)");
    const worse = check([figure("filter.jwt-authn.cached", 4.1)], "--partial", "--against", earlier);
    expect(worse.status).toBe(1);
    expect(worse.stdout).toMatch(/was 3\.50, worse/);
    const tolerant = ["--partial", "--against", earlier, "--tolerance", "0.2"];
    expect(check([figure("filter.jwt-authn.cached", 4.1)], ...tolerant).status).toBe(0);
    writeFileSync(earlier, JSON.stringify({ cases: [figure("filter.jwt-authn.cached", 2.9)] }));
    const newlyOutside = check([figure("filter.jwt-authn.cached", 3.1)], "--partial", "--against", earlier);
    expect(newlyOutside.status).toBe(1);
    expect(newlyOutside.stdout).toMatch(/was 2\.90, new/);
  });

  it.each([
    [["--against"], "--against needs a value"],
    [["--against", "x.json", "--tolerance", ""], "--tolerance needs a value"],
    [["--against", "x.json", "--against", "y.json"], "--against given twice"],
    [["--tolerance", "0.1"], "--tolerance applies to --against only"],
    [["--against", "x.json", "--tolerance", "-1"], "--tolerance takes a fraction of 0 or more, not -1"],
  ])("refuses %j", (options, message) => {
    const result = check([figure("filter.jwt-authn.cached", 2.5)], ...options);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`bench check: ${message}`);
  });
});
