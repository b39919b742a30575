// The soak of `npm run soak` (test/robustness/soak.ts) at 20,000 requests, so its code path runs in
// npm test: every request of the demo chain's mix gets its documented answer, no filter traps, no
// access-log line is dropped, and no filter's memory grows past the 2-page budget.

import { describe, expect, it } from "vitest";
import { GROWTH_BUDGET_PAGES, REQUEST_MIX, failures, runSoak, sampleTable } from "./soak.js";

describe("the soak through the demo chain", () => {
  it("answers 20,000 mixed requests as documented, without traps, drops or memory growth past the budget", async () => {
    const report = await runSoak({ requests: 20_000, sampleEvery: 5_000 });
    expect(report.samples.map((s) => s.requests)).toEqual([1_000, 5_000, 10_000, 15_000, 20_000]);
    expect(Object.values(report.counts)).toEqual(REQUEST_MIX.map(() => 5_000));
    expect(report.unexpected).toEqual([]);
    expect(report.traps).toEqual([]);
    expect(report.linesShipped).toBe(20_001n);
    expect(report.linesDropped).toBe(0n);
    for (const pages of Object.values(report.growth)) expect(pages).toBeLessThanOrEqual(GROWTH_BUDGET_PAGES);
    expect(failures(report)).toEqual([]);
    expect(sampleTable(report.samples).split("\n")[0]).toBe(
      "| requests | telemetry | jwt-authn | abac-authz | header-rewrite | seconds |",
    );
  }, 120_000);
});
