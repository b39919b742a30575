// Runs one harness scenario in the harness and in real Envoy and prints every compared field that
// differs: `npm run fidelity -- SCENARIO.json [--module MODULE.wasm]`. Exits 1 when a field
// differs, 2 when the scenario cannot run in Envoy or no Envoy is installed.

import { resolve } from "node:path";
import { readScenarioFile } from "../../harness/index.js";
import { findEnvoy } from "../e2e/support/envoy.js";
import { FidelityRunner, type CaseOutcome } from "./runner.js";
import { InexpressibleScenario, scenarioCases } from "./scenario-cases.js";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run fidelity -- SCENARIO.json [--module MODULE.wasm]`);
  process.exit(2);
}

function report(outcome: CaseOutcome): void {
  const differing = outcome.fields.filter((f) => !f.match);
  console.log(`${differing.length === 0 ? "same" : "DIFFERS"}  ${outcome.id} (${outcome.fields.length} fields)`);
  for (const field of differing) {
    console.log(
      `  ${field.field}\n    harness: ${JSON.stringify(field.harness)}\n    envoy:   ${JSON.stringify(field.envoy)}`,
    );
  }
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const moduleFlag = args.indexOf("--module");
if (!file) usage("no scenario given");
const envoy = findEnvoy();
if (!envoy) usage("no Envoy found (func-e, ENVOY_BIN or envoy on PATH)");
const { scenario, module } = await readScenarioFile(file);
const wasm = moduleFlag >= 0 ? resolve(args[moduleFlag + 1] ?? "") : module;
if (!wasm) usage("the scenario names no module; pass --module");
let built;
try {
  built = scenarioCases("scenario", scenario, wasm, process.cwd());
} catch (error) {
  if (error instanceof InexpressibleScenario) usage(error.message);
  throw error;
}
const runner = new FidelityRunner(envoy, built.setup, process.cwd(), []);
const outcomes: CaseOutcome[] = [];
await runner.start();
try {
  outcomes.push(runner.startup());
  if (runner.running) for (const testCase of built.cases) outcomes.push(await runner.run(testCase));
} finally {
  await runner.stop();
}
outcomes.forEach(report);
const fields = outcomes.flatMap((o) => o.fields);
const differing = fields.filter((f) => !f.match).length;
console.log(`${outcomes.length} cases, ${fields.length} fields compared, ${differing} differ`);
process.exit(differing === 0 ? 0 : 1);
