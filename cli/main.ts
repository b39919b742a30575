#!/usr/bin/env node
// The envoy-as command line.

import { DEV_USAGE, devCommand } from "./dev.js";
import { DEFAULT_ENVOY_CONFIG, ENVOY_USAGE, envoyCommand } from "./envoy.js";
import { PACKAGE_USAGE, packageCommand } from "./package.js";
import { PULL_USAGE, PUSH_USAGE, pullCommand, pushCommand } from "./push.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { startCommand } from "./start.js";
import { VALIDATE_USAGE, validateCommand } from "./validate.js";
import { WASMPLUGIN_USAGE, wasmpluginCommand } from "./wasmplugin.js";

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
  ${PACKAGE_USAGE}
                    write build/FILTER.wasm as a reproducible OCI image layout (default build/oci/FILTER/,
                    replacing a layout there); prints the image digest and the plugin.wasm sha256
  ${PUSH_USAGE}
                    package FILTER (or take the OCI layout DIR) and push it to REF (HOST[:PORT]/NAME[:TAG]);
                    skips blobs the registry has, tags last; prints the image digest and plugin.wasm sha256.
                    Credentials: ENVOY_AS_REGISTRY_USERNAME/PASSWORD or Docker's config.json; plain HTTP
                    only for loopback hosts unless --insecure
  ${PULL_USAGE}
                    fetch REF, verifying every digest, into an OCI layout DIR and/or the module FILE
  ${WASMPLUGIN_USAGE}
                    print an Istio WasmPlugin (and TrafficExtension, Envoy Gateway EnvoyExtensionPolicy) for
                    FILTER at oci://REF, sha256-pinned to the manifest digest (--sha256, @sha256 in REF, or
                    build/oci/FILTER/), with the filter's phase and --config checked against its schema
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
    case "package":
      return packageCommand(rest, { root, out: (text) => console.log(text), err: (text) => console.error(text) });
    case "push":
      return pushCommand(rest, { root, out: (text) => console.log(text), err: (text) => console.error(text) });
    case "pull":
      return pullCommand(rest, { out: (text) => console.log(text), err: (text) => console.error(text) });
    case "wasmplugin":
      return wasmpluginCommand(rest, { out: (text) => console.log(text), err: (text) => console.error(text) });
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
