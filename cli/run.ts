// `envoy-as run [MODULE.wasm] --scenario FILE.json`: plays a scenario file through the harness and
// prints its JSON transcript. A problem in the scenario exits 2 naming its JSON path; a module
// Envoy would refuse, or a plugin that rejects its configuration, exits 1 with the reason.

import { ModuleLoadError } from "../harness/abi/imports.js";
import { readScenarioFile, runScenario, ScenarioError } from "../harness/scenario.js";
import { formatJson } from "../harness/scenario-report.js";

/** How `run` was called. */
export const RUN_USAGE = "run [MODULE.wasm] --scenario FILE.json";

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

function parseArgs(args: string[]): { module: string | null; scenario: string } | string {
  let module: string | null = null;
  let scenario: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--scenario") {
      const value = args[++i];
      if (value === undefined) return "--scenario needs a file";
      scenario = value;
    } else if (arg.startsWith("--scenario=")) scenario = arg.slice("--scenario=".length);
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else if (module === null) module = arg;
    else return `unexpected argument ${arg}`;
  }
  return scenario === null ? "--scenario FILE.json is required" : { module, scenario };
}

/** Runs the `run` command with `args` (after the command name); returns the exit code. */
export async function runCommand(args: string[], { out, err }: Output): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    err(`envoy-as run: ${parsed}\nusage: envoy-as ${RUN_USAGE}`);
    return 2;
  }
  try {
    const file = await readScenarioFile(parsed.scenario);
    const module = parsed.module ?? file.module;
    if (module === null) {
      err(`envoy-as run: no module: pass MODULE.wasm or set "module" in ${parsed.scenario}`);
      return 2;
    }
    const transcript = await runScenario(module, file.scenario);
    out(formatJson(transcript));
    if (transcript.plugin.status === "running") return 0;
    err(`envoy-as run: the plugin was rejected (${transcript.plugin.status}): ${transcript.plugin.failure}`);
    return 1;
  } catch (error) {
    if (error instanceof ScenarioError) {
      err(`envoy-as run: ${parsed.scenario}: ${error.message}`);
      return 2;
    }
    if (error instanceof ModuleLoadError) {
      err(`envoy-as run: Envoy would refuse the module: ${error.message}`);
      return 1;
    }
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      err(`envoy-as run: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
