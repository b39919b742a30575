#!/usr/bin/env node
// The envoy-as command line.

import { RUN_USAGE, runCommand } from "./run.js";

const USAGE = `usage: envoy-as <command> [arguments]

commands:
  build [NAME...]   compile filters/<NAME>/ (all filters when none given) to build/<NAME>.wasm and .debug.wasm
  start             build every filter and list what was built
  ${RUN_USAGE}
                    play a scenario file through the harness and print its JSON transcript
                    (MODULE.wasm may be omitted when the scenario names its "module")
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
    case "start": {
      const built = await (await compiler()).buildFilters(root, [], () => undefined);
      console.log("envoy-as: built these filters (the demo chain runs once the dev proxy lands):");
      for (const file of built) console.log(`  ${file.path}  ${file.bytes} bytes  (${file.target})`);
      return 0;
    }
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
