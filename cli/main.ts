#!/usr/bin/env node
// The envoy-as command line.

import { DEV_USAGE, devCommand } from "./dev.js";
import { DEFAULT_ENVOY_CONFIG, ENVOY_USAGE, envoyCommand } from "./envoy.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { startCommand } from "./start.js";
import { VALIDATE_USAGE, validateCommand } from "./validate.js";

const USAGE = `usage: envoy-as <command> [arguments]

commands:
  build [NAME...]   compile filters/<NAME>/ (all filters when none given) to build/<NAME>.wasm and .debug.wasm
  start             serve the demo chain (${DEFAULT_ENVOY_CONFIG}) and its services: real Envoy when
                    installed, else the dev proxy; prints curl commands to try (npm start builds first)
  ${DEV_USAGE}
                    (for the demo config it also starts the demo services); Ctrl-C stops it all
  ${RUN_USAGE}
                    play a scenario file through the harness and print its JSON transcript
                    (MODULE.wasm may be omitted when the scenario names its "module")
  ${ENVOY_USAGE}
                    run real Envoy on CONFIG (default ${DEFAULT_ENVOY_CONFIG}) until Ctrl-C
  ${VALIDATE_USAGE}
                    check CONFIG with Envoy's --mode validate, or offline (no Envoy, or --offline) against
                    Envoy's API protos; also checks Wasm files exist and named clusters are defined
  help              show this help`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const root = process.cwd();
  // The compiler is heavy to load; only the commands that compile load it.
  const compiler = () => import("./build.js");
  switch (command) {
    case "build":
      await (await compiler()).buildFilters(root, rest, (line) => console.log(line));
      return 0;
    case "run":
      return runCommand(rest, { out: (text) => console.log(text), err: (text) => console.error(text) });
    case "validate":
      return validateCommand(rest, { out: (text) => console.log(text), err: (text) => console.error(text) });
    case "envoy":
      return envoyCommand(rest, { root, err: (text) => console.error(text) });
    case "start":
      return startCommand(
        root,
        (line) => console.log(line),
        (line) => console.error(line),
      );
    case "dev":
      return devCommand(rest, (line) => console.log(line));
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(`envoy-as: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`envoy-as: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
