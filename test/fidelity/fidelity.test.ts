// The differential suite: every case runs in real Envoy and in the harness, and each observable
// field must match after the listed normalisations or be a committed known difference.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireEnvoyInCi } from "../e2e/support/envoy.js";
import { SUITE } from "./cases/index.js";
import { inexpressibleScenarios } from "./cases/scenarios.js";
import { KNOWN_DIFFERENCES } from "./known-differences.js";
import { type CaseOutcome, FidelityRunner } from "./runner.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();
const outcomes: CaseOutcome[] = [];

function explain(outcome: CaseOutcome): string {
  return outcome.failures
    .map(
      (f) => `${outcome.id} ${f.field}\n  harness: ${JSON.stringify(f.harness)}\n  envoy:   ${JSON.stringify(f.envoy)}`,
    )
    .join("\n");
}

function record(outcome: CaseOutcome): void {
  outcomes.push(outcome);
  expect(outcome.failures, explain(outcome)).toEqual([]);
}

describe.skipIf(!envoy)(`fidelity: harness vs real Envoy ${envoy?.version ?? ""}`, () => {
  for (const { setup, cases } of SUITE) {
    describe(setup.name, () => {
      const runner = new FidelityRunner(envoy!, setup, root, KNOWN_DIFFERENCES);
      beforeAll(() => runner.start());
      afterAll(() => runner.stop());

      it("accepts or refuses the plugin alike and logs the same lines loading it", () => record(runner.startup()));
      for (const testCase of cases) {
        it(testCase.name, async () => {
          expect(runner.running, "the plugin runs in both hosts").toBe(true);
          record(await runner.run(testCase));
        });
      }
    });
  }

  it("uses every known difference (none is stale)", () => {
    const used = new Set(outcomes.flatMap((o) => o.fields.filter((f) => f.known).map((f) => `${o.id} ${f.field}`)));
    const stale = KNOWN_DIFFERENCES.filter((k) => !used.has(`${k.case} ${k.field}`)).map((k) => `${k.case} ${k.field}`);
    expect(stale).toEqual([]);
  });

  afterAll(() => {
    const fields = outcomes.flatMap((o) => o.fields);
    const matches = fields.filter((f) => f.match).length;
    const known = fields.filter((f) => f.known).length;
    console.log(
      `fidelity: ${outcomes.length} cases run, ${fields.length} fields compared, ${matches} matches, ` +
        `${known} known differences, ${fields.length - matches - known} unexplained`,
    );
    const refused = outcomes
      .filter((o) => o.fields.some((f) => f.field === "loaded" && f.match && f.envoy === false))
      .map((o) => o.id.replace(/\/startup$/, ""));
    console.log(`fidelity: plugins both hosts refused: ${refused.join(", ")}`);
    console.log(`fidelity: example scenarios Envoy cannot express:\n  ${inexpressibleScenarios.join("\n  ")}`);
  });
});
