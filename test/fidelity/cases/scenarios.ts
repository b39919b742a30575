// The harness's example scenarios (test/scenarios/) that real Envoy can express, as differential
// setups; the others are listed with the reason they need a test host.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readScenarioFile } from "../../../harness/index.js";
import { InexpressibleScenario, scenarioCases } from "../scenario-cases.js";
import { type FidelityCase, type FidelitySetup } from "../types.js";

const DIR = "test/scenarios";

/** Each expressible example scenario as a setup with its cases. */
export const scenarioSetups: { setup: FidelitySetup; cases: FidelityCase[] }[] = [];

/** Why each other example scenario cannot run in Envoy. */
export const inexpressibleScenarios: string[] = [];

for (const file of readdirSync(DIR).filter((f) => f.endsWith(".json"))) {
  const { scenario, module } = await readScenarioFile(join(DIR, file));
  try {
    if (module === null) throw new InexpressibleScenario(`${file}: names no module`);
    scenarioSetups.push(scenarioCases(`scenario-${file.replace(/\.json$/, "")}`, scenario, module, process.cwd()));
  } catch (error) {
    if (!(error instanceof InexpressibleScenario)) throw error;
    inexpressibleScenarios.push(error.message);
  }
}
