#!/usr/bin/env node
// The envoy-as command line.

import { DEV_USAGE, devCommand } from "./dev.js";
import { DEFAULT_ENVOY_CONFIG, ENVOY_USAGE, envoyCommand } from "./envoy.js";
import { NEW_USAGE, newCommand } from "./new.js";
import { PACKAGE_USAGE, packageCommand } from "./package.js";
import { PULL_USAGE, PUSH_USAGE, pullCommand, pushCommand } from "./push.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { startCommand } from "./start.js";
import { VALIDATE_USAGE, validateCommand } from "./validate.js";
import { WASMPLUGIN_USAGE, wasmpluginCommand } from "./wasmplugin.js";

/** One command: how it is called and what it does (lines as the main help wraps them). */
interface Command {
  name: string;
  usage: string;
  about: string[];
}

const COMMANDS: Command[] = [
  {
    name: "new",
    usage: NEW_USAGE,
    about: [
      "scaffold filters/NAME/ (a filter adding configured headers, its schema, README and harness test)",
      "and envoy-configs/NAME.yaml; prints the commands to build, test, run and package it",
    ],
  },
  {
    name: "build",
    usage: "build [NAME...]",
    about: ["compile filters/<NAME>/ (all filters when none given) to build/<NAME>.wasm and .debug.wasm"],
  },
  {
    name: "start",
    usage: "start",
    about: [
      `serve the demo chain (${DEFAULT_ENVOY_CONFIG}) and its services: real Envoy when`,
      "installed, else the dev proxy; prints curl commands to try (npm start builds first)",
    ],
  },
  {
    name: "dev",
    usage: DEV_USAGE,
    about: [
      `serve CONFIG (default ${DEFAULT_ENVOY_CONFIG}) with the dev proxy`,
      "(for the demo config it also starts the demo services); Ctrl-C stops it all",
    ],
  },
  {
    name: "run",
    usage: RUN_USAGE,
    about: [
      "play a scenario file through the harness and print its JSON transcript",
      '(MODULE.wasm may be omitted when the scenario names its "module")',
    ],
  },
  {
    name: "envoy",
    usage: ENVOY_USAGE,
    about: [`run real Envoy on CONFIG (default ${DEFAULT_ENVOY_CONFIG}) until Ctrl-C`],
  },
  {
    name: "validate",
    usage: VALIDATE_USAGE,
    about: [
      "check CONFIG with Envoy's --mode validate, or offline (no Envoy, or --offline) against",
      "Envoy's API protos; also checks Wasm files exist and named clusters are defined",
    ],
  },
  {
    name: "package",
    usage: PACKAGE_USAGE,
    about: [
      "write build/FILTER.wasm as a reproducible OCI image layout (default build/oci/FILTER/,",
      "replacing a layout there); prints the image digest and the plugin.wasm sha256",
    ],
  },
  {
    name: "push",
    usage: PUSH_USAGE,
    about: [
      "package FILTER (or take the OCI layout DIR) and push it to REF (HOST[:PORT]/NAME[:TAG]);",
      "skips blobs the registry has, tags last; prints the image digest and plugin.wasm sha256.",
      "Credentials: ENVOY_AS_REGISTRY_USERNAME/PASSWORD or Docker's config.json; plain HTTP",
      "only for loopback hosts unless --insecure",
    ],
  },
  {
    name: "pull",
    usage: PULL_USAGE,
    about: ["fetch REF, verifying every digest, into an OCI layout DIR and/or the module FILE"],
  },
  {
    name: "wasmplugin",
    usage: WASMPLUGIN_USAGE,
    about: [
      "print an Istio WasmPlugin (and TrafficExtension, Envoy Gateway EnvoyExtensionPolicy) for",
      "FILTER at oci://REF, sha256-pinned to the manifest digest (--sha256, @sha256 in REF, or",
      "build/oci/FILTER/), with the filter's phase and --config checked against its schema",
    ],
  },
  { name: "help", usage: "help [COMMAND]", about: ["show this help, or one command's"] },
];

const INDENT = " ".repeat(20);

// A short usage shares its line with the first line of `about`; a long one stands alone.
function entry({ usage, about }: Command): string {
  const lines = usage.length < 17 ? [`  ${usage.padEnd(18)}${about[0]}`, ...about.slice(1)] : [`  ${usage}`, ...about];
  return lines.map((line, index) => (index === 0 ? line : INDENT + line)).join("\n");
}

const USAGE = `usage: envoy-as <command> [arguments]    (envoy-as <command> --help: one command's help)

commands:
${COMMANDS.map(entry).join("\n")}`;

/** `envoy-as <command> --help`: the command's usage line and what it does. */
function commandHelp({ usage, about }: Command): string {
  return `usage: envoy-as ${usage}\n\n${about.map((line) => `  ${line}`).join("\n")}`;
}

// --help or -h among a command's own arguments (those after `--` belong to Envoy).
function asksForHelp(args: string[]): boolean {
  const dashes = args.indexOf("--");
  return (dashes === -1 ? args : args.slice(0, dashes)).some((arg) => arg === "--help" || arg === "-h");
}

// For the commands that take only positional arguments: an option, or one argument too many.
function positionalProblem(args: string[], most: number): string | null {
  const option = args.find((arg) => arg.startsWith("-"));
  if (option !== undefined) return `unknown option ${option}`;
  return args.length > most ? `unexpected argument ${args[most]}` : null;
}

function usageError(command: Command, problem: string): number {
  console.error(`envoy-as ${command.name}: ${problem}\nusage: envoy-as ${command.usage}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const root = process.cwd();
  const command = COMMANDS.find((c) => c.name === name);
  if (command && command.name !== "help" && asksForHelp(rest)) {
    console.log(commandHelp(command));
    return 0;
  }
  // The compiler is heavy to load; only the commands that compile load it.
  const compiler = () => import("./build.js");
  const out = (text: string) => console.log(text);
  const err = (text: string) => console.error(text);
  switch (name) {
    case "new":
      return newCommand(rest, { root, out, err });
    case "build": {
      const problem = positionalProblem(rest, Infinity);
      if (problem !== null) return usageError(command!, problem);
      await (await compiler()).buildFilters(root, rest, out);
      return 0;
    }
    case "run":
      return runCommand(rest, { out, err });
    case "validate":
      return validateCommand(rest, { out, err });
    case "envoy":
      return envoyCommand(rest, { root, err });
    case "start": {
      const problem = positionalProblem(rest, 0);
      return problem === null ? startCommand(root, out, err) : usageError(command!, problem);
    }
    case "package":
      return packageCommand(rest, { root, out, err });
    case "push":
      return pushCommand(rest, { root, out, err });
    case "pull":
      return pullCommand(rest, { out, err });
    case "wasmplugin":
      return wasmpluginCommand(rest, { out, err });
    case "dev": {
      const problem = positionalProblem(rest, 1);
      return problem === null ? devCommand(rest, out) : usageError(command!, problem);
    }
    case undefined:
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    case "help": {
      const topic = COMMANDS.find((c) => c.name === rest[0]);
      if (rest.length === 0) console.log(USAGE);
      else if (topic && rest.length === 1) console.log(commandHelp(topic));
      else return usageError(command!, `no command "${rest.join(" ")}" (commands: ${commandNames()})`);
      return 0;
    }
    default:
      console.error(`envoy-as: unknown command "${name}" (commands: ${commandNames()})\n\n${USAGE}`);
      return 2;
  }
}

function commandNames(): string {
  return COMMANDS.map((c) => c.name).join(", ");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Name the command the error comes from: `envoy-as build: no such filter: x (...)`.
    const command = COMMANDS.some((c) => c.name === process.argv[2]) ? ` ${process.argv[2]}` : "";
    console.error(`envoy-as${command}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
